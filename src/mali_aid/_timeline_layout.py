"""The layout of the timeline chart, worked out without matplotlib.

:func:`lay_out` turns a dataset and its engagements into what the chart
shows, as plain values: the donors in order, each with its colour and its
lanes, each lane with its label in lines, its place on the vertical axis,
its bar in fractional years, whether it is planned and where it shares days
with another known donor's engagement; then the engagements with no date.
:mod:`mali_aid._timeline` draws it. Nothing here imports matplotlib, so all
of it can be tested without.
"""

from __future__ import annotations

import textwrap
import zlib
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Final

import attrs

from ._model import Amount, Engagement, Qualifier, Status
from ._period import duration_in_words

if TYPE_CHECKING:
    from ._dataset import Dataset

#: Characters of a lane's label per line, in the label column.
LABEL_CHARACTERS: Final = 64
#: Characters of a donor's name per line (its font is larger).
HEADER_CHARACTERS: Final = 50
#: Characters per line of an undated entry, with one column or two.
UNDATED_CHARACTERS: Final = {1: 220, 2: 108}
#: The undated list goes to two columns past this many entries.
UNDATED_ONE_COLUMN: Final = 8
#: The rows a lane's label takes per line after its first.
LINE_ROWS: Final = 0.55

PALETTE: Final = (
    "#1f77b4",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#17becf",
    "#e377c2",
    "#bcbd22",
    "#393b79",
)
UNKNOWN_COLOUR: Final = "#7f7f7f"
UNKNOWN_DONOR: Final = "Unknown donor (no source names a funder)"
#: The donor part of an artist's gid when no source names the funder.
UNKNOWN_KEY: Final = "unknown"

_QUALIFIER_TEXT: Final = {
    Qualifier.EXACT: "",
    Qualifier.ABOUT: "about ",
    Qualifier.AT_LEAST: "≥ ",
    Qualifier.AT_MOST: "≤ ",
}


@attrs.frozen
class Lane:
    """One engagement under one donor: everything its row shows."""

    engagement: Engagement
    donor: str | None
    #: The label, wrapped at words into lines (never cut).
    lines: tuple[str, ...]
    depth: int
    #: The middle of the row on the vertical axis, in rows from the top.
    y: float
    #: How many rows the lane takes (more than one for a label of several lines).
    height: float
    #: The certain span of the period, as fractional years (end exclusive).
    bar: tuple[float, float] | None
    open_start: bool
    open_end: bool
    approximate: bool
    #: The engagement is planned: told as what is to be done, not what was done.
    planned: bool
    #: Years a source saw it active, each drawn as a box of its own.
    years: tuple[int, ...]
    #: Where the period first agreed ended, when it was extended.
    original_end: float | None
    #: Stretches shared with another known donor's engagement (fractional years).
    shared: tuple[tuple[float, float], ...]

    @property
    def label(self) -> str:
        """The label on one line, as the chart wraps it."""
        return " ".join(self.lines)


@attrs.frozen
class Group:
    """One donor: its header and its lanes, and its undated engagements."""

    donor: str | None
    name: str
    colour: str
    #: The donor's name, wrapped at words into lines.
    lines: tuple[str, ...]
    #: The middle of the header row, and how many rows it takes.
    y: float
    height: float
    lanes: tuple[Lane, ...]
    undated: tuple[Engagement, ...]

    @property
    def top(self) -> float:
        """Where the header's row begins."""
        return self.y - self.height / 2

    @property
    def bottom(self) -> float:
        """Where the donor's last row ends."""
        last = self.lanes[-1] if self.lanes else self
        return last.y + last.height / 2


@attrs.frozen
class Undated:
    """One line (or a few, wrapped) of the list under the chart."""

    donor: str | None
    engagement: Engagement
    lines: tuple[str, ...]
    column: int
    #: How many lines of the column come before it.
    line: int


@attrs.frozen
class Layout:
    """What the chart shows, as :func:`lay_out` works it out."""

    records: tuple[Engagement, ...]
    #: Every group; a group with no lanes has only undated engagements.
    groups: tuple[Group, ...]
    #: The vertical extent of the chart, in rows.
    rows: float
    undated: tuple[Undated, ...]
    undated_columns: int
    #: The lines of the longest column of the undated list.
    undated_lines: int
    overlaps: bool

    @property
    def lanes(self) -> tuple[Lane, ...]:
        return tuple(lane for group in self.groups for lane in group.lanes)

    @property
    def drawn(self) -> tuple[Group, ...]:
        """The groups with lanes, as the chart draws them."""
        return tuple(group for group in self.groups if group.lanes)

    @property
    def subtitle(self) -> str:
        lanes = self.lanes
        dated = len({lane.engagement.id for lane in lanes})
        listed = len({entry.engagement.id for entry in self.undated})
        count = len(self.records)
        text = (
            f"{count} engagement{'' if count == 1 else 's'}:"
            f" {dated} with a period or years of activity"
        )
        if listed:
            text += f", {listed} undated (listed below the chart)"
        if len(lanes) > dated:
            text += "; an engagement with several donors appears under each"
        return text + "."

    @property
    def legend(self) -> tuple[str, ...]:
        """The entries the legend needs: four always, the rest when drawn."""
        lanes = self.lanes
        entries = ["amount known", "amount unknown", "active", "open"]
        if any(lane.approximate for lane in lanes):
            entries.append("approximate")
        if any(lane.planned for lane in lanes):
            entries.append("planned")
        if any(lane.original_end is not None for lane in lanes):
            entries.append("original end")
        if self.overlaps:
            entries.append("shared")
        return tuple(entries)


# -- time as fractional years ----------------------------------------------------


def year_x(day: date) -> float:
    """A day's start as a fractional year: 1 July 2013 is about 2013.5."""
    first = date(day.year, 1, 1)
    length = (date(day.year + 1, 1, 1) - first).days
    return day.year + (day - first).days / length


def after(day: date) -> float:
    """The end of a day as a fractional year (31 December 2014 ends at 2015.0)."""
    return year_x(day + timedelta(days=1))


def spans(engagement: Engagement) -> list[tuple[int, int]]:
    """The days (as ordinals, both ends included) an engagement certainly ran."""
    found = []
    if engagement.period is not None:
        span = engagement.period.certain_span()
        if span is not None:
            found.append((span[0].toordinal(), span[1].toordinal()))
    for year in engagement.active_in:
        found.append((date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()))
    return sorted(found)


# -- words ----------------------------------------------------------------------


def wrap(text: str, width: int) -> tuple[str, ...]:
    """``text`` in lines of at most ``width`` characters, broken at spaces;
    a word longer than a line is broken inside. Nothing is left out: the
    lines joined by spaces give back the text, its runs of spaces made one.

    >>> wrap("Belgian participation in MINUSMA in 2018", 20)
    ('Belgian', 'participation in', 'MINUSMA in 2018')
    """
    words = " ".join(text.split())
    if not words:
        return ("",)
    return tuple(
        textwrap.wrap(
            words, max(width, 1), break_long_words=True, break_on_hyphens=False
        )
    )


def name(engagement: Engagement) -> str:
    return engagement.title_en or engagement.title


def _compact(value: Decimal) -> str:
    for size, suffix in ((Decimal(10) ** 9, " bn"), (Decimal(10) ** 6, " m")):
        if abs(value) >= size:
            scaled = (value / size).quantize(Decimal("0.01")).normalize()
            return f"{scaled:f}{suffix}"
    if abs(value) >= 1000:
        return f"{(value / 1000).quantize(Decimal('0.1')).normalize():f} k"
    return f"{value.normalize():f}"


def amount_text(amounts: Sequence[Amount]) -> str:
    """The first amount in a few characters: ``≥ EUR 2.6 m contribution``."""
    if not amounts:
        return "amount unknown"
    first = amounts[0]
    text = (
        f"{_QUALIFIER_TEXT[first.qualifier]}{first.money.currency} "
        f"{_compact(first.money.amount)} {first.kind}"
    )
    if len(amounts) > 1:
        text += f" (+{len(amounts) - 1})"
    return text


def undated_text(engagement: Engagement) -> str:
    notes = []
    if engagement.status is Status.PLANNED:
        notes.append("planned")
    period = engagement.period
    if period is not None and period.approximate_length is not None:
        about = "about " if period.approximate else ""
        words = duration_in_words(period.approximate_length)
        notes.append(f"{about}{words}, dates unknown")
    if engagement.amounts:
        notes.append(amount_text(engagement.amounts))
    return name(engagement) + (f" ({'; '.join(notes)})" if notes else "")


def gid(role: str, lane: Lane) -> str:
    """The id an artist carries (and its element keeps in SVG output)."""
    donor = UNKNOWN_KEY if lane.donor is None else lane.donor
    return f"{role}--{donor}--{lane.engagement.id}"


# -- colours ----------------------------------------------------------------------


def donor_colours(donors: Iterable[str]) -> dict[str, str]:
    """A colour for each donor, keyed by its id.

    Each donor has a home colour in :data:`PALETTE` picked from its id (a
    CRC-32 checksum, the same in every run and on every machine); where the
    home of a donor is taken by one before it in ``donors``, it takes the
    next free colour, and colours are shared only once all are taken. The
    chart passes every donor of the dataset, so a donor keeps its colour in
    every chart of the same data, whatever the engagements drawn.

    >>> donor_colours(["BE", "LU"]) == {"BE": PALETTE[7], "LU": PALETTE[5]}
    True
    """
    colours: dict[str, str] = {}
    taken: set[int] = set()
    for donor in dict.fromkeys(donors):
        home = zlib.crc32(donor.encode("utf-8")) % len(PALETTE)
        free = [
            index
            for index in ((home + step) % len(PALETTE) for step in range(len(PALETTE)))
            if index not in taken
        ]
        index = free[0] if free else home
        taken.add(index)
        if len(taken) == len(PALETTE):
            taken.clear()
        colours[donor] = PALETTE[index]
    return colours


# -- overlaps ---------------------------------------------------------------------


def shared_days(
    data: Dataset, records: Sequence[Engagement]
) -> dict[str, list[tuple[int, int]]]:
    """For each engagement, the days (ordinal spans) it certainly shares with
    an engagement of different known donors in the same place and sector.

    The pairs are those :func:`~mali_aid.find_overlaps` finds between donors
    (so two parts of one programme are one donor, as its rules say), less
    those where a source names the funder of neither or only one of the
    two: an unknown donor is not shown as meeting anyone. A pair's shading
    covers both engagements' certain days within the pair's shared period.
    """
    from ._overlap import find_overlaps

    by_id = {record.id: record for record in records}
    shared: dict[str, list[tuple[int, int]]] = {}
    for pair in find_overlaps(records, data=data):
        period = pair.period
        if period is None or period.start is None or period.end is None:
            continue  # pragma: no cover - time is always asked about here
        first, second = by_id[pair.first], by_id[pair.second]
        if not data.donors(first) or not data.donors(second):
            continue
        low, high = period.start.toordinal(), period.end.toordinal()
        for start, end in spans(first):
            for other_start, other_end in spans(second):
                begin = max(low, start, other_start)
                last = min(high, end, other_end)
                if begin <= last:
                    shared.setdefault(pair.first, []).append((begin, last))
                    shared.setdefault(pair.second, []).append((begin, last))
    return shared


def _merged(pieces: Iterable[tuple[int, int]]) -> tuple[tuple[float, float], ...]:
    """Day spans joined where they touch, as fractional years."""
    merged: list[tuple[int, int]] = []
    for first, last in sorted(pieces):
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    return tuple(
        (year_x(date.fromordinal(first)), after(date.fromordinal(last)))
        for first, last in merged
    )


# -- the layout -------------------------------------------------------------------


def _height(lines: Sequence[str]) -> float:
    return 1 + LINE_ROWS * (len(lines) - 1)


@attrs.define
class _Cursor:
    """The next free place on the vertical axis, in rows."""

    at: float = -0.5

    def take(self, height: float) -> float:
        """Take ``height`` rows; their middle."""
        middle = self.at + height / 2
        self.at += height
        return middle


def lay_out(
    data: Dataset, records: Sequence[Engagement], *, overlaps: bool = True
) -> Layout:
    """What the chart of ``records`` shows: the donors in order of first
    appearance (the unknown donor last), each with its colour, its lanes
    (parts under the engagement they belong to) and its undated
    engagements, and the list of undated engagements under the chart."""
    shared = shared_days(data, records) if overlaps else {}
    members: dict[str | None, list[Engagement]] = {}
    for record in records:
        for donor in data.donors(record) or (None,):
            members.setdefault(donor, []).append(record)
    order: list[str | None] = [donor for donor in members if donor is not None]
    if None in members:
        order.append(None)
    colours = donor_colours(
        [*data.donors(), *(donor for donor in order if donor is not None)]
    )
    cursor = _Cursor()
    groups = []
    for donor in order:
        dated = [record for record in members[donor] if spans(record)]
        undated = tuple(record for record in members[donor] if not spans(record))
        group_name = UNKNOWN_DONOR if donor is None else data.organisation(donor).name
        lines = wrap(group_name, HEADER_CHARACTERS)
        y = cursor.take(_height(lines)) if dated else 0.0
        lanes = _lanes(data, donor, dated, shared, cursor)
        groups.append(
            Group(
                donor=donor,
                name=group_name,
                colour=UNKNOWN_COLOUR if donor is None else colours[donor],
                lines=lines,
                y=y,
                height=_height(lines),
                lanes=tuple(lanes),
                undated=undated,
            )
        )
    listed = [(group.donor, group.name, r) for group in groups for r in group.undated]
    columns = 2 if len(listed) > UNDATED_ONE_COLUMN else 1
    entries, longest = _undated(listed, columns)
    return Layout(
        records=tuple(records),
        groups=tuple(groups),
        rows=cursor.at + 0.5,
        undated=entries,
        undated_columns=columns,
        undated_lines=longest,
        overlaps=overlaps,
    )


def _undated(
    listed: Sequence[tuple[str | None, str, Engagement]], columns: int
) -> tuple[tuple[Undated, ...], int]:
    """The undated entries in columns, the first columns filled first, and
    the lines of the longest column."""
    per_column = -(-len(listed) // columns) if listed else 0
    entries = []
    used = [0] * columns
    for index, (donor, group_name, record) in enumerate(listed):
        column = index // per_column
        who = "Unknown donor" if donor is None else group_name
        lines = wrap(f"{who}: {undated_text(record)}", UNDATED_CHARACTERS[columns])
        entries.append(Undated(donor, record, lines, column, used[column]))
        used[column] += len(lines)
    return tuple(entries), max(used)


def _lanes(
    data: Dataset,
    donor: str | None,
    dated: list[Engagement],
    shared: dict[str, list[tuple[int, int]]],
    cursor: _Cursor,
) -> list[Lane]:
    """The lanes of one donor, earliest first, each part right under its whole."""
    ids = {record.id for record in dated}
    position = {record.id: index for index, record in enumerate(dated)}

    def key(record: Engagement) -> tuple[int, int]:
        return spans(record)[0][0], position[record.id]

    children: dict[str | None, list[Engagement]] = {}
    for record in dated:
        parent = record.part_of if record.part_of in ids else None
        children.setdefault(parent, []).append(record)

    lanes: list[Lane] = []

    def visit(parent: str | None, depth: int) -> None:
        for record in sorted(children.get(parent, ()), key=key):
            lanes.append(_lane(data, donor, record, depth, shared, cursor))
            visit(record.id, depth + 1)

    visit(None, 0)
    return lanes


def _label(data: Dataset, donor: str | None, record: Engagement) -> str:
    others = [
        data.organisation(other).name for other in data.donors(record) if other != donor
    ]
    planned = " (planned)" if record.status is Status.PLANNED else ""
    return name(record) + planned + (f" (with {', '.join(others)})" if others else "")


def _lane(
    data: Dataset,
    donor: str | None,
    record: Engagement,
    depth: int,
    shared: dict[str, list[tuple[int, int]]],
    cursor: _Cursor,
) -> Lane:
    lines = wrap(_label(data, donor, record), LABEL_CHARACTERS - 3 * depth)
    period = record.period
    bar = None
    open_start = open_end = approximate = False
    original_end = None
    span = None if period is None else period.certain_span()
    if period is not None and span is not None:
        bar = (year_x(span[0]), after(span[1]))
        open_start, open_end = period.start is None, period.end is None
        approximate = period.approximate
        original = record.original_period
        if (
            original is not None
            and original.end is not None
            and span[0] <= original.end < span[1]
        ):
            original_end = after(original.end)
    height = _height(lines)
    return Lane(
        engagement=record,
        donor=donor,
        lines=lines,
        depth=depth,
        y=cursor.take(height),
        height=height,
        bar=bar,
        open_start=open_start,
        open_end=open_end,
        approximate=approximate,
        planned=record.status is Status.PLANNED,
        years=record.active_in,
        original_end=original_end,
        shared=_merged(shared.get(record.id, ())),
    )
