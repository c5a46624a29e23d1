"""Invariants of totals() on random consistent collections."""

from __future__ import annotations

import random
from datetime import date
from decimal import Decimal
from fractions import Fraction

import attrs
from hypothesis import given, settings
from hypothesis import strategies as st

from mali_aid import (
    Amount,
    AmountKind,
    Dataset,
    Engagement,
    Money,
    Period,
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


@settings(max_examples=60)
@given(
    mas.collections(**CONVERTIBLE),  # type: ignore[arg-type]
    st.lists(st.sampled_from(DIMENSIONS), min_size=1, max_size=2, unique=True),
    st.sampled_from(["EUR", "XOF", "USD"]),
)
def test_groups_sum_to_the_grand_total(
    collection: mas.Collection, by: list[str], currency: str
) -> None:
    data = collection.dataset()
    result = totals(data.engagements, by=tuple(by), currency=currency, data=data)
    assert sum(result.values(), Money("0", currency)) == result.grand_total
    ids = [e.id for e in data.engagements]
    counted = {e.id for e in data.engagements if contributing_amounts(e)}
    # Every engagement is counted, or named as unknown or unconverted.
    assert set(result.unknown) == set(ids) - counted
    assert set(result.unconverted) <= counted


@settings(max_examples=60)
@given(mas.collections(**CONVERTIBLE), st.randoms())  # type: ignore[arg-type]
def test_independent_of_input_order(
    collection: mas.Collection, shuffle: random.Random
) -> None:
    data = collection.dataset()
    records = list(data.engagements)
    shuffle.shuffle(records)
    once = totals(data.engagements, by=("donor", "year"), currency="EUR", data=data)
    again = totals(records, by=("donor", "year"), currency="EUR", data=data)
    assert dict(once) == dict(again)
    assert once.grand_total == again.grand_total
    assert dict(once.qualifiers) == dict(again.qualifiers)
    assert set(once.unknown) == set(again.unknown)


def _top_level_sum(engagements: tuple[Engagement, ...]) -> Fraction:
    """Σ of the counted amounts of engagements with no counted ancestor."""
    by_id = {e.id: e for e in engagements}
    counted = {e.id for e in engagements if contributing_amounts(e)}
    total = Fraction(0)
    for record in engagements:
        if record.id not in counted:
            continue
        parent = record.part_of
        covered = False
        while parent is not None:
            if parent in counted:
                covered = True
                break
            parent = by_id[parent].part_of
        if not covered:
            total += sum(Fraction(a.money.amount) for a in contributing_amounts(record))
    return total


@settings(max_examples=80)
@given(mas.collections(currencies=["EUR"], **CONVERTIBLE), st.sampled_from(DIMENSIONS))  # type: ignore[arg-type]
def test_money_is_neither_created_nor_lost(collection: mas.Collection, by: str) -> None:
    # Shares, splits, spreading and parent remainders all preserve the sum:
    # each flow of money counts once, under whatever key.
    data = collection.dataset()
    result = totals(data.engagements, by=by, currency="EUR", data=data)
    expected = _top_level_sum(data.engagements)
    assert result.grand_total.amount == Decimal(round(expected * 100)).scaleb(-2)


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
    assert result.grand_total == money.rounded()
    assert sum(result.values(), Money("0", money.currency)) == money.rounded()


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
    direct = totals(
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
        native[code] = totals(
            only, by="year", currency=code, data=data, rates=rates, kinds=every_kind
        )
    for year, amount in direct.items():
        if year is None:
            continue
        indirect = sum(
            (
                Fraction(native[code][year].amount)
                * rates.factor(code, "EUR", year=year)
                for code in currencies
                if year in native[code]
            ),
            Fraction(0),
        )
        # One route rounds once per currency, then converts; the other rounds
        # once at the end. Rounding that preserves a sum moves each figure by
        # less than one minor unit, so the routes differ by less than that.
        tolerance = Fraction(1, 100) + sum(
            (
                Fraction(1, 10 ** minor_unit(code))
                * rates.factor(code, "EUR", year=year)
                for code in currencies
            ),
            Fraction(0),
        )
        assert abs(Fraction(amount.amount) - indirect) <= tolerance
