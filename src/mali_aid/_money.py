"""Exact amounts of money tied to a currency."""

from __future__ import annotations

import math
import operator
import re
from collections.abc import Iterable
from decimal import (
    ROUND_HALF_EVEN,
    Context,
    Decimal,
    DecimalException,
    DivisionByZero,
    Inexact,
    InvalidOperation,
    Overflow,
)
from fractions import Fraction
from typing import TYPE_CHECKING, Literal, SupportsIndex, overload

import attrs

from ._currencies import MINOR_UNITS
from ._limits import (
    MAX_FRACTION_BITS,
    MAX_NUMBER_TEXT,
    check_decimal,
    check_fraction,
    shown,
)
from .errors import CurrencyMismatchError, DataError, DivisionByZeroError

if TYPE_CHECKING:
    import pint

__all__ = ["Money", "minor_unit"]

#: Arithmetic context of every sum and product: wide enough for any real
#: amount, and it raises rather than round, so no operation loses a digit.
EXACT = Context(
    prec=200,
    rounding=ROUND_HALF_EVEN,
    Emax=999_999,
    Emin=-999_999,
    traps=[InvalidOperation, Inexact, Overflow, DivisionByZero],
)

Number = int | Decimal
Weight = int | Decimal | Fraction


def minor_unit(currency: str) -> int:
    """Return the number of decimal places of ``currency`` (EUR 2, XOF 0).

    >>> minor_unit("XOF")
    0
    """
    if not isinstance(currency, str) or currency not in MINOR_UNITS:
        raise DataError(f"unknown currency code {shown(currency)}")
    return MINOR_UNITS[currency]


#: A decimal number written whole: ASCII digits, an optional sign, point
#: and exponent (``str(Decimal)`` writes ``1E+3``), nothing around it.
_DECIMAL_TEXT = re.compile(
    r"[-+]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)(?:[eE][-+]?[0-9]+)?", re.ASCII
)
_NOT_FINITE = frozenset({"nan", "snan", "inf", "infinity"})


def to_decimal(value: object, what: str = "amount") -> Decimal:
    """Turn ``value`` into a finite ``Decimal``, refusing floats and booleans.

    A text must be the number alone, in ASCII digits (no spaces, underscores
    or other scripts' digits). The number must lie within the bounds of
    :mod:`mali_aid._limits`: at most 30 digits before the decimal point and
    18 after it.
    """
    if isinstance(value, bool):
        raise DataError(f"{what} must be a number, not a boolean")
    if isinstance(value, Decimal):
        number = value
    elif isinstance(value, int):
        if value.bit_length() > MAX_FRACTION_BITS:
            raise DataError(f"{what} {shown(value)} is too large")
        number = Decimal(value)
    elif isinstance(value, str):
        if value.lstrip("+-").lower() in _NOT_FINITE:
            raise DataError(f"{what} must be finite, not {value}")
        if len(value) > MAX_NUMBER_TEXT:
            raise DataError(
                f"{what} {shown(value)} is longer than {MAX_NUMBER_TEXT} characters"
            )
        if not _DECIMAL_TEXT.fullmatch(value):
            raise DataError(f"{what} {shown(value)} is not a decimal number")
        number = Decimal(value)
    elif isinstance(value, float):
        raise DataError(
            f"{what} {value!r} is a float; pass a str or Decimal so no digit is lost"
        )
    else:
        raise DataError(
            f"{what} must be a str, int or Decimal, not {type(value).__name__}"
        )
    if not number.is_finite():
        raise DataError(f"{what} must be finite, not {number}")
    return check_decimal(number, f"{what} {shown(number)}")


def _exact(operation: str, *operands: Decimal) -> Decimal:
    """One operation of the exact context; a result it cannot hold is refused."""
    try:
        result: Decimal = getattr(EXACT, operation)(*operands)
    except DecimalException:
        raise DataError(
            f"the result has more than {EXACT.prec} digits or is out of range;"
            " it cannot be held exactly"
        ) from None
    return result


def _check_factor(factor: Decimal | int, what: str) -> None:
    if isinstance(factor, int):
        if factor.bit_length() > MAX_FRACTION_BITS:
            raise DataError(f"{what} {shown(factor)} is too large")
        return
    if not factor.is_finite():
        raise DataError(f"{what} must be finite, not {factor}")
    digits, exponent = len(factor.as_tuple().digits), factor.as_tuple().exponent
    assert isinstance(exponent, int)
    if digits > EXACT.prec or abs(exponent) > 1000:
        raise DataError(
            f"{what} {shown(factor)} has too many digits or too large an exponent"
        )


def _check_currency(_instance: object, _attribute: object, value: str) -> None:
    if not isinstance(value, str) or value not in MINOR_UNITS:
        raise DataError(f"unknown currency code {shown(value)} (ISO 4217, upper case)")


@attrs.frozen(repr=False, order=False)
class Money:
    """An exact amount of money in one currency.

    The amount is a :class:`~decimal.Decimal`, given as a ``str``, ``int`` or
    ``Decimal``; floats, NaN and infinities are refused, and so is a code that
    is not an ISO 4217 currency. Amounts in one currency add, subtract and
    compare; amounts in two currencies never do without an explicit
    conversion (see :meth:`mali_aid.Rates.convert`).

    >>> Money("50.5", "EUR") + Money("4", "EUR")
    Money('54.5', 'EUR')
    >>> sum([Money("1.10", "EUR"), Money("2.20", "EUR")])
    Money('3.30', 'EUR')
    >>> Money("100.00", "EUR").allocate([1, 1, 1])
    (Money('33.34', 'EUR'), Money('33.33', 'EUR'), Money('33.33', 'EUR'))
    """

    amount: Decimal = attrs.field(converter=to_decimal)
    currency: str = attrs.field(validator=_check_currency)

    @classmethod
    def _trusted(cls, amount: Decimal, currency: str) -> Money:
        # For results of our own exact arithmetic: skips the checks.
        money = object.__new__(cls)
        object.__setattr__(money, "amount", amount)
        object.__setattr__(money, "currency", currency)
        return money

    # -- text --------------------------------------------------------------

    def __repr__(self) -> str:
        return f"Money({format(self.amount, 'f')!r}, {self.currency!r})"

    def __str__(self) -> str:
        return f"{format(self.amount, 'f')} {self.currency}"

    def __format__(self, spec: str) -> str:
        """Format the amount with ``spec`` and append the code.

        >>> f"{Money('50500000', 'EUR'):,}"
        '50,500,000 EUR'
        """
        if not spec:
            return str(self)
        try:
            return f"{format(self.amount, spec)} {self.currency}"
        except (ValueError, TypeError):
            raise DataError(f"{shown(spec)} is not a format for an amount") from None

    @classmethod
    def parse(
        cls, text: str, *, decimal_mark: Literal[".", ","] | None = None
    ) -> Money:
        """Read an amount as the sources write it.

        ``"50.5 million EUR"``, ``"EUR 250,000"``, ``"€4 million"``,
        ``"42 millions d'euros"`` and ``"1000 XOF"`` all parse. By default a
        comma groups thousands and a point marks decimals; since French
        writes ``250.000`` for two hundred and fifty thousand, a lone point
        followed by exactly three digits is refused as ambiguous unless
        ``decimal_mark`` names the convention (``","`` for French, where a
        point or a space groups thousands).

        >>> Money.parse("50.5 million EUR")
        Money('50500000', 'EUR')
        >>> Money.parse("250.000 euros", decimal_mark=",")
        Money('250000', 'EUR')
        """
        return _parse_money(text, decimal_mark)

    # -- arithmetic within one currency -------------------------------------

    def _same(self, other: Money) -> None:
        if other.currency != self.currency:
            raise CurrencyMismatchError(
                f"cannot combine {self.currency} and {other.currency} "
                "without a conversion"
            )

    def __add__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return Money._trusted(_exact("add", self.amount, other.amount), self.currency)

    def __radd__(self, other: object) -> Money:
        # Lets the builtin sum() start from its integer 0.
        if isinstance(other, int) and not isinstance(other, bool) and other == 0:
            return self
        return NotImplemented

    def __sub__(self, other: Money) -> Money:
        if not isinstance(other, Money):
            return NotImplemented
        self._same(other)
        return Money._trusted(
            _exact("subtract", self.amount, other.amount), self.currency
        )

    def __neg__(self) -> Money:
        return Money._trusted(_exact("minus", self.amount), self.currency)

    def __pos__(self) -> Money:
        return self

    def __abs__(self) -> Money:
        return Money._trusted(_exact("abs", self.amount), self.currency)

    def __mul__(self, factor: Number) -> Money:
        if isinstance(factor, bool) or not isinstance(factor, int | Decimal):
            return NotImplemented
        if isinstance(factor, Decimal) and not factor.is_finite():
            raise DataError(f"cannot multiply money by {factor}")
        _check_factor(factor, "factor")
        return Money._trusted(
            _exact("multiply", self.amount, Decimal(factor)), self.currency
        )

    __rmul__ = __mul__

    @overload
    def __truediv__(self, other: Money) -> Fraction: ...
    @overload
    def __truediv__(self, other: Number) -> Money: ...
    def __truediv__(self, other: Money | Number) -> Money | Fraction:
        """Divide by a number, rounding half to even to the minor unit.

        Dividing by another amount in the same currency gives their exact
        ratio as a :class:`~fractions.Fraction`. To split an amount without
        losing a cent, use :meth:`allocate`.

        >>> Money("100.00", "EUR") / 3
        Money('33.33', 'EUR')
        >>> Money("1", "EUR") / Money("4", "EUR")
        Fraction(1, 4)
        """
        if isinstance(other, Money):
            self._same(other)
            if not other.amount:
                raise DivisionByZeroError("division by a zero amount")
            return Fraction(self.amount) / Fraction(other.amount)
        if isinstance(other, bool) or not isinstance(other, int | Decimal):
            return NotImplemented
        if not other:
            raise DivisionByZeroError("division of money by zero")
        _check_factor(other, "divisor")
        return Money._trusted(
            _round_fraction(Fraction(self.amount) / Fraction(other), self.minor_unit),
            self.currency,
        )

    def _compare(self, other: Money) -> tuple[Decimal, Decimal]:
        if not isinstance(other, Money):
            raise TypeError(f"cannot compare Money with {type(other).__name__}")
        self._same(other)
        return self.amount, other.amount

    def __lt__(self, other: Money) -> bool:
        a, b = self._compare(other)
        return a < b

    def __le__(self, other: Money) -> bool:
        a, b = self._compare(other)
        return a <= b

    def __gt__(self, other: Money) -> bool:
        a, b = self._compare(other)
        return a > b

    def __ge__(self, other: Money) -> bool:
        a, b = self._compare(other)
        return a >= b

    def __bool__(self) -> bool:
        return bool(self.amount)

    # -- rounding and splitting ---------------------------------------------

    @property
    def minor_unit(self) -> int:
        """Decimal places of the currency: 2 for EUR, 0 for XOF."""
        return MINOR_UNITS[self.currency]

    def rounded(self, places: SupportsIndex | None = None) -> Money:
        """Round half to even to ``places`` decimals (default: the minor unit).

        >>> Money("2.675", "EUR").rounded()
        Money('2.68', 'EUR')
        """
        try:
            digits = self.minor_unit if places is None else operator.index(places)
        except TypeError:
            raise DataError(
                f"places must be a whole number, not {shown(places)}"
            ) from None
        if not -MAX_FRACTION_BITS <= digits <= MAX_FRACTION_BITS:
            raise DataError(f"cannot round to {digits} places")
        return Money._trusted(
            _round_fraction(Fraction(self.amount), digits), self.currency
        )

    def allocate(self, weights: Iterable[Weight]) -> tuple[Money, ...]:
        """Split the amount in proportion to ``weights``, losing nothing.

        Each part is a whole number of the currency's minor unit (or of the
        amount's own last digit, if that is finer), and the parts always sum
        to exactly the whole. Leftover units go to the parts with the largest
        remainders, earlier parts first on ties.

        >>> Money("10", "XOF").allocate([1, 2])
        (Money('3', 'XOF'), Money('7', 'XOF'))
        """
        if isinstance(weights, str | bytes) or not isinstance(weights, Iterable):
            raise DataError(f"weights must be a sequence, not {shown(weights)}")
        shares = [_to_weight(weight) for weight in weights]
        if not shares:
            raise DataError("allocate needs at least one weight")
        total = sum(shares, Fraction(0))
        if total <= 0:
            raise DataError("allocate needs weights whose sum is positive")
        own = self.amount.as_tuple().exponent
        assert isinstance(own, int)  # the amount is finite by construction
        exponent = min(-self.minor_unit, own)
        units = int(_exact("scaleb", self.amount, Decimal(-exponent)))
        sign = -1 if units < 0 else 1
        units = abs(units)
        exact = [units * share / total for share in shares]
        parts = [math.floor(value) for value in exact]
        leftover = units - sum(parts)
        order = sorted(range(len(parts)), key=lambda i: (parts[i] - exact[i], i))
        for index in order[:leftover]:
            parts[index] += 1
        return tuple(
            Money._trusted(
                _exact("scaleb", Decimal(sign * part), Decimal(exponent)),
                self.currency,
            )
            for part in parts
        )

    # -- the pint view -------------------------------------------------------

    @property
    def quantity(self) -> pint.Quantity[Decimal]:
        """This amount as a pint ``Quantity`` whose unit is the currency.

        Each currency is its own dimension, so pint itself refuses to add
        EUR to CAD. The magnitude is the exact ``Decimal``. pint is imported
        on first use.
        """
        from ._units import money_to_quantity

        return money_to_quantity(self)

    @classmethod
    def from_quantity(cls, quantity: pint.Quantity[Decimal]) -> Money:
        """Turn a pint ``Quantity`` of one currency back into :class:`Money`."""
        from ._units import quantity_to_money

        return quantity_to_money(quantity)


def _to_weight(value: object) -> Fraction:
    if isinstance(value, bool) or not isinstance(value, int | Decimal | Fraction):
        raise DataError(f"weight {shown(value)} must be an int, Decimal or Fraction")
    if isinstance(value, Decimal | int):
        _check_factor(value, "weight")
    weight = check_fraction(Fraction(value), f"weight {shown(value)}")
    if weight < 0:
        raise DataError(f"weight {value} must not be negative")
    return weight


def _round_fraction(value: Fraction, places: int) -> Decimal:
    """Round an exact fraction half to even to ``places`` decimals."""
    scaled = value * 10**places
    return _exact("scaleb", Decimal(round(scaled)), Decimal(-places))


# -- parsing ------------------------------------------------------------------

_CURRENCY_WORDS = {
    "€": "EUR",
    "euro": "EUR",
    "euros": "EUR",
    "us$": "USD",
    "us dollars": "USD",
    "dollars us": "USD",
    "£": "GBP",
    "c$": "CAD",
    "ca$": "CAD",
    "fcfa": "XOF",
    "f cfa": "XOF",
    "cfa francs": "XOF",
    "francs cfa": "XOF",
    "swiss francs": "CHF",
    "francs suisses": "CHF",
}
_SCALES = {
    "thousand": 10**3,
    "thousands": 10**3,
    "mille": 10**3,
    "million": 10**6,
    "millions": 10**6,
    "billion": 10**9,
    "billions": 10**9,
    "milliard": 10**9,
    "milliards": 10**9,
}
_DIGITS = re.compile(r"[0-9]+")
_SPACES = re.compile(r"[\s\u00a0\u202f]+")
_NUMBER = r"(?P<number>[-+]?[0-9](?:[0-9.,' ]*[0-9])?)"
_WORD = r"(?P<{name}>[^0-9\s+-][^0-9]*?)"
_PATTERN = re.compile(
    rf"^(?:{_WORD.format(name='before')}\s?)?{_NUMBER}"
    rf"(?:\s?(?P<after>[^0-9].*))?$"
)


#: Characters of a text :meth:`Money.parse` reads.
_MAX_MONEY_TEXT = 200


def _parse_money(text: str, decimal_mark: Literal[".", ","] | None) -> Money:
    if not isinstance(text, str):
        raise DataError(f"money must be given as text, not {type(text).__name__}")
    if decimal_mark is not None and (
        not isinstance(decimal_mark, str) or decimal_mark not in {".", ","}
    ):
        raise DataError(f"decimal_mark {shown(decimal_mark)} is not '.', ',' or None")
    if len(text) > _MAX_MONEY_TEXT:
        raise DataError(
            f"{shown(text)} is longer than {_MAX_MONEY_TEXT} characters;"
            " it is not an amount of money"
        )
    cleaned = _SPACES.sub(" ", text).strip()
    match = _PATTERN.match(cleaned)
    if match is None:
        raise DataError(f"cannot read an amount of money in {text!r}")
    before = (match["before"] or "").strip()
    after = (match["after"] or "").strip()
    number = _read_number(match["number"], decimal_mark, text)
    scale = 1
    words = after.split(" ", 1) if after else []
    if words and words[0].lower() in _SCALES:
        scale = _SCALES[words[0].lower()]
        after = words[1] if len(words) > 1 else ""
    after = re.sub(r"^(?:d['’]|de |of )", "", after.strip(), flags=re.IGNORECASE)
    labels = [label for label in (before, after) if label]
    if len(labels) != 1:
        raise DataError(f"{text!r} must name exactly one currency")
    currency = _currency_code(labels[0], text)
    amount = _exact("multiply", number, Decimal(scale))
    if scale != 1 and amount == amount.to_integral_value():
        amount = _exact("quantize", amount, Decimal(1))
    try:
        return Money(amount, currency)
    except DataError as error:
        raise DataError(f"{text!r}: {error.reason}") from None


def _currency_code(label: str, text: str) -> str:
    lowered = label.lower().strip()
    if lowered in _CURRENCY_WORDS:
        return _CURRENCY_WORDS[lowered]
    if label in MINOR_UNITS:
        return label
    if lowered == "$":
        raise DataError(f"{text!r}: '$' is ambiguous; name the currency (USD, CAD...)")
    raise DataError(f"{text!r}: unknown currency {label!r}")


def _read_number(
    raw: str, decimal_mark: Literal[".", ","] | None, text: str
) -> Decimal:
    digits = raw.replace(" ", "\u2009").replace("'", "\u2009")
    if decimal_mark == ",":
        group, point = ".", ","
    else:
        group, point = ",", "."
    if decimal_mark is None and "," not in digits and digits.count(".") == 1:
        fraction = digits.split(".")[1]
        if len(fraction) == 3:
            raise DataError(
                f"{text!r} is ambiguous: {raw!r} may be a decimal point or a "
                "thousands separator; pass decimal_mark='.' or decimal_mark=','"
            )
    if digits.count(point) > 1:
        raise DataError(f"{text!r}: more than one decimal mark in {raw!r}")
    whole, _, fraction = digits.partition(point)
    if not fraction and point in digits:
        raise DataError(f"{text!r}: no digits after the decimal mark")
    groups = re.split(rf"[{re.escape(group)}\u2009]", whole)
    if len(groups) > 1 and (
        not 1 <= len(groups[0].lstrip("+-")) <= 3
        or any(len(part) != 3 for part in groups[1:])
    ):
        raise DataError(f"{text!r}: {raw!r} is not grouped in thousands")
    if not all(_DIGITS.fullmatch(part.lstrip("+-")) for part in groups) or (
        fraction and not _DIGITS.fullmatch(fraction)
    ):
        raise DataError(f"{text!r}: cannot read the number {raw!r}")
    return Decimal("".join(groups) + ("." + fraction if fraction else ""))
