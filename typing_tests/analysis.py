"""Totals, overlaps, comparisons and rates as users call them, checked by
``mypy --strict``, never run."""

from __future__ import annotations

from datetime import date
from fractions import Fraction
from typing import assert_type

import mali_aid
from mali_aid import (
    Cell,
    DonorComparison,
    Money,
    Overlap,
    Overlaps,
    Qualifier,
    Rates,
    Totals,
    compare_donors,
    default_rates,
    find_overlaps,
    iter_overlaps,
    totals,
)

data = mali_aid.load()

result = totals(data.engagements, by=("donor", "year"), currency="USD", data=data)
assert_type(result, Totals)
assert_type(result.total, Cell)
assert_type(result.total.best, Money | None)
assert_type(result[("LU", 2024)], Cell)
assert_type(result.best(("LU", 2024)), Money | None)
assert_type(result.total.qualifier, Qualifier | None)
assert_type(result.unknown, tuple[str, ...])
by_sector = totals(
    data.engagements, by="sector", currency="EUR", data=data, split="whole"
)
assert_type(by_sector.additive, bool)

rates = default_rates()
assert_type(rates, Rates)
assert_type(rates.convert(Money("1", "EUR"), "XOF", year=2024), Money)
assert_type(rates.convert(Money("1", "EUR"), "USD", on=date(2024, 6, 14)), Money)
assert_type(rates.factor("EUR", "XOF", year=2024), Fraction)

found = find_overlaps(data.engagements, data=data, on=("time", "place"), min_days=30)
assert_type(found, Overlaps)
for pair in iter_overlaps(data.engagements, data=data, between="all"):
    assert_type(pair, Overlap)
    assert_type(pair.days, int | None)

comparison = compare_donors(data, "BE", "LU", currency="EUR")
assert_type(comparison, DonorComparison)
assert_type(comparison.similarity, Fraction)

totals(data.engagements, by="donor", currency="EUR")  # type: ignore[call-arg]
find_overlaps(data.engagements, data=data, between="nobody")  # type: ignore[arg-type]
totals(data.engagements, by="donor", currency="EUR", data=data, split="part")  # type: ignore[arg-type]
