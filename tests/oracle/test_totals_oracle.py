"""An independent oracle of ``totals()``, written from ``docs/analysis.md``.

Nothing here imports the package's rule modules (``_rules``,
``_aggregate``, ``_engine``): the oracle reads the records and the public
:class:`~mali_aid.Dataset` and :class:`~mali_aid.Period` only, and totals by
donor and by donor and year with exact fractions, by the rules the analysis
guide states (and, where it is silent, the rules ``mali_aid._rules`` states
in its docstring):

- what counts: the envelopes, else the commitments, else the budgets, else
  what was contributed or disbursed; never a pledge nor an expenditure; nothing to count
  is unknown, never zero;
- bounds: exact ``[a, a]``, about ``[a(1-t), a(1+t)]``, at least
  ``[a, +inf)``, at most ``[0, a]``; a cell with something unknown is open
  above; the qualifier is read from the bounds;
- containers: a part counts under its own keys, its nearest counted
  container its remainder (the container's best less the parts', the low
  bound its low less the parts' highs, never below zero, the high its high
  less the parts' lows), spread as the container is; an unknown part
  inside a counted container opens nothing;
- years: an amount spreads over the calendar years of its own period, else
  its engagement's, by days; else it falls in the year of its value date,
  else in the one year the engagement was seen active, else in no year;
- donors: the roots of the funders, with the stated shares, else evenly;
  no funder is the donor ``None``;
- conversion: the CFA franc at exactly 655.957 per euro (the peg), so that
  no exchange-rate table is needed; a slice of no known year has no rate
  (the peg holds from 1999), and an engagement with such a slice is
  unknown in its cells, as one with no amount is.

The generated worlds hold only places in Mali (``multi_country=False``),
so scope reduces to one case, which the guide leaves implicit: where the
places' percentages sum to less than 100, the share they leave unplaced may
lie anywhere, so it counts between nothing and all of it (best and low
figures take the placed share only, the high figure the whole), as Mali's
unknown share does in rule 5. Checked against both :func:`mali_aid.testing.reference_totals`
and :func:`mali_aid.totals` forced through the fast engine.

Rounding: the package rounds each engagement's pieces to the cent so that
they sum to its own rounded total (docs/analysis.md, rule 7), while the
oracle is exact. A cell therefore agrees to within one cent per piece in it
(a piece is one amount's slice of one year for one donor, place, sector and
implementer, or for the share percentages leave unstated; the oracle counts
an upper bound of them), and never more: that is the tolerance used, and exact
agreement is required where a cell holds a single piece with a whole
number of cents.
"""

from __future__ import annotations

from collections.abc import Hashable
from datetime import date
from fractions import Fraction
from typing import Any

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import mali_aid
from mali_aid import (
    Amount,
    AmountKind,
    Dataset,
    Engagement,
    Money,
    Qualifier,
    Totals,
    testing,
)
from mali_aid import strategies as mas

TOLERANCE = Fraction(1, 10)  # the documented default: 10 %
CENT = Fraction(1, 100)
#: Units of each currency in a euro: the CFA franc is pegged exactly.
PER_EURO = {"EUR": Fraction(1), "XOF": Fraction("655.957")}
PLANNED = (AmountKind.ENVELOPE, AmountKind.COMMITMENT, AmountKind.BUDGET)
PROVIDED = {AmountKind.CONTRIBUTION, AmountKind.DISBURSEMENT}

worlds = mas.collections(
    currencies=["EUR", "XOF"],
    min_date=date(2000, 1, 1),
    max_date=date(2030, 12, 31),
    multi_country=False,
)


@attrs.frozen
class Bounds:
    best: Fraction
    low: Fraction
    high: Fraction | None

    def times(self, factor: Fraction) -> Bounds:
        return Bounds(
            self.best * factor,
            self.low * factor,
            None if self.high is None else self.high * factor,
        )


def stated(amount: Amount) -> Bounds:
    """An amount in euros, with the bounds its qualifier gives."""
    value = Fraction(amount.money.amount) / PER_EURO[amount.money.currency]
    if amount.qualifier is Qualifier.ABOUT:
        return Bounds(value, value * (1 - TOLERANCE), value * (1 + TOLERANCE))
    if amount.qualifier is Qualifier.AT_LEAST:
        return Bounds(value, value, None)
    if amount.qualifier is Qualifier.AT_MOST:
        return Bounds(value, Fraction(0), value)
    return Bounds(value, value, value)


def counted(engagement: Engagement) -> list[Amount]:
    for kind in PLANNED:
        chosen = [amount for amount in engagement.amounts if amount.kind is kind]
        if chosen:
            return chosen
    return [amount for amount in engagement.amounts if amount.kind in PROVIDED]


def year_shares(amount: Amount, engagement: Engagement) -> dict[int | None, Fraction]:
    for period in (amount.period, engagement.period):
        if period is not None and period.is_bounded:
            days = period.year_days()
            whole = sum(days.values())
            return {year: Fraction(count, whole) for year, count in days.items()}
    if amount.value_date is not None:
        return {amount.value_date.year: Fraction(1)}
    if len(engagement.active_in) == 1:
        return {engagement.active_in[0]: Fraction(1)}
    return {None: Fraction(1)}


def years_known(engagement: Engagement) -> tuple[int | None, ...]:
    period = engagement.period
    if period is not None and period.is_bounded:
        return tuple(period.year_days())
    return engagement.active_in or (None,)


def donors(engagement: Engagement, data: Dataset) -> dict[str | None, Fraction]:
    funders = engagement.funders
    if not funders:
        return {None: Fraction(1)}
    shares: dict[str | None, Fraction] = {}
    if funders[0].share is not None:
        for funder in funders:
            root = data.root_organisation(funder.organisation).id
            shares[root] = shares.get(root, Fraction(0)) + funder.share  # type: ignore[operator]
        return shares
    roots = list(
        dict.fromkeys(data.root_organisation(f.organisation).id for f in funders)
    )
    return {root: Fraction(1, len(roots)) for root in roots}


def converts(engagement: Engagement) -> bool:
    """Whether every slice converts into euros: the peg holds from 1999 on,
    so a CFA franc amount of no known year has no rate (rule 6)."""
    return all(
        amount.money.currency == "EUR" or None not in year_shares(amount, engagement)
        for amount in counted(engagement)
    )


def mali_share(engagement: Engagement) -> Fraction:
    """The share of an engagement its places' percentages put in Mali (every
    place is in Mali here): all of it where no percentage is given."""
    given = [share.percentage for share in engagement.places if share.percentage]
    if not given:
        return Fraction(1)
    return sum((Fraction(value) for value in given), Fraction(0)) / 100


def whole(engagement: Engagement) -> Bounds | None:
    """What an engagement counts, whole, in euros; ``None`` where nothing
    is counted or a slice has no rate."""
    amounts = counted(engagement)
    if not amounts or not converts(engagement):
        return None
    best = low = Fraction(0)
    high: Fraction | None = Fraction(0)
    for amount in amounts:
        figure = stated(amount)
        best += figure.best
        low += figure.low
        high = None if high is None or figure.high is None else high + figure.high
    return Bounds(best, low, high)


def nearest_counted_container(
    engagement: Engagement, by_id: dict[str, Engagement]
) -> Engagement | None:
    parent = engagement.part_of
    seen = {engagement.id}
    while parent is not None and parent in by_id and parent not in seen:
        if whole(by_id[parent]) is not None:
            return by_id[parent]
        seen.add(parent)
        parent = by_id[parent].part_of
    return None


def remainders(engagements: tuple[Engagement, ...]) -> dict[str, Bounds]:
    """What of each container with counted parts remains, as factors of its
    best figure."""
    by_id = {engagement.id: engagement for engagement in engagements}
    inside: dict[str, list[Bounds]] = {}
    for engagement in engagements:
        figure = whole(engagement)
        if figure is None:
            continue
        container = nearest_counted_container(engagement, by_id)
        if container is not None:
            inside.setdefault(container.id, []).append(figure)
    factors = {}
    for container_id, parts in inside.items():
        outer = whole(by_id[container_id])
        assert outer is not None
        highs = [part.high for part in parts]
        best = outer.best - sum(part.best for part in parts)
        low = (
            Fraction(0) if None in highs else max(Fraction(0), outer.low - sum(highs))  # type: ignore[arg-type]
        )
        high = None if outer.high is None else outer.high - sum(p.low for p in parts)
        if outer.best == 0:
            factors[container_id] = Bounds(
                Fraction(0), Fraction(0), None if high is None else Fraction(0)
            )
        else:
            factors[container_id] = Bounds(
                best / outer.best,
                low / outer.best,
                None if high is None else high / outer.best,
            )
    return factors


@attrs.define
class OracleCell:
    best: Fraction = Fraction(0)
    low: Fraction = Fraction(0)
    high: Fraction | None = Fraction(0)
    known: bool = False
    pieces: int = 0

    def add(self, figure: Bounds, pieces: int) -> None:
        self.best += figure.best
        self.low += figure.low
        self.high = (
            None
            if self.high is None or figure.high is None
            else self.high + figure.high
        )
        self.known = True
        self.pieces += pieces

    def open(self) -> None:
        self.high = None


def oracle(data: Dataset, *, by_year: bool) -> dict[Hashable, OracleCell]:
    engagements = data.engagements
    by_id = {engagement.id: engagement for engagement in engagements}
    factors = remainders(engagements)
    cells: dict[Hashable, OracleCell] = {}

    def key(donor: str | None, year: int | None) -> Hashable:
        return (donor, year) if by_year else donor

    for engagement in engagements:
        shares = donors(engagement, data)
        amounts = counted(engagement)
        if whole(engagement) is None:
            if nearest_counted_container(engagement, by_id) is None:
                for donor in shares:
                    for year in years_known(engagement):
                        cells.setdefault(key(donor, year), OracleCell()).open()
            continue
        factor = factors.get(engagement.id)
        placed = mali_share(engagement)
        # The package rounds each of the pieces it cuts a slice into: one
        # per place, sector and implementer, and one more in each for a
        # share the percentages leave unstated (counted at most).
        atoms = (
            (len(engagement.places) + 1)
            * (len(engagement.sectors) + 1)
            * (len(engagement.implementers) + 1)
        )
        for amount in amounts:
            figure = stated(amount)
            if factor is not None:
                figure = Bounds(
                    figure.best * factor.best,
                    figure.best * factor.low,
                    None if factor.high is None else figure.best * factor.high,
                )
            # The share no percentage places: anywhere, so between nothing
            # and all of it in Mali.
            figure = Bounds(figure.best * placed, figure.low * placed, figure.high)
            for donor, share in shares.items():
                for year, part in year_shares(amount, engagement).items():
                    cell = cells.setdefault(key(donor, year), OracleCell())
                    cell.add(figure.times(share * part), atoms)
    return cells


def qualifier_of(best: Fraction, low: Fraction, high: Fraction | None) -> Qualifier:
    if low == best and high == best:
        return Qualifier.EXACT
    if low == best:
        return Qualifier.AT_LEAST
    if high == best:
        return Qualifier.AT_MOST
    return Qualifier.ABOUT


def euros(money: Money | None) -> Fraction | None:
    return None if money is None else Fraction(money.amount)


def assert_agrees(result: Totals, expected: dict[Hashable, OracleCell]) -> None:
    """Every cell of ``result`` within one cent per piece of the oracle's."""
    assert set(result) == set(expected), (set(result), set(expected))
    for key, cell in expected.items():
        got = result[key]
        slack = CENT * cell.pieces
        if not cell.known:
            assert got.best is None, (key, got)
            assert got.high is None, (key, got)
            continue
        best, low, high = euros(got.best), euros(got.low), euros(got.high)
        assert best is not None, (key, got, cell)
        assert abs(best - cell.best) <= slack, (key, got, cell)
        assert low is not None and abs(low - cell.low) <= slack, (key, got, cell)
        if cell.high is None:
            assert high is None, (key, got, cell)
        else:
            assert high is not None and abs(high - cell.high) <= slack, (key, got, cell)
        if cell.pieces == 1 and cell.best * 100 == int(cell.best * 100):
            assert best == cell.best, (key, got, cell)
        if (cell.low, cell.high) == (cell.best, cell.best):
            assert got.qualifier is Qualifier.EXACT, (key, got, cell)
        elif cell.high is None and cell.low == cell.best:
            assert got.qualifier is Qualifier.AT_LEAST, (key, got, cell)


def undated_in_another_currency(data: Dataset) -> bool:
    """A container with counted parts, where the part or the container has
    a slice of no year in a currency other than the container's own (its
    first counted amount's): the package then counts the part twice, or
    mixes currencies in the remainder (two findings, see
    ``test_oracle_findings.py``), so such worlds are left out here until
    they are fixed."""
    by_id = {engagement.id: engagement for engagement in data.engagements}
    for engagement in data.engagements:
        container = nearest_counted_container(engagement, by_id)
        if container is None or whole(engagement) is None:
            continue
        own = counted(container)[0].money.currency
        for record in (engagement, container):
            for amount in counted(record):
                if amount.money.currency != own and None in year_shares(amount, record):
                    return True
    return False


def _totals(data: Dataset, by: Any, *, reference: bool) -> Totals:
    function = testing.reference_totals if reference else mali_aid.totals
    return function(data.engagements, by=by, currency="EUR", data=data)


@pytest.fixture(autouse=True)
def fast_engine(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the fast engine take even the smallest collections (the reference
    never uses it)."""
    pytest.importorskip("numpy")
    from mali_aid import _engine

    monkeypatch.setattr(_engine, "MIN_ROWS", 0)


@given(worlds, st.booleans())
def test_the_reference_agrees_with_the_oracle(
    collection: mas.Collection, by_year: bool
) -> None:
    data = collection.dataset()
    assume(not undated_in_another_currency(data))
    by = ("donor", "year") if by_year else "donor"
    assert_agrees(_totals(data, by, reference=True), oracle(data, by_year=by_year))


@given(worlds, st.booleans())
def test_the_fast_engine_agrees_with_the_oracle(
    collection: mas.Collection, by_year: bool
) -> None:
    data = collection.dataset()
    assume(not undated_in_another_currency(data))
    by = ("donor", "year") if by_year else "donor"
    assert_agrees(_totals(data, by, reference=False), oracle(data, by_year=by_year))


def test_the_oracle_can_fail() -> None:
    """A cell off by more than its slack is caught."""
    data = Dataset(
        organisations=[mali_aid.Organisation(id="BE", name="Belgium", kind="state")],
        engagements=[
            Engagement(
                id="e",
                title="E",
                kind="project",
                participants=[mali_aid.Participant(organisation="BE", role="funding")],
                amounts=[Amount(money=Money("100", "EUR"), kind="budget")],
            )
        ],
    )
    cells = oracle(data, by_year=False)
    assert cells["BE"].best == 100
    cells["BE"].best += Fraction(2, 100)
    with pytest.raises(AssertionError):
        assert_agrees(_totals(data, "donor", reference=True), cells)
