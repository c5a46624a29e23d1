"""mali_aid.testing: the oracle and the assertions for users' aggregations."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mali_aid import (
    DataError,
    Money,
    totals,
)
from mali_aid.testing import assert_totals_equal, compare_totals, reference_totals
from worlds import eur, funded, world

DATA = world(
    funded("lu-1", eur("100"), title="A programme"),
    funded("ch-1", funder="CH", title="No amount"),
)
EXPECTED = reference_totals(DATA.engagements, by="donor", currency="EUR", data=DATA)


def test_the_reference_is_the_package_totals() -> None:
    assert totals(DATA.engagements, by="donor", currency="EUR", data=DATA) == EXPECTED
    assert EXPECTED.best("LU") == Money("100.00", "EUR")


def test_equal_figures_pass_and_unknown_may_be_absent_or_none() -> None:
    assert compare_totals({"LU": Money("100.00", "EUR")}, EXPECTED) == []
    assert compare_totals({"LU": Decimal("100"), "CH": None}, EXPECTED) == []
    assert_totals_equal({"LU": "100.00"}, EXPECTED)


def test_a_zero_for_an_unknown_figure_is_a_difference() -> None:
    (difference,) = compare_totals({"LU": 100, "CH": 0}, EXPECTED)
    assert difference.key == "CH"
    assert difference.expected is None
    assert difference.actual == Money("0", "EUR")


def test_the_message_names_each_key_and_the_gap() -> None:
    with pytest.raises(AssertionError) as raised:
        assert_totals_equal({"LU": Money("99.99", "EUR"), "BE": 5}, EXPECTED)
    assert str(raised.value) == (
        "2 keys differ from the reference totals:\n"
        "  'LU': expected EUR 100.00, got EUR 99.99 (off by -0.01)\n"
        "  'BE': not in the reference, got EUR 5"
    )


def test_missing_keys_other_currencies_and_a_tolerance() -> None:
    (missing,) = compare_totals({}, EXPECTED)
    assert (missing.key, missing.reason) == ("LU", "expected EUR 100.00, missing")
    (other,) = compare_totals({"LU": Money("100", "USD")}, EXPECTED)
    assert other.reason == "expected EUR 100.00, got USD 100"
    assert compare_totals({"LU": Decimal("100.01")}, EXPECTED, tolerance="0.01") == []
    (off,) = compare_totals({"LU": Decimal("100.02")}, EXPECTED, tolerance="0.01")
    assert off.by == Decimal("0.02")


def test_floats_are_refused_as_inexact() -> None:
    with pytest.raises(DataError, match="never a float"):
        compare_totals({"LU": 100.0}, EXPECTED)
