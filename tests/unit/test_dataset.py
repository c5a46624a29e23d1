"""The loader and the Dataset, on small data directories written here.

The bundled data is never read: tests that need "the bundled data" point the
loader at a directory of their own.
"""

from __future__ import annotations

import re
import subprocess
import sys
import textwrap
import threading
import time
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import attrs
import pytest

import mali_aid
from mali_aid import (
    Channel,
    DataError,
    Dataset,
    Engagement,
    Organisation,
    Participant,
    PlaceLevel,
    UnknownIdError,
    _loading,
    load,
)

SOURCES = """
[[sources]]
id = "report-a"
title = "Cooperation report A"
publisher = "Ministry A"
language = "en"
paragraphs = 12

[[sources]]
id = "page-b"
title = "Page B"
publisher = "Agency B"
language = "fr"
paragraphs = 3
"""

ORGANISATIONS = """
[[organisations]]
id = "BE"
name = "Belgium"
kind = "state"
country = "BE"
citations = [{ source = "report-a", paragraph = 1 }]

[[organisations]]
id = "be-defence"
name = "Belgian Defence"
kind = "armed-forces"
country = "BE"
parent = "BE"

[[organisations]]
id = "be-bffs"
name = "Belgian Fund for Food Security"
kind = "fund"
parent = "BE"

[[organisations]]
id = "LU"
name = "Luxembourg"
kind = "state"

[[organisations]]
id = "luxdev"
name = "LuxDev"
kind = "agency"
parent = "LU"

[[organisations]]
id = "luxdev-bamako"
name = "LuxDev office in Bamako"
kind = "agency"
parent = "luxdev"

[[organisations]]
id = "CH"
name = "Switzerland"
kind = "state"

[[organisations]]
id = "ML"
name = "Mali"
kind = "state"

[[organisations]]
id = "fcm"
name = "Federation of Canadian Municipalities"
kind = "municipal-association"
"""

PLACES = """
[[places]]
id = "ML"
name = "Mali"
level = "country"
iso_code = "ML"

[[places]]
id = "ML-3"
name = "Sikasso"
level = "region"
parent = "ML"

[[places]]
id = "yorosso"
name = "Yorosso"
level = "cercle"
parent = "ML-3"

[[places]]
id = "sikasso-cercle"
name = "Sikasso"
level = "cercle"
parent = "ML-3"

[[places]]
id = "sikasso-city"
name = "Sikasso"
level = "city"
parent = "sikasso-cercle"

[[places]]
id = "ML-4"
name = "Ségou"
level = "region"
parent = "ML"

[[places]]
id = "ML-BKO"
name = "Bamako"
level = "district"
parent = "ML"

[[places]]
id = "BF"
name = "Burkina Faso"
level = "country"

[[places]]
id = "ouahigouya"
name = "Ouahigouya"
level = "city"
parent = "BF"
"""

SECTORS = """
[[sectors]]
id = "agriculture"
name = "Agriculture"
dac_code = "311"

[[sectors]]
id = "health"
name = "Health"
dac_code = "121"

[[sectors]]
id = "security"
name = "Security"
dac_code = "152"
citations = [{ source = "page-b", paragraph = 2 }]
"""

THEMES = """
[[themes]]
id = "gender"
name = "Gender"
"""

ENGAGEMENTS = """
[[engagements]]
id = "be-programme"
title = "Programme de coopération 2009-2012"
kind = "programme"
participants = [{ organisation = "BE", role = "funding" }]
period = "2009/2014"
original_period = "2009/2012"
amounts = [{ money = "50500000 EUR", kind = "envelope" }]
channel = "bilateral"
sectors = [{ sector = "agriculture" }]
places = [{ place = "ML-3" }, { place = "ML-BKO" }]
themes = ["gender"]
citations = [{ source = "report-a", paragraph = 2 }]

[[engagements]]
id = "be-eutm"
title = "Belgian contingent in EUTM"
kind = "deployment"
participants = [{ organisation = "be-defence", role = "funding" }]
period = "2013-02/2018-01"
channel = "security-defence"
sectors = [{ sector = "security" }]
places = [{ place = "ML" }]

[[engagements]]
id = "lu-icp-ii"
title = "ICP II"
kind = "programme"
participants = [
    { organisation = "LU", role = "funding" },
    { organisation = "luxdev", role = "implementing" },
]
period = "2007/2011"
channel = "bilateral"
places = [{ place = "ML-4" }]

[[engagements]]
id = "lu-icp-iii"
title = "ICP III"
kind = "programme"
participants = [
    { organisation = "LU", role = "funding" },
    { organisation = "luxdev-bamako", role = "implementing" },
]
period = "2015/2019"
amounts = [{ money = "55000000 EUR", kind = "envelope" }]
channel = "bilateral"
sectors = [{ sector = "agriculture" }]
places = [{ place = "ML-4" }, { place = "yorosso" }]
follows = "lu-icp-ii"

[[engagements]]
id = "lu-agro-ii"
title = "Agropastoral programme, phase II"
kind = "programme"
participants = [
    { organisation = "LU", role = "funding", share = "1/2" },
    { organisation = "CH", role = "funding", share = "1/2" },
    { organisation = "luxdev", role = "implementing" },
]
active_in = [2024]
channel = "bilateral"
sectors = [{ sector = "agriculture" }]
places = [{ place = "ML-3" }]

[[engagements]]
id = "lu-envelope-2023"
title = "Envelope 2023-2024"
kind = "envelope"
participants = [{ organisation = "LU", role = "funding" }]
period = "2023/2024"
amounts = [{ money = "42000000 EUR", kind = "envelope" }]
channel = "mixed"

[[engagements]]
id = "lu-humanitarian-2024"
title = "Humanitarian aid 2024"
kind = "contribution"
participants = [{ organisation = "LU", role = "funding" }]
period = "2024"
amounts = [{ money = "4000000 EUR", kind = "contribution" }]
channel = "humanitarian"
part_of = "lu-envelope-2023"

[[engagements]]
id = "lu-floods-2024"
title = "Flood response 2024"
kind = "contribution"
participants = [{ organisation = "LU", role = "funding" }]
active_in = [2024]
amounts = [{ money = "250000 EUR", kind = "contribution" }]
channel = "humanitarian"
part_of = "lu-envelope-2023"

[[engagements]]
id = "mped"
title = "Municipal Partners for Economic Development"
kind = "programme"
participants = [{ organisation = "fcm", role = "implementing" }]
period = "../2017"
channel = "decentralised"
places = [{ place = "ML-BKO" }, { place = "ouahigouya" }]
"""

EVENTS = """
[[events]]
id = "eutm-command"
title = "Belgium holds the command of EUTM"
kind = "command"
date = "2016-03/2018-01"
actors = ["be-defence"]
places = ["ML"]
engagements = ["be-eutm"]
citations = [{ source = "page-b", paragraph = 3 }]
"""

INDICATORS = """
[[indicators]]
id = "hdi-rank"
name = "Human development index rank"
value = 186
out_of = 191
unit = "rank"
place = "ML"
reported_in = "Human Development Report"
citations = [{ source = "report-a", paragraph = 12 }]

[[indicators]]
id = "share-figure"
name = "A share"
value = 21.90
unit = "percent"
place = "ML"
"""

BASE = {
    "sources.toml": SOURCES,
    "organisations.toml": ORGANISATIONS,
    "places.toml": PLACES,
    "sectors.toml": SECTORS,
    "themes.toml": THEMES,
    "engagements.toml": ENGAGEMENTS,
    "events.toml": EVENTS,
    "indicators.toml": INDICATORS,
}


def write(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return directory


def with_extra(name: str, extra: str) -> dict[str, str]:
    """The base files, with ``extra`` appended to file ``name``."""
    files = dict(BASE)
    files[name] = files[name] + textwrap.dedent(extra)
    return files


def failure(directory: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        load(directory)
    return caught.value


@pytest.fixture
def base_dir(tmp_path: Path) -> Path:
    return write(tmp_path / "data", BASE)


@pytest.fixture
def data(base_dir: Path) -> Dataset:
    return load(base_dir)


@pytest.fixture
def bundled(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the loader take a directory of ours for the bundled data."""
    directory = write(tmp_path / "bundled", BASE)
    monkeypatch.setattr(_loading, "_bundled_root", lambda: directory)
    monkeypatch.setattr(_loading, "_bundled", None)
    return directory


def ids(records: tuple[Engagement, ...]) -> list[str]:
    return [record.id for record in records]


# -- reading ------------------------------------------------------------------------


class TestReading:
    def test_each_kind_in_file_order(self, data: Dataset) -> None:
        assert [s.id for s in data.sources] == ["report-a", "page-b"]
        assert [o.id for o in data.organisations] == [
            "BE",
            "be-defence",
            "be-bffs",
            "LU",
            "luxdev",
            "luxdev-bamako",
            "CH",
            "ML",
            "fcm",
        ]
        assert [p.id for p in data.places] == [
            "ML",
            "ML-3",
            "yorosso",
            "sikasso-cercle",
            "sikasso-city",
            "ML-4",
            "ML-BKO",
            "BF",
            "ouahigouya",
        ]
        assert [s.id for s in data.sectors] == ["agriculture", "health", "security"]
        assert [t.id for t in data.themes] == ["gender"]
        assert ids(data.engagements) == [
            "be-programme",
            "be-eutm",
            "lu-icp-ii",
            "lu-icp-iii",
            "lu-agro-ii",
            "lu-envelope-2023",
            "lu-humanitarian-2024",
            "lu-floods-2024",
            "mped",
        ]
        assert [e.id for e in data.events] == ["eutm-command"]
        assert [i.id for i in data.indicators] == ["hdi-rank", "share-figure"]
        assert isinstance(data.engagements, tuple)

    def test_figures_never_pass_through_a_float(self, data: Dataset) -> None:
        figure = data.indicator("share-figure").value
        assert type(figure) is Decimal
        assert str(figure) == "21.90"
        assert data.indicator("hdi-rank").out_of == Decimal(191)

    def test_a_missing_file_means_no_records_of_that_kind(self, tmp_path: Path) -> None:
        directory = write(
            tmp_path, {"sources.toml": SOURCES, "organisations.toml": ORGANISATIONS}
        )
        data = load(directory)
        assert len(data.sources) == 2
        assert len(data.organisations) == 9
        assert data.places == ()
        assert data.engagements == ()
        assert data.indicators == ()

    def test_an_empty_directory_is_an_empty_dataset(self, tmp_path: Path) -> None:
        assert load(tmp_path) == Dataset()

    def test_other_files_are_ignored(self, base_dir: Path) -> None:
        (base_dir / "README.md").write_text("notes", encoding="utf-8")
        (base_dir / "notes.txt").write_text("[[not toml", encoding="utf-8")
        assert len(load(base_dir).engagements) == 9

    def test_a_toml_file_with_another_name_is_refused(self, base_dir: Path) -> None:
        (base_dir / "engagement.toml").write_text(ENGAGEMENTS, encoding="utf-8")
        error = failure(base_dir)
        assert error.file == str(base_dir / "engagement.toml")
        assert "engagements.toml" in error.reason

    def test_a_missing_directory_is_a_data_error(self, tmp_path: Path) -> None:
        error = failure(tmp_path / "nowhere")
        assert error.file == str(tmp_path / "nowhere")
        assert error.reason == "not a directory"

    def test_accepts_a_string_path(self, base_dir: Path) -> None:
        assert load(str(base_dir)) == load(base_dir)

    def test_each_call_reads_the_directory_again(self, base_dir: Path) -> None:
        first = load(base_dir)
        (base_dir / "themes.toml").write_text(
            THEMES + '\n[[themes]]\nid = "climate"\nname = "Climate"\n',
            encoding="utf-8",
        )
        second = load(base_dir)
        assert len(first.themes) == 1
        assert [theme.id for theme in second.themes] == ["gender", "climate"]


class TestFileErrors:
    def test_malformed_toml_names_the_file_and_line(self, tmp_path: Path) -> None:
        files = dict(BASE)
        files["events.toml"] = '[[events]]\nid = "x"\ntitle = \n'
        directory = write(tmp_path, files)
        error = failure(directory)
        assert error.file == str(directory / "events.toml")
        assert error.record is None
        assert error.reason.startswith("not valid TOML")
        assert "line 3" in error.reason

    def test_text_that_is_not_utf8(self, base_dir: Path) -> None:
        (base_dir / "themes.toml").write_bytes(b'[[themes]]\nid = "\xff"\n')
        error = failure(base_dir)
        assert error.file == str(base_dir / "themes.toml")
        assert "UTF-8" in error.reason

    def test_wrong_top_level_key(self, tmp_path: Path) -> None:
        files = dict(BASE)
        files["themes.toml"] = '[[theme]]\nid = "gender"\nname = "Gender"\n'
        directory = write(tmp_path, files)
        error = failure(directory)
        assert error.file == str(directory / "themes.toml")
        assert "'theme'" in error.reason

    @pytest.mark.parametrize(
        "text",
        [
            "themes = 5\n",
            '[themes]\nid = "gender"\nname = "Gender"\n',
            "themes = [1]\n",
        ],
    )
    def test_kind_must_be_an_array_of_tables(self, tmp_path: Path, text: str) -> None:
        files = dict(BASE)
        files["themes.toml"] = text
        directory = write(tmp_path, files)
        error = failure(directory)
        assert error.file == str(directory / "themes.toml")
        assert "array of tables" in error.reason

    def test_an_empty_file_holds_no_records(self, tmp_path: Path) -> None:
        files = dict(BASE)
        files["themes.toml"] = "# no themes yet\n"
        files["engagements.toml"] = ENGAGEMENTS.replace('themes = ["gender"]\n', "")
        directory = write(tmp_path, files)
        assert load(directory).themes == ()


# -- validation of each record ---------------------------------------------------------

BROKEN_RECORDS = [
    pytest.param(
        "sources.toml",
        """
        [[sources]]
        id = "bad-source"
        title = "T"
        publisher = "P"
        language = "en"
        paragraphs = "12"
        """,
        "bad-source",
        "paragraphs",
        "is not an int",
        id="wrong-type",
    ),
    pytest.param(
        "engagements.toml",
        """
        [[engagements]]
        id = "bad-money"
        title = "T"
        kind = "project"
        amounts = [{ money = "5 ZZZ", kind = "budget" }]
        """,
        "bad-money",
        "amounts[0].money",
        "unknown currency code 'ZZZ'",
        id="unknown-currency",
    ),
    pytest.param(
        "engagements.toml",
        """
        [[engagements]]
        id = "bad-shares"
        title = "T"
        kind = "project"
        participants = [
            { organisation = "LU", role = "funding", share = "1/2" },
            { organisation = "CH", role = "funding", share = "1/3" },
        ]
        """,
        "bad-shares",
        "participants",
        "funding shares sum to 5/6, not 1",
        id="shares-not-one",
    ),
    pytest.param(
        "engagements.toml",
        """
        [[engagements]]
        id = "bad-field"
        title = "T"
        kind = "project"
        budget = 5
        """,
        "bad-field",
        None,
        "unknown field(s): budget",
        id="unknown-field",
    ),
    pytest.param(
        "events.toml",
        """
        [[events]]
        id = "bad-date"
        title = "T"
        kind = "coup"
        date = "2012-13"
        """,
        "bad-date",
        "date",
        "2012-13",
        id="bad-period",
    ),
]


@pytest.mark.parametrize(("name", "extra", "record", "field", "reason"), BROKEN_RECORDS)
def test_a_broken_record(
    tmp_path: Path,
    name: str,
    extra: str,
    record: str,
    field: str | None,
    reason: str,
) -> None:
    directory = write(tmp_path, with_extra(name, extra))
    error = failure(directory)
    assert (error.file, error.record, error.field) == (
        str(directory / name),
        record,
        field,
    )
    assert reason in error.reason


def test_a_record_without_an_id_is_named_by_its_place(tmp_path: Path) -> None:
    extra = """
    [[themes]]
    name = "No id"
    """
    directory = write(tmp_path, with_extra("themes.toml", extra))
    error = failure(directory)
    assert (error.file, error.record, error.field) == (
        str(directory / "themes.toml"),
        None,
        "id",
    )
    assert "(table 2 of [[themes]])" in error.reason


# -- ids ---------------------------------------------------------------------------------


def test_an_id_twice_in_one_kind(tmp_path: Path) -> None:
    extra = """
    [[organisations]]
    id = "LU"
    name = "Luxembourg again"
    kind = "state"
    """
    directory = write(tmp_path, with_extra("organisations.toml", extra))
    error = failure(directory)
    assert (error.file, error.record, error.field) == (
        str(directory / "organisations.toml"),
        "LU",
        "id",
    )
    assert "another organisation already has the id 'LU'" in error.reason


def test_ids_are_unique_per_kind_only(data: Dataset) -> None:
    assert data.place("ML").name == "Mali"
    assert data.place("ML").level is PlaceLevel.COUNTRY
    assert data.organisation("ML").name == "Mali"
    assert data.organisation("ML").kind == "state"


# -- references ---------------------------------------------------------------------------

ENGAGEMENT_HEAD = """
[[engagements]]
id = "broken"
title = "T"
kind = "project"
"""

BROKEN_REFERENCES = [
    pytest.param(
        "engagements.toml",
        ENGAGEMENT_HEAD
        + """participants = [
            { organisation = "LU", role = "funding" },
            { organisation = "luxdevv", role = "implementing" },
        ]
        """,
        "broken",
        "participants[1].organisation",
        "no organisation has the id 'luxdevv'; did you mean 'luxdev'",
        id="participant",
    ),
    pytest.param(
        "engagements.toml",
        ENGAGEMENT_HEAD + 'places = [{ place = "ML-3" }, { place = "ML-9" }]\n',
        "broken",
        "places[1].place",
        "no place has the id 'ML-9'",
        id="place",
    ),
    pytest.param(
        "engagements.toml",
        ENGAGEMENT_HEAD + 'sectors = [{ sector = "education" }]\n',
        "broken",
        "sectors[0].sector",
        "no sector has the id 'education'",
        id="sector",
    ),
    pytest.param(
        "engagements.toml",
        ENGAGEMENT_HEAD + 'themes = ["gender", "climate"]\n',
        "broken",
        "themes[1]",
        "no theme has the id 'climate'",
        id="theme",
    ),
    pytest.param(
        "engagements.toml",
        ENGAGEMENT_HEAD + 'part_of = "lu-envelope-2025"\n',
        "broken",
        "part_of",
        "no engagement has the id 'lu-envelope-2025'",
        id="part_of",
    ),
    pytest.param(
        "engagements.toml",
        ENGAGEMENT_HEAD + 'follows = "lu-icp-i"\n',
        "broken",
        "follows",
        "no engagement has the id 'lu-icp-i'",
        id="follows",
    ),
    pytest.param(
        "engagements.toml",
        ENGAGEMENT_HEAD
        + 'citations = [{ source = "report-a", paragraph = 1 }, { source = "report-c", paragraph = 1 }]\n',
        "broken",
        "citations[1].source",
        "no source has the id 'report-c'",
        id="citation-source",
    ),
    pytest.param(
        "engagements.toml",
        ENGAGEMENT_HEAD
        + 'citations = [{ source = "report-x", locator = "activity/1" }]\n',
        "broken",
        "citations[0].source",
        "no source has the id 'report-x'",
        id="citation-source-with-locator",
    ),
    pytest.param(
        "organisations.toml",
        """
        [[organisations]]
        id = "broken"
        name = "N"
        kind = "agency"
        parent = "NL"
        """,
        "broken",
        "parent",
        "no organisation has the id 'NL'",
        id="organisation-parent",
    ),
    pytest.param(
        "places.toml",
        """
        [[places]]
        id = "broken"
        name = "N"
        level = "cercle"
        parent = "ML-5"
        """,
        "broken",
        "parent",
        "no place has the id 'ML-5'",
        id="place-parent",
    ),
    pytest.param(
        "events.toml",
        """
        [[events]]
        id = "broken"
        title = "T"
        kind = "coup"
        date = "2012-03-22"
        actors = ["ML", "ECOWAS"]
        """,
        "broken",
        "actors[1]",
        "no organisation has the id 'ECOWAS'",
        id="event-actor",
    ),
    pytest.param(
        "events.toml",
        """
        [[events]]
        id = "broken"
        title = "T"
        kind = "coup"
        date = "2012-03-22"
        places = ["kati"]
        """,
        "broken",
        "places[0]",
        "no place has the id 'kati'",
        id="event-place",
    ),
    pytest.param(
        "events.toml",
        """
        [[events]]
        id = "broken"
        title = "T"
        kind = "extension"
        date = "2016-03"
        engagements = ["be-eutm", "eutm"]
        """,
        "broken",
        "engagements[1]",
        "no engagement has the id 'eutm'",
        id="event-engagement",
    ),
    pytest.param(
        "indicators.toml",
        """
        [[indicators]]
        id = "broken"
        name = "N"
        value = 1
        unit = "rank"
        place = "MLI"
        """,
        "broken",
        "place",
        "no place has the id 'MLI'",
        id="indicator-place",
    ),
    pytest.param(
        "sectors.toml",
        """
        [[sectors]]
        id = "broken"
        name = "N"
        citations = [{ source = "nowhere", paragraph = 1 }]
        """,
        "broken",
        "citations[0].source",
        "no source has the id 'nowhere'",
        id="sector-citation",
    ),
    pytest.param(
        "themes.toml",
        """
        [[themes]]
        id = "broken"
        name = "N"
        citations = [{ source = "page-c", paragraph = 1 }]
        """,
        "broken",
        "citations[0].source",
        "no source has the id 'page-c'; did you mean 'page-b'",
        id="theme-citation",
    ),
]


@pytest.mark.parametrize(
    ("name", "extra", "record", "field", "reason"), BROKEN_REFERENCES
)
def test_every_reference_must_resolve(
    tmp_path: Path, name: str, extra: str, record: str, field: str, reason: str
) -> None:
    directory = write(tmp_path, with_extra(name, extra))
    error = failure(directory)
    assert (error.file, error.record, error.field) == (
        str(directory / name),
        record,
        field,
    )
    assert reason in error.reason


class TestParagraphs:
    def test_a_paragraph_beyond_the_source(self, tmp_path: Path) -> None:
        extra = ENGAGEMENT_HEAD + (
            'citations = [{ source = "report-a", paragraph = 12 },'
            ' { source = "page-b", paragraph = 4 }]\n'
        )
        directory = write(tmp_path, with_extra("engagements.toml", extra))
        error = failure(directory)
        assert (error.file, error.record, error.field) == (
            str(directory / "engagements.toml"),
            "broken",
            "citations[1].paragraph",
        )
        assert "paragraph 4 is beyond the 3 paragraphs of source 'page-b'" in (
            error.reason
        )

    def test_the_last_paragraph_is_within(self, tmp_path: Path) -> None:
        extra = ENGAGEMENT_HEAD + 'citations = [{ source = "page-b", paragraph = 3 }]\n'
        data = load(write(tmp_path, with_extra("engagements.toml", extra)))
        assert data.engagement("broken").citations[0].paragraph == 3

    def test_in_a_place_record(self, tmp_path: Path) -> None:
        extra = """
        [[places]]
        id = "kadiolo"
        name = "Kadiolo"
        level = "commune"
        parent = "ML-3"
        citations = [{ source = "report-a", paragraph = 13 }]
        """
        directory = write(tmp_path, with_extra("places.toml", extra))
        error = failure(directory)
        assert (error.file, error.record, error.field) == (
            str(directory / "places.toml"),
            "kadiolo",
            "citations[0].paragraph",
        )


# -- cycles -------------------------------------------------------------------------------


class TestCycles:
    def test_part_of(self, tmp_path: Path) -> None:
        extra = """
        [[engagements]]
        id = "leads-in"
        title = "T"
        kind = "project"
        part_of = "cycle-a"

        [[engagements]]
        id = "cycle-a"
        title = "T"
        kind = "project"
        part_of = "cycle-b"

        [[engagements]]
        id = "cycle-b"
        title = "T"
        kind = "project"
        part_of = "cycle-a"
        """
        directory = write(tmp_path, with_extra("engagements.toml", extra))
        error = failure(directory)
        assert (error.file, error.record, error.field) == (
            str(directory / "engagements.toml"),
            "cycle-a",
            "part_of",
        )
        assert error.reason == "part_of makes a cycle: cycle-a -> cycle-b -> cycle-a"

    def test_follows(self, tmp_path: Path) -> None:
        files = dict(BASE)
        files["engagements.toml"] = ENGAGEMENTS.replace(
            'id = "lu-icp-ii"\n', 'id = "lu-icp-ii"\nfollows = "lu-icp-iv"\n'
        ) + textwrap.dedent(
            """
            [[engagements]]
            id = "lu-icp-iv"
            title = "ICP IV"
            kind = "programme"
            follows = "lu-icp-iii"
            """
        )
        directory = write(tmp_path, files)
        error = failure(directory)
        assert (error.file, error.record, error.field) == (
            str(directory / "engagements.toml"),
            "lu-icp-ii",
            "follows",
        )
        assert error.reason == (
            "follows makes a cycle: lu-icp-ii -> lu-icp-iv -> lu-icp-iii -> lu-icp-ii"
        )

    def test_place_tree(self, tmp_path: Path) -> None:
        files = dict(BASE)
        files["places.toml"] = PLACES.replace(
            'level = "country"\niso_code = "ML"\n',
            'level = "country"\niso_code = "ML"\nparent = "yorosso"\n',
        )
        assert files["places.toml"] != PLACES
        directory = write(tmp_path, files)
        error = failure(directory)
        assert (error.file, error.record, error.field) == (
            str(directory / "places.toml"),
            "ML",
            "parent",
        )
        assert error.reason == "parent makes a cycle: ML -> yorosso -> ML-3 -> ML"

    def test_organisation_tree(self, tmp_path: Path) -> None:
        # The walk from org-lead meets the loop at org-y; the error names
        # org-x, the loop's first record in the file.
        extra = """
        [[organisations]]
        id = "org-lead"
        name = "Lead"
        kind = "agency"
        parent = "org-y"

        [[organisations]]
        id = "org-x"
        name = "X"
        kind = "agency"
        parent = "org-y"

        [[organisations]]
        id = "org-y"
        name = "Y"
        kind = "agency"
        parent = "org-x"
        """
        directory = write(tmp_path, with_extra("organisations.toml", extra))
        error = failure(directory)
        assert (error.file, error.record, error.field) == (
            str(directory / "organisations.toml"),
            "org-x",
            "parent",
        )
        assert error.reason == "parent makes a cycle: org-x -> org-y -> org-x"

    def test_a_link_to_itself(self, tmp_path: Path) -> None:
        extra = ENGAGEMENT_HEAD + 'part_of = "broken"\n'
        directory = write(tmp_path, with_extra("engagements.toml", extra))
        error = failure(directory)
        assert (error.record, error.field) == ("broken", "part_of")


# -- nothing half-loaded -------------------------------------------------------------


class TestBundled:
    def test_read_once_and_cached(self, bundled: Path) -> None:
        first = load()
        assert len(first.engagements) == 9
        (bundled / "engagements.toml").unlink()
        assert load() is first

    def test_bundled_files_are_named_without_their_path(self, bundled: Path) -> None:
        (bundled / "themes.toml").write_text("[[themes]]\nid = 5\n", encoding="utf-8")
        error = failure_of(load)
        assert error.file == "themes.toml"

    def test_a_failed_first_load_caches_nothing(self, bundled: Path) -> None:
        good = (bundled / "sectors.toml").read_text(encoding="utf-8")
        (bundled / "sectors.toml").write_text(good + "\n[[", encoding="utf-8")
        with pytest.raises(DataError):
            load()
        assert _loading._bundled is None
        (bundled / "sectors.toml").write_text(good, encoding="utf-8")
        assert len(load().sectors) == 3

    def test_first_load_from_many_threads_reads_once(
        self, bundled: Path, monkeypatch: pytest.MonkeyPatch
    ) -> None:
        reads: list[int] = []
        read = _loading._read_bundled

        def slow_read() -> _loading._Tables:
            reads.append(1)
            time.sleep(0.05)
            return read()

        monkeypatch.setattr(_loading, "_read_bundled", slow_read)
        results: list[Dataset] = []
        threads = [
            threading.Thread(target=lambda: results.append(load())) for _ in range(8)
        ]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert len(reads) == 1
        assert len(results) == 8
        assert all(result is results[0] for result in results)

    def test_a_failing_load_leaves_the_bundled_data_untouched(
        self, bundled: Path, tmp_path: Path
    ) -> None:
        before = load()
        user = write(
            tmp_path / "user",
            {"engagements.toml": ENGAGEMENT_HEAD + 'part_of = "nowhere"\n'},
        )
        with pytest.raises(DataError):
            load(user, merge=True)
        with pytest.raises(DataError):
            load(user)
        assert load() is before
        assert _loading._bundled is before
        assert len(before.engagements) == 9
        assert before.engagement("broken", default=None) is None


def failure_of(call: object) -> DataError:
    assert callable(call)
    with pytest.raises(DataError) as caught:
        call()
    return caught.value


# -- merge ----------------------------------------------------------------------------


class TestMerge:
    def test_adds_the_users_records_after_the_bundled_ones(
        self, bundled: Path, tmp_path: Path
    ) -> None:
        user = write(
            tmp_path / "user",
            {
                "organisations.toml": """
                [[organisations]]
                id = "lu-ngo"
                name = "A Luxembourg NGO"
                kind = "ngo"
                parent = "LU"
                """,
                "engagements.toml": """
                [[engagements]]
                id = "lu-ngo-2024"
                title = "NGO framework agreement"
                kind = "project"
                participants = [
                    { organisation = "LU", role = "funding" },
                    { organisation = "lu-ngo", role = "implementing" },
                ]
                places = [{ place = "yorosso" }]
                active_in = [2024]
                """,
            },
        )
        data = load(user, merge=True)
        assert [o.id for o in data.organisations][-2:] == ["fcm", "lu-ngo"]
        assert ids(data.engagements)[-2:] == ["mped", "lu-ngo-2024"]
        assert len(data.engagements) == 10
        assert ids(data.select(implementer="LU", place="ML-3")) == [
            "lu-icp-iii",
            "lu-agro-ii",
            "lu-ngo-2024",
        ]
        assert load() is not data
        assert len(load().engagements) == 9

    def test_refuses_an_id_clash_within_a_kind(
        self, bundled: Path, tmp_path: Path
    ) -> None:
        user = write(
            tmp_path / "user",
            {
                "themes.toml": """
                [[themes]]
                id = "climate"
                name = "Climate"

                [[themes]]
                id = "gender"
                name = "Gender equality"
                """
            },
        )
        error = failure_of(lambda: load(user, merge=True))
        assert (error.file, error.record, error.field) == (
            str(user / "themes.toml"),
            "gender",
            "id",
        )
        assert "a bundled theme already has this id" in error.reason

    def test_the_same_id_in_another_kind_is_no_clash(
        self, bundled: Path, tmp_path: Path
    ) -> None:
        user = write(
            tmp_path / "user",
            {"sectors.toml": '[[sectors]]\nid = "LU"\nname = "A sector named LU"\n'},
        )
        data = load(user, merge=True)
        assert data.sector("LU").name == "A sector named LU"
        assert data.organisation("LU").name == "Luxembourg"

    def test_an_error_in_the_users_file_names_it(
        self, bundled: Path, tmp_path: Path
    ) -> None:
        user = write(
            tmp_path / "user",
            {"engagements.toml": ENGAGEMENT_HEAD + 'follows = "lu-icp-v"\n'},
        )
        error = failure_of(lambda: load(user, merge=True))
        assert (error.file, error.record, error.field) == (
            str(user / "engagements.toml"),
            "broken",
            "follows",
        )

    def test_needs_a_directory(self, bundled: Path) -> None:
        with pytest.raises(ValueError, match="merge=True needs the directory"):
            load(merge=True)


class TestMergeRecords:
    """``_loading.merge``: the rule ``load(merge=True)`` follows, for records
    that come from no file (the IATI reader's)."""

    BASE = Dataset(
        organisations=[Organisation(id="LU", name="Luxembourg", kind="state")],
    )

    def test_adds_records_after_the_base_and_they_may_refer_to_it(self) -> None:
        added = Engagement(
            id="lu-2024",
            title="Envelope 2024",
            kind="envelope",
            participants=[Participant(organisation="LU", role="funding")],
        )
        merged = _loading.merge(
            self.BASE,
            {
                "organisations": [
                    Organisation(id="luxdev", name="LuxDev", kind="agency", parent="LU")
                ],
                "engagements": [added],
            },
        )
        assert [o.id for o in merged.organisations] == ["LU", "luxdev"]
        assert merged.engagements == (added,)
        assert merged.root_organisation("luxdev").id == "LU"
        assert self.BASE.organisation("luxdev", default=None) is None

    def test_refuses_an_id_the_base_holds_even_for_an_equal_record(self) -> None:
        again = Organisation(id="LU", name="Luxembourg", kind="state")
        assert again == self.BASE.organisations[0]
        with pytest.raises(DataError) as raised:
            _loading.merge(self.BASE, {"organisations": [again]})
        error = raised.value
        assert (error.file, error.record, error.field) == (None, "LU", "id")
        assert "a base organisation already has this id" in error.reason

    def test_checks_the_whole(self) -> None:
        broken = Organisation(id="x", name="X", kind="agency", parent="nowhere")
        with pytest.raises(DataError, match="no organisation has the id 'nowhere'"):
            _loading.merge(self.BASE, {"organisations": [broken]})

    def test_refuses_a_kind_it_does_not_know(self) -> None:
        with pytest.raises(TypeError, match="'donors'"):
            _loading.merge(self.BASE, {"donors": []})


# -- lookups --------------------------------------------------------------------------

LOOKUPS = [
    ("source", "page-b", "Page B"),
    ("organisation", "luxdev", "LuxDev"),
    ("place", "ML-4", "Ségou"),
    ("sector", "health", "Health"),
    ("theme", "gender", "Gender"),
    ("engagement", "lu-icp-iii", "ICP III"),
    ("event", "eutm-command", "Belgium holds the command of EUTM"),
    ("indicator", "hdi-rank", "Human development index rank"),
]


def _label(record: object) -> str:
    label = getattr(record, "title", None) or getattr(record, "name", None)
    assert isinstance(label, str)
    return label


class TestLookups:
    @pytest.mark.parametrize(("kind", "id", "label"), LOOKUPS)
    def test_finds_by_id(self, data: Dataset, kind: str, id: str, label: str) -> None:
        record = getattr(data, kind)(id)
        assert record.id == id
        assert _label(record) == label

    @pytest.mark.parametrize(("kind", "id", "label"), LOOKUPS)
    def test_unknown_id(self, data: Dataset, kind: str, id: str, label: str) -> None:
        with pytest.raises(
            UnknownIdError, match=f"^no {kind} has the id 'zzz-unknown'$"
        ):
            getattr(data, kind)("zzz-unknown")

    @pytest.mark.parametrize(("kind", "id", "label"), LOOKUPS)
    def test_default(self, data: Dataset, kind: str, id: str, label: str) -> None:
        lookup = getattr(data, kind)
        assert lookup("zzz-unknown", default=None) is None
        marker = object()
        assert lookup("zzz-unknown", default=marker) is marker
        assert _label(lookup(id, default=None)) == label

    def test_ids_are_per_kind(self, data: Dataset) -> None:
        with pytest.raises(UnknownIdError):
            data.place("luxdev")
        assert data.engagement("ML", default=None) is None

    def test_unknown_id_suggests_close_ids(self, data: Dataset) -> None:
        with pytest.raises(UnknownIdError) as caught:
            data.engagement("lu-icp-iv")
        assert str(caught.value) == (
            "no engagement has the id 'lu-icp-iv';"
            " did you mean 'lu-icp-ii' or 'lu-icp-iii'?"
        )

    def test_suggestions_ignore_case(self, data: Dataset) -> None:
        with pytest.raises(UnknownIdError, match="did you mean 'LU'"):
            data.organisation("lu")

    def test_is_a_lookup_error(self, data: Dataset) -> None:
        with pytest.raises(LookupError):
            data.sector("education")

    def test_a_non_text_id_is_unknown(self, data: Dataset) -> None:
        assert data.place(5, default="none") == "none"  # type: ignore[call-overload]


# -- queries --------------------------------------------------------------------------


class TestTrees:
    def test_root_organisation(self, data: Dataset) -> None:
        assert data.root_organisation("luxdev-bamako").id == "LU"
        assert data.root_organisation("be-defence").id == "BE"
        assert data.root_organisation("CH").id == "CH"
        with pytest.raises(UnknownIdError, match="no organisation has the id 'XX'"):
            data.root_organisation("XX")

    def test_ancestors_nearest_first(self, data: Dataset) -> None:
        assert [p.id for p in data.ancestors("yorosso")] == ["ML-3", "ML"]
        assert [p.id for p in data.ancestors("ouahigouya")] == ["BF"]
        assert data.ancestors("ML") == ()
        with pytest.raises(UnknownIdError, match="no place has the id 'ML-7'"):
            data.ancestors("ML-7")

    def test_lies_in(self, data: Dataset) -> None:
        assert data.lies_in("yorosso", "ML")
        assert data.lies_in("yorosso", "ML-3")
        assert data.lies_in("ML-3", "ML-3")
        assert not data.lies_in("yorosso", "ML-4")
        assert not data.lies_in("ML", "ML-3")
        assert not data.lies_in("ouahigouya", "ML")
        with pytest.raises(UnknownIdError):
            data.lies_in("yorosso", "ML-9")
        with pytest.raises(UnknownIdError):
            data.lies_in("nowhere", "ML")

    def test_roll_up(self, data: Dataset) -> None:
        # yorosso (cercle) in ML-3 (region) in ML (country).
        assert data.roll_up("yorosso", "region") == "ML-3"
        assert data.roll_up("yorosso", PlaceLevel.COUNTRY) == "ML"
        assert data.roll_up("ML-3", "region") == "ML-3"
        # Above the level, or in no place of that level: itself.
        assert data.roll_up("ML", "region") == "ML"
        assert data.roll_up("ouahigouya", "region") == "ouahigouya"
        with pytest.raises(UnknownIdError):
            data.roll_up("nowhere", "region")
        with pytest.raises(ValueError, match="planet"):
            data.roll_up("yorosso", "planet")

    def test_roll_up_on_the_bundled_gazetteer(self) -> None:
        bundled = mali_aid.load()
        assert bundled.roll_up("ml-sikasso-city", "region") == "ml-sikasso-region"
        assert bundled.roll_up("ml-sikasso-city", "cercle") == "ml-sikasso-cercle"
        assert bundled.roll_up("ml-kadiolo-commune", "region") == "ml-sikasso-region"


class TestDonors:
    def test_the_root_of_each_funder(self, data: Dataset) -> None:
        assert data.donors("be-programme") == ("BE",)
        assert data.donors("be-eutm") == ("BE",)
        assert data.donors("lu-icp-iii") == ("LU",)
        assert data.donors("lu-agro-ii") == ("LU", "CH")

    def test_empty_when_the_funder_is_unknown(self, data: Dataset) -> None:
        assert data.donors("mped") == ()

    def test_each_donor_once(self, data: Dataset) -> None:
        record = engagement(("luxdev", "funding"), ("CH", "funding"), ("LU", "funding"))
        assert data.donors(record) == ("LU", "CH")

    def test_takes_a_record(self, data: Dataset) -> None:
        assert data.donors(data.engagement("be-eutm")) == ("BE",)

    def test_unknown_engagement(self, data: Dataset) -> None:
        with pytest.raises(UnknownIdError, match="no engagement has the id 'eutm'"):
            data.donors("eutm")


def engagement(*participants: tuple[str, ...]) -> Engagement:
    """An engagement made here, from (organisation, role[, share]) triples."""
    return Engagement(
        id="made-here",
        title="T",
        kind="project",
        participants=[
            Participant(organisation=organisation, role=role, share=share or None)
            for organisation, role, share in (
                (*participant, "")[:3] for participant in participants
            )
        ],
    )


class TestFundingShares:
    def test_given_shares(self, data: Dataset) -> None:
        assert data.funding_shares("lu-agro-ii") == (
            ("LU", Fraction(1, 2)),
            ("CH", Fraction(1, 2)),
        )

    def test_a_single_funder_without_share_has_all(self, data: Dataset) -> None:
        assert data.funding_shares("be-eutm") == (("BE", Fraction(1)),)

    def test_no_funder_is_one_unknown_donor(self, data: Dataset) -> None:
        assert data.funding_shares("mped") == ((None, Fraction(1)),)

    def test_several_donors_without_shares_split_equally(self, data: Dataset) -> None:
        record = engagement(
            ("LU", "funding"),
            ("CH", "funding"),
            ("luxdev", "funding"),
            ("BE", "funding"),
            ("luxdev", "implementing"),
        )
        assert data.funding_shares(record) == (
            ("LU", Fraction(1, 3)),
            ("CH", Fraction(1, 3)),
            ("BE", Fraction(1, 3)),
        )

    def test_shares_of_one_donor_add_up(self, data: Dataset) -> None:
        record = engagement(
            ("luxdev", "funding", "1/4"),
            ("CH", "funding", "1/2"),
            ("LU", "funding", "1/4"),
        )
        assert data.funding_shares(record) == (
            ("LU", Fraction(1, 2)),
            ("CH", Fraction(1, 2)),
        )


class TestParts:
    def test_direct_parts_in_file_order(self, data: Dataset) -> None:
        assert ids(data.parts("lu-envelope-2023")) == [
            "lu-humanitarian-2024",
            "lu-floods-2024",
        ]
        assert ids(data.parts(data.engagement("lu-envelope-2023"))) == [
            "lu-humanitarian-2024",
            "lu-floods-2024",
        ]

    def test_a_successor_is_not_a_part(self, data: Dataset) -> None:
        assert data.parts("lu-icp-ii") == ()

    def test_unknown(self, data: Dataset) -> None:
        with pytest.raises(UnknownIdError):
            data.parts("lu-envelope-2025")


class TestSelect:
    def test_nothing_asked_gives_everything(self, data: Dataset) -> None:
        assert data.select() == data.engagements

    def test_by_donor_takes_in_sub_organisations(self, data: Dataset) -> None:
        assert ids(data.select(donor="BE")) == ["be-programme", "be-eutm"]
        assert ids(data.select(donor="CH")) == ["lu-agro-ii"]
        assert ids(data.select(donor="LU")) == [
            "lu-icp-ii",
            "lu-icp-iii",
            "lu-agro-ii",
            "lu-envelope-2023",
            "lu-humanitarian-2024",
            "lu-floods-2024",
        ]

    def test_by_a_donor_below_the_root(self, data: Dataset) -> None:
        assert ids(data.select(donor="be-defence")) == ["be-eutm"]
        assert ids(data.select(donor="be-bffs")) == []

    def test_by_implementer(self, data: Dataset) -> None:
        assert ids(data.select(implementer="luxdev")) == [
            "lu-icp-ii",
            "lu-icp-iii",
            "lu-agro-ii",
        ]
        assert ids(data.select(implementer="luxdev-bamako")) == ["lu-icp-iii"]
        assert ids(data.select(implementer="fcm")) == ["mped"]
        assert ids(data.select(implementer="BE")) == []

    def test_by_place_takes_in_what_lies_inside(self, data: Dataset) -> None:
        assert ids(data.select(place="ML-3")) == [
            "be-programme",
            "lu-icp-iii",
            "lu-agro-ii",
        ]
        assert ids(data.select(place="yorosso")) == ["lu-icp-iii"]
        assert ids(data.select(place="BF")) == ["mped"]
        assert ids(data.select(place="ML")) == [
            "be-programme",
            "be-eutm",
            "lu-icp-ii",
            "lu-icp-iii",
            "lu-agro-ii",
            "mped",
        ]

    def test_by_sector(self, data: Dataset) -> None:
        assert ids(data.select(sector="agriculture")) == [
            "be-programme",
            "lu-icp-iii",
            "lu-agro-ii",
        ]
        assert ids(data.select(sector="health")) == []

    @pytest.mark.parametrize(
        ("year", "expected"),
        [
            (2006, []),
            (2007, ["lu-icp-ii"]),
            (2012, ["be-programme"]),
            (2013, ["be-programme", "be-eutm"]),
            (2016, ["be-eutm", "lu-icp-iii"]),
            (2017, ["be-eutm", "lu-icp-iii", "mped"]),
            (2018, ["be-eutm", "lu-icp-iii"]),
            (2020, []),
            (
                2024,
                [
                    "lu-agro-ii",
                    "lu-envelope-2023",
                    "lu-humanitarian-2024",
                    "lu-floods-2024",
                ],
            ),
        ],
    )
    def test_by_year(self, data: Dataset, year: int, expected: list[str]) -> None:
        assert ids(data.select(year=year)) == expected

    def test_by_channel(self, data: Dataset) -> None:
        assert ids(data.select(channel="humanitarian")) == [
            "lu-humanitarian-2024",
            "lu-floods-2024",
        ]
        assert ids(data.select(channel=Channel.SECURITY)) == ["be-eutm"]
        with pytest.raises(ValueError, match="'aid' is not a channel"):
            data.select(channel="aid")

    def test_conditions_combine(self, data: Dataset) -> None:
        assert ids(data.select(donor="LU", year=2024, channel="humanitarian")) == [
            "lu-humanitarian-2024",
            "lu-floods-2024",
        ]
        assert ids(data.select(donor="LU", place="ML-4", year=2010)) == ["lu-icp-ii"]
        assert ids(data.select(donor="BE", sector="agriculture", year=2015)) == []

    @pytest.mark.parametrize(
        ("condition", "kind"),
        [
            ({"donor": "BEL"}, "organisation"),
            ({"implementer": "lux-dev"}, "organisation"),
            ({"place": "sikasso"}, "place"),
            ({"sector": "farming"}, "sector"),
        ],
    )
    def test_unknown_ids_are_errors(
        self, data: Dataset, condition: dict[str, str], kind: str
    ) -> None:
        with pytest.raises(UnknownIdError, match=f"^no {kind} has the id"):
            data.select(**condition)  # type: ignore[arg-type]

    @pytest.mark.parametrize("year", ["two thousand", 2024.0, True])
    def test_year_must_be_an_int_or_its_digits(
        self, data: Dataset, year: object
    ) -> None:
        with pytest.raises(TypeError):
            data.select(year=year)  # type: ignore[arg-type]


# -- the Dataset itself -----------------------------------------------------------------


class TestADatasetIsACheckedFrozenValue:
    def test_is_frozen(self, data: Dataset) -> None:
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            data.engagements = ()  # type: ignore[misc]
        assert not hasattr(data, "__dict__")

    def test_equal_when_loaded_twice(self, base_dir: Path) -> None:
        first, second = load(base_dir), load(base_dir)
        assert first is not second
        assert first == second
        assert hash(first) == hash(second)

    def test_short_repr(self, data: Dataset) -> None:
        assert repr(data) == (
            "<Dataset: 2 sources, 9 organisations, 9 places, 3 sectors, 1 themes,"
            " 9 engagements, 1 events, 2 indicators, 0 statements>"
        )

    def test_built_directly_is_checked_too(self) -> None:
        with pytest.raises(DataError) as caught:
            Dataset(
                organisations=[
                    Organisation(id="luxdev", name="LuxDev", kind="agency", parent="LU")
                ]
            )
        error = caught.value
        assert (error.file, error.record, error.field) == (None, "luxdev", "parent")

    def test_built_directly_refuses_records_of_another_kind(self) -> None:
        with pytest.raises(TypeError, match=r"places\[0\] must be a Place"):
            Dataset(places=[Organisation(id="ML", name="Mali", kind="state")])  # type: ignore[list-item]


# -- the package ---------------------------------------------------------------------------


def test_data_version_is_a_calendar_release() -> None:
    assert re.fullmatch(r"20\d\d\.(1[0-2]|[1-9])\.\d+", mali_aid.DATA_VERSION)
    assert "DATA_VERSION" in mali_aid.__all__


def test_importing_the_package_reads_no_data() -> None:
    code = (
        "import sys, mali_aid\n"
        "from mali_aid import _loading\n"
        "print(_loading._bundled is None,"
        " 'pint' in sys.modules,"
        " 'hypothesis' in sys.modules,"
        " 'tomllib' in sys.modules)\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.split() == ["True", "False", "False", "False"]
