"""Hypothesis strategies for every record of :mod:`mali_aid`.

Use them to test your own code on data shaped like ours: totals you compute
from engagements, exports you write, checks you run. They need Hypothesis,
which comes with the ``strategies`` extra::

    pip install "mali-aid[strategies]"

Every strategy shrinks towards the simplest value: small amounts in EUR, a
single year, one participant, no optional field set.

>>> from hypothesis import given
>>> from mali_aid import strategies as mas
>>> @given(mas.money(currencies=["EUR"]))
... def test_money_is_its_own_sum(money):
...     assert sum([money]) == money
>>> test_money_is_its_own_sum()
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any

try:
    from hypothesis import strategies as st
except ImportError as error:  # pragma: no cover - exercised in a subprocess test
    raise ImportError(
        "mali_aid.strategies needs Hypothesis: pip install 'mali-aid[strategies]'"
    ) from error

import attrs

from ._currencies import MINOR_UNITS
from ._model import (
    Amount,
    AmountKind,
    Channel,
    Citation,
    Count,
    Engagement,
    EngagementKind,
    Organisation,
    OrganisationKind,
    Participant,
    Place,
    PlaceLevel,
    PlaceShare,
    Qualifier,
    Role,
    Sector,
    SectorShare,
    Source,
    Status,
    Theme,
)
from ._money import Money
from ._period import Period, Precision, first_day, last_day

if TYPE_CHECKING:
    from ._dataset import Dataset

__all__ = [
    "Collection",
    "amounts",
    "citations",
    "collections",
    "counts",
    "dates",
    "engagements",
    "ids",
    "money",
    "organisations",
    "periods",
    "places",
    "sectors",
    "sources",
]

#: Currencies the strategies draw from unless told otherwise: the euro
#: first (so examples shrink to it), then those the data and rates use.
DEFAULT_CURRENCIES = ("EUR", "XOF", "USD", "CHF", "CAD", "GBP")

_ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789"


def ids(prefix: str = "") -> st.SearchStrategy[str]:
    """Valid record ids: lower-case slugs, optionally with a prefix."""
    return st.text(_ID_ALPHABET, min_size=1, max_size=8).map(lambda s: prefix + s)


def money(
    *,
    currencies: Sequence[str] = DEFAULT_CURRENCIES,
    min_value: Decimal | int | None = 0,
    max_value: Decimal | int = 10**12,
    places: int | None = None,
) -> st.SearchStrategy[Money]:
    """Amounts of :class:`~mali_aid.Money` in the given currencies.

    Amounts have at most the currency's minor unit of decimals (``places``
    overrides it) and lie between ``min_value`` and ``max_value`` (no lower
    bound when ``min_value`` is ``None``).
    """
    for code in currencies:
        if code not in MINOR_UNITS:
            raise ValueError(f"unknown currency {code!r}")

    def for_currency(code: str) -> st.SearchStrategy[Money]:
        digits = MINOR_UNITS[code] if places is None else places
        scale = 10**digits
        low = None if min_value is None else int(Decimal(min_value) * scale)
        high = int(Decimal(max_value) * scale)
        return st.integers(min_value=low, max_value=high).map(
            lambda units: Money(Decimal(units).scaleb(-digits), code)
        )

    return st.sampled_from(list(currencies)).flatmap(for_currency)


def dates(
    min_value: date = date(1990, 1, 1), max_value: date = date(2035, 12, 31)
) -> st.SearchStrategy[date]:
    """Calendar dates in a range that fits aid data."""
    return st.dates(min_value=min_value, max_value=max_value)


def _bound(
    draw: st.DrawFn, precision: Precision, low: date, high: date, end: bool
) -> date:
    day = draw(dates(low, high))
    if precision is Precision.YEAR:
        value = last_day(day.year) if end else first_day(day.year)
    elif precision is Precision.MONTH:
        value = last_day(day.year, day.month) if end else first_day(day.year, day.month)
    else:
        value = day
    return value


@st.composite
def periods(
    draw: st.DrawFn,
    *,
    bounded: bool = False,
    min_value: date = date(1990, 1, 1),
    max_value: date = date(2035, 12, 31),
    precisions: Sequence[Precision] = (Precision.YEAR, Precision.MONTH, Precision.DAY),
) -> Period:
    """:class:`~mali_aid.Period` values with any precision on either end.

    With ``bounded=True`` both ends are known (what
    :meth:`~mali_aid.Period.split_by_year` needs); otherwise an end may be
    unknown, but never both.
    """
    start_precision = draw(st.sampled_from(list(precisions)))
    end_precision = draw(st.sampled_from(list(precisions)))
    start = _bound(draw, start_precision, min_value, max_value, end=False)
    end_low = max(start, min_value)
    # Rounding a day up to the end of its unit never moves it before start.
    end = _bound(draw, end_precision, end_low, max_value, end=True)
    missing = "none" if bounded else draw(st.sampled_from(["none", "start", "end"]))
    approximate = draw(st.booleans())
    return Period(
        start=None if missing == "start" else start,
        start_precision=None if missing == "start" else start_precision,
        end=None if missing == "end" else end,
        end_precision=None if missing == "end" else end_precision,
        approximate=approximate,
    )


def citations(source_ids: Sequence[str] = ("source",)) -> st.SearchStrategy[Citation]:
    """Citations of a paragraph (1 to 30) of one of ``source_ids``."""
    return st.builds(
        Citation,
        source=st.sampled_from(list(source_ids)),
        paragraph=st.integers(min_value=1, max_value=30),
    )


def sources(
    source_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Source]:
    """:class:`~mali_aid.Source` records with 30 paragraphs."""
    return st.builds(
        Source,
        id=source_id if source_id is not None else ids("src-"),
        title=st.just("A source"),
        publisher=st.just("A publisher"),
        language=st.sampled_from(["en", "fr"]),
        paragraphs=st.just(30),
    )


def counts() -> st.SearchStrategy[Count]:
    """Non-money :class:`~mali_aid.Count` figures (persons, helicopters)."""
    return st.builds(
        Count,
        value=st.integers(min_value=0, max_value=10_000).map(Decimal),
        unit=st.sampled_from(["person", "helicopter", "organisation"]),
        qualifier=st.sampled_from(list(Qualifier)),
        date=st.none() | periods(bounded=True),
    )


def amounts(
    *,
    currencies: Sequence[str] = DEFAULT_CURRENCIES,
    kinds: Sequence[AmountKind] = tuple(AmountKind),
    qualifiers: Sequence[Qualifier] = tuple(Qualifier),
    min_date: date = date(1990, 1, 1),
    max_date: date = date(2035, 12, 31),
    value_dates: bool = True,
) -> st.SearchStrategy[Amount]:
    """:class:`~mali_aid.Amount` values, each perhaps with the period it covers.

    Periods and value dates fall between ``min_date`` and ``max_date``;
    ``value_dates=False`` draws none.
    """
    return st.builds(
        Amount,
        money=money(currencies=currencies),
        kind=st.sampled_from(list(kinds)),
        qualifier=st.sampled_from(list(qualifiers)),
        period=st.none()
        | periods(bounded=True, min_value=min_date, max_value=max_date),
        value_date=st.none() | dates(min_date, max_date) if value_dates else st.none(),
    )


def organisations(
    *,
    organisation_id: st.SearchStrategy[str] | None = None,
    parents: Sequence[str] = (),
) -> st.SearchStrategy[Organisation]:
    """:class:`~mali_aid.Organisation` records, with a parent drawn from ``parents``."""
    parent = st.none() if not parents else st.none() | st.sampled_from(list(parents))
    return st.builds(
        Organisation,
        id=organisation_id if organisation_id is not None else ids("org-"),
        name=st.text("abcdefgh ", min_size=1, max_size=12).filter(str.strip),
        kind=st.sampled_from(list(OrganisationKind)),
        aliases=st.lists(st.sampled_from(["A", "B", "C"]), unique=True, max_size=2).map(
            tuple
        ),
        parent=parent,
    ).filter(lambda organisation: organisation.parent != organisation.id)


def places(
    *, place_id: st.SearchStrategy[str] | None = None, parents: Sequence[str] = ()
) -> st.SearchStrategy[Place]:
    """:class:`~mali_aid.Place` records, with a parent drawn from ``parents``."""
    parent = st.none() if not parents else st.none() | st.sampled_from(list(parents))
    return st.builds(
        Place,
        id=place_id if place_id is not None else ids("place-"),
        name=st.text("abcdefgh ", min_size=1, max_size=12).filter(str.strip),
        level=st.sampled_from(list(PlaceLevel)),
        parent=parent,
    ).filter(lambda place: place.parent != place.id)


def sectors(
    sector_id: st.SearchStrategy[str] | None = None,
) -> st.SearchStrategy[Sector]:
    """:class:`~mali_aid.Sector` records."""
    return st.builds(
        Sector,
        id=sector_id if sector_id is not None else ids("sector-"),
        name=st.text("abcdefgh ", min_size=1, max_size=12).filter(str.strip),
        dac_code=st.none() | st.from_regex(r"\A[0-9]{5}\Z"),
    )


@st.composite
def _shares(draw: st.DrawFn, size: int) -> tuple[Fraction, ...]:
    weights = draw(st.lists(st.integers(1, 9), min_size=size, max_size=size))
    total = sum(weights)
    return tuple(Fraction(weight, total) for weight in weights)


@st.composite
def _percentages(draw: st.DrawFn, size: int) -> tuple[Decimal | None, ...]:
    if size == 0 or not draw(st.booleans()):
        return (None,) * size
    shares = draw(_shares(size))
    values = [Decimal(round(share * 100)) for share in shares]
    values = [max(value, Decimal(1)) for value in values]
    if sum(values) > 100:
        values = [Decimal(1)] * size
    return tuple(values)


@st.composite
def engagements(
    draw: st.DrawFn,
    *,
    engagement_id: st.SearchStrategy[str] | None = None,
    organisations: Sequence[str] = ("org-a", "org-b", "org-c"),
    places: Sequence[str] = ("place-a",),
    sectors: Sequence[str] = ("sector-a",),
    themes: Sequence[str] = (),
    sources: Sequence[str] = ("source",),
    currencies: Sequence[str] = DEFAULT_CURRENCIES,
    part_of: Sequence[str] = (),
    follows: Sequence[str] = (),
    kinds: Sequence[AmountKind] = tuple(AmountKind),
    min_date: date = date(1990, 1, 1),
    max_date: date = date(2035, 12, 31),
    value_dates: bool = True,
) -> Engagement:
    """:class:`~mali_aid.Engagement` records whose references come from the lists.

    Funding may be unknown (no funder), single, or shared in exact fractions
    that sum to 1; amounts may be absent (unknown). ``part_of`` and
    ``follows`` give the ids this engagement may point to. Amounts are of
    ``kinds``; periods and dates fall between ``min_date`` and ``max_date``.
    """
    identifier = draw(engagement_id if engagement_id is not None else ids("eng-"))
    funder_count = draw(st.integers(0, min(3, len(organisations))))
    funder_ids = draw(
        st.lists(
            st.sampled_from(list(organisations)),
            min_size=funder_count,
            max_size=funder_count,
            unique=True,
        )
    )
    shared = funder_count > 1 and draw(st.booleans())
    shares = draw(_shares(funder_count)) if shared else (None,) * funder_count
    participants = [
        Participant(organisation=org, role=Role.FUNDING, share=share)
        for org, share in zip(funder_ids, shares, strict=True)
    ]
    add_implementer = draw(st.booleans())
    if organisations and add_implementer:
        participants.append(
            Participant(
                organisation=draw(st.sampled_from(list(organisations))),
                role=Role.IMPLEMENTING,
            )
        )
    chosen_sectors = draw(
        st.lists(st.sampled_from(list(sectors)), unique=True, max_size=3)
    )
    chosen_places = draw(
        st.lists(st.sampled_from(list(places)), unique=True, max_size=3)
    )
    sector_percentages = draw(_percentages(len(chosen_sectors)))
    place_percentages = draw(_percentages(len(chosen_places)))
    candidates_part = [other for other in part_of if other != identifier]
    candidates_follow = [other for other in follows if other != identifier]
    return Engagement(
        id=identifier,
        title=draw(st.text("abcdefgh ", min_size=1, max_size=16).filter(str.strip)),
        kind=draw(st.sampled_from(list(EngagementKind))),
        participants=tuple(participants),
        period=draw(st.none() | periods(min_value=min_date, max_value=max_date)),
        active_in=tuple(
            sorted(draw(st.sets(st.integers(min_date.year, max_date.year), max_size=3)))
        ),
        amounts=tuple(
            draw(
                st.lists(
                    amounts(
                        currencies=currencies,
                        kinds=kinds,
                        min_date=min_date,
                        max_date=max_date,
                        value_dates=value_dates,
                    ),
                    max_size=2,
                )
            )
        ),
        channel=draw(st.none() | st.sampled_from(list(Channel))),
        status=draw(st.none() | st.sampled_from(list(Status))),
        sectors=tuple(
            SectorShare(sector=s, percentage=p)
            for s, p in zip(chosen_sectors, sector_percentages, strict=True)
        ),
        places=tuple(
            PlaceShare(place=p, percentage=q)
            for p, q in zip(chosen_places, place_percentages, strict=True)
        ),
        themes=tuple(draw(st.lists(st.sampled_from(list(themes)), unique=True)))
        if themes
        else (),
        part_of=draw(st.none() | st.sampled_from(candidates_part))
        if candidates_part
        else None,
        follows=draw(st.none() | st.sampled_from(candidates_follow))
        if candidates_follow
        else None,
        resources=tuple(draw(st.lists(counts(), max_size=2))),
        citations=(draw(citations(sources)),),
    )


@attrs.frozen(kw_only=True)
class Collection:
    """A consistent set of records: every reference resolves, no cycles.

    ``as_files()`` gives the plain data of each kind, keyed by the data file
    name, ready to be written as TOML or passed to :func:`mali_aid.from_dict`.
    """

    sources: tuple[Source, ...]
    organisations: tuple[Organisation, ...]
    places: tuple[Place, ...]
    sectors: tuple[Sector, ...]
    themes: tuple[Theme, ...]
    engagements: tuple[Engagement, ...]

    def dataset(self) -> Dataset:
        """The records as a validated :class:`~mali_aid.Dataset`."""
        from ._dataset import Dataset

        return Dataset(
            sources=self.sources,
            organisations=self.organisations,
            places=self.places,
            sectors=self.sectors,
            themes=self.themes,
            engagements=self.engagements,
        )

    def as_files(self) -> dict[str, dict[str, list[dict[str, Any]]]]:
        """The records as plain data, one entry per data file."""
        from ._convert import to_dict

        kinds = (
            "sources",
            "organisations",
            "places",
            "sectors",
            "themes",
            "engagements",
        )
        return {
            f"{kind}.toml": {kind: [to_dict(record) for record in getattr(self, kind)]}
            for kind in kinds
        }


@st.composite
def collections(
    draw: st.DrawFn,
    *,
    max_engagements: int = 12,
    currencies: Sequence[str] = DEFAULT_CURRENCIES,
    kinds: Sequence[AmountKind] = tuple(AmountKind),
    min_date: date = date(1990, 1, 1),
    max_date: date = date(2035, 12, 31),
    value_dates: bool = True,
) -> Collection:
    """Whole consistent collections of records.

    Organisations and places form trees (each parent drawn among the earlier
    records), engagements refer only to records of the collection, and
    ``part_of`` and ``follows`` point only to earlier engagements, so no
    chain loops.
    """
    source_count = draw(st.integers(1, 2))
    source_ids = [f"source-{i}" for i in range(source_count)]
    source_records = tuple(
        Source(
            id=sid,
            title="A source",
            publisher="A publisher",
            language="en",
            paragraphs=30,
        )
        for sid in source_ids
    )
    organisation_records: list[Organisation] = []
    for index in range(draw(st.integers(1, 5))):
        earlier = [org.id for org in organisation_records]
        organisation_records.append(
            draw(
                organisations(organisation_id=st.just(f"org-{index}"), parents=earlier)
            )
        )
    place_records: list[Place] = []
    for index in range(draw(st.integers(1, 6))):
        earlier = [place.id for place in place_records]
        place_records.append(
            draw(places(place_id=st.just(f"place-{index}"), parents=earlier))
        )
    sector_records = tuple(
        draw(sectors(st.just(f"sector-{i}"))) for i in range(draw(st.integers(1, 4)))
    )
    theme_records = tuple(
        Theme(id=f"theme-{i}", name=f"Theme {i}")
        for i in range(draw(st.integers(0, 2)))
    )
    engagement_records: list[Engagement] = []
    for index in range(draw(st.integers(0, max_engagements))):
        earlier = [engagement.id for engagement in engagement_records]
        engagement_records.append(
            draw(
                engagements(
                    engagement_id=st.just(f"eng-{index}"),
                    organisations=[org.id for org in organisation_records],
                    places=[place.id for place in place_records],
                    sectors=[sector.id for sector in sector_records],
                    themes=[theme.id for theme in theme_records],
                    sources=source_ids,
                    currencies=currencies,
                    part_of=earlier,
                    follows=earlier,
                    kinds=kinds,
                    min_date=min_date,
                    max_date=max_date,
                    value_dates=value_dates,
                )
            )
        )
    return Collection(
        sources=source_records,
        organisations=tuple(organisation_records),
        places=tuple(place_records),
        sectors=sector_records,
        themes=theme_records,
        engagements=tuple(engagement_records),
    )
