"""``import mali_aid`` is light, and the tests import the package under test."""

from __future__ import annotations

import json
import subprocess
import sys
import sysconfig
from pathlib import Path

import pytest

import mali_aid

HEAVY = (
    # cattrs is a runtime dependency, but only reading and writing plain
    # data (from_dict, to_dict, load) needs it.
    "cattrs",
    "pint",
    "hypothesis",
    "pandas",
    "pyarrow",
    "matplotlib",
    "numpy",
    "defusedxml",
    "xml",
)

# Runs in a fresh interpreter: records every file and folder opened while
# the package is imported, then reports what got imported.
PROBE = """
import json, os, sys

opened = []

def audit(event, args):
    if event in ("open", "os.listdir", "os.scandir") and args:
        target = args[0]
        if isinstance(target, (str, bytes, os.PathLike)):
            opened.append(os.fsdecode(target))

sys.addaudithook(audit)
import mali_aid
print(json.dumps({
    "file": mali_aid.__file__,
    "modules": sorted(sys.modules),
    "opened": opened,
}))
"""


@pytest.fixture(scope="module")
def probe() -> dict[str, object]:
    done = subprocess.run(
        [sys.executable, "-I", "-c", PROBE],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, object] = json.loads(done.stdout)
    return result


@pytest.mark.parametrize("heavy", HEAVY)
def test_import_leaves_heavy_dependencies_alone(probe, heavy):
    modules = probe["modules"]

    loaded = [name for name in modules if name == heavy or name.startswith(f"{heavy}.")]

    assert loaded == []


@pytest.mark.parametrize(
    "module",
    [
        "mali_aid.strategies",
        "mali_aid.export",
        "mali_aid.iati",
        "mali_aid._timeline",
        "mali_aid._timeline_layout",
        "mali_aid._cli",
    ],
)
def test_import_loads_no_optional_module(probe, module):
    assert module not in probe["modules"]


def test_import_reads_no_data(probe):
    data = Path(probe["file"]).resolve().parent / "data"

    read = [
        path
        for path in probe["opened"]
        if Path(path).resolve() == data or Path(path).resolve().is_relative_to(data)
    ]

    assert read == []


def test_tests_import_the_installed_wheel(built_beforehand, root):
    if not built_beforehand:
        pytest.skip("the package is installed from the source tree")
    location = Path(mali_aid.__file__).resolve()
    installed = {
        Path(sysconfig.get_paths()[key]).resolve() for key in ("purelib", "platlib")
    }

    assert any(location.is_relative_to(folder) for folder in installed), location
    assert not location.is_relative_to(root.resolve() / "src")
