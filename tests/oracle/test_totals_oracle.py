"""An independent oracle of ``totals()``, written from ``docs/analysis.md``.

Nothing here imports the package's rule modules (``_rules``,
``_aggregate``, ``_engine``): the oracle reads the records and the public
:class:`~mali_aid.Dataset` and :class:`~mali_aid.Period` only, and totals by
donor and by donor and year with exact fractions, by the rules the analysis
guide states (and, where it is silent, the rules ``mali_aid._rules`` states
in its docstring):

- what counts: the envelopes, else the commitments, else the budgets, else
  what was contributed or disbursed; never a pledge nor an expenditure;
  nothing to count is unknown, never zero;
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
  unknown in its cells, as one with no amount is;
- scope: only Mali's part counts; with percentages, that of the places in
  Mali, while the share of a recipient region holding Mali and the share
  no percentage places are unknown (between nothing and all of it, with no
  best figure); without percentages, the whole where every place is in
  Mali, nothing where none is, unknown otherwise. An engagement nothing of
  which is in Mali neither counts nor opens a cell.

Worlds are drawn with and without places beyond Mali. The oracle is
checked against both :func:`mali_aid.testing.reference_totals` and
:func:`mali_aid.totals` forced through the fast engine.

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
from hypothesis import event, given
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
    multi_country=True,
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


def mali_share(engagement: Engagement, data: Dataset) -> tuple[Fraction, Fraction]:
    """Rule 5: the share of an engagement that is Mali's, and the share of
    which Mali's part is unknown (counted between nothing and all of it).

    With percentages, Mali's is that of its places in Mali; a recipient
    region that holds Mali, and the share no percentage places, are
    unknown. Without, the whole is Mali's where every place is in Mali;
    nothing where none is and none holds Mali; unknown otherwise.
    """
    places = engagement.places
    if not places:
        return Fraction(1), Fraction(0)
    inside = [data.lies_in(share.place, "ML") for share in places]
    holds = [
        data.lies_in("ML", share.place) and not i
        for share, i in zip(places, inside, strict=True)
    ]
    if places[0].percentage is not None:
        shares = [Fraction(share.percentage or 0) / 100 for share in places]
        mine = sum((s for s, i in zip(shares, inside, strict=True) if i), Fraction(0))
        held = sum((s for s, h in zip(shares, holds, strict=True) if h), Fraction(0))
        return mine, held + 1 - sum(shares, Fraction(0))
    if all(inside):
        return Fraction(1), Fraction(0)
    if not any(inside) and not any(holds):
        return Fraction(0), Fraction(0)
    return Fraction(0), Fraction(1)


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

    def perhaps(self, figure: Bounds, pieces: int) -> None:
        """A share of which Mali's part is unknown: between nothing and all
        of it, with no best figure."""
        self.high = (
            None
            if self.high is None or figure.high is None
            else self.high + figure.high
        )
        self.pieces += pieces

    def open(self) -> None:
        self.high = None


def pieces_of(engagement: Engagement) -> int:
    """At most how many pieces the package rounds one slice into: one per
    place, sector and implementer, and one more in each for a share the
    percentages leave unstated."""
    return (
        (len(engagement.places) + 1)
        * (len(engagement.sectors) + 1)
        * (len(engagement.implementers) + 1)
    )


def remaining(figure: Bounds, factor: Bounds | None) -> Bounds:
    """What of a container's amount remains once its parts are taken off."""
    if factor is None:
        return figure
    return Bounds(
        figure.best * factor.best,
        figure.best * factor.low,
        None if factor.high is None else figure.best * factor.high,
    )


def oracle(data: Dataset, *, by_year: bool) -> dict[Hashable, OracleCell]:
    engagements = data.engagements
    by_id = {engagement.id: engagement for engagement in engagements}
    factors = remainders(engagements)
    cells: dict[Hashable, OracleCell] = {}

    def cell(donor: str | None, year: int | None) -> OracleCell:
        return cells.setdefault((donor, year) if by_year else donor, OracleCell())

    for engagement in engagements:
        shares = donors(engagement, data)
        placed, unsure = mali_share(engagement, data)
        if (placed, unsure) == (0, 0):
            continue  # nothing of it is in Mali: neither counted nor opened
        if whole(engagement) is None:
            # Unknown: open above, unless its money lies in a counted container.
            inside = nearest_counted_container(engagement, by_id) is not None
            for donor in () if inside else shares:
                for year in years_known(engagement):
                    cell(donor, year).open()
            continue
        pieces = pieces_of(engagement)
        for amount in counted(engagement):
            figure = remaining(stated(amount), factors.get(engagement.id))
            for donor, share in shares.items():
                for year, part in year_shares(amount, engagement).items():
                    if placed:
                        cell(donor, year).add(
                            figure.times(share * part * placed), pieces
                        )
                    if unsure:
                        cell(donor, year).perhaps(
                            figure.times(share * part * unsure), pieces
                        )
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
            assert got.best is None, (key, got, cell)
            assert abs(euros(got.low) - cell.low) <= slack, (key, got, cell)  # type: ignore[operator]
            if cell.high is None:
                assert got.high is None, (key, got, cell)
            else:
                high = euros(got.high)
                assert high is not None and abs(high - cell.high) <= slack, (
                    key,
                    got,
                    cell,
                )
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


def label(data: Dataset) -> None:
    """Name what a world holds, so that ``--hypothesis-show-statistics``
    shows how often each rule is exercised."""
    records = data.engagements
    shares = [mali_share(record, data) for record in records]
    for name, holds in (
        ("a container's remainder", bool(remainders(records))),
        ("Mali's share unknown", any(unsure for _, unsure in shares)),
        ("nothing in Mali", (0, 0) in shares),
        ("an amount unknown", any(whole(record) is None for record in records)),
        ("spread over years", any(len(years_known(record)) > 1 for record in records)),
        ("co-financed", any(len(donors(record, data)) > 1 for record in records)),
        (
            "about, at least or at most",
            any(
                amount.qualifier is not Qualifier.EXACT
                for record in records
                for amount in record.amounts
            ),
        ),
    ):
        if holds:
            event(name)


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
    label(data)
    by = ("donor", "year") if by_year else "donor"
    assert_agrees(_totals(data, by, reference=True), oracle(data, by_year=by_year))


@given(worlds, st.booleans())
def test_the_fast_engine_agrees_with_the_oracle(
    collection: mas.Collection, by_year: bool
) -> None:
    data = collection.dataset()
    label(data)
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
