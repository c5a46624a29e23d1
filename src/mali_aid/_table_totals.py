"""Totals over the ``years`` table itself: an Arrow table or Parquet files.

The ``years`` table of :func:`mali_aid.export.years` holds the pieces
:func:`mali_aid.totals` adds up, each rounded once with its bounds and the
bases it rests on. :func:`totals_of_years` adds those rows up again, by
donor, year, kind of amount or engagement, without building a single record:
for data written once (by ``export.years(...).to_parquet()`` or
:func:`mali_aid.iati.write_years`) and totalled many times, or too large to
load as engagement objects.

The rules are the reading of the columns:

- a row's ``amount`` (empty where unknown) adds into the best figure; the
  cell is known when any of its rows is; ``low`` and ``high`` add into the
  bounds, and a row with no ``high`` leaves the cell open above;
- a row with ``amount_missing`` ``unknown`` names its engagement among the
  cell's unknown ones, ``no-rate`` among its unconverted ones, except an
  engagement whose money lies inside a counted container (``counted_in``
  set, no bounds): it is ``contained`` and adds nothing;
- a cell's basis is every row's ``basis``, with those of
  ``basis_when_grouped`` whose dimension the total is grouped by.

Two readings of these rules give the same :class:`Totals`, field by field
and in the same order (``tests/properties/test_table_totals_properties.py``):
:func:`_reference_totals_of_years` reads the rows one by one into Python
values and states the rules; :func:`_columnar_totals` does the same over
whole columns with pyarrow and numpy (the money as whole minor units in
int64, or in 32-bit limbs where a sum could leave int64), and only each
cell's finishing is Python. The reference reads what the columnar sums do
not: money columns of another type or with more decimal places than the
currency has.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Iterable, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs

from . import _arguments
from ._currencies import MINOR_UNITS
from ._model import AmountKind
from ._money import minor_unit
from ._rules import Basis, Conversion
from ._totals_result import Key, Totals, _sum_cells, _Sums
from .errors import DataError

__all__ = ["totals_of_years"]

#: The dimensions the table holds, and the column each is read from.
COLUMN_OF = {
    "donor": "donor_id",
    "year": "year",
    "kind": "amount_kind",
    "engagement": "engagement_id",
}
_NEEDED = (
    "engagement_id",
    "donor_id",
    "year",
    "amount_kind",
    "amount",
    "currency",
    "original_currency",
    "rate",
    "rate_basis",
    "rate_date",
    "rate_year",
    "amount_missing",
    "counted_in",
    "low",
    "high",
    "basis",
    "basis_when_grouped",
)


def totals_of_years(
    source: Any,
    *,
    by: str | Sequence[str] = "donor",
    currency: str | None = None,
) -> Totals:
    """Total a ``years`` table by ``by`` (donor, year, kind, engagement or a
    tuple of them): the figures, bounds, bases and lists of
    :func:`mali_aid.totals` for the same engagements, currency, kinds and
    scope as the table was written with.

    ``source`` is a ``pyarrow.Table`` (``export.years(...).to_arrow()``), a
    Parquet file, or a directory of them such as
    :func:`mali_aid.iati.write_years` writes. Needs pyarrow. ``currency`` is
    read from the table's rows; give it for a table that may be empty (a
    table in another currency is then refused). The engagements a cell
    lists come in the order of the table's rows, which is the order of the
    engagements in a table from :func:`~mali_aid.export.years`, and folder
    by folder in a directory of files. The table does
    not hold the exchange rates' origin, so ``rates_origin`` is ``None``; its
    ``conversions`` carry each rate as the table holds it, to 12 decimal
    places.

    >>> import mali_aid
    >>> from mali_aid import export
    >>> data = mali_aid.load()
    >>> table = export.years(data).to_arrow()
    >>> str(export.totals_of_years(table)["BE"])
    'EUR 50,500,000.00, at least'
    """
    _arguments.check("totals_of_years", by=by, currency=currency)
    dimensions = (by,) if isinstance(by, str) else tuple(by)
    for dimension in dimensions:
        if dimension not in COLUMN_OF:
            raise DataError(
                f"the years table totals by {', '.join(COLUMN_OF)}, not {dimension!r}"
            )
    if not dimensions:
        raise DataError("give at least one dimension to total by")
    table = _table(source)
    _check_columns(table)
    pc = importlib.import_module("pyarrow.compute")
    chosen = _currency(pc.unique(table["currency"]).to_pylist(), currency)
    found = _columnar_totals(table, dimensions, chosen)
    if found is None:  # columns of types the columnar sums do not read
        return _reference_totals_of_years(table, dimensions, chosen)
    return found


def _table(source: Any) -> Any:
    """The Arrow table of ``source``: a table, a Parquet file or a directory."""
    pa = importlib.import_module("pyarrow")
    if isinstance(source, pa.Table):
        return source
    if not isinstance(source, (str, os.PathLike)):
        raise DataError(
            "totals_of_years() takes a pyarrow Table, a Parquet file or a"
            f" directory of them, not {type(source).__name__}"
        )
    dataset = importlib.import_module("pyarrow.dataset")
    try:
        # Every file holds every column: the folder names are not read.
        files = dataset.dataset(os.fspath(source), format="parquet")
        # Only the columns the totals read (a missing one is named later).
        names = [name for name in _NEEDED if name in files.schema.names]
        return files.to_table(columns=names)
    except (OSError, pa.ArrowException) as error:
        raise DataError(
            f"cannot read it as Parquet: {error}", file=os.fspath(source)
        ) from None


def _check_columns(table: Any) -> None:
    missing = [name for name in _NEEDED if name not in table.column_names]
    if missing:
        raise DataError(
            "not a years table of this version: no column "
            + ", ".join(repr(name) for name in missing)
        )


def _currency(values: list[str | None], wanted: str | None) -> str:
    found = {value for value in values if value is not None}
    if len(found) > 1:
        raise DataError(
            f"the years table mixes currencies ({', '.join(sorted(found))}):"
            " total one currency at a time"
        )
    if wanted is not None and found and found != {wanted}:
        raise DataError(f"the years table is in {found.pop()}, not {wanted}")
    if wanted is not None:
        minor_unit(wanted)  # an unknown code is refused
        return wanted
    return found.pop() if found else "EUR"


# -- the reference: the rules, row by row ---------------------------------------------


def _reference_totals_of_years(
    table: Any, dimensions: tuple[str, ...], currency: str
) -> Totals:
    """The rules of the module docstring, read one row at a time into Python
    values: the statement :func:`_columnar_totals` is tested against, and
    what reads a table whose money columns it does not take."""
    columns = {name: table[name].to_pylist() for name in _NEEDED}
    return _totals(columns, dimensions, currency)


def _units(value: Decimal, scale: int) -> int:
    return int(value.scaleb(scale))


def _totals(
    columns: dict[str, list[Any]], dimensions: tuple[str, ...], currency: str
) -> Totals:
    scale = MINOR_UNITS[currency]
    cells: dict[Key, _Sums] = {}
    unknown: dict[str, None] = {}
    unconverted: dict[str, None] = {}
    contained: dict[str, None] = {}
    opened: dict[str, None] = {}  # unknown, and leaving a cell open
    kinds: set[AmountKind] = set()
    conversions: dict[Conversion, None] = {}
    keys = [(dimension, columns[COLUMN_OF[dimension]]) for dimension in dimensions]
    for row in range(len(columns["engagement_id"])):
        engagement = columns["engagement_id"][row]
        missing = columns["amount_missing"][row]
        if columns["low"][row] is None:
            # Inside a counted container's amount: in no cell, and listed
            # among the unknown where it has no amount at all.
            contained[engagement] = None
            if missing == "unknown":
                unknown[engagement] = None
            continue
        key = _key(keys, row)
        sums = cells.setdefault(key, _Sums())
        _add(sums, columns, row, scale, dimensions)
        # A cell lists its engagements in the order of the rows.
        if missing == "unknown":
            sums.unknown.setdefault(engagement, row)
            unknown[engagement] = opened[engagement] = None
        elif missing == "no-rate":
            sums.unconverted.setdefault(engagement, row)
            unconverted[engagement] = None
        if columns["amount_kind"][row] is not None:
            kinds.add(AmountKind(columns["amount_kind"][row]))
        conversion = _conversion(columns, row, currency)
        if conversion is not None:
            conversions[conversion] = None
    made = {key: sums.cell(currency) for key, sums in cells.items()}
    # The total names its engagements in the table's order, the input's.
    total = attrs.evolve(
        _sum_cells(made.values(), currency),
        unknown=tuple(opened),
        unconverted=tuple(unconverted),
    )
    return Totals(
        by=dimensions,
        currency=currency,
        cells=made,
        total=total,
        unknown=tuple(unknown),
        contained=tuple(contained),
        unconverted=tuple(unconverted),
        outside_scope=(),
        kinds=frozenset(kinds),
        conversions=tuple(conversions),
        rates_origin=None,
    )


def _key(keys: list[tuple[str, list[Any]]], row: int) -> Key:
    parts = tuple(
        AmountKind(column[row])
        if dimension == "kind" and column[row] is not None
        else column[row]
        for dimension, column in keys
    )
    return parts if len(parts) > 1 else parts[0]


def _add(
    sums: _Sums,
    columns: dict[str, list[Any]],
    row: int,
    scale: int,
    dimensions: Iterable[str],
) -> None:
    amount, low, high = (columns[name][row] for name in ("amount", "low", "high"))
    if amount is not None:
        sums.known = True
        sums.best += _units(amount, scale)
    sums.low += _units(low, scale)
    sums.high = (
        None if sums.high is None or high is None else sums.high + _units(high, scale)
    )
    basis = columns["basis"][row]
    if basis:
        sums.basis.update(Basis(name) for name in basis.split("+"))
    grouped = columns["basis_when_grouped"][row]
    if grouped:
        wanted = set(dimensions)
        for part in grouped.split("; "):
            dimension, _, name = part.partition(":")
            if dimension in wanted:
                sums.basis.add(Basis(name))


def _conversion(
    columns: dict[str, list[Any]], row: int, currency: str
) -> Conversion | None:
    rate = columns["rate"][row]
    if rate is None:
        return None
    when: int | date | None = columns["rate_date"][row] or columns["rate_year"][row]
    names = columns["rate_basis"][row] or ""
    return Conversion(
        source=columns["original_currency"][row],
        target=currency,
        when=when,
        factor=Fraction(rate),
        basis=frozenset(
            Basis(f"converted-{name}") for name in names.split("+") if name
        ),
    )


# -- the columnar sums ----------------------------------------------------------------
#
# The same rules over whole columns: each row gets the code of its cell (the
# codes of its key columns, combined), the money columns are read as int64
# minor units from the decimal128 buffers and added up per code with numpy,
# and the lists come from the codes of the rows that name an engagement.
# Only the finishing of each cell is Python.

#: A sum of as many limbs of 32 bits stays inside int64.
_MOST_ROWS = 2**31
_LIMB = (1 << 32) - 1


def _arrow() -> tuple[Any, Any]:
    return importlib.import_module("pyarrow"), importlib.import_module(
        "pyarrow.compute"
    )


@attrs.frozen
class _Money:
    """A money column of the rows in cells, in whole minor units.

    ``valid`` says where it is set; a row's value is the sum of its
    ``parts``, each shifted left by its number of bits: one part where every
    sum fits in int64, else the four 32-bit limbs of the 128-bit decimal, whose
    sums fit in int64 for fewer than 2**31 rows.
    """

    valid: Any
    parts: tuple[tuple[Any, int], ...]

    @classmethod
    def read(cls, column: Any, places: int, taken: Any) -> _Money | None:
        """``column`` (decimal, at most ``places`` decimal places) at the
        rows ``taken`` (all where ``None``); ``None`` for another type."""
        import numpy as np

        pa, pc = _arrow()
        kind = column.type
        if not pa.types.is_decimal(kind) or kind.scale > places:
            return None
        array = column.combine_chunks()
        if not pa.types.is_decimal128(kind) or kind.scale != places:
            try:
                array = pc.cast(array, pa.decimal128(38, places))
            except pa.ArrowInvalid:
                return None
        valid = _pick(array.is_valid().to_numpy(zero_copy_only=False), taken)
        start = 2 * array.offset
        words = np.frombuffer(array.buffers()[1], dtype=np.int64)
        words = words[start : start + 2 * len(array)].reshape(-1, 2)
        low = np.where(valid, _pick(words[:, 0], taken), 0)
        high = np.where(valid, _pick(words[:, 1], taken), 0)
        most = max(int(low.max()), -int(low.min())) if len(low) else 0
        if np.array_equal(high, low >> 63) and most * len(low) < 2**63:
            return cls(valid, ((low, 0),))
        limbs = (low & _LIMB, (low >> 32) & _LIMB, high & _LIMB, high >> 32)
        return cls(valid, tuple(zip(limbs, (0, 32, 64, 96), strict=True)))

    def sums(self, codes: Any, count: int) -> list[int]:
        """The exact sum of each of ``count`` cells."""
        import numpy as np

        total = [0] * count
        for part, shift in self.parts:
            sums = np.zeros(count, dtype=np.int64)
            np.add.at(sums, codes, part)
            total = [
                one + (value << shift)
                for one, value in zip(total, sums.tolist(), strict=True)
            ]
        return total


def _pick(values: Any, taken: Any) -> Any:
    return values if taken is None else values[taken]


def _codes(columns: Sequence[Any]) -> tuple[Any, int]:
    """A code for each row, equal where the rows' values in ``columns`` are
    equal (nulls included), and how many codes there may be."""
    import numpy as np

    pa, pc = _arrow()
    rows = len(columns[0])
    codes = np.zeros(rows, dtype=np.int64)
    space = 1
    for column in columns:
        encoded = pc.dictionary_encode(column.combine_chunks(), null_encoding="encode")
        size = len(encoded.dictionary)
        codes = codes * size + encoded.indices.to_numpy(zero_copy_only=False)
        space *= size
        if space > 4 * rows + 1024:  # renumbered, so that the next stays small
            compact = pc.dictionary_encode(pa.array(codes))
            codes = compact.indices.to_numpy(zero_copy_only=False).astype(np.int64)
            space = len(compact.dictionary)
    return codes, space


@attrs.frozen
class _Groups:
    """The rows ``taken`` grouped by the values of some columns: ``codes``
    numbers each such row's group, the groups in the order of their first
    rows, whose positions in the table are ``first``."""

    codes: Any
    first: Any

    @classmethod
    def of(cls, columns: Sequence[Any], taken: Any) -> _Groups:
        import numpy as np

        codes, space = _codes(columns)
        rows = len(codes)
        codes = _pick(codes, taken)
        positions = np.arange(rows) if taken is None else taken
        first = np.full(space, rows, dtype=np.int64)
        np.minimum.at(first, codes, positions)
        present = np.flatnonzero(first < rows)
        order = present[np.argsort(first[present], kind="stable")]
        number = np.zeros(space, dtype=np.int64)
        number[order] = np.arange(len(order))
        return cls(codes=number[codes], first=first[order])

    def __len__(self) -> int:
        return len(self.first)

    def values(self, column: Any) -> list[Any]:
        """The value of ``column`` in each group, in order."""
        pa, _ = _arrow()
        return list(column.take(pa.array(self.first)).to_pylist())


def _first_seen(ids: Any) -> tuple[str, ...]:
    """The distinct values of ``ids``, in the order they first appear."""
    import numpy as np

    pa, pc = _arrow()
    encoded = pc.dictionary_encode(ids.combine_chunks())
    indices = encoded.indices.to_numpy(zero_copy_only=False)
    distinct, first = np.unique(indices, return_index=True)
    chosen = distinct[np.argsort(first, kind="stable")]
    return tuple(encoded.dictionary.take(pa.array(chosen)).to_pylist())


def _listed(ids: Any, where: Any, groups: _Groups, taken: Any) -> list[list[str]]:
    """For each group, the engagements of its rows ``where`` is true, in
    the order of their first rows."""
    import numpy as np

    pa, pc = _arrow()
    found: list[list[str]] = [[] for _ in range(len(groups))]
    positions = np.flatnonzero(where)
    if not len(positions):
        return found
    rows = _pick(np.arange(len(ids)), taken)[positions]
    encoded = pc.dictionary_encode(ids.take(pa.array(rows)).combine_chunks())
    names = encoded.dictionary.to_pylist()
    size = len(names)
    pairs = groups.codes[positions] * size + encoded.indices.to_numpy(
        zero_copy_only=False
    )
    distinct, first = np.unique(pairs, return_index=True)
    cells, which = np.divmod(distinct, size)
    order = np.lexsort((first, cells))
    for cell, name in zip(cells[order].tolist(), which[order].tolist(), strict=True):
        found[cell].append(names[name])
    return found


def _distinct(values: Any, bound: int) -> list[int]:
    """The distinct values of an int64 array of values below ``bound``."""
    import numpy as np

    pa, pc = _arrow()
    if bound <= 4 * len(values) + 1024:
        seen = np.zeros(bound, dtype=bool)
        seen[values] = True
        return list(np.flatnonzero(seen).tolist())
    return list(pc.unique(pa.array(values)).to_numpy().tolist())


def _bases(
    column: Any,
    groups: _Groups,
    taken: Any,
    read: Any,
) -> list[set[Basis]]:
    """For each group, the bases ``read`` finds in the texts of its rows."""
    _, pc = _arrow()
    encoded = pc.dictionary_encode(column.combine_chunks(), null_encoding="encode")
    names = [read(text) for text in encoded.dictionary.to_pylist()]
    size = len(names)
    indices = _pick(encoded.indices.to_numpy(zero_copy_only=False), taken)
    found: list[set[Basis]] = [set() for _ in range(len(groups))]
    for pair in _distinct(groups.codes * size + indices, len(groups) * size):
        cell, which = divmod(pair, size)
        found[cell] |= names[which]
    return found


def _basis_of(text: str | None) -> frozenset[Basis]:
    return frozenset(Basis(name) for name in text.split("+")) if text else frozenset()


def _grouped_basis_of(dimensions: tuple[str, ...]) -> Any:
    def read(text: str | None) -> frozenset[Basis]:
        found = set()
        for part in (text or "").split("; ") if text else ():
            dimension, _, name = part.partition(":")
            if dimension in dimensions:
                found.add(Basis(name))
        return frozenset(found)

    return read


def _mask(column: Any, value: str) -> Any:
    _, pc = _arrow()
    return pc.fill_null(pc.equal(column, value), False).to_numpy(zero_copy_only=False)


def _columnar_totals(
    table: Any, dimensions: tuple[str, ...], currency: str
) -> Totals | None:
    """The totals of :func:`_reference_totals_of_years`, over whole columns;
    ``None`` where the money columns are not decimals in minor units or the
    table is empty or too long for the limbs' sums."""
    try:
        import numpy as np
    except ImportError:  # pragma: no cover - the arrow extra brings numpy
        return None
    if not 0 < table.num_rows < _MOST_ROWS:
        return None
    pa, pc = _arrow()
    if any(pa.types.is_dictionary(table[name].type) for name in _NEEDED):
        return None  # dictionary columns (nulls masked in their indices)
    # The rows in cells: those with a low bound (the others are contained).
    counted = table["low"].is_valid().to_numpy(zero_copy_only=False)
    taken = None if counted.all() else np.flatnonzero(counted)
    money = [
        _Money.read(table[name], MINOR_UNITS[currency], taken)
        for name in ("amount", "low", "high")
    ]
    read = [one for one in money if one is not None]
    if len(read) < len(money):
        return None
    groups = _Groups.of([table[COLUMN_OF[name]] for name in dimensions], taken)
    sums = _cell_sums(groups, read)
    _add_bases(sums, table, groups, taken, dimensions)
    unknown = _mask(table["amount_missing"], "unknown")
    no_rate = _mask(table["amount_missing"], "no-rate")
    ids = table["engagement_id"]
    for one, unknown_ids, unconverted_ids in zip(
        sums,
        _listed(ids, _pick(unknown, taken), groups, taken),
        _listed(ids, _pick(no_rate, taken), groups, taken),
        strict=True,
    ):
        one.unknown = {id: position for position, id in enumerate(unknown_ids)}
        one.unconverted = {id: position for position, id in enumerate(unconverted_ids)}
    keys = _cell_keys(table, dimensions, groups)
    unconverted = _first_seen(ids.filter(pa.array(no_rate & counted)))
    kinds = pc.unique(_pick_column(table["amount_kind"], taken)).to_pylist()
    return Totals(
        by=dimensions,
        currency=currency,
        cells={key: one.cell(currency) for key, one in zip(keys, sums, strict=True)},
        total=_total(
            sums, _first_seen(ids.filter(pa.array(unknown & counted))), unconverted
        ).cell(currency),
        unknown=_first_seen(ids.filter(pa.array(unknown))),
        contained=_first_seen(ids.filter(pa.array(~counted))),
        unconverted=unconverted,
        outside_scope=(),
        kinds=frozenset(AmountKind(kind) for kind in kinds if kind is not None),
        conversions=_conversions(table, counted, currency),
        rates_origin=None,
    )


def _cell_sums(groups: _Groups, money: list[_Money]) -> list[_Sums]:
    """Each cell's figures: known where a row has an amount, open above
    where a row has no high bound."""
    import numpy as np

    amount, low, high = money
    count = len(groups)
    known = np.bincount(groups.codes[amount.valid], minlength=count) > 0
    opened = np.bincount(groups.codes[~high.valid], minlength=count) > 0
    return [
        _Sums(known=one, best=best, low=least, high=None if open_above else most)
        for one, best, least, most, open_above in zip(
            known.tolist(),
            amount.sums(groups.codes, count),
            low.sums(groups.codes, count),
            high.sums(groups.codes, count),
            opened.tolist(),
            strict=True,
        )
    ]


def _add_bases(
    sums: list[_Sums],
    table: Any,
    groups: _Groups,
    taken: Any,
    dimensions: tuple[str, ...],
) -> None:
    """Each cell's bases: those of its rows, and those of the grouped
    dimensions."""
    for one, basis, grouped in zip(
        sums,
        _bases(table["basis"], groups, taken, _basis_of),
        _bases(
            table["basis_when_grouped"], groups, taken, _grouped_basis_of(dimensions)
        ),
        strict=True,
    ):
        one.basis = basis | grouped


def _total(
    sums: list[_Sums], unknown: tuple[str, ...], unconverted: tuple[str, ...]
) -> _Sums:
    """The sum of the cells, naming the engagements in the rows' order."""
    return _Sums(
        known=any(one.known for one in sums),
        best=sum(one.best for one in sums),
        low=sum(one.low for one in sums),
        high=None
        if any(one.high is None for one in sums)
        else sum(one.high or 0 for one in sums),
        basis=set().union(*(one.basis for one in sums)),
        unknown={id: position for position, id in enumerate(unknown)},
        unconverted={id: position for position, id in enumerate(unconverted)},
    )


def _pick_column(column: Any, taken: Any) -> Any:
    pa, _ = _arrow()
    return column if taken is None else column.take(pa.array(taken))


def _cell_keys(table: Any, dimensions: tuple[str, ...], groups: _Groups) -> list[Key]:
    """Each group's key, read from its first row as the reference reads it."""
    keys = [
        (dimension, groups.values(table[COLUMN_OF[dimension]]))
        for dimension in dimensions
    ]
    return [_key(keys, row) for row in range(len(groups))]


def _conversions(table: Any, counted: Any, currency: str) -> tuple[Conversion, ...]:
    """The distinct rates of the rows in cells, in the order of their rows."""
    import numpy as np

    rated = counted & table["rate"].is_valid().to_numpy(zero_copy_only=False)
    taken = np.flatnonzero(rated)
    if not len(taken):
        return ()
    names = ("original_currency", "rate_date", "rate_year", "rate", "rate_basis")
    groups = _Groups.of([table[name] for name in names], taken)
    columns = {name: groups.values(table[name]) for name in names}
    found = {_conversion(columns, row, currency): None for row in range(len(groups))}
    return tuple(conversion for conversion in found if conversion is not None)
