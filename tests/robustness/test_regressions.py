"""One minimal reproducer per finding of the robustness harness (issue 17).

Each test failed on the code before the fix: an exception outside the
package's hierarchy, a hang, or bad input accepted without a word.
"""

from __future__ import annotations

import io
import os
import threading
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import mali_aid
from mali_aid import (
    Engagement,
    Money,
    Organisation,
    Participant,
    Period,
    Place,
    Sector,
    iati,
)
from mali_aid._cli import main
from mali_aid.errors import DataError, MaliAidError


def engagement(**fields: Any) -> dict[str, Any]:
    return {"id": "e", "title": "T", "kind": "project", **fields}


def write(tmp_path: Path, name: str, text: str) -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def finishes(call: Callable[[], object], seconds: float) -> BaseException | None:
    """Run ``call`` in a thread; fail if it is still running after ``seconds``."""
    outcome: list[BaseException | None] = []

    def run() -> None:
        try:
            call()
        except BaseException as error:  # handed back to the test
            outcome.append(error)
        else:
            outcome.append(None)

    thread = threading.Thread(target=run, daemon=True)
    thread.start()
    thread.join(seconds)
    assert not thread.is_alive(), f"still running after {seconds} s"
    return outcome[0]


# -- data directories ---------------------------------------------------------------


@pytest.mark.parametrize(
    "value",
    ["[" * 300 + "]" * 300, "{a = " * 300 + "1" + "}" * 300, "[" * 40 + "]" * 40],
)
def test_deep_nesting_is_a_data_error(tmp_path: Path, value: str) -> None:
    directory = write(tmp_path, "sources.toml", f"[[sources]]\nid = 'a'\nx = {value}\n")
    with pytest.raises(DataError, match="nested") as caught:
        mali_aid.load(directory)
    assert caught.value.file == str(directory / "sources.toml")


def test_deep_nesting_prints_one_line_not_a_traceback(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    write(tmp_path, "sources.toml", "[[sources]]\nx = " + "[" * 600 + "]" * 600)
    assert main(["summary", "--data", str(tmp_path)]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "nested" in err and "Traceback" not in err


def test_a_text_where_a_list_belongs_is_not_split() -> None:
    with pytest.raises(DataError, match="must be an array") as caught:
        mali_aid.from_dict(engagement(aliases="EUTM"), Engagement)
    assert caught.value.field == "aliases"


def test_a_table_where_a_list_belongs_is_not_read_as_its_keys() -> None:
    with pytest.raises(DataError, match="must be an array"):
        mali_aid.from_dict(engagement(active_in={"2020": 1}), Engagement)


@pytest.mark.parametrize(
    ("kind", "record", "field"),
    [
        (Organisation, {"id": "be\n", "name": "B", "kind": "state"}, "id"),
        (
            Organisation,
            {"id": "be", "name": "B", "kind": "state", "country": "BE\n"},
            "country",
        ),
        (
            Place,
            {"id": "ml", "name": "M", "level": "country", "iso_code": "ML\n"},
            "iso_code",
        ),
        (Sector, {"id": "s", "name": "S", "dac_code": "15110\n"}, "dac_code"),
        (
            Engagement,
            engagement(resources=[{"value": 1, "unit": "person\n"}]),
            "resources[0].unit",
        ),
        (
            Engagement,
            engagement(amounts=[{"money": "5 EUR\n", "kind": "budget"}]),
            "amounts[0].money",
        ),
        (Engagement, engagement(period="2013\n"), "period"),
        (
            Engagement,
            engagement(
                amounts=[
                    {"money": "5 EUR", "kind": "budget", "value_date": "2020-01-01\n"}
                ]
            ),
            "amounts[0].value_date",
        ),
        (Engagement, engagement(kind="project\n"), "kind"),
    ],
)
def test_a_trailing_newline_is_refused(
    kind: type, record: dict[str, Any], field: str
) -> None:
    with pytest.raises(DataError) as caught:
        mali_aid.from_dict(record, kind)
    assert caught.value.field == field


def test_percentages_a_hair_over_100_are_refused() -> None:
    shares = [
        {"sector": "a", "percentage": Decimal("60")},
        {"sector": "b", "percentage": Decimal("40.000000000000000001")},
    ]
    with pytest.raises(DataError, match="over 100"):
        mali_aid.from_dict(engagement(sectors=shares), Engagement)


def test_percentages_finer_than_the_bound_are_refused_not_rounded() -> None:
    shares = [
        {"sector": "a", "percentage": Decimal("60")},
        {"sector": "b", "percentage": Decimal("40.00000000000000000000000001")},
    ]
    with pytest.raises(DataError, match="decimal places"):
        mali_aid.from_dict(engagement(sectors=shares), Engagement)


@pytest.mark.parametrize("blank", ["", " ", "\n"])
def test_a_blank_id_names_the_table_not_record_blank(
    tmp_path: Path, blank: str
) -> None:
    text = "[[themes]]\nid = 'ok'\nname = 'Fine'\n\n[[themes]]\nid = %r\nname = 'N'\n"
    directory = write(tmp_path, "themes.toml", text % blank)
    with pytest.raises(DataError, match=r"table 2 of \[\[themes\]\]") as caught:
        mali_aid.load(directory)
    assert caught.value.record is None
    assert caught.value.file == str(directory / "themes.toml")
    assert caught.value.field == "id"


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_in_place_of_a_data_file_is_refused(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "engagements.toml")
    error = finishes(lambda: mali_aid.load(tmp_path), 5)
    assert isinstance(error, DataError) and "regular file" in error.reason


@pytest.mark.skipif(not os.path.exists("/dev/zero"), reason="no /dev/zero")
def test_a_device_in_place_of_a_data_file_is_refused(tmp_path: Path) -> None:
    (tmp_path / "events.toml").symlink_to("/dev/zero")
    with pytest.raises(DataError, match="regular file"):
        mali_aid.load(tmp_path)


def test_a_link_to_nowhere_is_refused_not_skipped(tmp_path: Path) -> None:
    (tmp_path / "events.toml").symlink_to(tmp_path / "missing.toml")
    with pytest.raises(DataError, match="cannot be read"):
        mali_aid.load(tmp_path)


def test_a_huge_share_exponent_is_refused_at_once() -> None:
    participants = [{"organisation": "a", "role": "funding", "share": "1e-10000000"}]
    started = time.perf_counter()
    with pytest.raises(DataError) as caught:
        mali_aid.from_dict(engagement(participants=participants), Engagement)
    assert time.perf_counter() - started < 1
    assert caught.value.field == "participants[0].share"


@pytest.mark.parametrize("share", ["1e-10000000", Decimal("1e-10000000")])
def test_a_huge_share_given_directly_is_refused_at_once(share: object) -> None:
    started = time.perf_counter()
    with pytest.raises(DataError, match=r"decimal places|not a fraction"):
        Participant(organisation="a", role="funding", share=share)  # type: ignore[arg-type]
    assert time.perf_counter() - started < 1


# -- IATI -----------------------------------------------------------------------------

HEAD = b'<iati-activities version="2.03"><iati-activity default-currency="EUR">'
ID = b"<iati-identifier>XM-1</iati-identifier>"
TAIL = b"</iati-activity></iati-activities>"


def budget(value: bytes) -> bytes:
    return (
        b'<budget><period-start iso-date="2024-01-01"/>'
        b'<period-end iso-date="2024-12-31"/><value>' + value + b"</value></budget>"
    )


def read(xml: bytes) -> iati.IatiActivities:
    return iati.read_activities(io.BytesIO(xml))


def test_deep_elements_are_refused_quickly() -> None:
    xml = HEAD + ID + b"<x>" * 100_000 + b"</x>" * 100_000 + TAIL
    started = time.perf_counter()
    with pytest.raises(DataError, match="nested more than"):
        read(xml)
    assert time.perf_counter() - started < 2


def test_an_unknown_encoding_is_a_data_error() -> None:
    with pytest.raises(DataError, match="encoding"):
        read(b'<?xml version="1.0" encoding="foo"?><iati-activities/>')


def test_mixed_content_in_a_value_is_refused() -> None:
    with pytest.raises(DataError, match="text only") as caught:
        read(HEAD + ID + budget(b"1<b/>00") + TAIL)
    assert caught.value.field == "budget/value"


def test_mixed_content_in_a_narrative_is_refused() -> None:
    title = b"<title><narrative>Water <b>for</b> Sikasso</narrative></title>"
    with pytest.raises(DataError, match="text only"):
        read(HEAD + ID + title + TAIL)


def test_a_value_of_a_million_digits_is_refused_at_once() -> None:
    started = time.perf_counter()
    with pytest.raises(DataError, match="characters"):
        read(HEAD + ID + budget(b"1" * 1_000_000) + TAIL)
    assert time.perf_counter() - started < 1


def test_a_20_mb_attribute_is_refused_in_linear_time() -> None:
    xml = HEAD[:-1] + b' x="' + b"a" * 20_000_000 + b'">' + ID + TAIL
    started = time.perf_counter()
    with pytest.raises(DataError, match="longer than"):
        read(xml)
    assert time.perf_counter() - started < 5


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_fifo_is_not_read_as_an_iati_file(tmp_path: Path) -> None:
    os.mkfifo(tmp_path / "file.xml")
    error = finishes(lambda: iati.read_activities(tmp_path / "file.xml"), 5)
    assert isinstance(error, DataError) and "regular file" in error.reason


# -- junk calls ------------------------------------------------------------------------


def test_unknown_keys_of_two_types_are_named() -> None:
    record = {"id": "x", "name": "X", "kind": "state", 1: 2, "colour": 3}
    with pytest.raises(DataError, match="unknown field") as caught:
        mali_aid.from_dict(record, Organisation)
    assert "colour" in caught.value.reason and "1" in caught.value.reason


def test_money_of_201_digits_is_refused() -> None:
    with pytest.raises(DataError):
        Money("1" * 201, "EUR")


def test_money_beyond_the_exact_context_is_a_data_error() -> None:
    factor = Decimal("9" * 150)
    with pytest.raises(DataError, match="digits"):
        Money("1", "EUR") * factor * factor


def test_a_huge_exponent_is_refused_at_once() -> None:
    started = time.perf_counter()
    with pytest.raises(DataError, match="digits before the decimal point"):
        Money("1e999999999", "EUR")
    assert time.perf_counter() - started < 1


def test_deeply_nested_junk_gives_a_short_message() -> None:
    junk: list[Any] = []
    for _ in range(100_000):
        junk = [junk]
    with pytest.raises(DataError) as caught:
        mali_aid.from_dict({"id": "x", "name": "X", "kind": junk}, Organisation)
    assert "a list" in caught.value.reason and len(str(caught.value)) < 400


@pytest.mark.parametrize("mark", ["x", 5, "", ".,"])
def test_an_unknown_decimal_mark_is_refused(mark: Any) -> None:
    with pytest.raises(DataError, match="decimal_mark"):
        Money.parse("5 EUR", decimal_mark=mark)


@pytest.mark.parametrize("text", ["2013\n", " 2013", "2013  P2Y", "٢٠١٣"])
def test_period_parse_reads_whole_strings(text: str) -> None:
    with pytest.raises(DataError):
        Period.parse(text)


@pytest.mark.parametrize("text", ["5 ", " 5", "5\n", "1_000", "٥"])
def test_a_decimal_text_must_be_the_number_alone(text: str) -> None:
    with pytest.raises(DataError):
        Money(text, "EUR")


# -- the command line ---------------------------------------------------------------------


def test_an_unexpected_error_prints_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def broken(*_args: object, **_kwargs: object) -> None:
        raise RuntimeError("boom")

    monkeypatch.setattr(mali_aid, "load", broken)
    assert main(["summary"]) == 1
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and "boom" in err and "Traceback" not in err


def test_load_without_a_directory_but_merge_is_in_the_hierarchy() -> None:
    with pytest.raises(MaliAidError):
        mali_aid.load(merge=True)
