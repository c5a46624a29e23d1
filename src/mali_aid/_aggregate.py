"""Totals that keep every cent and say what they do not know.

:func:`totals` groups the amounts of engagements by donor, channel, sector,
place, year, implementer, status, kind of amount or any function of an
engagement, converts them into one currency at the rate of the time each
slice of money belongs to, and rounds once, at the end.
"""

from __future__ import annotations

import math
import textwrap
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from functools import lru_cache
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import attrs

from ._currencies import MINOR_UNITS
from ._gc import paused_collection
from ._model import Amount, AmountKind, Engagement, PlaceLevel, Qualifier, Role
from ._money import Money
from ._period import Period
from .errors import DataError, NoRateError

if TYPE_CHECKING:
    from ._dataset import Dataset
    from ._rates import Rates

__all__ = ["DIMENSIONS", "Totals", "totals"]

Key: TypeAlias = Hashable
Dimension: TypeAlias = str | Callable[[Engagement], Hashable]

#: The dimensions :func:`totals` can group by, besides a function.
DIMENSIONS = (
    "donor",
    "channel",
    "sector",
    "place",
    "year",
    "implementer",
    "status",
    "kind",
)

_PLANNED_ORDER = (AmountKind.ENVELOPE, AmountKind.COMMITMENT, AmountKind.BUDGET)
_PLANNED = frozenset(_PLANNED_ORDER)
_SPENT_KINDS = frozenset({AmountKind.CONTRIBUTION, AmountKind.DISBURSEMENT})


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
    amounts = engagement.amounts
    if kinds is not None:
        return tuple(amount for amount in amounts if amount.kind in kinds)
    if len(amounts) == 1:
        # The common case, decided without scanning.
        only = amounts[0].kind
        return amounts if only in _PLANNED or only in _SPENT_KINDS else ()
    for kind in _PLANNED_ORDER:
        chosen = tuple(amount for amount in engagement.amounts if amount.kind is kind)
        if chosen:
            return chosen
    return tuple(amount for amount in engagement.amounts if amount.kind in _SPENT_KINDS)


_ONE = Fraction(1)
_ZERO = Fraction(0)


@lru_cache(maxsize=65536)
def _period_days(period: Period) -> tuple[int, tuple[tuple[int | None, int], ...]]:
    days = period.year_days()
    return sum(days.values()), tuple(days.items())


def _slice_days(
    amount: Amount, engagement: Engagement
) -> tuple[int, tuple[tuple[int | None, int], ...]]:
    """How an amount spreads over years: the total days and each year's days.

    The amount's own period, else its engagement's, when both ends are
    known; else the year of its value date; else the one year a source saw
    the engagement active; else one slice of unknown year (``None``).
    """
    for period in (amount.period, engagement.period):
        if period is not None and period.is_bounded:
            return _period_days(period)
    if amount.value_date is not None:
        return 1, ((amount.value_date.year, 1),)
    if len(engagement.active_in) == 1:
        return 1, ((engagement.active_in[0], 1),)
    return 1, ((None, 1),)


_FLIP = {
    Qualifier.AT_LEAST: Qualifier.AT_MOST,
    Qualifier.AT_MOST: Qualifier.AT_LEAST,
}


def summarise_qualifiers(qualifiers: Iterable[Qualifier]) -> Qualifier:
    """One qualifier for a total built from parts with these qualifiers.

    Any "about" part, or parts bounded from both sides, make it "about"; "at
    least" parts alone make it "at least", "at most" parts "at most".
    """
    present = set(qualifiers) - {Qualifier.EXACT}
    if not present:
        return Qualifier.EXACT
    if Qualifier.ABOUT in present or len(present) > 1:
        return Qualifier.ABOUT
    return present.pop()


def _read_only(value: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Totals(Mapping[Key, Money]):
    """Totals by key, in one currency, and what they leave out.

    A ``Totals`` is a read-only mapping from key to :class:`Money`; a key is
    a single value when grouped by one dimension and a tuple when grouped by
    several (``None`` stands for an unknown donor, sector, place or year).
    The figures are rounded once, at the end, so that they sum to
    ``grand_total`` to the cent.

    ``qualifiers`` says, per key, how exactly the figure is known: "at
    least" when built from an "at least" part, "about" from an "about"
    part. ``unknown`` lists the engagements with no amount to count, which
    are never taken as zero; ``unconverted`` those whose amount could not be
    converted for want of a date or a rate. ``kinds`` are the kinds of
    amount included; ``basis`` says which rates were used; ``additive`` is
    false when an amount was counted whole under several keys.
    """

    by: tuple[str, ...]
    currency: str
    amounts: Mapping[Key, Money] = attrs.field(converter=_read_only)
    qualifiers: Mapping[Key, Qualifier] = attrs.field(converter=_read_only)
    grand_total: Money
    grand_qualifier: Qualifier
    unknown: tuple[str, ...]
    unconverted: tuple[str, ...]
    kinds: frozenset[AmountKind]
    basis: str
    additive: bool = True
    years: tuple[int, ...] | None = None

    def __getitem__(self, key: Key) -> Money:
        return self.amounts[key]

    def __iter__(self) -> Iterator[Key]:
        return iter(self.amounts)

    def __len__(self) -> int:
        return len(self.amounts)

    def in_years(self, years: Iterable[int]) -> Totals:
        """The same totals, keeping only the slices that fall in ``years``.

        Needs ``"year"`` among the dimensions. A 2023-2024 envelope then adds
        its 2024 share to a total for 2024, not its whole. The grand total is
        the sum of the rows kept, and ``years`` records the restriction.
        """
        if "year" not in self.by:
            raise DataError("in_years() needs totals grouped by year")
        position = self.by.index("year")
        wanted = tuple(sorted(set(years)))
        kept = [
            key
            for key in self.amounts
            if (key[position] if isinstance(key, tuple) else key) in wanted
        ]
        amounts = {key: self.amounts[key] for key in kept}
        qualifiers = {key: self.qualifiers[key] for key in kept}
        return attrs.evolve(
            self,
            amounts=amounts,
            qualifiers=qualifiers,
            grand_total=sum(amounts.values(), Money("0", self.currency)).rounded(),
            grand_qualifier=summarise_qualifiers(qualifiers.values()),
            years=wanted,
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per key: the key's parts, amount, currency, qualifier."""
        rows = []
        for key, money in self.amounts.items():
            parts: tuple[Hashable, ...] = (
                key if isinstance(key, tuple) and len(self.by) > 1 else (key,)
            )
            row: dict[str, Any] = dict(zip(self.by, parts, strict=True))
            row.update(
                amount=str(money.amount),
                currency=money.currency,
                qualifier=str(self.qualifiers[key]),
            )
            rows.append(row)
        return rows

    def __str__(self) -> str:
        headers = [*self.by, f"amount ({self.currency})", "qualifier"]
        rows = []
        for record in self.to_records():
            cells = [
                "(unknown)" if record[name] is None else str(record[name])
                for name in self.by
            ]
            cells.append(f"{Decimal(record['amount']):,}")
            cells.append("" if record["qualifier"] == "exact" else record["qualifier"])
            rows.append(cells)
        total_cells = ["total", *([""] * (len(self.by) - 1))]
        total_cells.append(f"{self.grand_total.amount:,}")
        total_cells.append(
            "" if self.grand_qualifier is Qualifier.EXACT else str(self.grand_qualifier)
        )
        widths = [
            max(len(str(cell)) for cell in column)
            for column in zip(headers, *rows, total_cells, strict=True)
        ]
        numeric = len(self.by)

        def line(cells: Sequence[str]) -> str:
            return "  ".join(
                cell.rjust(width) if index == numeric else cell.ljust(width)
                for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
            ).rstrip()

        out = [line(headers), line(["-" * width for width in widths])]
        out.extend(line(row) for row in rows)
        out.append(line(["-" * width for width in widths]))
        out.append(line(total_cells))
        if self.years is not None:
            shown = ", ".join(str(year) for year in self.years)
            out.append(f"only the slices of amounts that fall in {shown}")
        if self.unknown:
            out.extend(
                textwrap.wrap(
                    f"amount unknown: {', '.join(self.unknown)}",
                    88,
                    subsequent_indent="  ",
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
        if self.unconverted:
            out.extend(
                textwrap.wrap(
                    f"not converted to {self.currency} (no rate for a year or date):"
                    f" {', '.join(self.unconverted)}",
                    88,
                    subsequent_indent="  ",
                    break_long_words=False,
                    break_on_hyphens=False,
                )
            )
        if not self.additive:
            out.append("amounts counted whole under each key: the rows do not add up")
        return "\n".join(out)


@paused_collection()
def totals(
    engagements: Iterable[Engagement],
    *,
    by: Dimension | Sequence[Dimension],
    currency: str,
    data: Dataset,
    rates: Rates | None = None,
    kinds: Iterable[AmountKind | str] | None = None,
    level: PlaceLevel | str | None = None,
    split: Literal["even", "whole"] = "even",
) -> Totals:
    """Total the engagements' amounts by one or more dimensions.

    ``by`` names a dimension (``"donor"``, ``"channel"``, ``"sector"``,
    ``"place"``, ``"year"``, ``"implementer"``, ``"status"``, ``"kind"``), a
    function of an engagement, or a tuple of them for a cross-tab.
    ``currency`` is the currency of the result; ``data`` the
    :class:`~mali_aid.Dataset` that knows the organisation tree (a donor is
    the root of its funder) and the places; ``rates`` the exchange rates
    (default: :func:`~mali_aid.default_rates`).

    The rules:

    - each engagement counts its planned total (envelope, commitment, or the
      sum of its budgets) or else what it contributed; ``kinds=`` asks for
      particular kinds instead;
    - an engagement with no such amount is listed in ``unknown``, never
      counted as zero;
    - funding shares apply (a co-financed amount is split exactly), and an
      unknown funder is its own key, ``None``;
    - a part and the engagement it is part of are not both counted: the part
      counts under its own keys and the parent's remainder under the
      parent's;
    - multi-year amounts are spread over calendar years by days, exactly, and
      each year's slice is converted at that year's mean rate (or at the
      amount's value date where one is given);
    - several sectors or places without percentages share an amount evenly
      (``split="whole"`` counts it whole under each, and the result says it
      does not add up); ``level`` rolls places up to that level (a place
      above it stays itself);
    - rounding happens once, at the end, and the rounded figures sum to the
      grand total to the cent.
    """
    if currency not in MINOR_UNITS:
        raise DataError(f"unknown currency code {currency!r}")
    dimensions = _dimensions(by)
    names = tuple(_name(dimension) for dimension in dimensions)
    wanted_kinds = (
        None if kinds is None else frozenset(AmountKind(kind) for kind in kinds)
    )
    place_level = None if level is None else PlaceLevel(level)
    records = list(engagements)
    by_id = {record.id: record for record in records}
    if len(by_id) != len(records):
        seen: set[str] = set()
        for record in records:
            if record.id in seen:
                raise DataError(f"engagement {record.id!r} is given twice")
            seen.add(record.id)

    factors: dict[tuple[str, int | date | None], Fraction | None] = {}
    used_rates: list[Rates] = []

    def factor(code: str, when: int | date | None) -> Fraction | None:
        """The exact conversion factor, or None where no rate is known."""
        if code == currency:
            return _ONE
        slot = (code, when)
        if slot not in factors:
            table = rates
            if table is None:
                from ._rates import default_rates

                table = default_rates()
            if not used_rates:
                used_rates.append(table)
            found: Fraction | None = None
            if when is not None:
                try:
                    if isinstance(when, date):
                        found = table.factor(code, currency, on=when)
                    else:
                        found = table.factor(code, currency, year=when)
                except NoRateError:
                    found = None
            factors[slot] = found
        return factors[slot]

    # How each period spreads over years: looked up by identity first (the
    # records keep their periods alive during this call), then by value, so
    # the weights of a period are worked out once per distinct period.
    spreads_by_id: dict[int, tuple[int, tuple[tuple[int | None, int], ...]]] = {}
    # Whether a currency converts at every slice of a spread, asked once per
    # currency, value date and span of years.
    convertible_slices: dict[tuple[str, date | None, int | None, int | None], bool] = {}

    # Each engagement's status: UNKNOWN (no amount to count), UNCONVERTED (an
    # amount with no rate for one of its slices) or its counted amounts with
    # how each spreads: (amount, days in all, days per year, numerator and
    # denominator of the amount, currency).
    Spread = tuple[Amount, int, tuple[tuple[int | None, int], ...], int, int, str]
    status: dict[str, tuple[Spread, ...] | int] = {}
    UNKNOWN, UNCONVERTED = 0, 1
    planned_or_spent = (*_PLANNED_ORDER, *_SPENT_KINDS)

    def spread_of(amount: Amount, record: Engagement) -> Spread | None:
        """How an amount spreads, or None when a slice has no rate."""
        period = amount.period or record.period
        if period is not None and period.start is not None and period.end is not None:
            days = spreads_by_id.get(id(period))
            if days is None:
                days = spreads_by_id[id(period)] = _period_days(period)
        else:
            days = _slice_days(amount, record)
        money = amount.money
        code = money.currency
        if code != currency:
            # Whether it converts depends on its first and last years.
            value_date = amount.value_date
            check = (code, value_date, days[1][0][0], days[1][-1][0])
            convertible = convertible_slices.get(check)
            if convertible is None:
                convertible = all(
                    factor(code, value_date or year) is not None
                    for year, _days in days[1]
                )
                convertible_slices[check] = convertible
            if not convertible:
                return None
        numerator, denominator = money.amount.as_integer_ratio()
        return (amount, days[0], days[1], numerator, denominator, code)

    def classify(record: Engagement) -> tuple[Spread, ...] | int:
        amounts = record.amounts
        if wanted_kinds is None and len(amounts) == 1:
            # The common case, decided without building lists.
            if amounts[0].kind not in planned_or_spent:
                return UNKNOWN
            single = spread_of(amounts[0], record)
            return UNCONVERTED if single is None else (single,)
        chosen = contributing_amounts(record, wanted_kinds)
        if not chosen:
            return UNKNOWN
        spread: list[Spread] = []
        for amount in chosen:
            item = spread_of(amount, record)
            if item is None:
                return UNCONVERTED
            spread.append(item)
        return tuple(spread)

    def classify_once(record: Engagement) -> tuple[Spread, ...] | int:
        known = status.get(record.id)
        if known is None:
            known = status[record.id] = classify(record)
        return known

    # The nearest ancestor (within the input) that has an amount of its own.
    def counted_ancestor(record: Engagement) -> Engagement | None:
        seen = {record.id}
        parent_id = record.part_of
        while parent_id is not None and parent_id in by_id and parent_id not in seen:
            parent = by_id[parent_id]
            if not isinstance(classify_once(parent), int):
                return parent
            seen.add(parent_id)
            parent_id = parent.part_of
        return None

    donor_roots: dict[str, str] = {}

    def donor_options(record: Engagement) -> tuple[tuple[Hashable, Fraction], ...]:
        funders = [p for p in record.participants if p.role is Role.FUNDING]
        if len(funders) == 1 and funders[0].share is None:
            organisation = funders[0].organisation
            root = donor_roots.get(organisation)
            if root is None:
                root = data.root_organisation(organisation).id
                donor_roots[organisation] = root
            return ((root, _ONE),)
        return data.funding_shares(record)

    # Everything below is exact integer arithmetic. A slice of an amount is
    #   amount x (days in the year / days in all) x weight of the key.
    # The first two factors are summed as integers over one common
    # denominator, lcm_days x lcm_amounts: the least common multiples of
    # every period's days and every amount's denominator met so far (when a
    # new value does not divide its multiple, the multiple grows and the
    # sums so far are scaled up to it, exactly). Sums are kept per key and
    # weight, currency, kind of amount and qualifier, so the innermost loop
    # adds one integer per year; the weight (a funding share, a sector's
    # percentage) applies once per group at the end, where one Fraction per
    # group and year is made.
    lcm_days = lcm_amounts = 1
    # What turns an amount's numerator into the common denominator, per
    # (days in all, amount's denominator); emptied whenever a multiple grows.
    scales: dict[tuple[int, int], int] = {}
    Weights = tuple[tuple[tuple[Hashable, ...], Fraction], ...]
    GroupKey = tuple[tuple[Hashable, ...], int, int, str, int, int]
    kind_by_id = {id(member): member for member in AmountKind}
    qualifier_by_id = {id(member): member for member in Qualifier}
    # Within a group, sums by year (``None`` when unknown), or by year and
    # value date for amounts that carry one (converted at that date's rate).
    Slot = int | None | tuple[int | None, date]
    groups: defaultdict[GroupKey, defaultdict[Slot, int]] = defaultdict(
        lambda: defaultdict(int)
    )

    # When every dimension depends on the funder alone (donor, year, kind),
    # engagements with one funder and no share share their key weights.
    by_funder = set(names) <= {"donor", "year", "kind"}

    IntWeights = tuple[tuple[tuple[Hashable, ...], int, int], ...]

    def as_ints(weights: Weights) -> IntWeights:
        # Fraction.numerator and .denominator are properties: read them once.
        return tuple(
            (key, weight.numerator, weight.denominator) for key, weight in weights
        )

    funder_ints: dict[str, IntWeights] = {}

    def keyed(record: Engagement) -> IntWeights:
        participants = record.participants
        if (
            by_funder
            and len(participants) == 1
            and participants[0].role is Role.FUNDING
            and participants[0].share is None
        ):
            organisation = participants[0].organisation
            weights = funder_ints.get(organisation)
            if weights is None:
                weights = as_ints(
                    _key_weights(
                        record, dimensions, data, place_level, split, donor_options
                    )
                )
                funder_ints[organisation] = weights
            return weights
        return as_ints(
            _key_weights(record, dimensions, data, place_level, split, donor_options)
        )

    def grow(ratio: int) -> None:
        for sums in groups.values():
            for slot in sums:
                sums[slot] *= ratio

    exact_qualifier = Qualifier.EXACT
    unknown: list[str] = []
    unconverted: list[str] = []

    def add(target: Engagement, spread: tuple[Spread, ...], sign: int) -> None:
        nonlocal lcm_days, lcm_amounts
        weights = keyed(target)
        for amount, total, slices, numerator, denominator, code in spread:
            scale = scales.get((total, denominator))
            if scale is None:
                if lcm_days % total:
                    grown = math.lcm(lcm_days, total)
                    grow(grown // lcm_days)
                    lcm_days = grown
                    scales.clear()
                if lcm_amounts % denominator:
                    grown = math.lcm(lcm_amounts, denominator)
                    grow(grown // lcm_amounts)
                    lcm_amounts = grown
                    scales.clear()
                scale = (lcm_days // total) * (lcm_amounts // denominator)
                scales[(total, denominator)] = scale
            per_day = sign * numerator * scale
            qualifier = amount.qualifier
            if sign < 0 and qualifier is not exact_qualifier:
                qualifier = _FLIP.get(qualifier, qualifier)
            kind = amount.kind
            value_date = amount.value_date
            for key, weight_numerator, weight_denominator in weights:
                # Enum members hash in Python code; their ids (members are
                # singletons) and integers hash at C speed.
                group = (
                    key,
                    weight_numerator,
                    weight_denominator,
                    code,
                    id(kind),
                    id(qualifier),
                )
                sums = groups[group]
                if value_date is None:
                    for year, days in slices:
                        sums[year] += per_day * days
                else:
                    for year, days in slices:
                        sums[(year, value_date)] += per_day * days

    # The common case, an engagement with one planned or spent amount, one
    # funder and no parent, is counted inline once the caches know its
    # funder, its period, its currency and its amount's denominator: the
    # same arithmetic as add(), without its calls. Anything else, or a first
    # sighting, takes the general path, which fills the caches.
    inline = wanted_kinds is None and by_funder
    funding_role = Role.FUNDING
    for record in records:
        amounts = record.amounts
        if inline and len(amounts) == 1 and record.part_of is None:
            amount = amounts[0]
            participants = record.participants
            if (
                len(participants) == 1
                and amount.value_date is None
                and amount.kind in planned_or_spent
            ):
                participant = participants[0]
                weights = (
                    funder_ints.get(participant.organisation)
                    if participant.role is funding_role and participant.share is None
                    else None
                )
                days = spreads_by_id.get(id(amount.period or record.period))
                if weights is not None and days is not None:
                    money = amount.money
                    code = money.currency
                    total, slices = days
                    numerator, denominator = money.amount.as_integer_ratio()
                    scale = scales.get((total, denominator))
                    if scale is not None and (
                        code == currency
                        or convertible_slices.get(
                            (code, None, slices[0][0], slices[-1][0])
                        )
                    ):
                        per_day = numerator * scale
                        kind_id = id(amount.kind)
                        qualifier_id = id(amount.qualifier)
                        for key, weight_numerator, weight_denominator in weights:
                            sums = groups[
                                (
                                    key,
                                    weight_numerator,
                                    weight_denominator,
                                    code,
                                    kind_id,
                                    qualifier_id,
                                )
                            ]
                            for year, year_days in slices:
                                sums[year] += per_day * year_days
                        continue
        result = classify(record)
        if type(result) is int:
            if result == UNKNOWN:
                unknown.append(record.id)
            else:
                # Left out whole, and named, rather than counted in part.
                unconverted.append(record.id)
            continue
        assert not isinstance(result, int)
        add(record, result, 1)
        if record.part_of is not None:
            ancestor = counted_ancestor(record)
            if ancestor is not None:
                add(ancestor, result, -1)

    # Each group's sums, converted at the rate of their year (or of their
    # value date) and weighted, go to the group's key for that year.
    year_position = names.index("year") if "year" in names else None
    kind_position = names.index("kind") if "kind" in names else None
    denominator_of_all = lcm_days * lcm_amounts
    converted: dict[tuple[Hashable, ...], Fraction] = {}
    loose: dict[tuple[Hashable, ...], set[Qualifier]] = {}
    used_kinds: set[AmountKind] = set()
    for (
        key,
        numerator,
        denominator,
        code,
        kind_id,
        qualifier_id,
    ), sums in groups.items():
        kind = kind_by_id[kind_id]
        qualifier = qualifier_by_id[qualifier_id]
        weight = Fraction(numerator, denominator)
        used_kinds.add(kind)
        for slot, value in sums.items():
            year, when = slot if isinstance(slot, tuple) else (slot, slot)
            rate = factor(code, when)
            assert rate is not None  # checked before counting
            converted_value = Fraction(value, denominator_of_all) * rate
            if denominator != 1 or numerator != 1:
                converted_value *= weight
            full = key
            if year_position is not None or kind_position is not None:
                parts = list(key)
                if year_position is not None:
                    parts[year_position] = year
                if kind_position is not None:
                    parts[kind_position] = kind.value
                full = tuple(parts)
            converted[full] = converted.get(full, _ZERO) + converted_value
            if qualifier is not exact_qualifier:
                loose.setdefault(full, set()).add(qualifier)
    qualifiers = {key: loose.get(key, set()) for key in converted}

    rounded = _round_preserving_sum(converted, MINOR_UNITS[currency])
    ordered = sorted(rounded, key=_sort_key)
    single = len(dimensions) == 1
    values = {
        (key[0] if single else key): Money._trusted(rounded[key], currency)
        for key in ordered
    }
    key_qualifiers = {
        (key[0] if single else key): summarise_qualifiers(qualifiers.get(key, ()))
        for key in ordered
    }
    grand = sum(rounded.values(), Decimal(0)).quantize(
        Decimal(1).scaleb(-MINOR_UNITS[currency])
    )
    all_qualifiers = {q for qs in qualifiers.values() for q in qs}
    basis = "no conversion needed"
    # Rates were looked up whenever an amount in another currency came by,
    # converted or not (an amount with no rate is named in ``unconverted``).
    if used_rates:
        basis = (
            f"{used_rates[0].origin.rstrip('.')}; each year's slice at that year's mean rate, or "
            "the rate on the amount's value date"
        )
    return Totals(
        by=names,
        currency=currency,
        amounts=values,
        qualifiers=key_qualifiers,
        grand_total=Money._trusted(grand, currency),
        grand_qualifier=summarise_qualifiers(all_qualifiers),
        unknown=tuple(unknown),
        unconverted=tuple(unconverted),
        kinds=frozenset(used_kinds),
        basis=basis,
        additive=split == "even",
    )


def _dimensions(by: Dimension | Sequence[Dimension]) -> tuple[Dimension, ...]:
    if isinstance(by, str) or callable(by):
        chosen: tuple[Dimension, ...] = (by,)
    else:
        chosen = tuple(by)
    if not chosen:
        raise DataError("give at least one dimension to group by")
    for dimension in chosen:
        if isinstance(dimension, str) and dimension not in DIMENSIONS:
            raise DataError(
                f"cannot group by {dimension!r}; choose from {', '.join(DIMENSIONS)} "
                "or pass a function"
            )
    return chosen


def _name(dimension: Dimension) -> str:
    if isinstance(dimension, str):
        return dimension
    return getattr(dimension, "__name__", "key")


def _sort_key(key: tuple[Hashable, ...]) -> tuple[tuple[int, str], ...]:
    return tuple(
        (1, "")
        if part is None
        else (0, f"{part:>12}" if isinstance(part, int) else str(part))
        for part in key
    )


def _even(keys: Sequence[Hashable]) -> tuple[tuple[Hashable, Fraction], ...]:
    if not keys:
        return ((None, _ONE),)
    return tuple((key, Fraction(1, len(keys))) for key in keys)


def _shares(
    entries: Sequence[tuple[Hashable, Decimal | None]], split: str
) -> tuple[tuple[Hashable, Fraction], ...]:
    if not entries:
        return ((None, _ONE),)
    if split == "whole":
        return tuple((key, _ONE) for key, _ in entries)
    if entries[0][1] is None:
        return _even([key for key, _ in entries])
    weights = [
        (key, Fraction(percentage) / 100)
        for key, percentage in entries
        if percentage is not None
    ]
    rest = Fraction(1) - sum((weight for _, weight in weights), Fraction(0))
    if rest:
        weights.append((None, rest))
    return tuple(weights)


def _merge(
    weights: Iterable[tuple[Hashable, Fraction]],
) -> tuple[tuple[Hashable, Fraction], ...]:
    merged: dict[Hashable, Fraction] = {}
    for key, weight in weights:
        merged[key] = merged.get(key, Fraction(0)) + weight
    return tuple(merged.items())


def _key_weights(
    record: Engagement,
    dimensions: tuple[Dimension, ...],
    data: Dataset,
    level: PlaceLevel | None,
    split: str,
    donors: Callable[[Engagement], tuple[tuple[Hashable, Fraction], ...]],
) -> tuple[tuple[tuple[Hashable, ...], Fraction], ...]:
    combined: list[tuple[tuple[Hashable, ...], Fraction]] = [((), _ONE)]
    for dimension in dimensions:
        if dimension == "donor":
            options = donors(record)
        else:
            options = _options(record, dimension, data, level, split)
        combined = [
            ((*key, option), share if weight is _ONE else weight * share)
            for key, weight in combined
            for option, share in options
        ]
    return tuple(combined)


def _options(
    record: Engagement,
    dimension: Dimension,
    data: Dataset,
    level: PlaceLevel | None,
    split: str,
) -> tuple[tuple[Hashable, Fraction], ...]:
    if callable(dimension) and not isinstance(dimension, str):
        return ((dimension(record), _ONE),)
    if dimension == "channel":
        return ((None if record.channel is None else record.channel.value, _ONE),)
    if dimension == "status":
        return ((None if record.status is None else record.status.value, _ONE),)
    if dimension == "implementer":
        return _even([p.organisation for p in record.implementers])
    if dimension == "sector":
        return _shares([(s.sector, s.percentage) for s in record.sectors], split)
    if dimension == "place":
        entries = [
            (_at_level(data, share.place, level), share.percentage)
            for share in record.places
        ]
        return _merge(_shares(entries, split))
    # "year" and "kind" are filled in per amount slice.
    return ((None, _ONE),)


def _at_level(data: Dataset, place_id: str, level: PlaceLevel | None) -> str:
    return place_id if level is None else data.roll_up(place_id, level)


def _round_preserving_sum(
    values: Mapping[tuple[Hashable, ...], Fraction], places: int
) -> dict[tuple[Hashable, ...], Decimal]:
    """Round each value to ``places`` so the rounded values sum to the
    rounded exact total (largest remainders take the leftover units)."""
    scale = 10**places
    scaled = {key: value * scale for key, value in values.items()}
    total = round(sum(scaled.values(), Fraction(0)))
    floors = {key: math.floor(value) for key, value in scaled.items()}
    leftover = total - sum(floors.values())
    order = sorted(scaled, key=lambda key: (floors[key] - scaled[key], _sort_key(key)))
    for key in order[:leftover]:
        floors[key] += 1
    return {key: Decimal(units).scaleb(-places) for key, units in floors.items()}
