"""The timeline chart: engagements by donor on a time axis.

:func:`plot_timeline` draws a Gantt chart with one lane per engagement,
grouped under its donor, and shows on it what the data knows and what it
does not: periods with an unknown end, years a source saw an engagement
active, amounts no source gives, and engagements with no date at all.
It needs matplotlib, which comes with the ``plot`` extra::

    pip install "mali-aid[plot]"

matplotlib is imported when the function is first called, never when
:mod:`mali_aid` is imported, and the figure is built without pyplot, so no
global state (backend, current figure, rcParams) is touched.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from datetime import date, timedelta
from decimal import Decimal
from typing import TYPE_CHECKING, Final, cast

import attrs

from ._model import Amount, Engagement, Qualifier

if TYPE_CHECKING:
    from matplotlib.artist import Artist
    from matplotlib.axes import Axes
    from matplotlib.figure import Figure
    from matplotlib.transforms import Transform

    from ._dataset import Dataset

__all__ = ["plot_timeline"]

# -- the look of the chart (sizes in inches, fonts in points) ----------------------

_WIDTH: Final = 13.0
_LABEL_COLUMN: Final = 3.9
_AMOUNT_COLUMN: Final = 1.75
_ROW: Final = 0.24
_INDENT: Final = 0.16
_LABEL_CHARACTERS: Final = 64
_FONT: Final = 7.5
_BAR_HEIGHT: Final = 0.56
_OVERLAP_HEIGHT: Final = 0.9
#: Length, in years, of the fading tail that marks an unknown start or end.
_TAIL_YEARS: Final = 1.0
_TAIL_STEPS: Final = 5

_PALETTE: Final = (
    "#1f77b4",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#17becf",
    "#e377c2",
    "#bcbd22",
    "#ff7f0e",
)
_UNKNOWN_COLOUR: Final = "#7f7f7f"
_OVERLAP_COLOUR: Final = "#d62728"
_LEGEND_COLOUR: Final = "#555555"
_BAND_COLOUR: Final = "#f3f3f3"
_HATCH: Final = "///"

_UNKNOWN_DONOR: Final = "Unknown donor (no source names a funder)"
#: The donor part of an artist's gid when no source names the funder.
_UNKNOWN_KEY: Final = "unknown"

_QUALIFIER_TEXT: Final = {
    Qualifier.EXACT: "",
    Qualifier.ABOUT: "about ",
    Qualifier.AT_LEAST: "≥ ",
    Qualifier.AT_MOST: "≤ ",
}
_DURATION: Final = re.compile(r"^P(?:([0-9]+)Y)?(?:([0-9]+)M)?(?:([0-9]+)D)?$")


# -- what to draw, worked out without matplotlib -------------------------------------


@attrs.frozen
class _Lane:
    """One engagement under one donor: everything its row shows."""

    engagement: Engagement
    donor: str | None
    label: str
    depth: int
    #: The certain span of the period, as fractional years (end exclusive).
    bar: tuple[float, float] | None
    open_start: bool
    open_end: bool
    approximate: bool
    #: Years a source saw it active, each drawn as a box of its own.
    years: tuple[int, ...]
    #: Where the period first agreed ended, when it was extended.
    original_end: float | None
    #: Stretches shared with another donor's engagement (fractional years).
    shared: tuple[tuple[float, float], ...]


@attrs.frozen
class _Group:
    donor: str | None
    name: str
    lanes: tuple[_Lane, ...]
    undated: tuple[Engagement, ...]


def _x(day: date) -> float:
    """A day's start as a fractional year: 1 July 2013 is about 2013.5."""
    first = date(day.year, 1, 1)
    length = (date(day.year + 1, 1, 1) - first).days
    return day.year + (day - first).days / length


def _after(day: date) -> float:
    """The end of a day as a fractional year (31 December 2014 ends at 2015.0)."""
    return _x(day + timedelta(days=1))


def _spans(engagement: Engagement) -> list[tuple[int, int]]:
    """The days (as ordinals, both ends included) an engagement certainly ran."""
    spans = []
    if engagement.period is not None:
        span = engagement.period.certain_span()
        if span is not None:
            spans.append((span[0].toordinal(), span[1].toordinal()))
    for year in engagement.active_in:
        spans.append((date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()))
    return sorted(spans)


def _shorten(text: str, width: int) -> str:
    """``text`` cut at a word to at most ``width`` characters, marked with '…'."""
    text = " ".join(text.split())
    if len(text) <= width:
        return text
    cut = text[: max(width - 1, 1)]
    space = cut.rfind(" ")
    if space > width // 2:
        cut = cut[:space]
    return cut.rstrip(" ,;:-–") + "…"


def _name(engagement: Engagement) -> str:
    return engagement.title_en or engagement.title


def _compact(value: Decimal) -> str:
    for size, suffix in ((Decimal(10) ** 9, " bn"), (Decimal(10) ** 6, " m")):
        if abs(value) >= size:
            scaled = (value / size).quantize(Decimal("0.01")).normalize()
            return f"{scaled:f}{suffix}"
    if abs(value) >= 1000:
        return f"{(value / 1000).quantize(Decimal('0.1')).normalize():f} k"
    return f"{value.normalize():f}"


def _amount_text(amounts: Sequence[Amount]) -> str:
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


def _length_text(length: str) -> str:
    """An ISO 8601 duration in words: ``P20Y`` is "20 years"."""
    match = _DURATION.match(length)
    if match is None:  # pragma: no cover - Period checks the form
        return length
    words = []
    for number, unit in zip(match.groups(), ("year", "month", "day"), strict=True):
        if number is not None:
            words.append(f"{int(number)} {unit}{'' if int(number) == 1 else 's'}")
    return " ".join(words)


def _undated_text(engagement: Engagement) -> str:
    notes = []
    period = engagement.period
    if period is not None and period.approximate_length is not None:
        about = "about " if period.approximate else ""
        notes.append(f"{about}{_length_text(period.approximate_length)}, dates unknown")
    if engagement.amounts:
        notes.append(_amount_text(engagement.amounts))
    return _name(engagement) + (f" ({'; '.join(notes)})" if notes else "")


def _groups(
    data: Dataset,
    records: Sequence[Engagement],
    shared_days: dict[str, list[tuple[int, int]]],
) -> list[_Group]:
    """The donors in order of first appearance (the unknown donor last),
    each with its lanes, parts under the engagement they belong to, and its
    undated engagements."""
    members: dict[str | None, list[Engagement]] = {}
    for record in records:
        for donor in data.donors(record) or (None,):
            members.setdefault(donor, []).append(record)
    order: list[str | None] = [donor for donor in members if donor is not None]
    if None in members:
        order.append(None)
    groups = []
    for donor in order:
        dated = [record for record in members[donor] if _spans(record)]
        undated = tuple(record for record in members[donor] if not _spans(record))
        name = _UNKNOWN_DONOR if donor is None else data.organisation(donor).name
        groups.append(
            _Group(
                donor=donor,
                name=name,
                lanes=tuple(_lanes(data, donor, dated, shared_days)),
                undated=undated,
            )
        )
    return groups


def _lanes(
    data: Dataset,
    donor: str | None,
    dated: list[Engagement],
    shared_days: dict[str, list[tuple[int, int]]],
) -> list[_Lane]:
    """The lanes of one donor, earliest first, each part right under its whole."""
    ids = {record.id for record in dated}
    position = {record.id: index for index, record in enumerate(dated)}

    def key(record: Engagement) -> tuple[int, int]:
        return _spans(record)[0][0], position[record.id]

    children: dict[str | None, list[Engagement]] = {}
    for record in dated:
        parent = record.part_of if record.part_of in ids else None
        children.setdefault(parent, []).append(record)

    lanes: list[_Lane] = []

    def visit(parent: str | None, depth: int) -> None:
        for record in sorted(children.get(parent, ()), key=key):
            lanes.append(_lane(data, donor, record, depth, shared_days))
            visit(record.id, depth + 1)

    visit(None, 0)
    return lanes


def _lane(
    data: Dataset,
    donor: str | None,
    record: Engagement,
    depth: int,
    shared_days: dict[str, list[tuple[int, int]]],
) -> _Lane:
    others = [
        data.organisation(other).name for other in data.donors(record) if other != donor
    ]
    suffix = f" (with {', '.join(others)})" if others else ""
    width = _LABEL_CHARACTERS - 3 * depth - len(suffix)
    label = _shorten(_name(record), max(width, 12)) + suffix

    period = record.period
    bar = None
    open_start = open_end = approximate = False
    original_end = None
    span = None if period is None else period.certain_span()
    if period is not None and span is not None:
        bar = (_x(span[0]), _after(span[1]))
        open_start, open_end = period.start is None, period.end is None
        approximate = period.approximate
        original = record.original_period
        if (
            original is not None
            and original.end is not None
            and span[0] <= original.end < span[1]
        ):
            original_end = _after(original.end)

    pieces = sorted(shared_days.get(record.id, ()))
    merged: list[tuple[int, int]] = []
    for first, last in pieces:
        if merged and first <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], last))
        else:
            merged.append((first, last))
    shared = [
        (_x(date.fromordinal(first)), _after(date.fromordinal(last)))
        for first, last in merged
    ]
    return _Lane(
        engagement=record,
        donor=donor,
        label=label,
        depth=depth,
        bar=bar,
        open_start=open_start,
        open_end=open_end,
        approximate=approximate,
        years=record.active_in,
        original_end=original_end,
        shared=tuple(shared),
    )


def _shared_days(
    data: Dataset, records: Sequence[Engagement]
) -> dict[str, list[tuple[int, int]]]:
    """For each engagement, the days (ordinal spans) it certainly shares with
    another donor's engagement in the same place and sector, for the pairs
    :func:`find_overlaps` finds: both engagements' certain days, within the
    pair's shared period."""
    from ._overlap import find_overlaps

    by_id = {record.id: record for record in records}
    shared: dict[str, list[tuple[int, int]]] = {}
    for pair in find_overlaps(records, data=data):
        period = pair.period
        if period is None or period.start is None or period.end is None:
            continue  # pragma: no cover - time is always asked about here
        low, high = period.start.toordinal(), period.end.toordinal()
        for start, end in _spans(by_id[pair.first]):
            for other_start, other_end in _spans(by_id[pair.second]):
                first = max(low, start, other_start)
                last = min(high, end, other_end)
                if first <= last:
                    shared.setdefault(pair.first, []).append((first, last))
                    shared.setdefault(pair.second, []).append((first, last))
    return shared


def _gid(role: str, lane: _Lane) -> str:
    """The id an artist carries (and its element keeps in SVG output)."""
    donor = _UNKNOWN_KEY if lane.donor is None else lane.donor
    return f"{role}--{donor}--{lane.engagement.id}"


# -- drawing ------------------------------------------------------------------------


def plot_timeline(
    data: Dataset,
    engagements: Iterable[Engagement] | None = None,
    *,
    overlaps: bool = True,
    title: str | None = None,
) -> Figure:
    """A Gantt chart of engagements by donor, as a matplotlib ``Figure``.

    One lane per engagement, grouped under its donor (the root of its
    funding organisation; "Unknown donor" where no source names one, and an
    engagement with several donors under each of them, its label naming the
    others). The x axis is in years; within a donor, lanes run from the
    earliest start, each part of an engagement indented under it.

    - A bar runs over the period at the precision the source gave: a
      period given as "2009/2014" runs from 1 January 2009 to the end of
      31 December 2014. An unknown start or end is never invented: the bar
      covers only the certain span and a fading tail points the open way.
    - A dotted box marks each year a source saw the engagement active
      (``active_in``) where its full period is not given.
    - A filled bar has a known amount, shown in the right-hand column; a
      hatched, pale bar has none ("amount unknown"): unknown is not zero.
    - With ``overlaps`` (the default), red shading marks the days an
      engagement shares with another donor's engagement in the same place
      and sector, as :func:`mali_aid.find_overlaps` finds them.
    - Engagements with neither a period nor years of activity are listed
      by name under the chart, never dropped.

    ``engagements`` defaults to all of ``data.engagements``; with none,
    the figure says there is nothing to show. The height grows with the
    number of lanes. Each drawn element carries a gid
    (``period--LU--lu-icp-iii``) that SVG output keeps as its id. Save with
    ``figure.savefig("timeline.svg")`` or ``.png``: the suffix picks the
    format. Needs the ``plot`` extra (``pip install 'mali-aid[plot]'``).

    >>> from mali_aid import load
    >>> figure = plot_timeline(load())
    >>> len(figure.axes)
    1
    >>> [t.get_text() for t in figure.axes[0].texts if t.get_fontweight() == "bold"]
    ['Belgium', 'Luxembourg', 'Switzerland', 'Unknown donor (no source names a funder)']
    """
    try:
        from matplotlib.figure import Figure
    except ImportError as error:
        raise ImportError(
            "plot_timeline needs matplotlib: pip install 'mali-aid[plot]'"
        ) from error

    records = list(data.engagements if engagements is None else engagements)
    for record in records:
        if not isinstance(record, Engagement):
            raise TypeError(
                f"plot_timeline draws engagements, not {type(record).__name__}"
            )
    heading = title if title is not None else "Engagements in Mali by donor"

    if not records:
        figure = Figure(figsize=(8.0, 2.0))
        figure.suptitle(heading, fontsize=12, fontweight="bold")
        axes = figure.add_axes((0.05, 0.05, 0.9, 0.7))
        axes.set_axis_off()
        axes.text(
            0.5,
            0.5,
            "No engagements to show.",
            ha="center",
            va="center",
            fontsize=10,
            transform=axes.transAxes,
        )
        return figure

    shared = _shared_days(data, records) if overlaps else {}
    groups = _groups(data, records, shared)
    lanes = [lane for group in groups for lane in group.lanes]
    undated = [(group, record) for group in groups for record in group.undated]

    rows = sum(1 + len(group.lanes) for group in groups if group.lanes)
    legend_rows = -(-_legend_size(lanes, overlaps) // 2) if lanes else 0
    undated_columns = 2 if len(undated) > 8 else 1
    undated_rows = -(-len(undated) // undated_columns)
    top = 0.95
    chart = max(rows, 2) * _ROW
    below = 0.4 + legend_rows * 0.19 + 0.2
    undated_height = (0.35 + undated_rows * 0.17) if undated else 0.0
    height = top + chart + below + undated_height + 0.15
    figure = Figure(figsize=(_WIDTH, height))
    figure.suptitle(
        heading, x=0.01, y=1 - 0.12 / height, ha="left", fontsize=12, fontweight="bold"
    )
    figure.text(
        0.01,
        1 - 0.36 / height,
        _subtitle(records, lanes, undated),
        ha="left",
        va="top",
        fontsize=8,
        color="#444444",
    )

    left = _LABEL_COLUMN / _WIDTH
    right = 1 - _AMOUNT_COLUMN / _WIDTH
    axes = figure.add_axes(
        (left, 1 - (top + chart) / height, right - left, chart / height)
    )
    if lanes:
        _draw_chart(figure, axes, groups, rows)
    else:
        axes.set_axis_off()
        axes.text(
            0.5,
            0.5,
            "None of these engagements has a known period or year of activity.",
            ha="center",
            va="center",
            fontsize=9,
            transform=axes.transAxes,
        )

    legend_top = 1 - (top + chart + 0.35) / height
    if lanes:
        _draw_legend(figure, lanes, overlaps, legend_top)
    if undated:
        _draw_undated(
            figure,
            undated,
            undated_columns,
            undated_rows,
            1 - (top + chart + below) / height,
            height,
        )
    return figure


def _subtitle(
    records: Sequence[Engagement],
    lanes: Sequence[_Lane],
    undated: Sequence[tuple[_Group, Engagement]],
) -> str:
    dated = len({lane.engagement.id for lane in lanes})
    listed = len({record.id for _, record in undated})
    count = len(records)
    text = (
        f"{count} engagement{'' if count == 1 else 's'}:"
        f" {dated} with a period or years of activity"
    )
    if listed:
        text += f", {listed} undated (listed below the chart)"
    if len(lanes) > dated:
        text += "; an engagement with several donors appears under each"
    return text + "."


def _draw_chart(
    figure: Figure, axes: Axes, groups: Sequence[_Group], rows: int
) -> None:
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle
    from matplotlib.transforms import blended_transform_factory

    margin: Transform = blended_transform_factory(figure.transFigure, axes.transData)
    label_x = 0.12 / _WIDTH
    amount_x = 1 - (_AMOUNT_COLUMN - 0.1) / _WIDTH
    lows: list[float] = []
    highs: list[float] = []
    row = 0
    colour_index = 0
    shown = 0  # groups drawn so far: the bands alternate over these alone
    for group in groups:
        if not group.lanes:
            continue
        shown += 1
        if group.donor is None:
            colour = _UNKNOWN_COLOUR
        else:
            colour = _PALETTE[colour_index % len(_PALETTE)]
            colour_index += 1
        first, last = row, row + len(group.lanes)
        if shown % 2 == 1:
            band = Rectangle(
                (0.004, first - 0.5),
                0.992,
                last - first + 1,
                transform=margin,
                facecolor=_BAND_COLOUR,
                edgecolor="none",
                zorder=0,
                clip_on=False,
            )
            axes.add_artist(band)
        axes.add_artist(
            Line2D(
                [0.004, 0.996],
                [first - 0.5, first - 0.5],
                transform=margin,
                color="#999999",
                linewidth=0.6,
                clip_on=False,
            )
        )
        axes.text(
            label_x,
            row,
            group.name,
            transform=margin,
            ha="left",
            va="center",
            fontsize=_FONT + 1.5,
            fontweight="bold",
            color=colour if group.donor is not None else "#333333",
            gid=f"donor--{_UNKNOWN_KEY if group.donor is None else group.donor}",
        )
        row += 1
        for lane in group.lanes:
            _draw_lane(axes, margin, lane, row, colour, label_x, amount_x)
            if lane.bar is not None:
                lows.append(lane.bar[0] - (_TAIL_YEARS if lane.open_start else 0))
                highs.append(lane.bar[1] + (_TAIL_YEARS if lane.open_end else 0))
            for year in lane.years:
                lows.append(year)
                highs.append(year + 1)
            row += 1

    low, high = int(min(lows)), int(-(-max(highs) // 1))
    axes.set_xlim(low, high)
    axes.set_ylim(rows - 0.5, -0.5)
    span = high - low
    step = 1 if span <= 30 else 2 if span <= 60 else 5 if span <= 150 else 10
    axes.set_xticks(range(low, high + 1))
    axes.set_xticklabels([])
    axes.set_xticks([year + 0.5 for year in range(low, high, step)], minor=True)
    axes.set_xticklabels(
        [str(year) for year in range(low, high, step)], minor=True, fontsize=_FONT
    )
    axes.tick_params(axis="x", which="both", top=True, labeltop=True, length=0, pad=3)
    axes.tick_params(axis="x", which="major", length=3)
    axes.set_yticks([])
    axes.grid(axis="x", which="major", color="#dddddd", linewidth=0.6, zorder=0)
    axes.set_axisbelow(True)
    for side in ("left", "right"):
        axes.spines[side].set_visible(False)
    for side in ("top", "bottom"):
        axes.spines[side].set_color("#999999")
    axes.patch.set_alpha(0.0)


def _draw_lane(
    axes: Axes,
    margin: Transform,
    lane: _Lane,
    row: int,
    colour: str,
    label_x: float,
    amount_x: float,
) -> None:
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    known = bool(lane.engagement.amounts)
    fill = to_rgba(colour, 0.85) if known else to_rgba(colour, 0.12)
    hatch = None if known else _HATCH
    top = row - _BAR_HEIGHT / 2

    axes.text(
        label_x + lane.depth * _INDENT / _WIDTH,
        row,
        ("↳ " if lane.depth else "") + lane.label,
        transform=margin,
        ha="left",
        va="center",
        fontsize=_FONT,
        gid=_gid("label", lane),
    )
    axes.text(
        amount_x,
        row,
        _amount_text(lane.engagement.amounts),
        transform=margin,
        ha="left",
        va="center",
        fontsize=_FONT - 0.5,
        color="#222222" if known else "#888888",
        fontstyle="normal" if known else "italic",
        gid=_gid("amount", lane),
    )
    for index, (start, end) in enumerate(lane.shared):
        axes.add_patch(
            Rectangle(
                (start, row - _OVERLAP_HEIGHT / 2),
                end - start,
                _OVERLAP_HEIGHT,
                facecolor=to_rgba(_OVERLAP_COLOUR, 0.3),
                edgecolor="none",
                zorder=1,
                gid=_gid(f"overlap-{index}", lane),
            )
        )
    if lane.bar is not None:
        start, end = lane.bar
        axes.add_patch(
            Rectangle(
                (start, top),
                end - start,
                _BAR_HEIGHT,
                facecolor=fill,
                edgecolor=colour,
                hatch=hatch,
                linewidth=1.0,
                linestyle="--" if lane.approximate else "-",
                zorder=3,
                gid=_gid("period", lane),
            )
        )
        step = _TAIL_YEARS / _TAIL_STEPS
        for index in range(_TAIL_STEPS):
            alpha = 0.55 * (1 - index / _TAIL_STEPS)
            for side, edge in (("start", lane.open_start), ("end", lane.open_end)):
                if not edge:
                    continue
                x = end + index * step if side == "end" else start - (index + 1) * step
                axes.add_patch(
                    Rectangle(
                        (x, top),
                        step,
                        _BAR_HEIGHT,
                        facecolor=to_rgba(colour, alpha),
                        edgecolor="none",
                        zorder=2,
                        gid=_gid(f"open-{side}-{index}", lane),
                    )
                )
        if lane.original_end is not None:
            axes.add_line(
                Line2D(
                    [lane.original_end, lane.original_end],
                    [row - 0.38, row + 0.38],
                    color="black",
                    linewidth=1.6,
                    zorder=4,
                    gid=_gid("original-end", lane),
                )
            )
    for year in lane.years:
        axes.add_patch(
            Rectangle(
                (year + 0.04, top),
                0.92,
                _BAR_HEIGHT,
                facecolor=fill,
                edgecolor=colour,
                hatch=hatch,
                linewidth=1.2,
                linestyle=":",
                zorder=3,
                gid=_gid(f"active-{year}", lane),
            )
        )


def _legend_size(lanes: Sequence[_Lane], overlaps: bool) -> int:
    """How many entries the legend has: four always, the rest when drawn."""
    return (
        4
        + any(lane.approximate for lane in lanes)
        + any(lane.original_end is not None for lane in lanes)
        + overlaps
    )


def _draw_legend(
    figure: Figure, lanes: Sequence[_Lane], overlaps: bool, top: float
) -> None:
    from matplotlib.colors import to_rgba
    from matplotlib.legend_handler import HandlerTuple
    from matplotlib.lines import Line2D
    from matplotlib.patches import Patch, Rectangle

    grey = _LEGEND_COLOUR
    fade = tuple(
        Rectangle(
            (0, 0),
            1,
            1,
            facecolor=to_rgba(grey, 0.55 * (1 - index / _TAIL_STEPS)),
            edgecolor="none",
        )
        for index in range(_TAIL_STEPS)
    )
    entries: list[tuple[Artist | tuple[Artist, ...], str]] = [
        (
            Patch(facecolor=to_rgba(grey, 0.85), edgecolor=grey),
            "Period, amount known (amount in the right-hand column)",
        ),
        (
            Patch(facecolor=to_rgba(grey, 0.12), edgecolor=grey, hatch=_HATCH),
            "Period, amount unknown (not zero: no source gives it)",
        ),
        (
            Patch(facecolor="none", edgecolor=grey, linestyle=":", linewidth=1.2),
            "A year a source saw it active (full period not given)",
        ),
        (
            fade,
            "Start or end unknown: the bar covers only the certain part",
        ),
    ]
    if any(lane.approximate for lane in lanes):
        entries.append(
            (
                Patch(facecolor="none", edgecolor=grey, linestyle="--"),
                "Approximate period",
            )
        )
    if any(lane.original_end is not None for lane in lanes):
        entries.append(
            (
                Line2D(
                    [], [], marker="|", linestyle="none", markersize=9, color="black"
                ),
                "End first agreed, before an extension",
            )
        )
    if overlaps:
        entries.append(
            (
                Patch(facecolor=to_rgba(_OVERLAP_COLOUR, 0.3), edgecolor="none"),
                "Shared with an engagement of other donors, in the same place and sector",
            )
        )
    # A tuple of artists is a legend handle of its own (drawn by HandlerTuple),
    # which matplotlib accepts though its annotations name only Artist.
    figure.legend(
        cast("list[Artist]", [handle for handle, _ in entries]),
        [label for _, label in entries],
        loc="upper left",
        bbox_to_anchor=(_LABEL_COLUMN / _WIDTH - 0.01, top),
        ncol=2,
        fontsize=_FONT,
        frameon=False,
        handlelength=3.0,
        columnspacing=2.0,
        handler_map={tuple: HandlerTuple(ndivide=None, pad=0)},
    )


def _draw_undated(
    figure: Figure,
    undated: Sequence[tuple[_Group, Engagement]],
    columns: int,
    rows: int,
    top: float,
    height: float,
) -> None:
    count = len({record.id for _, record in undated})
    figure.text(
        0.01,
        top,
        f"Undated: no period and no year of activity known ({count})",
        ha="left",
        va="top",
        fontsize=_FONT + 1,
        fontweight="bold",
        gid="undated",
    )
    column_width = (_WIDTH - 0.3) / columns
    characters = int(column_width * 72 / (_FONT * 0.5))
    for index, (group, record) in enumerate(undated):
        column, line = divmod(index, rows)
        donor = "Unknown donor" if group.donor is None else group.name
        figure.text(
            (0.12 + column * column_width) / _WIDTH,
            top - (0.3 + line * 0.17) / height,
            _shorten(f"{donor}: {_undated_text(record)}", characters),
            ha="left",
            va="top",
            fontsize=_FONT,
            gid=f"undated--{_UNKNOWN_KEY if group.donor is None else group.donor}"
            f"--{record.id}",
        )
