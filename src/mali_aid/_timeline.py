"""The timeline chart: engagements by donor on a time axis.

:func:`plot_timeline` draws a Gantt chart with one lane per engagement,
grouped under its donor, and shows on it what the data knows and what it
does not: periods with an unknown end, years a source saw an engagement
active, planned work, amounts no source gives, and engagements with no date
at all. What goes where is worked out in :mod:`mali_aid._timeline_layout`,
without matplotlib; this module draws it. It needs matplotlib, which comes
with the ``plot`` extra::

    pip install "mali-aid[plot]"

matplotlib is imported when the function is first called, never when
:mod:`mali_aid` is imported, and the figure is built without pyplot, so no
global state (backend, current figure, rcParams) is touched.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Final, cast

from ._model import Engagement
from ._timeline_layout import (
    UNKNOWN_KEY,
    Group,
    Lane,
    Layout,
    amount_text,
    gid,
    lay_out,
)

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
_FONT: Final = 7.5
_LINE_SPACING: Final = 1.15
_UNDATED_LINE: Final = 0.17
_BAR_HEIGHT: Final = 0.56
_OVERLAP_HEIGHT: Final = 0.9
#: Length, in years, of the fading tail that marks an unknown start or end.
_TAIL_YEARS: Final = 1.0
_TAIL_STEPS: Final = 5

_OVERLAP_COLOUR: Final = "#d62728"
_LEGEND_COLOUR: Final = "#555555"
_BAND_COLOUR: Final = "#f3f3f3"
_HATCH: Final = "///"
#: The outline of a planned engagement's bars and boxes: dash and dot.
_PLANNED_STYLE: Final = "-."


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
    earliest start, each part of an engagement indented under it. Each
    donor has its own colour, picked from its id among the donors of
    ``data``, so it is the same in every chart of the same data. A long
    label is wrapped onto more lines, never cut.

    - A bar runs over the period at the precision the source gave: a
      period given as "2009/2014" runs from 1 January 2009 to the end of
      31 December 2014. An unknown start or end is never invented: the bar
      covers only the certain span and a fading tail points the open way.
    - A dotted box marks each year a source saw the engagement active
      (``active_in``) where its full period is not given.
    - A filled bar has a known amount, shown in the right-hand column; a
      hatched, pale bar has none ("amount unknown"): unknown is not zero.
    - A planned engagement (``status`` planned: told as what is to be done)
      has a dash-dot outline and "(planned)" in its label.
    - With ``overlaps`` (the default), red shading marks the days an
      engagement shares with an engagement of different known donors in
      the same place and sector, of the pairs :func:`mali_aid.find_overlaps`
      finds (an engagement whose funder no source names is not shaded).
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
    from . import _arguments

    _arguments.check("plot_timeline", data=data, overlaps=overlaps, title=title)
    engagements = _arguments.engagements("plot_timeline", engagements, optional=True)
    try:
        from matplotlib.figure import Figure
    except ImportError as error:
        raise ImportError(
            "plot_timeline needs matplotlib: pip install 'mali-aid[plot]'"
        ) from error

    records = list(data.engagements if engagements is None else engagements)
    heading = title if title is not None else "Engagements in Mali by donor"

    if not records:
        figure = Figure(figsize=(8.0, 2.0))
        figure.suptitle(heading, fontsize=12, fontweight="bold")
        axes = figure.add_axes((0.05, 0.05, 0.9, 0.7))
        _say(axes, "No engagements to show.", 10)
        return figure

    layout = lay_out(data, records, overlaps=overlaps)
    lanes = layout.lanes
    legend_rows = -(-len(layout.legend) // 2) if lanes else 0
    top = 0.95
    chart = max(layout.rows, 2) * _ROW
    below = 0.4 + legend_rows * 0.19 + 0.2
    undated_height = (
        (0.35 + layout.undated_lines * _UNDATED_LINE) if layout.undated else 0.0
    )
    height = top + chart + below + undated_height + 0.15
    figure = Figure(figsize=(_WIDTH, height))
    figure.suptitle(
        heading, x=0.01, y=1 - 0.12 / height, ha="left", fontsize=12, fontweight="bold"
    )
    figure.text(
        0.01,
        1 - 0.36 / height,
        layout.subtitle,
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
        _draw_chart(figure, axes, layout)
        _draw_legend(figure, layout, 1 - (top + chart + 0.35) / height)
    else:
        _say(
            axes,
            "None of these engagements has a known period or year of activity.",
            9,
        )
    if layout.undated:
        _draw_undated(figure, layout, 1 - (top + chart + below) / height, height)
    return figure


def _say(axes: Axes, text: str, size: float) -> None:
    """A chart with no lanes: a sentence in the middle of blank axes."""
    axes.set_axis_off()
    axes.text(
        0.5,
        0.5,
        text,
        ha="center",
        va="center",
        fontsize=size,
        transform=axes.transAxes,
    )


def _draw_chart(figure: Figure, axes: Axes, layout: Layout) -> None:
    from matplotlib.transforms import blended_transform_factory

    margin: Transform = blended_transform_factory(figure.transFigure, axes.transData)
    label_x = 0.12 / _WIDTH
    amount_x = 1 - (_AMOUNT_COLUMN - 0.1) / _WIDTH
    lows: list[float] = []
    highs: list[float] = []
    for shown, group in enumerate(layout.drawn):
        _draw_header(axes, margin, group, banded=shown % 2 == 0, label_x=label_x)
        for lane in group.lanes:
            _draw_lane(axes, margin, lane, group.colour, label_x, amount_x)
            if lane.bar is not None:
                lows.append(lane.bar[0] - (_TAIL_YEARS if lane.open_start else 0))
                highs.append(lane.bar[1] + (_TAIL_YEARS if lane.open_end else 0))
            for year in lane.years:
                lows.append(year)
                highs.append(year + 1)

    low, high = int(min(lows)), int(-(-max(highs) // 1))
    axes.set_xlim(low, high)
    axes.set_ylim(max(layout.rows, 2) - 0.5, -0.5)
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


def _draw_header(
    axes: Axes, margin: Transform, group: Group, *, banded: bool, label_x: float
) -> None:
    """A donor's name, the line above it and, every other donor, its band."""
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    if banded:
        axes.add_artist(
            Rectangle(
                (0.004, group.top),
                0.992,
                group.bottom - group.top,
                transform=margin,
                facecolor=_BAND_COLOUR,
                edgecolor="none",
                zorder=0,
                clip_on=False,
            )
        )
    axes.add_artist(
        Line2D(
            [0.004, 0.996],
            [group.top, group.top],
            transform=margin,
            color="#999999",
            linewidth=0.6,
            clip_on=False,
        )
    )
    axes.text(
        label_x,
        group.y,
        "\n".join(group.lines),
        transform=margin,
        ha="left",
        va="center",
        fontsize=_FONT + 1.5,
        fontweight="bold",
        linespacing=_LINE_SPACING,
        color=group.colour if group.donor is not None else "#333333",
        gid=f"donor--{UNKNOWN_KEY if group.donor is None else group.donor}",
    )


def _draw_texts(
    axes: Axes, margin: Transform, lane: Lane, label_x: float, amount_x: float
) -> None:
    """A lane's label, wrapped, and its amount."""
    known = bool(lane.engagement.amounts)
    lines = list(lane.lines)
    if lane.depth:
        lines = ["↳ " + lines[0], *("    " + line for line in lines[1:])]
    axes.text(
        label_x + lane.depth * _INDENT / _WIDTH,
        lane.y,
        "\n".join(lines),
        transform=margin,
        ha="left",
        va="center",
        fontsize=_FONT,
        linespacing=_LINE_SPACING,
        gid=gid("label", lane),
    )
    axes.text(
        amount_x,
        lane.y,
        amount_text(lane.engagement.amounts),
        transform=margin,
        ha="left",
        va="center",
        fontsize=_FONT - 0.5,
        color="#222222" if known else "#888888",
        fontstyle="normal" if known else "italic",
        gid=gid("amount", lane),
    )


def _draw_lane(
    axes: Axes,
    margin: Transform,
    lane: Lane,
    colour: str,
    label_x: float,
    amount_x: float,
) -> None:
    from matplotlib.colors import to_rgba
    from matplotlib.patches import Rectangle

    _draw_texts(axes, margin, lane, label_x, amount_x)
    known = bool(lane.engagement.amounts)
    fill = to_rgba(colour, 0.85) if known else to_rgba(colour, 0.12)
    hatch = None if known else _HATCH
    row = lane.y
    top = row - _BAR_HEIGHT / 2
    for index, (start, end) in enumerate(lane.shared):
        axes.add_patch(
            Rectangle(
                (start, row - _OVERLAP_HEIGHT / 2),
                end - start,
                _OVERLAP_HEIGHT,
                facecolor=to_rgba(_OVERLAP_COLOUR, 0.3),
                edgecolor="none",
                zorder=1,
                gid=gid(f"overlap-{index}", lane),
            )
        )
    if lane.bar is not None:
        start, end = lane.bar
        style = _PLANNED_STYLE if lane.planned else "--" if lane.approximate else "-"
        axes.add_patch(
            Rectangle(
                (start, top),
                end - start,
                _BAR_HEIGHT,
                facecolor=fill,
                edgecolor=colour,
                hatch=hatch,
                linewidth=1.4 if lane.planned else 1.0,
                linestyle=style,
                zorder=3,
                gid=gid("period", lane),
            )
        )
        _draw_open_ends(axes, lane, colour, top)
    for year in lane.years:
        axes.add_patch(
            Rectangle(
                (year + 0.04, top),
                0.92,
                _BAR_HEIGHT,
                facecolor=fill,
                edgecolor=colour,
                hatch=hatch,
                linewidth=1.4 if lane.planned else 1.2,
                linestyle=_PLANNED_STYLE if lane.planned else ":",
                zorder=3,
                gid=gid(f"active-{year}", lane),
            )
        )


def _draw_open_ends(axes: Axes, lane: Lane, colour: str, top: float) -> None:
    """The fading tails of an unknown start or end, and the end first agreed."""
    from matplotlib.colors import to_rgba
    from matplotlib.lines import Line2D
    from matplotlib.patches import Rectangle

    assert lane.bar is not None
    start, end = lane.bar
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
                    gid=gid(f"open-{side}-{index}", lane),
                )
            )
    if lane.original_end is not None:
        axes.add_line(
            Line2D(
                [lane.original_end, lane.original_end],
                [lane.y - 0.38, lane.y + 0.38],
                color="black",
                linewidth=1.6,
                zorder=4,
                gid=gid("original-end", lane),
            )
        )


def _legend_entries() -> dict[str, tuple[Artist | tuple[Artist, ...], str]]:
    """Every entry the legend may show, by its key in :attr:`Layout.legend`."""
    from matplotlib.colors import to_rgba
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
    mark = Line2D([], [], marker="|", linestyle="none", markersize=9, color="black")
    return {
        "amount known": (
            Patch(facecolor=to_rgba(grey, 0.85), edgecolor=grey),
            "Period, amount known (amount in the right-hand column)",
        ),
        "amount unknown": (
            Patch(facecolor=to_rgba(grey, 0.12), edgecolor=grey, hatch=_HATCH),
            "Period, amount unknown (not zero: no source gives it)",
        ),
        "active": (
            Patch(facecolor="none", edgecolor=grey, linestyle=":", linewidth=1.2),
            "A year a source saw it active (full period not given)",
        ),
        "open": (fade, "Start or end unknown: the bar covers only the certain part"),
        "approximate": (
            Patch(facecolor="none", edgecolor=grey, linestyle="--"),
            "Approximate period",
        ),
        "planned": (
            Patch(
                facecolor="none",
                edgecolor=grey,
                linestyle=_PLANNED_STYLE,
                linewidth=1.4,
            ),
            "Planned: to be done, as the source tells it, not seen done",
        ),
        "original end": (mark, "End first agreed, before an extension"),
        "shared": (
            Patch(facecolor=to_rgba(_OVERLAP_COLOUR, 0.3), edgecolor="none"),
            "Shared with an engagement of other known donors,"
            " in the same place and sector",
        ),
    }


def _draw_legend(figure: Figure, layout: Layout, top: float) -> None:
    from matplotlib.legend_handler import HandlerTuple

    every = _legend_entries()
    entries = [every[key] for key in layout.legend]
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


def _draw_undated(figure: Figure, layout: Layout, top: float, height: float) -> None:
    count = len({entry.engagement.id for entry in layout.undated})
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
    column_width = (_WIDTH - 0.3) / layout.undated_columns
    for entry in layout.undated:
        donor = UNKNOWN_KEY if entry.donor is None else entry.donor
        figure.text(
            (0.12 + entry.column * column_width) / _WIDTH,
            top - (0.3 + entry.line * _UNDATED_LINE) / height,
            "\n".join(entry.lines),
            ha="left",
            va="top",
            fontsize=_FONT,
            linespacing=_UNDATED_LINE * 72 / _FONT,
            gid=f"undated--{donor}--{entry.engagement.id}",
        )
