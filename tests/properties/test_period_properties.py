"""Invariants of Period that must hold for every span."""

from __future__ import annotations

from datetime import date, timedelta
from fractions import Fraction

from hypothesis import given

from mali_aid import Period
from mali_aid import strategies as mas


@given(mas.periods())
def test_text_round_trips(period: Period) -> None:
    assert Period.parse(str(period)) == period


@given(mas.periods(), mas.periods())
def test_overlap_is_symmetric(a: Period, b: Period) -> None:
    assert a.overlaps(b) == b.overlaps(a)
    assert a.intersection(b) == b.intersection(a)


@given(mas.periods(), mas.periods())
def test_intersection_lies_inside_both(a: Period, b: Period) -> None:
    shared = a.intersection(b)
    if shared is None:
        assert not a.overlaps(b)
        return
    assert a.contains(shared)
    assert b.contains(shared)
    assert shared.days is not None
    assert shared.days >= 1


@given(mas.periods(bounded=True), mas.periods(bounded=True))
def test_overlap_agrees_with_day_sets(a: Period, b: Period) -> None:
    assert a.start is not None and a.end is not None
    assert b.start is not None and b.end is not None
    latest_start = max(a.start, b.start)
    earliest_end = min(a.end, b.end)
    assert a.overlaps(b) == (latest_start <= earliest_end)
    shared = a.intersection(b)
    if shared is not None:
        assert shared.days == (earliest_end - latest_start).days + 1


@given(mas.periods(bounded=True))
def test_year_shares_sum_to_one(period: Period) -> None:
    shares = period.split_by_year()
    assert sum(shares.values()) == Fraction(1)
    assert all(share > 0 for share in shares.values())
    assert tuple(shares) == period.years


@given(mas.periods(bounded=True))
def test_year_days_sum_to_the_days(period: Period) -> None:
    assert sum(period.year_days().values()) == period.days


@given(mas.periods(bounded=True))
def test_days_count_both_ends(period: Period) -> None:
    assert period.start is not None and period.end is not None
    assert period.contains(period.start)
    assert period.contains(period.end)
    assert not period.contains(period.end + timedelta(days=1))
    assert period.days == sum(1 for _ in _each_day(period.start, period.end))


def _each_day(start: date, end: date):  # type: ignore[no-untyped-def]
    day = start
    while day <= end:
        yield day
        day += timedelta(days=1)
