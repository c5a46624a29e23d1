"""The dataset as users read it, checked by ``mypy --strict``, never run."""

from __future__ import annotations

from typing import assert_type

import mali_aid
from mali_aid import Dataset, Engagement, Organisation, Place

data = mali_aid.load()
assert_type(data, Dataset)
assert_type(mali_aid.load("my-data", merge=True), Dataset)
release: str = mali_aid.DATA_VERSION

assert_type(data.engagements, tuple[Engagement, ...])
assert_type(data.places, tuple[Place, ...])
assert_type(data.engagement("be-icp-2009"), Engagement)
assert_type(data.engagement("be-icp-2009", default=None), Engagement | None)
assert_type(data.organisation("BE"), Organisation)
assert_type(data.donors(data.engagements[0]), tuple[str, ...])

for engagement in data.engagements:
    assert_type(engagement.amounts, tuple[mali_aid.Amount, ...])

data.engagements = ()  # type: ignore[misc]
data.engagement(42)  # type: ignore[call-overload]
mali_aid.load(merge="yes")  # type: ignore[arg-type]
