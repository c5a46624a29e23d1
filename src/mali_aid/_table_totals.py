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
    columns = _columns(_table(source))
    return _totals(columns, dimensions, _currency(columns["currency"], currency))


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
        return dataset.dataset(os.fspath(source), format="parquet").to_table()
    except (OSError, pa.ArrowException) as error:
        raise DataError(
            f"cannot read it as Parquet: {error}", file=os.fspath(source)
        ) from None


def _columns(table: Any) -> dict[str, list[Any]]:
    missing = [name for name in _NEEDED if name not in table.column_names]
    if missing:
        raise DataError(
            "not a years table of this version: no column "
            + ", ".join(repr(name) for name in missing)
        )
    return {name: table[name].to_pylist() for name in _NEEDED}


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
