"""Result objects as plain data (JSON) and as flat tables.

One convention for every result: money is a mapping with the amount as a
string and the currency apart; a computed figure (a :class:`~mali_aid.Cell`)
adds its bounds (``low``, ``high``), ``qualifier`` and ``basis``; ids stay
ids; ``None`` is unknown, never zero. :meth:`Totals.to_dict`,
:meth:`Overlaps.to_dict`, :meth:`DonorComparison.to_dict`, the summary and
the listings all follow it, and the command line prints what they give.
"""

from __future__ import annotations

from collections.abc import Hashable
from decimal import Decimal
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from ._dataset import Dataset
    from ._overlap import Overlap, Overlaps
    from ._totals_result import Cell, Totals
    from .export import Table

__all__ = ["overlaps_dict", "totals_dict", "totals_table"]


def totals_dict(result: Totals) -> dict[str, Any]:
    """Totals as plain data: the dimensions, one row per key, the total."""
    return {
        "by": list(result.by),
        "years": None if result.years is None else list(result.years),
        "currency": result.currency,
        "scope": result.scope,
        "rows": result._rows(),
        "total": result.total.to_dict(),
        "kinds": sorted(str(kind) for kind in result.kinds),
        "unknown": list(result.unknown),
        "contained": list(result.contained),
        "unconverted": list(result.unconverted),
        "outside_scope": list(result.outside_scope),
        "additive": result.additive,
        "rates": result.rates_origin,
        "conversions": [
            {
                "from": conversion.source,
                "to": conversion.target,
                "when": str(conversion.when),
                "factor": str(conversion.factor),
                "basis": sorted(str(basis) for basis in conversion.basis),
            }
            for conversion in result.conversions
        ],
    }


def _cell_values(cell: Cell) -> tuple[Any, ...]:
    from .export import SEPARATOR

    return (
        None if cell.best is None else cell.best.amount,
        cell.currency,
        cell.low.amount,
        None if cell.high is None else cell.high.amount,
        None if cell.qualifier is None else str(cell.qualifier),
        SEPARATOR.join(sorted(str(basis) for basis in cell.basis)) or None,
        SEPARATOR.join(cell.unknown) or None,
        SEPARATOR.join(cell.unconverted) or None,
    )


def _key_value(part: Hashable) -> str | int | None:
    if part is None or (isinstance(part, int) and not isinstance(part, bool)):
        return part
    return str(part)


def totals_table(result: Totals) -> Table:
    """Totals as a flat :class:`~mali_aid.export.Table`: one row per key,
    the key's parts first, then the cell (amounts exact, unknown empty)."""
    from .export import Column, Table

    parts = [
        [
            _key_value(part)
            for part in (
                key if isinstance(key, tuple) and len(result.by) > 1 else (key,)
            )
        ]
        for key in result
    ]
    columns = [
        Column(
            name,
            "integer"
            if parts
            and all(isinstance(row[i], int | None) for row in parts)
            and any(row[i] is not None for row in parts)
            else "string",
            f"The {name} of the row (empty where unknown).",
        )
        for i, name in enumerate(result.by)
    ]
    columns += [
        Column("amount", "decimal", "The best figure; empty when unknown, never 0."),
        Column("currency", "string", "The currency of every amount of the row."),
        Column("low", "decimal", "The least the true figure can be."),
        Column("high", "decimal", "The most it can be; empty when unbounded."),
        Column("qualifier", "string", "exact, at-least, at-most or about."),
        Column("basis", "string", "How the figure was obtained, '; '-separated."),
        Column("unknown", "string", "Engagements of unknown amount in the row."),
        Column("unconverted", "string", "Engagements with no rate to the currency."),
    ]
    rows = [
        (*key_parts, *_cell_values(cell))
        for key_parts, cell in zip(parts, result.values(), strict=True)
    ]
    return Table("totals", columns, rows)


def _overlap_dict(pair: Overlap, data: Dataset | None) -> dict[str, Any]:
    facts: dict[str, Any] = {"first": pair.first, "second": pair.second}
    if data is not None:
        facts["donors"] = [
            list(data.donors(pair.first)),
            list(data.donors(pair.second)),
        ]
    facts.update(
        {
            "period": None if pair.period is None else str(pair.period),
            "days": pair.days,
            "time_basis": None if pair.time_basis is None else list(pair.time_basis),
            "places": list(pair.places),
            "sectors": list(pair.sectors),
        }
    )
    return facts


def overlaps_dict(result: Overlaps, data: Dataset | None = None) -> dict[str, Any]:
    """Overlaps as plain data; with ``data``, each pair names its donors."""
    return {
        "on": list(result.on),
        "between": result.between,
        "pairs": [_overlap_dict(pair, data) for pair in result],
        "undated": list(result.undated),
    }


def plain_money(amount: Decimal, currency: str) -> dict[str, str]:
    """A stated amount in the JSON form: ``{"amount": "...", "currency": "..."}``."""
    return {"amount": format(amount, "f"), "currency": currency}
