"""Totals that keep every cent and say how they know each figure.

:func:`totals` groups engagements' money by donor, channel, sector, place,
year, implementer, status, kind of amount, engagement or any function of an
engagement. The rules that cut each engagement's money into pieces live in
:mod:`mali_aid._rules`; this module rounds those pieces, adds them up into
:class:`Cell` s and presents them.

Rounding happens once per engagement: its pieces are rounded to the minor
unit of the currency so that they sum to its own rounded total, and every
figure of a :class:`Totals` is a sum of these rounded pieces. So any grouping
of the same engagements adds up to the same whole, to the cent.
"""

from __future__ import annotations

import math
import textwrap
import warnings
from collections.abc import Callable, Hashable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Literal, TypeAlias

import attrs

from . import _arguments, _columns, _engine
from ._currencies import MINOR_UNITS
from ._gc import paused_collection
from ._model import AmountKind, Engagement, PlaceLevel, Qualifier
from ._money import Money
from ._rules import (
    Atom,
    Basis,
    Conversion,
    Figure,
    Rules,
    attribute,
    contributing_amounts,
    in_scope,
)
from ._selection import Filters, Selection
from .errors import DataError

if TYPE_CHECKING:
    from ._dataset import Dataset
    from ._rates import Rates
    from .export import Table

__all__ = [
    "DIMENSIONS",
    "Basis",
    "Cell",
    "Totals",
    "YearRow",
    "contributing_amounts",
    "summarise_qualifiers",
    "totals",
    "year_rows",
]

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
    "engagement",
)

#: How far an "about" figure may lie from its best value, by default: 10 %.
DEFAULT_TOLERANCE = Decimal("0.1")


def summarise_qualifiers(qualifiers: Iterable[Qualifier]) -> Qualifier:
    """One qualifier for a figure built from parts with these qualifiers.

    Any "about" part, or parts bounded from both sides, make it "about"; "at
    least" parts alone make it "at least", "at most" parts "at most".
    """
    present = set(qualifiers) - {Qualifier.EXACT}
    if not present:
        return Qualifier.EXACT
    if Qualifier.ABOUT in present or len(present) > 1:
        return Qualifier.ABOUT
    return present.pop()


# -- cells ----------------------------------------------------------------------------

_SHORT = {
    Basis.STATED: "",
    Basis.SPREAD_BY_DAYS: "d",
    Basis.SPLIT_EVENLY: "e",
    Basis.SPLIT_BY_PERCENTAGES: "%",
    Basis.REMAINDER: "r",
    Basis.INFERRED_PART: "i",
    Basis.SHARE_UNKNOWN: "?",
    Basis.CONVERTED_ANNUAL_MEAN: "c",
    Basis.CONVERTED_DAILY: "v",
    Basis.CONVERTED_PEG: "p",
}


@attrs.frozen
class Cell:
    """One figure of a total, with its bounds and how it is known.

    ``best`` is the best figure, ``None`` when nothing in the cell is known
    (never zero). ``low`` and ``high`` bound the true figure; ``high`` is
    ``None`` when the cell holds an engagement whose amount is unknown or
    stated as "at least", so that nothing bounds it above. ``basis`` says
    how the figure was obtained (:class:`Basis`); ``unknown`` names the
    engagements in the cell whose amount is unknown, ``unconverted`` those
    whose amount has no rate into the currency.

    >>> cell = Cell(best=Money("50500000.00", "EUR"), low=Money("50500000.00", "EUR"),
    ...             high=None, basis=frozenset({Basis.STATED}), unknown=("be-x",))
    >>> cell.qualifier.value, cell.is_unknown, str(cell)
    ('at-least', False, 'EUR 50,500,000.00, at least')
    """

    best: Money | None
    low: Money
    high: Money | None
    basis: frozenset[Basis] = frozenset()
    unknown: tuple[str, ...] = ()
    unconverted: tuple[str, ...] = ()

    @property
    def qualifier(self) -> Qualifier | None:
        """How the best figure relates to its bounds; ``None`` when unknown."""
        if self.best is None:
            return None
        bounded_below = self.low == self.best
        bounded_above = self.high == self.best
        if bounded_below and bounded_above:
            return Qualifier.EXACT
        if bounded_below:
            return Qualifier.AT_LEAST
        if bounded_above:
            return Qualifier.AT_MOST
        return Qualifier.ABOUT

    @property
    def is_unknown(self) -> bool:
        """Whether nothing in the cell is known."""
        return self.best is None

    @property
    def is_estimate(self) -> bool:
        """Whether the figure rests on spreading over years or an even split."""
        return any(basis.is_estimate for basis in self.basis)

    @property
    def currency(self) -> str:
        """The currency of the figures."""
        return self.low.currency

    def to_dict(self) -> dict[str, Any]:
        """The cell as plain data: amounts as strings, ``None`` where unknown."""
        return {
            "amount": None if self.best is None else str(self.best.amount),
            "currency": self.currency,
            "low": str(self.low.amount),
            "high": None if self.high is None else str(self.high.amount),
            "qualifier": None if self.qualifier is None else str(self.qualifier),
            "basis": sorted(str(basis) for basis in self.basis),
            "unknown": list(self.unknown),
            "unconverted": list(self.unconverted),
        }

    def __str__(self) -> str:
        if self.best is None:
            return "unknown"
        text = f"{self.currency} {self.best.amount:,}"
        if self.qualifier is not Qualifier.EXACT:
            text += f", {str(self.qualifier).replace('-', ' ')}"
        if self.is_estimate:
            text += ", an estimate"
        return text


@attrs.define
class _Sums:
    """What adds up into a cell, in minor units.

    ``unknown`` and ``unconverted`` map an engagement's id to its position
    among the engagements totalled, which orders them in the cell.
    """

    known: bool = False
    best: int = 0
    low: int = 0
    high: int | None = 0
    basis: set[Basis] = attrs.field(factory=set)
    unknown: dict[str, int] = attrs.field(factory=dict)
    unconverted: dict[str, int] = attrs.field(factory=dict)
    #: What the fast engine listed: (ids, positions), each in order.
    listed: dict[str, list[tuple[list[str], list[int]]]] = attrs.field(
        factory=lambda: {"unknown": [], "unconverted": []}
    )

    def add(self, atom: _Rounded, position: int) -> None:
        if atom.best is not None:
            self.known = True
            self.best += atom.best
        self.low += atom.low
        self.high = (
            None if self.high is None or atom.high is None else self.high + atom.high
        )
        self.basis |= atom.piece.basis
        if atom.atom.status == "unknown":
            self.unknown.setdefault(atom.atom.engagement.id, position)
        elif atom.atom.status == "unconverted":
            self.unconverted.setdefault(atom.atom.engagement.id, position)

    def merge(self, sums: _engine.Sums) -> None:
        """Add what the fast engine summed."""
        self.known = self.known or sums.known
        self.best += sums.best
        self.low += sums.low
        self.high = (
            None if self.high is None or sums.high is None else self.high + sums.high
        )
        self.basis |= _engine.basis_of(sums.basis)
        if sums.unknown:
            self.listed["unknown"].append((sums.unknown_ids, sums.unknown))
        if sums.unconverted:
            self.listed["unconverted"].append((sums.unconverted_ids, sums.unconverted))

    def cell(self, currency: str) -> Cell:
        places = MINOR_UNITS[currency]
        return Cell(
            best=_money(self.best, places, currency) if self.known else None,
            low=_money(self.low, places, currency),
            high=None if self.high is None else _money(self.high, places, currency),
            basis=frozenset(self.basis),
            unknown=self._in_order("unknown"),
            unconverted=self._in_order("unconverted"),
        )

    def _in_order(self, name: str) -> tuple[str, ...]:
        positions: dict[str, int] = getattr(self, name)
        listed = self.listed[name]
        if not positions and len(listed) == 1:
            return tuple(listed[0][0])
        if listed:
            # An engagement has one position: where two name it, they agree.
            positions = dict(positions)
            for ids, at in listed:
                positions.update(zip(ids, at, strict=True))
        return _in_order(positions)


def _in_order(positions: Mapping[str, int]) -> tuple[str, ...]:
    return tuple(sorted(positions, key=positions.__getitem__))


def _money(units: int, places: int, currency: str) -> Money:
    # The string form is exact whatever the size: no context rounds it.
    return Money._trusted(
        Decimal(f"{units}E-{places}") if places else Decimal(units), currency
    )


# -- rounding -------------------------------------------------------------------------


@attrs.frozen
class _Piece:
    """The atoms of one engagement that fall on one key, added up.

    ``atom`` is one of them: they share the engagement, the key and every
    value a selection's conditions look at.
    """

    atom: Atom
    key: tuple[Hashable, ...]
    figure: Figure
    basis: frozenset[Basis]
    conversions: frozenset[Conversion]
    #: The piece in its amount's own currency, exact (``None`` if unknown).
    original: Fraction | None = None
    #: The bases that hold only in a total by (or filtered on) a dimension.
    splits: frozenset[tuple[str, Basis]] = frozenset()


@attrs.frozen
class _Rounded:
    """A piece with its figures in minor units."""

    piece: _Piece
    best: int | None
    low: int
    high: int | None

    @property
    def atom(self) -> Atom:
        return self.piece.atom


def _added(figures: Iterable[Figure]) -> Figure:
    best: Fraction | None = None
    low = Fraction(0)
    high: Fraction | None = Fraction(0)
    for figure in figures:
        if figure.best is not None:
            best = figure.best if best is None else best + figure.best
        low += figure.low
        high = None if high is None or figure.high is None else high + figure.high
    return Figure(best, low, high)


def _pieces(
    atoms: Sequence[Atom],
    key_of: Callable[[Atom], tuple[Hashable, ...]],
    filters: Filters,
    seen: tuple[str, ...],
    split: str,
) -> dict[str, list[_Piece]]:
    """Each engagement's atoms added up into leaves: one per donor, kind,
    sector, place, implementer and year, whatever the grouping asked for, so
    that every grouping is a sum of the same rounded leaves."""
    grouped: dict[tuple[Any, ...], list[Atom]] = {}
    for atom in atoms:
        fine = (atom.engagement.id, atom.status, *_leaf(atom))
        grouped.setdefault(fine, []).append(atom)
    by_engagement: dict[str, list[_Piece]] = {}
    for members in grouped.values():
        piece = _Piece(
            atom=members[0],
            key=key_of(members[0]),
            figure=_added(member.figure for member in members),
            basis=frozenset().union(*(member.basis_for(seen) for member in members)),
            conversions=frozenset(
                member.conversion
                for member in members
                if member.conversion is not None and member.conversion.basis
            ),
            original=_added(
                Figure(member.original, Fraction(0), None) for member in members
            ).best,
            splits=frozenset(split for member in members for split in member.splits),
        )
        by_engagement.setdefault(members[0].engagement.id, []).append(piece)
    return by_engagement


def _largest_remainder(values: Sequence[Fraction], target: int) -> list[int]:
    """Round each value so that the rounded values sum to ``target`` (the
    rounded sum, or a parent's share): largest remainders take the units."""
    floors = [math.floor(value) for value in values]
    leftover = target - sum(floors)
    order = sorted(range(len(values)), key=lambda i: (floors[i] - values[i], i))
    for index in order[:leftover]:
        floors[index] += 1
    return floors


def _leaf(atom: Atom) -> tuple[Hashable, ...]:
    """Where an atom lies, in the order rounding descends: donor, kind,
    sector, place, implementer, year. The shares of a split come first, so
    that a half or a quarter of a round amount stays round; a year's slice
    is an estimate to the cent anyway."""
    return (
        (atom.donor, atom.funders),
        atom.kind,
        atom.sector,
        atom.place,
        atom.implementer,
        atom.year,
        # One rate per leaf: the amount's currency and the time it converts at.
        (atom.currency, None if atom.conversion is None else atom.conversion.when),
    )


def _descend(
    indices: Sequence[int],
    values: Sequence[Fraction],
    leaves: Sequence[tuple[Hashable, ...]],
    target: int,
    depth: int,
    out: dict[int, int],
) -> None:
    """Share ``target`` minor units among ``indices``, level by level.

    At each level the groups' exact sums are rounded by largest remainder so
    that they keep their parent's rounded sum; so a donor's share, a kind's,
    a sector's or a place's is as near its exact value as rounding allows,
    and the leaves always sum to the engagement's rounded total.
    """
    if len(indices) == 1 or depth == len(leaves[indices[0]]):
        shares = _largest_remainder([values[i] for i in indices], target)
        out.update(zip(indices, shares, strict=True))
        return
    groups: dict[Hashable, list[int]] = {}
    for index in indices:
        groups.setdefault(leaves[index][depth], []).append(index)
    members = list(groups.values())
    sums = [sum((values[i] for i in group), Fraction(0)) for group in members]
    for group, share in zip(members, _largest_remainder(sums, target), strict=True):
        _descend(group, values, leaves, share, depth + 1, out)


def _round_engagement(pieces: Sequence[_Piece], places: int) -> list[_Rounded]:
    """Round one engagement's pieces: the best figures keep their sum, level
    by level; bounds equal to the best figure stay equal to it, others round
    outwards."""
    scale = 10**places
    known = [i for i, piece in enumerate(pieces) if piece.figure.best is not None]
    values = [(piece.figure.best or 0) * scale for piece in pieces]
    rounded_best: dict[int, int] = {}
    if known:
        target = round(sum((values[i] for i in known), Fraction(0)))
        leaves = [_leaf(piece.atom) for piece in pieces]
        _descend(known, values, leaves, target, 0, rounded_best)
    result = []
    for index, piece in enumerate(pieces):
        figure = piece.figure
        best = rounded_best.get(index)
        low = (
            best
            if best is not None and figure.low == figure.best
            else math.floor(figure.low * scale)
        )
        if figure.high is None:
            high = None
        elif best is not None and figure.high == figure.best:
            high = best
        else:
            high = math.ceil(figure.high * scale)
        result.append(_Rounded(piece, best, low, high))
    return result


def _round_whole(pieces: Sequence[_Piece], places: int) -> list[_Rounded]:
    # Counted whole under each key, each key's copy is rounded on its own.
    copies: dict[Hashable, list[_Piece]] = {}
    for piece in pieces:
        atom = piece.atom
        copies.setdefault((atom.sector, atom.place, atom.implementer), []).append(piece)
    return [r for copy in copies.values() for r in _round_engagement(copy, places)]


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


# -- the result -----------------------------------------------------------------------


def _read_only(value: Mapping[Any, Any]) -> Mapping[Any, Any]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Totals(Mapping[Key, Cell]):
    """Totals by key, in one currency, and how each figure is known.

    A ``Totals`` is a read-only mapping from key to :class:`Cell`; a key is a
    single value when grouped by one dimension and a tuple when grouped by
    several (``None`` stands for an unknown donor, sector, place or year).
    ``best(key)`` gives a cell's best figure as :class:`Money`, or ``None``
    when it is unknown. ``total`` is the cell of everything counted. The
    cells sum to the total to the cent, bounds included.

    ``unknown`` lists every engagement with no amount to count (never taken
    as zero), ``contained`` those of them whose money lies inside a counted
    container's amount (they leave no total open), ``unconverted`` those whose amount has no rate into the
    currency, ``outside_scope`` those that lie wholly outside Mali.
    ``kinds`` are the kinds of amount included; ``conversions`` the exchange
    rates used, with their kind; ``additive`` is false when amounts were
    counted whole under several keys (``split="whole"``).
    """

    by: tuple[str, ...]
    currency: str
    cells: Mapping[Key, Cell] = attrs.field(converter=_read_only)
    total: Cell
    unknown: tuple[str, ...]
    contained: tuple[str, ...]
    unconverted: tuple[str, ...]
    outside_scope: tuple[str, ...]
    kinds: frozenset[AmountKind]
    conversions: tuple[Conversion, ...]
    rates_origin: str | None
    scope: str = "mali"
    tolerance: Fraction = Fraction(DEFAULT_TOLERANCE)
    additive: bool = True
    years: tuple[int, ...] | None = None

    def __getitem__(self, key: Key) -> Cell:
        return self.cells[key]

    def __iter__(self) -> Iterator[Key]:
        return iter(self.cells)

    def __len__(self) -> int:
        return len(self.cells)

    def best(self, key: Key) -> Money | None:
        """The best figure of a key's cell; ``None`` when it is unknown."""
        return self.cells[key].best

    def figures(self) -> dict[Key, Money | None]:
        """Every key's best figure, ``None`` where unknown, in key order."""
        return {key: cell.best for key, cell in self.cells.items()}

    @property
    def grand_total(self) -> Money | None:
        """Deprecated: use ``total.best``."""
        warnings.warn(
            "Totals.grand_total is deprecated and will be removed in 0.3.0;"
            " use Totals.total.best",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.total.best

    @property
    def qualifiers(self) -> Mapping[Key, Qualifier | None]:
        """Deprecated: use ``totals[key].qualifier``."""
        warnings.warn(
            "Totals.qualifiers is deprecated and will be removed in 0.3.0;"
            " use totals[key].qualifier",
            DeprecationWarning,
            stacklevel=2,
        )
        return MappingProxyType(
            {key: cell.qualifier for key, cell in self.cells.items()}
        )

    def in_years(self, years: Iterable[int]) -> Totals:
        """The same totals, keeping only the slices that fall in ``years``.

        Needs ``"year"`` among the dimensions. A 2023-2024 envelope then adds
        its 2024 share to a total for 2024, not its whole. The total is the
        sum of the cells kept, and ``years`` records the restriction.
        """
        if "year" not in self.by:
            raise DataError("in_years() needs totals grouped by year")
        position = self.by.index("year")
        wanted = tuple(sorted(set(years)))
        kept = {
            key: cell
            for key, cell in self.cells.items()
            if (key[position] if isinstance(key, tuple) else key) in wanted
        }
        return attrs.evolve(
            self,
            cells=kept,
            total=_sum_cells(kept.values(), self.currency),
            years=wanted,
        )

    def to_records(self) -> list[dict[str, Any]]:
        """One plain dict per key: the key's parts, then the cell's fields."""
        rows = []
        for key, cell in self.cells.items():
            parts: tuple[Hashable, ...] = (
                key if isinstance(key, tuple) and len(self.by) > 1 else (key,)
            )
            row: dict[str, Any] = dict(zip(self.by, parts, strict=True))
            row.update(cell.to_dict())
            rows.append(row)
        return rows

    def to_dict(self) -> dict[str, Any]:
        """The whole result as plain data for JSON: the dimensions, one row
        per key (:meth:`to_records`), the total and what was left out."""
        from ._serialise import totals_dict

        return totals_dict(self)

    def to_table(self) -> Table:
        """The rows as a flat :class:`~mali_aid.export.Table`, to write as
        CSV or JSON or to turn into a data frame: the key's parts, then
        ``amount``, ``currency``, ``low``, ``high``, ``qualifier``, ``basis``,
        ``unknown`` and ``unconverted`` (amounts exact, unknown empty)."""
        from ._serialise import totals_table

        return totals_table(self)

    def to_pandas(self) -> Any:
        """The rows as a ``pandas.DataFrame`` (needs the ``pandas`` extra),
        with the columns of :meth:`to_table` and amounts as exact ``Decimal``.
        """
        try:
            return self.to_table().to_pandas()
        except ImportError as error:
            raise ImportError(
                "Totals.to_pandas() needs pandas: pip install 'mali-aid[pandas]'"
            ) from error

    def to_text(
        self,
        width: int | None = None,
        *,
        names: Mapping[str, Mapping[Hashable, str]] | None = None,
    ) -> str:
        """The cells as an aligned table, then the legend of the bases.

        ``names`` gives, by dimension, a name for each key
        (``{"donor": {"BE": "Belgium"}}``), shown in a column beside it.
        With ``width``, the name columns are narrowed to fit; ids and
        figures never are.
        """
        return _render(self, names, width)

    def __str__(self) -> str:
        return _render(self)


def _sum_cells(cells: Iterable[Cell], currency: str) -> Cell:
    places = MINOR_UNITS[currency]
    scale = 10**places
    sums = _Sums()
    for cell in cells:
        if cell.best is not None:
            sums.known = True
            sums.best += int(cell.best.amount * scale)
        sums.low += int(cell.low.amount * scale)
        sums.high = (
            None
            if sums.high is None or cell.high is None
            else sums.high + int(cell.high.amount * scale)
        )
        sums.basis |= cell.basis
        for id in cell.unknown:
            sums.unknown.setdefault(id, len(sums.unknown))
        for id in cell.unconverted:
            sums.unconverted.setdefault(id, len(sums.unconverted))
    return sums.cell(currency)


# -- text -----------------------------------------------------------------------------


def _amount_text(money: Money | None) -> str:
    return "unknown" if money is None else f"{money.amount:,}"


def _bounds_text(cell: Cell) -> str:
    if cell.qualifier is Qualifier.EXACT:
        return ""
    high = "no limit" if cell.high is None else f"{cell.high.amount:,}"
    return f"{cell.low.amount:,} to {high}"


def _basis_text(cell: Cell) -> str:
    return "".join(sorted(_SHORT[basis] for basis in cell.basis))


def _row(cell: Cell) -> list[str]:
    qualifier = "" if cell.qualifier in (None, Qualifier.EXACT) else str(cell.qualifier)
    return [_amount_text(cell.best), qualifier, _bounds_text(cell), _basis_text(cell)]


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(
        text, 88, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False
    )


def _render(
    result: Totals,
    names: Mapping[str, Mapping[Hashable, str]] | None = None,
    width: int | None = None,
) -> str:
    """The cells as a table: a column per dimension, followed by the names
    ``names`` gives for its values (by dimension), then the figures."""
    if not result.cells:
        return "nothing matched: no engagement to total"
    named = names or {}
    several = sum(dimension in named for dimension in result.by) > 1
    headers: list[str] = []
    ids: list[int] = []
    for dimension in result.by:
        ids.append(len(headers))
        headers.append(str(dimension))
        if dimension in named:
            headers.append(f"{dimension} name" if several else "name")
    headers += [f"amount ({result.currency})", "qualifier", "bounds", "basis"]

    def keyed(key: Key) -> list[str]:
        cells = []
        for dimension, part in zip(result.by, _parts(result, key), strict=True):
            cells.append("(unknown)" if part is None else str(part))
            if dimension in named:
                cells.append(named[dimension].get(part, "") if part is not None else "")
        return cells

    rows = [[*keyed(key), *_row(cell)] for key, cell in result.cells.items()]
    leading = len(headers) - 4
    total = ["total", *([""] * (leading - 1)), *_row(result.total)]
    from ._text import table

    out = table(
        headers, rows, right={leading}, keep=ids, footer=total, width=width
    ).split("\n")
    out.extend(_legend(result))
    return "\n".join(out)


def _parts(result: Totals, key: Key) -> tuple[Hashable, ...]:
    return key if isinstance(key, tuple) and len(result.by) > 1 else (key,)


def _legend(result: Totals) -> list[str]:
    used = set().union(*(cell.basis for cell in result.cells.values()))
    out = [
        f"{_SHORT[basis]}  {basis.description}"
        for basis in Basis
        if basis in used and _SHORT[basis]
    ]
    if result.years is not None:
        shown = ", ".join(str(year) for year in result.years)
        out.append(f"only the slices of amounts that fall in {shown}")
    opened = result.total.unknown
    if opened:
        out.extend(_wrapped(f"amount unknown (no upper bound): {', '.join(opened)}"))
    inside = result.contained
    if inside:
        out.extend(
            _wrapped(f"amount unknown, inside a counted container: {', '.join(inside)}")
        )
    if result.unconverted:
        out.extend(
            _wrapped(
                f"not converted to {result.currency} (no rate for a year or date):"
                f" {', '.join(result.unconverted)}"
            )
        )
    if result.outside_scope:
        out.extend(
            _wrapped(f"outside Mali, not counted: {', '.join(result.outside_scope)}")
        )
    if not result.additive:
        out.append("amounts counted whole under each key: the rows do not add up")
    return out


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
    rows whose sums over any grouping give the figures of :func:`totals`."""
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
