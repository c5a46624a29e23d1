"""Many files, streamed: directories, lists, bad activities skipped, progress."""

from __future__ import annotations

import io
import os
import sys
from pathlib import Path

import pytest

from mali_aid import DataError, iati

from .builders import activity, budget, country, document

GOOD = activity(
    country("ML")
    + '<participating-org ref="XM-DAC-7" role="1"><narrative>Donor</narrative>'
    "</participating-org>" + budget("2024-01-01", "2024-12-31", "100"),
    identifier="XM-GOOD-1",
)
BAD = activity(
    country("ML")
    + '<participating-org ref="XM-ONLY-IN-BAD" role="4"/>'
    + budget("2024-01-01", "2024-12-31", "1e5"),
    identifier="XM-BAD-1",
)
LATER = activity(
    country("ML") + budget("2025-01-01", "2025-12-31", "7"), identifier="XM-GOOD-2"
)


def write(folder: Path, name: str, *activities: str) -> Path:
    path = folder / name
    path.write_bytes(document(*activities))
    return path


def test_a_directory_reads_its_xml_files_in_name_order(tmp_path: Path) -> None:
    write(tmp_path, "b-second.xml", LATER)
    write(tmp_path, "a-first.xml", GOOD)
    (tmp_path / "notes.txt").write_text("not read")
    (tmp_path / "sub.xml").mkdir()
    result = iati.read_activities(tmp_path)
    assert [e.id for e in result.engagements] == ["XM-GOOD-1", "XM-GOOD-2"]
    assert [s.id for s in result.sources] == ["a-first", "b-second"]
    assert result.source.id == "a-first"
    assert [c.source for c in result.engagements[1].citations] == ["b-second"] * 2


def test_a_list_of_paths_and_file_objects(tmp_path: Path) -> None:
    path = write(tmp_path, "one.xml", GOOD)
    stream = io.BytesIO(document(LATER))
    result = iati.read_activities([path, stream])
    assert [e.id for e in result.engagements] == ["XM-GOOD-1", "XM-GOOD-2"]
    assert [s.id for s in result.sources] == ["one", "iati-activities"]


def test_an_organisation_in_two_files_is_one_record(tmp_path: Path) -> None:
    other = GOOD.replace("XM-GOOD-1", "XM-GOOD-3")
    result = iati.read_activities(
        [write(tmp_path, "a.xml", GOOD), write(tmp_path, "b.xml", other)]
    )
    assert [o.id for o in result.organisations] == ["XM-DAC-7"]
    assert len(result.dataset().engagements) == 2


def test_a_bad_activity_raises_by_default_naming_file_activity_and_field(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "mixed.xml", GOOD, BAD, LATER)
    with pytest.raises(DataError, match="not a decimal") as caught:
        iati.read_activities(path)
    assert caught.value.file == str(path)
    assert caught.value.record == "XM-BAD-1"
    assert caught.value.field == "budget/value"


def test_skip_leaves_out_the_bad_activity_whole_and_reports_it(
    tmp_path: Path,
) -> None:
    path = write(tmp_path, "mixed.xml", GOOD, BAD, LATER)
    result = iati.read_activities(path, on_error="skip")
    assert [e.id for e in result.engagements] == ["XM-GOOD-1", "XM-GOOD-2"]
    assert result.skipped == (
        iati.Skipped(
            file=str(path),
            activity="XM-BAD-1",
            element="budget/value",
            reason="'1e5' is not a decimal number",
        ),
    )
    # Nothing of the bad activity is kept: not its implementer either.
    assert [o.id for o in result.organisations] == ["XM-DAC-7"]
    assert all(item.activity != "XM-BAD-1" for item in result.unmapped)


def test_skip_keeps_no_alias_a_bad_activity_gave(tmp_path: Path) -> None:
    renamed = BAD.replace(
        '<participating-org ref="XM-ONLY-IN-BAD" role="4"/>',
        '<participating-org ref="XM-DAC-7" role="1"><narrative>Other name'
        "</narrative></participating-org>",
    )
    result = iati.read_activities(io.BytesIO(document(GOOD, renamed)), on_error="skip")
    (donor,) = result.organisations
    assert donor.aliases == ()


def test_an_activity_without_identifier_is_skipped_with_its_position() -> None:
    nameless = "<iati-activity><title/></iati-activity>"
    result = iati.read_activities(io.BytesIO(document(GOOD, nameless)), on_error="skip")
    (skipped,) = result.skipped
    assert skipped.activity is None
    assert skipped.element == "iati-activities/iati-activity[2]"
    assert "no iati-identifier" in skipped.reason


def test_a_duplicate_across_files_names_the_other_file(tmp_path: Path) -> None:
    first = write(tmp_path, "a.xml", GOOD)
    second = write(tmp_path, "b.xml", GOOD)
    with pytest.raises(DataError, match=r"of .*a\.xml already has the id"):
        iati.read_activities([first, second])
    result = iati.read_activities([first, second], on_error="skip")
    assert [e.id for e in result.engagements] == ["XM-GOOD-1"]
    assert [(s.file, s.activity) for s in result.skipped] == [
        (str(second), "XM-GOOD-1")
    ]


def test_a_malformed_file_is_refused_whole_even_when_skipping(
    tmp_path: Path,
) -> None:
    good = write(tmp_path, "a.xml", GOOD)
    broken = tmp_path / "b.xml"
    broken.write_bytes(document(LATER)[:-5])
    with pytest.raises(DataError, match="not well-formed") as caught:
        iati.read_activities([good, broken], on_error="skip")
    assert caught.value.file == str(broken)


def test_two_files_that_give_one_source_id_are_refused(tmp_path: Path) -> None:
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    first = write(tmp_path / "x", "same.xml", GOOD)
    second = write(tmp_path / "y", "same.xml", LATER)
    with pytest.raises(DataError, match="already gives the source id 'same'"):
        iati.read_activities([first, second])


@pytest.mark.parametrize(
    ("call", "match"),
    [
        (lambda: iati.read_activities([b"<x/>"]), "paths and binary files"),
        (lambda: iati.read_activities(42), "a path, a binary file"),  # type: ignore[arg-type]
        (
            lambda: iati.read_activities(io.BytesIO(b""), on_error="ignore"),  # type: ignore[arg-type]
            "on_error",
        ),
        (
            lambda: iati.read_activities([io.BytesIO(), io.BytesIO()], source_id="a"),
            "single file",
        ),
    ],
)
def test_bad_arguments_are_refused(call: object, match: str) -> None:
    with pytest.raises(DataError, match=match):
        call()  # type: ignore[operator]


def test_an_empty_directory_gives_an_empty_result(tmp_path: Path) -> None:
    result = iati.read_activities(tmp_path)
    assert result.engagements == () and result.sources == ()


# -- progress -------------------------------------------------------------------------


def test_progress_false_and_a_pipe_stay_silent(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write(tmp_path, "a.xml", GOOD)
    iati.read_activities(path, progress=False)
    iati.read_activities(path)  # standard error is captured: not a terminal
    assert capsys.readouterr().err == ""


def test_progress_true_draws_a_bar_on_standard_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("tqdm")
    path = write(tmp_path, "a.xml", GOOD)
    iati.read_activities(path, progress=True)
    assert "IATI" in capsys.readouterr().err


def test_progress_true_without_tqdm_names_the_extra(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setitem(sys.modules, "tqdm", None)
    with pytest.raises(ImportError, match=r"mali-aid\[progress\]"):
        iati.read_activities(write(tmp_path, "a.xml", GOOD), progress=True)


def test_a_directory_that_cannot_be_listed_is_a_data_error(tmp_path: Path) -> None:
    folder = tmp_path / "locked"
    folder.mkdir()
    folder.chmod(0o000)
    try:
        if os.access(folder, os.R_OK):
            pytest.skip("running with rights that read any directory")
        with pytest.raises(DataError, match="cannot be read") as caught:
            iati.read_activities(folder)
        assert caught.value.file == str(folder)
    finally:
        folder.chmod(0o700)
