"""Invariants of totals() on random consistent collections."""

from __future__ import annotations

import random
from datetime import date
from fractions import Fraction

import attrs
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mali_aid import (
    Amount,
    AmountKind,
    Dataset,
    Engagement,
    Money,
    Period,
    Totals,
    default_rates,
    minor_unit,
    totals,
)
from mali_aid import strategies as mas
from mali_aid._aggregate import contributing_amounts

# Money the bundled rates can convert: periods and value dates from 1999 to 2025.
CONVERTIBLE = {"min_date": date(1999, 1, 4), "max_date": date(2025, 12, 31)}
DIMENSIONS = [
    "donor",
    "channel",
    "sector",
    "place",
    "year",
    "implementer",
    "status",
    "kind",
]


def total_of(engagements: object, **options: object) -> Totals:
    """``totals()``: the strategies draw parts that fit inside their
    containers, so none is refused."""
    return totals(engagements, **options)  # type: ignore[arg-type]


def in_units(money: Money | None) -> int | None:
    if money is None:
        return None
    return int(money.amount.scaleb(minor_unit(money.currency)))


@settings(max_examples=60)
@given(
    mas.collections(**CONVERTIBLE),  # type: ignore[arg-type]
    st.lists(st.sampled_from(DIMENSIONS), min_size=1, max_size=2, unique=True),
    st.sampled_from(["EUR", "XOF", "USD"]),
)
def test_cells_sum_to_the_total_bounds_included(
    collection: mas.Collection, by: list[str], currency: str
) -> None:
    data = collection.dataset()
    result = total_of(data.engagements, by=tuple(by), currency=currency, data=data)
    cells = list(result.values())
    known = [in_units(cell.best) for cell in cells if cell.best is not None]
    assert in_units(result.total.best) == (sum(known) if known else None)  # type: ignore[arg-type]
    assert in_units(result.total.low) == sum(in_units(c.low) for c in cells)  # type: ignore[misc]
    highs = [in_units(cell.high) for cell in cells]
    assert in_units(result.total.high) == (None if None in highs else sum(highs))  # type: ignore[arg-type]
    ids = [e.id for e in data.engagements]
    counted = {e.id for e in data.engagements if contributing_amounts(e)}
    # Every engagement is counted, or named as unknown or unconverted.
    assert set(result.unknown) == set(ids) - counted
    assert set(result.unconverted) <= counted


@settings(max_examples=60)
@given(
    mas.collections(**CONVERTIBLE),  # type: ignore[arg-type]
    st.lists(st.sampled_from(DIMENSIONS), min_size=1, max_size=2, unique=True),
)
def test_no_cell_is_negative_and_bounds_hold_the_figure(
    collection: mas.Collection, by: list[str]
) -> None:
    data = collection.dataset()
    result = total_of(data.engagements, by=tuple(by), currency="EUR", data=data)
    for cell in (*result.values(), result.total):
        assert cell.low.amount >= 0
        if cell.best is not None:
            assert cell.low <= cell.best
            assert cell.high is None or cell.best <= cell.high
        else:
            # Unknown is never shown as a figure, and never as zero.
            assert cell.qualifier is None
        if cell.unknown:
            assert cell.high is None


@settings(max_examples=60)
@given(mas.collections(**CONVERTIBLE), st.randoms())  # type: ignore[arg-type]
def test_independent_of_input_order(
    collection: mas.Collection, shuffle: random.Random
) -> None:
    data = collection.dataset()
    records = list(data.engagements)
    shuffle.shuffle(records)
    once = total_of(data.engagements, by=("donor", "year"), currency="EUR", data=data)
    again = total_of(records, by=("donor", "year"), currency="EUR", data=data)
    assert {
        key: attrs.evolve(
            cell,
            unknown=frozenset(cell.unknown),
            unconverted=frozenset(cell.unconverted),
        )
        for key, cell in once.items()
    } == {
        key: attrs.evolve(
            cell,
            unknown=frozenset(cell.unknown),
            unconverted=frozenset(cell.unconverted),
        )
        for key, cell in again.items()
    }
    assert once.total.best == again.total.best
    assert set(once.unknown) == set(again.unknown)


def _pieces(record: Engagement) -> int:
    """How many pieces a year's figure of an engagement may be made of."""
    return (
        max(1, len(record.funders))
        * max(1, len(record.sectors))
        * max(1, len(record.places))
        * max(1, len(record.implementers))
    )


SELECTABLE = ["donor", "sector", "place", "year", "implementer", "channel"]


def _matches(data: Dataset, dimension: str, key: object, wanted: object) -> bool:
    """Whether a key of a total by ``dimension`` meets ``select(dimension=wanted)``."""
    if key is None:
        return False
    if dimension == "place":
        return data.lies_in(str(key), str(wanted))
    if dimension == "implementer":
        return str(wanted) in [
            org.id for org in (data.organisation(str(key)),)
        ] or wanted in _chain(data, str(key))
    return key == wanted


def _chain(data: Dataset, organisation: str) -> list[str]:
    chain = [organisation]
    while (parent := data.organisation(chain[-1]).parent) is not None:
        chain.append(parent)
    return chain


@settings(max_examples=80)
@given(mas.collections(**CONVERTIBLE), st.sampled_from(SELECTABLE), st.data())  # type: ignore[arg-type]
def test_select_then_total_is_group_then_read(
    collection: mas.Collection, dimension: str, draw: st.DataObject
) -> None:
    # One question, one answer: a total of a selection counts the share of
    # each engagement that meets it, exactly what grouping by that dimension
    # gives for the keys it selects, to the cent, bounds and basis included.
    data = collection.dataset()
    grouped = total_of(data.engagements, by=dimension, currency="EUR", data=data)
    keys = [key for key in grouped if key is not None]
    assume(keys)
    key = draw.draw(st.sampled_from(keys), label="key")
    wanted = key
    if dimension == "place":
        # Any place the key lies in selects it too.
        wanted = draw.draw(
            st.sampled_from([key, *(p.id for p in data.ancestors(str(key)))]),
            label="place",
        )
    selected = total_of(
        data.select(**{dimension: wanted}), by=dimension, currency="EUR", data=data
    )
    expected = {
        k: cell for k, cell in grouped.items() if _matches(data, dimension, k, wanted)
    }
    assert dict(selected) == expected


@given(
    mas.money(currencies=["EUR", "XOF", "USD"], max_value=10**11),
    mas.periods(bounded=True, min_value=date(1999, 1, 4), max_value=date(2025, 12, 31)),
)
def test_spreading_sums_to_the_whole_to_the_cent(money: Money, period: Period) -> None:
    record = Engagement(
        id="x",
        title="x",
        kind="programme",
        period=period,
        amounts=[Amount(money=money, kind=AmountKind.BUDGET)],
    )
    data = Dataset()
    result = totals([record], by="year", currency=money.currency, data=data)
    assert tuple(result) == period.years
    assert result.total.best == money.rounded()
    assert sum(result.figures().values(), Money("0", money.currency)) == money.rounded()  # type: ignore[arg-type]


@settings(max_examples=40)
@given(mas.collections(value_dates=False, **CONVERTIBLE))  # type: ignore[arg-type]
def test_aggregate_then_convert_equals_convert_then_aggregate(
    collection: mas.Collection,
) -> None:
    # Every amount counts (all kinds) and no engagement is part of another,
    # so a total is the sum of its currencies' totals.
    records = [attrs.evolve(e, part_of=None) for e in collection.engagements]
    data = collection.dataset()
    rates = default_rates()
    every_kind = list(AmountKind)
    direct = total_of(
        records, by="year", currency="EUR", data=data, rates=rates, kinds=every_kind
    )
    # An engagement with an amount that has no year to convert at is left
    # out of the direct total whole; leave it out of the other route too.
    records = [e for e in records if e.id not in direct.unconverted]
    currencies = sorted({a.money.currency for e in records for a in e.amounts})
    native = {}
    for code in currencies:
        only = [
            attrs.evolve(
                e, amounts=tuple(a for a in e.amounts if a.money.currency == code)
            )
            for e in records
        ]
        native[code] = total_of(
            only, by="year", currency=code, data=data, rates=rates, kinds=every_kind
        )
    for year, cell in direct.items():
        amount = cell.best
        if year is None or amount is None:
            continue
        indirect = sum(
            (
                Fraction(native[code].best(year).amount)  # type: ignore[union-attr]
                * rates.factor(code, "EUR", year=year)
                for code in currencies
                if year in native[code] and native[code].best(year) is not None
            ),
            Fraction(0),
        )
        # Each engagement is rounded on its own, piece by piece (a piece per
        # donor, sector, place and implementer, then year), keeping its
        # total: a year's figure then lies within one minor unit per piece
        # of its exact value, on either route.
        pieces = sum(_pieces(record) for record in records)
        tolerance = Fraction(pieces, 100) + sum(
            (
                Fraction(pieces, 10 ** minor_unit(code))
                * rates.factor(code, "EUR", year=year)
                for code in currencies
            ),
            Fraction(0),
        )
        assert abs(Fraction(amount.amount) - indirect) <= tolerance
