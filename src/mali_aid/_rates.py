"""Exchange rates: dated, exact, and never guessed.

A :class:`Rates` table holds rates as units of each currency per one unit of
its base currency (the euro for the bundled table, as the European Central
Bank quotes them), daily and as annual means, plus fixed pegs such as the CFA
franc's 655.957 per euro. Every other pair goes through the base; inverses are
never stored, so converting there and back loses nothing but the final
rounding.
"""

from __future__ import annotations

import bisect
import threading
from collections.abc import Mapping
from datetime import date, timedelta
from decimal import Decimal, InvalidOperation
from fractions import Fraction
from types import MappingProxyType

import attrs

from ._currencies import MINOR_UNITS
from ._money import Money, _round_fraction
from .errors import DataError, NoRateError

__all__ = ["Peg", "Rates", "default_rates"]

#: Days to look back from a date for the last published rate (weekends and
#: the ECB's holidays leave gaps of up to four days).
LOOK_BACK_DAYS = 7


@attrs.frozen
class Peg:
    """A currency fixed to another at an exact rate from a given day.

    The CFA franc of West Africa (XOF) has been fixed at exactly 655.957 per
    euro since the euro's introduction on 1 January 1999.
    """

    anchor: str
    per_anchor: Decimal
    since: date


#: The pegs of the bundled table. Origin: Council Decision 98/683/EC of
#: 23 November 1998 and the BCEAO, 655.957 XOF = 1 EUR from 1 January 1999.
DEFAULT_PEGS: Mapping[str, Peg] = MappingProxyType(
    {"XOF": Peg(anchor="EUR", per_anchor=Decimal("655.957"), since=date(1999, 1, 1))}
)


def _freeze_daily(
    value: Mapping[str, Mapping[date, Decimal]],
) -> Mapping[str, tuple[tuple[date, ...], tuple[Decimal, ...]]]:
    frozen = {}
    for code, series in value.items():
        days = tuple(sorted(series))
        frozen[code] = (days, tuple(series[day] for day in days))
    return MappingProxyType(frozen)


def _freeze_annual(
    value: Mapping[str, Mapping[int, Decimal]],
) -> Mapping[str, Mapping[int, Decimal]]:
    return MappingProxyType(
        {code: MappingProxyType(dict(series)) for code, series in value.items()}
    )


def _freeze_pegs(value: Mapping[str, Peg]) -> Mapping[str, Peg]:
    return MappingProxyType(dict(value))


@attrs.frozen(kw_only=True)
class Rates:
    """A table of exchange rates.

    ``daily`` maps a currency to its rate (units per one ``base``) on each
    publication day; ``annual`` to its mean rate of each year; ``pegs``
    fixes currencies to others. Build your own to use other rates, for
    example the OECD DAC annual exchange rates::

        Rates(base="USD", annual={"EUR": {2023: Decimal("0.9248")}})

    then pass it as ``rates=`` to the functions that convert.

    >>> rates = default_rates()
    >>> rates.convert(Money("100", "EUR"), "XOF", year=2024)
    Money('65596', 'XOF')
    """

    base: str = "EUR"
    daily: Mapping[str, tuple[tuple[date, ...], tuple[Decimal, ...]]] = attrs.field(
        factory=dict, converter=_freeze_daily
    )
    annual: Mapping[str, Mapping[int, Decimal]] = attrs.field(
        factory=dict, converter=_freeze_annual
    )
    pegs: Mapping[str, Peg] = attrs.field(
        factory=lambda: DEFAULT_PEGS, converter=_freeze_pegs
    )
    origin: str = "rates given by the caller"
    look_back_days: int = LOOK_BACK_DAYS

    def __attrs_post_init__(self) -> None:
        codes = {self.base, *self.daily, *self.annual, *self.pegs}
        for code in codes:
            if code not in MINOR_UNITS:
                raise DataError(f"unknown currency code {code!r} in the rates")
        for code, peg in self.pegs.items():
            if peg.anchor not in MINOR_UNITS or peg.per_anchor <= 0:
                raise DataError(f"the peg of {code} is not valid")
        for code, (_days, values) in self.daily.items():
            if any(value <= 0 for value in values):
                raise DataError(f"a daily rate of {code} is not positive")
        for code, series in self.annual.items():
            if any(value <= 0 for value in series.values()):
                raise DataError(f"an annual rate of {code} is not positive")

    @property
    def currencies(self) -> frozenset[str]:
        """Every currency this table can convert."""
        return frozenset({self.base, *self.daily, *self.annual, *self.pegs})

    def per_base(
        self, currency: str, *, on: date | None = None, year: int | None = None
    ) -> Decimal:
        """Units of ``currency`` per one unit of the base currency.

        ``on`` a date: the last rate published on or before it, within the
        look-back; ``year``: the annual mean. Exactly one of them.
        """
        return _per_base(self, currency, _when(on, year))

    def factor(
        self,
        source: str,
        target: str,
        *,
        on: date | None = None,
        year: int | None = None,
    ) -> Fraction:
        """The exact factor that turns an amount in ``source`` into ``target``.

        >>> default_rates().factor("EUR", "XOF", year=2024)
        Fraction(655957, 1000)
        """
        when = _when(on, year)
        if source == target:
            return Fraction(1)
        return Fraction(_per_base(self, target, when)) / Fraction(
            _per_base(self, source, when)
        )

    def convert(
        self, money: Money, to: str, *, on: date | None = None, year: int | None = None
    ) -> Money:
        """Convert ``money`` into ``to`` at the rate of a date or a year.

        ``on`` a date uses the last rate published on or before it within a
        short look-back; ``year`` the annual mean; give exactly one. The
        result is rounded half to even to the target's minor unit (an amount
        already in ``to`` is returned unchanged). Where no rate is known
        (before the series starts, after it ends, a year not yet complete, a
        currency the table lacks) it raises :class:`~mali_aid.errors.NoRateError`,
        never a nearest guess.

        >>> rates = default_rates()
        >>> rates.convert(Money("655957", "XOF"), "EUR", on=date(2013, 2, 1))
        Money('1000.00', 'EUR')
        """
        if to not in MINOR_UNITS:
            raise DataError(f"unknown currency code {to!r}")
        factor = self.factor(money.currency, to, on=on, year=year)
        if money.currency == to:
            return money
        return Money._trusted(
            _round_fraction(Fraction(money.amount) * factor, MINOR_UNITS[to]), to
        )

    def coverage(self, currency: str) -> tuple[date, date] | None:
        """First and last publication day of a currency's daily rates."""
        series = self.daily.get(currency)
        if not series or not series[0]:
            return None
        return series[0][0], series[0][-1]


def _when(on: date | None, year: int | None) -> date | int:
    if (on is None) == (year is None):
        raise TypeError("give exactly one of on= (a date) or year= (an int)")
    if on is not None:
        if not isinstance(on, date):
            raise TypeError(f"on= takes a date, not {type(on).__name__}")
        return on
    if isinstance(year, bool) or not isinstance(year, int):
        raise TypeError(f"year= takes an int, not {type(year).__name__}")
    return year


def _per_base(rates: Rates, currency: str, when: date | int) -> Decimal:
    if currency == rates.base:
        return Decimal(1)
    peg = rates.pegs.get(currency)
    if peg is not None:
        first_year = (
            peg.since.year if peg.since.timetuple().tm_yday == 1 else peg.since.year + 1
        )
        if (isinstance(when, date) and when < peg.since) or (
            isinstance(when, int) and when < first_year
        ):
            raise NoRateError(
                f"{currency} is fixed to {peg.anchor} only from {peg.since}"
            )
        anchor = _per_base(rates, peg.anchor, when)
        return peg.per_anchor * anchor
    if isinstance(when, int):
        annual = rates.annual.get(currency)
        if annual is None or when not in annual:
            raise NoRateError(f"no annual rate of {currency} for {when}")
        return annual[when]
    series = rates.daily.get(currency)
    if series is None:
        raise NoRateError(f"no daily rates of {currency}")
    days, values = series
    index = bisect.bisect_right(days, when) - 1
    if index < 0 or when - days[index] > timedelta(days=rates.look_back_days):
        raise NoRateError(
            f"no rate of {currency} published on {when} or in the "
            f"{rates.look_back_days} days before"
        )
    if index == len(days) - 1 and when > days[-1]:
        # After the last publication, a gap is a missing update, not a weekend.
        raise NoRateError(f"the rates of {currency} end on {days[-1]}")
    return values[index]


# -- the bundled table ---------------------------------------------------------------

_lock = threading.Lock()
_bundled: Rates | None = None


def default_rates() -> Rates:
    """The bundled table: ECB euro reference rates and the XOF peg.

    Daily rates of USD, CHF, CAD, GBP and JPY from 4 January 1999, their
    annual means for each complete year, and XOF fixed at exactly 655.957
    per euro. Loaded on first call and cached.
    """
    global _bundled
    if _bundled is None:
        with _lock:
            if _bundled is None:
                _bundled = _read_bundled()
    return _bundled


def _read_bundled() -> Rates:
    # Imported here, not at the top: ``import mali_aid`` stays light.
    import gzip
    from importlib.resources import files

    resource = files("mali_aid") / "data" / "ecb-euro-rates.csv.gz"
    text = gzip.decompress(resource.read_bytes()).decode("utf-8")
    return parse_rates_text(text)


def parse_rates_text(text: str) -> Rates:
    """Read the bundled file's layout (see ``scripts/build_rates.py``)."""
    reading = _RatesText()
    for number, line in enumerate(text.splitlines(), start=1):
        if line.startswith("#"):
            reading.comments.append(line.lstrip("# ").strip())
            continue
        try:
            reading.read_line(line.split(","))
        except (ValueError, IndexError, InvalidOperation) as error:
            raise DataError(
                f"line {number}: {error}", file="ecb-euro-rates.csv.gz"
            ) from None
    return reading.rates()


class _RatesText:
    """What the lines of the bundled file have said so far.

    Each line names its kind in its first field: ``currencies``, ``scale``,
    ``start``, ``mean``, or else a day's rates, whose first field is the
    number of days since the line before.
    """

    def __init__(self) -> None:
        self.comments: list[str] = []
        self.codes: list[str] = []
        self.scales: list[int] = []
        self.day: date | None = None
        self.scaled: list[int] = []
        self.daily: dict[str, dict[date, Decimal]] = {}
        self.annual: dict[str, dict[int, Decimal]] = {}

    def read_line(self, fields: list[str]) -> None:
        """Read one line that is not a comment, by the kind its first field names."""
        head = fields[0]
        if head == "currencies":
            self.read_currencies(fields[1:])
        elif head == "scale":
            self.scales = [int(field) for field in fields[1:]]
        elif head == "start":
            self.day = date.fromisoformat(fields[1])
        elif head == "mean":
            self.read_means(int(fields[1]), fields[2:])
        else:
            self.read_day(head, fields[1:])

    def read_currencies(self, codes: list[str]) -> None:
        """The currencies of the columns that follow: every table starts empty."""
        self.codes = codes
        self.daily = {code: {} for code in codes}
        self.annual = {code: {} for code in codes}
        self.scaled = [0] * len(codes)

    def read_means(self, year: int, fields: list[str]) -> None:
        """A year's mean rates, one field per currency; an empty field has none."""
        if len(fields) != len(self.codes):
            raise ValueError(
                f"{len(fields)} rates for {len(self.codes)} currencies in a mean line"
            )
        for code, field in zip(self.codes, fields, strict=True):
            if field:
                self.annual[code][year] = Decimal(field)

    def read_day(self, days_after: str, fields: list[str]) -> None:
        """A day's rates, ``days_after`` the day before: each field the change
        from the currency's last rate, in units of its scale; an empty field
        means no rate that day."""
        if self.day is None:
            raise ValueError("a rate line before the start line")
        if len(fields) != len(self.codes):
            raise ValueError(
                f"{len(fields)} rates for {len(self.codes)} currencies in a day line"
            )
        self.day += timedelta(days=int(days_after))
        day = self.day
        for index, field in enumerate(fields):
            if field:
                self.scaled[index] += int(field)
                self.daily[self.codes[index]][day] = Decimal(self.scaled[index]).scaleb(
                    -self.scales[index]
                )

    def rates(self) -> Rates:
        """The table read, its origin told by the first four comment lines."""
        origin = " ".join(self.comments[:4])
        return Rates(base="EUR", daily=self.daily, annual=self.annual, origin=origin)
