"""Two donors side by side: money, time, channels, sectors, places, partners."""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from . import _arguments
from ._aggregate import totals
from ._model import Engagement, Qualifier
from ._money import Money
from ._overlap import Overlap, Overlaps, find_overlaps
from ._text import money_text, table, wrap
from ._totals_result import Cell

if TYPE_CHECKING:
    from ._dataset import Dataset
    from ._rates import Rates

__all__ = ["DonorComparison", "DonorProfile", "compare_donor_matrix", "compare_donors"]


@attrs.frozen
class DonorProfile:
    """One donor's column of a comparison.

    ``total`` is the donor's total (a :class:`~mali_aid.Cell`, with its
    bounds and basis); ``known_total`` its best figure (``None`` when
    nothing is known, never zero), with its ``qualifier`` and the ``kinds``
    of amount in it; ``unknown`` the
    engagements with no known amount; ``per_year`` the known total divided
    by the number of calendar years from ``first_year`` to ``last_year``, the
    years shown beside it (``None`` when either is unknown). ``name`` is the
    donor's name.
    """

    donor: str
    engagements: tuple[str, ...]
    known_total: Money | None
    qualifier: Qualifier | None
    kinds: frozenset[str]
    unknown: tuple[str, ...]
    per_year: Money | None
    first_year: int | None
    last_year: int | None
    channels: frozenset[str]
    sectors: frozenset[str]
    places: frozenset[str]
    regions: frozenset[str]
    themes: frozenset[str]
    implementers: frozenset[str]
    total: Cell | None = None
    name: str | None = None

    @property
    def years_shown(self) -> int | None:
        """The number of calendar years from the first to the last."""
        if self.first_year is None or self.last_year is None:
            return None
        return self.last_year - self.first_year + 1


def _jaccard(a: frozenset[str], b: frozenset[str]) -> Fraction:
    union = a | b
    if not union:
        return Fraction(1)
    return Fraction(len(a & b), len(union))


@attrs.frozen
class DonorComparison:
    """Two donors side by side, and how alike they are.

    ``similarity`` is the mean of two Jaccard indices: over the donors'
    sectors and over the regions they work in (places rolled up to their
    region; a place above region level counts as itself). Each index is the
    number of shared items over the number of items either has, and two
    empty sets count as identical (1). The result is an exact fraction
    between 0 and 1.
    """

    a: DonorProfile
    b: DonorProfile
    shared_sectors: frozenset[str]
    shared_places: frozenset[str]
    shared_regions: frozenset[str]
    overlaps: tuple[Overlap, ...]
    sector_similarity: Fraction
    region_similarity: Fraction

    @property
    def similarity(self) -> Fraction:
        """Mean of the sector and region Jaccard indices."""
        return (self.sector_similarity + self.region_similarity) / 2

    @property
    def only_a_sectors(self) -> frozenset[str]:
        """Sectors of ``a`` that ``b`` does not work in."""
        return self.a.sectors - self.b.sectors

    @property
    def only_b_sectors(self) -> frozenset[str]:
        """Sectors of ``b`` that ``a`` does not work in."""
        return self.b.sectors - self.a.sectors

    @property
    def only_a_places(self) -> frozenset[str]:
        """Places of ``a`` that ``b`` does not work in."""
        return self.a.places - self.b.places

    @property
    def only_b_places(self) -> frozenset[str]:
        """Places of ``b`` that ``a`` does not work in."""
        return self.b.places - self.a.places

    def to_dict(self) -> dict[str, Any]:
        """Plain data: each column, the shared sets, the overlaps, the scores."""

        def column(profile: DonorProfile) -> dict[str, Any]:
            return {
                "donor": profile.donor,
                "name": profile.name,
                "engagements": list(profile.engagements),
                "known_total": None
                if profile.total is None
                else profile.total.to_dict(),
                "qualifier": None
                if profile.qualifier is None
                else str(profile.qualifier),
                "kinds": sorted(profile.kinds),
                "unknown": list(profile.unknown),
                "per_year": _per_year_dict(profile),
                "first_year": profile.first_year,
                "last_year": profile.last_year,
                "channels": sorted(profile.channels),
                "sectors": sorted(profile.sectors),
                "places": sorted(profile.places),
                "regions": sorted(profile.regions),
                "themes": sorted(profile.themes),
                "implementers": sorted(profile.implementers),
            }

        return {
            "a": column(self.a),
            "b": column(self.b),
            "shared_sectors": sorted(self.shared_sectors),
            "only_a_sectors": sorted(self.only_a_sectors),
            "only_b_sectors": sorted(self.only_b_sectors),
            "shared_places": sorted(self.shared_places),
            "only_a_places": sorted(self.only_a_places),
            "only_b_places": sorted(self.only_b_places),
            "shared_regions": sorted(self.shared_regions),
            "overlaps": Overlaps(
                pairs=self.overlaps, undated=(), on=_ON, between="donors"
            ).to_dict()["pairs"],
            "sector_similarity": str(self.sector_similarity),
            "region_similarity": str(self.region_similarity),
            "similarity": str(self.similarity),
        }

    def to_text(self, width: int | None = None) -> str:
        """The comparison as a side-by-side table, then what the donors share;
        long lists wrap within their column, the table within ``width``
        characters when given (88 by default)."""

        def listing(values: Iterable[str]) -> str:
            return ", ".join(sorted(values)) or "-"

        def money(figure: Money | None, qualifier: Qualifier | None) -> str:
            if figure is None:
                return "-"  # nothing known: not a total of zero
            return money_text(figure.amount, figure.currency, qualifier or "exact")

        def years(profile: DonorProfile) -> str:
            if profile.first_year is None:
                return "-"
            return f"{profile.first_year}-{profile.last_year}"

        a, b = self.a, self.b
        rows = [
            ("name", a.name or "-", b.name or "-"),
            ("engagements", str(len(a.engagements)), str(len(b.engagements))),
            (
                "known total",
                money(a.known_total, a.qualifier),
                money(b.known_total, b.qualifier),
            ),
            ("amount unknown", str(len(a.unknown)), str(len(b.unknown))),
            ("years", years(a), years(b)),
            (
                "per year",
                money(a.per_year, a.qualifier),
                money(b.per_year, b.qualifier),
            ),
            ("channels", listing(a.channels), listing(b.channels)),
            (
                "sectors only here",
                listing(self.only_a_sectors),
                listing(self.only_b_sectors),
            ),
            (
                "places only here",
                listing(self.only_a_places),
                listing(self.only_b_places),
            ),
            ("regions", listing(a.regions), listing(b.regions)),
            ("themes", listing(a.themes), listing(b.themes)),
            ("implementers", listing(a.implementers), listing(b.implementers)),
        ]
        lines = [
            table(
                ("donor", a.donor, b.donor),
                rows,
                width=width or _WIDTH,
                wrap_cells=True,
            ),
            "",
            wrap(f"shared sectors: {listing(self.shared_sectors)}", width or _WIDTH),
            wrap(f"shared places:  {listing(self.shared_places)}", width or _WIDTH),
            wrap(f"shared regions: {listing(self.shared_regions)}", width or _WIDTH),
            f"overlapping engagements: {len(self.overlaps)}",
            f"similarity: {float(self.similarity):.2f} "
            f"(sectors {float(self.sector_similarity):.2f}, "
            f"regions {float(self.region_similarity):.2f})",
        ]
        return "\n".join(lines)

    def __str__(self) -> str:
        return self.to_text()


#: The width a comparison fits when no other is given.
_WIDTH = 88
_ON = ("time", "place", "sector")


def _per_year_dict(profile: DonorProfile) -> dict[str, Any] | None:
    """The total per year shown, in the form of a cell: bounds divided too."""
    count = profile.years_shown
    if profile.total is None or profile.per_year is None or count is None:
        return None
    facts = profile.total.to_dict()
    facts["amount"] = str(profile.per_year.amount)
    facts["low"] = str((profile.total.low / count).amount)
    if profile.total.high is not None:
        facts["high"] = str((profile.total.high / count).amount)
    facts["years"] = count
    return facts


def pairs_between(
    result: Overlaps, data: Dataset, donors: Iterable[str]
) -> tuple[Overlap, ...]:
    """The pairs of ``result`` with one engagement of one of ``donors`` and
    the other of another (see :meth:`Overlaps.between_donors`)."""
    named = frozenset(donors)

    def of_named(engagement_id: str) -> frozenset[str]:
        return frozenset(data.donors(engagement_id)) & named

    return tuple(
        pair
        for pair in result
        if (first := of_named(pair.first))
        and (second := of_named(pair.second))
        and first != second
    )


def _profile(
    data: Dataset,
    donor: str,
    engagements: Sequence[Engagement],
    currency: str,
    rates: Rates | None,
) -> DonorProfile:
    result = totals(engagements, by="donor", currency=currency, data=data, rates=rates)
    cell = result.get(donor)
    years: list[int] = []
    for record in engagements:
        if record.period is not None and record.period.is_bounded:
            covered = record.period.years
            assert covered is not None
            years.extend(covered)
        else:
            span = record.period.certain_span() if record.period is not None else None
            if span is not None:
                years.extend({span[0].year, span[1].year})
            years.extend(record.active_in)
    places = frozenset(share.place for record in engagements for share in record.places)
    best = None if cell is None else cell.best
    per_year = (
        None if best is None or not years else best / (max(years) - min(years) + 1)
    )
    return DonorProfile(
        donor=donor,
        engagements=tuple(record.id for record in engagements),
        known_total=None if cell is None else cell.best,
        qualifier=None if cell is None else cell.qualifier,
        total=cell,
        name=data.organisation(donor).name,
        kinds=frozenset(str(kind) for kind in result.kinds),
        unknown=result.unknown + result.unconverted,
        per_year=per_year,
        first_year=min(years) if years else None,
        last_year=max(years) if years else None,
        channels=frozenset(
            record.channel.value for record in engagements if record.channel is not None
        ),
        sectors=frozenset(
            share.sector for record in engagements for share in record.sectors
        ),
        places=places,
        regions=frozenset(data.roll_up(place, "region") for place in places),
        themes=frozenset(theme for record in engagements for theme in record.themes),
        implementers=frozenset(
            participant.organisation
            for record in engagements
            for participant in record.implementers
        ),
    )


def compare_donors(
    data: Dataset,
    a: str,
    b: str,
    *,
    currency: str = "EUR",
    rates: Rates | None = None,
) -> DonorComparison:
    """Compare two donors (organisation ids: ``"BE"``, ``"LU"``) side by side.

    Each column gives the donor's known total in ``currency`` (with its
    qualifier, its kinds of amount, and the engagements whose amount is
    unknown), its average per year over the years its dated amounts cover,
    its first and last years, channels, sectors, places and regions,
    themes and implementing partners. Between them: the shared sectors,
    places and regions, the engagements of one that overlap engagements of
    the other in time, place and sector (pairs whose donors differ, so a
    donor compared with itself has none), and a similarity score (see
    :class:`DonorComparison`).
    """
    _arguments.check(
        "compare_donors", data=data, a=a, b=b, currency=currency, rates=rates
    )
    data.organisation(a)
    data.organisation(b)
    mine = data.select(donor=a)
    theirs = data.select(donor=b)
    profile_a = _profile(data, a, mine, currency, rates)
    profile_b = _profile(data, b, theirs, currency, rates)
    union = list({record.id: record for record in (*mine, *theirs)}.values())
    # Two engagements of one donor, one of them co-financed, have different
    # sets of donors; they still are not an overlap of a donor with itself.
    overlaps = (
        ()
        if a == b
        else find_overlaps(union, data=data, between="donors")
        .between_donors(
            data, (data.root_organisation(a).id, data.root_organisation(b).id)
        )
        .pairs
    )
    return DonorComparison(
        a=profile_a,
        b=profile_b,
        shared_sectors=profile_a.sectors & profile_b.sectors,
        shared_places=profile_a.places & profile_b.places,
        shared_regions=profile_a.regions & profile_b.regions,
        overlaps=tuple(overlaps),
        sector_similarity=_jaccard(profile_a.sectors, profile_b.sectors),
        region_similarity=_jaccard(profile_a.regions, profile_b.regions),
    )


def compare_donor_matrix(
    data: Dataset, donors: Sequence[str]
) -> Mapping[tuple[str, str], Fraction]:
    """The similarity of every ordered pair of ``donors`` (1 on the diagonal).

    >>> from mali_aid import load
    >>> matrix = compare_donor_matrix(load(), ["BE", "LU"])
    >>> matrix[("BE", "BE")], matrix[("BE", "LU")] == matrix[("LU", "BE")]
    (Fraction(1, 1), True)
    """
    _arguments.check("compare_donor_matrix", data=data, donors=donors)
    profiles = {}
    for donor in dict.fromkeys(donors):
        data.organisation(donor)
        records = data.select(donor=donor)
        places = {share.place for record in records for share in record.places}
        profiles[donor] = (
            frozenset(share.sector for record in records for share in record.sectors),
            frozenset(data.roll_up(place, "region") for place in places),
        )
    matrix = {}
    for first, (sectors_a, regions_a) in profiles.items():
        for second, (sectors_b, regions_b) in profiles.items():
            matrix[(first, second)] = (
                _jaccard(sectors_a, sectors_b) + _jaccard(regions_a, regions_b)
            ) / 2
    return MappingProxyType(matrix)
