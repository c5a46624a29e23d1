"""What a total gives: :class:`Cell` s, each a figure with its bounds and
how it is known, gathered in a :class:`Totals`.

A cell is added up in minor units (:class:`_Sums`) from the rounded pieces
of :mod:`mali_aid._rounding` and from the sums of the fast engine, then
presented as :class:`~mali_aid.Money`. The text form of a total is in
:mod:`mali_aid._totals_text`, its plain-data forms in
:mod:`mali_aid._serialise`.
"""

from __future__ import annotations

import warnings
from collections.abc import Hashable, Iterable, Iterator, Mapping
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeAlias

import attrs

from . import _engine
from ._currencies import MINOR_UNITS
from ._model import AmountKind, Qualifier
from ._money import Money
from ._rules import Basis, Conversion
from ._totals_text import render
from .errors import DataError

if TYPE_CHECKING:
    from ._rounding import _Rounded
    from .export import Table

__all__ = ["DEFAULT_TOLERANCE", "Cell", "Key", "Totals", "summarise_qualifiers"]

Key: TypeAlias = Hashable

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
        """Deprecated: use ``to_dict()["rows"]``."""
        warnings.warn(
            "Totals.to_records() is deprecated and will be removed in 0.3.0;"
            ' use Totals.to_dict()["rows"] (or to_table().records())',
            DeprecationWarning,
            stacklevel=2,
        )
        return self._rows()

    def _rows(self) -> list[dict[str, Any]]:
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
        per key under ``"rows"`` (the key's parts, then the cell's fields:
        :meth:`Cell.to_dict`), the total and what was left out."""
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
        return render(self, names, width)

    def __str__(self) -> str:
        return render(self)


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
