"""The timeline chart, checked against the bundled TOML files read here.

What the chart should show is worked out from the TOML text itself (which
engagements give a year, which give years of activity, which give amounts,
who funds them), not from the code that draws it. Every drawn element carries
a gid ``role--donor--engagement``, which is how the tests find it.
"""

from __future__ import annotations

import io
import re
import subprocess
import sys
import tomllib
import xml.etree.ElementTree as ElementTree
from collections import Counter
from datetime import date
from importlib.resources import files
from itertools import pairwise
from pathlib import Path
from typing import Any

import pytest
from matplotlib.colors import to_rgba
from matplotlib.figure import Figure
from matplotlib.patches import Rectangle
from matplotlib.text import Text

import mali_aid
from mali_aid import (
    Dataset,
    Engagement,
    Organisation,
    Participant,
    Period,
    Place,
    PlaceShare,
    Sector,
    SectorShare,
    find_overlaps,
    load,
)
from mali_aid._timeline import plot_timeline

DATA = files("mali_aid") / "data"
ENGAGEMENTS: list[dict[str, Any]] = tomllib.loads(
    (DATA / "engagements.toml").read_text("utf-8")
)["engagements"]
ORGANISATIONS: dict[str, dict[str, Any]] = {
    record["id"]: record
    for record in tomllib.loads((DATA / "organisations.toml").read_text("utf-8"))[
        "organisations"
    ]
}
BY_ID = {record["id"]: record for record in ENGAGEMENTS}
YEAR = re.compile(r"[0-9]{4}")


def root(organisation: str) -> str:
    while ORGANISATIONS[organisation].get("parent"):
        organisation = ORGANISATIONS[organisation]["parent"]
    return organisation


def donors(record: dict[str, Any]) -> list[str]:
    roots = [
        root(participant["organisation"])
        for participant in record.get("participants", ())
        if participant["role"] == "funding"
    ]
    return list(dict.fromkeys(roots)) or ["unknown"]


def has_period(record: dict[str, Any]) -> bool:
    """Whether the period text names a year (not only a length like P20Y~)."""
    return bool(YEAR.search(record.get("period", "")))


def title(record: dict[str, Any]) -> str:
    return str(record.get("title_en", record["title"]))


def planned(record: dict[str, Any]) -> bool:
    return record.get("status") == "planned"


def one_line(artist: Text) -> str:
    """A label's text as one line: its wrapped lines joined, the ``↳`` of a
    part left out."""
    return " ".join(artist.get_text().removeprefix("↳ ").split())


DATED = [r for r in ENGAGEMENTS if has_period(r) or r.get("active_in")]
UNDATED = [r for r in ENGAGEMENTS if not has_period(r) and not r.get("active_in")]


def gids(figure: Figure) -> list[tuple[str, str, str, Any]]:
    """(role, donor, engagement, artist) of every element with a lane gid."""
    found = []
    artists = [*figure.axes[0].get_children(), *figure.texts]
    for artist in artists:
        gid = artist.get_gid()
        if gid is not None and gid.count("--") == 2:
            role, donor, engagement = gid.split("--")
            found.append((role, donor, engagement, artist))
    return found


def patches(figure: Figure, role: str) -> list[tuple[str, str, Rectangle]]:
    return [
        (donor, engagement, artist)
        for kind, donor, engagement, artist in gids(figure)
        if kind == role or kind.startswith(f"{role}-")
        if isinstance(artist, Rectangle)
    ]


def texts(figure: Figure) -> list[str]:
    return [
        artist.get_text()
        for artist in [*figure.findobj(Text)]
        if isinstance(artist, Text)
    ]


@pytest.fixture(scope="module")
def data() -> Dataset:
    return load()


@pytest.fixture(scope="module")
def figure(data: Dataset) -> Figure:
    return plot_timeline(data)


def test_the_data_read_here_has_every_case_the_chart_draws() -> None:
    # Guards the tests below against passing on data that lost a case.
    assert len(ENGAGEMENTS) == 47
    assert len(UNDATED) == 9
    assert any(len(donors(r)) > 1 for r in DATED)
    assert any(donors(r) == ["unknown"] for r in DATED)
    assert any(not r.get("amounts") for r in DATED)
    assert any(r.get("amounts") for r in DATED)


def test_one_period_bar_per_dated_engagement_and_donor(figure: Figure) -> None:
    drawn = Counter(
        (donor, engagement) for donor, engagement, _ in patches(figure, "period")
    )
    expected = Counter(
        (donor, record["id"])
        for record in ENGAGEMENTS
        if has_period(record)
        for donor in donors(record)
    )
    assert drawn == expected


def test_one_dotted_box_per_year_a_source_saw_it_active(figure: Figure) -> None:
    drawn = {
        (kind, donor, engagement)
        for kind, donor, engagement, artist in gids(figure)
        if kind.startswith("active-")
    }
    expected = {
        (f"active-{year}", donor, record["id"])
        for record in ENGAGEMENTS
        for year in record.get("active_in", ())
        for donor in donors(record)
    }
    assert drawn == expected
    for _, engagement, box in patches(figure, "active"):
        assert box.get_linestyle() == ("-." if planned(BY_ID[engagement]) else ":")
    for _, engagement, bar in patches(figure, "period"):
        assert bar.get_linestyle() == ("-." if planned(BY_ID[engagement]) else "-")


def test_planned_work_is_drawn_apart_from_work_done(figure: Figure) -> None:
    # Belgium's part in MINUSMA in 2018 is told in the future tense.
    assert [r["id"] for r in ENGAGEMENTS if planned(r)] == ["be-defence-minusma-2018"]
    styles = {
        engagement: bar.get_linestyle()
        for _, engagement, bar in patches(figure, "period")
    }
    assert styles.pop("be-defence-minusma-2018") == "-."
    assert "-." not in styles.values()
    labels = {e: one_line(a) for k, _, e, a in gids(figure) if k == "label"}
    assert labels["be-defence-minusma-2018"] == (
        "Belgian participation in MINUSMA in 2018 (planned)"
    )
    assert not any(
        "(planned)" in text
        for e, text in labels.items()
        if e != "be-defence-minusma-2018"
    )
    [legend] = figure.legends
    assert any("Planned" in text.get_text() for text in legend.get_texts())


def test_a_chart_without_planned_work_has_no_planned_entry(data: Dataset) -> None:
    figure = plot_timeline(data, data.select(donor="LU"))
    [legend] = figure.legends
    assert not any("Planned" in text.get_text() for text in legend.get_texts())


def colours(figure: Figure) -> dict[str, tuple[float, ...]]:
    """The outline colour of each donor's bars and boxes (one per donor)."""
    found: dict[str, set[tuple[float, ...]]] = {}
    for donor, _, bar in [*patches(figure, "period"), *patches(figure, "active")]:
        found.setdefault(donor, set()).add(tuple(bar.get_edgecolor()))
    assert all(len(each) == 1 for each in found.values())
    return {donor: each.pop() for donor, each in found.items()}


def test_a_donor_keeps_its_colour_from_one_chart_to_the_next(
    data: Dataset, figure: Figure
) -> None:
    everything = colours(figure)
    assert len(set(everything.values())) == len(everything)  # one each
    for donor in ("LU", "CH"):
        alone = colours(plot_timeline(data, data.select(donor=donor)))
        # Luxembourg's selection holds the programme it funds with
        # Switzerland, so Switzerland is drawn too, in its own colour.
        assert donor in alone
        assert alone == {d: everything[d] for d in alone}
    backwards = colours(plot_timeline(data, list(reversed(data.engagements))))
    assert backwards == everything


def test_each_lane_has_one_label_under_its_donor(figure: Figure) -> None:
    labels = [(d, e) for kind, d, e, _ in gids(figure) if kind == "label"]
    expected = [(d, r["id"]) for r in DATED for d in donors(r)]
    assert Counter(labels) == Counter(expected)
    headers = {
        str(artist.get_gid()): artist
        for artist in figure.axes[0].texts
        if (artist.get_gid() or "").startswith("donor--")
    }
    assert set(headers) == {f"donor--{d}" for r in DATED for d in donors(r)}
    assert headers["donor--unknown"].get_text().startswith("Unknown donor")
    assert headers["donor--CH"].get_text() == "Switzerland"
    # Lanes sit below their donor's header and above the next one's.
    rows = sorted(
        (artist.get_position()[1], gid.split("--")[1])
        for gid, artist in headers.items()
    )
    for kind, donor, _, artist in gids(figure):
        if kind == "label":
            above = [name for row, name in rows if row < artist.get_position()[1]]
            assert above[-1] == donor


def test_a_co_financed_engagement_is_under_each_donor_naming_the_other(
    figure: Figure,
) -> None:
    record = BY_ID["lu-agropastoral-ii"]
    assert donors(record) == ["LU", "CH"]
    labels = {
        donor: one_line(artist)
        for kind, donor, engagement, artist in gids(figure)
        if kind == "label" and engagement == record["id"]
    }
    assert labels.keys() == {"LU", "CH"}
    assert labels["LU"].endswith("(with Switzerland)")
    assert labels["CH"].endswith("(with Luxembourg)")


def test_undated_engagements_are_listed_by_name_not_dropped(figure: Figure) -> None:
    listed = {
        str(artist.get_gid()).split("--")[2]: artist.get_text()
        for artist in figure.texts
        if (artist.get_gid() or "").startswith("undated--")
    }
    assert listed.keys() == {record["id"] for record in UNDATED}
    for record in UNDATED:
        assert title(record)[:40] in listed[record["id"]]
    drawn = {e for kind, _, e, _ in gids(figure) if kind != "undated"}
    assert drawn.isdisjoint(listed)
    heading = [t for t in figure.texts if t.get_gid() == "undated"]
    assert heading[0].get_text().endswith(f"({len(UNDATED)})")


def test_a_length_without_dates_is_said_in_the_undated_list(figure: Figure) -> None:
    [line] = [
        t.get_text()
        for t in figure.texts
        if t.get_gid() == "undated--BE--be-development-cooperation-mali"
    ]
    assert "about 20 years, dates unknown" in line


def test_unknown_amounts_are_hatched_and_known_ones_filled(figure: Figure) -> None:
    bars = [*patches(figure, "period"), *patches(figure, "active")]
    assert bars
    for _, engagement, bar in bars:
        if BY_ID[engagement].get("amounts"):
            assert bar.get_hatch() is None, engagement
            assert alpha(bar) > 0.5, engagement
        else:
            assert bar.get_hatch(), engagement
            assert alpha(bar) < 0.5, engagement


def test_the_amount_column_says_the_amount_or_that_it_is_unknown(
    figure: Figure,
) -> None:
    amounts = {
        engagement: artist.get_text()
        for kind, _, engagement, artist in gids(figure)
        if kind == "amount"
    }
    assert amounts["be-icp-2009-2014"] == "EUR 50.5 m budget"
    assert amounts["lu-humanitarian-2015"] == "≥ EUR 2.6 m contribution"
    assert amounts["lu-floods-2024"] == "EUR 250 k contribution"
    unknown = {e for e, text in amounts.items() if text == "amount unknown"}
    assert unknown == {r["id"] for r in DATED if not r.get("amounts")}


def year_x(day: date) -> float:
    start = date(day.year, 1, 1)
    return day.year + (day - start).days / (date(day.year + 1, 1, 1) - start).days


def extent(patch: Rectangle) -> tuple[float, float]:
    return patch.get_x(), patch.get_x() + patch.get_width()


def alpha(patch: Rectangle) -> float:
    return to_rgba(patch.get_facecolor())[3]


def lane_patches(figure: Figure, role: str, engagement: str) -> list[Rectangle]:
    return [p for _, e, p in patches(figure, role) if e == engagement]


def test_a_year_precision_period_runs_to_the_end_of_its_last_year(
    figure: Figure,
) -> None:
    [bar] = lane_patches(figure, "period", "be-icp-2009-2014")
    assert extent(bar) == pytest.approx((2009.0, 2015.0))
    [bar] = lane_patches(figure, "period", "be-eutm-command-2016-2018")
    assert extent(bar) == pytest.approx(
        (year_x(date(2016, 3, 1)), year_x(date(2018, 2, 1)))
    )
    assert lane_patches(figure, "open", "be-icp-2009-2014") == []


def test_an_unknown_end_is_drawn_to_the_certain_span_only(figure: Figure) -> None:
    # eutm-mali: "2013-02/..": certain only for February 2013.
    assert BY_ID["eutm-mali"]["period"] == "2013-02/.."
    [bar] = lane_patches(figure, "period", "eutm-mali")
    assert extent(bar) == pytest.approx(
        (year_x(date(2013, 2, 1)), year_x(date(2013, 3, 1)))
    )
    tail = lane_patches(figure, "open-end", "eutm-mali")
    assert tail
    assert min(extent(p)[0] for p in tail) == pytest.approx(extent(bar)[1])
    alphas = [alpha(p) for p in sorted(tail, key=lambda p: extent(p)[0])]
    assert all(a > b for a, b in pairwise(alphas))  # it fades away
    assert lane_patches(figure, "open-start", "eutm-mali") == []


def test_an_unknown_start_is_drawn_to_the_certain_span_only(figure: Figure) -> None:
    assert BY_ID["lu-undp-reforms"]["period"] == "../2024-06"
    [bar] = lane_patches(figure, "period", "lu-undp-reforms")
    assert extent(bar) == pytest.approx(
        (year_x(date(2024, 6, 1)), year_x(date(2024, 7, 1)))
    )
    tail = lane_patches(figure, "open-start", "lu-undp-reforms")
    assert tail
    assert max(extent(p)[1] for p in tail) == pytest.approx(extent(bar)[0])
    assert lane_patches(figure, "open-end", "lu-undp-reforms") == []


def test_an_extension_marks_the_end_first_agreed(figure: Figure) -> None:
    assert BY_ID["be-icp-2009-2014"]["original_period"] == "2009/2012"
    [marker] = [
        artist
        for kind, _, engagement, artist in gids(figure)
        if kind == "original-end" and engagement == "be-icp-2009-2014"
    ]
    assert list(marker.get_xdata()) == pytest.approx([2013.0, 2013.0])


def test_parts_sit_right_under_the_engagement_they_belong_to(figure: Figure) -> None:
    rows = {
        engagement: artist.get_position()[1]
        for kind, donor, engagement, artist in gids(figure)
        if kind == "label" and donor == "LU"
    }
    parts = [
        r["id"] for r in ENGAGEMENTS if r.get("part_of") == "lu-envelope-2023-2024"
    ]
    order = sorted(rows, key=rows.__getitem__)
    whole = order.index("lu-envelope-2023-2024")
    assert set(order[whole + 1 : whole + 3]) == set(parts)
    label = {
        e: a.get_text() for k, d, e, a in gids(figure) if k == "label" and d == "LU"
    }
    assert label[parts[0]].startswith("↳ ")


def test_long_titles_are_wrapped_not_cut(figure: Figure) -> None:
    labels = [a.get_text() for k, _, _, a in gids(figure) if k == "label"]
    assert max(len(line) for label in labels for line in label.split("\n")) <= 70
    assert not any("…" in label for label in labels)
    [minusma] = [a for k, _, e, a in gids(figure) if k == "label" and e == "minusma"]
    assert len(title(BY_ID["minusma"])) > 70
    assert minusma.get_text().count("\n") == 1
    assert one_line(minusma) == title(BY_ID["minusma"])
    # Every label says the whole title, on as many lines as it takes.
    for kind, _, engagement, artist in gids(figure):
        if kind == "label":
            assert one_line(artist).startswith(title(BY_ID[engagement])), engagement


def test_a_wrapped_label_gets_a_taller_row(figure: Figure) -> None:
    # The rows of Luxembourg's lanes, top to bottom, with their labels' lines.
    lanes = sorted(
        (artist.get_position()[1], artist.get_text().count("\n") + 1)
        for kind, donor, _, artist in gids(figure)
        if kind == "label" and donor == "LU"
    )
    assert {lines for _, lines in lanes} >= {1, 2}
    for (y, lines), (next_y, next_lines) in pairwise(lanes):
        if lines == next_lines == 1:
            assert next_y - y == pytest.approx(1)
        else:
            assert next_y - y > 1


def test_overlaps_are_shaded_over_the_shared_days(
    data: Dataset, figure: Figure
) -> None:
    shaded = {e for _, e, _ in patches(figure, "overlap")}
    pairs = [
        pair
        for pair in find_overlaps(data.engagements, data=data)
        if "unknown" not in donors(BY_ID[pair.first]) + donors(BY_ID[pair.second])
    ]
    assert shaded == {p.first for p in pairs} | {p.second for p in pairs}
    assert shaded
    # Belgium's command of EUTM (from March 2016) meets Luxembourg's trust
    # fund contributions, seen active in 2016.
    assert BY_ID["be-eutm-command-2016-2018"]["period"].startswith("2016-03/")
    [shade] = lane_patches(figure, "overlap", "lu-un-trust-funds")
    assert extent(shade) == pytest.approx((year_x(date(2016, 3, 1)), 2017.0))
    # Luxembourg's ICP I and II meet nobody.
    assert lane_patches(figure, "overlap", "lu-icp-i") == []
    assert any(
        "Shared with an engagement of other known donors" in text
        for text in texts(figure)
    )


def test_no_shading_where_a_donor_is_unknown(data: Dataset, figure: Figure) -> None:
    # find_overlaps pairs ICP III with the MPED programme, whose funder no
    # source names, and EUTM (no funder named) with Luxembourg's police in
    # EUCAP: neither is shaded.
    pairs = find_overlaps(data.engagements, data=data)
    assert pairs.between_ids("lu-icp-iii", "fcm-mped-mali") is not None
    assert pairs.between_ids("eutm-mali", "lu-police-eucap") is not None
    assert lane_patches(figure, "overlap", "lu-icp-iii") == []
    unknown = {r["id"] for r in ENGAGEMENTS if donors(r) == ["unknown"]}
    assert unknown
    assert unknown.isdisjoint(e for _, e, _ in patches(figure, "overlap"))


def test_shading_lies_only_where_the_engagement_certainly_runs(
    figure: Figure,
) -> None:
    # Belgium's command of EUTM runs from March 2016 to January 2018 and
    # meets other known donors' engagements in 2016 only.
    [shade] = lane_patches(figure, "overlap", "be-eutm-command-2016-2018")
    assert extent(shade) == pytest.approx((year_x(date(2016, 3, 1)), 2017.0))
    for _, engagement, shade in patches(figure, "overlap"):
        low, high = extent(shade)
        record = BY_ID[engagement]
        runs = [extent(bar) for bar in lane_patches(figure, "period", engagement)]
        runs += [(year, year + 1) for year in record.get("active_in", ())]
        assert low < high
        assert any(start - 1e-9 <= low and high <= end + 1e-9 for start, end in runs), (
            engagement
        )


def test_shading_covers_only_days_both_engagements_run() -> None:
    # A runs 2015-2019; B was seen active in 2016 and 2018 only: they share
    # those two years, not 2017 between them.
    data = Dataset(
        organisations=[
            Organisation(id="A", name="Country A", kind="state"),
            Organisation(id="B", name="Country B", kind="state"),
        ],
        places=[Place(id="ML", name="Mali", level="country")],
        sectors=[Sector(id="health", name="Health")],
        engagements=[
            Engagement(
                id=name.lower(),
                title=f"Programme of {name}",
                kind="programme",
                participants=[Participant(organisation=name, role="funding")],
                places=[PlaceShare(place="ML")],
                sectors=[SectorShare(sector="health")],
                **when,
            )
            for name, when in (
                ("A", {"period": Period.parse("2015/2019")}),
                ("B", {"active_in": (2016, 2018)}),
            )
        ],
    )
    figure = plot_timeline(data)
    for engagement in ("a", "b"):
        shades = sorted(extent(p) for p in lane_patches(figure, "overlap", engagement))
        assert shades == [pytest.approx((2016, 2017)), pytest.approx((2018, 2019))]


def test_no_shading_without_overlaps(data: Dataset) -> None:
    figure = plot_timeline(data, overlaps=False)
    assert patches(figure, "overlap") == []
    assert not any(
        "Shared with an engagement of other" in text for text in texts(figure)
    )
    assert patches(figure, "period")


def test_the_legend_explains_every_encoding(figure: Figure) -> None:
    [legend] = figure.legends
    entries = [text.get_text() for text in legend.get_texts()]
    for words in (
        "amount known",
        "amount unknown",
        "saw it active",
        "Start or end unknown",
        "before an extension",
        "Shared with an engagement of other known donors",
        "Planned",
    ):
        assert any(words in entry for entry in entries), words


def test_engagements_default_to_all_of_the_data(data: Dataset, figure: Figure) -> None:
    same = plot_timeline(data, data.engagements)
    assert sorted(g[:3] for g in gids(same)) == sorted(g[:3] for g in gids(figure))
    assert "47 engagements: 38 with a period" in " ".join(texts(figure))


def test_height_grows_with_the_rows(data: Dataset, figure: Figure) -> None:
    small = plot_timeline(data, [data.engagement("be-icp-2009-2014")])
    assert small.get_figheight() + 5 < figure.get_figheight()


def test_a_title_of_ones_own(data: Dataset) -> None:
    figure = plot_timeline(data, data.select(donor="BE"), title="Belgium in Mali")
    assert figure.get_suptitle() == "Belgium in Mali"
    assert {d for _, d, _, _ in gids(figure)} == {"BE"}


def test_no_engagements_gives_a_figure_that_says_so(data: Dataset) -> None:
    figure = plot_timeline(data, [])
    assert "No engagements to show." in texts(figure)
    assert gids(figure) == []
    figure.savefig(io.BytesIO(), format="png")


def test_only_undated_engagements_are_listed_without_a_chart(data: Dataset) -> None:
    figure = plot_timeline(data, [data.engagement("be-zebu-herds")])
    joined = " ".join(texts(figure))
    assert "None of these engagements has a known period" in joined
    assert "Belgium: Rebuilding family herds of zebu" in joined
    assert len(figure.axes[0].patches) == 0


def test_something_else_than_engagements_is_refused(data: Dataset) -> None:
    with pytest.raises(
        mali_aid.errors.ArgumentError,
        match="argument engagements must be None or a list of engagements",
    ):
        plot_timeline(data, ["be-icp-2009-2014"])  # type: ignore[list-item]


def test_saved_as_svg_with_the_ids_kept(figure: Figure, tmp_path: Path) -> None:
    path = tmp_path / "timeline.svg"
    figure.savefig(path)
    tree = ElementTree.parse(path)
    assert tree.getroot().tag == "{http://www.w3.org/2000/svg}svg"
    ids = {element.get("id") for element in tree.iter()}
    assert "period--BE--be-icp-2009-2014" in ids
    assert "active-2016--LU--lu-army-eutm" in ids


def test_saved_as_png(figure: Figure, tmp_path: Path) -> None:
    path = tmp_path / "timeline.png"
    figure.savefig(path, dpi=50)
    assert path.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_without_matplotlib_the_error_names_the_extra() -> None:
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "from mali_aid import load\n"
        "from mali_aid._timeline import plot_timeline\n"
        "try:\n"
        "    plot_timeline(load())\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    assert "pip install 'mali-aid[plot]'" in run(code)


def test_neither_import_nor_drawing_touches_pyplot() -> None:
    code = (
        "import io, sys\n"
        "import mali_aid\n"
        "from mali_aid._timeline import plot_timeline\n"
        "print('matplotlib' in sys.modules)\n"
        "figure = plot_timeline(mali_aid.load())\n"
        "figure.savefig(io.BytesIO(), format='png')\n"
        "print('matplotlib.pyplot' in sys.modules)\n"
    )
    assert run(code).split() == ["False", "False"]


def test_background_bands_alternate_over_the_donors_drawn() -> None:
    # A has only an undated engagement, so it has no lanes: B, the first
    # donor drawn, gets the band and C, the next, does not.
    data = Dataset(
        organisations=[
            Organisation(id=name, name=f"Country {name}", kind="state")
            for name in "ABC"
        ],
        engagements=[
            Engagement(
                id=name.lower(),
                title=f"Programme of {name}",
                kind="programme",
                participants=[Participant(organisation=name, role="funding")],
                **when,
            )
            for name, when in (
                ("A", {}),
                ("B", {"period": Period.parse("2015/2019")}),
                ("C", {"period": Period.parse("2016/2017")}),
            )
        ],
    )
    figure = plot_timeline(data)
    bands = [
        artist
        for axes in figure.axes
        for artist in axes.patches
        if isinstance(artist, Rectangle)
        and artist.get_facecolor() == to_rgba("#f3f3f3")
    ]
    assert len(bands) == 1
    # B's lane is the first row, at y = 0, so its band starts half a row above.
    assert bands[0].get_y() == pytest.approx(-0.5)


DOCS = Path(__file__).resolve().parents[2] / "docs"


@pytest.mark.skipif(not DOCS.is_dir(), reason="the docs folder is not beside the tests")
def test_the_docs_show_the_chart_of_the_bundled_data_at_its_own_size(
    figure: Figure,
) -> None:
    # The picture is the chart as drawn today, at the 120 dpi the page says
    # (a chart that grew or shrank since would give another size) ...
    header = (DOCS / "_static" / "timeline.png").read_bytes()[:24]
    assert header[:8] == b"\x89PNG\r\n\x1a\n"
    size = int.from_bytes(header[16:20], "big"), int.from_bytes(header[20:24], "big")
    width, height = figure.get_size_inches()
    assert size[0] == pytest.approx(width * 120, abs=1)
    assert size[1] == pytest.approx(height * 120, abs=1)
    assert "saved as PNG at 120 dpi" in " ".join(
        (DOCS / "timeline.md").read_text("utf-8").split()
    )
    # ... and the page shows it unshrunk, in a box that scrolls sideways.
    page = (DOCS / "timeline.md").read_text("utf-8")
    assert ":class: full-size\n:figclass: full-size\n" in page
    style = " ".join((DOCS / "_static" / "timeline.css").read_text("utf-8").split())
    assert "img.full-size { max-width: none; }" in style
    assert "figure.full-size { overflow-x: auto; }" in style
