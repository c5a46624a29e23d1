"""Examples for Money: construction, arithmetic, parsing, allocation."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from mali_aid import CurrencyMismatchError, DataError, MaliAidError, Money, minor_unit
from mali_aid.errors import DivisionByZeroError


class TestConstruction:
    def test_keeps_the_amount_exactly_as_given(self) -> None:
        money = Money("100.10", "EUR")
        assert money.amount == Decimal("100.10")
        assert money.amount.as_tuple().exponent == -2
        assert money.currency == "EUR"

    def test_accepts_int_and_decimal(self) -> None:
        assert Money(5, "XOF").amount == Decimal(5)
        assert Money(Decimal("2.5"), "EUR").amount == Decimal("2.5")

    @pytest.mark.parametrize("amount", [1.5, 0.1, float("nan")])
    def test_refuses_floats(self, amount: float) -> None:
        with pytest.raises(DataError, match="float"):
            Money(amount, "EUR")  # type: ignore[arg-type]

    @pytest.mark.parametrize("amount", ["NaN", "Infinity", "-inf", Decimal("NaN")])
    def test_refuses_nan_and_infinities(self, amount: str | Decimal) -> None:
        with pytest.raises(DataError, match="finite"):
            Money(amount, "EUR")

    @pytest.mark.parametrize("amount", [True, None, [1], "1,5", "abc"])
    def test_refuses_other_amounts(self, amount: object) -> None:
        with pytest.raises(DataError):
            Money(amount, "EUR")  # type: ignore[arg-type]

    @pytest.mark.parametrize("code", ["eur", "EURO", "ZZZ", "", "XAU", 978])
    def test_refuses_unknown_currencies(self, code: object) -> None:
        with pytest.raises(DataError, match="currency"):
            Money("1", code)  # type: ignore[arg-type]

    def test_errors_belong_to_the_package_and_to_value_error(self) -> None:
        with pytest.raises(MaliAidError):
            Money(1.0, "EUR")  # type: ignore[arg-type]
        with pytest.raises(ValueError, match="ZZZ"):
            Money("1", "ZZZ")

    def test_is_frozen_and_hashable(self) -> None:
        money = Money("1", "EUR")
        with pytest.raises(AttributeError):
            money.amount = Decimal(2)  # type: ignore[misc]
        assert hash(money) == hash(Money("1.00", "EUR"))
        assert len({Money("1", "EUR"), Money("1.00", "EUR"), Money("1", "CHF")}) == 2

    def test_repr_and_str(self) -> None:
        assert repr(Money("50500000", "EUR")) == "Money('50500000', 'EUR')"
        assert str(Money("4.50", "CHF")) == "4.50 CHF"
        assert str(Money(Decimal("1E+6"), "EUR")) == "1000000 EUR"
        assert f"{Money('50500000', 'EUR'):,}" == "50,500,000 EUR"


class TestArithmetic:
    def test_adds_and_subtracts_within_one_currency(self) -> None:
        assert Money("50.5", "EUR") + Money("4.25", "EUR") == Money("54.75", "EUR")
        assert Money("1", "EUR") - Money("2.5", "EUR") == Money("-1.5", "EUR")
        assert -Money("3", "XOF") == Money("-3", "XOF")
        assert abs(Money("-3", "XOF")) == Money("3", "XOF")

    def test_sum_starts_from_zero(self) -> None:
        parts = [Money("0.10", "EUR"), Money("0.20", "EUR"), Money("0.30", "EUR")]
        assert sum(parts) == Money("0.60", "EUR")

    @pytest.mark.parametrize(
        "operation",
        [
            lambda a, b: a + b,
            lambda a, b: a - b,
            lambda a, b: a < b,
            lambda a, b: a <= b,
            lambda a, b: a > b,
            lambda a, b: a >= b,
            lambda a, b: a / b,
            lambda a, b: sum([a, b]),
        ],
    )
    def test_never_mixes_currencies(self, operation: object) -> None:
        with pytest.raises(CurrencyMismatchError, match="EUR and CAD"):
            operation(Money("1", "EUR"), Money("1", "CAD"))  # type: ignore[operator]

    def test_equality_across_currencies_is_false_not_an_error(self) -> None:
        assert Money("1", "EUR") != Money("1", "CHF")

    def test_compares_within_one_currency(self) -> None:
        assert Money("1", "EUR") < Money("1.01", "EUR")
        assert max(Money("3", "EUR"), Money("7", "EUR")) == Money("7", "EUR")

    def test_multiplies_by_numbers_exactly(self) -> None:
        assert Money("50.5", "EUR") * 3 == Money("151.5", "EUR")
        assert Decimal("0.5") * Money("655.957", "EUR") == Money("327.9785", "EUR")

    def test_refuses_to_multiply_by_float_or_money(self) -> None:
        with pytest.raises(TypeError):
            Money("1", "EUR") * 1.5  # type: ignore[operator]
        with pytest.raises(TypeError):
            Money("1", "EUR") * Money("1", "EUR")  # type: ignore[operator]

    def test_division_rounds_half_to_even_to_the_minor_unit(self) -> None:
        assert Money("100.00", "EUR") / 3 == Money("33.33", "EUR")
        assert Money("0.25", "EUR") / 10 == Money("0.02", "EUR")  # 0.025 -> 0.02
        assert Money("0.35", "EUR") / 10 == Money("0.04", "EUR")  # 0.035 -> 0.04
        assert Money("5", "XOF") / 2 == Money("2", "XOF")
        assert Money("7", "XOF") / 2 == Money("4", "XOF")

    def test_ratio_of_two_amounts_is_exact(self) -> None:
        assert Money("1", "EUR") / Money("3", "EUR") == Fraction(1, 3)

    def test_division_by_zero(self) -> None:
        # The package's own error, still a ZeroDivisionError.
        with pytest.raises(DivisionByZeroError) as by_number:
            Money("1", "EUR") / 0
        assert isinstance(by_number.value, ZeroDivisionError)
        assert isinstance(by_number.value, MaliAidError)
        with pytest.raises(DivisionByZeroError):
            Money("1", "EUR") / Money("0", "EUR")

    def test_rounded(self) -> None:
        assert Money("2.675", "EUR").rounded() == Money("2.68", "EUR")
        assert Money("2.665", "EUR").rounded() == Money("2.66", "EUR")
        assert Money("1500.5", "XOF").rounded() == Money("1500", "XOF")
        assert Money("1.23456", "USD").rounded(3) == Money("1.235", "USD")


class TestAllocate:
    def test_the_first_parts_take_the_leftover_cent(self) -> None:
        assert Money("100.00", "EUR").allocate([1, 1, 1]) == (
            Money("33.34", "EUR"),
            Money("33.33", "EUR"),
            Money("33.33", "EUR"),
        )

    def test_xof_has_no_minor_unit(self) -> None:
        assert Money("10", "XOF").allocate([1, 2]) == (
            Money("3", "XOF"),
            Money("7", "XOF"),
        )
        assert minor_unit("XOF") == 0
        assert minor_unit("EUR") == 2

    def test_largest_remainder_wins(self) -> None:
        # 1.00 by 1:5 is 0.1666.. and 0.8333..: the first has the larger remainder.
        assert Money("1.00", "EUR").allocate([1, 5]) == (
            Money("0.17", "EUR"),
            Money("0.83", "EUR"),
        )

    def test_fraction_and_decimal_weights(self) -> None:
        assert Money("50500000", "EUR").allocate([Fraction(1, 2), Decimal("0.5")]) == (
            Money("25250000", "EUR"),
            Money("25250000", "EUR"),
        )

    def test_negative_amounts(self) -> None:
        assert Money("-1.00", "EUR").allocate([1, 1, 1]) == (
            Money("-0.34", "EUR"),
            Money("-0.33", "EUR"),
            Money("-0.33", "EUR"),
        )

    def test_finer_amount_than_the_minor_unit_keeps_its_digits(self) -> None:
        assert Money("0.005", "EUR").allocate([1, 1]) == (
            Money("0.003", "EUR"),
            Money("0.002", "EUR"),
        )

    def test_zero_weights_get_nothing(self) -> None:
        assert Money("1.00", "EUR").allocate([0, 1]) == (
            Money("0", "EUR"),
            Money("1.00", "EUR"),
        )

    @pytest.mark.parametrize("weights", [[], [0, 0], [-1, 2], [1.5], [True]])
    def test_refuses_bad_weights(self, weights: list[object]) -> None:
        with pytest.raises(DataError):
            Money("1", "EUR").allocate(weights)  # type: ignore[arg-type]


class TestParse:
    @pytest.mark.parametrize(
        ("text", "amount", "currency"),
        [
            ("50.5 million EUR", "50500000", "EUR"),
            ("EUR 250,000", "250000", "EUR"),
            ("€4 million", "4000000", "EUR"),
            ("€50.5 million", "50500000", "EUR"),
            ("55 million euros", "55000000", "EUR"),
            ("42 millions d'euros", "42000000", "EUR"),
            ("4 millions d’euros", "4000000", "EUR"),
            (
                "more than 2.6 million euros".removeprefix("more than "),
                "2600000",
                "EUR",
            ),
            ("1,234.56 USD", "1234.56", "USD"),
            ("CHF 12", "12", "CHF"),
            ("1000 XOF", "1000", "XOF"),
            ("1 000 000 FCFA", "1000000", "XOF"),
            ("£3", "3", "GBP"),
        ],
    )
    def test_default_convention(self, text: str, amount: str, currency: str) -> None:
        parsed = Money.parse(text)
        assert parsed == Money(amount, currency)
        assert parsed.currency == currency

    def test_keeps_digits_as_written(self) -> None:
        assert Money.parse("EUR 250,000.00").amount.as_tuple().exponent == -2

    def test_a_lone_point_before_three_digits_is_ambiguous(self) -> None:
        with pytest.raises(DataError, match="ambiguous"):
            Money.parse("250.000 euros")

    def test_named_conventions_settle_the_ambiguity(self) -> None:
        assert Money.parse("250.000 euros", decimal_mark=",") == Money("250000", "EUR")
        assert Money.parse("250.000 euros", decimal_mark=".") == Money("250", "EUR")
        assert Money.parse("21,90 EUR", decimal_mark=",") == Money("21.90", "EUR")
        assert Money.parse("1.234.567,89 EUR", decimal_mark=",") == Money(
            "1234567.89", "EUR"
        )

    @pytest.mark.parametrize(
        "text",
        [
            "",
            "EUR",
            "12",
            "12 EUR USD",
            "$12",
            "12 ZZZ",
            "1,23 EUR",
            "1.2.3 EUR",
            "12,3456 EUR",
            "1. EUR",
            "١٢ EUR",
        ],
    )
    def test_refuses_what_it_cannot_read(self, text: str) -> None:
        with pytest.raises(DataError):
            Money.parse(text)

    def test_refuses_non_text(self) -> None:
        with pytest.raises(DataError):
            Money.parse(12)  # type: ignore[arg-type]


class TestQuantity:
    def test_round_trips_through_pint_exactly(self) -> None:
        money = Money("50500000.10", "EUR")
        quantity = money.quantity
        assert isinstance(quantity.magnitude, Decimal)
        assert str(quantity.units) == "EUR"
        assert Money.from_quantity(quantity) == money

    def test_pint_itself_refuses_to_add_two_currencies(self) -> None:
        import pint

        with pytest.raises(pint.DimensionalityError):
            Money("1", "EUR").quantity + Money("1", "CAD").quantity

    def test_pint_adds_one_currency(self) -> None:
        total = Money("1.10", "EUR").quantity + Money("2.20", "EUR").quantity
        assert Money.from_quantity(total) == Money("3.30", "EUR")

    def test_from_quantity_refuses_a_product_of_currencies(self) -> None:
        product = Money("2", "EUR").quantity * Money("3", "EUR").quantity
        with pytest.raises(CurrencyMismatchError):
            Money.from_quantity(product)
