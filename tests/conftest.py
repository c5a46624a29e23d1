"""Test configuration shared by every test folder."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

from mali_aid import Dataset
from worlds import WORLD

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
