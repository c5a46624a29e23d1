"""Lists of records for reading: :func:`browse` and :class:`Listing`.

A listing is what a person scans: one line per record with the fields that
tell records apart (names beside ids), as an aligned table that fits a
width, and the same rows as plain data for JSON, money in the form of
:mod:`mali_aid._serialise`.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any, Literal, overload

import attrs

from ._convert import to_dict
from ._model import Engagement, EngagementKind, OrganisationKind, PlaceLevel, Status
from ._serialise import plain_money
from ._text import count, money_text, table, wrap
from .errors import DataError

if TYPE_CHECKING:
    from ._dataset import Dataset
    from ._overlap import Overlaps

__all__ = ["BROWSABLE", "Listing", "browse", "overlaps_text"]

#: What :func:`browse` lists.
BROWSABLE = ("engagements", "donors", "organisations", "places", "sectors", "sources")


def _headers(value: Iterable[str]) -> tuple[str, ...]:
    return tuple(value)


def _right(value: Iterable[int]) -> frozenset[int]:
    return frozenset(value)


def _rows(value: Iterable[Iterable[str]]) -> tuple[tuple[str, ...], ...]:
    return tuple(tuple(row) for row in value)


def _records(value: Iterable[Mapping[str, Any]]) -> tuple[Mapping[str, Any], ...]:
    return tuple(value)


@attrs.frozen
class Listing(Sequence[Mapping[str, Any]]):
    """Rows for a reader and the same records as plain data.

    ``headers`` and ``rows`` are the text table (``right`` the columns
    aligned right); ``records`` one plain mapping per row, for JSON; as a
    sequence, a listing is its records. ``noun`` (singular, plural) names
    what is counted in the line under the table ("3 donors"); without it
    there is no count.

    >>> listing = Listing(("id", "name"), [("BE", "Belgium")],
    ...                   [{"id": "BE", "name": "Belgium"}], noun=("donor", "donors"))
    >>> print(listing)
    id  name
    --  -------
    BE  Belgium
    1 donor
    """

    headers: tuple[str, ...] = attrs.field(converter=_headers)
    rows: tuple[tuple[str, ...], ...] = attrs.field(converter=_rows)
    records: tuple[Mapping[str, Any], ...] = attrs.field(converter=_records)
    right: frozenset[int] = attrs.field(default=frozenset(), converter=_right)
    noun: tuple[str, str] | None = None

    def __attrs_post_init__(self) -> None:
        if len(self.rows) != len(self.records):
            raise DataError(
                f"a listing of {len(self.rows)} rows has {len(self.records)} records"
            )
        for row in self.rows:
            if len(row) != len(self.headers):
                raise DataError(
                    f"a row of {len(row)} cells under {len(self.headers)} headers"
                )

    @overload
    def __getitem__(self, index: int) -> Mapping[str, Any]: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Mapping[str, Any]]: ...
    def __getitem__(
        self, index: int | slice
    ) -> Mapping[str, Any] | Sequence[Mapping[str, Any]]:
        return self.records[index]

    def __len__(self) -> int:
        return len(self.records)

    def __iter__(self) -> Iterator[Mapping[str, Any]]:
        return iter(self.records)

    def to_dict(self) -> list[dict[str, Any]]:
        """The records as plain dicts, for JSON (a listing is a list)."""
        return [dict(record) for record in self.records]

    def to_records(self) -> list[dict[str, Any]]:
        """Deprecated: use :meth:`to_dict`."""
        warnings.warn(
            "Listing.to_records() is deprecated and will be removed in 0.3.0;"
            " use Listing.to_dict()",
            DeprecationWarning,
            stacklevel=2,
        )
        return self.to_dict()

    def to_text(self, width: int | None = None) -> str:
        """The table, cut to ``width`` characters where given (the widest
        text first; never the figures or the first column, the ids), then
        the count."""
        out = []
        if self.rows or self.noun is None:
            out.append(
                table(self.headers, self.rows, right=self.right, keep={0}, width=width)
            )
        if self.noun is not None:
            out.append(count(len(self.rows), *self.noun))
        return "\n".join(out)

    def __str__(self) -> str:
        return self.to_text()


# -- engagements ------------------------------------------------------------------


def _when(record: Engagement) -> str:
    """When an engagement ran, as the data gives it."""
    period = record.period
    if period is not None:
        words = period.length_in_words
        if period.start is None and period.end is None and words is not None:
            about = "about " if period.approximate else ""
            return f"{about}{words}, dates unknown"
        return str(period)
    if record.active_in:
        return "seen " + ", ".join(str(year) for year in record.active_in)
    return "-"


def _amounts(record: Engagement) -> str:
    return (
        "; ".join(
            f"{money_text(amount.money, qualifier=amount.qualifier)} {amount.kind}"
            for amount in record.amounts
        )
        or "unknown"
    )


def engagement_record(data: Dataset, record: Engagement) -> dict[str, Any]:
    """An engagement as plain data: its fields as the data files hold them,
    but each amount's money as ``{"amount", "currency"}``, and its donors."""
    facts = to_dict(record)
    for plain, amount in zip(facts.get("amounts", ()), record.amounts, strict=True):
        plain["money"] = plain_money(amount.money.amount, amount.money.currency)
    facts["donors"] = list(data.donors(record))
    return facts


def _engagements(data: Dataset, chosen: Sequence[Engagement]) -> Listing:
    return Listing(
        ("id", "donor", "when", "amount", "title"),
        [
            (
                record.id,
                ", ".join(data.donors(record)) or "?",
                _when(record),
                _amounts(record),
                record.title_en or record.title,
            )
            for record in chosen
        ],
        [engagement_record(data, record) for record in chosen],
        noun=("engagement", "engagements"),
    )


# -- reference records -------------------------------------------------------------


def _cites(record: Any, source: str | None) -> bool:
    return source is None or any(
        citation.source == source for citation in record.citations
    )


def _donors(data: Dataset, filters: _Filters) -> Listing:
    counted: dict[str, list[str]] = {}
    for record in data.engagements:
        if filters.admits(record):
            for donor in data.donors(record):
                counted.setdefault(donor, []).append(record.id)
    chosen = [org for org in data.organisations if org.id in counted]
    return Listing(
        ("id", "name", "kind", "engagements"),
        [
            (org.id, org.name, str(org.kind), str(len(counted[org.id])))
            for org in chosen
        ],
        [
            {
                "id": org.id,
                "name": org.name,
                "kind": str(org.kind),
                "engagements": counted[org.id],
            }
            for org in chosen
        ],
        right={3},
        noun=("donor", "donors"),
    )


def _organisations(data: Dataset, filters: _Filters) -> Listing:
    chosen = [
        org
        for org in data.organisations
        if _cites(org, filters.source) and filters.kind in (None, org.kind)
    ]
    return Listing(
        ("id", "name", "kind", "parent", "country"),
        [
            (org.id, org.name, str(org.kind), org.parent or "-", org.country or "-")
            for org in chosen
        ],
        [
            {
                "id": org.id,
                "name": org.name,
                "kind": str(org.kind),
                "parent": org.parent,
                "country": org.country,
                "aliases": list(org.aliases),
            }
            for org in chosen
        ],
        noun=("organisation", "organisations"),
    )


def _places(data: Dataset, filters: _Filters) -> Listing:
    within = filters.within
    if within is not None:
        data.place(within)  # an unknown id raises, with suggestions
    chosen = [
        place
        for place in data.places
        if _cites(place, filters.source)
        and filters.level in (None, place.level)
        and (within is None or (place.id != within and data.lies_in(place.id, within)))
    ]
    return Listing(
        ("id", "name", "level", "parent"),
        [
            (
                place.id,
                place.name,
                str(place.level),
                "-"
                if place.parent is None
                else f"{place.parent} ({data.place(place.parent).name})",
            )
            for place in chosen
        ],
        [
            {
                "id": place.id,
                "name": place.name,
                "level": str(place.level),
                "parent": place.parent,
                "iso_code": place.iso_code,
                "areas": list(place.areas),
                "aliases": list(place.aliases),
            }
            for place in chosen
        ],
        noun=("place", "places"),
    )


def _sectors(data: Dataset, filters: _Filters) -> Listing:
    chosen = [sector for sector in data.sectors if _cites(sector, filters.source)]
    return Listing(
        ("id", "name", "DAC code"),
        [(sector.id, sector.name, sector.dac_code or "-") for sector in chosen],
        [
            {"id": sector.id, "name": sector.name, "dac_code": sector.dac_code}
            for sector in chosen
        ],
        noun=("sector", "sectors"),
    )


def _sources(data: Dataset, _filters: _Filters) -> Listing:
    return Listing(
        ("id", "publisher", "date", "title"),
        [
            (
                source.id,
                source.publisher,
                "-" if source.date is None else str(source.date),
                source.title,
            )
            for source in data.sources
        ],
        [
            {
                "id": source.id,
                "title": source.title,
                "publisher": source.publisher,
                "language": source.language,
                "date": None if source.date is None else str(source.date),
                "url": source.url,
            }
            for source in data.sources
        ],
        noun=("source", "sources"),
    )


@attrs.frozen
class _Filters:
    source: str | None = None
    status: Status | None = None
    kind: Any = None
    level: PlaceLevel | None = None
    within: str | None = None

    def admits(self, record: Engagement) -> bool:
        """Whether an engagement cites the source, has the status and kind."""
        return (
            _cites(record, self.source)
            and self.status in (None, record.status)
            and self.kind in (None, record.kind)
        )


_BUILDERS: dict[str, Callable[[Dataset, _Filters], Listing]] = {
    "donors": _donors,
    "organisations": _organisations,
    "places": _places,
    "sectors": _sectors,
    "sources": _sources,
}
#: The conditions each kind of listing takes.
_TAKES: dict[str, frozenset[str]] = {
    "engagements": frozenset({"source", "status", "kind"}),
    "donors": frozenset({"source", "status", "kind"}),
    "organisations": frozenset({"source", "kind"}),
    "places": frozenset({"source", "level", "within"}),
    "sectors": frozenset({"source"}),
    "sources": frozenset(),
}


def _enum(kind: type[Any], value: object, what: str) -> Any:
    if value is None:
        return None
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(member.value for member in kind)
        raise DataError(f"{value!r} is not {what}; use one of {choices}") from None


def browse(
    data: Dataset,
    what: Literal[
        "engagements", "donors", "organisations", "places", "sectors", "sources"
    ],
    records: Iterable[Engagement] | None = None,
    *,
    source: str | None = None,
    status: Status | str | None = None,
    kind: EngagementKind | OrganisationKind | str | None = None,
    level: PlaceLevel | str | None = None,
    within: str | None = None,
) -> Listing:
    """A :class:`Listing` of the records of one kind, names beside ids.

    - ``"engagements"``: ``records`` (all by default) with their donors,
      when they ran, their amounts and titles; ``source``, ``status`` and
      ``kind`` keep those that cite that source, stand at that status or
      are of that kind;
    - ``"donors"``: the root organisations that fund engagements, with the
      ids of those engagements; ``source``, ``status`` and ``kind`` (of
      engagement) count only the engagements that cite that source, stand
      at that status or are of that kind, and leave out donors with none;
    - ``"organisations"``: every organisation with its kind, parent and
      country; ``kind`` (of organisation) and ``source`` (cited by);
    - ``"places"``: every place with its level and parent; ``level``, and
      ``within`` a place id: the places that lie inside it, at any depth;
    - ``"sectors"``: every sector with its OECD DAC code; ``source``;
    - ``"sources"``: the documents the data is drawn from.

    A condition that a kind does not take raises
    :class:`~mali_aid.errors.DataError`, and so does an unknown value.

    >>> from mali_aid import browse, load
    >>> [place["id"] for place in browse(load(), "places", within="ml-sikasso-region")]
    ['ml-yorosso-cercle', 'ml-sikasso-cercle', 'ml-kadiolo-cercle', 'ml-sikasso-city', 'ml-kadiolo-commune']
    """
    from . import _arguments

    _arguments.check(
        "browse",
        data=data,
        what=what,
        source=source,
        status=status,
        kind=kind,
        level=level,
        within=within,
    )
    records = _arguments.engagements("browse", records, optional=True)
    given = {
        name
        for name, value in (
            ("source", source),
            ("status", status),
            ("kind", kind),
            ("level", level),
            ("within", within),
        )
        if value is not None
    }
    if what not in _TAKES:
        raise DataError(f"cannot browse {what!r}; choose from {', '.join(BROWSABLE)}")
    if records is not None and what != "engagements":
        raise DataError(f"browse(data, {what!r}) takes no records")
    if not given <= _TAKES[what]:
        raise DataError(f"browse(data, {what!r}) takes no {min(given - _TAKES[what])}=")
    if source is not None:
        data.source(source)  # an unknown id raises, with suggestions
    of = "organisation" if what == "organisations" else "engagement"
    filters = _Filters(
        source=source,
        status=_enum(Status, status, "a status"),
        kind=_enum(
            OrganisationKind if of == "organisation" else EngagementKind,
            kind,
            f"a kind of {of}",
        ),
        level=_enum(PlaceLevel, level, "a level of place"),
        within=within,
    )
    if what == "engagements":
        chosen = data.engagements if records is None else tuple(records)
        return _engagements(data, [r for r in chosen if filters.admits(r)])
    return _BUILDERS[what](data, filters)


# -- overlaps ----------------------------------------------------------------------


def overlaps_text(result: Overlaps, width: int | None = None) -> str:
    """The pairs as a table of the dimensions asked about, and the count."""
    headers = ["first", "second"]
    cells: list[Callable[[Any], str]] = [
        lambda pair: pair.first,
        lambda pair: pair.second,
    ]
    if "time" in result.on:
        headers += ["shared period", "days"]
        cells += [lambda pair: str(pair.period), lambda pair: str(pair.days)]
    if "place" in result.on:
        headers.append("places")
        cells.append(lambda pair: ", ".join(pair.places))
    if "sector" in result.on:
        headers.append("sectors")
        cells.append(lambda pair: ", ".join(pair.sectors))
    rows = [[cell(pair) for cell in cells] for pair in result]
    right = {headers.index("days")} if "time" in result.on else set()
    out = []
    if rows:
        out.append(table(headers, rows, right=right, width=width))
    out.append(count(len(rows), "overlapping pair"))
    if result.undated:
        out.append(
            wrap(
                f"undated, so not compared in time: {', '.join(result.undated)}", width
            )
        )
    return "\n".join(out)
