"""Fixtures shared by the IATI tests."""

from __future__ import annotations

import pytest

from mali_aid import iati

from .builders import EXAMPLE


@pytest.fixture(scope="module")
def example() -> iati.IatiActivities:
    """The annotated example of the IATI Standard, kept although not for Mali."""
    return iati.read_activities(EXAMPLE, outside_mali="keep")
