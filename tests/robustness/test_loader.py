"""Mutated copies of the bundled data directory, loaded through ``load()``.

Each example copies the bundled files, changes one thing (a value, a key, a
record, a byte, the file's kind) and loads the copy. The load must either
raise one :class:`~mali_aid.errors.DataError` that names a file of the copy,
or succeed with records that say exactly what the files say: every key and
value of every table is found again, unchanged, in the loaded record.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import tempfile
import tomllib
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from decimal import Decimal
from importlib.resources import files
from pathlib import Path
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

import mali_aid
from mali_aid import Money, Period
from mali_aid._convert import _converter
from mali_aid.errors import DataError

KINDS = (
    "sources",
    "organisations",
    "places",
    "sectors",
    "themes",
    "engagements",
    "events",
    "indicators",
)
#: Each example writes and loads a directory of eight files: half the
#: profile's examples (100 under ``ci``, 1,000 under ``release``).
HALF = settings(max_examples=max(10, settings.default.max_examples // 2))
#: Every field of a record, defaults included.
_FULL = _converter.copy(omit_if_default=False)


def bundled_bytes(kind: str) -> bytes:
    return (files("mali_aid") / "data" / f"{kind}.toml").read_bytes()


BUNDLED = {kind: bundled_bytes(kind) for kind in KINDS}
RECORDS = {
    kind: tomllib.loads(BUNDLED[kind].decode(), parse_float=Decimal)[kind]
    for kind in KINDS
}


# -- writing TOML ---------------------------------------------------------------------


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, Decimal):
        text = str(value)
        return text if re.search(r"[.eE]", text) else text + ".0"
    if isinstance(value, str):
        return json.dumps(value).replace("\x7f", "\\u007f")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = ", ".join(
            f"{json.dumps(k)} = {toml_value(v)}" for k, v in value.items()
        )
        return "{" + pairs + "}"
    raise TypeError(type(value).__name__)


def dump(kind: str, records: list[dict[str, Any]]) -> str:
    return "\n".join(
        f"[[{kind}]]\n"
        + "".join(f"{json.dumps(k)} = {toml_value(v)}\n" for k, v in record.items())
        for record in records
    )


@contextmanager
def directory_with(changed: dict[str, bytes | None]) -> Iterator[Path]:
    """A copy of the bundled files with some replaced (``None``: removed)."""
    root = Path(tempfile.mkdtemp(prefix="mali-aid-robust-"))
    try:
        for kind in KINDS:
            content = changed.get(kind, BUNDLED[kind])
            if content is not None:
                (root / f"{kind}.toml").write_bytes(content)
        yield root
    finally:
        shutil.rmtree(root)


# -- what loads is what the files say ----------------------------------------------------


def agrees(written: Any, loaded: Any) -> bool:
    """Whether a value of a file is found unchanged in the loaded record."""
    if isinstance(written, dict):
        return isinstance(loaded, dict) and all(
            key in loaded and agrees(value, loaded[key])
            for key, value in written.items()
        )
    if isinstance(written, list):
        return (
            isinstance(loaded, list)
            and len(written) == len(loaded)
            and all(agrees(a, b) for a, b in zip(written, loaded, strict=True))
        )
    if isinstance(written, bool) or isinstance(loaded, bool):
        return written is loaded
    if isinstance(written, Decimal | int) and isinstance(loaded, str):
        return Decimal(loaded) == written and (
            isinstance(written, int) or str(written) == loaded
        )
    if isinstance(written, date):
        return written.isoformat() == loaded
    if written == loaded:
        return True
    # A period written in another form ("2013/2013" for "2013").
    try:
        return Period.parse(written) == Period.parse(loaded)
    except (DataError, TypeError):
        return False


def attempt(directory: Path) -> tuple[mali_aid.Dataset | None, DataError | None]:
    """The loaded data, or the one error of the package's hierarchy."""
    try:
        return mali_aid.load(directory), None
    except DataError as error:
        return None, error


def check_load(directory: Path) -> None:
    data, error = attempt(directory)
    if error is not None:
        assert error.file is not None
        assert Path(error.file).parent == directory, error
        assert len(str(error)) < 2000
        assert "\n" not in error.reason or "TOML" in error.reason
        return
    assert data is not None
    for kind in KINDS:
        path = directory / f"{kind}.toml"
        tables = (
            tomllib.loads(path.read_text(), parse_float=Decimal).get(kind, [])
            if path.exists()
            else []
        )
        loaded = getattr(data, kind)
        assert len(tables) == len(loaded), kind
        for table, record in zip(tables, loaded, strict=True):
            plain = _FULL.unstructure(record)
            assert agrees(table, plain), (kind, table, plain)


# -- mutations ------------------------------------------------------------------------------

junk_scalars = st.one_of(
    st.booleans(),
    st.integers(min_value=-(10**20), max_value=10**20),
    st.text(max_size=12),
    st.sampled_from(
        [
            "",
            " ",
            "x\n",
            "EUTM",
            "ML",
            "BE\n",
            "5 EUR",
            "5 EUR\n",
            "2013",
            "2013\n",
            "1/2",
            "1e-10000000",
            "1/0",
            "funding",
            "budget",
            "P20Y~",
            "../2024-06",
            "12345",
            "2009/2014",
            "state",
            "about",
            "at-least",
            "\x00",
        ]
    ),
    st.decimals(allow_nan=False, allow_infinity=False),
    st.sampled_from(
        [
            Decimal("1E+999999999"),
            Decimal("40.00000000000000000000000001"),
            Decimal("100.0000000000000000001"),
            Decimal("0.5"),
        ]
    ),
    st.dates(),
)
# Nested two levels by hand: st.recursive warns when a small example never
# recurses.
_junk_nested = st.one_of(
    junk_scalars,
    st.lists(junk_scalars, max_size=3),
    st.dictionaries(st.text(max_size=6), junk_scalars, max_size=3),
)
junk_values = st.one_of(
    _junk_nested,
    st.lists(_junk_nested, max_size=3),
    st.dictionaries(st.text(max_size=6), _junk_nested, max_size=3),
)


def paths(value: Any, prefix: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    """Every place inside a record a value stands at."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield (*prefix, key)
            yield from paths(item, (*prefix, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield (*prefix, index)
            yield from paths(item, (*prefix, index))


def at(value: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        value = value[step]
    return value


@st.composite
def mutated_tables(draw: st.DrawFn) -> tuple[str, list[dict[str, Any]]]:
    kind = draw(st.sampled_from(KINDS))
    records = json.loads(json.dumps(RECORDS[kind], default=_plain), object_hook=_back)
    index = draw(st.integers(0, len(records) - 1))
    record = records[index]
    places = list(paths(record))
    action = draw(
        st.sampled_from(
            [
                "replace",
                "delete",
                "add",
                "wrap",
                "unwrap",
                "whitespace",
                "duplicate",
                "nest",
                "swap",
            ]
        )
    )
    path = draw(st.sampled_from(places)) if places else ()
    parent = at(record, path[:-1]) if path else record
    last = path[-1] if path else None
    if action == "replace" and path:
        parent[last] = draw(junk_values)
    elif action == "delete" and path:
        del parent[last]
    elif action == "add":
        record[draw(st.sampled_from(["colour", "id ", "Id", "extra"]))] = draw(
            junk_values
        )
    elif action == "wrap" and path:
        parent[last] = [parent[last]]
    elif action == "unwrap" and path and isinstance(parent[last], list):
        parent[last] = parent[last][0] if parent[last] else ""
        if isinstance(parent[last], list | dict):
            parent[last] = "".join(map(str, parent[last]))
    elif action == "whitespace" and path and isinstance(parent[last], str):
        parent[last] = draw(st.sampled_from([" ", "\n", "\t", "\u00a0", "\x1f"])).join(
            draw(
                st.sampled_from(
                    [("", parent[last]), (parent[last], ""), ("", parent[last], "")]
                )
            )
        )
    elif action == "duplicate":
        records.insert(
            index, json.loads(json.dumps(record, default=_plain), object_hook=_back)
        )
    elif action == "nest" and path:
        depth = draw(st.integers(1, 400))
        value: Any = parent[last]
        for _ in range(depth):
            value = [value]
        parent[last] = value
    elif action == "swap":
        other = RECORDS[kind][draw(st.integers(0, len(RECORDS[kind]) - 1))]
        field = draw(st.sampled_from(sorted(other)))
        record[field] = json.loads(
            json.dumps(other[field], default=_plain), object_hook=_back
        )
    return kind, records


def _plain(value: Any) -> Any:
    if isinstance(value, Decimal):
        return {"$decimal": str(value)}
    if isinstance(value, date):
        return {"$date": value.isoformat()}
    raise TypeError(type(value).__name__)


def _back(value: dict[str, Any]) -> Any:
    if set(value) == {"$decimal"}:
        return Decimal(value["$decimal"])
    if set(value) == {"$date"}:
        return date.fromisoformat(value["$date"])
    return value


def test_an_unchanged_copy_loads_the_bundled_records() -> None:
    with directory_with({}) as directory:
        assert mali_aid.load(directory).engagements == mali_aid.load().engagements
        check_load(directory)


def test_a_rewritten_copy_loads_the_bundled_records() -> None:
    changed = {kind: dump(kind, RECORDS[kind]).encode() for kind in KINDS}
    with directory_with(changed) as directory:
        assert mali_aid.load(directory).engagements == mali_aid.load().engagements
        check_load(directory)


@HALF
@given(mutated_tables())
def test_a_mutated_record(mutation: tuple[str, list[dict[str, Any]]]) -> None:
    kind, records = mutation
    try:
        text = dump(kind, records)
    except RecursionError:  # pragma: no cover - the writer, not the package
        return
    with directory_with({kind: text.encode()}) as directory:
        check_load(directory)


@HALF
@given(
    st.sampled_from(KINDS),
    st.integers(min_value=0),
    st.sampled_from(["delete", "insert", "replace", "repeat"]),
    st.binary(min_size=1, max_size=8)
    | st.sampled_from(
        [
            b"\n",
            b"[",
            b"]",
            b"{",
            b'"',
            b"'''",
            b"=",
            b"\xff",
            b"\x00",
            b"[[engagements]]\n",
            b"1e-10000000",
            b"[" * 300,
        ]
    ),
    st.integers(min_value=1, max_value=40),
)
def test_a_mutated_byte(
    kind: str, where: int, action: str, piece: bytes, length: int
) -> None:
    content = BUNDLED[kind]
    position = where % (len(content) + 1)
    if action == "delete":
        content = content[:position] + content[position + length :]
    elif action == "insert":
        content = content[:position] + piece + content[position:]
    elif action == "replace":
        content = content[:position] + piece + content[position + len(piece) :]
    else:
        content = (
            content[:position]
            + content[position : position + length] * 2
            + content[position + length :]
        )
    with directory_with({kind: content}) as directory:
        check_load(directory)


@given(
    st.sampled_from(KINDS),
    st.sampled_from(
        [
            "missing",
            "empty",
            "directory",
            "fifo",
            "device",
            "dangling",
            "misnamed",
            "unreadable",
        ]
    ),
)
def test_odd_directory_shapes(kind: str, shape: str) -> None:
    with directory_with({kind: None}) as directory:
        path = directory / f"{kind}.toml"
        if shape == "empty":
            path.write_bytes(b"")
        elif shape == "directory":
            path.mkdir()
        elif shape == "fifo" and hasattr(os, "mkfifo"):
            os.mkfifo(path)
        elif shape == "device" and os.path.exists("/dev/zero"):
            path.symlink_to("/dev/zero")
        elif shape == "dangling":
            path.symlink_to(directory / "nowhere.toml")
        elif shape == "misnamed":
            (directory / f"{kind[:-1]}.toml").write_bytes(BUNDLED[kind])
        elif shape == "unreadable":
            path.write_bytes(BUNDLED[kind])
            path.chmod(0)
        data, error = attempt(directory)
        if error is not None:
            assert error.file is not None and Path(error.file).parent == directory
        else:
            assert data is not None
            assert shape in {"missing", "empty", "unreadable"}
            if shape != "unreadable":
                assert getattr(data, kind) == ()


def test_not_a_directory_at_all(tmp_path: Path) -> None:
    for path in (tmp_path / "missing", tmp_path / "file"):
        if path.name == "file":
            path.write_bytes(b"")
        data, error = attempt(path)
        assert data is None and error is not None and error.file == str(path)


def test_money_in_a_file_keeps_every_digit() -> None:
    record = dict(RECORDS["engagements"][0])
    record["amounts"] = [
        {"money": "123456789012345678901234567.891 EUR", "kind": "budget"}
    ]
    with directory_with(
        {"engagements": dump("engagements", [record]).encode(), "events": None}
    ) as directory:
        data, error = attempt(directory)
        if error is not None:  # a dangling reference, not the money
            assert "money" not in (error.field or "")
        else:
            assert data is not None
            assert data.engagements[0].amounts[0].money == Money(
                "123456789012345678901234567.891", "EUR"
            )
