"""What a dataset holds, in a few figures: :func:`summarise`."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from types import MappingProxyType
from typing import TYPE_CHECKING, Any

import attrs

from ._kinds import KINDS as _KINDS
from ._model import AmountKind, PlaceLevel
from ._text import money_text, table

if TYPE_CHECKING:
    from ._dataset import Dataset
    from ._totals_result import Cell

__all__ = ["DonorSummary", "Summary", "summarise"]


@attrs.frozen
class DonorSummary:
    """One donor's line of a :class:`Summary`.

    ``donor`` is the id of a root organisation, or ``None`` for the
    engagements whose funder no source names; ``total`` the known total in
    euros (``None`` when the donor has no cell, never zero);
    ``amount_unknown`` the engagements with no amount to count.
    """

    donor: str | None
    name: str
    engagements: int
    total: Cell | None
    amount_unknown: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON."""
        facts: dict[str, Any] = (
            {} if self.donor is None else {"id": self.donor, "name": self.name}
        )
        facts.update(
            {
                "engagements": self.engagements,
                "known_total": None if self.total is None else self.total.to_dict(),
                "amount_unknown": self.amount_unknown,
            }
        )
        return facts


def _read_only(value: Mapping[str, int]) -> Mapping[str, int]:
    return MappingProxyType(dict(value))


@attrs.frozen
class Summary:
    """The figures of a dataset: records of each kind, the donors ranked by
    their number of engagements with their known totals in euros, the places
    by level, the years covered and the engagements with no known amount.

    >>> from mali_aid import load, summarise
    >>> summary = summarise(load())
    >>> summary.records["engagements"], summary.donors[0].donor
    (47, 'LU')
    """

    records: Mapping[str, int] = attrs.field(converter=_read_only)
    donors: tuple[DonorSummary, ...]
    unknown_funder: DonorSummary
    total: Cell
    kinds: frozenset[AmountKind]
    not_converted: int
    places_by_level: Mapping[str, int] = attrs.field(converter=_read_only)
    first_year: int | None
    last_year: int | None
    no_known_amount: int

    def to_dict(self) -> dict[str, Any]:
        """Plain data for JSON, in the order the text shows it."""
        return {
            "records": dict(self.records),
            "donors": [donor.to_dict() for donor in self.donors],
            "unknown_funder": self.unknown_funder.to_dict(),
            "known_total": {
                **self.total.to_dict(),
                "kinds": sorted(str(kind) for kind in self.kinds),
            },
            "not_converted": self.not_converted,
            "places_by_level": dict(self.places_by_level),
            "years": None
            if self.first_year is None
            else {"first": self.first_year, "last": self.last_year},
            "no_known_amount": self.no_known_amount,
        }

    def to_text(self, width: int | None = None) -> str:
        """The summary as aligned blocks of text; the donors' table within
        ``width`` characters when given."""
        out: list[str] = []
        _block(out, "Records", [(kind, str(n)) for kind, n in self.records.items()])
        out.append("Donors (the root organisation of a funder)")
        rows = [
            (
                donor.donor or "-",
                donor.name,
                str(donor.engagements),
                _known(donor.total),
                str(donor.amount_unknown),
            )
            for donor in (*self.donors, self.unknown_funder)
        ]
        drawn = table(
            ("id", "name", "engagements", "known total", "amount unknown"),
            rows,
            right=[2, 3, 4],
            width=None if width is None else width - 2,
        )
        out.extend(f"  {line}" for line in drawn.splitlines())
        kinds = ", ".join(sorted(str(kind) for kind in self.kinds)) or "none"
        out.append(f"  known total: {_known(self.total)} (kinds of amount: {kinds})")
        out.append("")
        _block(
            out,
            "Places by level",
            [(level, str(n)) for level, n in self.places_by_level.items()],
        )
        years = (
            "unknown"
            if self.first_year is None
            else f"{self.first_year}..{self.last_year}"
        )
        coverage = [
            ("years", years),
            ("engagements with no known amount", str(self.no_known_amount)),
        ]
        if self.not_converted:
            coverage.append(("amounts with no rate to EUR", str(self.not_converted)))
        _block(out, "Coverage", coverage)
        return "\n".join(out[:-1])

    def __str__(self) -> str:
        return self.to_text()


def _known(cell: Cell | None) -> str:
    if cell is None or cell.best is None:
        return "unknown"
    return money_text(cell.best.amount, cell.currency, cell.qualifier or "exact")


def _block(out: list[str], title: str, pairs: Sequence[tuple[str, str]]) -> None:
    label_width = max((len(label) for label, _ in pairs), default=0)
    value_width = max((len(value) for _, value in pairs), default=0)
    out.append(title)
    out.extend(
        f"  {label:<{label_width}}  {value:>{value_width}}" for label, value in pairs
    )
    out.append("")


def _years(data: Dataset) -> list[int]:
    years: list[int] = []
    for engagement in data.engagements:
        if engagement.period is not None:
            years.extend(
                bound.year
                for bound in (engagement.period.start, engagement.period.end)
                if bound is not None
            )
        years.extend(engagement.active_in)
    return years


def summarise(data: Dataset) -> Summary:
    """The :class:`Summary` of ``data``: what it holds, in a few figures.

    Donors are ranked by their number of engagements (then by id); their
    totals are known totals in euros, as :func:`~mali_aid.totals` gives
    them, and ``amount_unknown`` counts the engagements with no amount, or
    none convertible to euros, that they fund.
    """
    from . import _arguments
    from ._aggregate import totals

    _arguments.check("summarise", data=data)
    engagements: dict[str, int] = {}
    unknown_funder = 0
    for engagement in data.engagements:
        donors = data.donors(engagement)
        unknown_funder += not donors
        for donor in donors:
            engagements[donor] = engagements.get(donor, 0) + 1
    known = totals(data.engagements, by="donor", currency="EUR", data=data)
    unknown: dict[str | None, int] = {}
    for engagement_id in (*known.unknown, *known.unconverted):
        for owner in data.donors(engagement_id) or (None,):
            unknown[owner] = unknown.get(owner, 0) + 1
    ranked = sorted(engagements, key=lambda donor: (-engagements[donor], donor))
    levels = {
        level.value: count
        for level in PlaceLevel
        if (count := sum(1 for place in data.places if place.level is level))
    }
    years = _years(data)
    return Summary(
        records={plural: len(getattr(data, plural)) for plural, _, _ in _KINDS},
        donors=tuple(
            DonorSummary(
                donor,
                data.organisation(donor).name,
                engagements[donor],
                known.get(donor),
                unknown.get(donor, 0),
            )
            for donor in ranked
        ),
        unknown_funder=DonorSummary(
            None,
            "unknown funder",
            unknown_funder,
            known.get(None),
            unknown.get(None, 0),
        ),
        total=known.total,
        kinds=known.kinds,
        not_converted=len(known.unconverted),
        places_by_level=levels,
        first_year=min(years) if years else None,
        last_year=max(years) if years else None,
        no_known_amount=sum(
            1 for engagement in data.engagements if not engagement.amounts
        ),
    )
