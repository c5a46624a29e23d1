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
    position: dict[str, int]  # each record's row, by id
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
    currencies: tuple[str, ...]
    kinds: tuple[Any, ...]
    donors: tuple[Hashable, ...]
    keys: tuple[Hashable, ...]  # sector, place and implementer keys
    values: tuple[Hashable, ...]  # channel and status values


@attrs.define
class _Builder:
    """Reads engagements into lists, sharing the rules' work between
    engagements of the same shape."""

    data: Dataset
    scope: Literal["mali", "all"]
    containers: frozenset[str]
    lists: dict[str, list[Any]] = attrs.field(factory=dict)
    tables: dict[str, dict[Hashable, int]] = attrs.field(factory=dict)
    memo: dict[tuple[Any, ...], Any] = attrs.field(factory=dict)

    def add(self, name: str, value: Any) -> None:
        self.lists.setdefault(name, []).append(value)

    def code(self, table: str, value: Hashable) -> int:
        codes = self.tables.setdefault(table, {})
        return codes.setdefault(value, len(codes))

    def cached(self, key: tuple[Any, ...], compute: Any) -> Any:
        if key not in self.memo:
            self.memo[key] = compute()
        return self.memo[key]

    def read(self, engagement: Engagement) -> None:
        counted = contributing_amounts(engagement)
        places = self.cached(
            ("places", engagement.places),
            lambda: place_options(engagement, self.data, self.scope, "even"),
        )
        shape = self._shape(engagement, counted, places)
        cls = OUTSIDE if not places else shape
        self.add("cls", cls)
        self.add("has_counted", bool(counted))
        self._static(engagement, places if cls in (UNKNOWN, COUNTED) else ())
        self._donors(engagement, cls)
        self._amount(engagement, counted if cls == COUNTED else ())
        years = years_of(engagement) if cls in (UNKNOWN, COUNTED) else ()
        self.add("open_count", len(years))
        self.lists.setdefault("open_year", []).extend(
            -1 if year is None else year for year in years
        )

    def _shape(
        self,
        engagement: Engagement,
        counted: Sequence[Any],
        places: Sequence[Option],
    ) -> int:
        if engagement.part_of is not None or engagement.id in self.containers:
            return OTHER
        if len(counted) > 1 or not _plain(places):
            return OTHER
        if not _plain(
            self.cached(
                ("sectors", engagement.sectors),
                lambda: sector_options(engagement, "even"),
            )
        ) or not _plain(
            self.cached(
                ("implementers", engagement.implementers),
                lambda: implementer_options(engagement, "even"),
            )
        ):
            return OTHER
        if self._donor_options(engagement) is None:
            return OTHER
        if counted and _units(counted[0].money.amount) is None:
            return OTHER
        return COUNTED if counted else UNKNOWN

    def _donor_options(self, engagement: Engagement) -> tuple[Option, ...] | None:
        key = ("donors", tuple((p.organisation, p.share) for p in engagement.funders))
        return self.cached(  # type: ignore[no-any-return]
            key, lambda: _plain_donors(donor_options(engagement, self.data))
        )

    def _static(self, engagement: Engagement, places: Sequence[Option]) -> None:
        plain = bool(places)
        sectors = (
            self.memo[("sectors", engagement.sectors)]
            if plain
            else (Option(None, *_1),)
        )
        implementers = (
            self.memo[("implementers", engagement.implementers)]
            if plain
            else (Option(None, *_1),)
        )
        bits = 0
        for shift, options in enumerate((sectors, places or (Option(None, *_1),))):
            bits |= _split_bit(options[0]) << (16 * shift)
        bits |= _split_bit(implementers[0]) << 32
        self.add("split_bits", bits)
        self.add("sector", self.code("keys", sectors[0].key))
        self.add("place", self.code("keys", (places or (Option(None, *_1),))[0].key))
        self.add("implementer", self.code("keys", implementers[0].key))
        for name in ("channel", "status"):
            value = getattr(engagement, name)
            self.add(name, self.code("values", None if value is None else value.value))

    def _donors(self, engagement: Engagement, cls: int) -> None:
        rows: tuple[tuple[int, int, int, int], ...] = ()
        if cls in (UNKNOWN, COUNTED):
            options = self._donor_options(engagement)
            assert options is not None
            key = (
                "donor rows",
                *((p.organisation, p.share) for p in engagement.funders),
            )
            rows = self.cached(key, lambda: self._donor_rows(options))
        self.add("donor_count", len(rows))
        self.extend(("donor", "share_num", "share_den", "donor_split"), rows)

    def _donor_rows(
        self, options: Sequence[Option]
    ) -> tuple[tuple[int, int, int, int], ...]:
        """Each donor's code, share over a common denominator, and split bit."""
        common = math.lcm(*(option.share.denominator for option in options))  # type: ignore[union-attr]
        return tuple(
            (
                self.code("donors", option.key),
                int(option.share * common),  # type: ignore[operator]
                common,
                0 if option.basis is None else BITS[option.basis],
            )
            for option in options
        )

    def extend(self, names: Sequence[str], rows: Sequence[Sequence[Any]]) -> None:
        for index, name in enumerate(names):
            self.lists.setdefault(name, []).extend(row[index] for row in rows)

    def _amount(self, engagement: Engagement, counted: Sequence[Any]) -> None:
        if not counted:
            for name in ("units", "decimals", "currency", "qualifier", "kind"):
                self.add(name, 0)
            self.add("slice_count", 0)
            return
        amount = counted[0]
        units = _units(amount.money.amount)
        assert units is not None
        self.add("units", units[0])
        self.add("decimals", units[1])
        self.add("currency", self.code("currencies", amount.money.currency))
        self.add("qualifier", _QUALIFIERS.index(amount.qualifier.value))
        self.add("kind", self.code("kinds", amount.kind))
        rows = self.cached(
            (
                "slices",
                amount.period,
                engagement.period,
                amount.value_date,
                engagement.active_in,
            ),
            lambda: _slice_rows(slices(amount, engagement)),
        )
        self.add("slice_count", len(rows))
        self.extend(("slice_year", "slice_num", "slice_den", "slice_date"), rows)


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


_1 = (Fraction(1), Fraction(1), Fraction(1))


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
    lists = builder.lists

    def array(name: str, dtype: Any = np.int64) -> Any:
        return np.array(lists.get(name, []), dtype=dtype)

    def offsets(name: str) -> Any:
        counts = array(name)
        out = np.zeros(len(counts) + 1, dtype=np.int64)
        np.cumsum(counts, out=out[1:])
        return out

    def table(name: str) -> tuple[Any, ...]:
        return tuple(builder.tables.get(name, {}))

    return Columns(
        records=tuple(records),
        position={record.id: row for row, record in enumerate(records)},
        scope=scope,
        cls=array("cls", np.int8),
        has_counted=array("has_counted", bool),
        units=array("units"),
        decimals=array("decimals"),
        currency=array("currency"),
        qualifier=array("qualifier"),
        kind=array("kind"),
        donor_offsets=offsets("donor_count"),
        donor=array("donor"),
        share_num=array("share_num"),
        share_den=array("share_den"),
        donor_split=array("donor_split"),
        slice_offsets=offsets("slice_count"),
        slice_year=array("slice_year"),
        slice_num=array("slice_num"),
        slice_den=array("slice_den"),
        slice_date=array("slice_date"),
        open_offsets=offsets("open_count"),
        open_year=array("open_year"),
        sector=array("sector"),
        place=array("place"),
        implementer=array("implementer"),
        channel=array("channel"),
        status=array("status"),
        split_bits=array("split_bits"),
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
