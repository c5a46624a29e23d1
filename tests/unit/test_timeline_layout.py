"""The layout of the timeline chart, checked without matplotlib.

What the chart should show is read from the bundled TOML text or built in
small worlds here; nothing in this file imports matplotlib (one test checks
that the layout runs where matplotlib cannot be imported).
"""

from __future__ import annotations

import re
import subprocess
import sys
import tomllib
import zlib
from importlib.resources import files
from itertools import pairwise
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

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
from mali_aid._timeline_layout import (
    LABEL_CHARACTERS,
    PALETTE,
    UNKNOWN_COLOUR,
    Layout,
    donor_colours,
    lay_out,
    wrap,
)

DATA = files("mali_aid") / "data"
ENGAGEMENTS: list[dict[str, Any]] = tomllib.loads(
    (DATA / "engagements.toml").read_text("utf-8")
)["engagements"]
BY_ID = {record["id"]: record for record in ENGAGEMENTS}
PARENTS = {
    record["id"]: record.get("parent")
    for record in tomllib.loads((DATA / "organisations.toml").read_text("utf-8"))[
        "organisations"
    ]
}
YEAR = re.compile(r"[0-9]{4}")
BUNDLED = load()


def donors(record: dict[str, Any]) -> set[str]:
    """The roots of the funders the TOML names."""
    found = set()
    for participant in record.get("participants", ()):
        if participant["role"] == "funding":
            organisation = participant["organisation"]
            while PARENTS[organisation]:
                organisation = PARENTS[organisation]
            found.add(organisation)
    return found


def funded(record: dict[str, Any]) -> bool:
    return bool(donors(record))


def dated(record: dict[str, Any]) -> bool:
    return bool(record.get("active_in") or YEAR.search(record.get("period", "")))


def title(record: dict[str, Any]) -> str:
    return str(record.get("title_en", record["title"]))


@pytest.fixture(scope="module")
def layout() -> Layout:
    return lay_out(BUNDLED, BUNDLED.engagements)


# -- colours ------------------------------------------------------------------------


def test_a_donor_takes_the_home_colour_its_id_picks() -> None:
    # The rule as the docs state it: CRC-32 of the id, modulo the palette.
    for donor in ("BE", "LU", "CH", "some-new-donor"):
        home = PALETTE[zlib.crc32(donor.encode()) % len(PALETTE)]
        assert donor_colours([donor]) == {donor: home}


def test_a_taken_home_passes_the_donor_to_the_next_free_colour() -> None:
    # "BE" and "CA" share a home (7): the later takes the next free one (0).
    assert zlib.crc32(b"BE") % 8 == zlib.crc32(b"CA") % 8 == 7
    assert donor_colours(["BE", "CA"]) == {"BE": PALETTE[7], "CA": PALETTE[0]}
    assert donor_colours(["CA", "BE"]) == {"CA": PALETTE[7], "BE": PALETTE[0]}


ids = st.text(alphabet="ABCDEFGHIJKLMNOPQRSTUVWXYZ-abc", min_size=1, max_size=8)


@given(st.lists(ids, unique=True, max_size=len(PALETTE)))
def test_donors_of_one_dataset_have_colours_of_their_own(donors: list[str]) -> None:
    colours = donor_colours(donors)
    assert colours.keys() == set(donors)
    assert len(set(colours.values())) == len(donors)
    assert set(colours.values()) <= set(PALETTE)


@given(st.lists(ids, unique=True, min_size=len(PALETTE) + 1, max_size=20))
def test_past_the_palette_colours_repeat_but_every_donor_has_one(
    donors: list[str],
) -> None:
    colours = donor_colours(donors)
    assert colours.keys() == set(donors)
    assert set(colours.values()) == set(PALETTE)


@given(st.sets(st.sampled_from([record["id"] for record in ENGAGEMENTS])), st.randoms())
def test_a_donor_keeps_its_colour_whatever_is_drawn(
    chosen: set[str], random: Any
) -> None:
    full = {g.donor: g.colour for g in lay_out(BUNDLED, BUNDLED.engagements).groups}
    records = [BUNDLED.engagement(id) for id in sorted(chosen)]
    random.shuffle(records)
    for group in lay_out(BUNDLED, records, overlaps=False).groups:
        assert group.colour == full[group.donor]


def test_each_donor_of_the_bundled_data_has_its_own_colour(layout: Layout) -> None:
    colours = {group.donor: group.colour for group in layout.groups}
    assert colours.keys() == {"BE", "LU", "CH", None}
    assert colours[None] == UNKNOWN_COLOUR
    assert len(set(colours.values())) == 4


# -- overlap shading ----------------------------------------------------------------


def test_shading_only_between_engagements_whose_funders_are_named(
    layout: Layout,
) -> None:
    shaded = {lane.engagement.id for lane in layout.lanes if lane.shared}
    pairs = find_overlaps(BUNDLED.engagements, data=BUNDLED)
    kept = [p for p in pairs if funded(BY_ID[p.first]) and funded(BY_ID[p.second])]
    assert shaded == {p.first for p in kept} | {p.second for p in kept}
    # Pairs with an unknown donor exist, so the rule is tested, not idle.
    assert len(kept) < len(pairs)
    assert shaded


def world(*engagements: Engagement) -> Dataset:
    return Dataset(
        organisations=[
            Organisation(id=name, name=f"Country {name}", kind="state") for name in "AB"
        ],
        places=[Place(id="ML", name="Mali", level="country")],
        sectors=[Sector(id="health", name="Health")],
        engagements=list(engagements),
    )


def engagement(id: str, funder: str | None, **more: Any) -> Engagement:
    participants = (
        [] if funder is None else [Participant(organisation=funder, role="funding")]
    )
    return Engagement(
        id=id,
        title=f"Engagement {id}",
        kind="project",
        participants=participants,
        places=[PlaceShare(place="ML")],
        sectors=[SectorShare(sector="health")],
        **({"period": Period.parse("2015/2019")} | more),
    )


def shaded(data: Dataset) -> set[str]:
    return {
        lane.engagement.id
        for lane in lay_out(data, data.engagements).lanes
        if lane.shared
    }


def test_two_known_donors_are_shaded_an_unknown_one_is_not() -> None:
    data = world(engagement("a", "A"), engagement("b", "B"), engagement("u", None))
    # find_overlaps pairs the unknown donor with both; the chart shades a-b only.
    assert len(find_overlaps(data.engagements, data=data)) == 3
    assert shaded(data) == {"a", "b"}


def test_parts_of_one_programme_are_one_donor() -> None:
    # Two parts of A's programme whose funder no source names: one donor,
    # so no pair and no shading between them; nor with B, being unknown.
    data = world(
        engagement("programme", "A", period=Period.parse("2010/2020")),
        engagement("part-1", None, part_of="programme"),
        engagement("part-2", None, part_of="programme"),
        engagement("b", "B"),
    )
    pairs = find_overlaps(data.engagements, data=data)
    assert pairs.between_ids("part-1", "part-2") is None
    assert pairs.between_ids("part-1", "b") is not None
    assert shaded(data) == {"programme", "b"}


def test_no_shading_without_overlaps() -> None:
    data = world(engagement("a", "A"), engagement("b", "B"))
    assert all(
        not lane.shared
        for lane in lay_out(data, data.engagements, overlaps=False).lanes
    )
    assert "shared" not in lay_out(data, data.engagements, overlaps=False).legend


# -- planned work ------------------------------------------------------------------


def test_planned_engagements_are_flagged(layout: Layout) -> None:
    planned = {lane.engagement.id for lane in layout.lanes if lane.planned}
    assert planned == {r["id"] for r in ENGAGEMENTS if r.get("status") == "planned"}
    assert planned == {"be-defence-minusma-2018"}
    [lane] = [lane for lane in layout.lanes if lane.planned]
    assert lane.label.endswith("(planned)")
    assert "planned" in layout.legend


def test_a_planned_undated_engagement_says_so_in_the_list() -> None:
    data = world(engagement("a", "A", period=None, status="planned"))
    [entry] = lay_out(data, data.engagements).undated
    assert entry.lines == ("Country A: Engagement a (planned)",)


# -- wrapping ----------------------------------------------------------------------


words = st.lists(
    st.text(alphabet="abcdefghij-é…", min_size=1, max_size=30), min_size=1, max_size=30
)


@given(
    words, st.integers(min_value=1, max_value=80), st.sampled_from([" ", "  ", "\n"])
)
def test_wrapped_lines_fit_and_leave_nothing_out(
    parts: list[str], width: int, space: str
) -> None:
    lines = wrap(space.join(parts), width)
    assert all(0 < len(line) <= width for line in lines)
    # Joined again, the lines give the words back, each whole unless it is
    # longer than a line.
    assert "".join(lines).replace(" ", "") == "".join(parts)
    if all(len(part) <= width for part in parts):
        assert " ".join(lines) == " ".join(parts)


def test_every_label_says_the_whole_title_in_lines_that_fit(layout: Layout) -> None:
    long = 0
    for lane in layout.lanes:
        assert all(
            len(line) <= LABEL_CHARACTERS - 3 * lane.depth for line in lane.lines
        )
        assert lane.label.startswith(title(BY_ID[lane.engagement.id]))
        long += len(lane.lines) > 1
    assert long >= 3
    [minusma] = [lane for lane in layout.lanes if lane.engagement.id == "minusma"]
    assert minusma.label == title(BY_ID["minusma"])
    assert len(minusma.lines) == 2


def test_rows_follow_one_another_without_gap_or_overlap(layout: Layout) -> None:
    slots = []
    for group in layout.drawn:
        slots.append((group.y, group.height))
        slots.extend((lane.y, lane.height) for lane in group.lanes)
    assert slots[0][0] - slots[0][1] / 2 == pytest.approx(-0.5)
    for (y, height), (next_y, next_height) in pairwise(slots):
        assert y + height / 2 == pytest.approx(next_y - next_height / 2)
    last_y, last_height = slots[-1]
    assert layout.rows == pytest.approx(last_y + last_height / 2 + 0.5)
    for lane in layout.lanes:
        assert lane.height == pytest.approx(1 + 0.55 * (len(lane.lines) - 1))


def test_the_undated_list_fills_its_columns_in_order(layout: Layout) -> None:
    undated = [r["id"] for r in ENGAGEMENTS if not dated(r)]
    entries = layout.undated
    assert {entry.engagement.id for entry in entries} == set(undated)
    assert layout.undated_columns == 2  # nine entries
    for before, after in pairwise(entries):
        if before.column == after.column:
            assert after.line == before.line + len(before.lines)
        else:
            assert (after.column, after.line) == (before.column + 1, 0)
    assert layout.undated_lines == max(e.line + len(e.lines) for e in entries)


# -- without matplotlib ------------------------------------------------------------


def test_the_layout_needs_no_matplotlib() -> None:
    code = (
        "import sys; sys.modules['matplotlib'] = None\n"
        "import mali_aid\n"
        "from mali_aid._timeline_layout import lay_out\n"
        "data = mali_aid.load()\n"
        "layout = lay_out(data, data.engagements)\n"
        "print(len(layout.lanes), [k for k, v in sys.modules.items() if 'matplotlib' in k and v])\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    # One lane per dated engagement and donor (the unknown donor counts one).
    lanes = sum(max(1, len(donors(r))) for r in ENGAGEMENTS if dated(r))
    assert result.stdout.split() == [str(lanes), "[]"]
