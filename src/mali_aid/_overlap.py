"""Where engagements meet: in time, in place and in sector.

:func:`find_overlaps` finds every pair of engagements that share a span of
time, a place (through the gazetteer: a cercle lies in its region) and a
sector, without testing all pairs: engagements are grouped by place and
sector, and each group is swept in order of start date.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Literal

import attrs

from ._model import Engagement
from ._period import Period, Precision
from .errors import DataError

if TYPE_CHECKING:
    from ._dataset import Dataset

__all__ = ["Overlap", "Overlaps", "find_overlaps", "iter_overlaps"]

Dimension = Literal["time", "place", "sector"]
_DIMENSIONS = ("time", "place", "sector")


@attrs.frozen
class Overlap:
    """Two engagements that meet, and where and when they do.

    ``first`` and ``second`` are engagement ids, in input order. ``period``
    runs from the first to the last day they certainly share and ``days``
    counts the days shared (fewer than the period's when an engagement is
    known only from separate years); both are ``None`` when time was not
    asked about. ``time_basis`` says, for each, where its time came from:
    its ``"period"``, the years a source saw it ``"active_in"``, or
    ``"period and active_in"``. ``places`` are the shared places at their most specific
    (an engagement in the Yorosso cercle meets one in the Sikasso region in
    Yorosso); ``sectors`` the shared sectors.
    """

    first: str
    second: str
    period: Period | None
    days: int | None
    time_basis: tuple[str, str] | None
    places: tuple[str, ...]
    sectors: tuple[str, ...]


@attrs.frozen
class Overlaps(Sequence[Overlap]):
    """The overlapping pairs, in input order, and what could not be placed in time.

    A read-only sequence of :class:`Overlap`. ``undated`` lists the
    engagements with neither a known period nor years of activity, which
    cannot meet anything in time (only when time was asked about).
    """

    pairs: tuple[Overlap, ...]
    undated: tuple[str, ...]
    on: tuple[str, ...]
    between: str

    def __getitem__(self, index: int) -> Overlap:  # type: ignore[override]
        return self.pairs[index]

    def __len__(self) -> int:
        return len(self.pairs)

    def __iter__(self) -> Iterator[Overlap]:
        return iter(self.pairs)

    def between_ids(self, first: str, second: str) -> Overlap | None:
        """The overlap of two engagements, in either order, or ``None``."""
        for pair in self.pairs:
            if {pair.first, pair.second} == {first, second}:
                return pair
        return None


@attrs.frozen
class _Entry:
    index: int
    record: Engagement
    spans: tuple[tuple[int, int], ...]
    basis: str | None
    donors: frozenset[str] | None


def _spans(record: Engagement) -> tuple[tuple[tuple[int, int], ...], str | None]:
    """The days an engagement is certainly active, as merged ordinal spans.

    Its period's certain span and the years a source saw it active, together
    (an open-ended mission is known from its start and from later sightings).
    """
    raw: list[tuple[int, int]] = []
    sources = []
    if record.period is not None:
        span = record.period.certain_span()
        if span is not None:
            raw.append((span[0].toordinal(), span[1].toordinal()))
            sources.append("period")
    if record.active_in:
        sources.append("active_in")
        for year in record.active_in:
            raw.append((date(year, 1, 1).toordinal(), date(year, 12, 31).toordinal()))
    if not raw:
        return (), None
    merged: list[tuple[int, int]] = []
    for start, end in sorted(raw):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return tuple(merged), " and ".join(sources)


def _shared_days(
    first: tuple[tuple[int, int], ...], second: tuple[tuple[int, int], ...]
) -> list[tuple[int, int]]:
    shared = []
    for a_start, a_end in first:
        for b_start, b_end in second:
            low, high = max(a_start, b_start), min(a_end, b_end)
            if low <= high:
                shared.append((low, high))
    return sorted(shared)


def _as_period(shared: list[tuple[int, int]]) -> Period:
    low = date.fromordinal(shared[0][0])
    high = date.fromordinal(shared[-1][1])
    return Period(
        start=low, start_precision=Precision.DAY, end=high, end_precision=Precision.DAY
    )


def iter_overlaps(
    engagements: Iterable[Engagement],
    *,
    data: Dataset,
    on: Iterable[Dimension] = ("time", "place", "sector"),
    min_days: int = 1,
    between: Literal["donors", "all"] = "donors",
) -> Iterator[Overlap]:
    """The pairs :func:`find_overlaps` gives, one at a time, in the same order."""
    yield from find_overlaps(
        engagements, data=data, on=on, min_days=min_days, between=between
    ).pairs


def find_overlaps(
    engagements: Iterable[Engagement],
    *,
    data: Dataset,
    on: Iterable[Dimension] = ("time", "place", "sector"),
    min_days: int = 1,
    between: Literal["donors", "all"] = "donors",
) -> Overlaps:
    """Every pair of engagements that meet on all the dimensions of ``on``.

    - ``"time"``: their periods certainly share at least ``min_days`` days
      (an engagement with no known period uses the years a source saw it
      active; one with neither is listed in ``undated``);
    - ``"place"``: one's place is or lies within the other's, through the
      gazetteer of ``data``;
    - ``"sector"``: they share a sector.

    ``between="donors"`` keeps pairs whose donors (roots of their funders)
    differ; an unknown donor differs from every donor, known or not.
    ``between="all"`` keeps every pair. A part and the engagement it is
    part of, or an engagement and the one it follows, are never reported.
    Each pair comes once, the earlier engagement of the input first, in
    input order.

    Engagements are grouped by place and sector and each group is swept in
    order of start date, so the work grows with the number of engagements
    and of pairs found, not with every possible pair.
    """
    dimensions = tuple(dict.fromkeys(on))
    for dimension in dimensions:
        if dimension not in _DIMENSIONS:
            raise DataError(
                f"cannot match on {dimension!r}; choose from time, place, sector"
            )
    if not dimensions:
        raise DataError("give at least one dimension to match on")
    if between not in ("donors", "all"):
        raise DataError(f"between must be 'donors' or 'all', not {between!r}")
    if isinstance(min_days, bool) or not isinstance(min_days, int) or min_days < 1:
        raise DataError("min_days must be a whole number of at least 1")
    with_time = "time" in dimensions
    with_place = "place" in dimensions
    with_sector = "sector" in dimensions

    records = list(engagements)
    entries: list[_Entry] = []
    undated: list[str] = []
    for index, record in enumerate(records):
        spans, time_source = _spans(record)
        if with_time and not spans:
            undated.append(record.id)
            continue
        donors = frozenset(data.donors(record)) if between == "donors" else None
        entries.append(_Entry(index, record, spans, time_source, donors))

    chains: dict[str, tuple[str, ...]] = {}

    def chain(place_id: str) -> tuple[str, ...]:
        found = chains.get(place_id)
        if found is None:
            found = (place_id, *(place.id for place in data.ancestors(place_id)))
            chains[place_id] = found
        return found

    # Buckets of (place bucket, sector): an entry sits in the bucket of each
    # place that is or contains one of its places, marked as "anchored"
    # when the bucket is its own place. Two entries meet in a bucket when at
    # least one of them is anchored there.
    buckets: dict[
        tuple[str | None, str | None], list[tuple[_Entry, str | None, bool]]
    ] = {}
    for entry in entries:
        place_slots: list[tuple[str | None, str | None, bool]] = []
        if with_place:
            for share in entry.record.places:
                for depth, around in enumerate(chain(share.place)):
                    place_slots.append((around, share.place, depth == 0))
        else:
            place_slots.append((None, None, True))
        sector_ids: list[str | None] = (
            [share.sector for share in entry.record.sectors] if with_sector else [None]
        )
        for sector in sector_ids:
            for around_place, own, anchored in place_slots:
                buckets.setdefault((around_place, sector), []).append(
                    (entry, own, anchored)
                )

    found: dict[tuple[int, int], tuple[set[str], set[str]]] = {}

    def meet(
        a: tuple[_Entry, str | None, bool],
        b: tuple[_Entry, str | None, bool],
        bucket: str | None,
        sector: str | None,
    ) -> None:
        first, second = (a, b) if a[0].index < b[0].index else (b, a)
        if first[0].index == second[0].index:
            return
        if not (first[2] or second[2]):
            return
        key = (first[0].index, second[0].index)
        places, sectors = found.setdefault(key, (set(), set()))
        if with_place:
            # The more specific place: the one that is not the bucket itself,
            # or the bucket when both are anchored there.
            own: str | None = (
                first[1] if not first[2] else second[1] if not second[2] else bucket
            )
            assert own is not None
            places.add(own)
        if with_sector and sector is not None:
            sectors.add(sector)

    for (bucket_place, bucket_sector), members in buckets.items():
        if with_time:
            events = sorted(
                (span[0], span[1], position)
                for position, member in enumerate(members)
                for span in member[0].spans
            )
            active: list[tuple[int, int]] = []
            for start, end, position in events:
                active = [(e, p) for e, p in active if e >= start]
                for _end, earlier in active:
                    meet(
                        members[position], members[earlier], bucket_place, bucket_sector
                    )
                active.append((end, position))
        else:
            for i, member in enumerate(members):
                for later in members[i + 1 :]:
                    meet(member, later, bucket_place, bucket_sector)

    by_id = {record.id: record for record in records}

    def lineage(record: Engagement) -> set[str]:
        seen: set[str] = set()
        parent = record.part_of
        while parent is not None and parent not in seen:
            seen.add(parent)
            known = by_id.get(parent) or data.engagement(parent, default=None)
            parent = known.part_of if known is not None else None
        return seen

    lineages: dict[str, set[str]] = {}
    pairs: list[Overlap] = []
    for first_index, second_index in sorted(found):
        a, b = records[first_index], records[second_index]
        if a.id not in lineages:
            lineages[a.id] = lineage(a)
        if b.id not in lineages:
            lineages[b.id] = lineage(b)
        if a.id in lineages[b.id] or b.id in lineages[a.id]:
            continue
        if a.follows == b.id or b.follows == a.id:
            continue
        entry_a = _entry_at(entries, first_index)
        entry_b = _entry_at(entries, second_index)
        if between == "donors" and entry_a.donors and entry_a.donors == entry_b.donors:
            continue
        places, sectors = found[(first_index, second_index)]
        period: Period | None = None
        days: int | None = None
        basis: tuple[str, str] | None = None
        if with_time:
            shared = _shared_days(entry_a.spans, entry_b.spans)
            days = sum(high - low + 1 for low, high in shared)
            if days < min_days:
                continue
            period = _as_period(shared)
            assert entry_a.basis is not None and entry_b.basis is not None
            basis = (entry_a.basis, entry_b.basis)
        pairs.append(
            Overlap(
                first=a.id,
                second=b.id,
                period=period,
                days=days,
                time_basis=basis,
                places=_most_specific(places, chain),
                sectors=tuple(sorted(sectors)),
            )
        )
    return Overlaps(
        pairs=tuple(pairs),
        undated=tuple(undated) if with_time else (),
        on=dimensions,
        between=between,
    )


def _entry_at(entries: list[_Entry], index: int) -> _Entry:
    """The entry of input position ``index`` (entries are in input order)."""
    low, high = 0, len(entries) - 1
    while low <= high:
        middle = (low + high) // 2
        if entries[middle].index < index:
            low = middle + 1
        elif entries[middle].index > index:
            high = middle - 1
        else:
            return entries[middle]
    raise KeyError(index)


def _most_specific(
    places: set[str], chain: Callable[[str], tuple[str, ...]]
) -> tuple[str, ...]:
    """Drop a shared place when a more specific shared place lies in it."""
    kept = []
    for place in places:
        inside = any(other != place and place in chain(other)[1:] for other in places)
        if not inside:
            kept.append(place)
    return tuple(sorted(kept))
