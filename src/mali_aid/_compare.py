"""Two donors side by side: money, time, channels, sectors, places, partners."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable, Mapping, Sequence
from fractions import Fraction
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from . import _arguments
from ._aggregate import Cell, totals
from ._model import Engagement, Qualifier
from ._money import Money
from ._overlap import Overlap, find_overlaps

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
    engagements with no known amount; ``per_year`` the known total of the
    engagements whose amounts can be placed in time, divided by the number
    of calendar years they cover (``None`` when there are none).
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
                "engagements": list(profile.engagements),
                "known_total": None
                if profile.total is None
                else profile.total.to_dict(),
                "qualifier": None
                if profile.qualifier is None
                else str(profile.qualifier),
                "kinds": sorted(profile.kinds),
                "unknown": list(profile.unknown),
                "per_year": None if profile.per_year is None else str(profile.per_year),
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
            "overlaps": [
                {
                    "first": overlap.first,
                    "second": overlap.second,
                    "period": None if overlap.period is None else str(overlap.period),
                    "days": overlap.days,
                    "places": list(overlap.places),
                    "sectors": list(overlap.sectors),
                }
                for overlap in self.overlaps
            ],
            "sector_similarity": str(self.sector_similarity),
            "region_similarity": str(self.region_similarity),
            "similarity": str(self.similarity),
        }

    def __str__(self) -> str:
        def listing(values: Iterable[str]) -> str:
            return ", ".join(sorted(values)) or "-"

        def money(profile: DonorProfile) -> str:
            if profile.known_total is None:
                return "-"  # nothing known: not a total of zero
            text = f"{profile.known_total:,}"
            if profile.qualifier is not Qualifier.EXACT:
                text = f"{str(profile.qualifier).replace('-', ' ')} {text}"
            return text

        def years(profile: DonorProfile) -> str:
            if profile.first_year is None:
                return "-"
            return f"{profile.first_year}-{profile.last_year}"

        rows = [
            ("donor", self.a.donor, self.b.donor),
            ("engagements", str(len(self.a.engagements)), str(len(self.b.engagements))),
            ("known total", money(self.a), money(self.b)),
            ("amount unknown", str(len(self.a.unknown)), str(len(self.b.unknown))),
            (
                "per year",
                f"{self.a.per_year:,}" if self.a.per_year else "-",
                f"{self.b.per_year:,}" if self.b.per_year else "-",
            ),
            ("years", years(self.a), years(self.b)),
            ("channels", listing(self.a.channels), listing(self.b.channels)),
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
            ("regions", listing(self.a.regions), listing(self.b.regions)),
            ("themes", listing(self.a.themes), listing(self.b.themes)),
            (
                "implementers",
                listing(self.a.implementers),
                listing(self.b.implementers),
            ),
        ]
        # Long lists wrap within their column, so the table stays readable
        # in a terminal.
        wrapped = [
            [
                textwrap.wrap(cell, 40, break_long_words=False, break_on_hyphens=False)
                or [""]
                for cell in row
            ]
            for row in rows
        ]
        widths = [
            max(len(line) for row in wrapped for line in row[i]) for i in range(3)
        ]
        lines = []
        for row in wrapped:
            for depth in range(max(len(cell) for cell in row)):
                lines.append(
                    "  ".join(
                        (cell[depth] if depth < len(cell) else "").ljust(width)
                        for cell, width in zip(row, widths, strict=True)
                    ).rstrip()
                )
        lines.insert(1, "  ".join("-" * width for width in widths))
        lines.append("")
        lines.append(f"shared sectors: {listing(self.shared_sectors)}")
        lines.append(f"shared places:  {listing(self.shared_places)}")
        lines.append(f"shared regions: {listing(self.shared_regions)}")
        lines.append(f"overlapping engagements: {len(self.overlaps)}")
        lines.append(
            f"similarity: {float(self.similarity):.2f} "
            f"(sectors {float(self.sector_similarity):.2f}, "
            f"regions {float(self.region_similarity):.2f})"
        )
        return "\n".join(lines)


def _profile(
    data: Dataset,
    donor: str,
    engagements: Sequence[Engagement],
    currency: str,
    rates: Rates | None,
) -> DonorProfile:
    result = totals(engagements, by="donor", currency=currency, data=data, rates=rates)
    cell = result.get(donor)
    by_year = totals(
        engagements, by=("donor", "year"), currency=currency, data=data, rates=rates
    )
    dated = {
        key[1]: year_cell.best
        for key, year_cell in by_year.items()
        if isinstance(key, tuple)
        and key[0] == donor
        and key[1] is not None
        and year_cell.best is not None
    }
    per_year = None
    if dated:
        summed = sum(dated.values(), Money("0", currency))
        per_year = summed / len(dated)
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
    return DonorProfile(
        donor=donor,
        engagements=tuple(record.id for record in engagements),
        known_total=None if cell is None else cell.best,
        qualifier=None if cell is None else cell.qualifier,
        total=cell,
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
    ids_a = {record.id for record in mine}
    ids_b = {record.id for record in theirs}
    union = list({record.id: record for record in (*mine, *theirs)}.values())
    # Two engagements of one donor, one of them co-financed, have different
    # sets of donors; they still are not an overlap of a donor with itself.
    overlaps = (
        ()
        if a == b
        else tuple(
            overlap
            for overlap in find_overlaps(union, data=data, between="donors")
            if (overlap.first in ids_a and overlap.second in ids_b)
            or (overlap.first in ids_b and overlap.second in ids_a)
        )
    )
    return DonorComparison(
        a=profile_a,
        b=profile_b,
        shared_sectors=profile_a.sectors & profile_b.sectors,
        shared_places=profile_a.places & profile_b.places,
        shared_regions=profile_a.regions & profile_b.regions,
        overlaps=overlaps,
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
