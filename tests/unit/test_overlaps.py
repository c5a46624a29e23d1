"""Examples for find_overlaps(): time, place through the gazetteer, sector."""

from __future__ import annotations

import attrs
import pytest

from mali_aid import (
    DataError,
    Dataset,
    Engagement,
    Organisation,
    Participant,
    Period,
    Place,
    PlaceShare,
    SectorShare,
    find_overlaps,
    iter_overlaps,
)

DATA = Dataset(
    organisations=[
        Organisation(id="BE", name="Belgium", kind="state"),
        Organisation(id="LU", name="Luxembourg", kind="state"),
        Organisation(
            id="be-defence", name="Belgian Defence", kind="armed-forces", parent="BE"
        ),
    ],
    places=[
        Place(id="ML", name="Mali", level="country"),
        Place(id="sikasso-region", name="Sikasso", level="region", parent="ML"),
        Place(id="yorosso", name="Yorosso", level="cercle", parent="sikasso-region"),
        Place(
            id="sikasso-cercle", name="Sikasso", level="cercle", parent="sikasso-region"
        ),
        Place(id="sikasso-city", name="Sikasso", level="city", parent="sikasso-cercle"),
        Place(id="segou-region", name="Ségou", level="region", parent="ML"),
    ],
)


def engagement(
    id: str,
    funder: str | None,
    period: str | None,
    places: tuple[str, ...],
    sectors: tuple[str, ...] = ("rural",),
    **fields: object,
) -> Engagement:
    return Engagement(
        id=id,
        title=id,
        kind="programme",
        participants=[Participant(organisation=funder, role="funding")]
        if funder
        else [],
        period=None if period is None else Period.parse(period),
        places=[PlaceShare(place=p) for p in places],
        sectors=[SectorShare(sector=s) for s in sectors],
        **fields,  # type: ignore[arg-type]
    )


BELGIUM = engagement("be", "BE", "2009/2014", ("sikasso-city",))
LUXEMBOURG = engagement(
    "lu", "LU", "2013-06/2016", ("sikasso-region",), ("rural", "water")
)
YOROSSO = engagement("lu-yorosso", "LU", "2014", ("yorosso",))
SEGOU = engagement("be-segou", "BE", "2010", ("segou-region",))


def test_meets_in_the_more_specific_place_and_the_shared_time() -> None:
    result = find_overlaps([BELGIUM, LUXEMBOURG], data=DATA)
    assert len(result) == 1
    pair = result[0]
    assert (pair.first, pair.second) == ("be", "lu")
    assert pair.places == ("sikasso-city",)
    assert pair.sectors == ("rural",)
    assert pair.period == Period.parse("2013-06-01/2014-12-31")
    assert pair.days == 579  # 30+31+31+30+31+30+31 days of 2013, then 365
    assert pair.time_basis == ("period", "period")


def test_sibling_places_do_not_meet() -> None:
    assert len(find_overlaps([BELGIUM, YOROSSO], data=DATA)) == 0
    # ... but both lie in the region, which meets each of them.
    result = find_overlaps([BELGIUM, YOROSSO, LUXEMBOURG], data=DATA, between="all")
    assert {(pair.first, pair.second) for pair in result} == {
        ("be", "lu"),
        ("lu-yorosso", "lu"),
    }


def test_different_regions_do_not_meet() -> None:
    assert len(find_overlaps([SEGOU, LUXEMBOURG], data=DATA)) == 0
    assert (
        len(find_overlaps([SEGOU, LUXEMBOURG], data=DATA, on=("time", "sector"))) == 0
    )
    assert len(find_overlaps([SEGOU, YOROSSO], data=DATA, on=("sector",))) == 1


def test_disjoint_periods_do_not_meet() -> None:
    later = engagement("lu-later", "LU", "2015/2019", ("sikasso-city",))
    assert len(find_overlaps([BELGIUM, later], data=DATA)) == 0
    assert len(find_overlaps([BELGIUM, later], data=DATA, on=("place", "sector"))) == 1


def test_same_donor_pairs_only_when_asked() -> None:
    belgian_defence = engagement("be-2", "be-defence", "2012", ("sikasso-region",))
    assert len(find_overlaps([BELGIUM, belgian_defence], data=DATA)) == 0
    assert len(find_overlaps([BELGIUM, belgian_defence], data=DATA, between="all")) == 1


def test_an_unknown_donor_differs_from_every_donor() -> None:
    unknown_a = engagement("x", None, "2012", ("sikasso-city",))
    unknown_b = engagement("y", None, "2012", ("sikasso-city",))
    result = find_overlaps([BELGIUM, unknown_a, unknown_b], data=DATA)
    assert {(pair.first, pair.second) for pair in result} == {
        ("be", "x"),
        ("be", "y"),
        ("x", "y"),
    }


def test_parts_parents_and_successors_are_not_overlaps() -> None:
    part = engagement("be-part", "LU", "2012", ("sikasso-city",), part_of="be")
    grandchild = engagement(
        "be-grandchild", None, "2012", ("sikasso-city",), part_of="be-part"
    )
    successor = engagement(
        "be-next", "be-defence", "2012", ("sikasso-city",), follows="be"
    )
    result = find_overlaps([BELGIUM, part, grandchild, successor], data=DATA)
    assert {(pair.first, pair.second) for pair in result} == {
        ("be-part", "be-next"),
        ("be-grandchild", "be-next"),
    }
    assert all("be" not in (pair.first, pair.second) for pair in result)


def test_min_days() -> None:
    june = engagement("lu-june", "LU", "2014-06", ("sikasso-city",))
    assert find_overlaps([BELGIUM, june], data=DATA, min_days=30)[0].days == 30
    assert len(find_overlaps([BELGIUM, june], data=DATA, min_days=31)) == 0


def test_active_years_stand_in_for_an_unknown_period() -> None:
    seen = engagement("lu-seen", "LU", None, ("sikasso-city",), active_in=[2016, 2017])
    unknown = engagement("lu-undated", "LU", None, ("sikasso-city",))
    ended = engagement("lu-ended", "LU", "../2014-06", ("sikasso-city",))
    result = find_overlaps(
        [BELGIUM, seen, unknown, ended, LUXEMBOURG], data=DATA, between="all"
    )
    pairs = {(pair.first, pair.second): pair for pair in result}
    assert pairs[("lu-seen", "lu")].time_basis == ("active_in", "period")
    assert pairs[("lu-seen", "lu")].period == Period.parse("2016-01-01/2016-12-31")
    assert pairs[("be", "lu-ended")].period == Period.parse("2014-06-01/2014-06-30")
    assert ("be", "lu-seen") not in pairs
    assert result.undated == ("lu-undated",)


def test_without_time_nothing_is_undated() -> None:
    unknown = engagement("lu-undated", "LU", None, ("sikasso-city",))
    result = find_overlaps([BELGIUM, unknown], data=DATA, on=("place",))
    assert result.undated == ()
    assert result[0].period is None
    assert result[0].days is None


def test_order_follows_the_input_and_iter_gives_the_same() -> None:
    records = [LUXEMBOURG, YOROSSO, BELGIUM]
    result = find_overlaps(records, data=DATA, between="all")
    assert [(p.first, p.second) for p in result] == [("lu", "lu-yorosso"), ("lu", "be")]
    assert list(iter_overlaps(records, data=DATA, between="all")) == list(result)


def test_refuses_bad_arguments() -> None:
    with pytest.raises(DataError, match="colour"):
        find_overlaps([BELGIUM], data=DATA, on=("colour",))  # type: ignore[arg-type]
    with pytest.raises(DataError, match="min_days"):
        find_overlaps([BELGIUM], data=DATA, min_days=0)
    with pytest.raises(DataError, match="between"):
        find_overlaps([BELGIUM], data=DATA, between="nobody")  # type: ignore[arg-type]


def test_an_area_under_a_place_cannot_also_group_it() -> None:
    # The counterexample of test_equals_the_all_pairs_check: an area whose
    # parent is a city, the city grouped into that area. Each then lay in the
    # other, so find_overlaps() dropped both as "less specific" (places=())
    # while the all-pairs check kept one. Such a loop is refused at build.
    places = [
        Place(id="ML", name="Mali", level="country"),
        Place(id="place-3", name="City", level="city", parent="ML", areas=["place-6"]),
        Place(id="place-6", name="Quarter", level="area", parent="place-3"),
    ]
    with pytest.raises(DataError) as caught:
        Dataset(places=places)
    assert caught.value.reason == (
        "areas makes a loop: place-3 -> place-6 -> place-3"
        " (an area cannot lie in a place grouped into it)"
    )
    # Without the loop, the area of the city is where the two meet.
    data = Dataset(
        organisations=DATA.organisations,
        places=[places[0], attrs.evolve(places[1], areas=()), places[2]],
    )
    city = engagement("in-city", "BE", None, ("place-3",))
    quarter = engagement("in-quarter", "LU", None, ("place-6",))
    (pair,) = find_overlaps([city, quarter], data=data, on=("place", "sector"))
    assert pair.places == ("place-6",)
