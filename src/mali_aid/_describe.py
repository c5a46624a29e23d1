"""A record in full, in words: its fields, note, inferences and citations.

:meth:`Dataset.describe` is the public door; ``mali-aid show`` prints it.
With the source texts at hand, each citation is followed by the paragraph
it points at, so that a reader can judge the reading against the text.
"""

from __future__ import annotations

import enum
import os
import re
import textwrap
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import TYPE_CHECKING, Any

import attrs

from ._money import Money
from ._period import Period

if TYPE_CHECKING:
    from ._dataset import Dataset

__all__ = ["describe_record"]

#: Fields told apart from the others, after them.
_TOLD_APART = ("id", "note", "inferred", "citations")
_WIDTH = 78


def _paragraphs(directory: Path, file: str) -> list[str] | None:
    """The paragraphs of a source text, counted as the sources' README does."""
    path = directory / file
    if not path.is_file():
        return None
    text = path.read_text(encoding="utf-8")
    return [block.strip() for block in re.split(r"\n\s*\n", text) if block.strip()]


def _name_of(data: Dataset, kind: str, id: str) -> str:
    lookup = getattr(data, kind)
    record = lookup(id, default=None)
    name = getattr(record, "name", None) or getattr(record, "title", None)
    return id if name is None or name == id else f"{id} ({name})"


def _word(value: Any, data: Dataset, field: str) -> str:
    """One value of a field, in words."""
    if isinstance(value, enum.Enum):
        return str(value.value)
    if isinstance(value, Period):
        return str(value)
    if isinstance(value, Money):
        return f"{value.currency} {value.amount:,}"
    if isinstance(value, Fraction | Decimal):
        return str(value)
    if isinstance(value, str):
        kind = {
            "parent": None,
            "part_of": "engagement",
            "follows": "engagement",
            "organisations": "organisation",
            "actors": "organisation",
            "places": "place",
            "areas": "place",
            "engagements": "engagement",
            "themes": "theme",
            "place": "place",
        }.get(field)
        return value if kind is None else _name_of(data, kind, value)
    if attrs.has(type(value)):
        return _nested(value, data)
    return str(value)


def _nested(value: Any, data: Dataset) -> str:
    """A participant, amount, share or count, in one line."""
    cls = type(value).__name__
    if cls == "Participant":
        text = f"{_name_of(data, 'organisation', value.organisation)}, {value.role}"
        return text if value.share is None else f"{text}, share {value.share}"
    if cls in ("SectorShare", "PlaceShare"):
        own = value.sector if cls == "SectorShare" else value.place
        text = _name_of(data, "sector" if cls == "SectorShare" else "place", own)
        if value.percentage is not None:
            text += f", {value.percentage} %"
        if getattr(value, "period", None) is not None:
            text += f", during {value.period} only"
        return text
    parts = []
    for attribute in attrs.fields(type(value)):
        item = getattr(value, attribute.name)
        if (
            item is None
            or item == ()
            or (attribute.name == "qualifier" and item == "exact")
        ):
            continue
        label = "" if attribute.name in ("money", "value") else attribute.name
        parts.append(f"{label.replace('_', ' ')} {_word(item, data, '')}".strip())
    return ", ".join(parts)


def _field_lines(record: Any, data: Dataset) -> list[str]:
    lines = []
    for attribute in attrs.fields(type(record)):
        name = attribute.name
        if name in _TOLD_APART:
            continue
        value = getattr(record, name)
        if value is None or value == ():
            continue
        label = name.replace("_", " ")
        mark = " [inferred]" if _record_is_inferred(record, name) else ""
        if isinstance(value, tuple):
            items = [_word(item, data, name) for item in value]
            if all(not attrs.has(type(item)) for item in value):
                lines.append(f"{label}{mark}: {', '.join(items)}")
                continue
            lines.append(f"{label}{mark}:")
            for index, item in enumerate(items):
                sub = f"{name}[{index}]"
                inner = " [inferred]" if _names_exactly(record, sub) else ""
                lines.append(f"  - {item}{inner}")
            continue
        lines.append(f"{label}{mark}: {_word(value, data, name)}")
    return lines


def _record_is_inferred(record: Any, field: str) -> bool:
    is_inferred = getattr(record, "is_inferred", None)
    return bool(is_inferred is not None and is_inferred(field))


def _names_exactly(record: Any, path: str) -> bool:
    return any(
        inference.field == path or inference.field.startswith(f"{path}.")
        for inference in getattr(record, "inferred", ())
    )


def _wrapped(text: str, indent: str) -> list[str]:
    return textwrap.wrap(
        text, _WIDTH, initial_indent=indent, subsequent_indent=indent
    ) or [indent]


def describe_record(
    data: Dataset,
    kind: str,
    record: Any,
    sources: str | os.PathLike[str] | None = None,
) -> str:
    """The text :meth:`Dataset.describe` gives for one record of ``kind``."""
    lines = [f"{kind} {record.id}"]
    lines += [f"  {line}" for line in _field_lines(record, data)]
    note = getattr(record, "note", None)
    if note:
        lines.append("note:")
        lines += _wrapped(note, "  ")
    inferred = getattr(record, "inferred", ())
    if inferred:
        lines.append("inferred (read, not stated):")
        for inference in inferred:
            lines += _wrapped(f"{inference.field}: {inference.reason}", "  ")
    citations = getattr(record, "citations", ())
    if citations:
        lines.append("citations:")
    directory = None if sources is None else Path(sources)
    for citation in citations:
        where = (
            f"paragraph {citation.paragraph}"
            if citation.paragraph is not None
            else citation.locator
        )
        lines.append(f"  {citation.source}, {where}")
        source = data.source(citation.source, default=None)
        if directory is None or source is None or source.file is None:
            continue
        paragraphs = _paragraphs(directory, source.file)
        if paragraphs is None:
            lines.append(f"    (the text {source.file} is not in {directory})")
        elif citation.paragraph is not None and citation.paragraph <= len(paragraphs):
            for block_line in paragraphs[citation.paragraph - 1].splitlines():
                lines += _wrapped(block_line.strip(), "    | ")
    return "\n".join(lines) + "\n"
