"""Where engagements meet: in time, in place and in sector.

:func:`find_overlaps` finds every pair of engagements that share a span of
time, a place (through the gazetteer: a cercle lies in its region) and a
sector, without testing all pairs: engagements are grouped by place and
sector, and each group is swept in order of start date.
"""

from __future__ import annotations

import heapq
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import TYPE_CHECKING, Literal

import attrs

from . import _arguments
from ._gc import paused_collection
from ._lineage import ancestors
from ._model import Engagement, PlaceLevel, Role
from ._period import Period
from .errors import DataError

if TYPE_CHECKING:
    from ._dataset import Dataset

__all__ = [
    "Overlap",
    "Overlaps",
    "find_overlaps",
    "iter_overlaps",
    "reference_overlaps",
]

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
    Yorosso), except that an engagement stated for a whole country shares
    only the country (one in Mali meets one in Gao in Mali, not in Gao);
    ``sectors`` the shared sectors.
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

    pairs: Sequence[Overlap]
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

    def between_donors(self, data: Dataset, donors: Iterable[str]) -> Overlaps:
        """The pairs between the donors named (ids of root organisations):
        one engagement of one of them, the other of another, so that
        Luxembourg alone and Luxembourg with Switzerland are not a pair
        between Belgium and Luxembourg."""
        from ._compare import pairs_between

        return attrs.evolve(self, pairs=pairs_between(self, data, donors))

    def to_dict(self, data: Dataset | None = None) -> dict[str, object]:
        """Plain data for JSON; with ``data``, each pair names its donors."""
        from ._serialise import overlaps_dict

        return overlaps_dict(self, data)

    def to_text(self, width: int | None = None) -> str:
        """The pairs as an aligned table of the dimensions asked about, and
        the count; within ``width`` characters when given."""
        from ._browse import overlaps_text

        return overlaps_text(self, width)

    def __str__(self) -> str:
        return self.to_text()


@attrs.frozen
class _Entry:
    index: int
    record: Engagement
    spans: tuple[tuple[int, int], ...]
    basis: str | None


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


Spans = tuple[tuple[int, int], ...]


def _within(spans: Spans, period: Period | None) -> Spans:
    """The part of ``spans`` that a place's own period certainly covers."""
    if period is None:
        return spans
    certain = period.certain_span()
    if certain is None:
        return ()
    low, high = certain[0].toordinal(), certain[1].toordinal()
    kept = []
    for start, end in spans:
        start, end = max(start, low), min(end, high)
        if start <= end:
            kept.append((start, end))
    return tuple(kept)


def _shared_place(
    data: Dataset, first: str, second: str, chain: Callable[[str], tuple[str, ...]]
) -> str | None:
    """Where two places meet: the one inside the other, or a whole country.

    ``None`` when neither lies in the other. A country on one side is the
    shared place: an engagement said to be in Mali is not known to be in the
    other's region or city.
    """
    if first in chain(second):
        outer, inner = first, second
    elif second in chain(first):
        outer, inner = second, first
    else:
        return None
    return outer if data.place(outer).level is PlaceLevel.COUNTRY else inner


def _meeting_in_place(
    data: Dataset,
    first: _Entry,
    second: _Entry,
    chain: Callable[[str], tuple[str, ...]],
) -> tuple[tuple[str, ...], list[tuple[int, int]]]:
    """The shared places and days of two engagements whose places have periods.

    Each pair of their places that meet counts on the days both places
    hold (a place with a period holds only within it); the result is the
    most specific places met and the days met, merged.
    """
    shared_places = set()
    days: list[tuple[int, int]] = []
    for share_a in first.record.places:
        for share_b in second.record.places:
            place = _shared_place(data, share_a.place, share_b.place, chain)
            if place is None:
                continue
            common = _shared_days(
                _within(first.spans, share_a.period),
                _within(second.spans, share_b.period),
            )
            if common:
                shared_places.add(place)
                days.extend(common)
    merged: list[tuple[int, int]] = []
    for start, end in sorted(days):
        if merged and start <= merged[-1][1] + 1:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return _most_specific(shared_places, chain), merged


def iter_overlaps(
    engagements: Iterable[Engagement],
    *,
    data: Dataset,
    on: Iterable[Dimension] = ("time", "place", "sector"),
    min_days: int = 1,
    between: Literal["donors", "all"] = "donors",
) -> Iterator[Overlap]:
    """The pairs :func:`find_overlaps` gives, in the same order, made one at a time.

    The search itself runs when the first pair is asked for; the result
    objects are then made as they are consumed, so a large result need not
    sit in memory at once.
    """
    engagements = _arguments.engagements("iter_overlaps", engagements)
    _arguments.check(
        "iter_overlaps", data=data, on=on, min_days=min_days, between=between
    )
    with paused_collection():
        _dimensions, _undated, pairs = _search(
            engagements, data=data, on=on, min_days=min_days, between=between
        )
    yield from pairs


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
      (an engagement's time is its period's certain span together with the
      years a source saw it active; one with neither is listed in
      ``undated``);
    - ``"place"``: one's place is or lies within the other's, through the
      gazetteer of ``data`` (administrative parents and the areas a source
      groups places into, see ``Dataset.enclosing``); with ``"time"``
      too, a place that holds for part of an engagement's life only
      (``PlaceShare.period``) meets only within that part, and the
      days counted are those they share in time at a shared place;
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
    engagements = _arguments.engagements("find_overlaps", engagements)
    _arguments.check(
        "find_overlaps", data=data, on=on, min_days=min_days, between=between
    )
    with paused_collection():
        dimensions, undated, pairs = _search(
            engagements, data=data, on=on, min_days=min_days, between=between
        )
        return Overlaps(pairs=pairs, undated=undated, on=dimensions, between=between)


def _checked(on: Iterable[Dimension], min_days: int, between: str) -> tuple[str, ...]:
    """The dimensions asked for, each once, with the other arguments checked."""
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
    return dimensions


def reference_overlaps(
    engagements: Iterable[Engagement],
    *,
    data: Dataset,
    on: Iterable[Dimension] = ("time", "place", "sector"),
    min_days: int = 1,
    between: Literal["donors", "all"] = "donors",
) -> Overlaps:
    """:func:`find_overlaps` by the readable rules of
    :mod:`mali_aid._overlap_rules`, testing every pair: the oracle the fast
    search is checked against (slow beyond a few thousand engagements)."""
    engagements = _arguments.engagements("reference_overlaps", engagements)
    _arguments.check(
        "reference_overlaps", data=data, on=on, min_days=min_days, between=between
    )
    from ._overlap_rules import Search, days_of, reference_pairs

    dimensions = _checked(on, min_days, between)
    records = list(engagements)
    search = Search(
        data=data,
        records={record.id: record for record in records},
        on=dimensions,
        min_days=min_days,
        between=between,
    )
    undated = (
        tuple(record.id for record in records if not days_of(record))
        if "time" in dimensions
        else ()
    )
    return Overlaps(
        pairs=tuple(reference_pairs(records, search)),
        undated=undated,
        on=dimensions,
        between=between,
    )


Member = tuple[int, str | None, bool, Spans]
Hit = tuple[str | None, str | None]
Slot = tuple[str | None, str | None, bool, Spans]


@attrs.define(eq=False)
class _Prepared:
    """What both sweeps read: each engagement's time, donors and shape.

    ``entries`` holds ``None`` for an engagement left out (undated when time
    is asked about); ``single_slot`` marks those with one place, one sector
    and one span, whose pairs meet in one bucket and need no gathering;
    ``partial_places`` those with a place that holds for part of their life.
    """

    data: Dataset
    records: list[Engagement]
    dimensions: tuple[str, ...]
    min_days: int
    between: str
    entries: list[_Entry | None]
    undated: tuple[str, ...]
    donors_at: list[frozenset[object] | None]
    partial_places: list[bool]
    single_slot: list[bool]
    linked: list[bool]
    countries: frozenset[str]
    by_id: dict[str, Engagement]
    chains: dict[str, tuple[str, ...]] = attrs.Factory(dict)
    lineages: dict[str, set[str]] = attrs.Factory(dict)
    periods: dict[tuple[int, int], Period] = attrs.Factory(dict)

    @property
    def with_time(self) -> bool:
        return "time" in self.dimensions

    def chain(self, place_id: str) -> tuple[str, ...]:
        """The place and every place it lies in, innermost first."""
        found = self.chains.get(place_id)
        if found is None:
            enclosing = self.data.enclosing(place_id)
            found = self.chains[place_id] = (place_id, *(p.id for p in enclosing))
        return found

    def slots(self, entry: _Entry) -> list[Slot]:
        """The buckets' places an engagement sits in: (place, own place, anchored, days).

        An engagement sits at each place that is or contains one of its
        places, anchored at its own; a country it lies in stands as its own
        place there (a whole-country engagement shares only the country).
        """
        if "place" not in self.dimensions:
            return [(None, None, True, entry.spans)]
        slots: list[Slot] = []
        for share in entry.record.places:
            spans = (
                _within(entry.spans, share.period)
                if self.partial_places[entry.index]
                else entry.spans
            )
            for depth, around in enumerate(self.chain(share.place)):
                own = around if depth and around in self.countries else share.place
                slots.append((around, own, depth == 0, spans))
        return slots

    def sectors(self, entry: _Entry) -> list[str | None]:
        if "sector" not in self.dimensions:
            return [None]
        return [share.sector for share in entry.record.sectors]

    def related(self, first: int, second: int) -> bool:
        """Whether one is part of the other, or follows it: never a pair."""
        if not (self.linked[first] or self.linked[second]):
            return False
        a, b = self.records[first], self.records[second]
        if (a.part_of is not None or b.part_of is not None) and (
            b.id in self._lineage(a) or a.id in self._lineage(b)
        ):
            return True
        return (a.follows is not None and a.follows == b.id) or (
            b.follows is not None and b.follows == a.id
        )

    def _lineage(self, record: Engagement) -> set[str]:
        known = self.lineages.get(record.id)
        if known is None:
            known = self.lineages[record.id] = set(ancestors(record, self._engagement))
        return known

    def _engagement(self, id: str) -> Engagement | None:
        return self.by_id.get(id) or self.data.engagement(id, default=None)

    def pair(self, first: int, second: int, hits: list[Hit]) -> Overlap | None:
        """The overlap of two engagements from the hits where they met, or ``None``.

        ``None`` when they are related (part of, follows) or share fewer
        than ``min_days`` days.
        """
        if self.related(first, second):
            return None
        entry_a, entry_b = self.entries[first], self.entries[second]
        assert entry_a is not None and entry_b is not None
        partial = self.partial_places[first] or self.partial_places[second]
        exact: list[tuple[int, int]] | None = None
        if len(hits) == 1 and not partial:
            place, sector = hits[0]
            places: tuple[str, ...] = () if place is None else (place,)
            sectors: tuple[str, ...] = () if sector is None else (sector,)
        else:
            sectors = tuple(sorted({s for _, s in hits if s is not None}))
            if partial:
                places, exact = _meeting_in_place(
                    self.data, entry_a, entry_b, self.chain
                )
            else:
                shared = {place for place, _ in hits if place is not None}
                places = _most_specific(shared, self.chain)
        ids = entry_a.record.id, entry_b.record.id
        if not self.with_time:
            return Overlap(*ids, None, None, None, places, sectors)
        days, low, high = self._days(entry_a.spans, entry_b.spans, exact)
        if days < self.min_days:
            return None
        period = self.periods.get((low, high))
        if period is None:
            period = self.periods[(low, high)] = Period._between_days(
                date.fromordinal(low), date.fromordinal(high)
            )
        basis = (str(entry_a.basis), str(entry_b.basis))
        return Overlap(*ids, period, days, basis, places, sectors)

    @staticmethod
    def _days(
        first: Spans, second: Spans, exact: list[tuple[int, int]] | None
    ) -> tuple[int, int, int]:
        """The days shared, and the first and last of them."""
        if exact is None and len(first) == 1 and len(second) == 1:
            low, high = max(first[0][0], second[0][0]), min(first[0][1], second[0][1])
            return high - low + 1, low, high
        common = exact if exact is not None else _shared_days(first, second)
        if not common:
            return 0, 0, 0
        days = sum(end - start + 1 for start, end in common)
        return days, common[0][0], common[-1][1]


def _prepare(
    engagements: Iterable[Engagement],
    *,
    data: Dataset,
    on: Iterable[Dimension],
    min_days: int,
    between: str,
) -> _Prepared:
    """Check the arguments and read each engagement's time, donors and shape."""
    dimensions = _checked(on, min_days, between)
    with_time = "time" in dimensions
    records = list(engagements)
    entries: list[_Entry | None] = []
    undated: list[str] = []
    single_donor: dict[str, frozenset[object]] = {}

    def donors_of(record: Engagement) -> frozenset[object]:
        participants = record.participants
        if len(participants) == 1 and participants[0].role is Role.FUNDING:
            organisation = participants[0].organisation
            known = single_donor.get(organisation)
            if known is None:
                known = frozenset((data.root_organisation(organisation).id,))
                single_donor[organisation] = known
            return known
        return frozenset(
            data.root_organisation(participant.organisation).id
            for participant in participants
            if participant.role is Role.FUNDING
        )

    # Engagements often share a period object: its spans are worked out once.
    spans_of_period: dict[int, tuple[Spans, str | None]] = {}
    for index, record in enumerate(records):
        if record.period is not None and not record.active_in:
            cached = spans_of_period.get(id(record.period))
            if cached is None:
                cached = spans_of_period[id(record.period)] = _spans(record)
            spans, time_source = cached
        else:
            spans, time_source = _spans(record)
        if with_time and not spans:
            undated.append(record.id)
            entries.append(None)
            continue
        entries.append(_Entry(index, record, spans, time_source))

    with_place = "place" in dimensions
    partial = [
        entry is not None
        and with_place
        and with_time
        and not all(share.period is None for share in entry.record.places)
        for entry in entries
    ]
    # Each engagement's donors (the roots of its funders), where asked.
    donors_at: list[frozenset[object] | None] = [
        None if entry is None or between != "donors" else donors_of(entry.record)
        for entry in entries
    ]
    if between == "donors":
        # A part whose funder is unknown takes its programme as donor (rule 2).
        for position, programme in enumerate(_programmes(records, data)):
            if donors_at[position] == frozenset() and programme is not None:
                donors_at[position] = frozenset({("programme", programme)})
    linked_ids = {
        target
        for record in records
        for target in (record.part_of, record.follows)
        if target is not None
    }
    return _Prepared(
        data=data,
        records=records,
        dimensions=dimensions,
        min_days=min_days,
        between=between,
        entries=entries,
        undated=tuple(undated) if with_time else (),
        donors_at=donors_at,
        partial_places=partial,
        single_slot=[
            entry is not None
            and (not with_place or len(entry.record.places) == 1)
            and ("sector" not in dimensions or len(entry.record.sectors) == 1)
            and not partial[entry.index]
            # Several spans meet a partner's once each: their hits are gathered.
            and len(entry.spans) == 1
            for entry in entries
        ],
        linked=[
            record.part_of is not None
            or record.follows is not None
            or record.id in linked_ids
            for record in records
        ],
        countries=frozenset(
            place.id for place in data.places if place.level is PlaceLevel.COUNTRY
        ),
        by_id={record.id: record for record in records},
    )


def _search(
    engagements: Iterable[Engagement],
    *,
    data: Dataset,
    on: Iterable[Dimension] = ("time", "place", "sector"),
    min_days: int = 1,
    between: Literal["donors", "all"] = "donors",
) -> tuple[tuple[str, ...], tuple[str, ...], Sequence[Overlap]]:
    """Find the pairs; return the dimensions, the undated and the overlaps.

    Large inputs go to the columnar sweep of :mod:`mali_aid._overlap_engine`
    when numpy is installed; the others to the pure sweep below. Both give
    the pairs of :func:`reference_overlaps`, in the same order.
    """
    from . import _overlap_engine

    if engagements is data.engagements and _overlap_engine.usable(len(engagements)):
        # The dataset's own engagements: their columns are kept with it.
        dimensions = _checked(on, min_days, between)
        prepared, columns = _overlap_engine.of_dataset(
            data,
            dimensions,
            between,
            lambda: _prepare(
                engagements, data=data, on=on, min_days=min_days, between=between
            ),
        )
        prepared = attrs.evolve(prepared, min_days=min_days)
        return dimensions, prepared.undated, _overlap_engine.search(prepared, columns)
    prepared = _prepare(
        engagements, data=data, on=on, min_days=min_days, between=between
    )
    if _overlap_engine.usable(len(prepared.records)):
        pairs: Sequence[Overlap] = _overlap_engine.search(prepared)
    else:
        pairs = tuple(_pure_sweep(prepared))
    return prepared.dimensions, prepared.undated, pairs


def _buckets(prepared: _Prepared) -> dict[Hit, list[Member]]:
    """The members of each (place, sector) bucket.

    An entry sits in the bucket of each place that is or contains one of
    its places, "anchored" when the bucket is its own place. Two entries
    meet in a bucket when at least one of them is anchored there; the shared
    place is then the other's own place (or the bucket, when both are
    anchored). Sibling places never meet.
    """
    buckets: dict[Hit, list[Member]] = {}
    for entry in prepared.entries:
        if entry is None:
            continue
        slots = prepared.slots(entry)
        for sector in prepared.sectors(entry):
            for around, own, anchored, spans in slots:
                buckets.setdefault((around, sector), []).append(
                    (entry.index, own, anchored, spans)
                )
    return buckets


def _pure_sweep(prepared: _Prepared) -> Iterator[Overlap]:
    """The pairs, in input order, by a sweep of each bucket in pure Python."""
    count = len(prepared.records)
    donors_at = prepared.donors_at
    check_donors = prepared.between == "donors"
    # Each pair's hits, (shared place, shared sector), one per bucket where
    # they meet. A pair (i, j), i < j, is the integer i * count + j: cheaper to
    # hash and to sort than a tuple, and it sorts in the same order.
    found: dict[int, list[Hit]] = {}
    for (_place, sector), members in _buckets(prepared).items():
        if not any(member[2] for member in members):
            continue  # nobody is anchored here: nothing meets in this bucket
        for a, b in _meeting_members(members, prepared.with_time):
            if a[0] == b[0]:
                continue
            mine = donors_at[a[0]] if check_donors else None
            if mine and mine == donors_at[b[0]]:
                continue
            key = a[0] * count + b[0] if a[0] < b[0] else b[0] * count + a[0]
            # The shared place: the unanchored one's own place, or, both
            # anchored, the bucket, which is then the own place of both.
            found.setdefault(key, []).append((b[1] if a[2] else a[1], sector))
    for key in sorted(found):
        first, second = divmod(key, count)
        made = prepared.pair(first, second, found[key])
        if made is not None:
            yield made


def _meeting_members(
    members: list[Member], with_time: bool
) -> Iterator[tuple[Member, Member]]:
    """The pairs of members of one bucket that meet: one anchored, days shared."""
    if not with_time:
        # Each anchored member meets every other member once.
        for anchor_position, anchor in enumerate(members):
            if anchor[2]:
                for position, member in enumerate(members):
                    if position != anchor_position and not (
                        member[2] and position < anchor_position
                    ):
                        yield anchor, member
        return
    # Sweep in order of start: each new span meets the spans still open.
    # Every open span meets an anchored newcomer; an unanchored newcomer
    # meets only the open anchored spans. Expired spans leave through a heap
    # of ends, so the work is the spans plus the pairs found.
    events = sorted(
        (span[0], span[1], position)
        for position, member in enumerate(members)
        for span in member[3]
    )
    open_all: dict[int, int] = {}
    open_anchored: dict[int, int] = {}
    ends: list[tuple[int, int]] = []
    for start, end, position in events:
        while ends and ends[0][0] < start:
            expired, gone = heapq.heappop(ends)
            if open_all.get(gone) == expired:
                del open_all[gone]
                open_anchored.pop(gone, None)
        newcomer = members[position]
        for other in list(open_all if newcomer[2] else open_anchored):
            yield members[other], newcomer
        open_all[position] = end
        if newcomer[2]:
            open_anchored[position] = end
        heapq.heappush(ends, (end, position))


def _programmes(records: Sequence[Engagement], data: Dataset) -> list[str | None]:
    """For each engagement, the outermost engagement it lies in, or ``None``."""
    from ._overlap_rules import Search, lineage

    search = Search(
        data=data,
        records={record.id: record for record in records},
        on=(),
        min_days=1,
        between="donors",
    )
    found: list[str | None] = []
    for record in records:
        chain = lineage(record, search) if record.part_of is not None else ()
        found.append(chain[-1] if chain else None)
    return found


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
