"""The exceptions of :mod:`mali_aid`.

Every error the package raises on purpose derives from :class:`MaliAidError`,
and each also derives from the builtin a caller would expect, so code that
catches ``ValueError`` or ``LookupError`` keeps working::

    >>> from mali_aid import Money
    >>> from mali_aid.errors import CurrencyMismatchError
    >>> try:
    ...     Money("1", "EUR") + Money("1", "CHF")
    ... except CurrencyMismatchError as error:
    ...     print(error)
    cannot combine EUR and CHF without a conversion
"""

from __future__ import annotations

__all__ = [
    "AmbiguousNameError",
    "ArgumentError",
    "CurrencyMismatchError",
    "DataError",
    "DivisionByZeroError",
    "MaliAidError",
    "NoRateError",
    "OpenPeriodError",
    "UnknownIdError",
    "UnknownNameError",
]


class MaliAidError(Exception):
    """Base class of every exception raised by :mod:`mali_aid`."""


class DataError(MaliAidError, ValueError):
    """A value, record or data file failed validation.

    ``file``, ``record`` and ``field`` say where, as far as they are known:
    the data file, the id of the record in it, and the path of the field
    inside the record (``amounts[0].money``). They also appear in the
    message.
    """

    def __init__(
        self,
        message: str,
        *,
        file: str | None = None,
        record: str | None = None,
        field: str | None = None,
    ) -> None:
        self.reason = message
        self.file = file
        self.record = record
        self.field = field
        super().__init__(self._render())

    def _render(self) -> str:
        where = []
        if self.file is not None:
            where.append(f"file {self.file}")
        if self.record is not None:
            where.append(f"record {self.record!r}")
        if self.field is not None:
            where.append(f"field {self.field}")
        if not where:
            return self.reason
        return f"{', '.join(where)}: {self.reason}"

    def located(
        self,
        *,
        file: str | None = None,
        record: str | None = None,
        field_prefix: str | None = None,
    ) -> DataError:
        """Return a copy that also says where the error stands.

        Known locations are kept; ``field_prefix`` is put in front of the
        field path.
        """
        field = self.field
        if field_prefix:
            field = f"{field_prefix}.{field}" if field else field_prefix
        return DataError(
            self.reason,
            file=self.file if self.file is not None else file,
            record=self.record if self.record is not None else record,
            field=field,
        )

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_data_error, (self.reason, self.file, self.record, self.field))


def _rebuild_data_error(
    reason: str, file: str | None, record: str | None, field: str | None
) -> DataError:
    return DataError(reason, file=file, record=record, field=field)


class ArgumentError(DataError, TypeError):
    """An argument of a public function is not of the kind it takes.

    ``function`` names the function and ``argument`` the argument; the
    message says what it expected and what it was given (by type only for
    anything but a short text or number). Being a :class:`DataError`, it is
    caught with the other refusals of bad input; being a ``TypeError``, it
    is caught where a wrong type is expected::

        >>> import mali_aid
        >>> mali_aid.totals([], by="donor", currency="EUR", data=None)
        Traceback (most recent call last):
        ...
        mali_aid.errors.ArgumentError: totals(): argument data must be a Dataset, not None
    """

    def __init__(self, message: str, *, function: str, argument: str) -> None:
        self.function = function
        self.argument = argument
        super().__init__(message)

    def _render(self) -> str:
        return f"{self.function}(): argument {self.argument} {self.reason}"

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_argument_error, (self.reason, self.function, self.argument))


def _rebuild_argument_error(reason: str, function: str, argument: str) -> ArgumentError:
    return ArgumentError(reason, function=function, argument=argument)


class CurrencyMismatchError(MaliAidError, ValueError):
    """Two amounts in different currencies met without an explicit conversion."""


class NoRateError(MaliAidError, LookupError):
    """No exchange rate is known for that pair of currencies at that time."""


class UnknownIdError(MaliAidError, LookupError):
    """No record of that kind has that id."""


class OpenPeriodError(MaliAidError, ValueError):
    """An operation needs both ends of a period, and one of them is unknown."""


class DivisionByZeroError(MaliAidError, ZeroDivisionError):
    """An amount divided by zero, or by a zero amount."""


class UnknownNameError(UnknownIdError):
    """No record of that kind has that name, alias or id.

    ``suggestions`` holds the ids of records whose names come close, best
    first (empty when none does); the message names them too.
    """

    def __init__(self, message: str, *, suggestions: tuple[str, ...] = ()) -> None:
        self.suggestions = tuple(suggestions)
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_unknown_name, (str(self), self.suggestions))


def _rebuild_unknown_name(
    message: str, suggestions: tuple[str, ...]
) -> UnknownNameError:
    return UnknownNameError(message, suggestions=suggestions)


class AmbiguousNameError(MaliAidError, LookupError):
    """A name means several records of one kind.

    ``candidates`` holds their ids, widest first for places and
    organisations; ``widest`` the one that all the others lie in (the
    Sikasso region for the region, cercle and city of that name), or
    ``None`` when they are not nested.
    """

    def __init__(
        self,
        message: str,
        *,
        candidates: tuple[str, ...] = (),
        widest: str | None = None,
    ) -> None:
        self.candidates = tuple(candidates)
        self.widest = widest
        super().__init__(message)

    def __reduce__(self) -> tuple[object, ...]:
        return (_rebuild_ambiguous, (str(self), self.candidates, self.widest))


def _rebuild_ambiguous(
    message: str, candidates: tuple[str, ...], widest: str | None
) -> AmbiguousNameError:
    return AmbiguousNameError(message, candidates=candidates, widest=widest)
