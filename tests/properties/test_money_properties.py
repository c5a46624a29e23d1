"""Invariants of Money that must hold for every amount."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mali_aid import CurrencyMismatchError, Money
from mali_aid import strategies as mas

euros = mas.money(currencies=["EUR"], min_value=-(10**12))
any_money = mas.money(min_value=-(10**12))


@given(euros, euros)
def test_addition_is_commutative(a: Money, b: Money) -> None:
    assert a + b == b + a


@given(euros, euros, euros)
def test_addition_is_associative(a: Money, b: Money, c: Money) -> None:
    assert (a + b) + c == a + (b + c)


@given(euros, euros)
def test_subtraction_undoes_addition(a: Money, b: Money) -> None:
    assert (a + b) - b == a
    assert a - a == Money("0", "EUR")
    negated = -a
    assert -negated == a


@given(st.lists(euros, max_size=20))
def test_sum_equals_the_sum_of_amounts(parts: list[Money]) -> None:
    if not parts:
        return
    assert sum(parts).amount == sum((part.amount for part in parts), Decimal(0))


@given(any_money, any_money)
def test_mixed_currencies_always_raise(a: Money, b: Money) -> None:
    if a.currency == b.currency:
        assert (a + b).currency == a.currency
        return
    for operation in (
        lambda: a + b,
        lambda: a - b,
        lambda: a < b,
        lambda: a >= b,
        lambda: a / b,
    ):
        with pytest.raises(CurrencyMismatchError):
            operation()


@given(
    any_money,
    st.lists(
        st.one_of(
            st.integers(0, 1000),
            st.fractions(min_value=0, max_value=1000),
            st.decimals(min_value=0, max_value=1000, places=3),
        ),
        min_size=1,
        max_size=12,
    ).filter(lambda weights: sum(Fraction(w) for w in weights) > 0),
)
def test_allocation_sums_exactly_to_the_whole(
    money: Money, weights: list[int | Fraction | Decimal]
) -> None:
    parts = money.allocate(weights)
    assert len(parts) == len(weights)
    assert sum(parts) == money
    assert all(part.currency == money.currency for part in parts)
    exponent = min(-money.minor_unit, money.amount.as_tuple().exponent)  # type: ignore[type-var]
    quantum = Decimal(1).scaleb(exponent)
    total = sum(Fraction(w) for w in weights)
    for part, weight in zip(parts, weights, strict=True):
        # Each part is a whole number of the smallest unit ...
        assert part.amount % quantum == 0
        # ... and within one unit of its exact share.
        exact = Fraction(money.amount) * Fraction(weight) / total
        assert abs(Fraction(part.amount) - exact) < Fraction(quantum)


@given(any_money)
def test_text_round_trips(money: Money) -> None:
    assert Money.parse(str(money), decimal_mark=".") == money


@given(any_money, st.integers(1, 1000))
def test_division_is_within_half_a_minor_unit(money: Money, divisor: int) -> None:
    result = money / divisor
    exact = Fraction(money.amount) / divisor
    assert abs(Fraction(result.amount) - exact) <= Fraction(1, 2 * 10**money.minor_unit)


@given(any_money)
def test_pint_view_round_trips(money: Money) -> None:
    assert Money.from_quantity(money.quantity) == money
