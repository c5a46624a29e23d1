"""The dataset: a validated, immutable set of records, looked up by id and
queried.

A :class:`Dataset` holds every record of the bundled data or of a user's own
files (``_loading`` reads them), checks them as a whole when it is built
(``_validation``) and answers the lookups and queries: records by id, the
organisation tree and the gazetteer, donors and funding shares, parts, and
``select()``. Nothing here reads a file.
"""

from __future__ import annotations

import enum
import os
from collections.abc import Callable, Iterable, Mapping, Sequence
from fractions import Fraction
from typing import Any, Final, TypeVar, overload

import attrs

from . import _arguments
from ._kinds import KINDS, suggestions
from ._model import (
    Channel,
    Engagement,
    Event,
    Indicator,
    Organisation,
    Place,
    PlaceLevel,
    Sector,
    Source,
    Statement,
    Theme,
)
from ._selection import Filters, Selection, code_conditions
from ._validation import oversized_container, validate
from .errors import ArgumentError, DataError, UnknownIdError

__all__ = ["Dataset"]

# Kept importable from here for the modules that still import them by
# these names (the command line, the IATI reader).
_KINDS: Final = KINDS
_oversized_container: Final = oversized_container

_T = TypeVar("_T")


class _Missing(enum.Enum):
    MISSING = enum.auto()


_MISSING: Final = _Missing.MISSING


def _records(value: Iterable[Any]) -> tuple[Any, ...]:
    if isinstance(value, str | bytes):
        raise ArgumentError(
            "must be a sequence of records, not a text",
            function="Dataset",
            argument="records",
        )
    return tuple(value)


def _chains(records: Sequence[Any]) -> dict[str, tuple[str, ...]]:
    """Each record's id followed by its parents' ids up to the root."""
    parent_of = {record.id: record.parent for record in records}
    chains: dict[str, tuple[str, ...]] = {}
    for record in records:
        path: list[str] = []
        current: str | None = record.id
        while current is not None and current not in chains:
            path.append(current)
            current = parent_of[current]
        tail = () if current is None else chains[current]
        for node in reversed(path):
            tail = (node, *tail)
            chains[node] = tail
    return chains


def _groupings(
    places: Sequence[Place], chains: Mapping[str, tuple[str, ...]]
) -> dict[str, tuple[str, ...]]:
    """Each place's id, the places it lies in, then the areas it is grouped into.

    The administrative chain comes first (itself, its parent, ..., the
    root), then each area that the place or one of its ancestors is grouped
    into, nearest first, each followed by the places the area lies in; every
    id once.
    """
    areas_of = {place.id: place.areas for place in places}
    grouped: dict[str, tuple[str, ...]] = {}
    for place in places:
        found = dict.fromkeys(chains[place.id])
        for node in chains[place.id]:
            for area in areas_of[node]:
                found.update(dict.fromkeys(chains[area]))
        grouped[place.id] = tuple(found)
    return grouped


@attrs.frozen
class _Index:
    """Everything the lookups and queries need, built once per Dataset."""

    sources: dict[str, Source]
    organisations: dict[str, Organisation]
    places: dict[str, Place]
    sectors: dict[str, Sector]
    themes: dict[str, Theme]
    engagements: dict[str, Engagement]
    events: dict[str, Event]
    indicators: dict[str, Indicator]
    statements: dict[str, Statement]
    #: Organisation id -> (itself, its parent, ..., its root).
    organisation_chains: dict[str, tuple[str, ...]]
    #: Place id -> (itself, the place it lies in, ..., the root).
    place_chains: dict[str, tuple[str, ...]]
    #: Place id -> its chain followed by the areas it is grouped into.
    place_groupings: dict[str, tuple[str, ...]]
    #: Engagement id -> the engagements that are part of it, in order.
    parts: dict[str, tuple[Engagement, ...]]


# -- the dataset ------------------------------------------------------------------


@attrs.frozen(kw_only=True, repr=False)
class Dataset:
    """A validated, immutable set of records of every kind.

    Each kind is a tuple in file order. Ids are unique within a kind only
    (Mali is both the place ``ML`` and the organisation ``ML``), so there is
    one lookup per kind: :meth:`source`, :meth:`organisation`,
    :meth:`place`, :meth:`sector`, :meth:`theme`, :meth:`engagement`,
    :meth:`event`, :meth:`indicator` and :meth:`statement`. Each raises
    :class:`~mali_aid.errors.UnknownIdError` for an unknown id, or returns
    ``default`` when one is given.

    Building a Dataset checks it as :func:`load` does: unique ids, every
    reference resolving, cited paragraphs within their source, and no loop
    in ``part_of``, ``follows``, the place and organisation trees or the
    areas places are grouped into. A failure raises
    :class:`~mali_aid.errors.DataError`. Usually you get a Dataset from
    :func:`load`.

    >>> from mali_aid import Dataset, Organisation
    >>> data = Dataset(organisations=[
    ...     Organisation(id="BE", name="Belgium", kind="state"),
    ...     Organisation(id="be-defence", name="Belgian Defence",
    ...                  kind="armed-forces", parent="BE"),
    ... ])
    >>> data.organisation("be-defence").name
    'Belgian Defence'
    >>> data.root_organisation("be-defence").id
    'BE'
    >>> data.organisation("BF", default=None) is None
    True
    """

    sources: tuple[Source, ...] = attrs.field(default=(), converter=_records)
    organisations: tuple[Organisation, ...] = attrs.field(
        default=(), converter=_records
    )
    places: tuple[Place, ...] = attrs.field(default=(), converter=_records)
    sectors: tuple[Sector, ...] = attrs.field(default=(), converter=_records)
    themes: tuple[Theme, ...] = attrs.field(default=(), converter=_records)
    engagements: tuple[Engagement, ...] = attrs.field(default=(), converter=_records)
    events: tuple[Event, ...] = attrs.field(default=(), converter=_records)
    indicators: tuple[Indicator, ...] = attrs.field(default=(), converter=_records)
    statements: tuple[Statement, ...] = attrs.field(default=(), converter=_records)
    _index: _Index = attrs.field(init=False, eq=False)

    def __attrs_post_init__(self) -> None:
        tables = self._tables()
        for plural, _, kind in KINDS:
            for index, record in enumerate(tables[plural]):
                if not isinstance(record, kind):
                    raise ArgumentError(
                        f"must hold {kind.__name__} records; item {index} is"
                        f" of type {type(record).__name__}",
                        function="Dataset",
                        argument=plural,
                    )
        validate(tables, None)
        parts: dict[str, list[Engagement]] = {}
        for engagement in self.engagements:
            if engagement.part_of is not None:
                parts.setdefault(engagement.part_of, []).append(engagement)
        place_chains = _chains(self.places)
        built = _Index(
            sources={record.id: record for record in self.sources},
            organisations={record.id: record for record in self.organisations},
            places={record.id: record for record in self.places},
            sectors={record.id: record for record in self.sectors},
            themes={record.id: record for record in self.themes},
            engagements={record.id: record for record in self.engagements},
            events={record.id: record for record in self.events},
            indicators={record.id: record for record in self.indicators},
            statements={record.id: record for record in self.statements},
            organisation_chains=_chains(self.organisations),
            place_chains=place_chains,
            place_groupings=_groupings(self.places, place_chains),
            parts={key: tuple(value) for key, value in parts.items()},
        )
        object.__setattr__(self, "_index", built)

    def _tables(self) -> dict[str, tuple[Any, ...]]:
        return {plural: getattr(self, plural) for plural, _, _ in KINDS}

    def __repr__(self) -> str:
        counts = ", ".join(
            f"{len(getattr(self, plural))} {plural}" for plural, _, _ in KINDS
        )
        return f"<Dataset: {counts}>"

    # -- lookups ----------------------------------------------------------------

    def _find(
        self, singular: str, table: Mapping[str, Any], id: str, default: object
    ) -> Any:
        record = table.get(id) if isinstance(id, str) else None
        if record is not None:
            return record
        if default is not _MISSING:
            return default
        raise UnknownIdError(
            f"no {singular} has the id {id!r}" + suggestions(id, table)
        )

    @overload
    def source(self, id: str, /) -> Source: ...
    @overload
    def source(self, id: str, /, *, default: _T) -> Source | _T: ...
    def source(self, id: str, /, *, default: object = _MISSING) -> object:
        """The source with this id.

        >>> from mali_aid import Dataset
        >>> Dataset().source("be-dgd-mali", default=None) is None
        True
        """
        return self._find("source", self._index.sources, id, default)

    @overload
    def organisation(self, id: str, /) -> Organisation: ...
    @overload
    def organisation(self, id: str, /, *, default: _T) -> Organisation | _T: ...
    def organisation(self, id: str, /, *, default: object = _MISSING) -> object:
        """The organisation with this id (``BE``, ``luxdev``).

        >>> from mali_aid import Dataset, Organisation
        >>> data = Dataset(organisations=[
        ...     Organisation(id="LU", name="Luxembourg", kind="state")])
        >>> data.organisation("LU").name
        'Luxembourg'
        >>> data.organisation("lu")
        Traceback (most recent call last):
        ...
        mali_aid.errors.UnknownIdError: no organisation has the id 'lu'; did you mean 'LU'?
        """
        return self._find("organisation", self._index.organisations, id, default)

    @overload
    def place(self, id: str, /) -> Place: ...
    @overload
    def place(self, id: str, /, *, default: _T) -> Place | _T: ...
    def place(self, id: str, /, *, default: object = _MISSING) -> object:
        """The place with this id.

        >>> from mali_aid import Dataset, Place
        >>> data = Dataset(places=[Place(id="ML", name="Mali", level="country")])
        >>> data.place("ML").level
        <PlaceLevel.COUNTRY: 'country'>
        """
        return self._find("place", self._index.places, id, default)

    @overload
    def sector(self, id: str, /) -> Sector: ...
    @overload
    def sector(self, id: str, /, *, default: _T) -> Sector | _T: ...
    def sector(self, id: str, /, *, default: object = _MISSING) -> object:
        """The sector with this id.

        >>> from mali_aid import Dataset, Sector
        >>> data = Dataset(sectors=[Sector(id="health", name="Health", dac_code="121")])
        >>> data.sector("health").dac_code
        '121'
        """
        return self._find("sector", self._index.sectors, id, default)

    @overload
    def theme(self, id: str, /) -> Theme: ...
    @overload
    def theme(self, id: str, /, *, default: _T) -> Theme | _T: ...
    def theme(self, id: str, /, *, default: object = _MISSING) -> object:
        """The cross-cutting theme with this id.

        >>> from mali_aid import Dataset, Theme
        >>> Dataset(themes=[Theme(id="gender", name="Gender")]).theme("gender").name
        'Gender'
        """
        return self._find("theme", self._index.themes, id, default)

    @overload
    def engagement(self, id: str, /) -> Engagement: ...
    @overload
    def engagement(self, id: str, /, *, default: _T) -> Engagement | _T: ...
    def engagement(self, id: str, /, *, default: object = _MISSING) -> object:
        """The engagement with this id.

        >>> from mali_aid import Dataset, Engagement
        >>> data = Dataset(engagements=[
        ...     Engagement(id="eutm", title="EUTM Mali", kind="mission")])
        >>> data.engagement("eutm").title
        'EUTM Mali'
        """
        return self._find("engagement", self._index.engagements, id, default)

    @overload
    def event(self, id: str, /) -> Event: ...
    @overload
    def event(self, id: str, /, *, default: _T) -> Event | _T: ...
    def event(self, id: str, /, *, default: object = _MISSING) -> object:
        """The event with this id.

        >>> from mali_aid import Dataset, Event, Period
        >>> data = Dataset(events=[Event(id="coup-2012", title="Coup",
        ...                              kind="coup", date=Period.parse("2012-03-22"))])
        >>> str(data.event("coup-2012").date)
        '2012-03-22'
        """
        return self._find("event", self._index.events, id, default)

    @overload
    def indicator(self, id: str, /) -> Indicator: ...
    @overload
    def indicator(self, id: str, /, *, default: _T) -> Indicator | _T: ...
    def indicator(self, id: str, /, *, default: object = _MISSING) -> object:
        """The indicator with this id.

        >>> from mali_aid import Dataset
        >>> Dataset().indicator("hdi-rank", default="none")
        'none'
        """
        return self._find("indicator", self._index.indicators, id, default)

    @overload
    def statement(self, id: str, /) -> Statement: ...
    @overload
    def statement(self, id: str, /, *, default: _T) -> Statement | _T: ...
    def statement(self, id: str, /, *, default: object = _MISSING) -> object:
        """The statement with this id.

        >>> from mali_aid import Dataset
        >>> Dataset().statement("lu-ml-ties", default=None) is None
        True
        """
        return self._find("statement", self._index.statements, id, default)

    def statements_about(self, id: str) -> tuple[Statement, ...]:
        """The statements about an organisation, place or engagement, in file order.

        A statement is about ``id`` when it names it among its
        organisations, places or engagements.

        >>> from mali_aid import Dataset, Organisation, Statement
        >>> data = Dataset(
        ...     organisations=[Organisation(id="LU", name="Luxembourg", kind="state")],
        ...     statements=[Statement(id="ties", kind="relationship",
        ...                           summary="Long-standing ties",
        ...                           organisations=["LU"])])
        >>> [statement.id for statement in data.statements_about("LU")]
        ['ties']
        """
        return tuple(
            statement
            for statement in self.statements
            if id in statement.organisations
            or id in statement.places
            or id in statement.engagements
        )

    # -- lookups by name ----------------------------------------------------------

    def find_organisation(self, name: str, /, *, widest: bool = False) -> Organisation:
        """The organisation that ``name`` (an id, name or alias) means.

        Case, accents and spacing do not matter. A name that several
        organisations bear raises :class:`~mali_aid.errors.AmbiguousNameError`
        listing them, unless they are nested and ``widest`` asks for the one
        the others belong to; no match raises
        :class:`~mali_aid.errors.UnknownNameError` suggesting close names.

        >>> from mali_aid import load
        >>> load().find_organisation("pnud").id
        'undp'
        """
        from ._lookup import find_organisation

        return find_organisation(self, name, widest=widest)

    def find_place(self, name: str, /, *, widest: bool = False) -> Place:
        """The place that ``name`` (an id, name or alias) means.

        Case, accents and spacing do not matter, and a place is also called
        by its name without its level ("Segou" is the Ségou region). Where
        one name means nested places (the Sikasso region, cercle and city),
        :class:`~mali_aid.errors.AmbiguousNameError` lists them, widest
        first, unless ``widest`` asks for the one the others lie in; no
        match raises :class:`~mali_aid.errors.UnknownNameError`.

        >>> from mali_aid import load
        >>> load().find_place("Segou").id
        'ml-segou-region'
        >>> load().find_place("Sikasso", widest=True).id
        'ml-sikasso-region'
        """
        from ._lookup import find_place

        return find_place(self, name, widest=widest)

    def find_sector(self, name: str, /) -> Sector:
        """The sector that ``name`` (an id, a name or an OECD DAC code) means.

        >>> from mali_aid import load
        >>> load().find_sector("12220").name
        'Basic health care'
        """
        from ._lookup import find_sector

        return find_sector(self, name)

    def describe(
        self,
        id: str,
        /,
        *,
        kind: str | None = None,
        sources: str | os.PathLike[str] | None = None,
    ) -> str:
        """A record in full, in words: its fields, note, inferences, citations.

        ``id`` is looked up in every kind of record, or in ``kind`` only
        (``"place"``, ``"organisation"``...); an id that several kinds hold
        (``ML`` is a place and an organisation) gives each record in turn. A
        field that rests on an inference is marked ``[inferred]`` and its
        reason listed. ``sources`` is a directory holding the source texts
        (the files the sources name): each citation is then followed by the
        paragraph it cites, so that the reading can be judged against the
        text. Raises :class:`~mali_aid.errors.UnknownIdError` when no record
        has the id.

        >>> from mali_aid import Dataset, Organisation
        >>> data = Dataset(organisations=[
        ...     Organisation(id="LU", name="Luxembourg", kind="state")])
        >>> print(data.describe("LU"), end="")
        organisation LU
          name: Luxembourg
          kind: state
        """
        from ._describe import describe_record

        kinds = [
            (plural, singular)
            for plural, singular, _ in KINDS
            if kind is None or singular == kind or plural == kind
        ]
        if not kinds:
            allowed = ", ".join(singular for _, singular, _ in KINDS)
            raise ValueError(f"{kind!r} is not a kind of record; use one of {allowed}")
        found = [
            describe_record(self, singular, record, sources)
            for plural, singular in kinds
            if (record := getattr(self._index, plural).get(id)) is not None
        ]
        if not found:
            known = {key for plural, _ in kinds for key in getattr(self._index, plural)}
            raise UnknownIdError(
                f"no record has the id {id!r}" + suggestions(id, known)
            )
        return "\n".join(found)

    # -- the organisation tree and the gazetteer --------------------------------

    def _organisation_chain(self, id: str) -> tuple[str, ...]:
        chain = self._index.organisation_chains.get(id) if isinstance(id, str) else None
        if chain is None:
            self.organisation(id)  # raises UnknownIdError with suggestions
            raise AssertionError  # pragma: no cover
        return chain

    def _place_chain(self, id: str) -> tuple[str, ...]:
        """The place, every place it lies in, and the areas it is grouped into."""
        chain = self._index.place_groupings.get(id) if isinstance(id, str) else None
        if chain is None:
            self.place(id)
            raise AssertionError  # pragma: no cover
        return chain

    def _administrative_chain(self, id: str) -> tuple[str, ...]:
        chain = self._index.place_chains.get(id) if isinstance(id, str) else None
        if chain is None:
            self.place(id)
            raise AssertionError  # pragma: no cover
        return chain

    def root_organisation(self, id: str) -> Organisation:
        """The organisation at the top of ``id``'s parents (itself if it has none).

        The root of a funding organisation is the donor: a state such as
        ``BE`` for Belgian Defence, or a multilateral body.

        >>> from mali_aid import Dataset, Organisation
        >>> data = Dataset(organisations=[
        ...     Organisation(id="LU", name="Luxembourg", kind="state"),
        ...     Organisation(id="luxdev", name="LuxDev", kind="agency", parent="LU"),
        ... ])
        >>> data.root_organisation("luxdev").name
        'Luxembourg'
        """
        return self._index.organisations[self._organisation_chain(id)[-1]]

    def ancestors(self, place_id: str) -> tuple[Place, ...]:
        """The places ``place_id`` lies in, nearest first, up to the root.

        Only the administrative parents: the areas a source groups a place
        into are in :meth:`enclosing`.

        >>> from mali_aid import Dataset, Place
        >>> data = Dataset(places=[
        ...     Place(id="ML", name="Mali", level="country"),
        ...     Place(id="ML-3", name="Sikasso", level="region", parent="ML"),
        ...     Place(id="yorosso", name="Yorosso", level="cercle", parent="ML-3"),
        ... ])
        >>> [place.id for place in data.ancestors("yorosso")]
        ['ML-3', 'ML']
        """
        return tuple(
            self._index.places[id] for id in self._administrative_chain(place_id)[1:]
        )

    def enclosing(self, place_id: str) -> tuple[Place, ...]:
        """Every place ``place_id`` lies in: its ancestors, then its areas.

        The administrative parents come first, nearest first (as
        :meth:`ancestors` gives them), then the areas a source groups the
        place or one of its parents into ("the North": the Kidal and Gao
        regions), each once. :meth:`lies_in` and ``select(place=...)``
        follow the same places.

        >>> from mali_aid import Dataset, Place
        >>> data = Dataset(places=[
        ...     Place(id="ML", name="Mali", level="country"),
        ...     Place(id="north", name="North", level="area", parent="ML"),
        ...     Place(id="ML-7", name="Gao", level="region", parent="ML",
        ...           areas=["north"]),
        ...     Place(id="gao", name="Gao", level="city", parent="ML-7"),
        ... ])
        >>> [place.id for place in data.enclosing("gao")]
        ['ML-7', 'ML', 'north']
        >>> data.lies_in("gao", "north"), data.roll_up("gao", "area")
        (True, 'gao')
        """
        return tuple(self._index.places[id] for id in self._place_chain(place_id)[1:])

    def lies_in(self, place_id: str, area_id: str) -> bool:
        """Whether ``place_id`` is ``area_id`` or lies somewhere inside it.

        Inside means through its administrative parents or through an area
        a source groups it (or a parent) into (see :meth:`enclosing`).

        >>> from mali_aid import Dataset, Place
        >>> data = Dataset(places=[
        ...     Place(id="ML", name="Mali", level="country"),
        ...     Place(id="ML-3", name="Sikasso", level="region", parent="ML"),
        ... ])
        >>> data.lies_in("ML-3", "ML"), data.lies_in("ML", "ML-3")
        (True, False)
        """
        self._place_chain(area_id)
        return area_id in self._place_chain(place_id)

    def roll_up(self, place_id: str, level: PlaceLevel | str) -> str:
        """The id of the place at ``level`` that ``place_id`` lies in.

        A place at that level is itself; a place above it, or in no place of
        that level, stays itself too (Mali rolled up to regions is Mali), so
        nothing is dropped or guessed.

        >>> from mali_aid import Dataset, Place
        >>> data = Dataset(places=[
        ...     Place(id="ML", name="Mali", level="country"),
        ...     Place(id="ML-3", name="Sikasso", level="region", parent="ML"),
        ...     Place(id="yorosso", name="Yorosso", level="cercle", parent="ML-3"),
        ... ])
        >>> data.roll_up("yorosso", "region"), data.roll_up("ML", "region")
        ('ML-3', 'ML')
        """
        wanted = PlaceLevel(level)
        place = self.place(place_id)
        if place.level is wanted:
            return place.id
        for ancestor in self.ancestors(place_id):
            if ancestor.level is wanted:
                return ancestor.id
        return place.id

    # -- engagements ------------------------------------------------------------

    def _engagement_of(self, engagement: Engagement | str) -> Engagement:
        if isinstance(engagement, Engagement):
            return engagement
        return self.engagement(engagement)

    def donors(self, engagement: Engagement | str | None = None) -> tuple[str, ...]:
        """The donors of an engagement: the root organisations of its funders.

        Given as ids, in the order of the funding participants, each once;
        empty when no source names the funder. ``engagement`` is a record or
        an id. Without it, the donors of every engagement of the dataset,
        each once, in the order of the organisations.

        >>> from mali_aid import Dataset, Engagement, Organisation, Participant
        >>> data = Dataset(organisations=[
        ...     Organisation(id="BE", name="Belgium", kind="state"),
        ...     Organisation(id="be-defence", name="Belgian Defence",
        ...                  kind="armed-forces", parent="BE"),
        ... ], engagements=[
        ...     Engagement(id="eutm-be", title="Belgium in EUTM", kind="deployment",
        ...                participants=[Participant(organisation="be-defence",
        ...                                          role="funding")]),
        ... ])
        >>> data.donors("eutm-be"), data.donors()
        (('BE',), ('BE',))
        """
        if engagement is None:
            every = {
                donor for record in self.engagements for donor in self.donors(record)
            }
            return tuple(org.id for org in self.organisations if org.id in every)
        record = self._engagement_of(engagement)
        donors: list[str] = []
        for participant in record.funders:
            root = self._organisation_chain(participant.organisation)[-1]
            if root not in donors:
                donors.append(root)
        return tuple(donors)

    def funding_shares(
        self, engagement: Engagement | str
    ) -> tuple[tuple[str | None, Fraction], ...]:
        """Each donor of an engagement with its exact share of the funding.

        Where the funders carry shares, a donor's share is the sum of its
        funders' shares. Where they carry none, a single donor gets 1 and
        several donors split it equally (two funders under one donor count
        as that one donor). With no known funder the result is
        ``((None, Fraction(1)),)``: the whole engagement belongs to an
        unknown donor. Shares always sum to exactly 1.

        >>> from mali_aid import Dataset, Engagement, Organisation, Participant
        >>> data = Dataset(organisations=[
        ...     Organisation(id="LU", name="Luxembourg", kind="state"),
        ...     Organisation(id="CH", name="Switzerland", kind="state"),
        ... ])
        >>> data.funding_shares(Engagement(
        ...     id="agro-ii", title="Agropastoral II", kind="programme",
        ...     participants=[Participant(organisation="LU", role="funding"),
        ...                   Participant(organisation="CH", role="funding")]))
        (('LU', Fraction(1, 2)), ('CH', Fraction(1, 2)))
        """
        record = self._engagement_of(engagement)
        funders = record.funders
        if not funders:
            return ((None, Fraction(1)),)
        shares: dict[str | None, Fraction] = {}
        if funders[0].share is not None:
            # The record guarantees that every funder has a share and that
            # they sum to 1.
            for participant in funders:
                assert participant.share is not None
                root = self._organisation_chain(participant.organisation)[-1]
                shares[root] = shares.get(root, Fraction(0)) + participant.share
            return tuple(shares.items())
        donors = self.donors(record)
        return tuple((donor, Fraction(1, len(donors))) for donor in donors)

    def parts(self, engagement: Engagement | str) -> tuple[Engagement, ...]:
        """The engagements whose ``part_of`` is this one, in file order.

        Only direct parts: a part of a part is found by asking again.

        >>> from mali_aid import Dataset, Engagement
        >>> data = Dataset(engagements=[
        ...     Engagement(id="lu-2023", title="Envelope", kind="envelope"),
        ...     Engagement(id="lu-2024-hum", title="Humanitarian aid",
        ...                kind="contribution", part_of="lu-2023"),
        ... ])
        >>> [part.id for part in data.parts("lu-2023")]
        ['lu-2024-hum']
        """
        record = self._engagement_of(engagement)
        return self._index.parts.get(record.id, ())

    def select(
        self,
        *,
        donor: str | Iterable[str] | None = None,
        implementer: str | Iterable[str] | None = None,
        place: str | Iterable[str] | None = None,
        sector: str | Iterable[str] | None = None,
        year: int | str | Iterable[int | str] | None = None,
        channel: Channel | str | Iterable[Channel | str] | None = None,
        aid_type: str | Iterable[str] | None = None,
        flow_type: str | Iterable[str] | None = None,
        finance_type: str | Iterable[str] | None = None,
        tied_status: str | Iterable[str] | None = None,
        policy_marker: str | Iterable[str] | None = None,
        humanitarian: bool | Iterable[bool] | None = None,
    ) -> Selection:
        """The engagements that meet every condition given, in file order.

        Each condition takes one value or several (any of them); different
        conditions must all hold.

        - ``donor``: an organisation id; a funding participant is that
          organisation or lies under it, so ``BE`` takes in Belgian Defence
          (for a root, as every donor is, that is: the engagement's donor is it).
        - ``implementer``: an implementing participant is that organisation
          or lies under it.
        - ``place``: one of its places is that place or lies inside it, so a
          region takes in its cercles, communes and cities.
        - ``sector``: one of its sectors has that id.
        - ``year``: its period, or the period of one of its amounts, touches
          that year, counting only what the period certainly covers (see
          :meth:`Period.certain_span`); or ``active_in`` holds the year, or an
          amount's value date falls in it. A year is an ``int`` or its
          digits as a ``str`` (``"2016"``).
        - ``channel``: its channel is that one.
        - ``aid_type``, ``flow_type``, ``finance_type``, ``tied_status``:
          an IATI code of that codelist (``"C01"``, ``"10"``, ``"110"``,
          ``"5"``) is the engagement's; ``policy_marker``: it is marked for
          that policy (``"1"``: any significance but 0, not targeted;
          ``"1:2"``: that significance); ``humanitarian``: its humanitarian
          flag is that (records that say nothing meet neither). A code not
          in its IATI codelist raises :class:`~mali_aid.errors.DataError` (a
          ``ValueError``); see docs/iati.md.

        Ids must exist (:class:`~mali_aid.errors.UnknownIdError` otherwise),
        so a misspelt id never passes for an empty answer. Names are not
        resolved here: pass ids.

        The result is a :class:`~mali_aid.Selection`: a tuple that also
        keeps the conditions, so that :func:`~mali_aid.totals` of it counts
        the share of each engagement that meets them (a region's share of a
        programme in four regions), the same figure as grouping by that
        dimension and reading the key.

        >>> from mali_aid import Dataset, Engagement, Period
        >>> data = Dataset(engagements=[
        ...     Engagement(id="icp-ii", title="ICP II", kind="programme",
        ...                period=Period.parse("2007/2011")),
        ...     Engagement(id="icp-iii", title="ICP III", kind="programme",
        ...                period=Period.parse("2015/2019"), follows="icp-ii"),
        ... ])
        >>> [engagement.id for engagement in data.select(year=2016)]
        ['icp-iii']
        """
        _arguments.check(
            "select",
            donor=donor,
            implementer=implementer,
            place=place,
            sector=sector,
            year=year,
            channel=channel,
        )
        filters = Filters(
            donor=_values(donor, self.organisation),
            implementer=_values(implementer, self.organisation),
            place=_values(place, self.place),
            sector=_values(sector, self.sector),
            year=_years(year),
            channel=tuple(_channel(value) for value in _as_values(channel)),
            **code_conditions(
                aid_type=aid_type,
                flow_type=flow_type,
                finance_type=finance_type,
                tied_status=tied_status,
                policy_marker=policy_marker,
                humanitarian=humanitarian,
            ),
        )
        return Selection(
            (
                engagement
                for engagement in self.engagements
                if self._meets(engagement, filters)
            ),
            filters=filters,
            base=self.engagements,
        )

    def _meets(self, engagement: Engagement, filters: Filters) -> bool:
        """Whether an engagement meets every condition of ``filters``."""
        checks: tuple[tuple[tuple[Any, ...], Callable[[], bool]], ...] = (
            (filters.donor, lambda: self._under(engagement.funders, filters.donor)),
            (
                filters.implementer,
                lambda: self._under(engagement.implementers, filters.implementer),
            ),
            (
                filters.place,
                lambda: any(
                    wanted in self._place_chain(share.place)
                    for share in engagement.places
                    for wanted in filters.place
                ),
            ),
            (
                filters.sector,
                lambda: any(
                    share.sector in filters.sector for share in engagement.sectors
                ),
            ),
            (filters.year, lambda: any(_touches(engagement, y) for y in filters.year)),
            (filters.channel, lambda: engagement.channel in filters.channel),
            ((True,), lambda: filters._meets_codes(engagement)),
        )
        return all(check() for wanted, check in checks if wanted)

    def _under(self, participants: Iterable[Any], wanted: tuple[str, ...]) -> bool:
        return any(
            organisation in self._organisation_chain(participant.organisation)
            for participant in participants
            for organisation in wanted
        )


def _as_values(value: Any) -> tuple[Any, ...]:
    if value is None:
        return ()
    if isinstance(value, str | int | Channel):
        return (value,)
    return tuple(value)


def _values(value: str | Iterable[str] | None, check: Any) -> tuple[str, ...]:
    values = _as_values(value)
    for one in values:
        check(one)  # raises UnknownIdError for an id that does not exist
    return values


def _years(value: int | str | Iterable[int | str] | None) -> tuple[int, ...]:
    years = []
    for year in _as_values(value):
        if isinstance(year, str) and year.isascii() and year.strip().isdigit():
            year = int(year)
        if isinstance(year, bool) or not isinstance(year, int):
            raise TypeError(f"year must be an int or its digits, not {year!r}")
        years.append(year)
    return tuple(years)


def _channel(value: Channel | str) -> Channel:
    try:
        return Channel(value)
    except ValueError:
        allowed = ", ".join(repr(member.value) for member in Channel)
        raise DataError(f"{value!r} is not a channel; use one of {allowed}") from None


def _touches(engagement: Engagement, year: int) -> bool:
    """Whether an engagement's period, years of activity or amounts (their
    periods and value dates) fall in ``year``: the years a total can give
    its money to."""
    if year in engagement.active_in:
        return True
    periods = [engagement.period, *(amount.period for amount in engagement.amounts)]
    for period in periods:
        span = None if period is None else period.certain_span()
        if span is not None and span[0].year <= year <= span[1].year:
            return True
    return any(
        amount.value_date is not None and amount.value_date.year == year
        for amount in engagement.amounts
    )
