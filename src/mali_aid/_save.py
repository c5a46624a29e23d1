"""A dataset written as data files that :func:`~mali_aid.load` reads back."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._convert import to_dict
from ._kinds import KINDS as _KINDS

if TYPE_CHECKING:
    from ._dataset import Dataset

__all__ = ["save"]

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+", re.ASCII)


def _key(name: str) -> str:
    return name if _BARE_KEY.fullmatch(name) else json.dumps(name)


def _value(value: Any) -> str:
    """A plain value in TOML: a JSON string is a TOML basic string."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(_value(item) for item in value) + "]"
    if isinstance(value, dict):
        if not value:
            return "{}"
        pairs = ", ".join(f"{_key(k)} = {_value(v)}" for k, v in value.items())
        return "{ " + pairs + " }"
    raise TypeError(f"cannot write {type(value).__name__} in TOML")  # pragma: no cover


def _document(plural: str, records: tuple[Any, ...]) -> str:
    lines = [f"# {plural.capitalize()}, written by mali_aid.save()."]
    for record in records:
        lines += ["", f"[[{plural}]]"]
        lines += [f"{_key(k)} = {_value(v)}" for k, v in to_dict(record).items()]
    return "\n".join(lines) + "\n"


def save(data: Dataset, directory: str | os.PathLike[str]) -> tuple[Path, ...]:
    """Write ``data`` as TOML data files in ``directory`` (made if need be),
    one file per kind of record, as the bundled files are written, so that
    ``mali_aid.load(directory)`` reads the same records back. Every kind
    gets its file, empty where ``data`` has none of it, so that no older
    file of the directory adds records. Returns the paths written.

    >>> import tempfile
    >>> import mali_aid
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     written = mali_aid.save(mali_aid.load(), folder)
    ...     mali_aid.load(folder).engagements == mali_aid.load().engagements
    True
    """
    from . import _arguments

    _arguments.check("save", data=data, directory=directory)
    folder = Path(directory)
    folder.mkdir(parents=True, exist_ok=True)
    written = []
    for plural, _, _ in _KINDS:
        path = folder / f"{plural}.toml"
        path.write_text(_document(plural, getattr(data, plural)), encoding="utf-8")
        written.append(path)
    return tuple(written)
