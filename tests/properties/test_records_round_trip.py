"""Every record survives a trip through plain data, and the strategies are sound."""

from __future__ import annotations

import tomllib
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from mali_aid import (
    Amount,
    Count,
    Engagement,
    Organisation,
    Period,
    Place,
    Role,
    Sector,
    from_dict,
    to_dict,
)
from mali_aid import strategies as mas


@given(mas.engagements())
def test_engagements_round_trip(record: Engagement) -> None:
    assert from_dict(to_dict(record), Engagement) == record


@given(mas.organisations(parents=["BE", "LU"]))
def test_organisations_round_trip(record: Organisation) -> None:
    assert from_dict(to_dict(record), Organisation) == record


@given(mas.places(parents=["ML"]))
def test_places_round_trip(record: Place) -> None:
    assert from_dict(to_dict(record), Place) == record


@given(mas.sectors())
def test_sectors_round_trip(record: Sector) -> None:
    assert from_dict(to_dict(record), Sector) == record


@given(mas.amounts())
def test_amounts_round_trip(record: Amount) -> None:
    assert from_dict(to_dict(record), Amount) == record


@given(mas.counts())
def test_counts_round_trip(record: Count) -> None:
    assert from_dict(to_dict(record), Count) == record


@given(mas.collections())
def test_collections_round_trip_and_resolve(collection: mas.Collection) -> None:
    organisation_ids = {org.id for org in collection.organisations}
    place_ids = {place.id for place in collection.places}
    sector_ids = {sector.id for sector in collection.sectors}
    source_ids = {source.id for source in collection.sources}
    seen: set[str] = set()
    for engagement in collection.engagements:
        assert {p.organisation for p in engagement.participants} <= organisation_ids
        assert {share.place for share in engagement.places} <= place_ids
        assert {share.sector for share in engagement.sectors} <= sector_ids
        assert {c.source for c in engagement.citations} <= source_ids
        # Links point only backwards, so no chain of part_of or follows loops.
        assert engagement.part_of is None or engagement.part_of in seen
        assert engagement.follows is None or engagement.follows in seen
        seen.add(engagement.id)
        funders = engagement.participants_in(Role.FUNDING)
        shares = [p.share for p in funders if p.share is not None]
        assert not shares or sum(shares) == 1
    for kind, rows in collection.as_files().items():
        name = kind.removesuffix(".toml")
        assert list(rows) == [name]
        records = getattr(collection, name)
        assert len(rows[name]) == len(records)


@given(mas.engagements())
def test_plain_data_is_toml_safe(record: Engagement) -> None:
    # Plain data holds only str, int, bool, lists and dicts: what TOML can write.
    def check(value: Any) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                assert isinstance(key, str)
                check(item)
        elif isinstance(value, list):
            for item in value:
                check(item)
        else:
            assert type(value) in (str, int, bool)

    check(to_dict(record))


@given(st.sampled_from(["2009/2014", "../2024-06", "2013-02"]))
def test_periods_read_from_toml_strings(text: str) -> None:
    parsed = tomllib.loads(f'period = "{text}"')
    assert Period.parse(parsed["period"]) == Period.parse(text)
