"""The overlap search over columns: a numpy sweep of sorted spans.

The rules are those of :mod:`mali_aid._overlap_rules`, the pairs those of
the pure sweep in :mod:`mali_aid._overlap`, in the same order (property
tests hold the three equal). Only the finding of pairs differs:

- every engagement becomes *rows*, one per span, per (place, sector)
  bucket it sits in (see ``_Prepared.slots``), each row anchored or not;
- two rows meet when they share a bucket, at least one is anchored and
  their spans intersect. Of two intersecting spans one starts inside the
  other: with the rows sorted by bucket and start, the rows that start
  inside a row's span follow it, up to a binary search for its end. So each
  meeting is found once, from the row that comes first, and the work is the
  rows plus the pairs;
- a pair of engagements with one place, one sector and one span each meets
  once, and its place, sector and days come straight from the two rows; it
  stays in arrays, and its :class:`~mali_aid.Overlap` is made only when
  read. The other pairs gather their meetings and are finished one by one
  by ``_Prepared.pair``, the pure sweep's own finishing.

numpy is imported here only, and only when the search runs.
"""

from __future__ import annotations

import functools
import threading
import weakref
from collections.abc import Callable, Iterator, Sequence
from datetime import date
from importlib.util import find_spec
from typing import TYPE_CHECKING, Any, overload

from ._model import Engagement
from ._period import Period

if TYPE_CHECKING:
    from ._dataset import Dataset
    from ._overlap import Hit, Overlap, _Prepared

__all__ = ["MIN_ENGAGEMENTS", "search", "usable"]

#: Below this many engagements the pure sweep runs: numpy's set-up costs
#: more than it saves.
MIN_ENGAGEMENTS = 2_000

_SPAN = 4_000_000  # day ordinals stay below 3,652,060
#: Candidate meetings handled at once: bounds the working memory.
_CHUNK = 4_000_000
#: Pairs made at once when a result is read through.
_BLOCK = 65_536


@functools.cache
def _numpy_installed() -> bool:
    return find_spec("numpy") is not None


def usable(count: int) -> bool:
    """Whether the columnar search runs for ``count`` engagements."""
    return count >= MIN_ENGAGEMENTS and _numpy_installed()


class _Rows:
    """The rows of every engagement, with the codes they use.

    Most engagements have one place, one sector and one span: theirs are
    kept as a *shape* (the rows of their place and sector, made once) and a
    span, and spread into rows by numpy; the others' rows are listed one by
    one.
    """

    def __init__(self, prepared: _Prepared) -> None:
        self.bucket: list[int] = []
        self.start: list[int] = []
        self.end: list[int] = []
        self.entry: list[int] = []
        self.own: list[int] = []
        self.anchored: list[bool] = []
        self.bucket_sector: list[int] = []
        self.places: list[str | None] = []
        self.sectors: list[str | None] = []
        # The shapes: the rows of each (place, sector), and who has which.
        self.shape_rows: list[list[tuple[int, int, bool]]] = []
        self.shaped: list[tuple[int, int, int, int]] = []
        self._buckets: dict[Hit, int] = {}
        self._place_code: dict[str | None, int] = {}
        self._sector_code: dict[str | None, int] = {}
        shapes: dict[Hit, int] = {}
        with_time = prepared.with_time
        with_sector = "sector" in prepared.dimensions
        for entry in prepared.entries:
            if entry is None:
                continue
            if prepared.single_slot[entry.index]:
                place = entry.record.places[0].place if entry.record.places else None
                sector = entry.record.sectors[0].sector if with_sector else None
                shape = shapes.get((place, sector))
                if shape is None:
                    shape = shapes[(place, sector)] = len(self.shape_rows)
                    self.shape_rows.append(
                        [
                            self._codes(around, own, anchored, sector)
                            for around, own, anchored, _ in prepared.slots(entry)
                        ]
                    )
                start, end = entry.spans[0] if with_time else (0, 0)
                self.shaped.append((shape, start, end, entry.index))
                continue
            slots = prepared.slots(entry)
            for sector in prepared.sectors(entry):
                for around, own, anchored, spans in slots:
                    bucket, own_code, _ = self._codes(around, own, anchored, sector)
                    for start, end in spans if with_time else ((0, 0),):
                        self.bucket.append(bucket)
                        self.start.append(start)
                        self.end.append(end)
                        self.entry.append(entry.index)
                        self.own.append(own_code)
                        self.anchored.append(anchored)

    def _codes(
        self, around: str | None, own: str | None, anchored: bool, sector: str | None
    ) -> tuple[int, int, bool]:
        """The codes of a row's bucket and own place, made on first sight."""
        if sector not in self._sector_code:
            self._sector_code[sector] = len(self.sectors)
            self.sectors.append(sector)
        bucket = self._buckets.get((around, sector))
        if bucket is None:
            bucket = self._buckets[(around, sector)] = len(self._buckets)
            self.bucket_sector.append(self._sector_code[sector])
        if own not in self._place_code:
            self._place_code[own] = len(self.places)
            self.places.append(own)
        return bucket, self._place_code[own], anchored

    def arrays(self, np: Any) -> tuple[Any, Any, Any, Any, Any, Any]:
        """Bucket, start, end, entry, own place and anchored, listed rows first."""
        listed = [
            np.asarray(self.bucket, dtype=np.int64),
            np.asarray(self.start, dtype=np.int64),
            np.asarray(self.end, dtype=np.int64),
            np.asarray(self.entry, dtype=np.int64),
            np.asarray(self.own, dtype=np.int64),
            np.asarray(self.anchored, dtype=bool),
        ]
        if not self.shaped:
            return tuple(listed)
        flat = [row for rows in self.shape_rows for row in rows]
        sizes = np.asarray([len(rows) for rows in self.shape_rows], dtype=np.int64)
        offsets = np.cumsum(sizes) - sizes
        shaped = np.asarray(self.shaped, dtype=np.int64).reshape(-1, 4)
        counts = sizes[shaped[:, 0]]
        owner = np.repeat(np.arange(len(shaped)), counts)
        within = np.arange(len(owner)) - np.repeat(np.cumsum(counts) - counts, counts)
        row = offsets[shaped[owner, 0]] + within
        table = np.asarray([(b, o) for b, o, _ in flat], dtype=np.int64).reshape(-1, 2)
        flags = np.asarray([a for _, _, a in flat], dtype=bool)
        spread = [
            table[row, 0],
            shaped[owner, 1],
            shaped[owner, 2],
            shaped[owner, 3],
            table[row, 1],
            flags[row],
        ]
        return tuple(
            np.concatenate([mine, theirs])
            for mine, theirs in zip(listed, spread, strict=True)
        )


class _Sorted:
    """The rows as arrays, sorted by bucket and start."""

    def __init__(self, np: Any, rows: _Rows) -> None:
        bucket, start, end, entry, own, anchored = rows.arrays(np)
        order = np.lexsort((start, bucket))
        self.bucket = bucket[order]
        self.start = start[order]
        self.end = end[order]
        self.entry = entry[order]
        self.own = own[order]
        self.anchored = anchored[order]
        self.sector = np.asarray(rows.bucket_sector, dtype=np.int64)[self.bucket]
        self.width = max(len(rows.sectors), 1)
        self.key = self.bucket * _SPAN + self.start
        self.key_end = self.bucket * _SPAN + self.end


def _candidates(np: Any, rows: _Sorted) -> Iterator[tuple[Any, Any]]:
    """Every meeting of two rows, once, as (row, row) arrays, in chunks.

    An anchored row meets every row that starts inside its span after it;
    an unanchored row only the anchored ones among them.
    """
    anchored = np.flatnonzero(rows.anchored)
    ends = np.searchsorted(rows.key, rows.key_end[anchored], side="right")
    yield from _expand(np, anchored, anchored + 1, ends - anchored - 1, None)
    loose = np.flatnonzero(~rows.anchored)
    first = np.searchsorted(anchored, loose, side="right")
    last = np.searchsorted(rows.key[anchored], rows.key_end[loose], side="right")
    yield from _expand(np, loose, first, np.maximum(last - first, 0), anchored)


def _expand(
    np: Any, owners: Any, firsts: Any, counts: Any, among: Any
) -> Iterator[tuple[Any, Any]]:
    """``owners[i]`` against ``firsts[i] ...`` (``counts[i]`` of them), in chunks.

    The partners are positions of ``among`` when it is given.
    """
    totals = np.cumsum(counts)
    begin = 0
    while begin < len(counts):
        done = totals[begin - 1] if begin else 0
        stop = int(np.searchsorted(totals, done + _CHUNK, side="right"))
        stop = max(stop, begin + 1)
        part = counts[begin:stop]
        owner = np.repeat(np.arange(begin, stop), part)
        offsets = np.arange(len(owner)) - np.repeat(np.cumsum(part) - part, part)
        partner = firsts[owner] + offsets
        yield owners[owner], partner if among is None else among[partner]
        begin = stop


class _Found:
    """The pairs kept so far: simple ones in arrays, the others finished."""

    def __init__(self) -> None:
        self.first: list[Any] = []
        self.second: list[Any] = []
        self.hit: list[Any] = []
        self.low: list[Any] = []
        self.high: list[Any] = []
        self.gathered: dict[int, list[int]] = {}


def of_dataset(
    data: Dataset,
    dimensions: tuple[str, ...],
    between: str,
    prepare: Callable[[], _Prepared],
) -> tuple[_Prepared, _Columns]:
    """The prepared engagements of a dataset and their rows, built once and
    kept while the dataset lives (for each set of dimensions and ``between``)."""
    key = (id(data), dimensions, between)
    with _LOCK:
        found = _CACHE.get(key)
        if found is not None and found[0]() is data:
            return found[1], found[2]
    prepared = prepare()
    columns = _columns(prepared)
    with _LOCK:
        _CACHE[key] = (weakref.ref(data, _forgetting(key)), prepared, columns)
    return prepared, columns


def _forgetting(key: tuple[object, ...]) -> Callable[[object], None]:
    """A callback that drops ``key`` once its dataset is gone (even at exit)."""
    lock, cache = _LOCK, _CACHE

    def forget(_gone: object) -> None:
        with lock:
            cache.pop(key, None)

    return forget


_LOCK = threading.Lock()
_CACHE: dict[tuple[object, ...], tuple[weakref.ref[Dataset], _Prepared, _Columns]] = {}

_Columns = tuple["_Rows", "_Sorted"]


def _columns(prepared: _Prepared) -> _Columns:
    import numpy as np

    table = _Rows(prepared)
    return table, _Sorted(np, table)


def search(prepared: _Prepared, columns: _Columns | None = None) -> Pairs:
    """The pairs of ``prepared``, in input order, found over sorted columns."""
    import numpy as np

    table, rows = _columns(prepared) if columns is None else columns
    count = len(prepared.records)
    single = np.asarray(prepared.single_slot, dtype=bool)
    donor = _donor_codes(np, prepared)
    found = _Found()
    for p, q in _candidates(np, rows):
        _meet(np, prepared, rows, single, donor, p, q, found)
    return _assemble(np, prepared, table, found, count)


def _donor_codes(np: Any, prepared: _Prepared) -> Any:
    """A number per engagement, equal for two when their donors are the same.

    Unknown donors (an empty set) differ from every other, known or not;
    with ``between="all"`` every engagement differs from every other.
    """
    codes: dict[frozenset[object], int] = {}
    numbers = []
    for position, donors in enumerate(prepared.donors_at):
        if prepared.between != "donors" or not donors:
            numbers.append(-1 - position)
        else:
            numbers.append(codes.setdefault(donors, len(codes)))
    return np.asarray(numbers, dtype=np.int64)


def _meet(
    np: Any,
    prepared: _Prepared,
    rows: _Sorted,
    single: Any,
    donor: Any,
    p: Any,
    q: Any,
    found: _Found,
) -> None:
    """Keep the meetings of rows ``p`` and ``q`` that make pairs."""
    a, b = rows.entry[p], rows.entry[q]
    keep = (a != b) & (donor[a] != donor[b])
    p, q, a, b = p[keep], q[keep], a[keep], b[keep]
    # The shared place: the unanchored one's own place, or, both anchored,
    # the bucket, which is then the own place of both.
    own = np.where(rows.anchored[q], rows.own[p], rows.own[q])
    hit = own * rows.width + rows.sector[p]
    first, second = np.minimum(a, b), np.maximum(a, b)
    simple = single[a] & single[b]
    low = np.maximum(rows.start[p], rows.start[q])
    high = np.minimum(rows.end[p], rows.end[q])
    kept = simple
    if prepared.with_time:
        kept = simple & (high - low + 1 >= prepared.min_days)
    found.first.append(first[kept])
    found.second.append(second[kept])
    found.hit.append(hit[kept])
    found.low.append(low[kept])
    found.high.append(high[kept])
    count = len(prepared.records)
    for f, s, h in zip(
        first[~simple].tolist(),
        second[~simple].tolist(),
        hit[~simple].tolist(),
        strict=True,
    ):
        found.gathered.setdefault(f * count + s, []).append(h)


def _assemble(
    np: Any, prepared: _Prepared, table: _Rows, found: _Found, count: int
) -> Pairs:
    """The simple pairs not related and the gathered pairs finished, in order."""
    first = np.concatenate(found.first) if found.first else np.zeros(0, np.int64)
    second = np.concatenate(found.second) if found.second else np.zeros(0, np.int64)
    hit = np.concatenate(found.hit) if found.hit else np.zeros(0, np.int64)
    low = np.concatenate(found.low) if found.low else np.zeros(0, np.int64)
    high = np.concatenate(found.high) if found.high else np.zeros(0, np.int64)
    linked = np.asarray(prepared.linked, dtype=bool)
    suspect = np.flatnonzero(linked[first] | linked[second])
    if len(suspect):
        related = [
            prepared.related(f, s)
            for f, s in zip(
                first[suspect].tolist(), second[suspect].tolist(), strict=True
            )
        ]
        keep = np.ones(len(first), dtype=bool)
        keep[suspect[np.asarray(related, dtype=bool)]] = False
        first, second, hit = first[keep], second[keep], hit[keep]
        low, high = low[keep], high[keep]
    width = max(len(table.sectors), 1)

    def hit_of(code: int) -> Hit:
        return table.places[code // width], table.sectors[code % width]

    finished = []
    for key in sorted(found.gathered):
        made = prepared.pair(
            key // count, key % count, [hit_of(h) for h in found.gathered[key]]
        )
        if made is not None:
            finished.append((key, made))
    keys = np.concatenate(
        [first * count + second, np.asarray([k for k, _ in finished], dtype=np.int64)]
    )
    return Pairs(
        prepared,
        order=np.argsort(keys, kind="stable"),
        columns=(first, second, hit, low, high),
        hit_of=hit_of,
        finished=[made for _, made in finished],
    )


class Pairs(Sequence["Overlap"]):
    """The overlaps found, in order, each made only when read.

    Equal to any sequence of the same :class:`~mali_aid.Overlap` objects.
    """

    def __init__(
        self,
        prepared: _Prepared,
        *,
        order: Any,
        columns: tuple[Any, Any, Any, Any, Any],
        hit_of: Callable[[int], Hit],
        finished: list[Overlap],
    ) -> None:
        self._order = order
        self._columns = columns
        self._simple = len(columns[0])
        self._finished = finished
        self._hit_of = hit_of
        self._hits: dict[int, tuple[tuple[str, ...], tuple[str, ...]]] = {}
        self._records: list[Engagement] = prepared.records
        self._bases = [
            "None" if entry is None else str(entry.basis) for entry in prepared.entries
        ]
        self._with_time = prepared.with_time
        self._periods: dict[int, Period] = {}

    def __len__(self) -> int:
        return len(self._order)

    @overload
    def __getitem__(self, index: int) -> Overlap: ...

    @overload
    def __getitem__(self, index: slice) -> tuple[Overlap, ...]: ...

    def __getitem__(self, index: int | slice) -> Overlap | tuple[Overlap, ...]:
        if isinstance(index, slice):
            return tuple(self[i] for i in range(*index.indices(len(self))))
        position = int(self._order[index])
        if position >= self._simple:
            return self._finished[position - self._simple]
        first, second, hit, low, high = (
            int(column[position]) for column in self._columns
        )
        return self._make(first, second, hit, low, high)

    def __iter__(self) -> Iterator[Overlap]:
        for begin in range(0, len(self._order), _BLOCK):
            yield from self._block(self._order[begin : begin + _BLOCK])

    def _block(self, positions: Any) -> list[Overlap]:
        """The overlaps at ``positions``, the simple ones read column-wise."""
        from ._overlap import Overlap

        simple = self._simple
        taken = positions[positions < simple]
        first, second, hit, low, high = (
            column[taken].tolist() for column in self._columns
        )
        records, bases, shared_of = self._records, self._bases, self._shared
        made: list[Overlap] = []
        if not self._with_time:
            for a, b, h in zip(first, second, hit, strict=True):
                places, sectors = shared_of(h)
                made.append(
                    Overlap(
                        records[a].id, records[b].id, None, None, None, places, sectors
                    )
                )
        else:
            period_of = self._period
            for a, b, h, start, end in zip(first, second, hit, low, high, strict=True):
                places, sectors = shared_of(h)
                made.append(
                    Overlap(
                        records[a].id,
                        records[b].id,
                        period_of(start, end),
                        end - start + 1,
                        (bases[a], bases[b]),
                        places,
                        sectors,
                    )
                )
        if len(taken) == len(positions):
            return made
        # Put the finished pairs back among the simple ones, in order.
        kept = iter(made)
        return [
            next(kept) if position < simple else self._finished[position - simple]
            for position in positions.tolist()
        ]

    def _period(self, low: int, high: int) -> Period:
        """The period from day ``low`` to day ``high``, made once per span."""
        key = low * _SPAN + high
        period = self._periods.get(key)
        if period is None:
            period = self._periods[key] = Period._between_days(
                date.fromordinal(low), date.fromordinal(high)
            )
        return period

    def _shared(self, hit: int) -> tuple[tuple[str, ...], tuple[str, ...]]:
        """The shared places and sectors of a hit, made once per hit."""
        shared = self._hits.get(hit)
        if shared is None:
            place, sector = self._hit_of(hit)
            shared = self._hits[hit] = (
                () if place is None else (place,),
                () if sector is None else (sector,),
            )
        return shared

    def _make(self, first: int, second: int, hit: int, low: int, high: int) -> Overlap:
        from ._overlap import Overlap

        places, sectors = self._shared(hit)
        ids = self._records[first].id, self._records[second].id
        if not self._with_time:
            return Overlap(*ids, None, None, None, places, sectors)
        period = self._period(low, high)
        basis = (self._bases[first], self._bases[second])
        return Overlap(*ids, period, high - low + 1, basis, places, sectors)

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Sequence):
            return NotImplemented
        return len(self) == len(other) and all(
            mine == theirs for mine, theirs in zip(self, other, strict=True)
        )

    def __hash__(self) -> int:
        return hash(tuple(self))

    def __repr__(self) -> str:
        return f"<{len(self)} overlaps>"
