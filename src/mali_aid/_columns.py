"""Engagements as columns: what the fast engine of :func:`mali_aid.totals`
reads instead of engagement objects.

Each engagement is read once, by the functions of :mod:`mali_aid._rules`
themselves, and classed by the shape of its money:

- *outside*: no place of it lies in the scope, so it gives no atom;
- *unknown*: nothing to count, with at most one sector, place and
  implementer;
- *counted*: one counted amount, donors with known shares, at most one
  sector, place and implementer, its place (if any) wholly in the scope;
- *other*: everything else (several amounts, several sectors or places, a
  share of Mali not known, a part or a container of parts, an amount too
  large for 53 bits of minor units). The engine hands these to the
  reference functions.

The columns of the dataset's own engagements are built on first use and
kept beside the dataset for as long as it lives; they hold nothing that
depends on the currency, the rates or the tolerance of a total.
"""

from __future__ import annotations

import math
import threading
import weakref
from array import array
from collections.abc import Hashable, Sequence
from datetime import date
from fractions import Fraction
from typing import TYPE_CHECKING, Any, Final, Literal

import attrs

from ._model import Engagement
from ._rules import (
    Basis,
    Option,
    Slice,
    contributing_amounts,
    donor_options,
    implementer_options,
    place_options,
    sector_options,
    slices,
    years_of,
)

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from ._dataset import Dataset

    Ints = npt.NDArray[np.int64]

OUTSIDE: Final = 0
UNKNOWN: Final = 1
COUNTED: Final = 2
OTHER: Final = 3

#: The largest amount, in units of its last decimal place, the engine takes:
#: below 2**53, so that every product it forms stays within 63 bits.
MAX_UNITS: Final = 2**53
#: The largest denominator of a funding share the engine takes.
MAX_SHARE_DENOMINATOR: Final = 2**20
#: Each :class:`Basis` as one bit.
BITS: Final = {basis: 1 << index for index, basis in enumerate(Basis)}

_QUALIFIERS: Final = ("exact", "about", "at-least", "at-most")


@attrs.frozen(eq=False)
class Columns:
    """The engagements of a dataset (or of one call), one row each."""

    records: tuple[Engagement, ...]
    scope: str
    cls: Any  # int8: OUTSIDE, UNKNOWN, COUNTED or OTHER
    has_counted: Any  # bool: contributing_amounts() is not empty
    # The counted amount of a COUNTED row.
    units: Any  # int64: the amount in units of its last decimal place
    decimals: Any  # int64: how many decimal places ``units`` has
    currency: Any  # int64: index into ``currencies``
    qualifier: Any  # int64: index into _QUALIFIERS
    kind: Any  # int64: index into ``kinds``
    # The donors of each row: rows ``donor_offsets[i]:donor_offsets[i+1]``.
    donor_offsets: Any
    donor: Any  # int64: index into ``donors``
    share_num: Any  # int64: the share over the row's common denominator
    share_den: Any  # int64: the row's common denominator (same on each)
    donor_split: Any  # int64: the basis bit of a split donor, else 0
    # The slices of a COUNTED row's amount over years.
    slice_offsets: Any
    slice_year: Any  # int64: the year, or -1 where not known
    slice_num: Any  # int64: the slice's fraction over the row's denominator
    slice_den: Any  # int64
    slice_date: Any  # int64: the value date's ordinal, or 0
    # The years an engagement without a counted figure falls in.
    open_offsets: Any
    open_year: Any  # int64: the year, or -1
    # One key each, as an index into its table.
    sector: Any
    place: Any
    implementer: Any
    channel: Any
    status: Any
    split_bits: Any  # int64 per row and dimension: sector, place, implementer
    # The code of the row's sector, place, implementer, channel, status and
    # split bits together: rows with the same group agree on all six.
    group: Any
    currencies: tuple[str, ...]
    kinds: tuple[Any, ...]
    donors: tuple[Hashable, ...]
    keys: tuple[Hashable, ...]  # sector, place and implementer keys
    values: tuple[Hashable, ...]  # channel and status values
    memo: dict[str, Any] = attrs.field(factory=dict)

    def position(self) -> dict[str, int]:
        """Each record's row, by id (made on first use: a total of every
        row needs none)."""
        found = self.memo.get("position")
        if found is None:
            found = {record.id: row for row, record in enumerate(self.records)}
            with _LOCK:
                found = self.memo.setdefault("position", found)
        return found  # type: ignore[no-any-return]


#: The values each engagement adds one of.
_PER_ROW: Final = (
    "cls",
    "has_counted",
    "units",
    "decimals",
    "amount",
    "fixed",
    "donors",
    "slices",
    "years",
)
#: The columns of one key each, in the order of the fixed group's values.
_FIXED: Final = ("split_bits", "sector", "place", "implementer", "channel", "status")


@attrs.define
class _Ragged:
    """Groups of rows of several values each, stored once per distinct group:
    each engagement keeps only the code of its group. Code 0 is ``first``:
    no row where an engagement may have none, a row of zeros where it has
    exactly one."""

    width: int
    first: Sequence[tuple[int, ...]] = ()
    codes: dict[Hashable, int] = attrs.field(factory=dict)
    flat: list[tuple[int, ...]] = attrs.field(factory=list)
    starts: list[int] = attrs.field(factory=list)
    counts: list[int] = attrs.field(factory=list)

    def __attrs_post_init__(self) -> None:
        self.code(None, self.first)

    def code(self, key: Hashable, rows: Sequence[tuple[int, ...]]) -> int:
        """The code of a group, stored under ``key`` the first time."""
        self.starts.append(len(self.flat))
        self.counts.append(len(rows))
        self.flat.extend(rows)
        return self.codes.setdefault(key, len(self.codes))

    def columns(self, group: Any) -> tuple[Any, list[Any]]:
        """The offsets of each engagement's rows, and each value's column."""
        import numpy as np

        counts = np.array(self.counts, dtype=np.int64)[group]
        offsets = np.zeros(len(group) + 1, dtype=np.int64)
        np.cumsum(counts, out=offsets[1:])
        starts = np.array(self.starts, dtype=np.int64)[group]
        flat = np.repeat(starts - offsets[:-1], counts)
        flat += np.arange(offsets[-1], dtype=np.int64)
        table = np.array(self.flat, dtype=np.int64).reshape(-1, self.width)
        return offsets, [table[flat, index] for index in range(self.width)]


@attrs.frozen
class _Shape:
    """The rules' options for one combination of places, sectors and
    participants (``index`` numbers the combination)."""

    index: int
    places: tuple[Option, ...]  # empty: none in the scope
    plain: bool  # one key each, taking the whole; donors with known shares
    sector: Option
    implementer: Option
    donors: tuple[Option, ...] | None


@attrs.define
class _Builder:
    """Reads engagements into columns, sharing the rules' work between
    engagements of the same shape.

    Each engagement adds one value to each of a few ``array`` s: its class,
    amount, and the codes of its groups of values (its keys, its donors, its
    slices over years, its years). A group is worked out by the rules once,
    the first time it is met, and stored once; :func:`build` spreads the
    groups back over the engagements with numpy.
    """

    data: Dataset
    scope: Literal["mali", "all"]
    containers: frozenset[str]
    rows: dict[str, array[int]] = attrs.field(
        factory=lambda: {name: array("q") for name in _PER_ROW}
    )
    tables: dict[str, dict[Hashable, int]] = attrs.field(factory=dict)
    shapes: dict[tuple[Any, ...], _Shape] = attrs.field(factory=dict)
    fixed: _Ragged = attrs.field(factory=lambda: _Ragged(len(_FIXED)))
    amounts: _Ragged = attrs.field(factory=lambda: _Ragged(3, [(0, 0, 0)]))
    donors: _Ragged = attrs.field(factory=lambda: _Ragged(4))
    slices: _Ragged = attrs.field(factory=lambda: _Ragged(4))
    years: _Ragged = attrs.field(factory=lambda: _Ragged(1))

    def code(self, table: str, value: Hashable) -> int:
        codes = self.tables.setdefault(table, {})
        return codes.setdefault(value, len(codes))

    def read(self, engagement: Engagement) -> None:
        counted = contributing_amounts(engagement)
        shape = self._shape(engagement)
        units = _units(counted[0].money.amount) if len(counted) == 1 else None
        if not shape.places:
            cls = OUTSIDE
        elif (
            not shape.plain
            or engagement.part_of is not None
            or engagement.id in self.containers
            or len(counted) > 1
            or (counted and units is None)
        ):
            cls = OTHER
        else:
            cls = COUNTED if counted else UNKNOWN
        plain = cls in (UNKNOWN, COUNTED)
        rows = self.rows
        rows["cls"].append(cls)
        rows["has_counted"].append(bool(counted))
        rows["fixed"].append(self._fixed(engagement, shape if plain else None))
        rows["donors"].append(self._donors(shape) if plain else 0)
        rows["years"].append(self._years(engagement) if plain else 0)
        if cls == COUNTED:
            assert units is not None
            rows["units"].append(units[0])
            rows["decimals"].append(units[1])
            rows["amount"].append(self._amount(counted[0]))
            rows["slices"].append(self._slices(engagement, counted[0]))
        else:
            rows["units"].append(0)
            rows["decimals"].append(0)
            rows["amount"].append(0)
            rows["slices"].append(0)

    def _shape(self, engagement: Engagement) -> _Shape:
        """What the rules make of the engagement's places, sectors and
        participants, worked out once per distinct combination."""
        key = (engagement.places, engagement.sectors, engagement.participants)
        found = self.shapes.get(key)
        if found is None:
            places = place_options(engagement, self.data, self.scope, "even")
            sectors = sector_options(engagement, "even")
            implementers = implementer_options(engagement, "even")
            donors = _plain_donors(donor_options(engagement, self.data))
            found = self.shapes[key] = _Shape(
                index=len(self.shapes),
                places=places,
                plain=_plain(places)
                and _plain(sectors)
                and _plain(implementers)
                and donors is not None,
                sector=sectors[0],
                implementer=implementers[0],
                donors=donors,
            )
        return found

    def _fixed(self, engagement: Engagement, shape: _Shape | None) -> int:
        """The code of the engagement's one key of each dimension (none but
        its channel and status where it has several)."""
        key = (
            -1 if shape is None else shape.index,
            engagement.channel,
            engagement.status,
        )
        found = self.fixed.codes.get(key)
        if found is not None:
            return found
        sector = _WHOLE if shape is None else shape.sector
        place = _WHOLE if shape is None else shape.places[0]
        implementer = _WHOLE if shape is None else shape.implementer
        bits = (
            _split_bit(sector) | _split_bit(place) << 16 | _split_bit(implementer) << 32
        )
        row = (
            bits,
            self.code("keys", sector.key),
            self.code("keys", place.key),
            self.code("keys", implementer.key),
            *(
                self.code("values", None if value is None else value.value)
                for value in (engagement.channel, engagement.status)
            ),
        )
        return self.fixed.code(key, (row,))

    def _donors(self, shape: _Shape) -> int:
        """The code of the engagement's donors: each one's code, share over a
        common denominator, and split bit."""
        found = self.donors.codes.get(shape.index)
        if found is not None:
            return found
        options = shape.donors
        assert options is not None
        common = math.lcm(*(option.share.denominator for option in options))  # type: ignore[union-attr]
        rows = [
            (
                self.code("donors", option.key),
                int(option.share * common),  # type: ignore[operator]
                common,
                0 if option.basis is None else BITS[option.basis],
            )
            for option in options
        ]
        return self.donors.code(shape.index, rows)

    def _years(self, engagement: Engagement) -> int:
        """The code of the years an engagement falls in (-1: not known)."""
        key = (engagement.period, engagement.active_in)
        found = self.years.codes.get(key)
        if found is not None:
            return found
        years = years_of(engagement)
        return self.years.code(key, [(-1 if year is None else year,) for year in years])

    def _amount(self, amount: Any) -> int:
        """The code of a counted amount's currency, qualifier and kind."""
        key = (amount.money.currency, amount.qualifier, amount.kind)
        found = self.amounts.codes.get(key)
        if found is not None:
            return found
        row = (
            self.code("currencies", amount.money.currency),
            _QUALIFIERS.index(amount.qualifier.value),
            self.code("kinds", amount.kind),
        )
        return self.amounts.code(key, (row,))

    def _slices(self, engagement: Engagement, amount: Any) -> int:
        """The code of a counted amount's slices over years."""
        key = (
            amount.period,
            engagement.period,
            amount.value_date,
            engagement.active_in,
        )
        found = self.slices.codes.get(key)
        if found is not None:
            return found
        return self.slices.code(key, _slice_rows(slices(amount, engagement)))


def _slice_rows(pieces: Sequence[Slice]) -> tuple[tuple[int, int, int, int], ...]:
    """Each slice's year, fraction over a common denominator and value date."""
    common = math.lcm(*(piece.fraction.denominator for piece in pieces))
    return tuple(
        (
            -1 if piece.year is None else piece.year,
            int(piece.fraction * common),
            common,
            0 if piece.value_date is None else date.toordinal(piece.value_date),
        )
        for piece in pieces
    )


#: The one key of a dimension an engagement does not split.
_WHOLE: Final = Option(None, Fraction(1), Fraction(1), Fraction(1))


def _plain(options: Sequence[Option]) -> bool:
    """One key taking the whole, known, with no basis that always holds."""
    if len(options) != 1:
        return False
    option = options[0]
    return (
        option.share == 1
        and option.low == 1
        and option.high == 1
        and (option.always is None)
    )


def _plain_donors(options: tuple[Option, ...]) -> tuple[Option, ...] | None:
    """Donors with known shares summing to one, or ``None``."""
    shares = [option.share for option in options]
    if None in shares or sum(shares) != 1:  # type: ignore[arg-type]
        return None
    if any(
        option.always is not None
        or option.low != option.share
        or option.high != option.share
        or option.share.denominator > MAX_SHARE_DENOMINATOR
        for option in options
    ):
        return None
    return options


def _split_bit(option: Option) -> int:
    if option.basis is None or option.basis is option.always:
        return 0
    return BITS[option.basis]


def _units(amount: Any) -> tuple[int, int] | None:
    """An amount as (integer units, decimal places), if small enough."""
    sign, _, exponent = amount.as_tuple()
    if sign or not isinstance(exponent, int):
        return None
    places = max(0, -exponent)
    if places > 6:
        return None
    units = int(amount.scaleb(places))
    if units >= MAX_UNITS:
        return None
    return units, places


def build(
    records: Sequence[Engagement], data: Dataset, scope: Literal["mali", "all"]
) -> Columns:
    """Read engagements into columns (numpy must be importable)."""
    import numpy as np

    parents = frozenset(
        record.part_of for record in records if record.part_of is not None
    )
    builder = _Builder(data, scope, parents)
    for record in records:
        builder.read(record)
    rows = {
        name: np.frombuffer(values, dtype=np.int64) if values else np.zeros(0, np.int64)
        for name, values in builder.rows.items()
    }
    _, fixed = builder.fixed.columns(rows["fixed"])
    _, (currency, qualifier, kind) = builder.amounts.columns(rows["amount"])
    donor_offsets, (donor, share_num, share_den, donor_split) = builder.donors.columns(
        rows["donors"]
    )
    slice_offsets, (slice_year, slice_num, slice_den, slice_date) = (
        builder.slices.columns(rows["slices"])
    )
    open_offsets, (open_year,) = builder.years.columns(rows["years"])

    def table(name: str) -> tuple[Any, ...]:
        return tuple(builder.tables.get(name, {}))

    return Columns(
        records=tuple(records),
        scope=scope,
        cls=rows["cls"].astype(np.int8),
        has_counted=rows["has_counted"].astype(bool),
        units=rows["units"],
        decimals=rows["decimals"],
        currency=currency,
        qualifier=qualifier,
        kind=kind,
        donor_offsets=donor_offsets,
        donor=donor,
        share_num=share_num,
        share_den=share_den,
        donor_split=donor_split,
        slice_offsets=slice_offsets,
        slice_year=slice_year,
        slice_num=slice_num,
        slice_den=slice_den,
        slice_date=slice_date,
        open_offsets=open_offsets,
        open_year=open_year,
        **dict(zip(_FIXED, fixed, strict=True)),
        group=rows["fixed"],
        currencies=table("currencies"),
        kinds=table("kinds"),
        donors=table("donors"),
        keys=table("keys"),
        values=table("values"),
    )


# -- the columns of a dataset's own engagements -------------------------------------

_LOCK = threading.Lock()
_CACHE: dict[tuple[int, str], tuple[weakref.ref[Any], Columns]] = {}


def of_dataset(data: Dataset, scope: Literal["mali", "all"]) -> Columns:
    """The columns of a dataset's engagements, built once and kept while the
    dataset lives."""
    key = (id(data), scope)
    with _LOCK:
        found = _CACHE.get(key)
        if found is not None and found[0]() is data:
            return found[1]
    columns = build(data.engagements, data, scope)
    with _LOCK:
        _CACHE[key] = (weakref.ref(data, lambda _: _forget(key)), columns)
    return columns


def _forget(key: tuple[int, str]) -> None:
    with _LOCK:
        _CACHE.pop(key, None)
