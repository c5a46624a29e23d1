"""The bounds on what the package reads, so that no input runs without end.

Every entry point that takes outside input checks it against these limits
before doing any arithmetic or building anything large, and refuses what
goes beyond with a :class:`~mali_aid.errors.DataError`. ``docs/data.md``
and ``docs/iati.md`` document them.
"""

from __future__ import annotations

import os
import stat
from decimal import Decimal
from fractions import Fraction
from typing import Final

from .errors import DataError

#: Digits a number may have before its decimal point: amounts below 10**30.
MAX_INTEGER_DIGITS: Final = 30
#: Digits a number may have after its decimal point.
MAX_DECIMAL_PLACES: Final = 18
#: Characters of a number written as text (a decimal, a fraction, money).
MAX_NUMBER_TEXT: Final = 100
#: Bits of the numerator and denominator of an exact fraction (a weight).
MAX_FRACTION_BITS: Final = 1024
#: Characters of an id.
MAX_ID_LENGTH: Final = 200
#: Levels of arrays and tables nested in a data file.
MAX_NESTING: Final = 32
#: Bytes of a directory's data files together (the bundled ones hold less
#: than 100 KiB): loading stays within seconds.
MAX_FILE_BYTES: Final = 4 * 1024 * 1024

#: Characters of a value shown in an error message.
_SHOWN: Final = 60


def shown(value: object) -> str:
    """A short, safe rendering of a bad value for an error message.

    Texts and numbers are shown (cut to a few dozen characters); anything
    else by its type only, so that no message ``repr()`` s a deeply nested
    or huge value.
    """
    if isinstance(value, str):
        text = repr(value[: _SHOWN + 1])
        return text if len(value) <= _SHOWN else f"{text[:-1]}...{text[-1]}"
    if isinstance(value, bool) or value is None:
        return repr(value)
    if isinstance(value, int):
        if value.bit_length() > 128:
            return f"an integer of {value.bit_length()} bits"
        return repr(value)
    if isinstance(value, Decimal):
        digits, exponent = len(value.as_tuple().digits), value.as_tuple().exponent
        if digits > _SHOWN or (isinstance(exponent, int) and abs(exponent) > _SHOWN):
            return f"a decimal of {digits} digits and exponent {exponent}"
        return f"Decimal({str(value)!r})"
    if isinstance(value, float):
        return repr(value)
    article = "an" if type(value).__name__[:1].lower() in "aeiou" else "a"
    return f"{article} {type(value).__name__}"


def check_decimal(number: Decimal, what: str) -> Decimal:
    """Refuse a finite ``Decimal`` beyond the digit bounds (checked cheaply)."""
    _, digits, exponent = number.as_tuple()
    assert isinstance(exponent, int)  # finite: checked by the caller
    places = max(-exponent, 0)
    if places > MAX_DECIMAL_PLACES:
        raise DataError(
            f"{what} has {places} decimal places; at most {MAX_DECIMAL_PLACES} are read"
        )
    whole = len(digits) + exponent if number else 0
    if whole > MAX_INTEGER_DIGITS:
        raise DataError(
            f"{what} has {whole} digits before the decimal point; at most"
            f" {MAX_INTEGER_DIGITS} are read (amounts below 10**{MAX_INTEGER_DIGITS})"
        )
    return number


def check_fraction(value: Fraction, what: str) -> Fraction:
    """Refuse a fraction whose numerator or denominator is huge."""
    if (
        abs(value.numerator).bit_length() > MAX_FRACTION_BITS
        or value.denominator.bit_length() > MAX_FRACTION_BITS
    ):
        raise DataError(
            f"{what} is a fraction of more than {MAX_FRACTION_BITS} bits;"
            " give it with fewer digits"
        )
    return value


def read_regular_file(path: str, limit: int = MAX_FILE_BYTES) -> bytes:
    """The bytes of a regular file, refusing FIFOs, devices and huge files.

    The file is opened without blocking, so a FIFO never hangs, and checked
    to be a regular file before a byte is read.
    """
    descriptor = open_regular_file(path)
    try:
        with os.fdopen(descriptor, "rb") as stream:
            content = stream.read(limit + 1)
    except OSError as error:
        raise DataError(
            f"cannot be read: {error.strerror or error}", file=path
        ) from None
    if len(content) > limit:
        raise DataError(
            f"is too large: the data files together must stay below"
            f" {MAX_FILE_BYTES // (1024 * 1024)} MiB",
            file=path,
        )
    return content


def open_regular_file(path: str) -> int:
    """A descriptor of a regular file opened for reading, without blocking."""
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        descriptor = os.open(path, flags)
    except OSError as error:
        raise DataError(
            f"cannot be read: {error.strerror or error}", file=path
        ) from None
    try:
        mode = os.fstat(descriptor).st_mode
    except OSError as error:  # pragma: no cover - fstat on an open descriptor
        os.close(descriptor)
        raise DataError(
            f"cannot be read: {error.strerror or error}", file=path
        ) from None
    if not stat.S_ISREG(mode):
        os.close(descriptor)
        raise DataError(
            "is not a regular file (a directory, FIFO, socket or device);"
            " only regular files are read",
            file=path,
        )
    return descriptor
