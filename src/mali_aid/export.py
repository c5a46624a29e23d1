"""Flat tables of the data, for pandas, polars, DuckDB, Spark and spreadsheets.

Three tables, each with stable column names and logical types:

- :func:`engagements`: one row per engagement;
- :func:`participants`: one row per engagement and participant;
- :func:`years`: one row per engagement, donor, calendar year and kind of
  amount, with each engagement's amount spread over years and converted into
  one currency exactly as :func:`mali_aid.totals` does it.

A :class:`Table` writes itself as JSON or CSV with the standard library, and
becomes a pandas ``DataFrame`` (the ``pandas`` extra), an Arrow table or a
Parquet file (the ``arrow`` extra). Amounts stay exact ``Decimal`` values all
the way: strings in JSON and CSV, ``decimal128`` in Arrow and Parquet. An
unknown amount is empty (``None``), never zero.

>>> import mali_aid
>>> from mali_aid import export
>>> data = mali_aid.load()
>>> table = export.engagements(data)
>>> envelope = next(row for row in table if row["id"] == "lu-envelope-2023-2024")
>>> envelope["amount"], envelope["currency"], envelope["donors"]
(Decimal('42000000'), 'EUR', 'LU')
>>> print(export.years(data, ["be-icp-2009-2014"]).to_csv(), end="")
engagement_id,donor_id,donor_share,year,amount_kind,amount,currency,original_amount,original_currency,rate,rate_basis,rate_date,rate_year,amount_qualifier,amount_missing,counted_in,low,high,basis,basis_when_grouped
be-icp-2009-2014,BE,1,2009,budget,8412825.20,EUR,8412825.20,EUR,,,,,exact,,,8412825.20,8412825.20,stated,sector:split-evenly; year:spread-by-days
be-icp-2009-2014,BE,1,2010,budget,8412825.20,EUR,8412825.20,EUR,,,,,exact,,,8412825.20,8412825.20,stated,sector:split-evenly; year:spread-by-days
be-icp-2009-2014,BE,1,2011,budget,8412825.20,EUR,8412825.20,EUR,,,,,exact,,,8412825.20,8412825.20,stated,sector:split-evenly; year:spread-by-days
be-icp-2009-2014,BE,1,2012,budget,8435874.02,EUR,8435874.02,EUR,,,,,exact,,,8435874.02,8435874.02,stated,sector:split-evenly; year:spread-by-days
be-icp-2009-2014,BE,1,2013,budget,8412825.20,EUR,8412825.20,EUR,,,,,exact,,,8412825.20,8412825.20,stated,sector:split-evenly; year:spread-by-days
be-icp-2009-2014,BE,1,2014,budget,8412825.18,EUR,8412825.18,EUR,,,,,exact,,,8412825.18,8412825.18,stated,sector:split-evenly; year:spread-by-days
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Final, Literal, TypeAlias

from . import _arguments, _table
from ._aggregate import (
    YearRow,
    contributing_amounts,
    summarise_qualifiers,
    year_rows,
)
from ._model import AmountKind, Citation, Engagement, Role
from ._money import Money, minor_unit
from ._period import Period
from ._rules import counted_container
from ._table import Column, Table
from ._table_totals import totals_of_years
from .errors import DataError

if TYPE_CHECKING:
    from ._dataset import Dataset
    from ._rates import Rates

__all__ = [
    "LOGICAL_TYPES",
    "SEPARATOR",
    "Column",
    "LogicalType",
    "Table",
    "Value",
    "engagements",
    "participants",
    "totals_of_years",
    "years",
]

# The documented names of the table machinery, re-bound here so that the
# reference documents them where users import them.

#: The logical type of a column: what its values are in Python.
LogicalType: TypeAlias = _table.LogicalType

#: A cell of a table: ``None`` stands for an empty (unknown or absent) value.
Value: TypeAlias = _table.Value

#: Every logical type, with the Python type of its values.
LOGICAL_TYPES: Final = _table.LOGICAL_TYPES

#: What joins several ids in one cell. Ids hold no space, so splitting a cell
#: on it gives the ids back.
SEPARATOR: Final = "; "


# -- choosing engagements -----------------------------------------------------------


def _chosen(
    data: Dataset, engagements: Iterable[Engagement | str] | None
) -> tuple[Engagement, ...]:
    if engagements is None:
        return data.engagements
    if isinstance(engagements, str):
        raise TypeError("pass a sequence of engagements or ids, not one text")
    records = tuple(
        data.engagement(item) if isinstance(item, str) else item for item in engagements
    )
    seen: set[str] = set()
    for record in records:
        if not isinstance(record, Engagement):
            raise TypeError(
                f"expected an Engagement or an id, not {type(record).__name__}"
            )
        if record.id in seen:
            raise DataError(f"engagement {record.id!r} is given twice")
        seen.add(record.id)
    return records


def _joined(items: Iterable[str]) -> str | None:
    unique = list(dict.fromkeys(items))
    return SEPARATOR.join(unique) if unique else None


def _text(value: enum.Enum | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    return value


def _citation(citation: Citation) -> str:
    where = citation.paragraph if citation.paragraph is not None else citation.locator
    return f"{citation.source}:{where}"


# -- engagements --------------------------------------------------------------------


def _engagement_columns(amount_scale: int) -> tuple[Column, ...]:
    return (
        Column("id", "string", "The engagement's id: a stable slug."),
        Column("title", "string", "The title as the source words it."),
        Column("title_en", "string", "The English title, where the record gives one."),
        Column(
            "kind",
            "string",
            "programme, project, contribution, envelope, strategy, mission or deployment.",
        ),
        Column(
            "status", "string", "planned, ongoing or completed, as the source tells it."
        ),
        Column(
            "channel",
            "string",
            "bilateral, multilateral, ngo, humanitarian, decentralised,"
            " security-defence, microprojects or mixed.",
        ),
        Column(
            "donors",
            "string",
            "The donors (root organisations of the funders), joined by '; ' in the"
            " order of the funding participants; empty when no source names a funder.",
        ),
        Column(
            "funders",
            "string",
            "The funding organisations' ids, joined by '; '; empty when unknown.",
        ),
        Column(
            "implementers",
            "string",
            "The implementing organisations' ids, joined by '; '; empty when none is named.",
        ),
        Column(
            "period",
            "string",
            "The period in effect as text: '2009/2014', '2013-02/..', '../2024-06',"
            " 'P20Y~' ('..' an unknown end, '~' approximate, 'P20Y' a length).",
        ),
        Column(
            "period_start", "date", "The first day of the period; empty when unknown."
        ),
        Column(
            "period_start_precision",
            "string",
            "How precisely the source gave the start: year, month or day.",
        ),
        Column("period_end", "date", "The last day of the period; empty when unknown."),
        Column(
            "period_end_precision",
            "string",
            "How precisely the source gave the end: year, month or day.",
        ),
        Column(
            "period_approximate",
            "boolean",
            "Whether the source gives the period only roughly; empty without a period.",
        ),
        Column(
            "original_period",
            "string",
            "The period first agreed, where a source says it was extended (as text).",
        ),
        Column(
            "active_in",
            "string",
            "Years a source saw it active when its full period is not given,"
            " joined by '; '.",
        ),
        Column(
            "amount",
            "decimal",
            "The amount a total counts for it, in its own currency: its planned total"
            " (envelope, else commitment, else the sum of its budgets) or else what"
            " it contributed or disbursed. Empty when unknown, never zero.",
            scale=amount_scale,
        ),
        Column("currency", "string", "The ISO 4217 code of the amount."),
        Column(
            "amount_qualifier",
            "string",
            "exact, about, at-least or at-most: how exactly the amount is known.",
        ),
        Column(
            "amount_kind",
            "string",
            "The kind of the amount: envelope, commitment, budget, contribution or"
            " disbursement (several joined by '; ').",
        ),
        Column(
            "amount_missing",
            "string",
            "Why the amount is empty: 'unknown' (no source gives one) or"
            " 'several-currencies' (amounts in several currencies, which only a"
            " conversion can add up: see the years table); empty when it is given.",
        ),
        Column("sectors", "string", "The sector ids, joined by '; '."),
        Column("places", "string", "The place ids, joined by '; '."),
        Column(
            "regions",
            "string",
            "The places rolled up to their regions (a place above region level"
            " stays itself), each once, joined by '; '.",
        ),
        Column("themes", "string", "The cross-cutting theme ids, joined by '; '."),
        Column("part_of", "string", "The id of the engagement this one is part of."),
        Column("follows", "string", "The id of the engagement this one succeeds."),
        Column(
            "citations",
            "string",
            "Where its facts stand: 'source-id:paragraph' (or 'source-id:locator'"
            " for a structured file), joined by '; '.",
        ),
        Column(
            "note",
            "string",
            "How the record reads its sources, where that needs saying.",
        ),
    )


def _amount_cells(record: Engagement) -> tuple[Value, ...]:
    """amount, currency, amount_qualifier, amount_kind and amount_missing."""
    counted = contributing_amounts(record)
    if not counted:
        return None, None, None, None, "unknown"
    kinds = {amount.kind for amount in counted}
    kind = SEPARATOR.join(str(member) for member in AmountKind if member in kinds)
    currencies = {amount.money.currency for amount in counted}
    if len(currencies) > 1:
        return None, None, None, kind, "several-currencies"
    total: Money = sum((amount.money for amount in counted[1:]), counted[0].money)
    qualifier = summarise_qualifiers(amount.qualifier for amount in counted)
    return total.amount, total.currency, str(qualifier), kind, None


def _period_cells(period: Period | None) -> tuple[Value, ...]:
    if period is None:
        return None, None, None, None, None, None
    return (
        str(period),
        period.start,
        _text(period.start_precision),
        period.end,
        _text(period.end_precision),
        period.approximate,
    )


def _engagement_row(data: Dataset, record: Engagement) -> tuple[Value, ...]:
    return (
        record.id,
        record.title,
        record.title_en,
        _text(record.kind),
        _text(record.status),
        _text(record.channel),
        _joined(data.donors(record)),
        _joined(p.organisation for p in record.funders),
        _joined(p.organisation for p in record.implementers),
        *_period_cells(record.period),
        None if record.original_period is None else str(record.original_period),
        _joined(str(year) for year in record.active_in),
        *_amount_cells(record),
        _joined(share.sector for share in record.sectors),
        _joined(share.place for share in record.places),
        _joined(data.roll_up(share.place, "region") for share in record.places),
        _joined(record.themes),
        record.part_of,
        record.follows,
        _joined(_citation(citation) for citation in record.citations),
        record.note,
    )


def engagements(
    data: Dataset, engagements: Iterable[Engagement | str] | None = None
) -> Table:
    """One row per engagement, in the order given (default: every one in ``data``).

    ``engagements`` are records or ids; ``data`` knows the organisation tree
    (the donors) and the places (the regions). The amount is the one a total
    counts (see :func:`mali_aid.totals`), in its own currency, or empty when
    no source gives one. Ids in one cell are joined by ``"; "``. The columns
    are listed in ``docs/export.md``.

    >>> import mali_aid
    >>> from mali_aid import export
    >>> row = export.engagements(mali_aid.load(), ["lu-agropastoral-ii"]).records()[0]
    >>> row["donors"], row["amount"], row["amount_missing"], row["regions"]
    ('LU; CH', None, 'unknown', 'ml-sikasso-region')
    """
    _arguments.check("engagements", data=data)
    engagements = _arguments.engagements(
        "engagements", engagements, ids=True, optional=True
    )
    records = _chosen(data, engagements)
    # Four decimal places hold the minor unit of every currency; an amount
    # given more finely widens the scale rather than lose a digit.
    scale = max([4, *(_amount_places(record) for record in records)])
    return Table(
        "engagements",
        _engagement_columns(scale),
        [_engagement_row(data, record) for record in records],
    )


def _amount_places(record: Engagement) -> int:
    return max(
        (
            _table.decimal_places(amount.money.amount)
            for amount in contributing_amounts(record)
        ),
        default=0,
    )


# -- participants -------------------------------------------------------------------

_PARTICIPANT_COLUMNS: Final = (
    Column("engagement_id", "string", "The engagement's id."),
    Column("organisation_id", "string", "The participating organisation's id."),
    Column("organisation_name", "string", "The organisation's name."),
    Column(
        "organisation_kind",
        "string",
        "What sort of body it is: state, agency, multilateral, ngo, ...",
    ),
    Column(
        "organisation_country",
        "string",
        "The ISO 3166-1 code of the country it belongs to, where it has one.",
    ),
    Column(
        "role",
        "string",
        "Its IATI role in the engagement: funding, accountable, extending or"
        " implementing.",
    ),
    Column(
        "share",
        "string",
        "A funder's exact share of the funding as a fraction ('1/2'), where a"
        " source gives it.",
    ),
    Column(
        "donor_id",
        "string",
        "For a funding participant, the donor: the root of its organisation"
        " (BE for Belgian Defence); empty for the other roles.",
    ),
)


def participants(
    data: Dataset, engagements: Iterable[Engagement | str] | None = None
) -> Table:
    """One row per engagement and participant, in record order.

    An engagement with no participant has no row here. The ``share`` is an
    exact fraction as text (``"1/2"``); turn it into a number with
    :class:`fractions.Fraction`.

    >>> import mali_aid
    >>> from mali_aid import export
    >>> table = export.participants(mali_aid.load(), ["lu-agropastoral-ii"])
    >>> [(row["organisation_id"], row["role"], row["share"]) for row in table]
    [('LU', 'funding', '1/2'), ('CH', 'funding', '1/2'), ('luxdev', 'implementing', None)]
    """
    _arguments.check("participants", data=data)
    engagements = _arguments.engagements(
        "participants", engagements, ids=True, optional=True
    )
    rows = []
    for record in _chosen(data, engagements):
        for participant in record.participants:
            organisation = data.organisation(participant.organisation)
            funding = participant.role is Role.FUNDING
            rows.append(
                (
                    record.id,
                    organisation.id,
                    organisation.name,
                    _text(organisation.kind),
                    organisation.country,
                    _text(participant.role),
                    None if participant.share is None else str(participant.share),
                    data.root_organisation(organisation.id).id if funding else None,
                )
            )
    return Table("participants", _PARTICIPANT_COLUMNS, rows)


# -- years --------------------------------------------------------------------------


def _year_columns(currency: str) -> tuple[Column, ...]:
    return (
        Column("engagement_id", "string", "The engagement's id."),
        Column(
            "donor_id",
            "string",
            "The donor (root of the funding organisation); empty when no source"
            " names a funder.",
        ),
        Column(
            "donor_share",
            "string",
            "The donor's exact share of the engagement as a fraction ('1', '1/2').",
        ),
        Column(
            "year",
            "integer",
            "The calendar year of the slice; empty when the amount's time is"
            " unknown, or the amount itself is.",
        ),
        Column(
            "amount_kind",
            "string",
            "The kind of amount: envelope, commitment, budget, contribution,"
            " disbursement, expenditure or pledge.",
        ),
        Column(
            "amount",
            "decimal",
            f"The donor's share of the year's slice, in {currency}, rounded once"
            " to the minor unit so an engagement's rows sum to its total to the"
            " cent. Empty when unknown or not convertible, never zero.",
            scale=minor_unit(currency),
        ),
        Column(
            "currency",
            "string",
            "The ISO 4217 code of the table's amounts, on every row.",
        ),
        Column(
            "original_amount",
            "decimal",
            "The same money in the currency the source gives it in, rounded to"
            " four decimal places (its minor unit or finer).",
            scale=4,
        ),
        Column(
            "original_currency",
            "string",
            "The ISO 4217 code of the amount as the source gives it.",
        ),
        Column(
            "rate",
            "decimal",
            f"The factor that turned original_amount into {currency}, to 12"
            " decimal places; empty when no conversion was needed.",
            scale=12,
        ),
        Column(
            "rate_basis",
            "string",
            "The kind of rate: annual-mean, daily or peg (joined by '+' where a"
            " conversion goes through two); empty when none was needed.",
        ),
        Column(
            "rate_date",
            "date",
            "The day of a daily rate (the amount's value date).",
        ),
        Column(
            "rate_year",
            "integer",
            "The year of an annual mean rate.",
        ),
        Column(
            "amount_qualifier",
            "string",
            "exact, about, at-least or at-most: how exactly the amount is known.",
        ),
        Column(
            "amount_missing",
            "string",
            "Why the amount is empty: 'unknown' (no amount of the kinds counted)"
            " or 'no-rate' (no exchange rate for one of its slices); empty when"
            " given.",
        ),
        Column(
            "counted_in",
            "string",
            "The nearest engagement among those exported that contains this one"
            " (through part_of) and has a counted amount. That one's rows hold"
            " only what its parts leave, so every row counts its money once."
            " An engagement of unknown amount with a counted_in lies inside"
            " that amount: it leaves no total open.",
        ),
        Column(
            "low",
            "decimal",
            f"The least the row's money can be, in {currency}, rounded down"
            " (the amount itself where it is exact); empty for an engagement"
            " that lies inside a counted container's amount.",
            scale=minor_unit(currency),
        ),
        Column(
            "high",
            "decimal",
            f"The most the row's money can be, in {currency}, rounded up; empty"
            " where nothing bounds it above (an amount unknown or 'at least').",
            scale=minor_unit(currency),
        ),
        Column(
            "basis",
            "string",
            "How the amount is known whatever the grouping, as totals() names"
            " it, joined by '+' (stated, converted-annual-mean, remainder...).",
        ),
        Column(
            "basis_when_grouped",
            "string",
            "How it is known when a total is grouped by a dimension, as"
            " 'dimension:basis' joined by '; ' (year:spread-by-days: the"
            " year's slice is an estimate; donor:split-evenly).",
        ),
    )


def years(
    data: Dataset,
    engagements: Iterable[Engagement | str] | None = None,
    *,
    currency: str = "EUR",
    rates: Rates | None = None,
    kinds: Iterable[AmountKind | str] | None = None,
    scope: Literal["mali", "all"] = "mali",
) -> Table:
    """One row per engagement, donor, calendar year and kind of amount.

    Each engagement's amount is spread over calendar years and shared
    between its donors as :func:`mali_aid.totals` does it (by days, exactly,
    by funding share, each year's slice converted into ``currency`` at that
    year's mean rate or at the amount's value date), and rounded once, per
    engagement, so that an engagement's rows sum to its total to the cent.
    ``rates``, ``kinds`` and ``scope`` are those of :func:`mali_aid.totals`:
    by default a row holds Mali's share alone.

    Every engagement has at least one row. One whose amount is unknown, or
    cannot be converted, has one row per donor and year it is active in
    (empty ``year`` where none is known) with empty ``amount`` and
    ``high`` and the reason in ``amount_missing``. An engagement and its
    parts each have their own rows; ``counted_in`` names the containing
    engagement whose amount already holds a part's money, and a
    container's rows hold only what its parts leave, so every row counts
    its money once. ``low``, ``high``, ``basis`` and ``basis_when_grouped``
    carry what :func:`totals_of_years` needs to give the cells of
    :func:`mali_aid.totals` from the table alone.

    >>> import mali_aid
    >>> from mali_aid import export
    >>> table = export.years(mali_aid.load(), ["be-icp-2009-2014"])
    >>> sum(row["amount"] for row in table)
    Decimal('50500000.00')
    """
    _arguments.check(
        "years", data=data, currency=currency, rates=rates, kinds=kinds, scope=scope
    )
    engagements = _arguments.engagements("years", engagements, ids=True, optional=True)

    minor_unit(currency)  # an unknown code raises DataError, even for no rows
    records = _chosen(data, engagements)
    wanted = None if kinds is None else tuple(AmountKind(kind) for kind in kinds)
    # The pieces of one total of every engagement together, by engagement,
    # donor, year, kind and rate: a container's rows hold only what its parts
    # leave, so the rows sum, under any grouping, to what totals() gives.
    pieces = year_rows(
        records, currency=currency, data=data, rates=rates, kinds=wanted, scope=scope
    )
    whole = {piece.engagement for piece in pieces if piece.kind is not None}
    by_id = {record.id: record for record in records}
    counted = {record.id for record in records if record.id in whole}
    kind_order = {str(member): position for position, member in enumerate(AmountKind)}
    own: dict[str, list[YearRow]] = {}
    for piece in pieces:
        own.setdefault(piece.engagement, []).append(piece)
    rows: list[tuple[Value, ...]] = []
    for record in records:
        shares = dict(data.funding_shares(record))
        donor_order = {donor: position for position, donor in enumerate(shares)}
        # The walk up part_of stays among the engagements exported, as the
        # total of them does when it counts a container's remainder.
        holder = counted_container(record, by_id, counted.__contains__)
        container = None if holder is None else holder.id
        mine = own.get(record.id, [])
        if record.id not in counted:
            # An amount there is, but no rate for it: "no-rate"; none: "unknown".
            has_amount = bool(
                contributing_amounts(
                    record, None if wanted is None else frozenset(wanted)
                )
            )
            rows.extend(
                _missing_rows(
                    record.id,
                    shares,
                    mine,
                    container,
                    donor_order,
                    has_amount,
                    currency,
                )
            )
            continue
        keyed = [
            (
                (
                    piece.year is None,
                    piece.year or 0,
                    donor_order[piece.donor],  # type: ignore[index]
                    kind_order[str(piece.kind)],
                    str(piece.conversion and piece.conversion.when),
                ),
                _year_row(
                    record.id,
                    str(shares[piece.donor]),  # type: ignore[index]
                    piece,
                    container,
                ),
            )
            for piece in mine
            if piece.kind is not None
        ]
        rows.extend(row for _, row in sorted(keyed, key=lambda pair: pair[0]))
    return Table("years", _year_columns(currency), rows)


def _missing_rows(
    engagement: str,
    shares: dict[str | None, Fraction],
    pieces: list[YearRow],
    container: str | None,
    donor_order: dict[str | None, int],
    has_amount: bool,
    currency: str,
) -> list[tuple[Value, ...]]:
    """The rows of an engagement with no amount counted: one per donor and
    year it is active in, as the total leaves its cells open; or, where its
    money lies inside a counted container, one per donor that opens nothing."""
    if not pieces:
        # The rule of the fallback: no piece at all, one row per funding
        # donor, with no year, so that every engagement has a row.
        missing = "no-rate" if has_amount else "unknown"
        return [
            (engagement, donor, str(share), *([None] * 3), currency)
            + (None,) * 7
            + (missing, container, *([None] * 4))
            for donor, share in shares.items()
        ]
    ordered = sorted(
        pieces,
        key=lambda piece: (
            piece.year is None,
            piece.year or 0,
            donor_order[_donor(piece)],
        ),
    )
    return [
        (
            engagement,
            _donor(piece),
            str(shares[_donor(piece)]),
            piece.year,
            None,
            None,
            currency,
            *([None] * 7),
            "no-rate" if piece.cell.unconverted else "unknown",
            container,
            *_bounds_and_basis(piece),
        )
        for piece in ordered
    ]


def _donor(piece: YearRow) -> str | None:
    """The donor of a row: a root organisation's id, ``None`` where unknown."""
    return None if piece.donor is None else str(piece.donor)


def _bounds_and_basis(piece: YearRow) -> tuple[Value, ...]:
    cell = piece.cell
    return (
        cell.low.amount,
        None if cell.high is None else cell.high.amount,
        "+".join(sorted(str(basis) for basis in cell.basis)) or None,
        "; ".join(sorted(f"{name}:{basis}" for name, basis in piece.splits)) or None,
    )


def _year_row(
    engagement: str, share: str, piece: YearRow, container: str | None
) -> tuple[Value, ...]:
    cell, conversion, original = piece.cell, piece.conversion, piece.original
    converted = conversion is not None and conversion.source != conversion.target
    if not converted:
        original = cell.best  # the same money, rounded the same way
    when = None if conversion is None else conversion.when
    return (
        engagement,
        _donor(piece),
        share,
        piece.year,
        None if piece.kind is None else str(piece.kind),
        None if cell.best is None else cell.best.amount,
        cell.currency,
        None if original is None else original.amount,
        None if original is None else original.currency,
        _rate(conversion.factor) if converted and conversion else None,
        "+".join(sorted(str(b).removeprefix("converted-") for b in conversion.basis))
        if converted and conversion
        else None,
        when if isinstance(when, date) and converted else None,
        when if isinstance(when, int) and converted else None,
        None if cell.qualifier is None else str(cell.qualifier),
        None if cell.best is not None else "share-unknown",
        container,
        *_bounds_and_basis(piece),
    )


def _rate(factor: Fraction | None) -> Decimal | None:
    """A conversion factor to 12 decimal places, for reading."""
    if factor is None:
        return None
    scaled = round(factor * 10**12)
    return Decimal(f"{scaled}E-12")
