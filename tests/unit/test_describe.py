"""Dataset.describe() and ``mali-aid show``: a record in full, in words.

The expected lines are typed from the bundled records and the texts
(tests/data/sources), not copied from the output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import mali_aid
from mali_aid import Dataset, Inference, Organisation, Place, UnknownIdError
from mali_aid._cli import main

SOURCES = Path(__file__).resolve().parents[1] / "data" / "sources"


@pytest.fixture(scope="module")
def data() -> Dataset:
    return mali_aid.load()


def test_fields_in_words_with_inferred_fields_marked(data: Dataset) -> None:
    lines = data.describe("lu-floods-2024").splitlines()
    assert lines[0] == "engagement lu-floods-2024"
    assert (
        "  part of [inferred]: lu-envelope-2023-2024 (Enveloppe totale 2023-2024)"
        in (lines)
    )
    assert "  period: 2024" in lines
    assert "    - humanitarian (Humanitarian aid)" in lines
    assert "    - EUR 250,000, kind contribution" in lines
    assert "inferred (read, not stated):" in lines
    assert "  lu-cooperation-mali-2024, paragraph 7" in lines


def test_a_place_with_its_own_period(data: Dataset) -> None:
    text = data.describe("eutm-mali")
    assert "    - ml-gao-city (Gao), during 2016-03/2018-01 only [inferred]" in text
    assert "    - ML (Mali)\n" in text


def test_the_cited_paragraph_beside_its_citation(data: Dataset) -> None:
    text = data.describe("lu-floods-2024", sources=SOURCES)
    after = text.split("  lu-cooperation-mali-2024, paragraph 7\n", 1)[1]
    assert after.startswith("    | Face aux besoins humanitaires croissants")
    assert "250.000" in after


def test_without_the_texts_no_paragraph_is_printed(data: Dataset) -> None:
    assert "    | " not in data.describe("lu-floods-2024")


def test_a_text_missing_from_the_directory_is_said(
    data: Dataset, tmp_path: Path
) -> None:
    text = data.describe("lu-floods-2024", sources=tmp_path)
    assert "(the text 001_bc33ce14549597ee.txt is not in" in text


def test_an_id_two_kinds_hold_gives_both_or_the_kind_asked(data: Dataset) -> None:
    both = data.describe("ML")
    assert both.startswith("organisation ML\n")
    assert "\nplace ML\n" in both
    assert data.describe("ML", kind="place").startswith("place ML\n")
    assert "organisation" not in data.describe("ML", kind="place")


def test_unknown_id_and_kind(data: Dataset) -> None:
    with pytest.raises(UnknownIdError, match="did you mean 'eutm-mali'"):
        data.describe("eutm-mal")
    with pytest.raises(ValueError, match="not a kind of record"):
        data.describe("ML", kind="planet")


def test_inferences_of_other_record_kinds() -> None:
    data = Dataset(
        places=[Place(id="ML", name="Mali", level="country")],
        organisations=[
            Organisation(
                id="x",
                name="X",
                kind="ngo",
                country="ML",
                inferred=[Inference(field="country", reason="read from its name")],
            )
        ],
    )
    assert "  country [inferred]: ML" in data.describe("x").splitlines()
    assert "  country: read from its name" in data.describe("x").splitlines()


def test_a_statement(data: Dataset) -> None:
    lines = data.describe("amm-mission").splitlines()
    assert lines[:3] == [
        "statement amm-mission",
        "  kind: mission",
        "  summary: The AMM works to protect the autonomy of local governments"
        " and to give local democracy a larger role.",
    ]
    assert "  organisations: amm (Association of Municipalities of Mali)" in lines


class TestShow:
    def test_prints_the_record(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["show", "lu-humanitarian-2024", "--sources", str(SOURCES)]) == 0
        out = capsys.readouterr().out
        assert out.startswith("engagement lu-humanitarian-2024\n")
        assert "  part of [inferred]:" in out
        assert "    | Face aux besoins humanitaires croissants" in out

    def test_json(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["show", "ML", "--kind", "place", "--json"]) == 0
        (record,) = json.loads(capsys.readouterr().out)
        assert (record["record"], record["id"], record["level"]) == (
            "place",
            "ML",
            "country",
        )

    def test_unknown_id_is_an_error(self, capsys: pytest.CaptureFixture[str]) -> None:
        assert main(["show", "no-such-record"]) == 1
        assert "no record has the id 'no-such-record'" in capsys.readouterr().err
