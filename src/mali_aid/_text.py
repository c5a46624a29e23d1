"""How results read: aligned text tables, money and counts in words, and the
plain form of money for JSON.

The command line and the ``__str__`` of result objects draw their tables and
phrase their figures here, so that a table, an amount or a count reads the
same wherever it appears. Nothing here knows about the dataset.

>>> print(table(["id", "amount"], [["BE", "1,000.00"], ["LU", "55.00"]], right=[1]))
id    amount
--  --------
BE  1,000.00
LU     55.00
"""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._money import Money

__all__ = [
    "alternatives",
    "count",
    "money_dict",
    "money_text",
    "qualifier_words",
    "shorten",
    "table",
    "wrap",
]

#: The width prose wraps to when nothing else is known.
PROSE_WIDTH = 88
#: The narrowest a table column is squeezed to, header aside.
_NARROWEST = 8
_GAP = "  "


def count(number: int, noun: str, plural: str | None = None) -> str:
    """A number of things in words.

    >>> count(0, "engagement"), count(1, "engagement"), count(3, "entry", "entries")
    ('no engagements', '1 engagement', '3 entries')
    """
    many = plural if plural is not None else f"{noun}s"
    if number == 0:
        return f"no {many}"
    return f"{number} {noun if number == 1 else many}"


def alternatives(items: Iterable[str], word: str = "or") -> str:
    """Items joined as a sentence lists them.

    >>> alternatives(["BE"]), alternatives(["BE", "LU", "CH"])
    ('BE', 'BE, LU or CH')
    """
    items = list(items)
    if len(items) <= 1:
        return "".join(items)
    return f"{', '.join(items[:-1])} {word} {items[-1]}"


def qualifier_words(qualifier: object) -> str:
    """A qualifier as words: ``at-least`` is "at least", ``exact`` is ""."""
    text = str(qualifier)
    return "" if text == "exact" else text.replace("-", " ")


def money_text(
    amount: Decimal | Money, currency: str | None = None, qualifier: object = "exact"
) -> str:
    """An amount for a reader: the currency, digits grouped, the qualifier.

    >>> from decimal import Decimal
    >>> money_text(Decimal("50500000.00"), "EUR", "at-least")
    'at least EUR 50,500,000.00'
    """
    if isinstance(amount, Decimal):
        text = f"{currency} {amount:,}"
    else:
        text = f"{amount.currency} {amount.amount:,}"
    words = qualifier_words(qualifier)
    return f"{words} {text}" if words else text


def money_dict(money: Money | None) -> dict[str, str] | None:
    """Money as JSON carries it: the exact amount as a string, the currency
    apart; ``None`` stays ``None`` (unknown, never zero).

    >>> from mali_aid import Money
    >>> money_dict(Money("123.45", "EUR"))
    {'amount': '123.45', 'currency': 'EUR'}
    """
    if money is None:
        return None
    return {"amount": str(money.amount), "currency": money.currency}


def shorten(text: str, width: int) -> str:
    """``text`` on one line, cut at a word to at most ``width`` characters and
    marked with "…" where it was cut.

    >>> shorten("Agropastoral value chains support programme", 24)
    'Agropastoral value…'
    """
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: max(width - 1, 1)]
    space = cut.rfind(" ")
    if space > width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–") + "…"


def wrap(text: str, width: int | None = None, *, indent: str = "  ") -> str:
    """A long line of prose wrapped, later lines indented; words never broken."""
    return textwrap.fill(
        text,
        width or PROSE_WIDTH,
        subsequent_indent=indent,
        break_long_words=False,
        break_on_hyphens=False,
    )


def _fit(
    widths: list[int], floors: list[int], flexible: set[int], width: int | None
) -> list[int]:
    """Column widths narrowed, widest flexible column first, to fit ``width``."""
    fitted = list(widths)
    if width is None:
        return fitted
    excess = sum(fitted) + len(_GAP) * (len(fitted) - 1) - width
    while excess > 0:
        narrowable = [i for i in flexible if fitted[i] > floors[i]]
        if not narrowable:
            break
        widest = max(narrowable, key=lambda i: (fitted[i], -i))
        fitted[widest] -= 1
        excess -= 1
    return fitted


def table(
    headers: Sequence[str],
    rows: Iterable[Sequence[str]],
    *,
    right: Iterable[int] = (),
    keep: Iterable[int] = (),
    footer: Sequence[str] | None = None,
    width: int | None = None,
    wrap_cells: bool = False,
) -> str:
    """An aligned plain-text table: the header, a rule, the rows, and with
    ``footer`` a second rule and that row (a total).

    Columns in ``right`` are aligned right (figures) and keep their width,
    and so do those in ``keep`` (ids, which must stay whole to be used).
    With ``width``, the other columns are narrowed, the widest first, until
    the table fits (none below eight characters or its header); a cell too
    long for its column is then cut with "…", or with ``wrap_cells`` wrapped
    onto more lines. Without ``width`` nothing is cut.

    >>> print(table(["id", "title"], [["e1", "A very long title indeed"]], width=16))
    id  title
    --  ------------
    e1  A very long…
    """
    body = [list(row) for row in rows]
    right = set(right)
    every = [list(headers), *body, *([list(footer)] if footer is not None else [])]
    natural = [max(len(cell) for cell in column) for column in zip(*every, strict=True)]
    floors = [
        max(len(h), min(_NARROWEST, n)) for h, n in zip(headers, natural, strict=True)
    ]
    flexible = set(range(len(headers))) - right - set(keep)
    widths = _fit(natural, floors, flexible, width)

    def lines(cells: Sequence[str]) -> list[str]:
        pieces = []
        for cell, size in zip(cells, widths, strict=True):
            if len(cell) <= size:
                pieces.append([cell])
            elif wrap_cells:
                pieces.append(textwrap.wrap(cell, size, break_on_hyphens=False) or [""])
            else:
                pieces.append([shorten(cell, size)])
        out = []
        for depth in range(max(len(piece) for piece in pieces)):
            out.append(
                _GAP.join(
                    (piece[depth] if depth < len(piece) else "").rjust(size)
                    if index in right
                    else (piece[depth] if depth < len(piece) else "").ljust(size)
                    for index, (piece, size) in enumerate(
                        zip(pieces, widths, strict=True)
                    )
                ).rstrip()
            )
        return out

    rule = _GAP.join("-" * size for size in widths)
    out = [*lines(headers), rule]
    for row in body:
        out.extend(lines(row))
    if footer is not None:
        out.append(rule)
        out.extend(lines(footer))
    return "\n".join(out)
