"""The public API as users write it, checked by ``mypy --strict``, never run.

Each line marked ``# type: ignore[...]`` is a mistake a user could make; with
``warn_unused_ignores`` (part of ``--strict``) the check fails if the
mistake ever stops being a type error.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, Literal, assert_type

import mali_aid
from mali_aid import (
    Amount,
    AmountKind,
    Citation,
    Count,
    Engagement,
    EngagementKind,
    Money,
    Organisation,
    OrganisationKind,
    Participant,
    Period,
    Place,
    PlaceLevel,
    Precision,
    Qualifier,
    Role,
    Source,
    from_dict,
    minor_unit,
    to_dict,
)
from mali_aid.errors import CurrencyMismatchError, DataError, MaliAidError

# -- the version ----------------------------------------------------------------

assert_type(mali_aid.__version__, Any)

# -- money ----------------------------------------------------------------------

budget = Money("50500000", "EUR")
assert_type(budget.amount, Decimal)
assert_type(budget.currency, str)
assert_type(Money(Decimal("4"), "EUR"), Money)
assert_type(Money(250_000, "XOF"), Money)
assert_type(Money.parse("50.5 million EUR"), Money)
assert_type(Money.parse("250.000 euros", decimal_mark=","), Money)

assert_type(budget + Money("4", "EUR"), Money)
assert_type(budget - Money("4", "EUR"), Money)
assert_type(-budget, Money)
assert_type(abs(budget), Money)
assert_type(budget * 2, Money)
assert_type(budget * Decimal("0.5"), Money)
assert_type(budget / 3, Money)
assert_type(budget / Money("4", "EUR"), Fraction)
assert_type(sum([budget, Money("1", "EUR")]), Money | Literal[0])
assert_type(budget < Money("1", "EUR"), bool)
assert_type(budget.rounded(), Money)
assert_type(budget.allocate([1, 1, Fraction(1, 2), Decimal("0.5")]), tuple[Money, ...])
assert_type(budget.minor_unit, int)
assert_type(minor_unit("XOF"), int)
assert_type(f"{budget:,}", str)

budget + 1  # type: ignore[operator]
budget * 1.5  # type: ignore[operator]
budget.amount = Decimal(1)  # type: ignore[misc]
Money.parse(50)  # type: ignore[arg-type]
Money.parse("50 EUR", decimal_mark=";")  # type: ignore[arg-type]

# -- periods --------------------------------------------------------------------

period = Period.parse("2009/2014")
assert_type(period, Period)
assert_type(period.start, date | None)
assert_type(period.end_precision, Precision | None)
assert_type(period.days, int | None)
assert_type(period.overlaps(Period.parse("2014-06")), bool)
assert_type(period.contains(date(2010, 1, 1)), bool)
assert_type(period.intersection(Period.parse("2012/2020")), Period | None)
assert_type(period.split_by_year(), dict[int, Fraction])
assert_type(period.year_days(), dict[int, int])
assert_type(Period(start=date(2013, 2, 1), start_precision=Precision.MONTH), Period)

Period.parse(2009)  # type: ignore[arg-type]
period.overlaps("2014")  # type: ignore[arg-type]
period.start = date(2009, 1, 1)  # type: ignore[misc]

# -- records --------------------------------------------------------------------

citation = Citation(source="be-dgd-mali", paragraph=5)
source = Source(
    id="be-dgd-mali",
    title="Mali",
    publisher="Belgian development cooperation",
    language="en",
    paragraphs=13,
)
belgium = Organisation(
    id="BE", name="Belgium", kind=OrganisationKind.STATE, citations=(citation,)
)
sikasso = Place(id="sikasso-region", name="Sikasso", level=PlaceLevel.REGION)
engagement = Engagement(
    id="be-icp-2009",
    title="Indicative Cooperation Programme 2009-2012",
    kind=EngagementKind.PROGRAMME,
    participants=[Participant(organisation="BE", role=Role.FUNDING)],
    period=Period.parse("2009/2014"),
    original_period=Period.parse("2009/2012"),
    amounts=[
        Amount(
            money=Money("50500000", "EUR"),
            kind=AmountKind.ENVELOPE,
            qualifier=Qualifier.EXACT,
        )
    ],
    resources=[Count(value="150", unit="person", what="midwives")],
    citations=(citation,),
)

assert_type(engagement.id, str)
assert_type(engagement.period, Period | None)
assert_type(engagement.amounts, tuple[Amount, ...])
assert_type(engagement.amounts[0].money, Money)
assert_type(engagement.funders, tuple[Participant, ...])
assert_type(engagement.participants_in("implementing"), tuple[Participant, ...])
assert_type(engagement.participants[0].share, Fraction | None)
assert_type(belgium.names, tuple[str, ...])
assert_type(sikasso.parent, str | None)
assert_type(source.paragraphs, int)

Citation("be-dgd-mali", 5)  # type: ignore[call-arg]
Engagement(id="x", title="x")  # type: ignore[call-arg]
engagement.title = "another"  # type: ignore[misc]
engagement.amounts.append(engagement.amounts[0])  # type: ignore[attr-defined]

# -- plain data -----------------------------------------------------------------

data = to_dict(engagement)
assert_type(data, dict[str, Any])
assert_type(from_dict(data, Engagement), Engagement)
assert_type(from_dict({"source": "be-dgd-mali", "paragraph": 5}, Citation), Citation)

from_dict(data)  # type: ignore[call-arg]
from_dict(["not", "a", "table"], Engagement)  # type: ignore[arg-type]

# -- errors ---------------------------------------------------------------------

try:
    budget + Money("1", "CHF")
except CurrencyMismatchError as mismatch:
    assert_type(mismatch, CurrencyMismatchError)
except DataError as error:
    assert_type(error.field, str | None)
    assert_type(error.reason, str)
except MaliAidError:
    pass
