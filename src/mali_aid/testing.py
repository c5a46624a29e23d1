"""Helpers for testing your own aggregations against the package's totals.

:func:`reference_totals` is the package's readable statement of the rules of
an honest total: use it as the oracle a property test compares your code
with. :func:`compare_totals` and :func:`assert_totals_equal` say which key
differs and by how much, and an unknown figure given as zero is a
difference, never a match. Nothing here needs Hypothesis; pair it with
:mod:`mali_aid.strategies` for generated data.

>>> import mali_aid
>>> from mali_aid.testing import assert_totals_equal, reference_totals
>>> data = mali_aid.load()
>>> expected = reference_totals(data.select(donor="BE"), by="donor",
...                             currency="EUR", data=data)
>>> assert_totals_equal({"BE": mali_aid.Money("50500000.00", "EUR")}, expected)
>>> assert_totals_equal({"BE": mali_aid.Money("50500000.01", "EUR")}, expected)
Traceback (most recent call last):
...
AssertionError: 1 key differs from the reference totals:
  'BE': expected EUR 50,500,000.00 (at least), got EUR 50,500,000.01 (off by 0.01)
"""

from __future__ import annotations

from collections.abc import Hashable, Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any

import attrs

from . import _arguments
from ._money import Money
from .errors import DataError

if TYPE_CHECKING:
    from ._model import Engagement
    from ._overlap import Overlaps
    from ._totals_result import Totals

__all__ = [
    "Difference",
    "assert_totals_equal",
    "compare_totals",
    "reference_overlaps",
    "reference_totals",
]


def reference_overlaps(engagements: Iterable[Engagement], **options: Any) -> Overlaps:
    """The package's overlaps by its readable rules, testing every pair.

    Takes the arguments of :func:`mali_aid.find_overlaps` (``data`` at
    least) and always runs the plain all-pairs statement of the rules,
    never the fast search: slow beyond a few thousand engagements, and the
    specification.
    """
    from ._overlap import reference_overlaps as reference

    return reference(engagements, **options)


def reference_totals(engagements: Iterable[Engagement], **options: Any) -> Totals:
    """The package's totals by its readable rules, as an oracle.

    Takes the arguments of :func:`mali_aid.totals` (``by``, ``currency`` and
    ``data`` at least) and always runs the plain reference implementation
    that states the rules, never a faster engine, so that a test compares
    your code with the specification.
    """
    from ._aggregate import reference_totals as reference

    return reference(engagements, **options)


@attrs.frozen
class Difference:
    """One key on which an aggregation and the reference totals disagree.

    ``expected`` is the reference's best figure (``None`` when unknown),
    ``actual`` what was given (``None`` when the key is missing); ``by`` the
    difference where both are figures.
    """

    key: Hashable
    expected: Money | None
    actual: Money | None
    reason: str
    by: Decimal | None = None

    def __str__(self) -> str:
        return f"  {self.key!r}: {self.reason}"


def _as_money(value: object, currency: str, key: Hashable) -> Money | None:
    if value is None or isinstance(value, Money):
        return value
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise DataError(
            f"the figure for {key!r} is a {type(value).__name__}; give Money, a"
            " Decimal, an int or a string (never a float: it is not exact)"
        )
    return Money(value, currency)


def _text(money: Money | None) -> str:
    return "unknown" if money is None else f"{money.currency} {money.amount:,}"


def compare_totals(
    actual: Mapping[Hashable, object],
    expected: Totals,
    *,
    tolerance: Decimal | int | str = 0,
) -> list[Difference]:
    """Every key on which ``actual`` and the reference ``expected`` disagree.

    ``actual`` maps keys to figures (``Money``, or a ``Decimal``, ``int`` or
    string in the reference's currency, or ``None`` for unknown). A key of
    the reference whose figure is unknown must be unknown or absent in
    ``actual``: a zero there is a difference. A key with a figure must have
    that figure, within ``tolerance`` (in the currency's units); keys the
    reference does not have are differences too.
    """
    _arguments.check(
        "compare_totals", actual=actual, expected=expected, tolerance=tolerance
    )
    limit = Decimal(tolerance)
    found: list[Difference] = []
    for key, cell in expected.items():
        given = _as_money(actual.get(key), expected.currency, key)
        best = cell.best
        qualifier = "" if cell.qualifier is None else str(cell.qualifier)
        shown = _text(best) + (
            f" ({qualifier.replace('-', ' ')})"
            if qualifier not in ("", "exact")
            else ""
        )
        if best is None:
            if given is not None:
                found.append(
                    Difference(
                        key, None, given, f"expected unknown, got {_text(given)}"
                    )
                )
            continue
        if given is None:
            reason = "missing" if key not in actual else "given as unknown"
            found.append(Difference(key, best, None, f"expected {shown}, {reason}"))
            continue
        if given.currency != best.currency:
            found.append(
                Difference(key, best, given, f"expected {shown}, got {_text(given)}")
            )
            continue
        off = given.amount - best.amount
        if abs(off) > limit:
            found.append(
                Difference(
                    key,
                    best,
                    given,
                    f"expected {shown}, got {_text(given)} (off by {off:,})",
                    off,
                )
            )
    for key in actual:
        if key not in expected.cells:
            given = _as_money(actual[key], expected.currency, key)
            found.append(
                Difference(
                    key, None, given, f"not in the reference, got {_text(given)}"
                )
            )
    return found


def assert_totals_equal(
    actual: Mapping[Hashable, object],
    expected: Totals,
    *,
    tolerance: Decimal | int | str = 0,
) -> None:
    """Raise ``AssertionError`` listing every key that differs (see
    :func:`compare_totals`); return quietly when they agree."""
    _arguments.check(
        "assert_totals_equal", actual=actual, expected=expected, tolerance=tolerance
    )
    differences = compare_totals(actual, expected, tolerance=tolerance)
    if differences:
        count = len(differences)
        head = f"{count} key{'s differ' if count > 1 else ' differs'}"
        lines = [f"{head} from the reference totals:", *map(str, differences)]
        raise AssertionError("\n".join(lines))
