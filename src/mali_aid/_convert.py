"""One private cattrs converter between records and plain data.

Plain data is what TOML and JSON hold: dicts, lists, strings, integers. A
``Decimal`` travels as a string (or as the ``Decimal`` that
``tomllib.load(parse_float=Decimal)`` gives), a date as ISO 8601, a
:class:`Period` and :class:`Money` in their readable forms (``"2009/2014"``,
``"50500000 EUR"``), a ``Fraction`` as ``"1/2"``. Nothing is coerced: a
string where a number belongs, a float where an amount belongs, or a key the
record does not have is an error.
"""

from __future__ import annotations

import enum
import functools
import re
import typing
from collections.abc import Iterator, Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ._limits import MAX_NUMBER_TEXT, check_fraction, shown
from ._money import Money, to_decimal
from ._period import Period
from .errors import DataError

if TYPE_CHECKING:
    import cattrs

__all__ = ["from_dict", "to_dict"]

T = TypeVar("T")

_MONEY = re.compile(r"(-?[0-9]+(?:\.[0-9]+)?) ([A-Z]{3})", re.ASCII)
_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", re.ASCII)
#: An id as the records write it (see ``_model``), matched whole.
_ID = re.compile(r"[A-Za-z0-9][A-Za-z0-9._-]{0,199}", re.ASCII)
#: Problems listed beside the first in one message.
_MORE = 5
#: A fraction as text: ``"1/2"`` or a whole number, ASCII digits only.
_FRACTION = re.compile(r"[0-9]{1,30}(?:/[0-9]{1,30})?", re.ASCII)


def _structure_decimal(value: object, _type: object) -> Decimal:
    return to_decimal(value, "value")


def _structure_fraction(value: object, _type: object) -> Fraction:
    if isinstance(value, Fraction):
        return check_fraction(value, "the fraction")
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise DataError(f"{shown(value)} is not a fraction such as '1/2'")
    if isinstance(value, str) and not _FRACTION.fullmatch(value):
        raise DataError(f"{shown(value)} is not a fraction such as '1/2'")
    try:
        return check_fraction(Fraction(value), "the fraction")
    except (ValueError, ZeroDivisionError):
        raise DataError(f"{shown(value)} is not a fraction such as '1/2'") from None


def _structure_date(value: object, _type: object) -> date:
    if type(value) is date:
        return value
    if isinstance(value, str) and _DATE.fullmatch(value):
        try:
            return date.fromisoformat(value)
        except ValueError as error:
            raise DataError(f"{value!r} is not a date: {error}") from None
    raise DataError(f"{shown(value)} is not a date in the form YYYY-MM-DD")


def _structure_period(value: object, _type: object) -> Period:
    if isinstance(value, Period):
        return value
    if not isinstance(value, str):
        raise DataError(f"{shown(value)} is not a period such as '2009/2014'")
    return Period.parse(value)


def _structure_money(value: object, _type: object) -> Money:
    if isinstance(value, Money):
        return value
    if not isinstance(value, str):
        raise DataError(f"{shown(value)} is not money such as '50500000 EUR'")
    match = _MONEY.fullmatch(value) if len(value) <= MAX_NUMBER_TEXT else None
    if match is None:
        raise DataError(
            f"{shown(value)} is not money in the form '<amount> <ISO code>'"
        )
    return Money(match[1], match[2])


def _strict(kind: type) -> Any:
    def structure(value: object, wanted: type) -> object:
        if isinstance(wanted, type) and issubclass(wanted, enum.Enum):
            return _structure_enum(value, wanted)
        if type(value) is not kind:
            article = "an" if kind is int else "a"
            raise DataError(f"{shown(value)} is not {article} {kind.__name__}")
        return value

    return structure


def _unstructure_text(value: str) -> str:
    return value.value if isinstance(value, enum.Enum) else value


def _structure_enum(value: object, kind: type[enum.Enum]) -> enum.Enum:
    if isinstance(value, kind):
        return value
    if isinstance(value, str):
        for member in kind:
            if member.value == value:
                return member
    allowed = ", ".join(repr(member.value) for member in kind)
    raise DataError(f"{shown(value)} is not one of {allowed}")


def _is_tuple(wanted: object) -> bool:
    return typing.get_origin(wanted) is tuple


def _tuple_hook(converter: cattrs.Converter) -> Any:
    """Tuples from arrays only: a text or a table is not split into items."""
    from cattrs.errors import IterableValidationError, IterableValidationNote

    def structure(value: object, wanted: Any) -> tuple[Any, ...]:
        if not isinstance(value, list | tuple):
            raise DataError(f"must be an array, not {shown(value)}")
        arguments = typing.get_args(wanted)
        if len(arguments) == 2 and arguments[1] is Ellipsis:
            kinds = [arguments[0]] * len(value)
        elif not arguments:
            kinds = [Any] * len(value)
        elif len(arguments) != len(value):
            raise DataError(f"must be an array of {len(arguments)} items")
        else:
            kinds = list(arguments)
        result: list[Any] = []
        errors: list[Exception] = []
        for index, (item, kind) in enumerate(zip(value, kinds, strict=True)):
            try:
                result.append(converter.structure(item, kind))
            except Exception as error:  # cattrs gathers every item's error too
                error.__notes__ = [
                    *getattr(error, "__notes__", []),
                    IterableValidationNote(
                        f"Structuring {wanted} @ index {index}", index, kind
                    ),
                ]
                errors.append(error)
        if errors:
            raise IterableValidationError(f"While structuring {wanted}", errors, wanted)
        return tuple(result)

    return structure


@functools.cache
def converter() -> cattrs.Converter:
    """The converter, built on first use: cattrs costs ``import mali_aid``
    about 20 ms, and many programs never read or write plain data."""
    import cattrs

    built = cattrs.Converter(forbid_extra_keys=True, omit_if_default=True)
    # The builtin hooks would call str(), int() and bool() on anything; ours
    # refuse what is not already of the type. The vocabularies are StrEnums,
    # so the hook for str also reaches them.
    for kind in (str, int, bool):
        built.register_structure_hook(kind, _strict(kind))
    built.register_unstructure_hook(str, _unstructure_text)
    built.register_structure_hook(Decimal, _structure_decimal)
    built.register_unstructure_hook(Decimal, str)
    built.register_structure_hook(Fraction, _structure_fraction)
    built.register_unstructure_hook(Fraction, str)
    built.register_structure_hook(date, _structure_date)
    built.register_unstructure_hook(date, date.isoformat)
    built.register_structure_hook(Period, _structure_period)
    built.register_unstructure_hook(Period, str)
    built.register_structure_hook(Money, _structure_money)
    built.register_unstructure_hook(Money, str)
    built.register_structure_hook_func(_is_tuple, _tuple_hook(built))
    return built


def __getattr__(name: str) -> Any:
    # ``_converter`` was a module attribute built at import; it is still
    # reachable under that name, built on first use.
    if name == "_converter":
        return converter()
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def to_dict(record: attrs.AttrsInstance) -> dict[str, Any]:
    """Turn a record into plain data: dicts, lists, strings and integers.

    Fields left at their default are omitted. :func:`from_dict` reads the
    result back into an equal record.

    >>> from mali_aid import Citation
    >>> to_dict(Citation(source="be-dgd-mali", paragraph=5))
    {'source': 'be-dgd-mali', 'paragraph': 5}
    """
    result = converter().unstructure(record)
    assert isinstance(result, dict)
    return result


def _is_record_kind(kind: object) -> bool:
    return isinstance(kind, type) and attrs.has(kind)


def from_dict(data: Mapping[str, Any], kind: type[T]) -> T:
    """Build a record of type ``kind`` from plain data, validating everything.

    Any problem raises one :class:`~mali_aid.errors.DataError` that names the
    record (its ``id`` where it has one) and the path of the field.

    >>> from mali_aid import Citation
    >>> from_dict({"source": "be-dgd-mali", "paragraph": 0}, Citation)
    Traceback (most recent call last):
    ...
    mali_aid.errors.DataError: field paragraph: paragraph must be a whole number of at least 1, not 0
    """
    if not _is_record_kind(kind):
        raise DataError(f"{shown(kind)} is not a kind of record")
    if not isinstance(data, Mapping):
        raise DataError(f"a record must be a table, not {type(data).__name__}")
    record = data.get("id")
    # Only a usable id names the record; a blank or bad one is itself the
    # problem, and the caller says where the record stands instead.
    record_id = record if isinstance(record, str) and _ID.fullmatch(record) else None
    try:
        return converter().structure(data, kind)
    except DataError as error:
        raise error.located(record=record_id) from None
    except Exception as error:
        problem = _as_data_error(error, kind, record_id)
        if problem is None:
            raise
        raise problem from None


def _as_data_error(
    error: Exception, kind: type, record_id: str | None
) -> DataError | None:
    """The one error of the hierarchy that a failure to structure becomes, or
    None where it is no problem of the data. cattrs' errors are imported here,
    on the way out of a failure, not on every record read."""
    import cattrs
    from cattrs.errors import ClassValidationError, IterableValidationError

    if isinstance(error, ClassValidationError | IterableValidationError):
        problems = list(_leaves(error, ""))
        path, first = problems[0]
        reason = _describe(first)
        if len(problems) > 1:
            more = "; ".join(
                f"{p or '(record)'}: {_describe(e)}" for p, e in problems[1 : 1 + _MORE]
            )
            if len(problems) > 1 + _MORE:
                more += "; ..."
            reason = f"{reason} (and {len(problems) - 1} more: {more})"
        return DataError(reason, record=record_id, field=path or None)
    if isinstance(error, cattrs.BaseValidationError):  # pragma: no cover - defensive
        return DataError(str(error), record=record_id)
    if isinstance(error, TypeError | LookupError | AttributeError | ArithmeticError):
        # A class that is not one of the records (a result such as Totals)
        # fails inside attrs or cattrs: still one error of the hierarchy.
        return DataError(
            f"cannot build a {kind.__name__} from this table: {error}",
            record=record_id,
        )
    return None


def _describe(error: BaseException) -> str:
    from cattrs.errors import ForbiddenExtraKeysError

    if isinstance(error, DataError):
        return error.reason
    if isinstance(error, ForbiddenExtraKeysError):
        names = sorted(_key(name) for name in error.extra_fields)
        return f"unknown field(s): {', '.join(names)}"
    if isinstance(error, KeyError):
        return "required field missing"
    return str(error) or type(error).__name__


def _key(name: object) -> str:
    """A key as an error names it: bare where it is a short printable text."""
    if isinstance(name, str) and name.isprintable() and 0 < len(name) <= 60:
        return name
    return shown(name)


def _leaves(error: BaseException, path: str) -> Iterator[tuple[str, BaseException]]:
    from cattrs.errors import (
        AttributeValidationNote,
        ClassValidationError,
        IterableValidationError,
        IterableValidationNote,
    )

    if isinstance(error, ClassValidationError | IterableValidationError):
        for inner in error.exceptions:
            step = path
            for note in getattr(inner, "__notes__", []):
                if isinstance(note, AttributeValidationNote):
                    step = f"{path}.{note.name}" if path else note.name
                elif isinstance(note, IterableValidationNote):
                    step = f"{path}[{note.index}]"
            yield from _leaves(inner, step)
        return
    if isinstance(error, DataError) and error.field:
        if error.field.startswith("["):
            path = f"{path}{error.field}"
        else:
            path = f"{path}.{error.field}" if path else error.field
    yield path, error
