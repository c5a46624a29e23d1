"""Hypothesis strategies for every record of :mod:`mali_aid`.

Use them to test your own code on data shaped like ours: totals you compute
from engagements, exports you write, checks you run. They need Hypothesis,
which comes with the ``strategies`` extra::

    pip install "mali-aid[strategies]"

Every strategy shrinks towards the simplest value: small amounts in EUR, a
single year, one participant, no optional field set. :func:`collections`
gives whole worlds that load as data (parts within their containers, Mali's
share stated where an engagement reaches beyond it), with options for what
real data has; a :class:`Collection` prints as a short summary, and
:func:`describe` gives one line for an engagement.

>>> from hypothesis import given
>>> from mali_aid import strategies as mas
>>> @given(mas.money(currencies=["EUR"]))
... def test_money_is_its_own_sum(money):
...     assert sum([money]) == money
>>> test_money_is_its_own_sum()
"""

from __future__ import annotations

import calendar
import functools
from collections.abc import Iterator, Sequence
from datetime import date, timedelta
from decimal import ROUND_DOWN, Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(
        "mali_aid.strategies needs Hypothesis: pip install 'mali-aid[strategies]'"
    ) from error

import attrs

from ._currencies import MINOR_UNITS
from ._model import (
    Amount,
    AmountKind,
    Channel,
    Citation,
    Count,
    Engagement,
    EngagementKind,
    Organisation,
    OrganisationKind,
    Participant,
    Place,
    PlaceLevel,
    PlaceShare,
    Qualifier,
    Role,
    Sector,
    SectorShare,
    Source,
    Status,
    Theme,
)
from ._money import Money
from ._period import Period, Precision, first_day, last_day

if TYPE_CHECKING:
    from ._dataset import Dataset
    from ._rates import Rates

__all__ = [
    "Collection",
    "amounts",
    "citations",
    "collections",
    "counts",
    "dates",
    "describe",
    "engagements",
    "ids",
    "money",
    "organisations",
    "periods",
    "places",
    "sectors",
    "sources",
]

#: Currencies the strategies draw from unless told otherwise: the euro
#: first (so examples shrink to it), then those the data and rates use.
DEFAULT_CURRENCIES = ("EUR", "XOF", "USD", "CHF", "CAD", "GBP")

_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def ids(prefix: str = "") -> st.SearchStrategy[str]:
    """Valid record ids: lower-case slugs, optionally with a prefix."""
    return st.text(_ID_ALPHABET, min_size=1, max_size=8).map(lambda s: prefix + s)


def money(
    *,
    currencies: Sequence[str] = DEFAULT_CURRENCIES,
    min_value: Decimal | int | None = 0,
    max_value: Decimal | int = 10**12,
    places: int | None = None,
) -> st.SearchStrategy[Money]:
    """Amounts of :class:`~mali_aid.Money` in the given currencies.

    Amounts have at most the currency's minor unit of decimals (``places``
    overrides it) and lie between ``min_value`` and ``max_value`` (no lower
    bound when ``min_value`` is ``None``).
    """
    for code in currencies:
        if code not in MINOR_UNITS:
            raise ValueError(f"unknown currency {code!r}")

    def for_currency(code: str) -> st.SearchStrategy[Money]:
        digits = MINOR_UNITS[code] if places is None else places
        scale = 10**digits
        low = None if min_value is None else int(Decimal(min_value) * scale)
        high = int(Decimal(max_value) * scale)
        return st.integers(min_value=low, max_value=high).map(
            lambda units: Money(Decimal(units).scaleb(-digits), code)
        )

    # One branch per currency, built once: no strategy is made while drawing,
    # and the first currency is the one examples shrink to.
    return st.one_of([for_currency(code) for code in currencies])


def dates(
    min_value: date = date(1990, 1, 1), max_value: date = date(2035, 12, 31)
) -> st.SearchStrategy[date]:
    """Calendar dates in a range that fits aid data."""
    return st.dates(min_value=min_value, max_value=max_value)


def _bound(
    draw: st.DrawFn, precision: Precision, low: date, high: date, end: bool
) -> date:
    day = draw(dates(low, high))
    if precision is Precision.YEAR:
        value = last_day(day.year) if end else first_day(day.year)
    elif precision is Precision.MONTH:
        value = last_day(day.year, day.month) if end else first_day(day.year, day.month)
    else:
        value = day
    return value


@st.composite
def periods(
    draw: st.DrawFn,
    *,
    bounded: bool = False,
    min_value: date = date(1990, 1, 1),
    max_value: date = date(2035, 12, 31),
    precisions: Sequence[Precision] = (Precision.YEAR, Precision.MONTH, Precision.DAY),
) -> Period:
    """:class:`~mali_aid.Period` values with any precision on either end.

    With ``bounded=True`` both ends are known (what
    :meth:`~mali_aid.Period.split_by_year` needs); otherwise an end may be
    unknown, but never both.
    """
    start_precision = draw(st.sampled_from(list(precisions)))
    end_precision = draw(st.sampled_from(list(precisions)))
    start = _bound(draw, start_precision, min_value, max_value, end=False)
    end_low = max(start, min_value)
    # Rounding a day up to the end of its unit never moves it before start.
    end = _bound(draw, end_precision, end_low, max_value, end=True)
    missing = "none" if bounded else draw(st.sampled_from(["none", "start", "end"]))
    approximate = draw(st.booleans())
    return Period(
        start=None if missing == "start" else start,
        start_precision=None if missing == "start" else start_precision,
        end=None if missing == "end" else end,
        end_precision=None if missing == "end" else end_precision,
        approximate=approximate,
    )


def citations(source_ids: Sequence[str] = ("source",)) -> st.SearchStrategy[Citation]:
    """Citations of a paragraph (1 to 30) of one of ``source_ids``."""
    return st.builds(
        Citation,
        source=st.sampled_from(list(source_ids)),
        paragraph=st.integers(min_value=1, max_value=30),
    )


def sources(
    source_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Source]:
    """:class:`~mali_aid.Source` records with 30 paragraphs."""
    return st.builds(
        Source,
        id=source_id if source_id is not None else ids("src-"),
        title=st.just("A source"),
        publisher=st.just("A publisher"),
        language=st.sampled_from(["en", "fr"]),
        paragraphs=st.just(30),
    )


def counts() -> st.SearchStrategy[Count]:
    """Non-money :class:`~mali_aid.Count` figures (persons, helicopters)."""
    return st.builds(
        Count,
        value=st.integers(min_value=0, max_value=10_000).map(Decimal),
        unit=st.sampled_from(["person", "helicopter", "organisation"]),
        qualifier=st.sampled_from(list(Qualifier)),
        date=st.none() | periods(bounded=True),
    )


def amounts(
    *,
    currencies: Sequence[str] = DEFAULT_CURRENCIES,
    kinds: Sequence[AmountKind] = tuple(AmountKind),
    qualifiers: Sequence[Qualifier] = tuple(Qualifier),
    min_date: date = date(1990, 1, 1),
    max_date: date = date(2035, 12, 31),
    value_dates: bool = True,
) -> st.SearchStrategy[Amount]:
    """:class:`~mali_aid.Amount` values, each perhaps with the period it covers.

    Periods and value dates fall between ``min_date`` and ``max_date``;
    ``value_dates=False`` draws none.
    """
    return st.builds(
        Amount,
        money=money(currencies=currencies),
        kind=st.sampled_from(list(kinds)),
        qualifier=st.sampled_from(list(qualifiers)),
        period=st.none()
        | periods(bounded=True, min_value=min_date, max_value=max_date),
        value_date=st.none() | dates(min_date, max_date) if value_dates else st.none(),
    )


def organisations(
    *,
    organisation_id: st.SearchStrategy[str] | None = None,
    parents: Sequence[str] = (),
) -> st.SearchStrategy[Organisation]:
    """:class:`~mali_aid.Organisation` records, with a parent drawn from ``parents``."""
    parent = st.none() if not parents else st.none() | st.sampled_from(list(parents))
    return st.builds(
        Organisation,
        id=organisation_id if organisation_id is not None else ids("org-"),
        name=st.text("abcdefgh ", min_size=1, max_size=12).filter(str.strip),
        kind=st.sampled_from(list(OrganisationKind)),
        aliases=st.lists(st.sampled_from(["A", "B", "C"]), unique=True, max_size=2).map(
            tuple
        ),
        parent=parent,
    ).filter(lambda organisation: organisation.parent != organisation.id)


def places(
    *, place_id: st.SearchStrategy[str] | None = None, parents: Sequence[str] = ()
) -> st.SearchStrategy[Place]:
    """:class:`~mali_aid.Place` records, with a parent drawn from ``parents``."""
    parent = st.none() if not parents else st.none() | st.sampled_from(list(parents))
    return st.builds(
        Place,
        id=place_id if place_id is not None else ids("place-"),
        name=st.text("abcdefgh ", min_size=1, max_size=12).filter(str.strip),
        level=st.sampled_from(list(PlaceLevel)),
        parent=parent,
    ).filter(lambda place: place.parent != place.id)


def sectors(
    sector_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Sector]:
    """:class:`~mali_aid.Sector` records."""
    return st.builds(
        Sector,
        id=sector_id if sector_id is not None else ids("sector-"),
        name=st.text("abcdefgh ", min_size=1, max_size=12).filter(str.strip),
        dac_code=st.none() | st.from_regex(r"\A[0-9]{5}\Z"),
    )


# -- genomes ----------------------------------------------------------------------
#
# A record of a collection is drawn as one fixed-length string of bytes, its
# genome, and decoded by the plain functions below. Hypothesis spends about
# 25 microseconds on every choice it records; an engagement drawn field by
# field takes some fifty choices, a genome one. Each field reads bytes at a
# fixed place in the genome, so changing one byte changes one field, and a
# byte of 0 always decodes to the simplest choice (the first option, no
# optional field, the smallest number): Hypothesis shrinks each byte towards 0
# and deletes whole records from their lists, so a counterexample shrinks to
# few records with simple fields.


class _Genes:
    """Reads a genome a fixed number of bytes at a time."""

    __slots__ = ("_data", "_offset")

    def __init__(self, data: bytes) -> None:
        self._data = data
        self._offset = 0

    def take(self, size: int) -> bytes:
        """The next ``size`` bytes, whether or not the caller reads them all."""
        end = self._offset + size
        if end > len(self._data):
            raise AssertionError("genome too short")  # pragma: no cover
        chunk = self._data[self._offset : end]
        self._offset = end
        return chunk


def _pick(byte: int, options: Sequence[Any]) -> Any:
    """One of ``options``, the first for byte 0, spread evenly over 0-255."""
    return options[byte * len(options) >> 8]


def _weighted(byte: int, table: Sequence[tuple[int, Any]]) -> Any:
    """One option of ``(weight in 256ths, option)`` pairs, the first for byte 0."""
    for weight, option in table:
        if byte < weight:
            return option
        byte -= weight
    return table[-1][1]


def _flag(byte: int, probability: float) -> bool:
    """True with about ``probability``; False for byte 0."""
    return byte >= 256 - round(256 * probability)


def _between(byte: int, low: int, high: int) -> int:
    """A whole number from ``low`` (byte 0) to ``high``."""
    return low + (byte * (high - low + 1) >> 8)


def _distinct(picks: bytes, options: Sequence[str], count: int) -> list[str]:
    """``count`` different options, each chosen by one byte."""
    chosen: list[str] = []
    for byte in picks[: min(count, len(options))]:
        index = byte % len(options)
        while options[index] in chosen:
            index = (index + 1) % len(options)
        chosen.append(options[index])
    return chosen


def _split(weights: Sequence[int], total: int) -> list[int]:
    """``total`` units split by ``weights``, at least one unit each, summing exactly."""
    spare = total - len(weights)
    whole = sum(weights)
    shares = [weight * spare // whole for weight in weights]
    order = sorted(
        range(len(weights)), key=lambda i: -(weights[i] * spare % whole) / whole
    )
    for index in order[: spare - sum(shares)]:
        shares[index] += 1
    return [share + 1 for share in shares]


# -- the world a record is drawn in -------------------------------------------------


@attrs.frozen(kw_only=True)
class _World:
    """The ids a record may refer to and the options it is drawn with."""

    organisations: tuple[str, ...] = ()
    places: tuple[str, ...] = ()
    #: Places that lie outside Mali: an engagement there states Mali's share.
    foreign: frozenset[str] = frozenset()
    sectors: tuple[str, ...] = ()
    themes: tuple[str, ...] = ()
    sources: tuple[str, ...] = ("source",)
    currencies: tuple[str, ...] = DEFAULT_CURRENCIES
    kinds: tuple[AmountKind, ...] = tuple(AmountKind)
    min_date: date = date(1990, 1, 1)
    max_date: date = date(2035, 12, 31)
    value_dates: bool = True
    co_financing: bool = True
    budgets: bool = True
    unknown_amounts: bool = True
    open_periods: bool = True


def _check_options(currencies: Sequence[str], min_date: date, max_date: date) -> None:
    for code in currencies:
        if code not in MINOR_UNITS:
            raise ValueError(f"unknown currency {code!r}")
    if not currencies:
        raise ValueError("give at least one currency")
    if max_date < min_date:
        raise ValueError(f"max_date {max_date} is before min_date {min_date}")


def _day(genes: bytes, world: _World) -> date:
    """A day between the world's first and last day, from three bytes."""
    low, high = world.min_date, world.max_date
    year = _between(genes[0], low.year, high.year)
    month = 1 + genes[1] % 12
    day = 1 + genes[2] % calendar.monthrange(year, month)[1]
    return min(max(date(year, month, day), low), high)


_PRECISIONS = (Precision.YEAR, Precision.MONTH, Precision.DAY)
_OPEN = ((180, "none"), (38, "start"), (38, "end"))


def _period(genes: bytes, world: _World, *, bounded: bool) -> Period:
    """A period from nine bytes: start, length, precisions, open end, vagueness."""
    low, high = world.min_date, world.max_date
    day = _day(genes[0:3], world)
    length = timedelta(days=(genes[3] << 8 | genes[4]) % 3000)
    start_precision = _pick(genes[5], _PRECISIONS)
    end_precision = _pick(genes[6], _PRECISIONS)
    start = _unit_start(day, start_precision)
    if start < low:
        start, start_precision = day, Precision.DAY
    last = min(day + length, high)
    end = _unit_end(last, end_precision)
    if end > high:
        end, end_precision = last, Precision.DAY
    missing = (
        "none" if bounded or not world.open_periods else _weighted(genes[7], _OPEN)
    )
    return Period(
        start=None if missing == "start" else start,
        start_precision=None if missing == "start" else start_precision,
        end=None if missing == "end" else end,
        end_precision=None if missing == "end" else end_precision,
        approximate=_flag(genes[8], 0.15),
    )


def _unit_start(day: date, precision: Precision) -> date:
    if precision is Precision.YEAR:
        return first_day(day.year)
    if precision is Precision.MONTH:
        return first_day(day.year, day.month)
    return day


def _unit_end(day: date, precision: Precision) -> date:
    if precision is Precision.YEAR:
        return last_day(day.year)
    if precision is Precision.MONTH:
        return last_day(day.year, day.month)
    return day


_PERIOD_GENES = 9


def _money(genes: bytes, world: _World, currency: str | None = None) -> Money:
    """Money from five bytes: currency, power of ten, 1 to 999, minor units."""
    code = currency if currency is not None else _pick(genes[0], world.currencies)
    digits = MINOR_UNITS[code]
    whole = (1 + (genes[2] << 8 | genes[3]) % 999) * 10 ** _between(genes[1], 0, 9)
    minor = genes[4] % 10**digits if digits and _flag(genes[4], 0.3) else 0
    return Money(Decimal(whole * 10**digits + minor).scaleb(-digits), code)


_QUALIFIERS = (
    (180, Qualifier.EXACT),
    (30, Qualifier.ABOUT),
    (26, Qualifier.AT_LEAST),
    (20, Qualifier.AT_MOST),
)
#: The genes of one amount: money (5), kind, qualifier, value date (4), period.
_AMOUNT_GENES = 12


def _amount(
    genes: bytes, world: _World, period: Period | None, kind: AmountKind | None = None
) -> Amount:
    value_date = (
        _day(genes[8:11], world)
        if world.value_dates and _flag(genes[7], 0.25)
        else None
    )
    return Amount(
        money=_money(genes[0:5], world),
        kind=kind if kind is not None else _pick(genes[5], world.kinds),
        qualifier=_weighted(genes[6], _QUALIFIERS),
        period=period if period is not None and _flag(genes[11], 0.3) else None,
        value_date=value_date,
    )


_SHAPES = (
    (100, "one"),
    (40, "unknown"),
    (40, "several"),
    (38, "budgets"),
    (38, "commitment"),
)
_AMOUNT_SLOTS = 4


def _amounts(genes: bytes, world: _World, period: Period | None) -> list[Amount]:
    """An engagement's amounts, in one of five shapes chosen by the first byte.

    One amount; none (unknown); several of any kinds; annual budgets, one
    per calendar year of a bounded period (up to four), each with its own
    period; or a commitment with one to three disbursements that sum to no
    more than it.
    """
    if not world.kinds:
        return []
    slots = [
        genes[1 + i * _AMOUNT_GENES : 1 + (i + 1) * _AMOUNT_GENES]
        for i in range(_AMOUNT_SLOTS)
    ]
    shape = _weighted(genes[0], _SHAPES)
    bounded = period is not None and period.start is not None and period.end is not None
    if shape == "unknown" and world.unknown_amounts:
        return []
    if shape == "several" and world.budgets:
        count = 2 + genes[0] % 2
        return [_amount(slot, world, period) for slot in slots[:count]]
    if (
        shape == "budgets"
        and world.budgets
        and bounded
        and AmountKind.BUDGET in world.kinds
    ):
        assert period is not None and period.start and period.end
        first = _money(slots[0][0:5], world)
        years = range(
            period.start.year, min(period.end.year, period.start.year + 3) + 1
        )
        result = []
        for year, slot in zip(years, slots, strict=False):
            start = max(period.start, first_day(year))
            end = min(period.end, last_day(year))
            result.append(
                Amount(
                    money=_money(slot[0:5], world, first.currency),
                    kind=AmountKind.BUDGET,
                    qualifier=_weighted(slot[6], _QUALIFIERS),
                    period=Period(
                        start=start,
                        start_precision=_coarsest_start(start),
                        end=end,
                        end_precision=_coarsest_end(end),
                    ),
                )
            )
        return result
    if (
        shape == "commitment"
        and world.budgets
        and {AmountKind.COMMITMENT, AmountKind.DISBURSEMENT} <= set(world.kinds)
    ):
        commitment = _amount(slots[0], world, period, AmountKind.COMMITMENT)
        code = commitment.money.currency
        unit = Decimal(1).scaleb(-MINOR_UNITS[code])
        weights = [1 + slot[5] % 9 for slot in slots[1 : 2 + genes[0] % 3]]
        spare = 10 + slots[1][6] % 10
        result = [commitment]
        for weight, slot in zip(weights, slots[1:], strict=False):
            part = (commitment.money.amount * weight / (sum(weights) + spare)).quantize(
                unit, rounding=ROUND_DOWN
            )
            if part > 0:
                value_date = _day(slot[8:11], world) if world.value_dates else None
                result.append(
                    Amount(
                        money=Money(part, code),
                        kind=AmountKind.DISBURSEMENT,
                        value_date=value_date,
                    )
                )
        return result
    return [_amount(slots[0], world, period)]


_AMOUNTS_GENES = 1 + _AMOUNT_SLOTS * _AMOUNT_GENES


def _coarsest_start(day: date) -> Precision:
    if day.month == 1 and day.day == 1:
        return Precision.YEAR
    return Precision.MONTH if day.day == 1 else Precision.DAY


def _coarsest_end(day: date) -> Precision:
    if day.month == 12 and day.day == 31:
        return Precision.YEAR
    return Precision.MONTH if day == last_day(day.year, day.month) else Precision.DAY


_FUNDERS = ((128, 1), (38, 0), (52, 2), (38, 3))


def _participants(genes: bytes, world: _World) -> list[Participant]:
    """Funders (none, one, or up to three, perhaps with shares) and an implementer."""
    options = world.organisations
    if not options:
        return []
    funders = _distinct(genes[1:4], options, _weighted(genes[0], _FUNDERS))
    shared = world.co_financing and len(funders) > 1 and _flag(genes[4], 0.6)
    weights = [1 + byte % 9 for byte in genes[5 : 5 + len(funders)]]
    participants = [
        Participant(
            organisation=organisation,
            role=Role.FUNDING,
            share=Fraction(weight, sum(weights)) if shared else None,
        )
        for organisation, weight in zip(funders, weights, strict=True)
    ]
    if _flag(genes[8], 0.5):
        participants.append(
            Participant(organisation=_pick(genes[9], options), role=Role.IMPLEMENTING)
        )
    return participants


_PARTICIPANT_GENES = 10
_SHARE_COUNTS = ((115, 1), (38, 0), (64, 2), (39, 3))
_PERCENTAGES = ((128, "none"), (70, "whole"), (26, "tenths"), (32, "partial"))


def _percentages(genes: bytes, count: int, *, stated: bool) -> list[Decimal | None]:
    """Percentages for ``count`` entries: none, or summing to 100 or less."""
    mode = _weighted(genes[0], _PERCENTAGES)
    if count == 0 or (mode == "none" and not stated):
        return [None] * count
    weights = [1 + byte % 9 for byte in genes[1 : 1 + count]]
    if mode == "tenths":
        return [Decimal(units).scaleb(-1) for units in _split(weights, 1000)]
    total = 100 - 10 * (1 + genes[0] % 5) if mode == "partial" else 100
    return [Decimal(units) for units in _split(weights, total)]


def _sector_shares(genes: bytes, world: _World) -> list[SectorShare]:
    chosen = _distinct(genes[1:4], world.sectors, _weighted(genes[0], _SHARE_COUNTS))
    percentages = _percentages(genes[4:8], len(chosen), stated=False)
    return [
        SectorShare(sector=sector, percentage=percentage)
        for sector, percentage in zip(chosen, percentages, strict=True)
    ]


def _place_shares(genes: bytes, world: _World) -> list[PlaceShare]:
    """Places, with percentages wherever one lies outside Mali (Mali's share)."""
    chosen = _distinct(genes[1:4], world.places, _weighted(genes[0], _SHARE_COUNTS))
    abroad = [place for place in chosen if place in world.foreign]
    if abroad and len(abroad) == len(chosen):
        at_home = [place for place in world.places if place not in world.foreign]
        if at_home:
            chosen[0] = _pick(genes[1], at_home)
            if chosen[0] in chosen[1:]:
                chosen.pop(0)
    stated = any(place in world.foreign for place in chosen)
    percentages = _percentages(genes[4:8], len(chosen), stated=stated)
    return [
        PlaceShare(place=place, percentage=percentage)
        for place, percentage in zip(chosen, percentages, strict=True)
    ]


_SHARE_GENES = 8
_UNITS = ("person", "helicopter", "vehicle")


def _resources(genes: bytes, world: _World) -> list[Count]:
    count = _weighted(genes[0], ((180, 0), (50, 1), (26, 2)))
    return [
        Count(
            value=Decimal(_between(genes[i], 1, 255) * 10 ** (genes[i + 1] % 3)),
            unit=_pick(genes[i + 1], _UNITS),
            qualifier=_weighted(genes[i + 2], _QUALIFIERS),
        )
        for i in range(1, 1 + 3 * count, 3)
    ]


_RESOURCE_GENES = 7
_KINDS = tuple(EngagementKind)
_CHANNELS = (None, *Channel)
_STATUSES = (None, *Status)


def _active_years(
    genes: bytes, world: _World, period: Period | None
) -> tuple[int, ...]:
    """Years a source saw the engagement active, mostly where its span is not known."""
    known = period is not None and period.start is not None and period.end is not None
    if not world.open_periods or not _flag(genes[0], 0.2 if known else 0.6):
        return ()
    first = _between(genes[1], world.min_date.year, world.max_date.year)
    years = {first + step for step in range(1 + genes[2] % 3)}
    return tuple(sorted(year for year in years if year <= world.max_date.year))


def _original_period(genes: bytes, period: Period | None) -> Period | None:
    """The span first agreed, where the engagement was extended."""
    if period is None or period.start is None or period.end is None:
        return None
    if not _flag(genes[0], 0.1) or period.start >= period.end:
        return None
    days = (period.end - period.start).days
    end = period.start + timedelta(days=days * (1 + genes[1] % 3) // 4)
    return Period(
        start=period.start,
        start_precision=period.start_precision,
        end=end,
        end_precision=_coarsest_end(end),
    )


#: Bytes of an engagement's fields, followed by four of its links.
_ENGAGEMENT_GENES = 106
#: The genome drawn in pieces: the core, participants and period; the
#: amounts; sectors, places, themes, resources, citation and links.
#: Each piece is one choice to Hypothesis, which shrinks a piece that does
#: not matter to a counterexample all at once, to zeros, and works byte by
#: byte only on the pieces that do.
_ENGAGEMENT_PIECES = (31, 49, 30)
_PIECES = tuple(st.binary(min_size=size, max_size=size) for size in _ENGAGEMENT_PIECES)


@st.composite
def _drawn_in_order(draw: st.DrawFn, parts: tuple[st.SearchStrategy[Any], ...]) -> Any:
    # Not st.tuples(): Hypothesis's explain phase varies each element of a
    # tuple on its own, a hundred test cases apiece, to comment on the
    # counterexample; the records' genomes are not worth a comment each.
    return tuple(draw(part) for part in parts)


def _engagement_genome() -> st.SearchStrategy[bytes]:
    return _drawn_in_order(_PIECES).map(b"".join)


def _engagement_fields(
    data: bytes,
    identifier: str,
    world: _World,
    *,
    part_of: str | None,
    follows: str | None,
) -> dict[str, Any]:
    """The fields of one engagement decoded from its genome."""
    genes = _Genes(data)
    core = genes.take(6)
    participants = _participants(genes.take(_PARTICIPANT_GENES), world)
    period_genes = genes.take(1 + _PERIOD_GENES)
    period = (
        None
        if world.open_periods and _flag(period_genes[0], 0.15)
        else _period(period_genes[1:], world, bounded=False)
    )
    original = _original_period(genes.take(2), period)
    active = _active_years(genes.take(3), world, period)
    amounts = _amounts(genes.take(_AMOUNTS_GENES), world, period)
    sectors = _sector_shares(genes.take(_SHARE_GENES), world)
    places = _place_shares(genes.take(_SHARE_GENES), world)
    theme_mask = genes.take(1)[0]
    resources = _resources(genes.take(_RESOURCE_GENES), world)
    citation = genes.take(2)
    return {
        "id": identifier,
        "title": f"Engagement {identifier}",
        "kind": _pick(core[0], _KINDS),
        "participants": tuple(participants),
        "period": period,
        "original_period": original,
        "active_in": active,
        "amounts": tuple(amounts),
        "channel": _CHANNELS[0] if core[1] < 77 else _pick(core[1], _CHANNELS[1:]),
        "status": _STATUSES[0] if core[2] < 77 else _pick(core[2], _STATUSES[1:]),
        "sectors": tuple(sectors),
        "places": tuple(places),
        "themes": tuple(
            theme for bit, theme in enumerate(world.themes[:8]) if theme_mask >> bit & 1
        ),
        "part_of": part_of,
        "follows": follows,
        "resources": tuple(resources),
        "citations": (
            Citation(
                source=_pick(citation[0], world.sources),
                paragraph=1 + citation[1] % 30,
            ),
        ),
    }


def _link(
    byte: int, chance: float, candidates: Sequence[str], other: int
) -> str | None:
    """One of ``candidates`` (the last for ``other`` 0) with about ``chance``."""
    if not candidates or not _flag(byte, chance):
        return None
    return candidates[len(candidates) - 1 - other % len(candidates)]


@st.composite
def _identified(
    draw: st.DrawFn,
    identifier: st.SearchStrategy[str],
    genome: st.SearchStrategy[bytes],
) -> tuple[str, bytes]:
    return draw(identifier), draw(genome)


def engagements(
    *,
    engagement_id: st.SearchStrategy[str] | None = None,
    organisations: Sequence[str] = ("org-a", "org-b", "org-c"),
    places: Sequence[str] = ("place-a",),
    sectors: Sequence[str] = ("sector-a",),
    themes: Sequence[str] = (),
    sources: Sequence[str] = ("source",),
    currencies: Sequence[str] = DEFAULT_CURRENCIES,
    part_of: Sequence[str] = (),
    follows: Sequence[str] = (),
    kinds: Sequence[AmountKind] = tuple(AmountKind),
    min_date: date = date(1990, 1, 1),
    max_date: date = date(2035, 12, 31),
    value_dates: bool = True,
) -> st.SearchStrategy[Engagement]:
    """:class:`~mali_aid.Engagement` records whose references come from the lists.

    Funding may be unknown (no funder), single, or shared in exact fractions
    that sum to 1; amounts may be absent (unknown), single, several of any
    kinds, annual budgets with their own periods, or a commitment with its
    disbursements. ``part_of`` and ``follows`` give the ids this engagement
    may point to. Amounts are of ``kinds``; periods and dates fall between
    ``min_date`` and ``max_date``. An engagement drawn alone knows nothing of
    its parent's amounts: :func:`collections` is what keeps parts within
    their parents.

    >>> from hypothesis import given
    >>> @given(engagements(currencies=["XOF"]))
    ... def test_amounts_in_francs(engagement):
    ...     assert all(a.money.currency == "XOF" for a in engagement.amounts)
    >>> test_amounts_in_francs()
    """
    _check_options(currencies, min_date, max_date)
    world = _World(
        organisations=tuple(organisations),
        places=tuple(places),
        sectors=tuple(sectors),
        themes=tuple(themes),
        sources=tuple(sources),
        currencies=tuple(currencies),
        kinds=tuple(AmountKind(kind) for kind in kinds),
        min_date=min_date,
        max_date=max_date,
        value_dates=value_dates,
    )
    parents, predecessors = tuple(part_of), tuple(follows)
    genome = _engagement_genome()

    def build(drawn: tuple[str, bytes]) -> Engagement:
        identifier, data = drawn
        links = data[_ENGAGEMENT_GENES:]
        return Engagement(
            **_engagement_fields(
                data[:_ENGAGEMENT_GENES],
                identifier,
                world,
                part_of=_link(
                    links[0], 0.4, [p for p in parents if p != identifier], links[1]
                ),
                follows=_link(
                    links[2],
                    0.3,
                    [p for p in predecessors if p != identifier],
                    links[3],
                ),
            )
        )

    identifier = engagement_id if engagement_id is not None else ids("eng-")
    return _identified(identifier, genome).map(build)


# -- exchange-rate bounds for parts in another currency --------------------------


def _per_base_series(
    rates: Rates, code: str
) -> tuple[Decimal | None, dict[Any, Decimal], dict[Any, Decimal]]:
    """A currency's units per base unit: constant, or by day and by year."""
    if code == rates.base:
        return Decimal(1), {}, {}
    peg = rates.pegs.get(code)
    if peg is not None:
        constant, daily, annual = _per_base_series(rates, peg.anchor)
        factor = peg.per_anchor
        return (
            None if constant is None else constant * factor,
            {day: value * factor for day, value in daily.items()},
            {year: value * factor for year, value in annual.items()},
        )
    days, values = rates.daily.get(code, ((), ()))
    return None, dict(zip(days, values, strict=True)), dict(rates.annual.get(code, {}))


def _ratios(
    source: dict[Any, Decimal], target: dict[Any, Decimal]
) -> Iterator[tuple[Decimal, Decimal]]:
    """(source, target) at every key, each side's last value on or before it.

    That is what a conversion on any day meets: each side's rate of the
    last publication on or before the day.
    """
    last_source = last_target = None
    for key in sorted(source.keys() | target.keys()):
        last_source = source.get(key, last_source)
        last_target = target.get(key, last_target)
        if last_source is not None and last_target is not None:
            yield last_source, last_target


#: How far the bounds are widened beyond the extreme rates, against the
#: rounding of the Decimal division that finds them.
_SLACK = Fraction(1, 10**15)


@functools.cache
def _factor_bounds(source: str, target: str) -> tuple[Fraction, Fraction] | None:
    """The least and greatest factor from ``source`` to ``target`` in the bundled rates.

    Every rate the bundled table can give (any day, any year) lies between
    them, so parts bounded with them stay within their parent at any rate.
    ``None`` where the table cannot convert the pair.
    """
    if source == target:
        return Fraction(1), Fraction(1)
    from ._rates import default_rates

    rates = default_rates()
    if not {source, target} <= rates.currencies:
        return None
    s_constant, s_daily, s_annual = _per_base_series(rates, source)
    t_constant, t_daily, t_annual = _per_base_series(rates, target)
    if s_constant is not None and t_constant is not None:
        exact = Fraction(t_constant) / Fraction(s_constant)
        return exact, exact
    pairs: list[tuple[Decimal, Decimal]] = []
    for s_series, t_series in ((s_daily, t_daily), (s_annual, t_annual)):
        if s_constant is not None:
            pairs.extend((s_constant, value) for value in t_series.values())
        elif t_constant is not None:
            pairs.extend((value, t_constant) for value in s_series.values())
        else:
            pairs.extend(_ratios(s_series, t_series))
    if not pairs:
        return None
    ratios = [t / s for s, t in pairs]
    low = min(ratios)
    high = max(ratios)
    return Fraction(low) * (1 - _SLACK), Fraction(high) * (1 + _SLACK)


#: What an engagement leaves for its parts: a currency and an exact amount.
_Room = tuple[str, Fraction]


def _room(amounts: Sequence[Amount]) -> _Room:
    """The least of ``amounts``, in the first one's currency, at the least rate."""
    code = amounts[0].money.currency
    least = None
    for amount in amounts:
        bounds = _factor_bounds(amount.money.currency, code)
        if bounds is not None:
            value = Fraction(amount.money.amount) * bounds[0]
            least = value if least is None else min(least, value)
    assert least is not None  # the first amount converts to its own currency
    return code, least


def _fit(amounts: Sequence[Amount], room: _Room) -> tuple[list[Amount], _Room]:
    """The amounts cut down to what the parent has left, and what is left then.

    Each amount, converted at the greatest rate, takes at most what remains;
    an amount cut to nothing is dropped. One left in a currency the bundled
    rates cannot compare with the parent's is restated in the parent's.
    """
    code, left = room
    fitted = []
    for amount in amounts:
        money = amount.money
        bounds = _factor_bounds(money.currency, code)
        if bounds is None:
            money = Money(
                money.amount.quantize(Decimal(1).scaleb(-MINOR_UNITS[code])), code
            )
            bounds = (Fraction(1), Fraction(1))
        unit = Fraction(1, 10 ** MINOR_UNITS[money.currency])
        most = (left / bounds[1]) // unit * unit
        value = min(Fraction(money.amount), most)
        if value <= 0:
            continue
        left -= value * bounds[1]
        if value != money.amount:
            money = Money(_decimal(value, MINOR_UNITS[money.currency]), money.currency)
        fitted.append(attrs.evolve(amount, money=money))
    return fitted, (code, left)


def _decimal(value: Fraction, digits: int) -> Decimal:
    """An exact Decimal of a Fraction that is a whole number of minor units."""
    units = value * 10**digits
    assert units.denominator == 1
    return Decimal(units.numerator).scaleb(-digits)


# -- compact descriptions ---------------------------------------------------------


def _describe_amount(amount: Amount) -> str:
    qualifier = "" if amount.qualifier is Qualifier.EXACT else f"{amount.qualifier} "
    text = f"{qualifier}{amount.money} {amount.kind}"
    if amount.period is not None:
        text += f" for {amount.period}"
    if amount.value_date is not None:
        text += f" on {amount.value_date}"
    return text


def _describe_shares(shares: Sequence[SectorShare | PlaceShare]) -> str:
    return ", ".join(
        (share.sector if isinstance(share, SectorShare) else share.place)
        + ("" if share.percentage is None else f" {share.percentage}%")
        for share in shares
    )


def describe(engagement: Engagement) -> str:
    """One line that says what matters in an engagement, for a counterexample.

    Hypothesis prints a :class:`Collection` with one such line per
    engagement; call it yourself inside :func:`hypothesis.note` to see the
    engagements your own strategies build.

    >>> from mali_aid import Engagement, Money, Amount
    >>> record = Engagement(
    ...     id="e", title="E", kind="project", period=Period.parse("2009/2014"),
    ...     amounts=[Amount(money=Money("5", "EUR"), kind="budget")],
    ... )
    >>> describe(record)
    'e project 2009/2014; 5 EUR budget'
    """
    parts = [
        _describe_head(engagement),
        *_describe_links(engagement),
        *_describe_participants(engagement),
        _describe_amounts(engagement.amounts),
        *_describe_attributes(engagement),
    ]
    return "; ".join(parts)


def _describe_head(engagement: Engagement) -> str:
    """The id, the kind and the periods: ``e project 2009/2014 (first 2009/2012)``."""
    head = f"{engagement.id} {engagement.kind}"
    if engagement.period is not None:
        head += f" {engagement.period}"
    if engagement.original_period is not None:
        head += f" (first {engagement.original_period})"
    return head


def _describe_links(engagement: Engagement) -> list[str]:
    """The years it was seen active, its container and the one it follows."""
    parts = []
    if engagement.active_in:
        parts.append("active " + ", ".join(map(str, engagement.active_in)))
    if engagement.part_of is not None:
        parts.append(f"part of {engagement.part_of}")
    if engagement.follows is not None:
        parts.append(f"follows {engagement.follows}")
    return parts


def _describe_participants(engagement: Engagement) -> list[str]:
    """One part for each role that has members, in the order of :class:`Role`,
    each member with its share where it has one."""
    parts = []
    for role in Role:
        members = engagement.participants_in(role)
        if members:
            parts.append(
                f"{role} "
                + ", ".join(
                    member.organisation
                    + ("" if member.share is None else f" {member.share}")
                    for member in members
                )
            )
    return parts


def _describe_amounts(amounts: Sequence[Amount]) -> str:
    """Every amount, or ``amount unknown`` where there is none."""
    if not amounts:
        return "amount unknown"
    return "; ".join(map(_describe_amount, amounts))


def _describe_attributes(engagement: Engagement) -> list[str]:
    """Its places, sectors, channel, status, themes and resources, those it has."""
    parts = []
    if engagement.places:
        parts.append("places " + _describe_shares(engagement.places))
    if engagement.sectors:
        parts.append("sectors " + _describe_shares(engagement.sectors))
    for name in ("channel", "status"):
        value = getattr(engagement, name)
        if value is not None:
            parts.append(f"{name} {value}")
    if engagement.themes:
        parts.append("themes " + ", ".join(engagement.themes))
    if engagement.resources:
        parts.append(
            "resources "
            + ", ".join(f"{count.value} {count.unit}" for count in engagement.resources)
        )
    return parts


def _describe_tree(records: Sequence[Organisation | Place]) -> str:
    return ", ".join(
        f"{record.id} {getattr(record, 'kind', None) or getattr(record, 'level', '')}"
        + ("" if record.parent is None else f" in {record.parent}")
        for record in records
    )


@attrs.frozen(kw_only=True, repr=False)
class Collection:
    """A consistent set of records: every reference resolves, no cycles.

    ``as_files()`` gives the plain data of each kind, keyed by the data file
    name, ready to be written as TOML or passed to :func:`mali_aid.from_dict`.
    Its ``repr`` (which Hypothesis prints for a counterexample) is a short
    summary: one line per kind of record, one per engagement.

    >>> print(Collection(sources=(), organisations=(), places=(), sectors=(),
    ...                  themes=(), engagements=()))
    Collection with 0 engagements
      sources:
      organisations:
      places:
      sectors:
      themes:
    """

    sources: tuple[Source, ...]
    organisations: tuple[Organisation, ...]
    places: tuple[Place, ...]
    sectors: tuple[Sector, ...]
    themes: tuple[Theme, ...]
    engagements: tuple[Engagement, ...]

    def dataset(self) -> Dataset:
        """The records as a validated :class:`~mali_aid.Dataset`."""
        from ._dataset import Dataset

        return Dataset(
            sources=self.sources,
            organisations=self.organisations,
            places=self.places,
            sectors=self.sectors,
            themes=self.themes,
            engagements=self.engagements,
        )

    def as_files(self) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """The records as plain data, one entry per data file."""
        from ._convert import to_dict

        kinds = (
            "sources",
            "organisations",
            "places",
            "sectors",
            "themes",
            "engagements",
        )
        return {
            f"{kind}.toml": {kind: [to_dict(record) for record in getattr(self, kind)]}
            for kind in kinds
        }

    def __repr__(self) -> str:
        lines = [
            f"Collection with {len(self.engagements)} engagements",
            "  sources: " + ", ".join(source.id for source in self.sources),
            "  organisations: " + _describe_tree(self.organisations),
            "  places: " + _describe_tree(self.places),
            "  sectors: " + ", ".join(sector.id for sector in self.sectors),
            "  themes: " + ", ".join(theme.id for theme in self.themes),
            *(f"  {describe(engagement)}" for engagement in self.engagements),
        ]
        return "\n".join(line.rstrip() for line in lines)

    def _repr_pretty_(self, printer: Any, cycle: bool) -> None:
        # Hypothesis prints attrs classes field by field unless told otherwise.
        for number, line in enumerate(repr(self).splitlines()):
            if number:
                printer.break_()
            printer.text(line)


# -- whole collections --------------------------------------------------------------

_SOURCE_GENES = 1
_ORGANISATION_GENES = 4
_PLACE_GENES = 3
_SECTOR_GENES = 2

_ROOT_KINDS = (
    OrganisationKind.STATE,
    OrganisationKind.MULTILATERAL,
    OrganisationKind.NGO,
    OrganisationKind.FUND,
)
_MEMBER_KINDS = (
    OrganisationKind.AGENCY,
    OrganisationKind.GOVERNMENT,
    OrganisationKind.ARMED_FORCES,
    OrganisationKind.EMBASSY,
    OrganisationKind.NGO,
)
_STATES = ("BE", "LU", "CH", "FR", "DE", "CA", "US", "GB")
#: Mali's neighbours, for engagements that reach beyond Mali.
_NEIGHBOURS = (
    ("NE", "Niger"),
    ("BF", "Burkina Faso"),
    ("SN", "Senegal"),
    ("MR", "Mauritania"),
    ("GN", "Guinea"),
    ("CI", "Côte d'Ivoire"),
    ("DZ", "Algeria"),
)
#: The levels a place under a place of each level may have, simplest first.
_SUBLEVELS = {
    PlaceLevel.COUNTRY: (PlaceLevel.REGION, PlaceLevel.REGION, PlaceLevel.DISTRICT),
    PlaceLevel.REGION: (PlaceLevel.CERCLE, PlaceLevel.CERCLE, PlaceLevel.CITY),
    PlaceLevel.DISTRICT: (PlaceLevel.COMMUNE,),
    PlaceLevel.CERCLE: (PlaceLevel.COMMUNE, PlaceLevel.COMMUNE, PlaceLevel.CITY),
    PlaceLevel.COMMUNE: (PlaceLevel.AREA,),
    PlaceLevel.CITY: (PlaceLevel.COMMUNE, PlaceLevel.AREA),
    PlaceLevel.AREA: (PlaceLevel.AREA,),
}
_DAC_CODES = (None, "11220", "12220", "15110", "31120", "43010", "72010", "151")
#: Links of ``part_of`` from an engagement up to its top-most container.
_MAX_DEPTH = 3


def _earlier(byte: int, count: int) -> int:
    """An index below ``count``: the last one for byte 0."""
    return count - 1 - byte % count


@attrs.frozen(kw_only=True)
class _Options:
    world: _World
    parts: bool
    multi_country: bool
    max_engagements: int


def _organisations(genomes: Sequence[bytes]) -> tuple[Organisation, ...]:
    records: list[Organisation] = []
    for index, genes in enumerate(genomes):
        parent = (
            records[_earlier(genes[1], index)]
            if index and _flag(genes[0], 0.4)
            else None
        )
        kind = _pick(genes[2], _MEMBER_KINDS if parent else _ROOT_KINDS)
        records.append(
            Organisation(
                id=f"org-{index}",
                name=f"Organisation {index}",
                kind=kind,
                parent=None if parent is None else parent.id,
                country=_pick(genes[3], _STATES)
                if kind is OrganisationKind.STATE
                else None,
            )
        )
    return tuple(records)


def _places(
    genomes: Sequence[bytes], multi_country: bool
) -> tuple[tuple[Place, ...], frozenset[str]]:
    """Mali and places in it, and, with ``multi_country``, neighbours and theirs."""
    records = [Place(id="ML", name="Mali", level=PlaceLevel.COUNTRY, iso_code="ML")]
    abroad: set[str] = set()
    neighbours = iter(_NEIGHBOURS)
    for index, genes in enumerate(genomes, start=1):
        neighbour = (
            next(neighbours, None) if multi_country and _flag(genes[0], 0.15) else None
        )
        if neighbour is not None:
            code, name = neighbour
            records.append(
                Place(id=code, name=name, level=PlaceLevel.COUNTRY, iso_code=code)
            )
            abroad.add(code)
            continue
        parent = records[_earlier(genes[1], index)]
        level = _pick(genes[2], _SUBLEVELS[parent.level])
        identifier = f"place-{index}"
        records.append(
            Place(
                id=identifier,
                name=f"{level.capitalize()} {index}",
                level=level,
                parent=parent.id,
            )
        )
        if parent.id in abroad:
            abroad.add(identifier)
    return tuple(records), frozenset(abroad)


def _engagement_records(
    genomes: Sequence[bytes], options: _Options
) -> tuple[Engagement, ...]:
    """Engagements whose links point back, with parts that fit in their parents."""
    records: list[Engagement] = []
    depth: dict[str, int] = {}
    parent_of: dict[str, str | None] = {}
    amounts_of: dict[str, tuple[Amount, ...]] = {}
    room: dict[str, _Room] = {}
    for index, data in enumerate(genomes):
        identifier = f"eng-{index}"
        links = data[_ENGAGEMENT_GENES:]
        part_of = None
        if options.parts and index and _flag(links[0], 0.4):
            part_of = records[_earlier(links[1], index)].id
            while depth[part_of] >= _MAX_DEPTH - 1:
                above = parent_of[part_of]
                assert above is not None  # a part has a parent
                part_of = above
        follows = (
            records[_earlier(links[3], index)].id
            if index and _flag(links[2], 0.2)
            else None
        )
        fields = _engagement_fields(
            data[:_ENGAGEMENT_GENES],
            identifier,
            options.world,
            part_of=part_of,
            follows=follows,
        )
        # The nearest container with an amount of its own is what this
        # engagement's amounts count against; what it has left is worked out
        # when its first part comes.
        container = part_of
        while container is not None and container not in amounts_of:
            container = parent_of[container]
        if container is not None and fields["amounts"]:
            if container not in room:
                room[container] = _room(amounts_of[container])
            fitted, left = _fit(fields["amounts"], room[container])
            if fitted or options.world.unknown_amounts:
                fields["amounts"], room[container] = tuple(fitted), left
            else:
                # No room left in the container, and every amount must be
                # known: the engagement stands on its own instead.
                fields["part_of"] = part_of = None
        if fields["amounts"]:
            amounts_of[identifier] = fields["amounts"]
        record = Engagement(**fields)
        records.append(record)
        parent_of[identifier] = part_of
        depth[identifier] = 0 if part_of is None else depth[part_of] + 1
    return tuple(records)


def _collection(genome: tuple[Any, ...], options: _Options) -> Collection:
    (
        source_genes,
        organisation_genes,
        place_genes,
        sector_genes,
        theme_genes,
        engagement_genes,
    ) = genome
    sources = tuple(
        Source(
            id=f"source-{index}",
            title=f"Source {index}",
            publisher="A publisher",
            language=_pick(genes[0], ("en", "fr")),
            paragraphs=30,
        )
        for index, genes in enumerate(source_genes)
    )
    organisations = _organisations(organisation_genes)
    places, abroad = _places(place_genes, options.multi_country)
    sectors = tuple(
        Sector(
            id=f"sector-{index}",
            name=f"Sector {index}",
            dac_code=_pick(genes[0], _DAC_CODES),
        )
        for index, genes in enumerate(sector_genes)
    )
    themes = tuple(
        Theme(id=f"theme-{index}", name=f"Theme {index}")
        for index in range(len(theme_genes))
    )
    world = attrs.evolve(
        options.world,
        organisations=tuple(record.id for record in organisations),
        places=tuple(record.id for record in places),
        foreign=abroad,
        sectors=tuple(record.id for record in sectors),
        themes=tuple(record.id for record in themes),
        sources=tuple(record.id for record in sources),
    )
    engagements = _engagement_records(
        [genes for chunk in engagement_genes for genes in chunk][
            : options.max_engagements
        ],
        attrs.evolve(options, world=world),
    )
    return Collection(
        sources=sources,
        organisations=organisations,
        places=places,
        sectors=sectors,
        themes=themes,
        engagements=engagements,
    )


def _chunks(total: int, size: int) -> list[int]:
    """``total`` as parts of at most ``size``: 12, 4 -> [4, 4, 4]; 6, 4 -> [4, 2]."""
    return [min(size, total - start) for start in range(0, total, size)]


def _genomes(
    size: int, *, min_size: int = 0, max_size: int
) -> st.SearchStrategy[list[bytes]]:
    """From ``min_size`` to ``max_size`` genomes of ``size`` bytes, in one choice.

    The first byte says how many (evenly spread, the fewest for byte 0);
    one choice rather than a list's two per record, since these small
    records rarely matter to a counterexample. Engagements, which do, are
    drawn as lists, so that the shrinker deletes them one by one.
    """
    length = 1 + size * max_size

    def split(data: bytes) -> list[bytes]:
        count = _between(data[0], min_size, max_size)
        return [data[1 + i * size : 1 + (i + 1) * size] for i in range(count)]

    return st.binary(min_size=length, max_size=length).map(split)


@functools.cache
def _bundled_coverage() -> tuple[date, date, frozenset[str]]:
    """First and last day every bundled rate covers, and the currencies."""
    from ._rates import default_rates

    rates = default_rates()
    first = max(days[0] for days, _values in rates.daily.values())
    last_year = min(max(series) for series in rates.annual.values())
    return first, date(last_year, 12, 31), rates.currencies


def collections(
    *,
    max_engagements: int = 12,
    currencies: Sequence[str] = DEFAULT_CURRENCIES,
    kinds: Sequence[AmountKind] = tuple(AmountKind),
    min_date: date = date(1990, 1, 1),
    max_date: date = date(2035, 12, 31),
    value_dates: bool = True,
    convertible: bool = False,
    co_financing: bool = True,
    parts: bool = True,
    budgets: bool = True,
    unknown_amounts: bool = True,
    open_periods: bool = True,
    multi_country: bool = True,
) -> st.SearchStrategy[Collection]:
    """Whole consistent collections of records, as real data has them.

    Every collection loads as data: references resolve, organisations and
    places form trees (Mali, its regions, cercles and communes), ``part_of``
    and ``follows`` point only to earlier engagements (so no chain loops),
    funding shares sum to 1, percentages to at most 100, and the amounts of
    an engagement's parts never sum to more than the least of its own
    amounts (converted, where currencies differ, at the least favourable
    bundled rate).

    Each option switches on (the default) or off one thing real data has:

    - ``co_financing``: funders sharing an engagement in stated fractions;
    - ``parts``: engagements inside others (envelopes with their parts), up
      to three levels deep;
    - ``budgets``: several amounts per engagement, as annual budgets with
      their own periods, or a commitment with its disbursements;
    - ``unknown_amounts``: engagements with no amount;
    - ``open_periods``: periods with an unknown start or end, and years a
      source saw an engagement active in;
    - ``multi_country``: neighbouring countries and their places, and
      engagements there with percentages stating Mali's share;
    - ``convertible``: only dates and currencies the bundled exchange rates
      cover (from 4 January 1999 to the last complete year), so every amount
      converts; it narrows ``min_date``, ``max_date`` and ``currencies``.

    Amounts are in ``currencies`` and of ``kinds``; every date lies between
    ``min_date`` and ``max_date``; ``value_dates=False`` gives amounts no
    value date. A collection holds up to ``max_engagements`` engagements
    (five on average at the default 12), one to three sources, one to six
    organisations, Mali and up to six other places, one to four sectors and
    up to two themes.

    >>> from hypothesis import given, settings
    >>> @settings(max_examples=20)
    ... @given(collections(convertible=True, multi_country=False))
    ... def test_every_place_is_in_mali(collection):
    ...     data = collection.dataset()
    ...     assert all(data.lies_in(place.id, "ML") for place in data.places)
    >>> test_every_place_is_in_mali()
    """
    if convertible:
        first, last, known = _bundled_coverage()
        min_date, max_date = max(min_date, first), min(max_date, last)
        currencies = [code for code in currencies if code in known]
    _check_options(currencies, min_date, max_date)
    if max_engagements < 0:
        raise ValueError(f"max_engagements must be at least 0, not {max_engagements}")
    options = _Options(
        world=_World(
            currencies=tuple(currencies),
            kinds=tuple(AmountKind(kind) for kind in kinds),
            min_date=min_date,
            max_date=max_date,
            value_dates=value_dates,
            co_financing=co_financing,
            budgets=budgets,
            unknown_amounts=unknown_amounts,
            open_periods=open_periods,
        ),
        parts=parts,
        multi_country=multi_country,
        max_engagements=max_engagements,
    )
    genome = _drawn_in_order(
        (
            _genomes(_SOURCE_GENES, min_size=1, max_size=3),
            _genomes(_ORGANISATION_GENES, min_size=1, max_size=8),
            _genomes(_PLACE_GENES, max_size=7),
            _genomes(_SECTOR_GENES, min_size=1, max_size=5),
            _genomes(0, max_size=3),
            # Several short lists rather than one long one: within a larger
            # example Hypothesis draws a list's length short, and one list of
            # up to 12 held 3 engagements on average where lists of up to 2
            # hold 5 (the strategy's mean before genomes was 4.7).
            _drawn_in_order(
                tuple(
                    st.lists(_engagement_genome(), max_size=size + 1)
                    for size in _chunks(max_engagements, 2)
                )
            ),
        )
    )
    return genome.map(functools.partial(_collection, options=options))
