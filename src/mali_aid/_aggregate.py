"""Totals that keep every cent and say how they know each figure.

:func:`totals` groups engagements' money by donor, channel, sector, place,
year, implementer, status, kind of amount, engagement or any function of an
engagement. This module runs a total from end to end:

1. the rules of :mod:`mali_aid._rules` cut each engagement's money into
   exact atoms (the reference), or the fast engine of
   :mod:`mali_aid._engine` takes the engagements of the common shape;
2. :mod:`mali_aid._rounding` rounds each engagement's pieces once, so that
   they sum to its own rounded total;
3. the pieces are added up into the :class:`Cell` s of a :class:`Totals`
   (:mod:`mali_aid._totals_result`), with the engine's sums added in.

Every figure of a :class:`Totals` is a sum of these rounded pieces, so any
grouping of the same engagements adds up to the same whole, to the cent.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import attrs

from . import _arguments, _columns, _engine
from ._currencies import MINOR_UNITS
from ._gc import paused_collection
from ._model import AmountKind, Engagement, PlaceLevel
from ._money import Money
from ._rounding import _pieces, _round_engagement, _round_whole, _Rounded
from ._rules import (
    Atom,
    Basis,
    Conversion,
    Rules,
    attribute,
    contributing_amounts,
    in_scope,
)
from ._selection import Filters, Selection
from ._totals_result import (
    DEFAULT_TOLERANCE,
    Cell,
    Key,
    Totals,
    _in_order,
    _money,
    _Sums,
    summarise_qualifiers,
)
from .errors import DataError

if TYPE_CHECKING:
    from ._dataset import Dataset
    from ._rates import Rates

__all__ = [
    "DEFAULT_TOLERANCE",
    "DIMENSIONS",
    "Basis",
    "Cell",
    "Key",
    "Totals",
    "YearRow",
    "contributing_amounts",
    "summarise_qualifiers",
    "totals",
    "year_rows",
]

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
    "engagement",
)


# -- keys -----------------------------------------------------------------------------


def _key_part(
    atom: Atom, dimension: Dimension, data: Dataset, level: PlaceLevel | None
) -> Hashable:
    engagement = atom.engagement
    if not isinstance(dimension, str):
        return dimension(engagement)
    if dimension == "place":
        place = atom.place
        return (
            place if level is None or place is None else data.roll_up(str(place), level)
        )
    if dimension in ("channel", "status"):
        value = getattr(engagement, dimension)
        return None if value is None else value.value
    if dimension == "kind":
        return None if atom.kind is None else atom.kind.value
    if dimension == "engagement":
        return engagement.id
    part: Hashable = getattr(atom, dimension)
    return part


def _sort_key(key: tuple[Hashable, ...]) -> tuple[tuple[int, str], ...]:
    return tuple(
        (1, "")
        if part is None
        else (0, f"{part:>12}" if isinstance(part, int) else str(part))
        for part in key
    )


# -- totals() -------------------------------------------------------------------------


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


def _tolerance(value: Decimal | Fraction | str) -> Fraction:
    try:
        tolerance = Fraction(value)
    except (TypeError, ValueError):
        raise DataError(f"tolerance {value!r} is not a number") from None
    if not 0 <= tolerance < 1:
        raise DataError(f"tolerance {value} must be at least 0 and below 1")
    return tolerance


def _unique(records: Iterable[Engagement]) -> list[Engagement]:
    seen: set[str] = set()
    unique = []
    for record in records:
        if record.id in seen:
            raise DataError(f"engagement {record.id!r} is given twice")
        seen.add(record.id)
        unique.append(record)
    return unique


@paused_collection()
def totals(
    engagements: Iterable[Engagement],
    *,
    data: Dataset,
    by: Dimension | Sequence[Dimension] = "donor",
    currency: str = "EUR",
    rates: Rates | None = None,
    kinds: Iterable[AmountKind | str] | None = None,
    level: PlaceLevel | str | None = None,
    split: Literal["even", "whole"] = "even",
    scope: Literal["mali", "all"] = "mali",
    tolerance: Decimal | Fraction | str = DEFAULT_TOLERANCE,
) -> Totals:
    """Total the engagements' money by one or more dimensions.

    ``by`` names a dimension (``"donor"``, ``"channel"``, ``"sector"``,
    ``"place"``, ``"year"``, ``"implementer"``, ``"status"``, ``"kind"``,
    ``"engagement"``), a function of an engagement, or a tuple of them for a
    cross-tab (default: ``"donor"``, as on the command line). ``currency``
    is the currency of the result (default: ``"EUR"``); ``data`` the
    :class:`~mali_aid.Dataset` that knows the organisation tree (a donor is
    the root of its funder) and the places, always given, so that nobody's
    records are totalled against the bundled tree by accident; ``rates`` the
    exchange rates (default: :func:`~mali_aid.default_rates`).

    The rules, set out in full in the analysis guide, in short:

    - each engagement counts its planned total or else what it contributed
      (``kinds=`` asks for particular kinds); one with nothing to count is
      unknown, never zero, and leaves its cells open above;
    - every cell has bounds: "about" amounts lie within ``tolerance`` (10 %
      by default) of their figure, "at least" ones have no upper bound;
    - a part counts under its own keys and its container's remainder under
      the container's; parts larger than their container are refused;
    - multi-year amounts are spread over years by days, each year's slice
      converted at that year's mean rate (or at the amount's value date);
    - funding shares and percentages split exactly; several sectors, places
      or implementers without percentages share evenly (``split="whole"``
      counts the whole under each key instead, and the result says it does
      not add up);
    - only Mali's part counts (``scope="all"`` counts whole engagements);
    - every cell says its basis: stated, spread, split, remainder, share
      unknown, converted and at which kind of rate.

    Given the result of :meth:`Dataset.select`, the total is of what the
    selection asks about: ``totals(data.select(place=X), ...)`` counts the
    share of the money attributed to ``X``, the same figure as grouping by
    place and reading ``X``. Pass ``split="whole"`` for the whole amounts of
    the engagements that touch ``X``.

    >>> import mali_aid
    >>> data = mali_aid.load()
    >>> result = mali_aid.totals(data.select(donor="BE"), by="donor",
    ...                          currency="EUR", data=data)
    >>> print(result["BE"])
    EUR 50,500,000.00, at least
    """
    if engagements is not getattr(data, "engagements", None):
        # A dataset's own engagements were checked when it was built (and
        # ``data`` itself is checked next); at a million this saves 25 ms.
        engagements = _arguments.engagements("totals", engagements)
    _arguments.check(
        "totals",
        by=by,
        currency=currency,
        data=data,
        rates=rates,
        kinds=kinds,
        level=level,
        split=split,
        scope=scope,
        tolerance=tolerance,
    )
    computed = _compute(
        engagements,
        by=by,
        currency=currency,
        data=data,
        rates=rates,
        kinds=kinds,
        level=level,
        split=split,
        scope=scope,
        tolerance=tolerance,
    )
    return _assemble(computed)


def reference_totals(
    engagements: Iterable[Engagement],
    *,
    by: Dimension | Sequence[Dimension],
    currency: str,
    data: Dataset,
    rates: Rates | None = None,
    kinds: Iterable[AmountKind | str] | None = None,
    level: PlaceLevel | str | None = None,
    split: Literal["even", "whole"] = "even",
    scope: Literal["mali", "all"] = "mali",
    tolerance: Decimal | Fraction | str = DEFAULT_TOLERANCE,
) -> Totals:
    """:func:`totals` by the reference rules alone, one atom at a time,
    whatever the number of engagements: the oracle the fast engine is
    checked against."""
    engagements = _arguments.engagements("reference_totals", engagements)
    _arguments.check(
        "reference_totals",
        by=by,
        currency=currency,
        data=data,
        rates=rates,
        kinds=kinds,
        level=level,
        split=split,
        scope=scope,
        tolerance=tolerance,
    )
    computed = _compute(
        engagements,
        by=by,
        currency=currency,
        data=data,
        rates=rates,
        kinds=kinds,
        level=level,
        split=split,
        scope=scope,
        tolerance=tolerance,
        engine=False,
    )
    return _assemble(computed)


@attrs.frozen
class _Fast:
    """What the fast engine totalled: its result, over ``rows`` of ``columns``."""

    result: _engine.Result
    columns: _columns.Columns
    rows: Any


@attrs.frozen
class _Computed:
    """The rounded pieces a total adds up, with what :func:`_assemble` needs."""

    kept: list[_Rounded]
    chosen: Sequence[Engagement]
    rules: Rules
    names: tuple[str, ...]
    rates: Rates
    contained: frozenset[str]
    fast: _Fast | None = None


def _compute(
    engagements: Iterable[Engagement],
    *,
    by: Dimension | Sequence[Dimension],
    currency: str,
    data: Dataset,
    rates: Rates | None,
    kinds: Iterable[AmountKind | str] | None,
    level: PlaceLevel | str | None,
    split: Literal["even", "whole"],
    scope: Literal["mali", "all"],
    tolerance: Decimal | Fraction | str,
    engine: bool = True,
) -> _Computed:
    """Check the arguments, then total by the reference rules, or by the fast
    engine with the reference for what the engine leaves."""
    if currency not in MINOR_UNITS:
        raise DataError(f"unknown currency code {currency!r}")
    if split not in ("even", "whole"):
        raise DataError(f"split must be 'even' or 'whole', not {split!r}")
    if scope not in ("mali", "all"):
        raise DataError(f"scope must be 'mali' or 'all', not {scope!r}")
    dimensions = _dimensions(by)
    names = tuple(_name(dimension) for dimension in dimensions)
    wanted_kinds = (
        None if kinds is None else frozenset(AmountKind(kind) for kind in kinds)
    )
    place_level = None if level is None else PlaceLevel(level)
    own = engagements is data.engagements
    chosen: Sequence[Engagement] = data.engagements if own else _unique(engagements)
    filters = Filters()
    base: Sequence[Engagement] = chosen
    if isinstance(engagements, Selection) and split == "even":
        filters, base = engagements.filters, engagements.base
    if rates is None:
        from ._rates import default_rates

        rates = default_rates()
    rules = Rules(
        data=data,
        rates=rates,
        currency=currency,
        kinds=wanted_kinds,
        tolerance=_tolerance(tolerance),
        scope=scope,
        split=split,
    )
    seen = (*names, *filters.dimensions())
    plan = _fast_plan(chosen, own, rules, dimensions, filters) if engine else None
    if plan is not None:
        columns, rows = plan
        result = _engine.run(columns, rows, rules, names, place_level)
        rest = [chosen[position] for position in result.left.tolist()]
        kept, contained = _reference(
            rest, rest, rules, dimensions, place_level, filters, seen
        )
        fast = _Fast(result, columns, rows)
        return _Computed(kept, chosen, rules, names, rates, contained, fast)
    kept, contained = _reference(
        base, chosen, rules, dimensions, place_level, filters, seen
    )
    return _Computed(kept, chosen, rules, names, rates, contained)


def _fast_plan(
    chosen: Sequence[Engagement],
    own: bool,
    rules: Rules,
    dimensions: Sequence[Dimension],
    filters: Filters,
) -> tuple[_columns.Columns, Any] | None:
    """The columns and rows the fast engine totals, or ``None`` where the
    reference must do it all: numpy missing, fewer engagements than
    :data:`mali_aid._engine.MIN_ROWS`, ``split="whole"``, ``kinds=``, a
    selection's conditions or a dimension that is a function."""
    if (
        len(chosen) < _engine.MIN_ROWS
        or rules.split != "even"
        or rules.kinds is not None
        or filters.dimensions()
        or not all(isinstance(dimension, str) for dimension in dimensions)
    ):
        return None
    try:
        import numpy as np
    except ImportError:
        return None
    data = rules.data
    if own:
        return _columns.of_dataset(data, rules.scope), np.arange(len(chosen))
    columns = _columns.of_dataset(data, rules.scope)
    position = columns.position()
    rows = [position.get(record.id, -1) for record in chosen]
    records = columns.records
    if all(
        row >= 0 and records[row] is record
        for row, record in zip(rows, chosen, strict=True)
    ):
        return columns, np.array(rows, dtype=np.int64)
    return _columns.build(chosen, data, rules.scope), np.arange(len(chosen))


def _reference(
    base: Sequence[Engagement],
    chosen: Sequence[Engagement],
    rules: Rules,
    dimensions: Sequence[Dimension],
    level: PlaceLevel | None,
    filters: Filters,
    seen: tuple[str, ...],
) -> tuple[list[_Rounded], frozenset[str]]:
    """The rules applied one atom at a time: the rounded pieces of the
    ``chosen`` engagements (their money reckoned among ``base``) that the
    filters admit, and the engagements contained in a counted container."""
    data = rules.data

    def key_of(atom: Atom) -> tuple[Hashable, ...]:
        return tuple(_key_part(atom, d, data, level) for d in dimensions)

    atoms, contained = attribute(base, rules)
    pieces = _pieces(atoms, key_of, filters, seen, rules.split)
    places = MINOR_UNITS[rules.currency]
    ids = {record.id for record in chosen}
    kept = [
        rounded
        for engagement_id, own in pieces.items()
        if engagement_id in ids
        for rounded in (
            _round_engagement(own, places)
            if rules.split == "even"
            else _round_whole(own, places)
        )
        if filters._admits(rounded.atom, data)
    ]
    return kept, contained


def _assemble(computed: _Computed) -> Totals:
    kept, chosen, rules = computed.kept, computed.chosen, computed.rules
    fast = computed.fast
    positions = _positions(computed)
    cells: dict[tuple[Hashable, ...], _Sums] = {}
    total = _Sums()
    # Counted whole (split="whole"), an engagement has one copy of its money
    # per sector, place and implementer; a cell or the total takes one copy.
    first_copy: dict[Hashable, Hashable] = {}

    def first(where: Hashable, atom: Atom) -> bool:
        copy = (atom.sector, atom.place, atom.implementer)
        return first_copy.setdefault((where, atom.engagement.id), copy) == copy

    whole = rules.split == "whole"
    for rounded in kept:
        atom = rounded.atom
        key = rounded.piece.key
        position = positions[atom.engagement.id]
        if not whole or first(("cell", key), atom):
            cells.setdefault(key, _Sums()).add(rounded, position)
        if not whole or first("total", atom):
            total.add(rounded, position)
    conversions = {c for rounded in kept for c in rounded.piece.conversions}
    kinds = {rounded.atom.kind for rounded in kept if rounded.atom.kind is not None}
    unconverted = {
        rounded.atom.engagement.id: positions[rounded.atom.engagement.id]
        for rounded in kept
        if rounded.atom.status == "unconverted"
    }
    if fast is not None:
        for key, sums in fast.result.cells.items():
            cells.setdefault(key, _Sums()).merge(sums)
        total.merge(fast.result.total)
        conversions |= fast.result.conversions
        kinds |= fast.result.kinds
        unconverted.update(
            (chosen[position].id, position)
            for position in fast.result.unconverted.tolist()
        )
    single = len(computed.names) == 1
    ordered = sorted(cells, key=_sort_key)
    return Totals(
        by=computed.names,
        currency=rules.currency,
        cells={
            (key[0] if single else key): cells[key].cell(rules.currency)
            for key in ordered
        },
        total=total.cell(rules.currency),
        unknown=_unknown(computed),
        contained=tuple(
            record.id for record in chosen if record.id in computed.contained
        )
        if computed.contained
        else (),
        unconverted=_in_order(unconverted),
        outside_scope=_outside(computed),
        kinds=frozenset(kinds),
        conversions=tuple(sorted(conversions, key=lambda c: (c.source, str(c.when)))),
        rates_origin=computed.rates.origin if conversions else None,
        scope=rules.scope,
        tolerance=rules.tolerance,
        additive=rules.split == "even",
    )


def _positions(computed: _Computed) -> dict[str, int]:
    """The position among the engagements totalled of each the reference
    rounded."""
    chosen = computed.chosen
    if computed.fast is None:
        return {record.id: index for index, record in enumerate(chosen)}
    return {
        chosen[position].id: position for position in computed.fast.result.left.tolist()
    }


def _unknown(computed: _Computed) -> tuple[str, ...]:
    """The engagements with nothing to count, in order."""
    fast = computed.fast
    if fast is None:
        kinds = computed.rules.kinds
        return tuple(
            record.id
            for record in computed.chosen
            if not contributing_amounts(record, kinds)
        )

    missing = fast.rows[~fast.columns.has_counted[fast.rows]]
    return tuple(_engine.ids_of(fast.columns)[missing].tolist())


def _outside(computed: _Computed) -> tuple[str, ...]:
    """The engagements no money of which lies in the scope, in order."""
    fast = computed.fast
    if fast is None:
        return tuple(
            record.id
            for record in computed.chosen
            if not in_scope(record, computed.rules)
        )
    import numpy as np

    outside = np.flatnonzero(fast.columns.cls[fast.rows] == _columns.OUTSIDE)
    return tuple(computed.chosen[position].id for position in outside.tolist())


# -- rows of the years export -------------------------------------------------------


@attrs.frozen
class YearRow:
    """One engagement's money for one donor, year, kind and rate.

    ``cell`` holds the figure in the total's currency; ``original`` the same
    money in the amount's own currency (rounded to its minor unit);
    ``conversion`` the rate between them (``None`` where the amount is
    unknown).
    """

    engagement: str
    donor: Hashable
    year: int | None
    kind: AmountKind | None
    cell: Cell
    original: Money | None
    conversion: Conversion | None
    #: The bases of ``cell`` that hold only in a total by (or filtered on)
    #: a dimension: ``("year", Basis.SPREAD_BY_DAYS)``.
    splits: frozenset[tuple[str, Basis]] = frozenset()


def year_rows(
    engagements: Iterable[Engagement],
    *,
    currency: str,
    data: Dataset,
    rates: Rates | None = None,
    kinds: Iterable[AmountKind | str] | None = None,
    scope: Literal["mali", "all"] = "mali",
) -> list[YearRow]:
    """The pieces of :func:`totals` by engagement, donor, year, kind and rate:
    rows whose sums over any grouping give the figures of :func:`totals`.

    An engagement with nothing counted (amount unknown, or no rate) has its
    pieces here too, with no best figure and no kind: they leave its cells
    open. :func:`mali_aid.export.years` writes them as its fallback rows,
    one per donor and year with ``amount_missing`` set, and one per donor
    with no year where an engagement has no piece here at all, so that every
    engagement has a row (``export._missing_rows``)."""
    engagements = _arguments.engagements("year_rows", engagements)
    _arguments.check(
        "year_rows", currency=currency, data=data, rates=rates, kinds=kinds, scope=scope
    )
    kept = _compute(
        engagements,
        by="engagement",
        currency=currency,
        data=data,
        rates=rates,
        kinds=kinds,
        level=None,
        split="even",
        scope=scope,
        tolerance=DEFAULT_TOLERANCE,
        engine=False,
    ).kept
    groups: dict[tuple[Hashable, ...], tuple[_Sums, list[Fraction], Atom]] = {}
    splits: dict[tuple[Hashable, ...], set[tuple[str, Basis]]] = {}
    for rounded in kept:
        atom = rounded.atom
        when = None if atom.conversion is None else atom.conversion.when
        key = (
            atom.engagement.id,
            atom.donor,
            atom.year,
            atom.kind,
            atom.currency,
            when,
        )
        sums, originals, _ = groups.setdefault(key, (_Sums(), [], atom))
        splits.setdefault(key, set()).update(rounded.piece.splits)
        sums.add(rounded, 0)
        if rounded.piece.original is not None:
            originals.append(rounded.piece.original)
    return [
        YearRow(
            engagement=atom.engagement.id,
            donor=atom.donor,
            year=atom.year,
            kind=atom.kind,
            cell=sums.cell(currency),
            original=_original(originals, atom.currency),
            conversion=atom.conversion,
            splits=frozenset(splits[key]),
        )
        for key, (sums, originals, atom) in groups.items()
    ]


def _original(values: list[Fraction], currency: str | None) -> Money | None:
    if currency is None or not values:
        return None
    places = MINOR_UNITS[currency]
    units = round(sum(values, Fraction(0)) * 10**places)
    return _money(units, places, currency)
