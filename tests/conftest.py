"""Test configuration shared by every test folder."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

from mali_aid import Dataset, load
from worlds import CLI_WORLD, TOML_WORLD, WORLD, bundle, write

# CI machines are slow and noisy: no deadline there, and a few more examples.
settings.register_profile(
    "ci",
    deadline=None,
    max_examples=200,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile("dev", deadline=None, max_examples=50)
# Before a release (docs/testing.md): ten times the examples of CI, about the
# sizes of an independent robustness run.
settings.register_profile(
    "release",
    deadline=None,
    max_examples=2000,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE", "ci" if os.environ.get("CI") else "dev")
)


@pytest.fixture
def toy_world() -> Dataset:
    """The toy world of ``tests/worlds.py``, with no engagement."""
    return WORLD


@pytest.fixture
def base_dir(tmp_path: Path) -> Path:
    """A directory holding the file world of ``tests/worlds.py``."""
    return write(tmp_path / "data", TOML_WORLD)


@pytest.fixture
def data(base_dir: Path) -> Dataset:
    """The file world, loaded (a test file's own ``data`` fixture wins)."""
    return load(base_dir)


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the loader take a directory of ours for the bundled data."""
    return bundle(write(tmp_path / "bundled", TOML_WORLD), monkeypatch)


@pytest.fixture
def cli_dir(tmp_path: Path) -> Path:
    """A directory holding the command line's file world of ``tests/worlds.py``."""
    return write(tmp_path / "data", CLI_WORLD)


@pytest.fixture
def cli_bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The command line's file world, taken by the loader for the bundled data."""
    return bundle(write(tmp_path / "bundled", CLI_WORLD), monkeypatch)
