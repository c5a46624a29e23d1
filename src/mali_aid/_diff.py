"""What changed between two datasets, record by record and field by field.

:func:`diff` compares two :class:`~mali_aid.Dataset` objects, say the data
of two releases, kind by kind (sources, organisations, places, ...): the
records added, those removed, and for each record kept under the same id the
fields whose values differ, in the plain-data form of
:func:`mali_aid.to_dict`, with the citations that stand behind the record
as it is now (as it was, for one removed).
"""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs

from . import _arguments
from ._kinds import KINDS as _KINDS
from ._kinds import SINGULAR
from ._model import Citation

if TYPE_CHECKING:
    from ._dataset import Dataset

__all__ = ["DataDiff", "FieldChange", "RecordChange", "diff"]

#: The kinds of record, in the order a dataset lists them.
KINDS = tuple(plural for plural, _, _ in _KINDS)


@attrs.frozen
class FieldChange:
    """One field of a record, before and after, as plain data.

    ``old`` is ``None`` where the field was not set, ``new`` where it no
    longer is.
    """

    field: str
    old: Any
    new: Any

    def __str__(self) -> str:
        return f"{self.field}: {_shown(self.old)} -> {_shown(self.new)}"


@attrs.frozen
class RecordChange:
    """A record added, removed or changed.

    ``kind`` is the dataset's name for its records (``"engagements"``);
    ``fields`` lists what changed (empty for a record added or removed);
    ``citations`` are the paragraphs the record cites now (before, for a
    record removed).
    """

    kind: str
    id: str
    change: Literal["added", "removed", "changed"]
    fields: tuple[FieldChange, ...] = ()
    citations: tuple[Citation, ...] = ()

    def __str__(self) -> str:
        lines = [f"{self.change} {SINGULAR[self.kind]} {self.id}"]
        lines += [f"  {field}" for field in self.fields]
        if self.citations:
            lines.append("  citing " + "; ".join(_cited(c) for c in self.citations))
        return "\n".join(lines)


@attrs.frozen
class DataDiff(Sequence[RecordChange]):
    """The changes from one dataset to another, kind by kind, in id order.

    A read-only sequence of :class:`RecordChange`; ``added``, ``removed`` and
    ``changed`` select by change.
    """

    changes: tuple[RecordChange, ...]

    def __getitem__(self, index: int) -> RecordChange:  # type: ignore[override]
        return self.changes[index]

    def __len__(self) -> int:
        return len(self.changes)

    def __iter__(self) -> Iterator[RecordChange]:
        return iter(self.changes)

    @property
    def added(self) -> tuple[RecordChange, ...]:
        """The records added."""
        return tuple(c for c in self.changes if c.change == "added")

    @property
    def removed(self) -> tuple[RecordChange, ...]:
        """The records removed."""
        return tuple(c for c in self.changes if c.change == "removed")

    @property
    def changed(self) -> tuple[RecordChange, ...]:
        """The records changed."""
        return tuple(c for c in self.changes if c.change == "changed")

    def to_dict(self) -> list[dict[str, Any]]:
        """The changes as plain data, ready for JSON."""
        return [
            {
                "kind": change.kind,
                "id": change.id,
                "change": change.change,
                "fields": [
                    {"field": f.field, "old": f.old, "new": f.new}
                    for f in change.fields
                ],
                "citations": [_cited(c) for c in change.citations],
            }
            for change in self.changes
        ]

    def to_markdown(self) -> str:
        """The changes as a changelog section: a heading per kind, a line per
        record, a sub-line per field."""
        if not self.changes:
            return "No record changed.\n"
        parts = []
        for kind in KINDS:
            mine = [c for c in self.changes if c.kind == kind]
            if not mine:
                continue
            parts.append(f"### {kind.capitalize()}\n")
            for change in mine:
                parts.append(f"- {change.change} `{change.id}`")
                parts += [
                    f"  - `{f.field}`: {_shown(f.old)} → {_shown(f.new)}"
                    for f in change.fields
                ]
                if change.citations:
                    cited = "; ".join(_cited(c) for c in change.citations)
                    parts.append(f"  - citing {cited}")
            parts.append("")
        return "\n".join(parts)

    def __str__(self) -> str:
        if not self.changes:
            return "no record changed"
        counts = ", ".join(
            f"{len(group)} {name}"
            for name, group in (
                ("added", self.added),
                ("removed", self.removed),
                ("changed", self.changed),
            )
            if group
        )
        return "\n".join([*(str(c) for c in self.changes), counts])


def diff(old: Dataset, new: Dataset) -> DataDiff:
    """Every record added, removed or changed from ``old`` to ``new``.

    Records are matched by kind and id (ids never change between data
    releases); a changed record lists each top-level field whose plain-data
    value differs. Kinds come in the dataset's order, records in id order.

    >>> import mali_aid
    >>> data = mali_aid.load()
    >>> len(mali_aid.diff(data, data))
    0
    """
    _arguments.check("diff", old=old, new=new)
    changes: list[RecordChange] = []
    for kind in KINDS:
        before = {record.id: record for record in getattr(old, kind)}
        after = {record.id: record for record in getattr(new, kind)}
        for record_id in sorted(before.keys() | after.keys()):
            change = _compared(kind, before.get(record_id), after.get(record_id))
            if change is not None:
                changes.append(change)
    return DataDiff(tuple(changes))


def _compared(kind: str, before: Any, after: Any) -> RecordChange | None:
    from ._convert import to_dict

    if before is None:
        return RecordChange(kind, after.id, "added", (), _citations(after))
    if after is None:
        return RecordChange(kind, before.id, "removed", (), _citations(before))
    old, new = to_dict(before), to_dict(after)
    fields = tuple(
        FieldChange(name, old.get(name), new.get(name))
        for name in _field_order(type(after), old.keys() | new.keys())
        if old.get(name) != new.get(name)
    )
    if not fields:
        return None
    return RecordChange(kind, after.id, "changed", fields, _citations(after))


def _field_order(cls: type, names: set[str]) -> list[str]:
    declared = [field.name for field in attrs.fields(cls)]
    return [name for name in declared if name in names] + sorted(names - set(declared))


def _citations(record: Any) -> tuple[Citation, ...]:
    return tuple(getattr(record, "citations", ()))


def _cited(citation: Citation) -> str:
    if citation.paragraph is not None:
        return f"{citation.source}, paragraph {citation.paragraph}"
    return f"{citation.source}, {citation.locator}"


def _shown(value: Any) -> str:
    if value is None:
        return "(none)"
    text = repr(value) if not isinstance(value, str) else f'"{value}"'
    return text if len(text) <= 200 else text[:199] + "…"
