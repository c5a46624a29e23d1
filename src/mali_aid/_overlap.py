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

from ._gc import paused_collection
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
    with paused_collection():
        dimensions, undated, pairs = _search(
            engagements, data=data, on=on, min_days=min_days, between=between
        )
        return Overlaps(
            pairs=tuple(pairs), undated=undated, on=dimensions, between=between
        )


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


def _search(
    engagements: Iterable[Engagement],
    *,
    data: Dataset,
    on: Iterable[Dimension] = ("time", "place", "sector"),
    min_days: int = 1,
    between: Literal["donors", "all"] = "donors",
) -> tuple[tuple[str, ...], tuple[str, ...], Iterator[Overlap]]:
    """Find the pairs; return the dimensions, the undated and the overlaps.

    The search runs now; the :class:`Overlap` objects are made by the
    returned iterator, in order, as it is consumed.
    """
    dimensions = _checked(on, min_days, between)
    with_time = "time" in dimensions
    with_place = "place" in dimensions
    with_sector = "sector" in dimensions

    records = list(engagements)
    entries: list[_Entry | None] = []
    undated: list[str] = []

    single_donor: dict[str, frozenset[str]] = {}

    def donors_of(record: Engagement) -> frozenset[str]:
        participants = record.participants
        if len(participants) == 1 and participants[0].role is Role.FUNDING:
            organisation = participants[0].organisation
            known = single_donor.get(organisation)
            if known is None:
                known = frozenset((data.root_organisation(organisation).id,))
                single_donor[organisation] = known
            return known
        roots = set()
        for participant in participants:
            if participant.role is Role.FUNDING:
                roots.add(data.root_organisation(participant.organisation).id)
        return frozenset(roots)

    # Engagements often share a period object: its spans are worked out once.
    spans_of_period: dict[int, tuple[tuple[tuple[int, int], ...], str | None]] = {}

    for index, record in enumerate(records):
        known_period = record.period
        if known_period is not None and not record.active_in:
            cached = spans_of_period.get(id(known_period))
            if cached is None:
                cached = spans_of_period[id(known_period)] = _spans(record)
            spans, time_source = cached
        else:
            spans, time_source = _spans(record)
        if with_time and not spans:
            undated.append(record.id)
            entries.append(None)
            continue
        donors = donors_of(record) if between == "donors" else None
        entries.append(_Entry(index, record, spans, time_source, donors))

    chains: dict[str, tuple[str, ...]] = {}

    def chain(place_id: str) -> tuple[str, ...]:
        found = chains.get(place_id)
        if found is None:
            found = (place_id, *(place.id for place in data.enclosing(place_id)))
            chains[place_id] = found
        return found

    # Buckets of (place, sector): an entry sits in the bucket of each place
    # that is or contains one of its places, "anchored" when the bucket is its
    # own place. Two entries meet in a bucket when at least one of them is
    # anchored there; the shared place is then the other's own place (or the
    # bucket, when both are anchored). Sibling places never meet.
    # An unanchored member whose bucket is a country reports the country as
    # its place: a whole-country engagement shares only the country. A
    # member carries the days its place holds: the engagement's, or their
    # part within the place's own period.
    Member = tuple[int, str | None, bool, Spans]
    buckets: dict[tuple[str | None, str | None], list[Member]] = {}
    countries = {place.id for place in data.places if place.level is PlaceLevel.COUNTRY}
    # Entries with a place that holds for part of their life only: their
    # pairs' places and days are worked out from their places, one by one.
    partial_places = [
        entry is not None
        and with_place
        and with_time
        and any(share.period is not None for share in entry.record.places)
        for entry in entries
    ]
    for entry in entries:
        if entry is None:
            continue
        place_slots: list[tuple[str | None, str | None, bool, Spans]] = []
        if with_place:
            for share in entry.record.places:
                spans = (
                    _within(entry.spans, share.period)
                    if partial_places[entry.index]
                    else entry.spans
                )
                for depth, around in enumerate(chain(share.place)):
                    own = around if depth and around in countries else share.place
                    place_slots.append((around, own, depth == 0, spans))
        else:
            place_slots.append((None, None, True, entry.spans))
        sector_ids: list[str | None] = (
            [share.sector for share in entry.record.sectors] if with_sector else [None]
        )
        for sector in sector_ids:
            for around_place, own_place, anchored, slot_spans in place_slots:
                buckets.setdefault((around_place, sector), []).append(
                    (entry.index, own_place, anchored, slot_spans)
                )

    # Each pair's hits: (shared place, shared sector), one per bucket where
    # they meet. Most pairs meet once, so a lone hit is kept as it is and a
    # list is made only for a second one.
    Hit = tuple[str | None, str | None]
    # A pair (i, j), i < j, is the integer i * count + j: cheaper to hash and
    # to sort than a tuple, and it sorts in the same order.
    count = len(records)
    found: dict[int, Hit | list[Hit]] = {}
    # Pairs of two engagements with one place and one sector each meet in one
    # bucket only, so their hit needs no gathering: such a pair is kept as
    # one integer, (pair << shift) | code, the code numbering its hit in
    # ``hits_by_code`` (code 0 sends the pair to ``found``). Integers sort
    # several times faster than tuples.
    hit_codes: dict[Hit, int] = {}
    hits_by_code: list[Hit] = [(None, None)]
    shift = (sum(len(members) for members in buckets.values()) + 1).bit_length()
    pairs_found: list[int] = []
    # An engagement with a single place and a single sector (or none asked
    # for) sits in one bucket per place of its chain, anchored in one only.
    single_slot = [
        entry is not None
        and (not with_place or len(entry.record.places) == 1)
        and (not with_sector or len(entry.record.sectors) == 1)
        and not partial_places[entry.index]
        # Several spans meet a partner's once each: their hits are gathered.
        and len(entry.spans) == 1
        for entry in entries
    ]
    check_donors = between == "donors"
    donors_at = [None if entry is None else entry.donors for entry in entries]
    if check_donors:
        # A part whose funder is unknown takes its programme as donor (rule 2).
        for position, programme in enumerate(_programmes(records, data)):
            if donors_at[position] == frozenset() and programme is not None:
                donors_at[position] = frozenset({("programme", programme)})  # type: ignore[arg-type]

    def gather(key: int, hit: Hit) -> None:
        previous = found.get(key)
        if previous is None:
            found[key] = hit
        elif isinstance(previous, list):
            previous.append(hit)
        else:
            found[key] = [previous, hit]

    # Two members meet where at least one is anchored; the shared place is
    # the unanchored one's own place, or, both anchored, the bucket, which is
    # then the own place of both. So the hit is the newcomer's own place when
    # its partner is anchored, else the partner's.
    def meet(a: Member, b: Member, sector: str | None) -> None:
        if a[0] == b[0]:
            return
        if check_donors:
            mine = donors_at[a[0]]
            if mine and mine == donors_at[b[0]]:
                return

        key = a[0] * count + b[0] if a[0] < b[0] else b[0] * count + a[0]
        gather(key, (a[1] if b[2] else b[1], sector))

    basis_at = [None if entry is None else entry.basis for entry in entries]
    for (_bucket_place, bucket_sector), members in buckets.items():
        if not any(member[2] for member in members):
            continue  # nobody is anchored here: nothing meets in this bucket
        if not with_time:
            # Each anchored member meets every other member once.
            for anchor_position, anchor in enumerate(members):
                if not anchor[2]:
                    continue
                for position, member in enumerate(members):
                    if position == anchor_position or (
                        member[2] and position < anchor_position
                    ):
                        continue
                    meet(member, anchor, bucket_sector)
            continue
        codes = []
        for member in members:
            hit = (member[1], bucket_sector)
            code = hit_codes.get(hit)
            if code is None:
                code = hit_codes[hit] = len(hits_by_code)
                hits_by_code.append(hit)
            codes.append(code)
        # Sweep in order of start: each new span meets the spans still open.
        # Every open span meets an anchored newcomer; an unanchored newcomer
        # meets only the open anchored spans. Expired spans leave through a
        # heap of ends, so the work is the spans plus the pairs found.
        events = sorted(
            (span[0], span[1], position, member[2])
            for position, member in enumerate(members)
            for span in member[3]
        )
        open_all: dict[int, int] = {}
        open_anchored: dict[int, int] = {}
        ends: list[tuple[int, int]] = []
        for start, end, position, is_anchored in events:
            while ends and ends[0][0] < start:
                expired, gone = heapq.heappop(ends)
                if open_all.get(gone) == expired:
                    del open_all[gone]
                    open_anchored.pop(gone, None)
            newcomer = members[position]
            new_index = newcomer[0]
            new_single = single_slot[new_index]
            new_donors = donors_at[new_index] if check_donors else None
            for other in open_all if is_anchored else open_anchored:
                # meet(), inlined: this is the innermost loop.
                partner = members[other]
                partner_index = partner[0]
                if partner_index == new_index:
                    continue
                if new_donors and new_donors == donors_at[partner_index]:
                    continue

                key = (
                    partner_index * count + new_index
                    if partner_index < new_index
                    else new_index * count + partner_index
                )
                if new_single and single_slot[partner_index]:
                    pairs_found.append(
                        (key << shift) | codes[position if partner[2] else other]
                    )
                else:
                    gather(key, hits_by_code[codes[position if partner[2] else other]])
            open_all[position] = end
            if is_anchored:
                open_anchored[position] = end
            heapq.heappush(ends, (end, position))

    by_id = {record.id: record for record in records}

    def lineage(record: Engagement) -> set[str]:
        seen: set[str] = set()
        parent = record.part_of
        while parent is not None and parent not in seen:
            seen.add(parent)
            known = by_id.get(parent) or data.engagement(parent, default=None)
            parent = known.part_of if known is not None else None
        return seen

    # Per position, what the last loop reads for every pair: the id, whether
    # the engagement takes part in a part_of or follows link, and its span
    # when it has a single one.
    ids = [record.id for record in records]
    linked_ids = {
        target
        for record in records
        for target in (record.part_of, record.follows)
        if target is not None
    }
    linked = [
        record.part_of is not None
        or record.follows is not None
        or record.id in linked_ids
        for record in records
    ]
    single_span = [
        entry.spans[0] if entry is not None and len(entry.spans) == 1 else None
        for entry in entries
    ]
    lineages: dict[str, set[str]] = {}
    # Every pair found, in input order.
    pairs_found.extend(key << shift for key in found)
    pairs_found.sort()
    mask = (1 << shift) - 1

    # The places and sectors of each lone hit, made once per hit.
    shared_by_code: list[tuple[tuple[str, ...], tuple[str, ...]]] = [
        (() if place is None else (place,), () if sector is None else (sector,))
        for place, sector in hits_by_code
    ]
    # The bases of time, numbered, so that a pair's bases are one list entry.
    basis_names = sorted({str(basis) for basis in basis_at})
    basis_number = {name: number for number, name in enumerate(basis_names)}
    basis_code = [basis_number[str(basis)] for basis in basis_at]
    width = len(basis_names)
    pair_bases = [(a, b) for a in basis_names for b in basis_names]

    def overlaps() -> Iterator[Overlap]:
        make = Overlap
        between_days = Period._between_days
        from_ordinal = date.fromordinal
        # Pairs often share the same span: each period is made once.
        periods: dict[int, Period] = {}
        for value in pairs_found:
            code = value & mask
            key = value >> shift
            first_index, second_index = divmod(key, count)
            if linked[first_index] or linked[second_index]:
                a, b = records[first_index], records[second_index]
                if a.part_of is not None or b.part_of is not None:
                    if a.id not in lineages:
                        lineages[a.id] = lineage(a)
                    if b.id not in lineages:
                        lineages[b.id] = lineage(b)
                    if a.id in lineages[b.id] or b.id in lineages[a.id]:
                        continue
                if (a.follows is not None and a.follows == b.id) or (
                    b.follows is not None and b.follows == a.id
                ):
                    continue
            exact: list[tuple[int, int]] | None = None
            if partial_places[first_index] or partial_places[second_index]:
                entry_a, entry_b = entries[first_index], entries[second_index]
                assert entry_a is not None and entry_b is not None
                places, exact = _meeting_in_place(data, entry_a, entry_b, chain)
                hits = found[key]
                sectors = (
                    tuple(sorted({s for _, s in hits if s is not None}))
                    if isinstance(hits, list)
                    else (() if hits[1] is None else (hits[1],))
                )
            elif code:
                places, sectors = shared_by_code[code]
            else:
                hits = found[key]
                if isinstance(hits, list):
                    shared_places = {place for place, _ in hits if place is not None}
                    shared_sectors = {
                        sector for _, sector in hits if sector is not None
                    }
                    places = _most_specific(shared_places, chain)
                    sectors = tuple(sorted(shared_sectors))
                else:
                    places = () if hits[0] is None else (hits[0],)
                    sectors = () if hits[1] is None else (hits[1],)
            period: Period | None = None
            days: int | None = None
            basis: tuple[str, str] | None = None
            if with_time:
                span_a, span_b = single_span[first_index], single_span[second_index]
                if exact is not None:
                    days = sum(end - start + 1 for start, end in exact)
                    low, high = exact[0][0], exact[-1][1]
                elif span_a is not None and span_b is not None:
                    low = span_a[0] if span_a[0] > span_b[0] else span_b[0]
                    high = span_a[1] if span_a[1] < span_b[1] else span_b[1]
                    days = high - low + 1
                else:
                    entry_a, entry_b = entries[first_index], entries[second_index]
                    assert entry_a is not None and entry_b is not None
                    common = _shared_days(entry_a.spans, entry_b.spans)
                    days = sum(end - start + 1 for start, end in common)
                    low, high = common[0][0], common[-1][1]
                if days < min_days:
                    continue
                span_key = low * 4_000_000 + high  # ordinals stay below 3,652,060
                period = periods.get(span_key)
                if period is None:
                    period = between_days(from_ordinal(low), from_ordinal(high))
                    periods[span_key] = period
                basis = pair_bases[
                    basis_code[first_index] * width + basis_code[second_index]
                ]
            yield make(
                ids[first_index],
                ids[second_index],
                period,
                days,
                basis,
                places,
                sectors,
            )

    return dimensions, tuple(undated) if with_time else (), overlaps()


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
