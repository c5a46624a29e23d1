"""The rules of an honest total, stated top to bottom.

This module is the specification of :func:`mali_aid.totals`. It cuts the
money of each engagement into *atoms*: the smallest pieces a total can be
made of, one for each amount, year, funder, sector, place and implementer
the engagement's money is attributed to. Every figure :func:`totals` returns
is a sum of atoms, so any grouping of the same atoms adds up to the same
whole, and one question has one answer however it is asked.

The rules, in the order they are applied:

1. **What counts.** Each engagement counts its planned total (its envelopes,
   else its commitments, else the sum of its budgets) or, where it has none,
   what it is said to have contributed or disbursed; ``kinds=`` asks for
   particular kinds instead. An engagement with nothing to count is
   *unknown*: it gives atoms with no figure, which leave every total they
   fall in open above. Never zero.
2. **Bounds.** Each amount has a best figure and bounds from its qualifier:
   exact ``[a, a]``; about ``[a(1-t), a(1+t)]`` with the tolerance ``t``;
   at least ``[a, +inf)``; at most ``[0, a]``.
3. **Parts and containers.** A part (``part_of``) counts under its own keys.
   Its nearest counted container counts only its *remainder*: its amount
   less the parts counted inside it, spread as the container's own amount
   is. Stated parts larger than their container are refused. The remainder's
   bounds are the container's bounds less the parts' (never below zero).
4. **Years.** An amount spreads over calendar years by days, exactly. Each
   year's slice is converted at that year's mean rate, or at the rate of the
   amount's value date where it has one.
5. **Shares.** Funding shares, sector and place percentages split an amount
   exactly; several sectors, places or implementers without percentages
   share it evenly.
6. **Scope.** Only Mali's part of an engagement counts (``scope="mali"``):
   places outside Mali take no share, and where Mali's share is not stated
   (Mali among other recipients without percentages, or inside a recipient
   region) the share is unknown, with bounds ``[0, the whole]``.
7. **Basis.** Every atom says how it was obtained: stated, spread over years,
   split evenly or by percentages, a container's remainder, resting on an
   inferred part, Mali's share unknown, converted at an annual mean, a daily
   rate or a peg.

Nothing here is cached or encoded: it is written to be read. Rounding
lives in :mod:`mali_aid._rounding`, the result objects in
:mod:`mali_aid._totals_result`, and :mod:`mali_aid._aggregate` runs a total
from end to end.
"""

from __future__ import annotations

import enum
import itertools
from collections.abc import Callable, Hashable, Iterable, Mapping, Sequence
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import attrs

from ._lineage import ancestors
from ._model import Amount, AmountKind, Engagement, Qualifier
from .errors import DataError, NoRateError

if TYPE_CHECKING:
    from ._dataset import Dataset
    from ._rates import Rates

__all__ = ["Atom", "Basis", "attribute", "contributing_amounts", "in_scope"]

Scope: TypeAlias = Literal["mali", "all"]
Split: TypeAlias = Literal["even", "whole"]

#: The id of Mali in the gazetteer.
MALI = "ML"

_ZERO = Fraction(0)
_ONE = Fraction(1)


class Basis(enum.StrEnum):
    """How a figure was obtained."""

    STATED = "stated"
    SPREAD_BY_DAYS = "spread-by-days"
    SPLIT_EVENLY = "split-evenly"
    SPLIT_BY_PERCENTAGES = "split-by-percentages"
    REMAINDER = "remainder"
    INFERRED_PART = "inferred-part"
    SHARE_UNKNOWN = "share-unknown"
    CONVERTED_ANNUAL_MEAN = "converted-annual-mean"
    CONVERTED_DAILY = "converted-daily"
    CONVERTED_PEG = "converted-peg"

    @property
    def is_estimate(self) -> bool:
        """Whether a figure on this basis is an estimate no source states."""
        return self in _ESTIMATES

    @property
    def description(self) -> str:
        """The basis in words, as the command line's legend gives it."""
        return _DESCRIPTIONS[self]


_ESTIMATES = frozenset({Basis.SPREAD_BY_DAYS, Basis.SPLIT_EVENLY})
_DESCRIPTIONS = {
    Basis.STATED: "as a source states it",
    Basis.SPREAD_BY_DAYS: "an estimate: a multi-year amount spread over years by days",
    Basis.SPLIT_EVENLY: "an estimate: split evenly, for want of percentages",
    Basis.SPLIT_BY_PERCENTAGES: "split by stated percentages or shares",
    Basis.REMAINDER: "a container's amount less the parts counted inside it",
    Basis.INFERRED_PART: "rests on a part_of link that is an inference",
    Basis.SHARE_UNKNOWN: "Mali's share is unknown: bounded by 0 and the whole",
    Basis.CONVERTED_ANNUAL_MEAN: "converted at the year's mean rate",
    Basis.CONVERTED_DAILY: "converted at the rate of the amount's value date",
    Basis.CONVERTED_PEG: "converted at a fixed peg",
}


# -- rule 1: what counts --------------------------------------------------------------

_PLANNED_ORDER = (AmountKind.ENVELOPE, AmountKind.COMMITMENT, AmountKind.BUDGET)
#: What a total falls back on where nothing is planned. Expenditure is left
#: out: an implementer's spending of disbursed money would count it twice.
_PROVIDED = frozenset({AmountKind.CONTRIBUTION, AmountKind.DISBURSEMENT})


def contributing_amounts(
    engagement: Engagement, kinds: frozenset[AmountKind] | None = None
) -> tuple[Amount, ...]:
    """The amounts of an engagement that a total counts.

    By default its planned total: its envelope, else its commitment, else
    the sum of its budgets; where it has none of these, what it is said to
    have contributed or disbursed. Never a planned total and spending
    together, and never a pledge. With ``kinds``, every amount of those
    kinds.
    """
    if kinds is not None:
        return tuple(amount for amount in engagement.amounts if amount.kind in kinds)
    for kind in _PLANNED_ORDER:
        chosen = tuple(amount for amount in engagement.amounts if amount.kind is kind)
        if chosen:
            return chosen
    return tuple(amount for amount in engagement.amounts if amount.kind in _PROVIDED)


# -- rule 2: bounds -------------------------------------------------------------------


@attrs.frozen
class Figure:
    """A best figure with its bounds; ``None`` where unknown or unbounded."""

    best: Fraction | None
    low: Fraction
    high: Fraction | None

    def times(self, factor: Fraction) -> Figure:
        if factor == 1:
            return self
        return Figure(
            best=None if self.best is None else self.best * factor,
            low=self.low * factor,
            high=None if self.high is None else self.high * factor,
        )


def _product(factors: Iterable[Fraction]) -> Fraction:
    """The product of exact factors, leaving out the ones (most of them)."""
    product = _ONE
    for factor in factors:
        if factor != 1:
            product *= factor
    return product


def bounded(value: Fraction, qualifier: Qualifier, tolerance: Fraction) -> Figure:
    """A stated value with the bounds its qualifier gives."""
    if qualifier is Qualifier.ABOUT:
        return Figure(value, value * (1 - tolerance), value * (1 + tolerance))
    if qualifier is Qualifier.AT_LEAST:
        return Figure(value, value, None)
    if qualifier is Qualifier.AT_MOST:
        return Figure(value, _ZERO, value)
    return Figure(value, value, value)


# -- rule 4: years and rates ----------------------------------------------------------


@attrs.frozen
class Slice:
    """The part of an amount that falls in one year (``None``: not known)."""

    year: int | None
    fraction: Fraction
    value_date: date | None


def slices(amount: Amount, engagement: Engagement) -> tuple[Slice, ...]:
    """How an amount spreads over calendar years, by days.

    Over the amount's own period, else its engagement's, when both ends are
    known; else in the year of its value date; else in the one year a source
    saw the engagement active; else in one slice of unknown year.
    """
    for period in (amount.period, engagement.period):
        if period is not None and period.is_bounded:
            days = period.year_days()
            whole = sum(days.values())
            return tuple(
                Slice(year, Fraction(count, whole), amount.value_date)
                for year, count in days.items()
            )
    if amount.value_date is not None:
        return (Slice(amount.value_date.year, _ONE, amount.value_date),)
    if len(engagement.active_in) == 1:
        return (Slice(engagement.active_in[0], _ONE, None),)
    return (Slice(None, _ONE, None),)


def years_of(engagement: Engagement) -> tuple[int | None, ...]:
    """The years an engagement with no counted amount is known to fall in."""
    period = engagement.period
    if period is not None and period.is_bounded:
        return tuple(period.year_days())
    return engagement.active_in or (None,)


@attrs.frozen
class Conversion:
    """The exact factor from one currency into another at one time.

    ``when`` is the year of an annual mean rate or the day of a daily one;
    ``factor`` turns an amount in ``source`` into ``target`` (``None`` where
    no rate is known); ``basis`` the kinds of rate it rests on.
    """

    source: str
    target: str
    when: int | date | None
    factor: Fraction | None
    basis: frozenset[Basis]


def rate_basis(
    rates: Rates, source: str, target: str, when: object
) -> frozenset[Basis]:
    """Which kinds of rate a conversion rests on."""
    found: set[Basis] = set()
    for code in (source, target):
        if code == rates.base:
            continue
        peg = rates.pegs.get(code)
        if peg is not None:
            found.add(Basis.CONVERTED_PEG)
            if peg.anchor == rates.base or peg.anchor in (source, target):
                continue
        found.add(
            Basis.CONVERTED_DAILY
            if isinstance(when, date)
            else Basis.CONVERTED_ANNUAL_MEAN
        )
    return frozenset(found)


def convert(rates: Rates, source: str, target: str, piece: Slice) -> Conversion:
    """The factor that converts one slice of an amount, or none."""
    when: int | date | None = piece.value_date or piece.year
    if source == target:
        return Conversion(source, target, when, _ONE, frozenset())
    try:
        if isinstance(when, date):
            factor: Fraction | None = rates.factor(source, target, on=when)
        elif when is None:
            factor = None
        else:
            factor = rates.factor(source, target, year=when)
    except NoRateError:
        factor = None
    return Conversion(
        source, target, when, factor, rate_basis(rates, source, target, when)
    )


# -- rule 5 and 6: shares and scope ---------------------------------------------------


@attrs.frozen
class Option:
    """One key an engagement's money goes to, with its share of it.

    ``share`` is ``None`` where the share is unknown; ``low`` and ``high``
    bound it. ``funders`` are the funding participants behind a donor.
    """

    key: Hashable
    share: Fraction | None
    low: Fraction
    high: Fraction
    basis: Basis | None = None
    funders: tuple[str, ...] = ()
    #: A basis that holds whatever the grouping: Mali's share stated below
    #: the whole, or not known.
    always: Basis | None = None


def known(key: Hashable, share: Fraction, basis: Basis | None = None) -> Option:
    return Option(key, share, share, share, basis)


def even(keys: Sequence[Hashable]) -> tuple[Option, ...]:
    """Keys that share evenly; one unknown key (``None``) where there are none."""
    if not keys:
        return (known(None, _ONE),)
    basis = Basis.SPLIT_EVENLY if len(keys) > 1 else None
    return tuple(known(key, Fraction(1, len(keys)), basis) for key in keys)


def by_percentage(
    entries: Sequence[tuple[Hashable, Fraction]],
) -> tuple[Option, ...]:
    """Keys with stated percentages; what they leave unstated goes to ``None``."""
    options = [
        known(key, share, Basis.SPLIT_BY_PERCENTAGES) for key, share in entries if share
    ]
    rest = _ONE - sum((share for _, share in entries), _ZERO)
    if rest:
        options.append(known(None, rest, Basis.SPLIT_BY_PERCENTAGES))
    return tuple(options)


def donor_options(engagement: Engagement, data: Dataset) -> tuple[Option, ...]:
    """The donors (roots of the funders) with their shares of the funding."""
    funders = engagement.funders
    if not funders:
        return (known(None, _ONE),)
    behind: dict[str | None, list[str]] = {}
    for participant in funders:
        root = data.root_organisation(participant.organisation).id
        behind.setdefault(root, []).append(participant.organisation)
    basis = (
        Basis.SPLIT_BY_PERCENTAGES
        if funders[0].share is not None
        else Basis.SPLIT_EVENLY
    )
    return tuple(
        attrs.evolve(
            known(donor, share, basis if share != 1 else None),
            funders=tuple(behind[donor]),
        )
        for donor, share in data.funding_shares(engagement)
    )


def sector_options(engagement: Engagement, split: Split) -> tuple[Option, ...]:
    """The sectors with their shares: stated percentages, else even."""
    sectors = engagement.sectors
    if split == "whole":
        return tuple(known(s.sector, _ONE) for s in sectors) or (known(None, _ONE),)
    if sectors and sectors[0].percentage is not None:
        return by_percentage(
            [(s.sector, Fraction(s.percentage or 0) / 100) for s in sectors]
        )
    return even([s.sector for s in sectors])


def implementer_options(engagement: Engagement, split: Split) -> tuple[Option, ...]:
    """The implementers, sharing evenly."""
    keys = [p.organisation for p in engagement.implementers]
    if split == "whole":
        return tuple(known(key, _ONE) for key in keys) or (known(None, _ONE),)
    return even(keys)


PlaceSide = Literal["inside", "contains", "outside"]


def side_of_mali(data: Dataset, place: str) -> PlaceSide:
    """Whether a place lies in Mali, contains Mali, or lies outside it."""
    if data.place(MALI, default=None) is None:
        return "inside"  # a gazetteer without Mali: every place is taken as Mali's
    if data.lies_in(place, MALI):
        return "inside"
    if data.lies_in(MALI, place):
        return "contains"
    return "outside"


def place_options(
    engagement: Engagement, data: Dataset, scope: Scope, split: Split
) -> tuple[Option, ...]:
    """The places an engagement's money goes to, within the scope.

    With ``scope="all"`` every place takes its share. With ``scope="mali"``
    (the default) places outside Mali take none; a recipient region that
    contains Mali holds an unknown part of its share for Mali; where Mali is
    one of several recipients without percentages, its share is unknown.
    """
    places = engagement.places
    if not places:
        return (known(None, _ONE),)
    if places[0].percentage is not None:
        entries = [(p.place, Fraction(p.percentage or 0) / 100) for p in places]
        return _scoped_percentages(entries, data, scope, split)
    keys = [p.place for p in places]
    if scope == "all":
        return (
            tuple(known(key, _ONE) for key in keys) if split == "whole" else even(keys)
        )
    return _scoped_even(keys, data, split)


def _scoped_percentages(
    entries: Sequence[tuple[str, Fraction]], data: Dataset, scope: Scope, split: Split
) -> tuple[Option, ...]:
    if split == "whole":
        entries = [(key, _ONE) for key, _ in entries]
    if scope == "all":
        return (
            by_percentage(entries)
            if split == "even"
            else tuple(known(key, _ONE) for key, _ in entries)
        )
    sides = {key: side_of_mali(data, key) for key, _ in entries}
    inside = sum((share for key, share in entries if sides[key] == "inside"), _ZERO)
    below = Basis.SPLIT_BY_PERCENTAGES if inside < 1 else None
    options = [
        Option(key, share, share, share, Basis.SPLIT_BY_PERCENTAGES, always=below)
        for key, share in entries
        if sides[key] == "inside" and share
    ]
    unknown = Basis.SHARE_UNKNOWN
    options.extend(
        Option(MALI, None, _ZERO, share, unknown, always=unknown)
        for key, share in entries
        if sides[key] == "contains" and share
    )
    rest = _ONE - sum((share for _, share in entries), _ZERO)
    if rest > 0 and split == "even":
        options.append(Option(None, None, _ZERO, rest, unknown, always=unknown))
    return tuple(options)


def _scoped_even(
    keys: Sequence[str], data: Dataset, split: Split
) -> tuple[Option, ...]:
    sides = {key: side_of_mali(data, key) for key in keys}
    inside = [key for key in keys if sides[key] == "inside"]
    if len(inside) == len(keys):
        return (
            tuple(known(key, _ONE) for key in keys) if split == "whole" else even(keys)
        )
    if not inside and "contains" not in sides.values():
        return ()  # nothing of it is in Mali
    where = inside[0] if len(inside) == 1 else MALI
    unknown = Basis.SHARE_UNKNOWN
    return (Option(where, None, _ZERO, _ONE, unknown, always=unknown),)


# -- the atoms ------------------------------------------------------------------------

Status = Literal["counted", "unknown", "unconverted"]


@attrs.frozen(kw_only=True)
class Atom:
    """The smallest piece of a total: one engagement's money at one key.

    ``figure`` is in the target currency (``None`` best where unknown);
    ``original`` the same piece before conversion, in ``currency``; ``rate``
    the factor between them. ``basis`` holds what applies to the piece
    whatever the grouping; ``splits`` what applies only when the total is
    grouped or filtered by that dimension (a sector's even share means
    nothing to a total by donor).
    """

    engagement: Engagement
    status: Status
    donor: Hashable
    funders: tuple[str, ...]
    year: int | None
    kind: AmountKind | None
    sector: Hashable
    place: Hashable
    implementer: Hashable
    figure: Figure
    currency: str | None = None
    original: Fraction | None = None
    conversion: Conversion | None = None
    basis: frozenset[Basis] = frozenset()
    splits: tuple[tuple[str, Basis], ...] = ()

    def basis_for(self, dimensions: Iterable[str]) -> frozenset[Basis]:
        """The basis of this piece in a total by (or filtered on) ``dimensions``."""
        wanted = set(dimensions)
        return self.basis | {basis for name, basis in self.splits if name in wanted}


@attrs.frozen
class Rules:
    """The settings a total applies the rules with."""

    data: Dataset
    rates: Rates
    currency: str
    kinds: frozenset[AmountKind] | None
    tolerance: Fraction
    scope: Scope
    split: Split


def attribute(
    engagements: Sequence[Engagement], rules: Rules
) -> tuple[list[Atom], frozenset[str]]:
    """Every atom of these engagements' money, by the rules above, and the
    engagements with nothing to count whose money lies inside a counted
    container (they give no atom)."""
    by_id = {engagement.id: engagement for engagement in engagements}
    figures = {
        engagement.id: whole_figure(engagement, rules) for engagement in engagements
    }
    remainders = remainder_factors(engagements, rules, figures)
    atoms: list[Atom] = []
    contained: set[str] = set()
    for engagement in engagements:
        if figures[engagement.id] is None and counted_container(
            engagement, by_id, lambda id: figures[id] is not None
        ):
            # Its money, unknown or with no rate, is inside a counted
            # container's amount: it opens no total.
            contained.add(engagement.id)
            continue
        atoms.extend(atoms_of(engagement, rules, remainders.get(engagement.id)))
    return atoms, frozenset(contained)


@attrs.frozen
class Remainder:
    """What a container keeps once its counted parts are taken out.

    ``best``, ``low`` and ``high`` multiply the container's stated amounts;
    ``inferred`` says whether a part is inside it only by inference.
    """

    best: Fraction
    low: Fraction
    high: Fraction | None
    inferred: bool


def in_scope(engagement: Engagement, rules: Rules) -> bool:
    """Whether any of an engagement's money can lie within the scope."""
    return bool(place_options(engagement, rules.data, rules.scope, rules.split))


def atoms_of(
    engagement: Engagement, rules: Rules, remainder: Remainder | None
) -> list[Atom]:
    """The atoms of one engagement."""
    places = place_options(engagement, rules.data, rules.scope, rules.split)
    if not places:
        return []  # wholly outside the scope
    counted = contributing_amounts(engagement, rules.kinds)
    if not counted:
        return _open_atoms(engagement, rules, places, "unknown")
    conversions = [
        [
            convert(rules.rates, a.money.currency, rules.currency, s)
            for s in slices(a, engagement)
        ]
        for a in counted
    ]
    if any(c.factor is None for row in conversions for c in row):
        return _open_atoms(engagement, rules, places, "unconverted")
    atoms: list[Atom] = []
    for amount, row in zip(counted, conversions, strict=True):
        atoms.extend(_amount_atoms(engagement, amount, row, rules, places, remainder))
    return atoms


def _own_basis(
    engagement: Engagement, rules: Rules, remainder: Remainder | None
) -> set[Basis]:
    basis = {Basis.STATED} if remainder is None else {Basis.REMAINDER}
    if remainder is not None and remainder.inferred:
        basis.add(Basis.INFERRED_PART)
    if engagement.part_of is not None and engagement.is_inferred("part_of"):
        container = rules.data.engagement(engagement.part_of, default=None)
        if container is not None and contributing_amounts(container, rules.kinds):
            basis.add(Basis.INFERRED_PART)
    return basis


def _amount_atoms(
    engagement: Engagement,
    amount: Amount,
    conversions: Sequence[Conversion],
    rules: Rules,
    places: Sequence[Option],
    remainder: Remainder | None,
) -> list[Atom]:
    value = Fraction(amount.money.amount)
    stated = bounded(value, amount.qualifier, rules.tolerance)
    if remainder is not None:
        stated = Figure(
            value * remainder.best,
            value * remainder.low,
            None if remainder.high is None else value * remainder.high,
        )
    own = _own_basis(engagement, rules, remainder)
    atoms: list[Atom] = []
    spread = len(conversions) > 1
    for conversion, piece in zip(conversions, slices(amount, engagement), strict=True):
        assert conversion.factor is not None
        converted = stated.times(piece.fraction * conversion.factor)
        year_split = (("year", Basis.SPREAD_BY_DAYS),) if spread else ()
        for combined in _combinations(engagement, rules, places):
            atoms.append(
                _keyed(
                    engagement,
                    combined,
                    status="counted",
                    year=piece.year,
                    kind=amount.kind,
                    figure=_share_of(converted, combined),
                    currency=amount.money.currency,
                    original=_share_of(stated.times(piece.fraction), combined).best,
                    conversion=conversion,
                    basis=frozenset(own | conversion.basis | combined.always),
                    splits=(*year_split, *combined.splits),
                )
            )
    return atoms


@attrs.frozen
class Combined:
    """One combination of a donor, a sector, a place and an implementer.

    ``share`` is the product of their shares (``None`` where one is not
    known), ``low`` and ``high`` bound it; ``always`` holds the bases that
    apply whatever the grouping, ``splits`` those that apply only to a
    total by that dimension.
    """

    donor: Option
    sector: Option
    place: Option
    implementer: Option

    @property
    def named(self) -> tuple[tuple[str, Option], ...]:
        return (
            ("donor", self.donor),
            ("sector", self.sector),
            ("place", self.place),
            ("implementer", self.implementer),
        )

    @property
    def share(self) -> Fraction | None:
        shares = [option.share for _, option in self.named]
        if None in shares:
            return None
        return _product(shares)  # type: ignore[arg-type]

    @property
    def low(self) -> Fraction:
        return _product(option.low for _, option in self.named)

    @property
    def high(self) -> Fraction:
        return _product(option.high for _, option in self.named)

    @property
    def always(self) -> frozenset[Basis]:
        return frozenset(
            option.always for _, option in self.named if option.always is not None
        )

    @property
    def splits(self) -> tuple[tuple[str, Basis], ...]:
        return tuple(
            (name, option.basis)
            for name, option in self.named
            if option.basis is not None and option.basis is not option.always
        )


def _share_of(figure: Figure, option: Combined) -> Figure:
    share, low, high = option.share, option.low, option.high
    if share == 1 and low == 1 and high == 1:
        return figure
    return Figure(
        best=None if figure.best is None or share is None else figure.best * share,
        low=figure.low * low,
        high=None if figure.high is None else figure.high * high,
    )


def _combinations(
    engagement: Engagement, rules: Rules, places: Sequence[Option]
) -> list[Combined]:
    """Every combination of the engagement's donors, sectors, places and
    implementers."""
    return [
        Combined(donor, sector, place, implementer)
        for donor, sector, place, implementer in itertools.product(
            donor_options(engagement, rules.data),
            sector_options(engagement, rules.split),
            places,
            implementer_options(engagement, rules.split),
        )
    ]


def _keyed(engagement: Engagement, combined: Combined, **fields: Any) -> Atom:
    return Atom(
        engagement=engagement,
        donor=combined.donor.key,
        funders=combined.donor.funders,
        sector=combined.sector.key,
        place=combined.place.key,
        implementer=combined.implementer.key,
        **fields,
    )


def _open_atoms(
    engagement: Engagement, rules: Rules, places: Sequence[Option], status: Status
) -> list[Atom]:
    """Atoms with no figure: an amount unknown, or one with no rate."""
    return [
        _keyed(
            engagement,
            combined,
            status=status,
            year=year,
            kind=None,
            figure=Figure(None, _ZERO, None),
            basis=combined.always,
        )
        for year in years_of(engagement)
        for combined in _combinations(engagement, rules, places)
    ]


# -- rule 3: parts and containers -----------------------------------------------------


def whole_figure(
    engagement: Engagement, rules: Rules, currency: str | None = None
) -> Figure | None:
    """An engagement's whole counted amount, with bounds, in ``currency``
    (the total's by default), each slice at the rate of its own time.

    ``None`` where nothing is counted or a slice has no rate. Scope and
    shares do not apply: a part's money lies inside its container whoever it
    is for.
    """
    target = rules.currency if currency is None else currency
    counted = contributing_amounts(engagement, rules.kinds)
    if not counted:
        return None
    best = low = _ZERO
    high: Fraction | None = _ZERO
    for amount in counted:
        stated = bounded(
            Fraction(amount.money.amount), amount.qualifier, rules.tolerance
        )
        for piece in slices(amount, engagement):
            factor = convert(rules.rates, amount.money.currency, target, piece).factor
            if factor is None:
                return None
            part = stated.times(piece.fraction * factor)
            assert part.best is not None
            best += part.best
            low += part.low
            high = None if high is None or part.high is None else high + part.high
    return Figure(best, low, high)


def counted_container(
    engagement: Engagement,
    by_id: Mapping[str, Engagement],
    counts: Callable[[str], bool],
) -> Engagement | None:
    """The nearest container of an engagement, within ``by_id``, whose
    amount ``counts``: the one whose amount holds a part's money."""
    for container in ancestors(engagement, by_id.get):
        if container not in by_id or container == engagement.id:
            return None  # the chain leaves ``by_id``, or loops back
        if counts(container):
            return by_id[container]
    return None


def remainder_factors(
    engagements: Sequence[Engagement],
    rules: Rules,
    figures: dict[str, Figure | None],
) -> dict[str, Remainder]:
    """For each container with counted parts, what of its amounts remains.

    Refuses parts that sum to more than their container (``DataError``).
    """
    by_id = {engagement.id: engagement for engagement in engagements}
    parts: dict[str, list[Engagement]] = {}
    for engagement in engagements:
        if engagement.part_of is None or figures[engagement.id] is None:
            continue
        container = counted_container(
            engagement, by_id, lambda id: figures[id] is not None
        )
        if container is not None:
            parts.setdefault(container.id, []).append(engagement)
    return {
        container_id: _remainder(by_id[container_id], inside, rules)
        for container_id, inside in parts.items()
    }


def _remainder(
    container: Engagement, parts: Sequence[Engagement], rules: Rules
) -> Remainder:
    """What a container keeps, reckoned in one currency for it and its parts,
    each amount converted at the rates of its own time.

    The currency is the container's own (its first counted amount's), so
    that whether parts fit inside it does not depend on the currency asked
    for; where some amount of the container or of a part has no rate into
    it (an undated amount in another currency), the total's currency, into
    which every counted amount has one.
    """
    own = contributing_amounts(container, rules.kinds)[0].money.currency
    whole, inside = _reckoned(container, parts, rules, own)
    if whole is None or None in inside:
        own = rules.currency
        whole, inside = _reckoned(container, parts, rules, own)
    assert whole is not None and whole.best is not None and None not in inside
    best = sum((figure.best or _ZERO for figure in inside if figure), _ZERO)
    low = sum((figure.low for figure in inside if figure), _ZERO)
    highs = [figure.high for figure in inside if figure]
    if best > whole.best:
        names = ", ".join(repr(part.id) for part in parts)
        raise DataError(
            f"the parts {names} of {container.id!r} sum to more than it"
            f" ({_text(best)} against {_text(whole.best)} {own})",
            record=container.id,
            field="part_of",
        )
    remaining = Figure(
        best=whole.best - best,
        low=max(_ZERO, whole.low - sum(highs)) if None not in highs else _ZERO,  # type: ignore[arg-type]
        high=None if whole.high is None else whole.high - low,
    )
    if whole.best == 0:
        return Remainder(_ZERO, _ZERO, None if remaining.high is None else _ZERO, False)
    assert remaining.best is not None
    return Remainder(
        best=remaining.best / whole.best,
        low=remaining.low / whole.best,
        high=None if remaining.high is None else remaining.high / whole.best,
        inferred=any(part.is_inferred("part_of") for part in parts),
    )


def _reckoned(
    container: Engagement, parts: Sequence[Engagement], rules: Rules, currency: str
) -> tuple[Figure | None, list[Figure | None]]:
    """A container's whole figure and its parts', all in ``currency``."""
    whole = whole_figure(container, rules, currency)
    return whole, [whole_figure(part, rules, currency) for part in parts]


def _text(value: Fraction) -> str:
    """An exact figure to the cent, for a message."""
    cents = round(value * 100)
    return f"{cents // 100:,}.{cents % 100:02d}"
