"""A corrupted copy of each bundled file fails to load, naming where.

Each test copies the eight bundled files into a temporary directory, breaks
one field of the first record of one file, writes that file back and loads
the copy: the DataError must name the copied file, the record and the field.
The files are rewritten from their parsed content (comments are lost, nothing
else), and a control test proves that an unbroken rewrite loads to the same
records as the bundled data.
"""

from __future__ import annotations

import json
import re
import tomllib
from collections.abc import Callable
from datetime import date, datetime, time
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

import pytest

import mali_aid
from mali_aid import DataError

KINDS = (
    "sources",
    "organisations",
    "places",
    "sectors",
    "themes",
    "engagements",
    "events",
    "indicators",
    "statements",
)

#: The text field every record of a kind must have.
LABEL = {
    "sources": "title",
    "organisations": "name",
    "places": "name",
    "sectors": "name",
    "themes": "name",
    "engagements": "title",
    "events": "title",
    "indicators": "name",
    "statements": "summary",
}


# -- writing TOML back ---------------------------------------------------------------


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | Decimal):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False).replace("\x7f", "\\u007f")
    if isinstance(value, date | datetime | time):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        pairs = ", ".join(f"{toml_key(k)} = {toml_value(v)}" for k, v in value.items())
        return "{ " + pairs + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


def toml_key(key: str) -> str:
    return key if re.fullmatch(r"[A-Za-z0-9_-]+", key) else json.dumps(key)


def dump(kind: str, records: list[dict[str, Any]]) -> str:
    tables = [
        "\n".join(
            [f"[[{kind}]]"]
            + [
                f"{toml_key(key)} = {toml_value(value)}"
                for key, value in record.items()
            ]
        )
        for record in records
    ]
    return "\n\n".join(tables) + "\n"


# -- the copies ---------------------------------------------------------------------------


def bundled_text(kind: str) -> str:
    entry = files("mali_aid") / "data" / f"{kind}.toml"
    if not entry.is_file():
        pytest.fail(f"the bundled file {kind}.toml is missing")
    return entry.read_text(encoding="utf-8")


def bundled_records(kind: str) -> list[dict[str, Any]]:
    records = tomllib.loads(bundled_text(kind), parse_float=Decimal).get(kind, [])
    assert isinstance(records, list)
    assert records, f"the bundled file {kind}.toml holds no records"
    return records


def copy_with(tmp_path: Path, kind: str, text: str) -> Path:
    """A copy of the bundled files in which ``kind``'s file holds ``text``."""
    directory = tmp_path / "copy"
    directory.mkdir()
    (directory / f"{kind}.toml").write_text(text, encoding="utf-8")
    for other in KINDS:
        entry = files("mali_aid") / "data" / f"{other}.toml"
        if other != kind and entry.is_file():
            (directory / f"{other}.toml").write_bytes(entry.read_bytes())
    return directory


def broken_copy(
    tmp_path: Path, kind: str, change: Callable[[list[dict[str, Any]]], None]
) -> tuple[Path, list[dict[str, Any]]]:
    records = bundled_records(kind)
    change(records)
    return copy_with(tmp_path, kind, dump(kind, records)), records


def failure(directory: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        mali_aid.load(directory)
    return caught.value


def first_source() -> tuple[str, int]:
    source = bundled_records("sources")[0]
    return source["id"], source["paragraphs"]


# -- the tests -------------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_an_unbroken_rewrite_loads_the_same_records(tmp_path: Path, kind: str) -> None:
    directory, _ = broken_copy(tmp_path, kind, lambda records: None)
    assert mali_aid.load(directory) == mali_aid.load()


@pytest.mark.parametrize("kind", KINDS)
def test_a_duplicate_id(tmp_path: Path, kind: str) -> None:
    def change(records: list[dict[str, Any]]) -> None:
        assert len(records) >= 2, f"{kind}.toml needs two records for this test"
        records[0]["id"] = records[1]["id"]

    directory, records = broken_copy(tmp_path, kind, change)
    error = failure(directory)
    assert (error.file, error.record, error.field) == (
        str(directory / f"{kind}.toml"),
        records[1]["id"],
        "id",
    )


@pytest.mark.parametrize("kind", KINDS)
def test_a_wrong_type(tmp_path: Path, kind: str) -> None:
    def change(records: list[dict[str, Any]]) -> None:
        records[0][LABEL[kind]] = 5

    directory, records = broken_copy(tmp_path, kind, change)
    error = failure(directory)
    assert (error.file, error.record, error.field) == (
        str(directory / f"{kind}.toml"),
        records[0]["id"],
        LABEL[kind],
    )
    assert "5 is not a str" in error.reason


@pytest.mark.parametrize("kind", KINDS)
def test_an_unknown_field(tmp_path: Path, kind: str) -> None:
    def change(records: list[dict[str, Any]]) -> None:
        records[0]["no_such_field"] = 1

    directory, records = broken_copy(tmp_path, kind, change)
    error = failure(directory)
    assert (error.file, error.record) == (
        str(directory / f"{kind}.toml"),
        records[0]["id"],
    )
    assert "no_such_field" in error.reason


def _missing_reference(kind: str, record: dict[str, Any]) -> str:
    """Break one reference of ``record``; return the field path expected."""
    if kind == "sources":
        record["paragraphs"] = 0
        return "paragraphs"
    if kind in {"organisations", "places"}:
        record["parent"] = "no-such-id"
        return "parent"
    if kind == "engagements":
        participants = record.setdefault("participants", [])
        participants.append({"organisation": "no-such-id", "role": "implementing"})
        return f"participants[{len(participants) - 1}].organisation"
    if kind == "events":
        actors = record.setdefault("actors", [])
        actors.append("no-such-id")
        return f"actors[{len(actors) - 1}]"
    if kind == "indicators":
        record["place"] = "no-such-id"
        return "place"
    record["citations"] = [{"source": "no-such-id", "paragraph": 1}]
    return "citations[0].source"


@pytest.mark.parametrize("kind", KINDS)
def test_a_missing_reference(tmp_path: Path, kind: str) -> None:
    fields: list[str] = []
    directory, records = broken_copy(
        tmp_path,
        kind,
        lambda records: fields.append(_missing_reference(kind, records[0])),
    )
    error = failure(directory)
    assert (error.file, error.record, error.field) == (
        str(directory / f"{kind}.toml"),
        records[0]["id"],
        fields[0],
    )


@pytest.mark.parametrize("kind", [kind for kind in KINDS if kind != "sources"])
def test_a_paragraph_beyond_its_source(tmp_path: Path, kind: str) -> None:
    source, paragraphs = first_source()

    def change(records: list[dict[str, Any]]) -> None:
        records[0]["citations"] = [{"source": source, "paragraph": paragraphs + 1}]

    directory, records = broken_copy(tmp_path, kind, change)
    error = failure(directory)
    assert (error.file, error.record, error.field) == (
        str(directory / f"{kind}.toml"),
        records[0]["id"],
        "citations[0].paragraph",
    )


def test_an_unknown_currency(tmp_path: Path) -> None:
    def change(records: list[dict[str, Any]]) -> None:
        records[0]["amounts"] = [{"money": "1 ZZZ", "kind": "budget"}]

    directory, records = broken_copy(tmp_path, "engagements", change)
    error = failure(directory)
    assert (error.file, error.record, error.field) == (
        str(directory / "engagements.toml"),
        records[0]["id"],
        "amounts[0].money",
    )


@pytest.mark.parametrize("kind", KINDS)
def test_malformed_toml(tmp_path: Path, kind: str) -> None:
    directory = copy_with(tmp_path, kind, bundled_text(kind) + "\n[[\n")
    error = failure(directory)
    assert error.file == str(directory / f"{kind}.toml")
    assert error.reason.startswith("not valid TOML")
