"""Whole-dataset validation: unique ids, references that resolve, cited
paragraphs within their source, no loops; on the file world of ``worlds.py``.
"""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from mali_aid import (
    Dataset,
    PlaceLevel,
    load,
)
from worlds import (
    ENGAGEMENT_HEAD,
    TOML_ENGAGEMENTS,
    TOML_PLACES,
    TOML_WORLD,
    failure,
    with_extra,
    write,
)

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
        files = dict(TOML_WORLD)
        files["engagements.toml"] = TOML_ENGAGEMENTS.replace(
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
        files = dict(TOML_WORLD)
        files["places.toml"] = TOML_PLACES.replace(
            'level = "country"\niso_code = "ML"\n',
            'level = "country"\niso_code = "ML"\nparent = "yorosso"\n',
        )
        assert files["places.toml"] != TOML_PLACES
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
