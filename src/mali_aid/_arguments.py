"""The checks of the arguments the public functions take.

Each public entry point calls :func:`check` (and :func:`engagements` for
its collection of engagements) before doing anything else, so that a wrong
type raises one :class:`~mali_aid.errors.ArgumentError` naming the function,
the argument and what it takes, not an ``AttributeError`` from deep inside.
The checks are of kind only; the values (an unknown currency, a dimension
that does not exist) are judged by the functions themselves.

An argument is known by its name: ``data`` is a :class:`~mali_aid.Dataset`
wherever it appears. Elements of an iterable are checked where the iterable
can be read twice (a list, a tuple, a set); a one-shot iterator is left to
the function, which reads it once.
"""

from __future__ import annotations

import importlib
import os
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from typing import Any, Final

from ._limits import MAX_NUMBER_TEXT, shown
from ._model import Engagement
from .errors import ArgumentError

__all__ = ["check", "engagements"]


def _instance(module: str, name: str) -> Callable[[object], bool]:
    """Whether a value is an instance of ``module.name``, imported on first use
    (so that checking does not load the modules behind totals or rates)."""

    def test(value: object) -> bool:
        kind = getattr(importlib.import_module(module, __package__), name)
        return isinstance(value, kind)

    return test


def _text(value: object) -> bool:
    return isinstance(value, str)


def _optional_text(value: object) -> bool:
    return value is None or isinstance(value, str)


def _whole(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _flag(value: object) -> bool:
    return isinstance(value, bool)


def _many(value: object, item: Callable[[object], bool]) -> bool:
    """A non-text iterable whose items pass ``item`` (where it can be read twice)."""
    if isinstance(value, str | bytes | bytearray | Mapping):
        return False
    if isinstance(value, Iterator):
        return True
    if not isinstance(value, Collection):
        return False
    return all(item(element) for element in value)


def _texts(value: object) -> bool:
    return _many(value, _text)


def _optional_texts(value: object) -> bool:
    return value is None or _texts(value)


def _one_or_many(item: Callable[[object], bool]) -> Callable[[object], bool]:
    def test(value: object) -> bool:
        return value is None or item(value) or _many(value, item)

    return test


def _year(value: object) -> bool:
    if isinstance(value, str):
        return value.isascii() and value.strip().isdigit()
    return _whole(value)


def _dimension(value: object) -> bool:
    return isinstance(value, str) or callable(value)


def _dimensions(value: object) -> bool:
    if _dimension(value):
        return True
    return isinstance(value, Sequence) and all(_dimension(item) for item in value)


def _donors(value: object) -> bool:
    return (
        isinstance(value, Sequence)
        and not isinstance(value, str | bytes | bytearray)
        and all(isinstance(item, str) for item in value)
    )


def _number(value: object, *, fractions: bool) -> bool:
    """A finite, exact number: a ``Decimal``, an ``int``, a short text of one
    (``"0.1"``; ``"1/10"`` too with ``fractions``) or, with ``fractions``, a
    ``Fraction``."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | Fraction):
        return fractions or isinstance(value, int)
    if isinstance(value, Decimal):
        return value.is_finite()
    if not isinstance(value, str) or len(value) > MAX_NUMBER_TEXT:
        return False
    try:
        number: Decimal | Fraction = (
            Fraction(value) if fractions and "/" in value else Decimal(value)
        )
    except (ValueError, ZeroDivisionError, InvalidOperation):
        return False
    return not isinstance(number, Decimal) or number.is_finite()


def _rates(value: object) -> bool:
    return value is None or _instance("._rates", "Rates")(value)


#: What each argument takes: the words of the message, and the test. A key
#: ``function.argument`` holds where one function takes an argument of that
#: name differently.
_EXPECTED: Final[dict[str, tuple[str, Callable[[object], bool]]]] = {
    "data": ("a Dataset", _instance("._dataset", "Dataset")),
    "directory": (
        "a directory (a text or a path)",
        lambda value: isinstance(value, (str, os.PathLike)),
    ),
    "what": ("a kind of record to list (a text such as 'donors')", _text),
    "source": ("None or a source id (a text)", _optional_text),
    "status": ("None or a status (a text such as 'ongoing')", _optional_text),
    "kind": ("None or a kind (a text such as 'project')", _optional_text),
    "within": ("None or a place id (a text)", _optional_text),
    "totals_of_years.by": (
        "a dimension of the years table (a text such as 'donor') or a list of them",
        lambda value: _text(value) or _texts(value),
    ),
    "totals_of_years.currency": (
        "None or a currency code (a text such as 'EUR')",
        _optional_text,
    ),
    "diff.old": ("a Dataset", _instance("._dataset", "Dataset")),
    "diff.new": ("a Dataset", _instance("._dataset", "Dataset")),
    "currency": ("a currency code (a text such as 'EUR')", _text),
    "rates": ("Rates or None", _rates),
    "kinds": (
        "None or a list of kinds of amount (texts such as 'budget')",
        lambda value: value is None or _texts(value),
    ),
    "level": ("None or a place level (a text such as 'region')", _optional_text),
    "split": ("'even' or 'whole'", _text),
    "scope": ("'mali' or 'all'", _text),
    "between": ("'donors' or 'all'", _text),
    "tolerance": (
        "a number (a Decimal, Fraction, int or text such as '0.1')",
        lambda value: _number(value, fractions=True),
    ),
    "compare_totals.tolerance": (
        "a number (a Decimal, int or text such as '0.01')",
        lambda value: _number(value, fractions=False),
    ),
    "assert_totals_equal.tolerance": (
        "a number (a Decimal, int or text such as '0.01')",
        lambda value: _number(value, fractions=False),
    ),
    "by": (
        "a dimension (a text such as 'donor', or a function of an engagement)"
        " or a list or tuple of them",
        _dimensions,
    ),
    "on": ("a list of dimensions (texts such as 'time', 'place')", _texts),
    "min_days": ("a whole number", _whole),
    "a": ("an organisation id (a text)", _text),
    "b": ("an organisation id (a text)", _text),
    "donors": ("a list of organisation ids (texts)", _donors),
    "name": ("a text", _text),
    "widest": ("True or False", _flag),
    "overlaps": ("True or False", _flag),
    "title": ("None or a text", _optional_text),
    "actual": (
        "a mapping of keys to figures",
        lambda value: isinstance(value, Mapping),
    ),
    "expected": ("Totals", _instance("._totals_result", "Totals")),
    "donor": ("None, an organisation id or a list of them", _one_or_many(_text)),
    "implementer": (
        "None, an organisation id or a list of them",
        _one_or_many(_text),
    ),
    "place": ("None, a place id or a list of them", _one_or_many(_text)),
    "sector": ("None, a sector id or a list of them", _one_or_many(_text)),
    "year": (
        "None, a year (an int or its digits) or a list of them",
        _one_or_many(_year),
    ),
    "channel": ("None, a channel (a text) or a list of them", _one_or_many(_text)),
}


def check(function: str, /, **arguments: object) -> None:
    """Raise :class:`ArgumentError` for the first argument not of its kind.

    >>> check("totals", currency="EUR", split="even")
    >>> check("totals", currency=978)
    Traceback (most recent call last):
    ...
    mali_aid.errors.ArgumentError: totals(): argument currency must be a currency code (a text such as 'EUR'), not 978
    """
    for name, value in arguments.items():
        words, test = _EXPECTED.get(f"{function}.{name}") or _EXPECTED[name]
        if not test(value):
            raise ArgumentError(
                f"must be {words}, not {shown(value)}", function=function, argument=name
            )


def engagements(
    function: str,
    value: Iterable[Any] | None,
    /,
    *,
    ids: bool = False,
    optional: bool = False,
) -> Any:
    """The engagements an entry point was given, each checked to be an
    :class:`~mali_aid.Engagement` (or, with ``ids``, an id as well).

    A sequence comes back as it is (a :class:`~mali_aid.Selection` stays
    one); any other iterable is read once into a tuple. ``optional`` lets
    ``None`` through.
    """
    if value is None and optional:
        return value
    expected = "a list of engagements or their ids" if ids else "a list of engagements"
    if optional:
        expected = f"None or {expected}"
    if isinstance(value, str):
        raise ArgumentError(
            f"must be {expected}, not one text ({shown(value)}): put it in a list",
            function=function,
            argument="engagements",
        )
    if isinstance(value, bytes | bytearray | Mapping) or not isinstance(
        value, Iterable
    ):
        raise ArgumentError(
            f"must be {expected}, not {shown(value)}",
            function=function,
            argument="engagements",
        )
    items = value if isinstance(value, Sequence) else tuple(value)
    allowed = (Engagement, str) if ids else (Engagement,)
    if all(issubclass(kind, allowed) for kind in set(map(type, items))):
        return items
    for index, item in enumerate(items):
        if not (isinstance(item, Engagement) or (ids and isinstance(item, str))):
            raise ArgumentError(
                f"must be {expected}; item {index} is {shown(item)}"
                f" (of type {type(item).__name__})",
                function=function,
                argument="engagements",
            )
    return items
