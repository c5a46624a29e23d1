"""The rules of :func:`mali_aid.find_overlaps`, stated pair by pair.

This module is the specification of the overlap search. It looks at every
pair of engagements, the earlier of the input first, and keeps those that
meet on each dimension asked for:

1. **Never within one family.** A part and an engagement it lies in (at any
   depth), and an engagement and the one it follows, are never a pair.
2. **Between donors.** With ``between="donors"`` two engagements with the
   same known donors (the roots of their funders) are not a pair. Where no
   source names an engagement's funder, the programme it is part of (the
   outermost engagement it lies in) stands for its donor, so two such
   parts of one programme are not a pair either. An unknown donor
   otherwise differs from every donor.
3. **Time.** An engagement's days are its period's certain span with the
   years a source saw it active; one with neither is *undated* and meets
   nothing in time. Two engagements meet on the days they both hold.
4. **Place.** Two places meet when one is or lies in the other (through
   parents and the areas a source groups places into); the shared place is
   the inner one, unless the outer one is a whole country, which is then
   the shared place. A place that holds for part of an engagement's life
   only (``PlaceShare.period``) meets only within that part, and with time
   asked about the days counted are those shared at a shared place. Of the
   places shared, the most specific are reported.
5. **Sector.** Two engagements meet when they share a sector.
6. **At least ``min_days``** shared days, where time is asked about.

It is written to be read: every pair is tested, with no buckets, sweeps or
caches. :mod:`mali_aid._overlap` finds the same pairs fast, and the property
tests check that the two agree.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from datetime import date
from typing import TYPE_CHECKING, Literal

import attrs

from ._lineage import ancestors
from ._model import Engagement, PlaceLevel
from ._period import Period

if TYPE_CHECKING:
    from ._dataset import Dataset
    from ._overlap import Overlap

Days = frozenset[int]


@attrs.frozen
class Search:
    """What a search asks: the gazetteer and organisations of ``data``, the
    engagements by id (the input's, else the dataset's) and the options."""

    data: Dataset
    records: Mapping[str, Engagement]
    on: Sequence[str]
    min_days: int
    between: Literal["donors", "all"]

    def engagement(self, id: str) -> Engagement | None:
        found = self.records.get(id)
        return found if found is not None else self.data.engagement(id, default=None)


def days_of(engagement: Engagement) -> Days:
    """The days an engagement certainly runs, as day ordinals (rule 3)."""
    days: set[int] = set()
    if engagement.period is not None:
        span = engagement.period.certain_span()
        if span is not None:
            days.update(range(span[0].toordinal(), span[1].toordinal() + 1))
    for year in engagement.active_in:
        first, last = date(year, 1, 1), date(year, 12, 31)
        days.update(range(first.toordinal(), last.toordinal() + 1))
    return frozenset(days)


def time_basis(engagement: Engagement) -> str | None:
    """Where an engagement's days come from."""
    sources = []
    if engagement.period is not None and engagement.period.certain_span():
        sources.append("period")
    if engagement.active_in:
        sources.append("active_in")
    return " and ".join(sources) or None


def lineage(engagement: Engagement, search: Search) -> tuple[str, ...]:
    """The engagements an engagement lies in, nearest first."""
    return tuple(ancestors(engagement, search.engagement))


def one_family(a: Engagement, b: Engagement, search: Search) -> bool:
    """Rule 1: a part and what it lies in, or an engagement and the one it
    follows."""
    if a.id in lineage(b, search) or b.id in lineage(a, search):
        return True
    return a.follows == b.id or b.follows == a.id


def donor_of(engagement: Engagement, search: Search) -> frozenset[object]:
    """Rule 2: an engagement's donors, the roots of its funders; where no
    source names them, the programme it lies in (the outermost engagement)
    stands for them; else nothing is known."""
    donors = frozenset(search.data.donors(engagement))
    if donors:
        return donors
    chain = lineage(engagement, search)
    return frozenset({("programme", chain[-1])}) if chain else frozenset()


def one_donor(a: Engagement, b: Engagement, search: Search) -> bool:
    """Rule 2: the same known donors (or parts of one programme, funder
    unknown)."""
    donors = donor_of(a, search)
    return bool(donors) and donors == donor_of(b, search)


def enclosing(place: str, data: Dataset) -> tuple[str, ...]:
    """A place and every place it lies in."""
    return (place, *(around.id for around in data.enclosing(place)))


def shared_place(first: str, second: str, data: Dataset) -> str | None:
    """Rule 4: where two places meet, or ``None``."""
    if first in enclosing(second, data):
        outer, inner = first, second
    elif second in enclosing(first, data):
        outer, inner = second, first
    else:
        return None
    return outer if data.place(outer).level is PlaceLevel.COUNTRY else inner


def held(days: Days, period: Period | None) -> Days:
    """The days of ``days`` within a place's own period, if it has one."""
    if period is None:
        return days
    span = period.certain_span()
    if span is None:
        return frozenset()
    return frozenset(d for d in days if span[0].toordinal() <= d <= span[1].toordinal())


def most_specific(places: set[str], data: Dataset) -> tuple[str, ...]:
    """The shared places no other shared place lies in."""
    return tuple(
        sorted(
            place
            for place in places
            if not any(
                other != place and place in enclosing(other, data)[1:]
                for other in places
            )
        )
    )


def meeting_places(
    a: Engagement, b: Engagement, days: Days | None, data: Dataset
) -> tuple[tuple[str, ...], Days | None]:
    """The places two engagements share and, with time (``days`` the days
    they share), the days they share at a shared place."""
    places: set[str] = set()
    at_places: set[int] = set()
    for share_a in a.places:
        for share_b in b.places:
            place = shared_place(share_a.place, share_b.place, data)
            if place is None:
                continue
            if days is not None:
                both = held(held(days, share_a.period), share_b.period)
                if not both:
                    continue
                at_places |= both
            places.add(place)
    return most_specific(places, data), None if days is None else frozenset(at_places)


def meeting(a: Engagement, b: Engagement, search: Search) -> Overlap | None:
    """The overlap of two engagements by rules 1 to 6, or ``None``."""
    from ._overlap import Overlap

    if one_family(a, b, search) or (
        search.between == "donors" and one_donor(a, b, search)
    ):
        return None
    days: Days | None = None
    if "time" in search.on:
        days = days_of(a) & days_of(b)
    places: tuple[str, ...] = ()
    if "place" in search.on:
        places, days = meeting_places(a, b, days, search.data)
        if not places:
            return None
    sectors: tuple[str, ...] = ()
    if "sector" in search.on:
        sectors = tuple(
            sorted({s.sector for s in a.sectors} & {s.sector for s in b.sectors})
        )
        if not sectors:
            return None
    if days is None:
        return Overlap(a.id, b.id, None, None, None, places, sectors)
    if len(days) < search.min_days:
        return None
    period = Period._between_days(
        date.fromordinal(min(days)), date.fromordinal(max(days))
    )
    basis = (time_basis(a), time_basis(b))
    return Overlap(a.id, b.id, period, len(days), basis, places, sectors)  # type: ignore[arg-type]


def reference_pairs(
    engagements: Sequence[Engagement], search: Search
) -> Iterator[Overlap]:
    """Every pair by the rules, the earlier of the input first, in order."""
    dated = [e for e in engagements if "time" not in search.on or days_of(e)]
    for index, a in enumerate(dated):
        for b in dated[index + 1 :]:
            found = meeting(a, b, search)
            if found is not None:
                yield found
