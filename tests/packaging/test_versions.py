"""One version, read from the installed metadata, and agreeing everywhere.

``src/mali_aid/_version.py`` is the one place the version is written;
hatchling copies it into the metadata at build time, and
``mali_aid.__version__`` reads the metadata back. The CHANGELOG and
CITATION.cff name the same version.
"""

from __future__ import annotations

import re
import subprocess
import sys
from importlib import metadata
from pathlib import Path

import pytest
from packaging.version import Version

import mali_aid

CHANGELOG_HEADING = re.compile(r"^## \[(?P<name>[^\]]+)\](?P<rest>.*)$", re.MULTILINE)
RELEASED_REST = re.compile(r"^ - \d{4}-\d{2}-\d{2}$")


def test_version_comes_from_the_installed_metadata(recwarn):
    assert mali_aid.__version__ == metadata.version("mali-aid")
    assert recwarn.list == []


def test_version_module_agrees_with_the_metadata():
    # Fails in a development install whose version changed since it was
    # installed: run `pip install -e ".[dev]"` again.
    from mali_aid._version import __version__

    assert __version__ == metadata.version("mali-aid")


def test_version_is_semantic():
    version = Version(mali_aid.__version__)

    assert len(version.release) == 3
    assert version.pre is None
    assert version.local is None


def test_unknown_attributes_still_raise():
    with pytest.raises(AttributeError, match="no_such_name"):
        mali_aid.no_such_name  # noqa: B018


def _sections(root: Path) -> list[tuple[str, str]]:
    text = (root / "CHANGELOG.md").read_text(encoding="utf-8")
    return [
        (match["name"], match["rest"]) for match in CHANGELOG_HEADING.finditer(text)
    ]


def test_changelog_has_unreleased_on_top(root):
    sections = _sections(root)

    assert sections, "CHANGELOG.md has no '## [...]' section"
    assert sections[0] == ("Unreleased", "")


def test_changelog_releases_are_dated_and_newest_first(root):
    released = _sections(root)[1:]

    for name, rest in released:
        Version(name)
        assert RELEASED_REST.match(rest), f"## [{name}] needs ' - YYYY-MM-DD'"
    versions = [Version(name) for name, _ in released]
    assert versions == sorted(versions, reverse=True)
    assert len(set(versions)) == len(versions)


def test_version_is_the_newest_release_or_a_development_version_after_it(root):
    version = Version(mali_aid.__version__)
    released = [Version(name) for name, _ in _sections(root)[1:]]
    newest = released[0] if released else None

    if not version.is_devrelease:
        assert version == newest, (
            f"{version} is a release: CHANGELOG.md needs '## [{version}] - <date>'"
            " right below '## [Unreleased]'"
        )
    elif version.is_postrelease:
        # A development build after a release, as uploaded to TestPyPI.
        assert Version(version.base_version) == newest
    else:
        # A development version of the next release.
        assert newest is None or Version(version.base_version) > newest


def _citation(root: Path) -> str:
    return (root / "CITATION.cff").read_text(encoding="utf-8")


def test_citation_names_the_version(root):
    match = re.search(r'^version: "?([^"\n]+)"?$', _citation(root), re.MULTILINE)

    assert match is not None, "CITATION.cff has no top-level version"
    assert match[1] == mali_aid.__version__


def test_data_version_is_named_when_there_is_data(root):
    if not hasattr(mali_aid, "DATA_VERSION"):
        pytest.skip("no data release yet")
    # The data release is the reference of type data in CITATION.cff.
    match = re.search(
        r'^  - type: data\n(?:    .*\n)*?    version: "?([^"\n]+)"?$',
        _citation(root),
        re.MULTILINE,
    )

    assert isinstance(mali_aid.DATA_VERSION, str)
    assert mali_aid.DATA_VERSION.strip()
    assert match is not None, "CITATION.cff names no data release"
    assert match[1] == mali_aid.DATA_VERSION


def _reported_version(command: list[str]) -> str:
    done = subprocess.run(command, capture_output=True, text=True, check=True)
    # "mali-aid 0.1.0", possibly followed by the data release.
    name, version, *_ = done.stdout.split()
    assert name == "mali-aid"
    return version


def test_command_line_reports_the_version():
    command = [sys.executable, "-m", "mali_aid", "--version"]

    assert _reported_version(command) == mali_aid.__version__


def test_console_script_reports_the_version():
    script = Path(sys.executable).with_name("mali-aid")
    if not script.exists():
        pytest.skip("no mali-aid console script beside this Python")

    assert _reported_version([str(script), "--version"]) == mali_aid.__version__
