"""Loading: the TOML files of the bundled data or of a user's directory, read
into a :class:`~mali_aid.Dataset` by :func:`load`.

The data lives in one TOML file per kind of record, each an array of tables
named after the kind::

    sources.toml        [[sources]]         Source
    organisations.toml  [[organisations]]   Organisation
    places.toml         [[places]]          Place
    sectors.toml        [[sectors]]         Sector
    themes.toml         [[themes]]          Theme
    engagements.toml    [[engagements]]     Engagement
    events.toml         [[events]]          Event
    indicators.toml     [[indicators]]      Indicator
    statements.toml     [[statements]]      Statement

Figures are read with ``parse_float=Decimal``, so none passes through a
float. Nothing here runs at import: the bundled files are read on the first
call of :func:`load` and kept for the life of the process.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Iterable, Mapping
from decimal import Decimal
from typing import TYPE_CHECKING, Any, Final

from ._convert import from_dict
from ._dataset import Dataset
from ._kinds import FILE_NAMES, KINDS, SINGULAR
from ._limits import MAX_FILE_BYTES, MAX_NESTING, read_regular_file
from ._validation import validate
from .errors import DataError

if TYPE_CHECKING:
    from importlib.resources.abc import Traversable
    from pathlib import Path

__all__ = ["DATA_VERSION", "load", "merge"]

#: The name of the bundled data release, ``year.month.patch`` after the
#: month it was published in. It changes whenever a bundled record is added,
#: corrected or removed, independently of the package version; record ids
#: stay the same from one release to the next.
DATA_VERSION: Final[str] = "2026.12.0"


# -- reading files ----------------------------------------------------------------

#: Records of each kind with, for each record, the file it was read from.
_Tables = dict[str, tuple[list[Any], list[str | None]]]


def _empty_tables() -> _Tables:
    return {plural: ([], []) for plural, _, _ in KINDS}


def _parse(content: bytes, plural: str, kind: type[Any], file: str) -> list[Any]:
    """The records of one file, each validated on its own."""
    import tomllib

    try:
        text = content.decode("utf-8")
    except UnicodeDecodeError as error:
        raise DataError(f"not UTF-8 text: {error}", file=file) from None
    try:
        document = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise DataError(f"not valid TOML: {error}", file=file) from None
    except RecursionError:
        # tomllib reads nested arrays and tables recursively.
        raise DataError(
            f"arrays or tables nested too deeply (at most {MAX_NESTING} levels)",
            file=file,
        ) from None
    except ValueError as error:
        # An integer of more digits than Python converts, for one.
        raise DataError(f"not valid TOML: {error}", file=file) from None
    _check_nesting(document, file)
    unexpected = sorted(set(document) - {plural})
    if unexpected:
        raise DataError(
            f"unexpected top-level key {', '.join(map(repr, unexpected))}:"
            f" this file holds only [[{plural}]] tables",
            file=file,
        )
    tables = document.get(plural, [])
    if not isinstance(tables, list) or not all(isinstance(t, dict) for t in tables):
        raise DataError(
            f"{plural!r} must be an array of tables, written [[{plural}]]", file=file
        )
    records = []
    for position, table in enumerate(tables, 1):
        try:
            records.append(from_dict(table, kind))
        except DataError as error:
            if error.record is None:
                # No usable id: say which table it is instead.
                error = DataError(
                    f"{error.reason} (table {position} of [[{plural}]])",
                    field=error.field,
                )
            raise error.located(file=file) from None
    return records


def _check_nesting(document: object, file: str) -> None:
    """Refuse arrays and tables nested deeper than :data:`MAX_NESTING`."""
    stack: list[tuple[object, int]] = [(document, 0)]
    while stack:
        value, depth = stack.pop()
        if isinstance(value, dict | list):
            if depth > MAX_NESTING:
                raise DataError(
                    f"arrays or tables nested more than {MAX_NESTING} levels deep",
                    file=file,
                )
            items = value.values() if isinstance(value, dict) else value
            stack.extend((item, depth + 1) for item in items)


def _bundled_root() -> Traversable:
    from importlib.resources import files

    return files("mali_aid") / "data"


def _read_bundled() -> _Tables:
    root = _bundled_root()
    tables = _empty_tables()
    for plural, _, kind in KINDS:
        name = f"{plural}.toml"
        entry = root / name
        if entry.is_file():
            records = _parse(entry.read_bytes(), plural, kind, name)
            tables[plural] = (records, [name] * len(records))
    return tables


def _read_directory(directory: Path) -> _Tables:
    try:
        if not directory.is_dir():
            raise DataError("not a directory", file=os.fspath(directory))
        entries = sorted(directory.iterdir())
    except OSError as error:
        raise DataError(
            f"cannot be read: {error.strerror or error}", file=os.fspath(directory)
        ) from None
    for entry in entries:
        if (
            entry.suffix == ".toml"
            and not entry.name.startswith(".")
            and entry.name not in FILE_NAMES
        ):
            raise DataError(
                "not a data file name; the files are " + ", ".join(FILE_NAMES),
                file=os.fspath(entry),
            )
    tables = _empty_tables()
    budget = MAX_FILE_BYTES
    for plural, _, kind in KINDS:
        path = directory / f"{plural}.toml"
        file = os.fspath(path)
        # A link to nowhere is not a missing file: it is refused below.
        if not os.path.lexists(file):
            continue
        # Regular files only: a FIFO or a device would hang or never end.
        content = read_regular_file(file, budget)
        budget -= len(content)
        records = _parse(content, plural, kind, file)
        tables[plural] = (records, [file] * len(records))
    return tables


def _tables_of(data: Dataset, files: Mapping[str, str | None]) -> _Tables:
    return {
        plural: (
            list(getattr(data, plural)),
            [files[plural]] * len(getattr(data, plural)),
        )
        for plural, _, _ in KINDS
    }


def _merge(
    base: _Tables,
    added: _Tables,
    *,
    base_is: str,
    refusals: Mapping[str, str] | None = None,
) -> _Tables:
    """The one rule of merging: the base's records, then the added ones.

    Kind by kind, the base's records come first and the added ones after
    them, in their order; added records may refer to the base's. Merging
    adds and never replaces: an added record whose id a base record of the
    same kind already has is refused, naming the record and where it was
    read. ``base_is`` says what the base is in that message ("bundled");
    ``refusals`` may word it otherwise for some kinds (by plural).
    """
    merged = _empty_tables()
    for plural, singular, _ in KINDS:
        known = {record.id for record in base[plural][0]}
        for record, file in zip(*added[plural], strict=True):
            if record.id in known:
                raise DataError(
                    (refusals or {}).get(plural)
                    or f"a {base_is} {singular} already has this id;"
                    f" merging never replaces a {base_is} record",
                    file=file,
                    record=record.id,
                    field="id",
                )
        merged[plural] = (
            base[plural][0] + added[plural][0],
            base[plural][1] + added[plural][1],
        )
    return merged


def merge(
    base: Dataset,
    added: Mapping[str, Iterable[Any]],
    *,
    refusals: Mapping[str, str] | None = None,
) -> Dataset:
    """``base`` with more records, by the one rule of :func:`_merge`.

    ``added`` maps plurals (``"engagements"``) to records; its records may
    refer to the base's, and one whose id the base already holds in its
    kind is refused with a :class:`~mali_aid.errors.DataError` (worded by
    ``refusals[plural]`` where given). A caller whose records stand for
    records of the base (an imported Mali that is the bundled ``ML``)
    leaves those out: merging never decides that two records are the
    same. ``load(directory, merge=True)`` merges by this rule too.
    """
    unknown = sorted(set(added) - set(SINGULAR))
    if unknown:
        raise TypeError(f"not kinds of record: {', '.join(map(repr, unknown))}")
    tables = _empty_tables()
    for plural, records in added.items():
        listed = list(records)
        tables[plural] = (listed, [None] * len(listed))
    whole = _tables_of(base, dict.fromkeys(SINGULAR))
    return _assemble(_merge(whole, tables, base_is="base", refusals=refusals))


def _assemble(tables: _Tables) -> Dataset:
    records = {plural: tables[plural][0] for plural in tables}
    try:
        return Dataset(**records)
    except DataError:
        # The Dataset does not know the files; the same check, run again
        # with them, raises the same first problem with its file.
        validate(records, {plural: tables[plural][1] for plural in tables})
        raise


_lock = threading.Lock()
_bundled: Dataset | None = None


def _load_bundled() -> Dataset:
    global _bundled
    if _bundled is None:
        with _lock:
            if _bundled is None:
                _bundled = _assemble(_read_bundled())
    return _bundled


def load(
    directory: str | os.PathLike[str] | None = None, *, merge: bool = False
) -> Dataset:
    """Load the data: the bundled release, a directory of your own, or both.

    - ``load()`` gives the bundled data (release :data:`DATA_VERSION`). It is
      read on the first call and the same :class:`Dataset` is returned
      afterwards; the first call is safe from several threads at once.
    - ``load(directory)`` reads your own files, in the bundled format, from
      ``directory``: ``sources.toml``, ``organisations.toml``,
      ``places.toml``, ``sectors.toml``, ``themes.toml``,
      ``engagements.toml``, ``events.toml``, ``indicators.toml`` and
      ``statements.toml``, each an
      array of tables named after its kind (``[[engagements]]``). A missing
      file means no records of that kind. Other files are ignored, except a
      ``.toml`` file with another name, which raises
      :class:`~mali_aid.errors.DataError`: a misspelt name
      (``engagement.toml``) would otherwise drop its records without a word.
      It is read anew on every call.
    - ``load(directory, merge=True)`` gives the bundled records followed by
      yours, kind by kind; your records may refer to bundled ones, but a
      record whose id a bundled record of the same kind already has is
      refused.

    Everything is checked before anything is returned: each record's fields,
    unique ids within each kind, every reference (organisations, places,
    sectors, themes, sources, ``part_of``, ``follows``, parents), cited
    paragraphs within their source's count, funding shares summing to 1,
    known currencies, and no loop in ``part_of``, ``follows``, the places or
    the organisations. The first problem raises one
    :class:`~mali_aid.errors.DataError` naming the file (the bare file name
    for bundled files, the path for yours), the record id and the field path
    (``participants[1].organisation``); no record is changed or dropped and
    nothing is kept from a failed load.

    >>> import mali_aid
    >>> data = mali_aid.load()
    >>> data is mali_aid.load()
    True
    """
    if directory is None:
        if merge:
            raise DataError(
                "merge=True needs the directory to merge with the bundled data"
            )
        return _load_bundled()
    if not isinstance(directory, str | os.PathLike):
        raise DataError(f"the directory must be a path, not {type(directory).__name__}")
    from pathlib import Path  # pathlib costs import mali_aid a few ms

    user = _read_directory(Path(directory))
    if not merge:
        return _assemble(user)
    bundled = _tables_of(
        _load_bundled(), {plural: f"{plural}.toml" for plural in SINGULAR}
    )
    return _assemble(_merge(bundled, user, base_is="bundled"))
