"""Test configuration shared by every test folder."""

from __future__ import annotations

import os

from hypothesis import HealthCheck, settings

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
