"""A :class:`~mali_aid.Totals` as text: an aligned table of its cells, then
the legend of the bases its figures rest on and what was left out."""

from __future__ import annotations

import textwrap
from collections.abc import Hashable, Mapping
from typing import TYPE_CHECKING

from ._model import Qualifier
from ._rules import Basis
from ._text import table

if TYPE_CHECKING:
    from ._money import Money
    from ._totals_result import Cell, Key, Totals

__all__ = ["SHORT", "render"]

#: The letter of each basis in the table's ``basis`` column.
SHORT = {
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


def _amount_text(money: Money | None) -> str:
    return "unknown" if money is None else f"{money.amount:,}"


def _bounds_text(cell: Cell) -> str:
    if cell.qualifier is Qualifier.EXACT:
        return ""
    high = "no limit" if cell.high is None else f"{cell.high.amount:,}"
    return f"{cell.low.amount:,} to {high}"


def _basis_text(cell: Cell) -> str:
    return "".join(sorted(SHORT[basis] for basis in cell.basis))


def _row(cell: Cell) -> list[str]:
    qualifier = "" if cell.qualifier in (None, Qualifier.EXACT) else str(cell.qualifier)
    return [_amount_text(cell.best), qualifier, _bounds_text(cell), _basis_text(cell)]


def _wrapped(text: str) -> list[str]:
    return textwrap.wrap(
        text, 88, subsequent_indent="  ", break_long_words=False, break_on_hyphens=False
    )


def render(
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
        f"{SHORT[basis]}  {basis.description}"
        for basis in Basis
        if basis in used and SHORT[basis]
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
