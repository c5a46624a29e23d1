"""What the wheel and the sdist hold.

The wheel holds the package, its data files and ``py.typed``, and nothing
else: no tests, no caches. The sdist holds what it takes to build the wheel
again and to run the tests.
"""

from __future__ import annotations

import email.parser
import tarfile
import zipfile
from importlib import metadata, resources
from pathlib import Path

import pytest
from packaging.requirements import Requirement

#: Files that only a build or a working session leaves behind.
LEFTOVER_SUFFIXES = (".pyc", ".pyo", "~", ".orig", ".rej", ".swp", ".DS_Store")
CACHE_PARTS = {
    "__pycache__",
    ".mypy_cache",
    ".ruff_cache",
    ".pytest_cache",
    ".hypothesis",
    ".venv",
    ".git",
}


def _package_files(names, prefix):
    return {
        name.removeprefix(prefix)
        for name in names
        if name.startswith(prefix) and not name.endswith("/")
    }


def _source_files(directory: Path) -> set[str]:
    """Files under ``directory``, leaving out caches and compiled files."""
    return {
        path.relative_to(directory).as_posix()
        for path in directory.rglob("*")
        if path.is_file()
        and not CACHE_PARTS.intersection(path.relative_to(directory).parts)
        and path.suffix not in {".pyc", ".pyo"}
    }


def _assert_no_caches(names):
    stray = [
        name
        for name in names
        if CACHE_PARTS.intersection(name.split("/")) or name.endswith(LEFTOVER_SUFFIXES)
    ]
    assert stray == []


# -- the wheel --------------------------------------------------------------------


def test_wheel_holds_the_package_and_its_metadata_only(distributions):
    dist_info = f"mali_aid-{distributions.version}.dist-info/"
    names = distributions.wheel_names()

    stray = [
        name
        for name in names
        if not name.startswith(("mali_aid/", dist_info))
        or name.startswith("mali_aid/tests/")
    ]

    assert stray == []
    _assert_no_caches(names)


def test_wheel_package_files_are_code_data_or_the_typed_marker(distributions):
    # Modules anywhere in the package; anything else only in its data folder.
    for name in distributions.wheel_names():
        if not name.startswith("mali_aid/") or name == "mali_aid/py.typed":
            continue
        if name.endswith(".py"):
            continue
        assert name.startswith("mali_aid/data/"), f"{name} is out of place"
        assert not Path(name).name.startswith("."), f"hidden file {name}"


def test_wheel_holds_py_typed_and_the_command_line(distributions):
    names = distributions.wheel_names()
    entry_points = distributions.wheel_text(
        f"mali_aid-{distributions.version}.dist-info/entry_points.txt"
    )

    assert "mali_aid/py.typed" in names
    assert "mali_aid/__init__.py" in names
    assert "mali-aid = mali_aid._cli:main" in entry_points


def test_wheel_package_is_exactly_the_sdist_sources(distributions):
    # Every module and data file of the source tree reaches the wheel, and
    # nothing else does.
    in_wheel = _package_files(distributions.wheel_names(), "mali_aid/")
    in_sdist = _package_files(distributions.sdist_names(), "src/mali_aid/")

    assert in_wheel == in_sdist


def test_wheel_holds_every_data_file_of_the_source_tree(distributions, root):
    data = root / "src" / "mali_aid" / "data"
    if not data.is_dir():
        pytest.skip("no source tree here (CI removes src/ to test the wheel)")
    expected = {f"mali_aid/data/{name}" for name in _source_files(data)}

    assert expected <= set(distributions.wheel_names())


def test_wheel_metadata(distributions):
    dist_info = f"mali_aid-{distributions.version}.dist-info/"
    names = distributions.wheel_names()
    fields = email.parser.Parser().parsestr(
        distributions.wheel_text(f"{dist_info}METADATA")
    )
    requirements = [Requirement(line) for line in fields.get_all("Requires-Dist", [])]
    runtime = {req.name.lower() for req in requirements if req.marker is None}

    assert fields["Name"] == "mali-aid"
    assert fields["Version"] == distributions.version
    assert fields["License-Expression"] == "MIT"
    assert sorted(fields.get_all("License-File", [])) == ["DATA-LICENSE.md", "LICENSE"]
    assert f"{dist_info}licenses/LICENSE" in names
    assert f"{dist_info}licenses/DATA-LICENSE.md" in names
    assert fields["Requires-Python"] == ">=3.11"
    assert runtime == {"attrs", "cattrs", "pint", "defusedxml"}
    assert {"strategies", "pandas", "arrow", "plot", "docs", "dev"} <= set(
        fields.get_all("Provides-Extra", [])
    )
    assert "Typing :: Typed" in fields.get_all("Classifier", [])
    assert fields["Description-Content-Type"] == "text/markdown"


# -- the sdist --------------------------------------------------------------------

NEEDED_IN_SDIST = [
    "PKG-INFO",
    "pyproject.toml",
    "README.md",
    "CHANGELOG.md",
    "LICENSE",
    "DATA-LICENSE.md",
    "CITATION.cff",
    "src/mali_aid/__init__.py",
    "src/mali_aid/_version.py",
    "src/mali_aid/py.typed",
    "tests/conftest.py",
    "tests/packaging/conftest.py",
    "tests/packaging/test_distributions.py",
    "typing_tests/api.py",
    "benchmarks/import_time.py",
    "docs/releasing.md",
]


def test_sdist_holds_what_building_and_testing_need(distributions):
    names = set(distributions.sdist_names())

    missing = [name for name in NEEDED_IN_SDIST if name not in names]

    assert missing == []
    _assert_no_caches(names)
    assert not [name for name in names if name.startswith(("dist/", "build/"))]


def test_sdist_holds_every_test_and_source_file(distributions, root):
    names = set(distributions.sdist_names())
    expected = set()
    for folder in ("src", "tests", "typing_tests"):
        if (root / folder).is_dir():
            expected |= {f"{folder}/{name}" for name in _source_files(root / folder)}

    assert expected - names == set()


def test_wheel_builds_again_from_the_sdist(distributions, builder, tmp_path):
    with tarfile.open(distributions.sdist) as archive:
        archive.extractall(tmp_path / "unpacked", filter="data")
    (unpacked,) = (tmp_path / "unpacked").iterdir()

    builder(unpacked, tmp_path / "rebuilt", "--wheel")
    (rebuilt,) = (tmp_path / "rebuilt").glob("*.whl")
    with zipfile.ZipFile(rebuilt) as archive:
        rebuilt_names = archive.namelist()

    assert rebuilt.name == distributions.wheel.name
    assert sorted(rebuilt_names) == sorted(distributions.wheel_names())


# -- the installed package -----------------------------------------------------------


def test_installed_package_has_its_data_files(distributions):
    wheel_data = {
        name.removeprefix("mali_aid/data/")
        for name in distributions.wheel_names()
        if name.startswith("mali_aid/data/")
    }
    data = resources.files("mali_aid") / "data"
    installed = {item.name for item in data.iterdir()} if data.is_dir() else set()

    assert wheel_data <= installed


def test_installed_distribution_is_the_wheel_under_test(
    distributions, built_beforehand
):
    if not built_beforehand:
        pytest.skip("the package is installed from the source tree")

    assert metadata.version("mali-aid") == distributions.version
