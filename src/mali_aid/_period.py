"""Spans of time as the sources give them: a year, a month, a day, or a span."""

from __future__ import annotations

import calendar
import enum
import re
from datetime import date
from fractions import Fraction

import attrs

from ._limits import shown
from .errors import DataError, OpenPeriodError

__all__ = ["Period", "Precision"]


class Precision(enum.StrEnum):
    """How precisely a source gave one end of a period."""

    YEAR = "year"
    MONTH = "month"
    DAY = "day"


_COARSENESS = {Precision.DAY: 0, Precision.MONTH: 1, Precision.YEAR: 2}


def first_day(year: int, month: int | None = None, day: int | None = None) -> date:
    """First day of a year, a month or a day."""
    return date(year, month or 1, day or 1)


def last_day(year: int, month: int | None = None, day: int | None = None) -> date:
    """Last day of a year, a month or a day."""
    if month is None:
        return date(year, 12, 31)
    if day is None:
        return date(year, month, calendar.monthrange(year, month)[1])
    return date(year, month, day)


def _format_bound(value: date, precision: Precision) -> str:
    if precision is Precision.YEAR:
        return f"{value.year:04d}"
    if precision is Precision.MONTH:
        return f"{value.year:04d}-{value.month:02d}"
    return value.isoformat()


def _unit_start(value: date, precision: Precision) -> date:
    if precision is Precision.YEAR:
        return date(value.year, 1, 1)
    if precision is Precision.MONTH:
        return date(value.year, value.month, 1)
    return value


def _unit_end(value: date, precision: Precision) -> date:
    if precision is Precision.YEAR:
        return date(value.year, 12, 31)
    if precision is Precision.MONTH:
        return last_day(value.year, value.month)
    return value


def _default_precision(bound: str):  # type: ignore[no-untyped-def]
    def make(self: Period) -> Precision | None:
        return None if getattr(self, bound) is None else Precision.DAY

    return attrs.Factory(make, takes_self=True)


_DURATION = re.compile(
    r"P(?=[0-9])(?:([0-9]{1,4})Y)?(?:([0-9]{1,4})M)?(?:([0-9]{1,5})D)?", re.ASCII
)
_DURATION_UNITS = ("year", "month", "day")


def read_duration(text: str) -> tuple[int | None, int | None, int | None] | None:
    """The years, months and days of an ISO 8601 duration as periods take
    it (``P20Y``, ``P1Y6M``, ``P90D``: years, months and days only, ASCII
    digits, at least one part), ``None`` for each part not given; ``None``
    when ``text`` is not such a duration.

    >>> read_duration("P1Y6M"), read_duration("P2W")
    ((1, 6, None), None)
    """
    match = _DURATION.fullmatch(text) if isinstance(text, str) else None
    if match is None:
        return None
    years, months, days = (
        None if part is None else int(part) for part in match.groups()
    )
    return years, months, days


def duration_in_words(text: str) -> str:
    """An ISO 8601 duration as :func:`read_duration` takes it, in words.

    Raises :class:`~mali_aid.errors.DataError` for anything else.

    >>> duration_in_words("P20Y"), duration_in_words("P1Y1M")
    ('20 years', '1 year 1 month')
    """
    parts = read_duration(text)
    if parts is None:
        raise DataError(
            f"{shown(text)} is not an ISO 8601 duration of years, months and days"
            " such as 'P20Y'"
        )
    return " ".join(
        f"{number} {unit}{'' if number == 1 else 's'}"
        for number, unit in zip(parts, _DURATION_UNITS, strict=True)
        if number is not None
    )


_BOUND = re.compile(r"([0-9]{4})(?:-([0-9]{2})(?:-([0-9]{2}))?)?", re.ASCII)
#: What a period's text is made of; one space at most between its parts.
_TEXT = re.compile(r"[0-9./PYMD~-]+(?: [0-9./PYMD~-]+)*", re.ASCII)
_MAX_TEXT = 64


def _check_length(_self: object, _attribute: object, value: str | None) -> None:
    if value is not None and read_duration(value) is None:
        raise DataError(
            f"approximate length {shown(value)} must be an ISO 8601 duration"
            " such as 'P20Y'"
        )


def _precision(value: object) -> Precision | None:
    if value is None or isinstance(value, Precision):
        return value
    if isinstance(value, str) and value in Precision.__members__.values():
        return Precision(value)
    raise DataError(f"{shown(value)} is not a precision: year, month or day")


@attrs.frozen(repr=False, kw_only=True)
class Period:
    """Inclusive dates from ``start`` to ``end``, as precisely as the source gave.

    Either end may be unknown (``None``). Each known end keeps its precision:
    a period given as "2009-2014" starts on 1 January 2009 and ends on
    31 December 2014 at year precision, and prints back as ``2009/2014``.
    ``approximate`` marks vague spans; ``approximate_length`` holds the
    length of a span known only by its length, as an ISO 8601 duration
    (``P20Y`` for "around 20 years"). Build one with :meth:`parse`.

    An unknown end counts only for what is certain: a period known to end
    in June 2024 but with no start is certain to cover June 2024 and no more,
    and :meth:`overlaps`, :meth:`contains` and :meth:`intersection` use
    that certain span.

    >>> Period.parse("2009/2014").days
    2191
    >>> Period.parse("2009/2014").overlaps(Period.parse("2014-06"))
    True
    >>> str(Period.parse("../2024-06"))
    '../2024-06'
    """

    start: date | None = None
    end: date | None = None
    start_precision: Precision | None = attrs.field(
        default=_default_precision("start"),
        converter=_precision,
    )
    end_precision: Precision | None = attrs.field(
        default=_default_precision("end"),
        converter=_precision,
    )
    approximate: bool = False
    approximate_length: str | None = attrs.field(default=None, validator=_check_length)

    def __attrs_post_init__(self) -> None:
        for name in ("start", "end"):
            value = getattr(self, name)
            precision = getattr(self, f"{name}_precision")
            if value is None:
                if precision is not None:
                    raise DataError(f"an unknown {name} has no precision", field=name)
                continue
            if type(value) is not date:
                raise DataError(
                    f"{name} must be a date, not {shown(value)}", field=name
                )
            if precision is None:
                raise DataError(f"a known {name} needs a precision", field=name)
            aligned = (_unit_start if name == "start" else _unit_end)(value, precision)
            if aligned != value:
                raise DataError(
                    f"{name} {value} does not fall on the {name} of its {precision}",
                    field=name,
                )
        if self.start is not None and self.end is not None and self.end < self.start:
            raise DataError(
                f"the period ends ({self.end}) before it starts ({self.start})",
                field="end",
            )
        if not isinstance(self.approximate, bool):
            raise DataError("approximate must be True or False", field="approximate")

    @classmethod
    def _between_days(cls, start: date, end: date) -> Period:
        # For spans the package computes itself (start <= end, both days):
        # skips the checks, which matter on the hot path of find_overlaps.
        period = object.__new__(cls)
        object.__setattr__(period, "start", start)
        object.__setattr__(period, "end", end)
        object.__setattr__(period, "start_precision", Precision.DAY)
        object.__setattr__(period, "end_precision", Precision.DAY)
        object.__setattr__(period, "approximate", False)
        object.__setattr__(period, "approximate_length", None)
        return period

    # -- text -----------------------------------------------------------------

    @classmethod
    def parse(cls, text: str) -> Period:
        """Read a period: ``"2013"``, ``"2013-02"``, ``"2012-03-22"``,
        ``"2009/2014"``, ``"2016-03/2018-01"``, ``"../2024-06"`` (start
        unknown), ``"2015/.."`` (end unknown). A trailing ``~`` marks it
        approximate, and an ISO 8601 duration (``"P20Y~"``, or
        ``"../2017 P20Y~"``) gives its approximate length. The whole text is
        read: no space before or after it, one space at most between its
        parts, ASCII digits only; anything else raises
        :class:`~mali_aid.errors.DataError`.

        >>> Period.parse("2016-03/2018-01")
        Period.parse('2016-03/2018-01')
        """
        if not isinstance(text, str):
            raise DataError(
                f"a period must be given as text, not {type(text).__name__}"
            )
        if len(text) > _MAX_TEXT or not _TEXT.fullmatch(text):
            raise DataError(f"cannot read a period in {shown(text)}")
        body = text
        approximate = body.endswith("~")
        if approximate:
            body = body[:-1].rstrip()
        length = None
        pieces = body.split()
        if pieces and read_duration(pieces[-1]) is not None:
            length = pieces.pop()
        if len(pieces) > 1:
            raise DataError(f"cannot read a period in {text!r}")
        core = pieces[0] if pieces else ""
        if not core:
            if length is None:
                raise DataError(f"cannot read a period in {text!r}")
            return cls(approximate=approximate, approximate_length=length)
        if "/" in core:
            left, _, right = core.partition("/")
            start = _read_bound(left, "start", text)
            end = _read_bound(right, "end", text)
        else:
            if core == "..":
                raise DataError(f"cannot read a period in {text!r}")
            start = _read_bound(core, "start", text)
            end = _read_bound(core, "end", text)
        return cls(
            start=start[0] if start else None,
            start_precision=start[1] if start else None,
            end=end[0] if end else None,
            end_precision=end[1] if end else None,
            approximate=approximate,
            approximate_length=length,
        )

    def __str__(self) -> str:
        start = (
            None
            if self.start is None or self.start_precision is None
            else _format_bound(self.start, self.start_precision)
        )
        end = (
            None
            if self.end is None or self.end_precision is None
            else _format_bound(self.end, self.end_precision)
        )
        if start is not None and start == end:
            core = start
        elif start is None and end is None and self.approximate_length is not None:
            core = ""
        else:
            core = f"{start or '..'}/{end or '..'}"
        if self.approximate_length is not None:
            core = f"{core} {self.approximate_length}".strip()
        return core + ("~" if self.approximate else "")

    def __repr__(self) -> str:
        return f"Period.parse({str(self)!r})"

    # -- measures -------------------------------------------------------------

    @property
    def length_in_words(self) -> str | None:
        """The approximate length in words, ``None`` when there is none:
        ``P20Y`` is "20 years", ``P1Y6M`` "1 year 6 months".

        >>> Period.parse("P20Y~").length_in_words
        '20 years'
        """
        if self.approximate_length is None:
            return None
        return duration_in_words(self.approximate_length)

    @property
    def is_bounded(self) -> bool:
        """Whether both ends are known."""
        return self.start is not None and self.end is not None

    @property
    def days(self) -> int | None:
        """Number of days, both ends included; ``None`` if an end is unknown."""
        if self.start is None or self.end is None:
            return None
        return (self.end - self.start).days + 1

    @property
    def years(self) -> tuple[int, ...] | None:
        """Calendar years the period touches; ``None`` if an end is unknown."""
        if self.start is None or self.end is None:
            return None
        return tuple(range(self.start.year, self.end.year + 1))

    def certain_span(self) -> tuple[date, date] | None:
        """First and last day the period is certain to cover.

        An unknown start counts from the beginning of the end's unit (its
        year, month or day); an unknown end up to the end of the start's
        unit. ``None`` when both ends are unknown.
        """
        if self.start is not None and self.start_precision is not None:
            low = self.start
        elif self.end is not None and self.end_precision is not None:
            low = _unit_start(self.end, self.end_precision)
        else:
            return None
        if self.end is not None:
            high = self.end
        else:
            assert self.start is not None and self.start_precision is not None
            high = _unit_end(self.start, self.start_precision)
        return low, high

    def split_by_year(self) -> dict[int, Fraction]:
        """Each calendar year's exact share of the period's days.

        The shares are fractions that sum to exactly 1. A period with an
        unknown end cannot be split and raises
        :class:`~mali_aid.errors.OpenPeriodError`.

        >>> Period.parse("2023/2024").split_by_year()
        {2023: Fraction(365, 731), 2024: Fraction(366, 731)}
        """
        days = self.year_days()
        total = sum(days.values())
        return {year: Fraction(count, total) for year, count in days.items()}

    def year_days(self) -> dict[int, int]:
        """Days of the period in each calendar year (both ends known)."""
        if self.start is None or self.end is None:
            raise OpenPeriodError(
                f"period {self} has an unknown end and cannot be split"
            )
        days: dict[int, int] = {}
        for year in range(self.start.year, self.end.year + 1):
            low = max(self.start, date(year, 1, 1))
            high = min(self.end, date(year, 12, 31))
            days[year] = (high - low).days + 1
        return days

    # -- relations ------------------------------------------------------------

    def overlaps(self, other: Period) -> bool:
        """Whether the two periods certainly share at least one day."""
        mine, theirs = self.certain_span(), other.certain_span()
        if mine is None or theirs is None:
            return False
        return mine[0] <= theirs[1] and theirs[0] <= mine[1]

    def contains(self, other: Period | date) -> bool:
        """Whether ``other`` (a date or a period) lies certainly within this one."""
        mine = self.certain_span()
        if mine is None:
            return False
        if isinstance(other, Period):
            theirs = other.certain_span()
            if theirs is None:
                return False
            return mine[0] <= theirs[0] and theirs[1] <= mine[1]
        return mine[0] <= other <= mine[1]

    def intersection(self, other: Period) -> Period | None:
        """The days both periods certainly share, or ``None`` when disjoint.

        Each end of the result keeps the precision of the end it comes from
        (the coarser one when both ends fall on the same day).
        """
        if not self.overlaps(other):
            return None
        low = max(_lower(self), _lower(other), key=_bound_key_low)
        high = min(_upper(self), _upper(other), key=_bound_key_high)
        return Period(
            start=low[0],
            start_precision=low[1],
            end=high[0],
            end_precision=high[1],
            approximate=self.approximate or other.approximate,
        )


def _lower(period: Period) -> tuple[date, Precision]:
    if period.start is not None and period.start_precision is not None:
        return period.start, period.start_precision
    assert period.end is not None and period.end_precision is not None
    return _unit_start(period.end, period.end_precision), period.end_precision


def _upper(period: Period) -> tuple[date, Precision]:
    if period.end is not None and period.end_precision is not None:
        return period.end, period.end_precision
    assert period.start is not None and period.start_precision is not None
    return _unit_end(period.start, period.start_precision), period.start_precision


def _bound_key_low(bound: tuple[date, Precision]) -> tuple[date, int]:
    return bound[0], _COARSENESS[bound[1]]


def _bound_key_high(bound: tuple[date, Precision]) -> tuple[date, int]:
    return bound[0], -_COARSENESS[bound[1]]


def _read_bound(text: str, name: str, whole: str) -> tuple[date, Precision] | None:
    if text == "..":
        return None
    match = _BOUND.fullmatch(text)
    if match is None:
        raise DataError(f"cannot read the {name} {text!r} of period {whole!r}")
    year, month, day = (int(part) if part else None for part in match.groups())
    assert year is not None
    make = first_day if name == "start" else last_day
    try:
        value = make(year, month, day)
    except ValueError as error:
        raise DataError(f"the {name} {text!r} of period {whole!r}: {error}") from None
    if day is not None:
        return value, Precision.DAY
    if month is not None:
        return value, Precision.MONTH
    return value, Precision.YEAR
