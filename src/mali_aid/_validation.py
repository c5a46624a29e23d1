"""Whole-dataset validation: what no single record can check alone.

Each record checks its own fields when it is built (``_model``); a set of
records must also have unique ids within each kind, references that
resolve, cited paragraphs within their source, areas that are areas, no loop
in ``part_of``, ``follows``, the place and organisation trees or the areas
places are grouped into, and containers no smaller than their stated parts.
:func:`validate` checks them all and raises the first problem met as one
:class:`~mali_aid.errors.DataError`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Final

from ._kinds import KINDS, SINGULAR, suggestions
from ._model import (
    Engagement,
    Event,
    Indicator,
    Organisation,
    Place,
    PlaceLevel,
    Statement,
)
from .errors import DataError

__all__ = ["oversized_container", "validate"]

#: The links that must not loop: (kind, field).
_CHAINS: Final = (
    ("organisations", "parent"),
    ("places", "parent"),
    ("engagements", "part_of"),
    ("engagements", "follows"),
)

#: The fields of each class that refer to other records, in the order they
#: are checked: (field, kind referred to, the attribute of each item that
#: holds the id, or None where the item is the id).
_LINKS: Final[tuple[tuple[type[Any], tuple[tuple[str, str, str | None], ...]], ...]] = (
    (Organisation, (("parent", "organisations", None),)),
    (Place, (("parent", "places", None), ("areas", "places", None))),
    (
        Engagement,
        (
            ("participants", "organisations", "organisation"),
            ("sectors", "sectors", "sector"),
            ("places", "places", "place"),
            ("themes", "themes", None),
            ("part_of", "engagements", None),
            ("follows", "engagements", None),
        ),
    ),
    (
        Event,
        (
            ("actors", "organisations", None),
            ("places", "places", None),
            ("engagements", "engagements", None),
        ),
    ),
    (Indicator, (("place", "places", None),)),
    (
        Statement,
        (
            ("organisations", "organisations", None),
            ("places", "places", None),
            ("engagements", "engagements", None),
        ),
    ),
)

#: Builds the error for (kind, index of the record, reason, field path).
_Fail = Callable[[str, int, str, str], DataError]


def _references(record: Any) -> Iterator[tuple[str, str, str]]:
    """The ids a record refers to: (field path, kind referred to, id)."""
    for cls, links in _LINKS:
        if not isinstance(record, cls):
            continue
        for field, kind, inner in links:
            value = getattr(record, field)
            if value is None:
                continue
            if not isinstance(value, tuple):
                yield field, kind, value
                continue
            for index, item in enumerate(value):
                if inner is None:
                    yield f"{field}[{index}]", kind, item
                else:
                    yield f"{field}[{index}].{inner}", kind, getattr(item, inner)


def validate(
    tables: Mapping[str, Sequence[Any]],
    files: Mapping[str, Sequence[str | None]] | None,
) -> None:
    """Check ids, references, paragraphs and links of a whole set of records.

    Raises the first problem met, in the order of the kinds and of the
    records, as one :class:`DataError` naming the file (where ``files`` is
    given), the record and the field.
    """

    def fail(plural: str, index: int, reason: str, field: str) -> DataError:
        record = tables[plural][index]
        return DataError(
            reason,
            file=None if files is None else files[plural][index],
            record=record.id,
            field=field,
        )

    by_id = _unique_ids(tables, fail)
    _check_references(tables, by_id, fail)
    _check_areas(tables["places"], by_id["places"], fail)
    _check_loops(tables, fail)
    oversized = oversized_container(tables["engagements"])
    if oversized is not None:
        index, reason = oversized
        raise fail("engagements", index, reason, "amounts")


def _unique_ids(
    tables: Mapping[str, Sequence[Any]], fail: _Fail
) -> dict[str, dict[str, Any]]:
    """Each kind's records by id; a second record with an id is refused."""
    by_id: dict[str, dict[str, Any]] = {}
    for plural, singular, _ in KINDS:
        seen: dict[str, Any] = {}
        for index, record in enumerate(tables[plural]):
            if record.id in seen:
                raise fail(
                    plural,
                    index,
                    f"another {singular} already has the id {record.id!r}"
                    " (ids are unique within each kind)",
                    "id",
                )
            seen[record.id] = record
        by_id[plural] = seen
    return by_id


def _check_references(
    tables: Mapping[str, Sequence[Any]],
    by_id: Mapping[str, Mapping[str, Any]],
    fail: _Fail,
) -> None:
    """Every id a record refers to exists, and so does every cited paragraph."""
    sources = by_id["sources"]
    for plural, _, _ in KINDS:
        for index, record in enumerate(tables[plural]):
            for field, kind, wanted in _references(record):
                if wanted not in by_id[kind]:
                    raise fail(
                        plural,
                        index,
                        f"no {SINGULAR[kind]} has the id {wanted!r}"
                        + suggestions(wanted, by_id[kind]),
                        field,
                    )
            for number, citation in enumerate(getattr(record, "citations", ())):
                problem = _citation_problem(citation, sources)
                if problem is not None:
                    reason, field = problem
                    raise fail(plural, index, reason, f"citations[{number}].{field}")


def _citation_problem(
    citation: Any, sources: Mapping[str, Any]
) -> tuple[str, str] | None:
    """Why a citation does not resolve, and the field at fault, or None."""
    source = sources.get(citation.source)
    if source is None:
        return (
            f"no source has the id {citation.source!r}"
            + suggestions(citation.source, sources),
            "source",
        )
    if citation.paragraph is not None and citation.paragraph > source.paragraphs:
        return (
            f"paragraph {citation.paragraph} is beyond the"
            f" {source.paragraphs} paragraphs of source {source.id!r}",
            "paragraph",
        )
    return None


def _check_areas(
    places: Sequence[Place], by_id: Mapping[str, Place], fail: _Fail
) -> None:
    """A place is grouped into areas only, never into a region or a cercle."""
    for index, place in enumerate(places):
        for number, area in enumerate(place.areas):
            if by_id[area].level is not PlaceLevel.AREA:
                raise fail(
                    "places",
                    index,
                    f"{area!r} is a {by_id[area].level}, not an area; a place"
                    " lies in a region or cercle through its parent",
                    f"areas[{number}]",
                )


def _check_loops(tables: Mapping[str, Sequence[Any]], fail: _Fail) -> None:
    """No link of :data:`_CHAINS` makes a cycle, and no place lies in itself."""
    for plural, field in _CHAINS:
        cycle = _first_cycle(tables[plural], field)
        if cycle is not None:
            index, path = cycle
            raise fail(
                plural,
                index,
                f"{field} makes a cycle: {' -> '.join(path)}",
                field,
            )
    grouped = _first_grouping_loop(tables["places"])
    if grouped is not None:
        index, number, path = grouped
        raise fail(
            "places",
            index,
            f"areas makes a loop: {' -> '.join(path)} (an area cannot lie in"
            " a place grouped into it)",
            f"areas[{number}]",
        )


def oversized_container(
    engagements: Sequence[Engagement],
) -> tuple[int, str] | None:
    """The first container whose stated parts sum to more than it, where the
    container and its parts are all in one currency (other currencies are
    checked when totalled, at the rates of their time)."""
    from ._rules import contributing_amounts, counted_container

    by_id = {engagement.id: engagement for engagement in engagements}
    counted = {e.id: contributing_amounts(e) for e in engagements}
    inside: dict[str, list[Engagement]] = {}
    for engagement in engagements:
        if not counted[engagement.id]:
            continue
        container = counted_container(engagement, by_id, lambda id: bool(counted[id]))
        if container is not None:
            inside.setdefault(container.id, []).append(engagement)
    for index, container in enumerate(engagements):
        parts = inside.get(container.id, ())
        amounts = [*counted[container.id], *(a for p in parts for a in counted[p.id])]
        if not parts or len({amount.money.currency for amount in amounts}) != 1:
            continue
        whole = sum(amount.money.amount for amount in counted[container.id])
        held = sum(amount.money.amount for p in parts for amount in counted[p.id])
        if held > whole:
            names = ", ".join(repr(part.id) for part in parts)
            code = amounts[0].money.currency
            return index, (
                f"its parts {names} sum to {held:,} {code}, more than its own"
                f" {whole:,} {code}"
            )
    return None


def _first_cycle(
    records: Sequence[Any], field: str
) -> tuple[int, tuple[str, ...]] | None:
    """The first record (in order) on a loop of ``field`` links, with the loop.

    Every link is known to resolve. Returns the record's index and the ids
    along the loop, from that record back to it.
    """
    position = {record.id: index for index, record in enumerate(records)}
    settled: set[str] = set()
    for record in records:
        path: list[str] = []
        on_path: dict[str, int] = {}
        current: str | None = record.id
        while current is not None and current not in settled:
            if current in on_path:
                loop = path[on_path[current] :]
                first = min(loop, key=position.__getitem__)
                start = loop.index(first)
                ordered = (*loop[start:], *loop[:start], first)
                return position[first], ordered
            on_path[current] = len(path)
            path.append(current)
            current = getattr(records[position[current]], field)
        settled.update(path)
    return None


def _first_grouping_loop(
    places: Sequence[Any],
) -> tuple[int, int, tuple[str, ...]] | None:
    """The first place grouped into an area that lies in the place, and the loop.

    A place lies in its parent and in the areas it is grouped into; a place
    grouped into an area that is under the place itself (an area of a city
    grouped back into the city's areas) would lie in itself. Parents are
    known to make no loop. Returns the place's index, the number of the area
    in its ``areas`` and the ids from the place back to it.
    """
    links = {place.id: (*place.areas, place.parent) for place in places}
    for index, place in enumerate(places):
        for number, area in enumerate(place.areas):
            came_from: dict[str, str] = {area: place.id}
            queue = [area]
            while queue:
                current = queue.pop()
                for target in links[current]:
                    if target is None or target in came_from:
                        continue
                    came_from[target] = current
                    if target == place.id:
                        path = [target]
                        while path[-1] != area:
                            path.append(came_from[path[-1]])
                        return index, number, (place.id, *reversed(path))
                    queue.append(target)
    return None
