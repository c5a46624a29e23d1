"""The IATI reader as users call it, checked by ``mypy --strict``, never run."""

from __future__ import annotations

import io
from pathlib import Path
from typing import assert_type

import mali_aid
from mali_aid import Dataset, Engagement, Organisation, Place, Sector, Source, iati
from mali_aid.iati import IatiActivities, Skipped, Unmapped, read_activities

from_path = read_activities("activities.xml")
assert_type(from_path, IatiActivities)
assert_type(
    read_activities(Path("activities.xml"), source_id="my-file"), IatiActivities
)
with open("activities.xml", "rb") as stream:
    assert_type(read_activities(stream), IatiActivities)
assert_type(iati.read_activities(io.BytesIO(b"<iati-activities/>")), IatiActivities)

many = read_activities(
    ["a.xml", Path("b.xml"), io.BytesIO(b"<iati-activities/>")],
    on_error="skip",
    outside_mali="keep",
    progress=False,
)
assert_type(many, IatiActivities)
assert_type(read_activities(Path("iati-files"), progress=None), IatiActivities)
assert_type(many.sources, tuple[Source, ...])
assert_type(many.skipped, tuple[Skipped, ...])
assert_type(many.outside, tuple[Skipped, ...])
for skipped in many.skipped:
    assert_type(skipped.file, str | None)
    assert_type(skipped.activity, str | None)
    assert_type(skipped.element, str | None)
    assert_type(skipped.reason, str)
read_activities("a.xml", on_error="ignore")  # type: ignore[arg-type]

assert_type(from_path.source, Source)
assert_type(from_path.engagements, tuple[Engagement, ...])
assert_type(from_path.organisations, tuple[Organisation, ...])
assert_type(from_path.places, tuple[Place, ...])
assert_type(from_path.sectors, tuple[Sector, ...])
assert_type(from_path.unmapped, tuple[Unmapped, ...])
assert_type(from_path.version, str | None)

for item in from_path.unmapped:
    assert_type(item.activity, str | None)
    assert_type(item.element, str)
    assert_type(item.reason, str)

assert_type(from_path.dataset(), Dataset)
merged = from_path.dataset(mali_aid.load())
assert_type(merged, Dataset)
mali_aid.totals(from_path.engagements, by="year", currency="EUR", data=merged)

read_activities(b"<iati-activities/>")  # type: ignore[arg-type]
read_activities("activities.xml", "my-file")  # type: ignore[call-arg]
from_path.dataset(from_path)  # type: ignore[arg-type]
from_path.engagements = ()  # type: ignore[misc]

# The codes users select on, and the identifiers organisations are matched by.
for engagement in merged.engagements:
    assert_type(engagement.aid_types, tuple[str, ...])
    assert_type(engagement.flow_type, str | None)
    assert_type(engagement.policy_markers, tuple[mali_aid.PolicyMarker, ...])
    assert_type(engagement.humanitarian, bool | None)
for organisation in merged.organisations:
    assert_type(organisation.identifiers, tuple[str, ...])
assert_type(merged.select(flow_type="10", policy_marker=["1:2"]), mali_aid.Selection)
assert_type(merged.select(humanitarian=True, aid_type=("C01",)), mali_aid.Selection)
merged.select(humanitarian="yes")  # type: ignore[arg-type]
merged.select(flow_type=10)  # type: ignore[arg-type]
