"""Properties of the activity mapper over generated activities."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from hypothesis import given
from hypothesis import strategies as st

from mali_aid import (
    AmountKind,
    Period,
)

from .builders import activity, budget, only, sector, transaction

# -- properties ------------------------------------------------------------------------

CURRENCIES = ("EUR", "XOF", "USD", "CHF", "JPY")
TRANSACTION_KINDS = {
    "2": AmountKind.COMMITMENT,
    "3": AmountKind.DISBURSEMENT,
    "4": AmountKind.EXPENDITURE,
    "12": AmountKind.PLEDGE,
}


@st.composite
def written_amounts(draw: st.DrawFn) -> list[tuple[str, str, str, date, date | None]]:
    """Amounts as written: (element, code, value text, a date, value date)."""
    count = draw(st.integers(min_value=0, max_value=6))
    years = draw(
        st.lists(
            st.integers(min_value=1995, max_value=2035),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    written = []
    for year in years:
        element = draw(st.sampled_from(["budget", "transaction"]))
        code = (
            "1"
            if element == "budget"
            else draw(st.sampled_from(sorted(TRANSACTION_KINDS)))
        )
        units = draw(st.integers(min_value=-(10**15), max_value=10**15))
        places = draw(st.integers(min_value=0, max_value=4))
        text = str(Decimal(units).scaleb(-places))
        day = date(year, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
        value_date = draw(st.none() | st.just(day))
        written.append((element, code, text, day, value_date))
    return written


@given(written_amounts(), st.sampled_from(CURRENCIES), st.data())
def test_amounts_round_trip_exactly(
    written: list[tuple[str, str, str, date, date | None]],
    default: str,
    data: st.DataObject,
) -> None:
    Expected = tuple[AmountKind, Period | None, str, str, date | None]
    entries: list[tuple[str, Expected]] = []
    for element, code, text, day, value_date in written:
        currency = data.draw(st.none() | st.sampled_from(CURRENCIES))
        attributes = (f'currency="{currency}" ' if currency else "") + (
            f'value-date="{value_date.isoformat()}"' if value_date else ""
        )
        if element == "budget":
            start, end = date(day.year, 1, 1), date(day.year, 12, 31)
            xml = budget(
                start.isoformat(), end.isoformat(), text, value_attributes=attributes
            )
            kind = AmountKind.BUDGET
            period: Period | None = Period(start=start, end=end)
        else:
            xml = transaction(code, text, day=day.isoformat(), extra=attributes)
            kind = TRANSACTION_KINDS[code]
            spent = kind in {AmountKind.DISBURSEMENT, AmountKind.EXPENDITURE}
            period = Period(start=day, end=day) if spent else None
        entries.append((xml, (kind, period, text, currency or default, value_date)))
    # Written mixed; read as the budgets, then the transactions, each in order.
    engagement = only(
        activity(
            "".join(xml for xml, _ in entries),
            attributes=f'default-currency="{default}"',
        )
    )
    read_back = [
        (
            amount.kind,
            amount.period,
            str(amount.money.amount),
            amount.money.currency,
            amount.value_date,
        )
        for amount in engagement.amounts
    ]
    expected = [entry for _, entry in entries]
    assert read_back == [
        *(entry for entry in expected if entry[0] is AmountKind.BUDGET),
        *(entry for entry in expected if entry[0] is not AmountKind.BUDGET),
    ]


@given(
    st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=6),
    st.integers(min_value=0, max_value=2),
)
def test_percentages_written_with_rounding_always_sum_to_100(
    weights: list[int], places: int
) -> None:
    total = sum(weights)
    # Each share of 100 rounded to `places` decimals, as a publisher writes it.
    written = [
        Decimal(round(Fraction(100 * weight, total) * 10**places)).scaleb(-places)
        for weight in weights
    ]
    if any(value == 0 for value in written):
        return
    codes = [f"{11110 + 10 * index}" for index in range(len(weights))]
    engagement = only(
        activity(
            "".join(
                sector(code, str(value))
                for code, value in zip(codes, written, strict=True)
            )
        )
    )
    kept = [share.percentage for share in engagement.sectors]
    assert sum(value or 0 for value in kept) == 100
    # Scaled in proportion: each within one unit of its exact scaled value.
    written_total = sum(Fraction(value) for value in written)
    for before, after in zip(written, kept, strict=True):
        assert after is not None
        exact = Fraction(before) * 100 / written_total
        assert abs(Fraction(after) - exact) < Fraction(1, 10**places)
