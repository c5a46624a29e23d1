"""find_overlaps() agrees with a plain all-pairs check, and is symmetric.

The all-pairs check states the rules: two engagements meet in place when
one's place is or lies in the other's (through parents and the areas places
are grouped into), the shared place being the more specific one unless the
other is a whole country; a place with its own period holds only within it,
so in time and place together they meet on the days both share at a shared
place.
"""

from __future__ import annotations

from datetime import date
from unittest import mock

import attrs
from hypothesis import given, settings, target
from hypothesis import strategies as st

from mali_aid import (
    Dataset,
    Engagement,
    Overlap,
    Period,
    PlaceLevel,
    _overlap_engine,
    compare_donors,
    find_overlaps,
)
from mali_aid import strategies as mas
from mali_aid.testing import reference_overlaps


@st.composite
def with_areas_and_place_periods(draw: st.DrawFn, max_engagements: int = 20) -> Dataset:
    """A generated collection whose places are grouped into areas and whose
    engagements' places sometimes hold for part of their life only."""
    collection = draw(mas.collections(max_engagements=max_engagements))
    areas = [p.id for p in collection.places if p.level is PlaceLevel.AREA]
    # What each place lies in so far; an area under a place (an area of a
    # city) is not one it can be grouped into, which would make a loop.
    links = {p.id: {p.parent} - {None} for p in collection.places}

    def reaches(start: str, goal: str) -> bool:
        seen, stack = {start}, [start]
        while stack:
            for step in links[stack.pop()]:
                if step == goal:
                    return True
                if step is not None and step not in seen:
                    seen.add(step)
                    stack.append(step)
        return start == goal

    places = []
    for place in collection.places:
        if areas and place.level is not PlaceLevel.AREA:
            chosen = draw(st.lists(st.sampled_from(areas), max_size=2, unique=True))
            kept = tuple(a for a in chosen if not reaches(a, place.id))
            links[place.id].update(kept)
            place = attrs.evolve(place, areas=kept)
        places.append(place)
    engagements = []
    for engagement in collection.engagements:
        shares = []
        for share in engagement.places:
            if draw(st.booleans()):
                year = draw(st.integers(1995, 2030))
                length = draw(st.integers(0, 4))
                month = draw(st.integers(1, 12))
                text = draw(
                    st.sampled_from(
                        [
                            f"{year}/{year + length}",
                            f"{year}-{month:02d}/{year + length}",
                            f"{year}/..",
                            f"../{year}",
                        ]
                    )
                )
                share = attrs.evolve(share, period=Period.parse(text))
            shares.append(share)
        engagements.append(attrs.evolve(engagement, places=tuple(shares)))
    return Dataset(
        sources=collection.sources,
        organisations=collection.organisations,
        places=places,
        sectors=collection.sectors,
        themes=collection.themes,
        engagements=engagements,
    )


def certain_days(period: Period | None) -> set[int] | None:
    """The days a place's own period certainly covers (None: no period)."""
    if period is None:
        return None
    span = period.certain_span()
    if span is None:
        return set()
    return set(range(span[0].toordinal(), span[1].toordinal() + 1))


def days_of(record: Engagement) -> set[int]:
    found: set[int] = set()
    if record.period is not None:
        span = record.period.certain_span()
        if span is not None:
            found.update(range(span[0].toordinal(), span[1].toordinal() + 1))
    for year in record.active_in:
        found.update(
            range(date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal() + 1)
        )
    return found


def brute_force(
    data: Dataset, on: tuple[str, ...], min_days: int, between: str
) -> dict[tuple[str, str], tuple[int | None, tuple[str, ...], tuple[str, ...]]]:
    records = data.engagements

    def within(place: str) -> list[str]:
        return [place, *(p.id for p in data.enclosing(place))]

    def meeting_place(pa: str, pb: str) -> str | None:
        if pa in within(pb):
            outer, inner = pa, pb
        elif pb in within(pa):
            outer, inner = pb, pa
        else:
            return None
        return outer if data.place(outer).level is PlaceLevel.COUNTRY else inner

    def lineage(record: Engagement) -> set[str]:
        seen, parent = set(), record.part_of
        while parent is not None:
            seen.add(parent)
            parent = data.engagement(parent).part_of
        return seen

    def outermost(record: Engagement) -> str:
        while record.part_of is not None:
            record = data.engagement(record.part_of)
        return record.id

    found = {}
    for i, a in enumerate(records):
        for b in records[i + 1 :]:
            if a.id in lineage(b) or b.id in lineage(a):
                continue
            if a.follows == b.id or b.follows == a.id:
                continue
            donors_a, donors_b = set(data.donors(a)), set(data.donors(b))
            # Parts of one programme with no funder named: the programme's.
            if not donors_a and lineage(a):
                donors_a = {("programme", outermost(a))}
            if not donors_b and lineage(b):
                donors_b = {("programme", outermost(b))}
            if between == "donors" and donors_a and donors_a == donors_b:
                continue
            days = None
            common_days: set[int] = set()
            if "time" in on:
                if not days_of(a) or not days_of(b):
                    continue
                common_days = days_of(a) & days_of(b)
            places: tuple[str, ...] = ()
            if "place" in on:
                shared = set()
                at_shared_places: set[int] = set()
                for sa in a.places:
                    for sb in b.places:
                        place = meeting_place(sa.place, sb.place)
                        if place is None:
                            continue
                        if "time" in on:
                            both = set(common_days)
                            for own in (
                                certain_days(sa.period),
                                certain_days(sb.period),
                            ):
                                if own is not None:
                                    both &= own
                            if not both:
                                continue
                            at_shared_places |= both
                        shared.add(place)
                shared = {
                    p for p in shared if not any(p in within(q)[1:] for q in shared)
                }
                if not shared:
                    continue
                places = tuple(sorted(shared))
                common_days = at_shared_places
            if "time" in on:
                days = len(common_days)
                if days < min_days:
                    continue
            sectors: tuple[str, ...] = ()
            if "sector" in on:
                common = {s.sector for s in a.sectors} & {s.sector for s in b.sectors}
                if not common:
                    continue
                sectors = tuple(sorted(common))
            found[(a.id, b.id)] = (days, places, sectors)
    return found


ON = st.sampled_from(
    [
        ("time", "place", "sector"),
        ("time",),
        ("place",),
        ("sector",),
        ("time", "place"),
        ("place", "sector"),
    ]
)


@settings(max_examples=150)
@given(
    mas.collections(max_engagements=20).map(mas.Collection.dataset)
    | with_areas_and_place_periods(),
    ON,
    st.integers(1, 400),
    st.sampled_from(["donors", "all"]),
)
def test_equals_the_all_pairs_check(
    data: Dataset, on: tuple[str, ...], min_days: int, between: str
) -> None:
    result = find_overlaps(
        data.engagements, data=data, on=on, min_days=min_days, between=between
    )  # type: ignore[arg-type]
    # Steer the search towards inputs with many pairs, where mistakes show.
    target(len(result))
    got = {(p.first, p.second): (p.days, p.places, p.sectors) for p in result}
    assert got == brute_force(data, on, min_days, between)
    # Each pair once, earlier engagement first, pairs in input order.
    order = {e.id: i for i, e in enumerate(data.engagements)}
    keys = [(order[p.first], order[p.second]) for p in result]
    assert all(first < second for first, second in keys)
    assert keys == sorted(keys)


@settings(max_examples=150)
@given(
    mas.collections(max_engagements=20).map(mas.Collection.dataset)
    | with_areas_and_place_periods(),
    ON,
    st.integers(1, 400),
    st.sampled_from(["donors", "all"]),
)
def test_the_fast_search_equals_the_reference_rules(
    data: Dataset, on: tuple[str, ...], min_days: int, between: str
) -> None:
    """Every field of every pair (period, days, bases of time, places,
    sectors), the order of the pairs and the undated engagements."""
    options = {"data": data, "on": on, "min_days": min_days, "between": between}
    fast = find_overlaps(data.engagements, **options)  # type: ignore[arg-type]
    target(len(fast))
    assert fast == reference_overlaps(data.engagements, **options)  # type: ignore[arg-type]


@settings(max_examples=150)
@given(
    mas.collections(max_engagements=20).map(mas.Collection.dataset)
    | with_areas_and_place_periods(),
    ON,
    st.integers(1, 400),
    st.sampled_from(["donors", "all"]),
)
def test_the_columnar_search_equals_the_reference_rules(
    data: Dataset, on: tuple[str, ...], min_days: int, between: str
) -> None:
    """The numpy sweep, run at any size, gives the reference's pairs: every
    field, in order, read one by one, by slices and by iteration."""
    options = {"data": data, "on": on, "min_days": min_days, "between": between}
    with mock.patch.object(_overlap_engine, "MIN_ENGAGEMENTS", 0):
        # The dataset's engagements (columns kept with it), then a list.
        fast = find_overlaps(data.engagements, **options)  # type: ignore[arg-type]
        listed = find_overlaps(list(data.engagements), **options)  # type: ignore[arg-type]
        # Kept columns serve another min_days.
        options["min_days"] = min_days * 2
        doubled = find_overlaps(data.engagements, **options)  # type: ignore[arg-type]
    assert isinstance(fast.pairs, _overlap_engine.Pairs)
    target(len(fast))
    assert doubled == reference_overlaps(data.engagements, **options)  # type: ignore[arg-type]
    options["min_days"] = min_days
    expected = reference_overlaps(data.engagements, **options)  # type: ignore[arg-type]
    assert fast == expected
    assert listed == expected
    assert [fast[i] for i in range(len(fast))] == list(expected)
    assert fast.pairs[1:] == expected.pairs[1:]
    with mock.patch.object(_overlap_engine, "_BLOCK", 3):
        assert list(fast) == list(expected)  # read through in blocks


@settings(max_examples=100)
@given(mas.collections(max_engagements=12), st.randoms())
def test_symmetric_whatever_the_order(collection: mas.Collection, shuffle) -> None:  # type: ignore[no-untyped-def]
    data = collection.dataset()
    records = list(data.engagements)
    shuffle.shuffle(records)

    def unordered(pairs: tuple[Overlap, ...]) -> set[tuple[frozenset[str], int | None]]:
        return {(frozenset((p.first, p.second)), p.days) for p in pairs}

    assert unordered(find_overlaps(records, data=data).pairs) == unordered(
        find_overlaps(data.engagements, data=data).pairs
    )


@settings(max_examples=100)
@given(mas.collections(max_engagements=12), st.integers(1, 200))
def test_shared_period_lies_inside_both(
    collection: mas.Collection, min_days: int
) -> None:
    data = collection.dataset()
    for pair in find_overlaps(data.engagements, data=data, min_days=min_days):
        assert pair.period is not None and pair.days is not None
        assert pair.days >= min_days
        for engagement_id in (pair.first, pair.second):
            days = days_of(data.engagement(engagement_id))
            span = pair.period.certain_span()
            assert span is not None
            assert span[0].toordinal() in days
            assert span[1].toordinal() in days


@settings(max_examples=60)
@given(mas.collections(currencies=["EUR"], max_engagements=10))
def test_comparing_a_donor_with_itself_and_swapping(collection: mas.Collection) -> None:
    data = collection.dataset()
    roots = [o.id for o in collection.organisations if o.parent is None]
    a = roots[0]
    same = compare_donors(data, a, a)
    assert same.a == same.b
    assert same.similarity == 1
    assert same.overlaps == ()
    b = roots[-1]
    forward, backward = compare_donors(data, a, b), compare_donors(data, b, a)
    assert forward.a == backward.b
    assert forward.b == backward.a
    assert forward.similarity == backward.similarity
    assert forward.shared_sectors == backward.shared_sectors
