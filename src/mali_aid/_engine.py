"""The fast engine of :func:`mali_aid.totals`: the rules of
:mod:`mali_aid._rules` and the rounding of :mod:`mali_aid._rounding`,
computed for many engagements at once with numpy.

It takes the engagements :mod:`mali_aid._columns` classes as *unknown* or
*counted* (one amount, donors with known shares, one key for each other
dimension, wholly in scope) and leaves every other engagement to the
reference functions, whose results the caller adds in. Nothing is
approximated:

- each slice of an amount (one year of it, converted at that year's rate)
  is the exact rational ``q + r/d`` of minor units, held as three int64
  numbers and computed by integer division only;
- an engagement is rounded as :func:`mali_aid._rounding._round_engagement`
  rounds it: its total half to even, then its donors' shares and each
  donor's years by largest remainder, ties to the earlier;
- where an engagement's slices have different denominators (a currency
  whose rate changes from year to year), remainders are compared as floats,
  and any decision two remainders or a half unit make within ``EPSILON``
  of each other sends the engagement to the reference instead.

How an engagement is rounded does not depend on how a total is grouped,
so the rounded pieces (one per donor and slice) are worked out once per
columns, currency, rates and tolerance (:func:`prepared`) and kept beside
the columns; a total then only selects the pieces of its engagements and
adds them up by key (:func:`run`).

The property tests in ``tests/properties/test_engine.py`` check that the
two agree on generated datasets that use every rule, also when totals are
asked one after another of the same dataset.
"""

from __future__ import annotations

import math
import threading
import weakref
from collections.abc import Hashable, Sequence
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final

import attrs

from ._columns import BITS, COUNTED, OTHER, UNKNOWN, Columns
from ._currencies import MINOR_UNITS
from ._rules import Basis, Conversion, Rules, Slice, convert

if TYPE_CHECKING:
    from ._model import PlaceLevel

#: Below this many engagements :func:`mali_aid.totals` keeps to the
#: reference functions alone: the engine's fixed costs would outweigh it.
MIN_ROWS = 200
#: How near two float remainders (or a remainder and a half) may be before
#: an engagement is left to the exact reference.
EPSILON: Final = 1e-9
#: Bounds that keep every product of the kernel within int64.
_LIMIT: Final = float(2**62)
_MAX_FACTOR: Final = 2**31
_MAX_DENOMINATOR: Final = 2**40

_SPREAD = BITS[Basis.SPREAD_BY_DAYS]
_STATED = BITS[Basis.STATED]
_EXACT, _ABOUT, _AT_LEAST, _AT_MOST = range(4)


@attrs.define
class Sums:
    """What the engine adds into one cell (minor units, exact)."""

    known: bool = False
    best: int = 0
    low: int = 0
    high: int | None = 0
    basis: int = 0
    unknown: list[int] = attrs.field(factory=list)  # positions, in order
    unconverted: list[int] = attrs.field(factory=list)
    unknown_ids: list[str] = attrs.field(factory=list)  # their ids, the same order
    unconverted_ids: list[str] = attrs.field(factory=list)


@attrs.frozen
class Result:
    """The engine's part of a total.

    ``cells`` map a key tuple to its sums; ``left`` are the positions of the
    engagements the reference must total; ``unconverted`` the positions of
    those with no rate; ``kinds`` the kinds of amount counted;
    ``conversions`` the rates used.
    """

    cells: dict[tuple[Hashable, ...], Sums]
    total: Sums
    left: Any
    unconverted: Any
    kinds: frozenset[Any]
    conversions: frozenset[Conversion]


def basis_of(bits: int) -> set[Basis]:
    """The bases whose bits are set."""
    return {basis for basis, bit in BITS.items() if bits & bit}


# -- integer arithmetic ---------------------------------------------------------------


def _expand(offsets: Any, owners: Any) -> tuple[Any, Any]:
    """For each owner row, the indices of its items; with the owner's index."""
    import numpy as np

    counts = offsets[owners + 1] - offsets[owners]
    owner = np.repeat(np.arange(len(owners)), counts)
    starts = np.zeros(len(owners), dtype=np.int64)
    np.cumsum(counts[:-1], out=starts[1:])
    index = offsets[owners][owner] + (np.arange(len(owner)) - starts[owner])
    return owner, index


def _within(counts: Any) -> Any:
    """For groups of ``counts`` items laid end to end, each item's index
    within its group."""
    import numpy as np

    return np.arange(int(counts.sum())) - np.repeat(np.cumsum(counts) - counts, counts)


def _scaled(q: Any, r: Any, den: Any, u: Any, v: Any) -> tuple[Any, Any, Any]:
    """``(q + r/den) * u / v`` as an exact ``q' + r'/(den*v)``."""
    import numpy as np

    whole, part = np.divmod(q * u, v)
    extra, rest = np.divmod(part * den + r * u, den * v)
    return whole + extra, rest, den * v


def _starts(group: Any) -> Any:
    """The index of each group's first item, for items sorted by group."""
    import numpy as np

    if not len(group):
        return np.zeros(0, dtype=np.int64)
    return np.flatnonzero(np.r_[True, group[1:] != group[:-1]])


def _ranks(group: Any, key: Any, size: Any) -> Any:
    """Each item's rank in its group: larger keys first, then earlier items.

    Items are sorted by group and keep their order within it; ``size`` is
    each item's group size. Small groups are ranked by comparing every pair
    at once; large ones by sorting."""
    import numpy as np

    ranks = np.empty(len(key), dtype=np.int64)
    for k in np.unique(size).tolist():
        members = np.flatnonzero(size == k)
        if k == 2:
            first, second = key[members[0::2]], key[members[1::2]]
            ranks[members[0::2]] = second > first
            ranks[members[1::2]] = first >= second
        elif k <= 16:
            keys = key[members].reshape(-1, k)
            later = keys[:, None, :] > keys[:, :, None]
            same = keys[:, None, :] == keys[:, :, None]
            # before[i, j]: item j comes before item i.
            before = np.tri(k, k, -1, dtype=bool)[None, :, :]
            above = later | (same & before)
            ranks[members] = above.sum(axis=2).reshape(-1)
        else:
            sub_group = group[members]
            order = np.lexsort((np.arange(len(members)), -key[members], sub_group))
            first = _starts(sub_group)
            start_of = np.repeat(first, np.diff(np.r_[first, len(members)]))
            sub_ranks = np.empty(len(members), dtype=np.int64)
            sub_ranks[order] = np.arange(len(members)) - start_of
            ranks[members] = sub_ranks
    return ranks


def _largest_remainder(
    group: Any, floor: Any, key: Any, exact: Any, tie: Any, target: Any
) -> tuple[Any, Any]:
    """Share each group's ``target`` among its items by largest remainder.

    ``group`` is non-decreasing; ``floor`` each item's whole units and
    ``key`` its remainder as a float. Where ``exact`` (per item, the same
    for a whole group) the floats order the remainders exactly; elsewhere
    two items whose floats lie within ``EPSILON`` of each other at the
    boundary make the group doubtful, unless their ``tie`` classes say they
    are exactly equal. Returns the rounded items and, per item, whether its
    group was doubtful.
    """
    import numpy as np

    if not len(group):
        return floor, np.zeros(0, dtype=bool)
    first = _starts(group)
    size = np.diff(np.r_[first, len(group)])
    leftover = np.repeat(target[first] - np.add.reduceat(floor, first), size)
    size = np.repeat(size, size)
    contested = (leftover > 0) & (leftover < size)
    ranks = np.zeros(len(key), dtype=np.int64)
    ranks[contested] = _ranks(group[contested], key[contested], size[contested])
    rounded = floor + np.where(contested, ranks < leftover, leftover > 0)
    inside = ~exact & contested
    above = inside & (ranks == leftover - 1)
    below = inside & (ranks == leftover)
    a_key, b_key = key[above], key[below]
    a_tie, b_tie = tie[above], tie[below]
    close = (np.abs(a_key - b_key) < EPSILON) & ~((a_key == b_key) & (a_tie == b_tie))
    doubtful = np.isin(group, group[above][close])
    return rounded, doubtful


# -- the kernel -----------------------------------------------------------------------


@attrs.frozen
class _Rates:
    """Each (currency, time) a slice converts at: its exact factor."""

    index: Any  # per slice: index into the tables below
    numerator: Any
    denominator: Any
    usable: Any  # bool: a factor small enough for the kernel
    missing: Any  # bool: no rate
    bits: Any
    conversions: tuple[Conversion, ...]


def _rates(columns: Columns, owners: Any, slices: Any, rules: Rules) -> _Rates:
    import numpy as np

    currency = columns.currency[owners]
    year = columns.slice_year[slices]
    day = columns.slice_date[slices]
    when = np.where(day > 0, day, np.where(year >= 0, 10_000_000 + year, 0))
    unique, index = np.unique(currency * 100_000_000 + when, return_inverse=True)
    numerators, denominators, usable, missing, bits = [], [], [], [], []
    conversions = []
    for code in unique.tolist():
        source = columns.currencies[code // 100_000_000]
        when_code = code % 100_000_000
        piece = _slice_at(when_code)
        conversion = convert(rules.rates, source, rules.currency, piece)
        conversions.append(conversion)
        factor = conversion.factor
        missing.append(factor is None)
        factor = factor or Fraction(1)
        numerators.append(factor.numerator if factor.numerator < _MAX_FACTOR else 1)
        denominators.append(
            factor.denominator if factor.denominator < _MAX_FACTOR else 1
        )
        usable.append(max(factor.numerator, factor.denominator) < _MAX_FACTOR)
        bits.append(sum(BITS[basis] for basis in conversion.basis))
    return _Rates(
        index=index.reshape(-1),
        numerator=np.array(numerators, dtype=np.int64),
        denominator=np.array(denominators, dtype=np.int64),
        usable=np.array(usable, dtype=bool),
        missing=np.array(missing, dtype=bool),
        bits=np.array(bits, dtype=np.int64),
        conversions=tuple(conversions),
    )


def _slice_at(when_code: int) -> Slice:
    from datetime import date

    if when_code == 0:
        return Slice(None, Fraction(1), None)
    if when_code >= 10_000_000:
        return Slice(when_code - 10_000_000, Fraction(1), None)
    day = date.fromordinal(when_code)
    return Slice(day.year, Fraction(1), day)


def _per_row_any(flags: Any, owner: Any, count: int) -> Any:
    import numpy as np

    return np.bincount(owner, weights=flags, minlength=count) > 0


@attrs.frozen
class _Slices:
    """The exact value of each slice of the counted engagements, in minor
    units of the target currency: ``q + r/den``."""

    owner: Any  # index into the counted rows
    index: Any  # index into the columns' slices
    q: Any
    r: Any
    den: Any
    rate: Any  # index into _Rates tables


def _values(
    columns: Columns, rows: Any, rules: Rules, rates: _Rates, owner: Any, index: Any
) -> tuple[_Slices, Any]:
    """The slices' exact values, and per row whether the kernel can take it."""
    import numpy as np

    places = MINOR_UNITS[rules.currency]
    decimals = columns.decimals[rows][owner]
    up = np.power(10, np.maximum(places - decimals, 0))
    down = np.power(10, np.maximum(decimals - places, 0))
    units = columns.units[rows][owner]
    b = columns.slice_num[index] * rates.numerator[rates.index] * up
    c1 = columns.slice_den[index] * down
    c2 = rates.denominator[rates.index]
    fits = (
        rates.usable[rates.index]
        & (b.astype(float) * c1 < _LIMIT)
        & (c1.astype(float) * c2 < _MAX_DENOMINATOR)
        & (units.astype(float) * b / c1 < _LIMIT / 4)
    )
    b, c1, c2 = np.where(fits, b, 1), np.where(fits, c1, 1), np.where(fits, c2, 1)
    whole, part = np.divmod(units, c1)
    extra, rest = np.divmod(part * b, c1)
    q1 = whole * b + extra
    q, r2 = np.divmod(q1, c2)
    values = _Slices(owner, index, q, r2 * c1 + rest, c1 * c2, rates.index)
    return values, ~_per_row_any(~fits, owner, len(rows))


_EXACT_BELOW: Final = 2**50


def _row_targets(values: _Slices, first: Any) -> dict[str, Any]:
    """Each engagement's rounded total, half to even, and what its donors'
    shares are reckoned from."""
    import numpy as np

    q_sum = np.add.reduceat(values.q, first)
    r_sum = np.add.reduceat(values.r, first)
    low = np.minimum.reduceat(values.den, first)
    uniform = low == np.maximum.reduceat(values.den, first)
    fraction = np.add.reduceat(values.r / values.den, first)
    # One denominator: exact.
    whole = q_sum + r_sum // low
    rest = r_sum % low
    up = (2 * rest > low) | ((2 * rest == low) & (whole % 2 == 1))
    # Several: the float sum of remainders decides, unless near a half.
    units = np.floor(fraction)
    part = fraction - units
    target_float = q_sum + units.astype(np.int64) + (part > 0.5)
    return {
        "uniform": uniform,
        "target": np.where(uniform, whole + up, target_float),
        "whole": whole,
        "rest": rest,
        "den": low,
        "q_sum": q_sum,
        "fraction": fraction,
        "doubtful": ~uniform & (np.abs(part - 0.5) < EPSILON),
    }


def _donor_targets(
    rows: dict[str, Any], owner: Any, u: Any, v: Any, many: Any
) -> tuple[Any, Any]:
    """Each donor's rounded share of its engagement, by largest remainder."""
    import numpy as np

    uniform = rows["uniform"][owner]
    q_exact, r_exact, d_exact = _scaled(
        rows["whole"][owner], rows["rest"][owner], rows["den"][owner], u, v
    )
    whole, part = np.divmod(rows["q_sum"][owner] * u, v)
    share = (part + u * rows["fraction"][owner]) / v
    units = np.floor(share)
    floor = np.where(uniform, q_exact, whole + units.astype(np.int64))
    key = np.where(uniform, r_exact / d_exact, share - units)
    exact = uniform & (d_exact < _EXACT_BELOW)
    rounded, doubtful = _largest_remainder(
        owner, floor, key, exact, u, rows["target"][owner]
    )
    near_whole = ~uniform & ((key < EPSILON) | (key > 1 - EPSILON))
    return rounded, doubtful | (many & (near_whole | (uniform & ~exact)))


@attrs.frozen
class _Pieces:
    """The rounded pieces of the counted engagements: one per donor and slice."""

    row: Any  # index into the counted rows
    donor: Any  # index into the columns' donors
    slice: Any  # index into _Slices
    best: Any
    low: Any
    high: Any
    open_above: Any  # bool: no upper bound


def _round(
    columns: Columns, rows: Any, values: _Slices, usable: Any, rules: Rules
) -> tuple[_Pieces, Any]:
    """Round the usable counted engagements; and which turned out doubtful."""
    import numpy as np

    keep = np.flatnonzero(usable[values.owner])
    if not len(keep):
        empty = np.zeros(0, dtype=np.int64)
        nothing = _Pieces(empty, empty, empty, empty, empty, empty, empty.astype(bool))
        return nothing, np.zeros(len(usable), dtype=bool)
    values = _Slices(*(getattr(values, f.name)[keep] for f in attrs.fields(_Slices)))
    first = _starts(values.owner)
    owners = values.owner[first]
    count = np.diff(np.r_[first, len(values.owner)])
    row_sums = _row_targets(values, first)
    d_owner, d_index = _expand(columns.donor_offsets, rows[owners])
    u, v = columns.share_num[d_index], columns.share_den[d_index]
    donors_per_row = np.diff(columns.donor_offsets)[rows[owners]]
    many = np.repeat(donors_per_row > 1, donors_per_row)
    donor_target, donor_doubt = _donor_targets(row_sums, d_owner, u, v, many)
    # Products of a share's numerator with whole units must stay in int64.
    donor_doubt |= row_sums["q_sum"][d_owner].astype(float) * u >= _LIMIT
    # Each donor's slices.
    item_donor = np.repeat(np.arange(len(d_owner)), count[d_owner])
    offset = _within(count[d_owner])
    item_slice = first[d_owner][item_donor] + offset
    q, r, den = values.q[item_slice], values.r[item_slice], values.den[item_slice]
    shared = many[item_donor]
    if shared.any():
        q, r, den = q.copy(), r.copy(), den.copy()
        q[shared], r[shared], den[shared] = _scaled(
            q[shared],
            r[shared],
            den[shared],
            u[item_donor][shared],
            v[item_donor][shared],
        )
    group_den = np.repeat(
        np.minimum.reduceat(den, _starts(item_donor))
        == np.maximum.reduceat(den, _starts(item_donor)),
        count[d_owner],
    )
    exact = group_den & (den < _EXACT_BELOW)
    tie = np.where(r == 0, -1, np.arange(len(r)))
    best, slice_doubt = _largest_remainder(
        item_donor, q, r / den, exact, tie, donor_target[item_donor]
    )
    low, high, open_above, bound_doubt = _bounds(
        columns.qualifier[rows[owners]][d_owner][item_donor], q, r, den, best, rules
    )
    doubt_items = slice_doubt | bound_doubt | donor_doubt[item_donor]
    doubt_items |= row_sums["doubtful"][d_owner][item_donor]
    doubtful = np.zeros(len(usable), dtype=bool)
    doubtful[owners[d_owner[item_donor[doubt_items]]]] = True
    pieces = _Pieces(
        row=owners[d_owner][item_donor],
        donor=d_index[item_donor],
        slice=keep[item_slice],
        best=best,
        low=low,
        high=high,
        open_above=open_above,
    )
    return pieces, doubtful


def _bounds(
    qualifier: Any, q: Any, r: Any, den: Any, best: Any, rules: Rules
) -> tuple[Any, Any, Any, Any]:
    """Each piece's bounds in minor units: those equal to the best figure
    are the rounded best, others round outwards."""
    import numpy as np

    low = best.copy()
    high = best.copy()
    doubtful = np.zeros(len(q), dtype=bool)
    zero = (q == 0) & (r == 0)
    at_most = qualifier == _AT_MOST
    low[at_most & ~zero] = 0
    about = qualifier == _ABOUT
    tolerance = rules.tolerance
    if tolerance and about.any():
        tn, td = tolerance.numerator, tolerance.denominator
        fits = (den.astype(float) * (td + tn) < _LIMIT) & (
            q.astype(float) * (td + tn) < _LIMIT
        )
        doubtful = about & ~fits
        den_safe = np.where(fits, den, 1)
        lo, _, _ = _scaled(q, np.where(fits, r, 0), den_safe, td - tn, td)
        hi, hi_rest, _ = _scaled(q, np.where(fits, r, 0), den_safe, td + tn, td)
        low = np.where(about & ~zero, lo, low)
        high = np.where(about & ~zero, hi + (hi_rest > 0), high)
    return low, high, qualifier == _AT_LEAST, doubtful


# -- the rounded pieces of a dataset, kept for later totals ----------------------------


@attrs.frozen(eq=False)
class Prepared:
    """Every counted engagement of some columns, rounded in one currency at
    one set of rates and tolerance: what any total of those engagements adds
    up, whatever it is grouped by.

    Per column row: ``good`` (its pieces are here), ``missing`` (counted,
    but a slice has no rate), ``leftover`` (counted, left to the reference:
    too large for int64, or a rounding too close to call). Per piece (one
    donor's slice of one engagement): its column ``row``, ``donor`` (index
    into the columns' donor items), ``year``, rounded ``best``, ``low`` and
    ``high`` (0 where ``open_above``), the ``bits`` of its basis that hold
    however it is grouped, whether its engagement spreads over ``several``
    slices, and its ``rate`` (index into ``conversions``).
    """

    rates: Any
    currency: str
    tolerance: Fraction
    good: Any
    missing: Any
    leftover: Any
    row: Any
    donor: Any
    year: Any
    best: Any
    low: Any
    high: Any
    open_above: Any
    bits: Any
    several: Any
    rate: Any
    conversions: tuple[Conversion, ...]
    #: What totals of every row share, made on first use (see :func:`_whole`).
    memo: dict[str, Any] = attrs.field(factory=dict)

    def select(self, keep: Any) -> dict[str, Any]:
        """The per-piece arrays of the pieces ``keep`` marks."""
        names = (
            *("row", "donor", "year", "best", "low", "high", "open_above"),
            *("bits", "several", "rate"),
        )
        if keep is None:
            return {name: getattr(self, name) for name in names}
        return {name: getattr(self, name)[keep] for name in names}


def prepare(columns: Columns, rules: Rules) -> Prepared:
    """Round every counted engagement of ``columns`` under ``rules``."""
    import numpy as np

    count = len(columns.cls)
    counted = np.flatnonzero(columns.cls == COUNTED)
    owner, index = _expand(columns.slice_offsets, counted)
    rates = _rates(columns, counted[owner], index, rules)
    missing = _per_row_any(rates.missing[rates.index], owner, len(counted))
    values, fits = _values(columns, counted, rules, rates, owner, index)
    usable = fits & ~missing
    pieces, doubtful = _round(columns, counted, values, usable, rules)
    good = usable & ~doubtful
    keep = good[pieces.row]
    pieces = _Pieces(*(getattr(pieces, f.name)[keep] for f in attrs.fields(_Pieces)))
    row = counted[pieces.row]
    rate = values.rate[pieces.slice]

    def per_row(flags: Any) -> Any:
        out = np.zeros(count, dtype=bool)
        out[counted[flags]] = True
        return out

    return Prepared(
        rates=rules.rates,
        currency=rules.currency,
        tolerance=rules.tolerance,
        good=per_row(good),
        missing=per_row(missing),
        leftover=per_row(~missing & ~good),
        # Kept for later totals: as narrow as the values allow.
        row=row.astype(np.int32 if count < 2**31 else np.int64),
        donor=pieces.donor.astype(np.int32 if len(columns.donor) < 2**31 else np.int64),
        year=columns.slice_year[values.index[pieces.slice]].astype(np.int16),
        best=pieces.best,
        low=pieces.best if np.array_equal(pieces.low, pieces.best) else pieces.low,
        high=np.where(pieces.open_above, 0, pieces.high),
        open_above=pieces.open_above,
        bits=(_STATED | rates.bits[rate]).astype(np.int16),
        several=np.diff(columns.slice_offsets)[row] > 1,
        rate=rate.astype(np.int32),
        conversions=rates.conversions,
    )


#: The rounded pieces of each columns, for the last few sets of rules.
_PREPARED: weakref.WeakKeyDictionary[Columns, list[Prepared]] = (
    weakref.WeakKeyDictionary()
)
_KEPT: Final = 4
_LOCK = threading.Lock()


def prepared(columns: Columns, rules: Rules) -> Prepared:
    """The rounded pieces of ``columns`` under ``rules``: made on the first
    total in a currency, rates and tolerance, and kept beside the columns
    (for the last four such) for as long as they live."""
    with _LOCK:
        for found in _PREPARED.get(columns, []):
            if (
                found.rates is rules.rates
                and found.currency == rules.currency
                and found.tolerance == rules.tolerance
            ):
                return found
    made = prepare(columns, rules)
    with _LOCK:
        kept = _PREPARED.setdefault(columns, [])
        kept.insert(0, made)
        del kept[_KEPT:]
    return made


# -- keys and cells -------------------------------------------------------------------


@attrs.define
class _Keyer:
    """The key codes of pieces, and the key a code stands for."""

    columns: Columns
    names: Sequence[str]
    level: PlaceLevel | None
    data: Any

    def codes(self, row: Any, donor: Any, year: Any, kind: Any) -> list[Any]:
        """Per dimension, each piece's code (``row``: its column row)."""
        columns = self.columns
        found = {
            "donor": lambda: columns.donor[donor],
            "year": lambda: year + 1,
            "kind": lambda: kind,
            "sector": lambda: columns.sector[row],
            "place": lambda: columns.place[row],
            "implementer": lambda: columns.implementer[row],
            "channel": lambda: columns.channel[row],
            "status": lambda: columns.status[row],
            "engagement": lambda: row,
        }
        return [found[name]() for name in self.names]

    def key(self, codes: Sequence[int]) -> tuple[Hashable, ...]:
        columns = self.columns
        parts: list[Hashable] = []
        for name, code in zip(self.names, codes, strict=True):
            if name == "donor":
                parts.append(columns.donors[code])
            elif name == "year":
                parts.append(None if code == 0 else code - 1)
            elif name == "kind":
                parts.append(None if code == 0 else columns.kinds[code - 1].value)
            elif name in ("sector", "implementer"):
                parts.append(columns.keys[code])
            elif name == "place":
                parts.append(self._place(code))
            elif name in ("channel", "status"):
                parts.append(columns.values[code])
            else:
                parts.append(columns.records[code].id)
        return tuple(parts)

    def _place(self, code: int) -> Hashable:
        place = self.columns.keys[code]
        if self.level is None or place is None:
            return place
        rolled: Hashable = self.data.roll_up(str(place), self.level)
        return rolled


def run(
    columns: Columns,
    rows: Any,
    rules: Rules,
    names: Sequence[str],
    level: PlaceLevel | None,
) -> Result:
    """The engine's part of a total of the ``columns`` rows ``rows``, in
    order; ``left`` lists the positions the reference must total."""
    import numpy as np

    rows = np.asarray(rows, dtype=np.int64)
    ready = prepared(columns, rules)
    position = np.arange(len(rows))
    keep = None
    if len(rows) != len(columns.cls) or not np.array_equal(rows, position):
        inside = np.zeros(len(columns.cls), dtype=bool)
        inside[rows] = True
        keep = inside[ready.row]
    cls = columns.cls[rows]
    unconverted = position[ready.missing[rows]]
    if keep is None:
        # Every row, in order: what does not depend on the grouping is kept.
        whole = _whole(columns, ready, rolled="engagement" not in names)
        pieces, unfigured = whole["pieces"], whole["unfigured"]
        used, kinds = whole["used"], whole["kinds"]
    else:
        pieces = ready.select(keep)
        unfigured = _unfigured(columns, rows, position[cls == UNKNOWN], unconverted)
        used, kinds = _used(columns, ready, pieces, rows)
    keyer = _Keyer(columns, names, level, rules.data)
    cells, total = _cells(
        keyer,
        _counted_pieces(columns, pieces, keyer, set(names)),
        _open_pieces(unfigured, keyer),
    )
    return Result(
        cells=cells,
        total=total,
        left=np.flatnonzero((cls == OTHER) | ready.leftover[rows]),
        unconverted=unconverted,
        kinds=kinds,
        conversions=used,
    )


def _used(
    columns: Columns, ready: Prepared, pieces: dict[str, Any], rows: Any
) -> tuple[frozenset[Conversion], frozenset[Any]]:
    """The conversions the pieces rest on, and the kinds of amount of the
    rows counted."""
    import numpy as np

    used = np.bincount(pieces["rate"], minlength=len(ready.conversions))
    kinds = np.bincount(
        columns.kind[rows[ready.good[rows]]], minlength=len(columns.kinds)
    )
    return (
        frozenset(
            ready.conversions[i]
            for i in np.flatnonzero(used).tolist()
            if ready.conversions[i].basis
        ),
        frozenset(columns.kinds[code] for code in np.flatnonzero(kinds).tolist()),
    )


def _whole(columns: Columns, ready: Prepared, *, rolled: bool) -> dict[str, Any]:
    """What a total of every row of the columns needs, whatever it is grouped
    by, made once and kept with the rounded pieces: the pieces (``rolled``:
    added up by every key but the engagement), the engagements with no
    figure, the conversions used and the kinds counted."""
    import numpy as np

    name = "rolled" if rolled else "pieces"
    found = ready.memo.get(name)
    if found is not None:
        return found  # type: ignore[no-any-return]
    rows = np.arange(len(columns.cls))
    pieces = ready.select(None)
    used, kinds = _used(columns, ready, pieces, rows)
    found = {
        "pieces": (_rolled(columns, pieces) if rolled else None) or pieces,
        "unfigured": _unfigured(
            columns,
            rows,
            np.flatnonzero(columns.cls == UNKNOWN),
            np.flatnonzero(ready.missing),
        ),
        "used": used,
        "kinds": kinds,
    }
    with _LOCK:
        return ready.memo.setdefault(name, found)  # type: ignore[no-any-return]


def _dense(values: Any) -> Any:
    """Small non-negative codes as 0, 1, 2... in the order of their values."""
    import numpy as np

    present = np.flatnonzero(np.bincount(values))
    lookup = np.zeros(int(present[-1]) + 1, dtype=np.int64)
    lookup[present] = np.arange(len(present))
    return lookup[values]


def _rolled(columns: Columns, pieces: dict[str, Any]) -> dict[str, Any] | None:
    """The pieces added up by everything a total may group them by except
    the engagement, each sum standing at the first of its pieces; ``None``
    where a sum would not fit in int64.

    Pieces of the same group of keys (:attr:`Columns.group`), donor, split
    of the donors, year, kind, basis, spread and upper bound are grouped the
    same way by any total, so adding them up first changes no cell."""
    import numpy as np

    if not len(pieces["row"]):
        return None
    row, donor = pieces["row"], pieces["donor"]
    codes = [
        columns.group[row],
        columns.donor[donor],
        _dense(columns.donor_split[donor]),
        _dense(pieces["year"].astype(np.int64) + 1),
        columns.kind[row],
        _dense(pieces["bits"].astype(np.int64)),
        pieces["several"].astype(np.int64),
        pieces["open_above"].astype(np.int64),
    ]
    unique, inverse = _groups(codes)
    first = np.full(len(unique), len(row), dtype=np.int64)
    np.minimum.at(first, inverse, np.arange(len(row), dtype=np.int64))
    rolled = {
        name: pieces[name][first]
        for name in ("row", "donor", "year", "open_above", "bits", "several")
    }
    for name in ("best", "low", "high"):
        sums = _exact_sums(pieces[name], inverse, len(unique))
        if sums and max(sums) >= 2**63:
            return None
        rolled[name] = np.array(sums, dtype=np.int64)
    return rolled


def _counted_pieces(
    columns: Columns, pieces: dict[str, Any], keyer: _Keyer, seen: set[str]
) -> dict[str, Any]:
    """The counted pieces' codes, sums and bases, as grouped by ``seen``."""
    import numpy as np

    row = pieces["row"]
    bits = pieces["bits"]
    if "year" in seen:
        bits = bits | np.where(pieces["several"], _SPREAD, 0)
    if "donor" in seen:
        bits = bits | columns.donor_split[pieces["donor"]]
    for shift, name in enumerate(("sector", "place", "implementer")):
        if name in seen:
            bits = bits | ((columns.split_bits[row] >> (16 * shift)) & 0xFFFF)
    return {
        "codes": keyer.codes(
            row, pieces["donor"], pieces["year"], columns.kind[row] + 1
        ),
        "best": pieces["best"],
        "low": pieces["low"],
        "high": pieces["high"],
        "open_above": pieces["open_above"],
        "bits": bits,
    }


def _unfigured(
    columns: Columns, rows: Any, unknown: Any, unconverted: Any
) -> dict[str, Any]:
    """The pieces with no figure: one per donor and year of each engagement
    whose amount is unknown or has no rate (``unknown`` and ``unconverted``
    hold their positions among ``rows``)."""
    import numpy as np

    position = np.r_[unknown, unconverted].astype(np.int64)
    status = np.r_[
        np.ones(len(unknown), dtype=np.int8), np.full(len(unconverted), 2, np.int8)
    ]
    order = np.argsort(position, kind="stable")
    position, status = position[order], status[order]
    d_owner, d_index = _expand(columns.donor_offsets, rows[position])
    y_counts = np.diff(columns.open_offsets)[rows[position]][d_owner]
    item = np.repeat(np.arange(len(d_owner)), y_counts)
    starts = columns.open_offsets[rows[position]][d_owner]
    year = columns.open_year[starts[item] + _within(y_counts)]
    at = position[d_owner][item]
    return {
        "row": rows[at],
        "donor": d_index[item],
        "year": year,
        "status": status[d_owner][item],
        "position": at,
        "owner": d_owner[item],  # index into ``ids``
        "ids": ids_of(columns)[rows[position]],
    }


def _open_pieces(unfigured: dict[str, Any], keyer: _Keyer) -> dict[str, Any]:
    """The pieces with no figure, with their codes as grouped by ``keyer``."""
    import numpy as np

    zeros = np.zeros(len(unfigured["row"]), dtype=np.int64)
    codes = keyer.codes(unfigured["row"], unfigured["donor"], unfigured["year"], zeros)
    return {**unfigured, "codes": codes}


_IDS: weakref.WeakKeyDictionary[Columns, Any] = weakref.WeakKeyDictionary()


def ids_of(columns: Columns) -> Any:
    """The ids of the columns' rows, as a numpy array of texts (kept)."""
    import numpy as np

    with _LOCK:
        found = _IDS.get(columns)
    if found is None:
        found = np.array([record.id for record in columns.records], dtype=object)
        with _LOCK:
            _IDS[columns] = found
    return found


def _cells(
    keyer: _Keyer, counted: dict[str, Any], unfigured: dict[str, Any]
) -> tuple[dict[tuple[Hashable, ...], Sums], Sums]:
    """Add the pieces up by key."""
    import numpy as np

    codes = [
        np.concatenate(
            [np.asarray(counted["codes"][i]), np.asarray(unfigured["codes"][i])]
        ).astype(np.int64, copy=False)
        for i in range(len(keyer.names))
    ]
    if not codes or not len(codes[0]):
        return {}, Sums()
    unique, inverse = _groups(codes)
    split = len(counted["best"])
    sums = _sums(counted, unfigured, inverse[:split], inverse[split:], len(unique))
    cells: dict[tuple[Hashable, ...], Sums] = {}
    for code, cell in zip(unique, sums, strict=True):
        # Places rolled up to one level can give several codes one key.
        key = keyer.key(code)
        cells[key] = _overall([cells[key], cell]) if key in cells else cell
    import numpy as np

    everything = np.zeros(len(unfigured["position"]), dtype=np.int64)
    total = Sums()
    for name, which in (("unknown", 1), ("unconverted", 2)):
        members = _members(unfigured, everything, which).get(0, _NONE)
        setattr(total, name, members[0])
        setattr(total, f"{name}_ids", members[1])
    return cells, _overall(sums, total)


def _groups(codes: Sequence[Any]) -> tuple[list[tuple[int, ...]], Any]:
    """The distinct combinations of codes, and each piece's combination."""
    import numpy as np

    radix = [int(code.max()) + 1 for code in codes]
    if math.prod(radix) >= 2**62:
        stacked = np.stack(codes, axis=1)
        rows, inverse = np.unique(stacked, axis=0, return_inverse=True)
        return [tuple(row) for row in rows.tolist()], inverse.reshape(-1)
    combined = np.zeros(len(codes[0]), dtype=np.int64)
    for code, base in zip(codes, radix, strict=True):
        combined = combined * base + code
    top = int(combined.max()) + 1
    if top <= 4 * len(combined) + 4096:
        present = np.flatnonzero(np.bincount(combined, minlength=top))
        lookup = np.zeros(top, dtype=np.int64)
        lookup[present] = np.arange(len(present))
        values, inverse = present, lookup[combined]
    else:
        values, inverse = np.unique(combined, return_inverse=True)
        inverse = inverse.reshape(-1)
    found: list[tuple[int, ...]] = []
    for value in values.tolist():
        parts: list[int] = []
        for base in reversed(radix):
            value, part = divmod(value, base)
            parts.append(part)
        found.append(tuple(reversed(parts)))
    return found, inverse


def _exact_sums(values: Any, groups: Any, count: int) -> list[int]:
    """Per group, the exact sum of non-negative int64 values: in int64 where
    no sum can overflow, else in 21-bit chunks."""
    import numpy as np

    if not len(values):
        return [0] * count
    if int(values.max()) * len(values) < 2**63:
        sums = np.zeros(count, dtype=np.int64)
        np.add.at(sums, groups, values)
        return [int(value) for value in sums.tolist()]
    total = [0] * count
    for shift in (0, 21, 42):
        chunk = ((values >> shift) & (2**21 - 1)).astype(np.float64)
        sums = np.bincount(groups, weights=chunk, minlength=count)
        total = [
            t + (int(s) << shift) for t, s in zip(total, sums.tolist(), strict=True)
        ]
    return total


def _sums(
    counted: dict[str, Any],
    unfigured: dict[str, Any],
    fixed: Any,
    open_: Any,
    count: int,
) -> list[Sums]:
    """Each group's sums: of the counted pieces in groups ``fixed`` and of
    the pieces with no figure in groups ``open_``."""
    import numpy as np

    best = _exact_sums(counted["best"], fixed, count)
    low = _exact_sums(counted["low"], fixed, count)
    high = _exact_sums(counted["high"], fixed, count)
    known = (np.bincount(fixed, minlength=count) > 0).tolist()
    open_above = (
        np.bincount(fixed, weights=counted["open_above"], minlength=count)
        + np.bincount(open_, minlength=count)
        > 0
    ).tolist()
    bits = _any_bits(counted["bits"], fixed, count).tolist()
    lists = [_members(unfigured, open_, which) for which in (1, 2)]
    return [
        Sums(
            known=known[i],
            best=best[i],
            low=low[i],
            high=None if open_above[i] else high[i],
            basis=bits[i],
            unknown=lists[0].get(i, _NONE)[0],
            unconverted=lists[1].get(i, _NONE)[0],
            unknown_ids=lists[0].get(i, _NONE)[1],
            unconverted_ids=lists[1].get(i, _NONE)[1],
        )
        for i in range(count)
    ]


_NONE: Final[tuple[list[int], list[str]]] = ([], [])


def _any_bits(bits: Any, groups: Any, count: int) -> Any:
    """Per group, the bitwise or of its items' ``bits`` (small, non-negative)."""
    import numpy as np

    if not len(bits):
        return np.zeros(count, dtype=np.int64)
    present = np.flatnonzero(np.bincount(bits))
    lookup = np.zeros(int(present[-1]) + 1, dtype=np.int64)
    lookup[present] = np.arange(len(present))
    width = len(present)
    seen = np.bincount(groups * width + lookup[bits], minlength=count * width)
    hit = seen.reshape(count, width) > 0
    return np.bitwise_or.reduce(np.where(hit, present, 0), axis=1)


def _overall(cells: Sequence[Sums], total: Sums | None = None) -> Sums:
    """The sums of all cells together (their lists already in ``total``,
    where given)."""
    if total is None:
        total = Sums()
        for name in ("unknown", "unconverted"):
            found: dict[int, str] = {}
            for cell in cells:
                found.update(
                    zip(getattr(cell, name), getattr(cell, f"{name}_ids"), strict=True)
                )
            ordered = sorted(found)
            setattr(total, name, ordered)
            setattr(total, f"{name}_ids", [found[p] for p in ordered])
    for cell in cells:
        total.known = total.known or cell.known
        total.best += cell.best
        total.low += cell.low
        total.high = (
            None if total.high is None or cell.high is None else total.high + cell.high
        )
        total.basis |= cell.basis
    return total


def _members(
    unfigured: dict[str, Any], groups: Any, which: int
) -> dict[int, tuple[list[int], list[str]]]:
    """Per group, the positions of its engagements of one status, in order,
    and their ids.

    The pieces come in order of position, so a stable sort by group leaves
    each group's positions in order, repeats side by side."""
    import numpy as np

    chosen = unfigured["status"] == which
    if not chosen.any():
        return {}
    group = groups[chosen]
    # Small integers sort stably by radix, in linear time.
    order = np.argsort(
        group.astype(np.uint16) if int(group.max()) < 2**16 else group, kind="stable"
    )
    group = group[order]
    position = unfigured["position"][chosen][order]
    first = np.r_[True, (group[1:] != group[:-1]) | (position[1:] != position[:-1])]
    group, position = group[first], position[first]
    ids = unfigured["ids"][unfigured["owner"][chosen][order][first]].tolist()
    cut = _starts(group)
    ends = [*cut[1:].tolist(), len(group)]
    positions = position.tolist()
    return {
        g: (positions[start:end], ids[start:end])
        for g, start, end in zip(group[cut].tolist(), cut.tolist(), ends, strict=True)
    }
