"""The export tables: their columns, their values on the bundled data, and
every format they write."""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import mali_aid
from mali_aid import (
    Citation,
    DataError,
    Participant,
    Period,
    PlaceShare,
    Rates,
    UnknownIdError,
    export,
)
from mali_aid.export import Column, Table, Value
from worlds import WORLD, amount, funded

DATA = mali_aid.load()

ENGAGEMENT_COLUMNS = {
    "id": "string",
    "title": "string",
    "title_en": "string",
    "kind": "string",
    "status": "string",
    "channel": "string",
    "donors": "string",
    "funders": "string",
    "implementers": "string",
    "period": "string",
    "period_start": "date",
    "period_start_precision": "string",
    "period_end": "date",
    "period_end_precision": "string",
    "period_approximate": "boolean",
    "original_period": "string",
    "active_in": "string",
    "amount": "decimal",
    "currency": "string",
    "amount_qualifier": "string",
    "amount_kind": "string",
    "amount_missing": "string",
    "sectors": "string",
    "places": "string",
    "regions": "string",
    "themes": "string",
    "part_of": "string",
    "follows": "string",
    "citations": "string",
    "note": "string",
}
PARTICIPANT_COLUMNS = {
    "engagement_id": "string",
    "organisation_id": "string",
    "organisation_name": "string",
    "organisation_kind": "string",
    "organisation_country": "string",
    "role": "string",
    "share": "string",
    "donor_id": "string",
}
YEAR_COLUMNS = {
    "engagement_id": "string",
    "donor_id": "string",
    "donor_share": "string",
    "year": "integer",
    "amount_kind": "string",
    "amount": "decimal",
    "currency": "string",
    "original_amount": "decimal",
    "original_currency": "string",
    "rate": "decimal",
    "rate_basis": "string",
    "rate_date": "date",
    "rate_year": "integer",
    "amount_qualifier": "string",
    "amount_missing": "string",
    "counted_in": "string",
    "low": "decimal",
    "high": "decimal",
    "basis": "string",
    "basis_when_grouped": "string",
}


def row_of(table: Table, **wanted: object) -> dict[str, Value]:
    found = [
        row
        for row in table
        if all(row[name] == value for name, value in wanted.items())
    ]
    assert len(found) == 1, found
    return found[0]


# -- small records of our own -------------------------------------------------------

# -- the contract: names and types --------------------------------------------------


@pytest.mark.parametrize(
    ("table", "expected"),
    [
        (export.engagements(DATA), ENGAGEMENT_COLUMNS),
        (export.participants(DATA), PARTICIPANT_COLUMNS),
        (export.years(DATA), YEAR_COLUMNS),
    ],
    ids=["engagements", "participants", "years"],
)
def test_columns_are_the_documented_contract(
    table: Table, expected: dict[str, str]
) -> None:
    assert [(c.name, c.type) for c in table.columns] == list(expected.items())
    assert all(column.description.strip() for column in table.columns)


def test_every_column_is_documented_in_the_export_page() -> None:
    page = Path(__file__).resolve().parents[2] / "docs" / "export.md"
    if not page.parent.is_dir():
        pytest.skip("the docs folder is not beside the tests")
    text = page.read_text("utf-8")
    for columns in (ENGAGEMENT_COLUMNS, PARTICIPANT_COLUMNS, YEAR_COLUMNS):
        for name, kind in columns.items():
            assert f"| `{name}` | {kind} |" in text, name


def test_table_names() -> None:
    assert export.engagements(DATA).name == "engagements"
    assert export.participants(DATA).name == "participants"
    assert export.years(DATA).name == "years"


# -- engagements on the bundled data ------------------------------------------------


def test_one_row_per_engagement_in_file_order() -> None:
    table = export.engagements(DATA)
    assert len(table) == 47
    assert [row["id"] for row in table][:3] == [
        "be-development-cooperation-mali",
        "be-icp-2009-2014",
        "be-zebu-herds",
    ]


def test_luxembourg_envelope_of_42_million() -> None:
    row = row_of(export.engagements(DATA), id="lu-envelope-2023-2024")
    assert row["amount"] == Decimal("42000000")
    assert row["currency"] == "EUR"
    assert row["amount_qualifier"] == "exact"
    assert row["amount_kind"] == "envelope"
    assert row["amount_missing"] is None
    assert row["donors"] == "LU"
    assert row["funders"] == "LU"
    assert row["kind"] == "envelope"
    assert row["channel"] == "mixed"
    assert row["period"] == "2023/2024"
    assert row["period_start"] == date(2023, 1, 1)
    assert row["period_end"] == date(2024, 12, 31)
    assert row["period_start_precision"] == row["period_end_precision"] == "year"
    assert row["period_approximate"] is False
    assert row["citations"] == "lu-cooperation-mali-2024:3"
    assert row["part_of"] is None


def test_belgian_programme_keeps_its_original_period_and_themes() -> None:
    row = row_of(export.engagements(DATA), id="be-icp-2009-2014")
    assert row["period"] == "2009/2014"
    assert row["original_period"] == "2009/2012"
    assert row["amount"] == Decimal("50500000")
    assert row["amount_kind"] == "budget"
    assert row["themes"] == "gender; environment-climate"
    assert row["citations"] == "be-dgd-mali:5"


def test_more_than_2_6_million_is_at_least() -> None:
    row = row_of(export.engagements(DATA), id="lu-humanitarian-2015")
    assert (row["amount"], row["amount_qualifier"], row["amount_kind"]) == (
        Decimal("2600000"),
        "at-least",
        "contribution",
    )


def test_unknown_amounts_are_empty_never_zero() -> None:
    table = export.engagements(DATA)
    unknown = [row for row in table if row["amount_missing"] == "unknown"]
    assert len(unknown) == 41  # six of the 47 engagements have an amount
    for row in unknown:
        assert row["amount"] is None
        assert row["currency"] is None
        assert row["amount_qualifier"] is None
    known = {row["id"] for row in table if row["amount"] is not None}
    assert known == {
        "be-icp-2009-2014",
        "lu-icp-iii",
        "lu-humanitarian-2015",
        "lu-envelope-2023-2024",
        "lu-humanitarian-2024",
        "lu-floods-2024",
    }
    assert all(row["amount"] != 0 for row in table if row["amount"] is not None)


def test_unknown_funder_leaves_donors_empty() -> None:
    row = row_of(export.engagements(DATA), id="fcm-mped-mali")
    assert row["donors"] is None
    assert row["funders"] is None
    assert row["implementers"] == "fcm; amm"


def test_donor_is_the_root_of_the_funder() -> None:
    row = row_of(export.engagements(DATA), id="be-defence-minusma-2018")
    assert row["funders"] == "be-defence"
    assert row["donors"] == "BE"
    assert row["part_of"] == "minusma"


def test_co_financed_engagement_lists_both_donors() -> None:
    row = row_of(export.engagements(DATA), id="lu-agropastoral-ii")
    assert row["donors"] == "LU; CH"
    assert row["implementers"] == "luxdev"
    assert row["active_in"] == "2024"


def test_open_and_vague_periods() -> None:
    table = export.engagements(DATA)
    undp = row_of(table, id="lu-undp-reforms")
    assert (undp["period"], undp["period_start"], undp["period_end"]) == (
        "../2024-06",
        None,
        date(2024, 6, 30),
    )
    assert undp["period_end_precision"] == "month"
    assert undp["period_start_precision"] is None
    vague = row_of(table, id="be-development-cooperation-mali")
    assert vague["period"] == "P20Y~"
    assert vague["period_approximate"] is True
    assert vague["period_start"] is vague["period_end"] is None
    none = row_of(table, id="be-zebu-herds")
    assert none["period"] is none["period_approximate"] is None


def test_places_roll_up_to_regions() -> None:
    row = row_of(export.engagements(DATA), id="eutm-mali")
    assert row["places"] == "ML; ml-gao-city; ml-timbuktu-city"
    assert row["regions"] == "ML; ml-gao-region; ml-tombouctou-region"
    # Every year from its start in 2013 to the article of 2018 (be-defence-eutm-2018,
    # paragraphs 2 and 3: established February 2013, extended 2014 and 2016,
    # Belgian command to January 2018).
    assert row["active_in"] == "2013; 2014; 2015; 2016; 2017; 2018"


def test_regions_each_once_and_places_above_a_region_stay_themselves() -> None:
    record = funded(
        "a",
        places=[
            PlaceShare(place="sikasso-city"),
            PlaceShare(place="yorosso"),
            PlaceShare(place="ML"),
            PlaceShare(place="segou-region"),
        ],
    )
    row = export.engagements(WORLD, [record]).records()[0]
    assert row["places"] == "sikasso-city; yorosso; ML; segou-region"
    assert row["regions"] == "sikasso-region; ML; segou-region"


def test_budgets_add_up_and_about_makes_the_sum_about() -> None:
    record = funded(
        "a",
        amount("1.50 EUR"),
        amount("2.25 EUR", qualifier="about"),
        amount("7 EUR", kind="disbursement"),
    )
    row = export.engagements(WORLD, [record]).records()[0]
    assert row["amount"] == Decimal("3.75")
    assert row["amount_qualifier"] == "about"
    assert row["amount_kind"] == "budget"


def test_amounts_in_several_currencies_are_not_added() -> None:
    record = funded("a", amount("100 EUR"), amount("100 USD"))
    row = export.engagements(WORLD, [record]).records()[0]
    assert row["amount"] is None
    assert row["currency"] is None
    assert row["amount_missing"] == "several-currencies"
    assert row["amount_kind"] == "budget"


def test_a_pledge_alone_is_not_an_amount() -> None:
    record = funded("a", amount("100 EUR", kind="pledge"))
    row = export.engagements(WORLD, [record]).records()[0]
    assert (row["amount"], row["amount_missing"]) == (None, "unknown")


def test_citations_with_locators() -> None:
    record = funded(
        "a",
        citations=[
            Citation(source="src", paragraph=2),
            Citation(source="src", locator="XM-1/budget[1]"),
        ],
    )
    row = export.engagements(WORLD, [record]).records()[0]
    assert row["citations"] == "src:2; src:XM-1/budget[1]"


def test_engagements_by_id_or_record_in_the_order_given() -> None:
    table = export.engagements(
        DATA, ["lu-floods-2024", DATA.engagement("be-icp-2009-2014")]
    )
    assert [row["id"] for row in table] == ["lu-floods-2024", "be-icp-2009-2014"]


def test_bad_selections_are_refused() -> None:
    with pytest.raises(UnknownIdError, match="lu-flood"):
        export.engagements(DATA, ["lu-flood"])
    with pytest.raises(DataError, match="given twice"):
        export.years(DATA, ["lu-floods-2024", "lu-floods-2024"])
    with pytest.raises(TypeError, match="not one text"):
        export.participants(DATA, "lu-floods-2024")
    with pytest.raises(TypeError, match="int"):
        export.engagements(DATA, [42])  # type: ignore[list-item]


# -- participants -------------------------------------------------------------------


def test_co_financed_engagement_gives_two_funders_of_one_half() -> None:
    table = export.participants(DATA, ["lu-agropastoral-ii"])
    assert [tuple(row.values()) for row in table] == [
        (
            "lu-agropastoral-ii",
            "LU",
            "Luxembourg",
            "state",
            "LU",
            "funding",
            "1/2",
            "LU",
        ),
        (
            "lu-agropastoral-ii",
            "CH",
            "Switzerland",
            "state",
            "CH",
            "funding",
            "1/2",
            "CH",
        ),
        (
            "lu-agropastoral-ii",
            "luxdev",
            "LuxDev",
            "agency",
            "LU",
            "implementing",
            None,
            None,
        ),
    ]
    shares = [Fraction(row["share"]) for row in table if row["share"] is not None]  # type: ignore[arg-type]
    assert sum(shares) == 1


def test_participant_donor_is_the_root_organisation() -> None:
    row = row_of(export.participants(DATA, ["be-defence-eutm"]), role="funding")
    assert row["organisation_id"] == "be-defence"
    assert row["donor_id"] == "BE"
    assert row["share"] is None


def test_one_row_per_participant() -> None:
    table = export.participants(DATA)
    assert len(table) == sum(len(e.participants) for e in DATA.engagements)
    assert not [
        row for row in table if row["engagement_id"] == "kadiolo-business-training"
    ]
    assert len([row for row in table if row["engagement_id"] == "lu-icp-iii"]) == 10


# -- years --------------------------------------------------------------------------


def test_belgium_50_5_million_spreads_over_2009_to_2014() -> None:
    table = export.years(DATA, ["be-icp-2009-2014"])
    assert [row["year"] for row in table] == [2009, 2010, 2011, 2012, 2013, 2014]
    assert sum(row["amount"] for row in table) == Decimal("50500000.00")  # type: ignore[misc]
    # 2191 days from 2009 to 2014; 2012 has 366 of them. Each year's figure
    # adds two rounded pieces (the programme's two sectors), so it lies within
    # two cents of its exact value.
    for row in table:
        days = 366 if row["year"] == 2012 else 365
        exact = Fraction(50_500_000 * days, 2191)
        assert abs(Fraction(row["amount"]) - exact) < Fraction(2, 100)  # type: ignore[arg-type]
        assert (row["donor_id"], row["donor_share"]) == ("BE", "1")
        assert (row["currency"], row["amount_qualifier"]) == ("EUR", "exact")
        assert row["amount_kind"] == "budget"
    assert row_of(table, year=2012)["amount"] == Decimal("8435874.02")


def test_luxembourg_envelope_by_year() -> None:
    table = export.years(DATA, ["lu-envelope-2023-2024"])
    amounts = {row["year"]: row["amount"] for row in table}
    # 365 of 731 days in 2023.
    assert amounts == {2023: Decimal("20971272.23"), 2024: Decimal("21028727.77")}


def test_a_converted_row_carries_its_original_amount_and_rate() -> None:
    table = export.years(DATA, ["lu-envelope-2023-2024"], currency="USD")
    row = row_of(table, year=2024)
    # 366 of the envelope's 731 days, in euros, at 2024's mean rate.
    assert (row["original_amount"], row["original_currency"]) == (
        Decimal("21028727.77"),
        "EUR",
    )
    assert row["rate_basis"] == "annual-mean"
    assert (row["rate_year"], row["rate_date"]) == (2024, None)
    rate = row["rate"]
    assert isinstance(rate, Decimal)
    assert abs(row["original_amount"] * rate - row["amount"]) < Decimal("0.01")  # type: ignore[operator]
    same = row_of(export.years(DATA, ["lu-envelope-2023-2024"]), year=2024)
    assert (same["rate"], same["rate_basis"], same["rate_year"]) == (None, None, None)


def test_years_in_another_currency_convert_each_slice() -> None:
    table = export.years(DATA, ["be-icp-2009-2014"], currency="XOF")
    # The CFA franc is pegged: EUR 1 = XOF 655.957 exactly, no minor unit.
    assert sum(row["amount"] for row in table) == Decimal("33125828500")  # type: ignore[misc]
    assert all(row["currency"] == "XOF" for row in table)
    assert str(table.to_arrow().schema.field("amount").type) == "decimal128(38, 0)"


def test_unknown_amounts_have_a_row_per_donor_and_year_with_nothing_in_it() -> None:
    """As totals() leaves each of those cells open: the agropastoral phase
    seen in 2024, co-financed by Luxembourg and Switzerland; EUTM active
    from 2013 to 2018, its funder unnamed. Nothing bounds them above."""
    table = export.years(DATA, ["lu-agropastoral-ii", "eutm-mali"])
    nothing = (None, None, "EUR", *([None] * 7))  # no kind or amount, no rate

    def row(
        engagement: str, donor: str | None, share: str, year: int
    ) -> tuple[object, ...]:
        return (
            engagement,
            donor,
            share,
            year,
            *nothing,
            "unknown",
            None,
            Decimal("0.00"),
            None,
            None,
            None,
        )

    assert [tuple(row.values()) for row in table] == [
        row("lu-agropastoral-ii", "LU", "1/2", 2024),
        row("lu-agropastoral-ii", "CH", "1/2", 2024),
        *(row("eutm-mali", None, "1", year) for year in range(2013, 2019)),
    ]


def test_every_engagement_has_a_row() -> None:
    assert {row["engagement_id"] for row in export.years(DATA)} == {
        e.id for e in DATA.engagements
    }


def test_parts_name_the_engagement_that_holds_their_money() -> None:
    table = export.years(DATA)
    assert row_of(table, engagement_id="lu-humanitarian-2024")["counted_in"] == (
        "lu-envelope-2023-2024"
    )
    assert row_of(table, engagement_id="lu-floods-2024")["counted_in"] == (
        "lu-envelope-2023-2024"
    )
    # EUTM has no amount: its parts' money is in nothing else.
    assert row_of(table, engagement_id="lu-army-eutm")["counted_in"] is None
    # 50.5 + 55 + 2.6 + 42 million, each flow once: the envelope's rows hold
    # only what its parts leave, so every row counts.
    once = [row["amount"] for row in table if row["amount"]]
    assert sum(once) == Decimal("150100000.00")  # type: ignore[arg-type]
    envelope = [
        row["amount"]
        for row in table
        if row["engagement_id"] == "lu-envelope-2023-2024"
    ]
    assert sum(envelope) == Decimal("37750000.00")  # type: ignore[arg-type]


def test_a_part_exported_without_its_parent_is_counted_on_its_own() -> None:
    table = export.years(DATA, ["lu-humanitarian-2024"])
    assert row_of(table, engagement_id="lu-humanitarian-2024")["counted_in"] is None


def test_kinds_choose_the_amounts() -> None:
    table = export.years(
        DATA, ["be-icp-2009-2014", "lu-floods-2024"], kinds=["contribution"]
    )
    # Belgium's programme states no contribution: unknown in each of its years.
    programme = [row for row in table if row["engagement_id"] == "be-icp-2009-2014"]
    assert [row["year"] for row in programme] == list(range(2009, 2015))
    assert {row["amount_missing"] for row in programme} == {"unknown"}
    assert row_of(table, engagement_id="lu-floods-2024")["amount"] == Decimal(
        "250000.00"
    )


def test_amount_without_time_has_an_unknown_year() -> None:
    record = funded("a", amount("10.00 EUR"), active_in=[2020, 2021])
    row = export.years(WORLD, [record]).records()[0]
    assert (row["year"], row["amount"], row["amount_missing"]) == (
        None,
        Decimal("10.00"),
        None,
    )


def test_rows_of_an_engagement_in_year_then_donor_order() -> None:
    record = funded(
        "a",
        amount("3 EUR", period=Period.parse("2020/2021")),
        amount("1 EUR"),
        participants=[
            Participant(organisation="LU", role="funding", share="2/3"),
            Participant(organisation="be-defence", role="funding", share="1/3"),
        ],
    )
    table = export.years(WORLD, [record])
    assert [(r["year"], r["donor_id"], r["donor_share"]) for r in table] == [
        (2020, "LU", "2/3"),
        (2020, "BE", "1/3"),
        (2021, "LU", "2/3"),
        (2021, "BE", "1/3"),
        (None, "LU", "2/3"),
        (None, "BE", "1/3"),
    ]
    assert sum(r["amount"] for r in table) == Decimal("4.00")  # type: ignore[misc]


def test_no_rate_is_said() -> None:
    record = funded("a", amount("100 CAD", period=Period.parse("2020")))
    rates = Rates(annual={"USD": {2020: Decimal("1.14")}}, origin="test")
    row = export.years(WORLD, [record], rates=rates).records()[0]
    assert (row["amount"], row["year"], row["amount_missing"]) == (
        None,
        None,
        "no-rate",
    )


def test_unknown_currency_is_refused_even_for_no_rows() -> None:
    with pytest.raises(DataError, match="EURO"):
        export.years(DATA, [], currency="EURO")


# -- the Table class ----------------------------------------------------------------


def test_table_checks_its_rows() -> None:
    columns = [
        Column("n", "integer", "A number."),
        Column("d", "decimal", "An amount."),
    ]
    assert len(Table("t", columns, [[1, Decimal(1)]])) == 1
    with pytest.raises(ValueError, match="2 columns"):
        Table("t", columns, [(1,)])
    with pytest.raises(TypeError, match="decimal values"):
        Table("t", columns, [(1, 1.5)])  # type: ignore[list-item]
    with pytest.raises(TypeError, match="integer values"):
        Table("t", columns, [(True, None)])
    with pytest.raises(TypeError, match="decimal values"):
        Table("t", columns, [(1, Decimal("NaN"))])
    with pytest.raises(ValueError, match="twice"):
        Table("t", [*columns, Column("n", "string", "Again.")], [])
    with pytest.raises(ValueError, match="logical type"):
        Column("x", "float", "No.")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="scale"):
        Column("x", "string", "No.", scale=2)


def test_table_iterates_over_dicts_in_column_order() -> None:
    table = export.participants(DATA, ["be-icp-2009-2014"])
    (record,) = table.records()
    assert list(record) == list(PARTICIPANT_COLUMNS)
    assert list(table) == table.records()
    assert repr(table) == "<Table participants: 1 rows, 8 columns>"


def test_tables_are_frozen() -> None:
    table = export.years(DATA, ["lu-floods-2024"])
    with pytest.raises(AttributeError):
        table.rows = ()  # type: ignore[misc]


# -- CSV ----------------------------------------------------------------------------


def parse(kind: str, text: str) -> object:
    """A cell read back by hand from its documented text form."""
    if text == "":
        return None
    if kind == "integer":
        return int(text)
    if kind == "decimal":
        return Decimal(text)
    if kind == "date":
        return date.fromisoformat(text)
    if kind == "boolean":
        return {"true": True, "false": False}[text]
    return text


@pytest.mark.parametrize(
    "make", [export.engagements, export.participants, export.years]
)
def test_csv_reads_back_to_the_same_values(make: object) -> None:
    table = make(DATA)  # type: ignore[operator]
    reader = csv.reader(io.StringIO(table.to_csv(), newline=""))
    header = next(reader)
    assert header == [column.name for column in table.columns]
    back = [
        tuple(
            parse(column.type, cell)
            for column, cell in zip(table.columns, line, strict=True)
        )
        for line in reader
    ]
    assert back == list(table.rows)


def test_csv_cells_on_the_bundled_data() -> None:
    text = export.engagements(DATA, ["lu-envelope-2023-2024", "eutm-mali"]).to_csv()
    lines = list(csv.DictReader(io.StringIO(text)))
    assert lines[0]["amount"] == "42000000"
    assert lines[0]["period_start"] == "2023-01-01"
    assert lines[0]["period_approximate"] == "false"
    assert lines[1]["amount"] == ""
    assert lines[1]["donors"] == ""
    assert lines[1]["amount_missing"] == "unknown"


def test_csv_decimals_are_plain_digits() -> None:
    columns = [Column("amount", "decimal", "An amount.")]
    values = [
        Decimal("5.05E+7"),
        Decimal("1E-7"),
        Decimal("-0.50"),
        Decimal("123456789012345678901234567890.12"),
    ]
    text = Table("t", columns, [(value,) for value in values]).to_csv()
    assert (
        text
        == "amount\n50500000\n0.0000001\n-0.50\n123456789012345678901234567890.12\n"
    )


def test_csv_quotes_where_needed() -> None:
    columns = [Column("title", "string", "A title.")]
    text = Table("t", columns, [('Say "hi", then\ngo',)]).to_csv()
    assert list(csv.reader(io.StringIO(text))) == [["title"], ['Say "hi", then\ngo']]


def test_csv_to_a_path_and_to_an_open_file(tmp_path: Path) -> None:
    table = export.engagements(DATA, ["lu-undp-reforms"])
    path = tmp_path / "engagements.csv"
    assert table.to_csv(path) is None
    assert table.to_csv(str(tmp_path / "again.csv")) is None
    stream = io.StringIO()
    assert table.to_csv(stream) is None
    text = table.to_csv()
    assert path.read_bytes() == text.encode("utf-8")
    assert (tmp_path / "again.csv").read_text("utf-8") == text
    assert stream.getvalue() == text
    assert "réformes" in path.read_text("utf-8")


def test_empty_table_csv_is_its_header() -> None:
    assert export.years(DATA, []).to_csv() == ",".join(YEAR_COLUMNS) + "\n"


# -- JSON ---------------------------------------------------------------------------


@pytest.mark.parametrize(
    "make", [export.engagements, export.participants, export.years]
)
def test_json_reads_back_to_the_same_values(make: object) -> None:
    table = make(DATA)  # type: ignore[operator]
    objects = json.loads(table.to_json())
    assert len(objects) == len(table)
    for loaded, row in zip(objects, table.rows, strict=True):
        assert list(loaded) == [column.name for column in table.columns]
        back = []
        for column in table.columns:
            value = loaded[column.name]
            if value is not None and column.type == "decimal":
                assert isinstance(value, str)
                value = Decimal(value)
            elif value is not None and column.type == "date":
                value = date.fromisoformat(value)
            back.append(value)
        assert tuple(back) == row


def test_json_keeps_amounts_as_exact_strings() -> None:
    text = export.years(DATA, ["be-icp-2009-2014"]).to_json()
    first = json.loads(text)[0]
    assert first["amount"] == "8412825.20"
    assert first["year"] == 2009
    assert '"amount": "8412825.20"' in text
    record = json.loads(export.engagements(DATA, ["eutm-mali"]).to_json())[0]
    assert record["amount"] is None
    assert record["period_start"] == "2013-02-01"


def test_json_lines_and_files(tmp_path: Path) -> None:
    table = export.participants(DATA, ["lu-agropastoral-ii"])
    lines = table.to_json(lines=True).splitlines()
    assert [json.loads(line)["organisation_id"] for line in lines] == [
        "LU",
        "CH",
        "luxdev",
    ]
    path = tmp_path / "participants.json"
    assert table.to_json(path) is None
    assert json.loads(path.read_text("utf-8")) == json.loads(table.to_json())
    stream = io.StringIO()
    table.to_json(stream, lines=True)
    assert stream.getvalue() == table.to_json(lines=True)


def test_json_of_an_empty_table() -> None:
    assert export.engagements(DATA, []).to_json() == "[]\n"
    assert export.engagements(DATA, []).to_json(lines=True) == ""


def test_json_keeps_accents_as_they_are() -> None:
    text = export.engagements(DATA, ["lu-undp-reforms"]).to_json()
    assert "réformes" in text


# -- pandas -------------------------------------------------------------------------


def test_pandas_dtypes() -> None:
    pandas = pytest.importorskip("pandas")
    frame = export.engagements(DATA).to_pandas()
    assert list(frame.columns) == list(ENGAGEMENT_COLUMNS)
    assert len(frame) == 47
    assert frame["id"].dtype == pandas.StringDtype()
    assert str(frame["period_start"].dtype) == "datetime64[s]"
    assert str(frame["period_approximate"].dtype) == "boolean"
    assert frame["amount"].dtype == object
    envelope = frame.set_index("id").loc["lu-envelope-2023-2024"]
    assert envelope["amount"] == Decimal("42000000")
    assert isinstance(envelope["amount"], Decimal)
    assert envelope["period_start"] == pandas.Timestamp("2023-01-01")
    unknown = frame.set_index("id").loc["eutm-mali"]
    assert unknown["amount"] is None
    assert pandas.isna(unknown["donors"])
    assert pandas.isna(unknown["period_end"])
    assert frame["amount"].isna().sum() == 41

    years = export.years(DATA).to_pandas()
    assert str(years["year"].dtype) == "Int64"
    belgium = years[years["engagement_id"] == "be-icp-2009-2014"]
    assert sum(belgium["amount"]) == Decimal("50500000.00")


def test_pandas_of_an_empty_table_keeps_its_dtypes() -> None:
    pytest.importorskip("pandas")
    frame = export.years(DATA, []).to_pandas()
    assert list(frame.columns) == list(YEAR_COLUMNS)
    assert len(frame) == 0
    assert str(frame["year"].dtype) == "Int64"
    assert str(frame["engagement_id"].dtype) == "string"
    dates = export.engagements(DATA, []).to_pandas()
    assert str(dates["period_end"].dtype) == "datetime64[s]"


# -- Arrow and Parquet --------------------------------------------------------------


def test_arrow_schema_and_values() -> None:
    pytest.importorskip("pyarrow")
    table = export.engagements(DATA)
    arrow = table.to_arrow()
    types = {field.name: str(field.type) for field in arrow.schema}
    assert types["id"] == "string"
    assert types["amount"] == "decimal128(38, 4)"
    assert types["period_start"] == "date32[day]"
    assert types["period_approximate"] == "bool"
    assert arrow.schema.metadata == {b"mali_aid.table": b"engagements"}
    assert (
        arrow.schema.field("amount").metadata[b"description"].startswith(b"The amount")
    )
    assert arrow.num_rows == 47
    assert [tuple(row.values()) for row in arrow.to_pylist()] == list(table.rows)

    years = export.years(DATA).to_arrow()
    assert str(years.schema.field("year").type) == "int64"
    assert str(years.schema.field("amount").type) == "decimal128(38, 2)"


def test_arrow_of_an_empty_table_keeps_its_types() -> None:
    pyarrow = pytest.importorskip("pyarrow")
    arrow = export.years(DATA, []).to_arrow()
    assert arrow.num_rows == 0
    assert arrow.schema.field("amount").type == pyarrow.decimal128(38, 2)
    assert arrow.schema.field("year").type == pyarrow.int64()
    assert arrow.schema.field("engagement_id").type == pyarrow.string()
    empty = export.engagements(DATA, []).to_arrow()
    assert empty.schema.field("period_start").type == pyarrow.date32()
    assert empty.schema.field("amount").type == pyarrow.decimal128(38, 4)


def test_arrow_scale_widens_rather_than_round() -> None:
    pytest.importorskip("pyarrow")
    record = funded("a", amount("0.123456 EUR"))
    arrow = export.engagements(WORLD, [record]).to_arrow()
    assert str(arrow.schema.field("amount").type) == "decimal128(38, 6)"
    assert arrow.column("amount").to_pylist() == [Decimal("0.123456")]
    loose = Table(
        "t",
        [Column("d", "decimal", "A figure.")],
        [(Decimal("1.5"),), (Decimal("2.125"),)],
    )
    assert str(loose.to_arrow().schema.field("d").type) == "decimal128(38, 3)"


def test_parquet_writes_and_reads_back(tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    import pyarrow.parquet  # type: ignore[import-untyped]

    for table in (export.engagements(DATA), export.years(DATA), export.years(DATA, [])):
        path = tmp_path / f"{table.name}-{len(table)}.parquet"
        table.to_parquet(path)
        back = pyarrow.parquet.read_table(path)
        assert back.schema.equals(table.to_arrow().schema, check_metadata=True)
        assert [tuple(row.values()) for row in back.to_pylist()] == list(table.rows)


def test_parquet_reads_in_pandas(tmp_path: Path) -> None:
    pandas = pytest.importorskip("pandas")
    pytest.importorskip("pyarrow")
    path = tmp_path / "years.parquet"
    export.years(DATA, ["lu-envelope-2023-2024"]).to_parquet(str(path))
    frame = pandas.read_parquet(path)
    assert list(frame["amount"]) == [Decimal("20971272.23"), Decimal("21028727.77")]


# -- optional dependencies ----------------------------------------------------------


def run(code: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout


@pytest.mark.parametrize(
    ("module", "call", "hint"),
    [
        ("pandas", "to_pandas()", "pip install 'mali-aid[pandas]'"),
        ("pyarrow", "to_arrow()", "pip install 'mali-aid[arrow]'"),
        (
            "pyarrow",
            "to_parquet('never-written.parquet')",
            "pip install 'mali-aid[arrow]'",
        ),
    ],
)
def test_missing_extra_is_named(
    module: str, call: str, hint: str, tmp_path: Path
) -> None:
    code = (
        f"import sys; sys.modules[{module!r}] = None\n"
        "import mali_aid\n"
        "from mali_aid import export\n"
        "table = export.years(mali_aid.load(), ['lu-floods-2024'])\n"
        "print(table.to_csv(), end='')\n"
        "try:\n"
        f"    table.{call}\n"
        "except ImportError as error:\n"
        "    print(error)\n"
    )
    output = run(f"import os; os.chdir({str(tmp_path)!r})\n" + code)
    assert hint in output
    assert f"Table.{call.partition('(')[0]}() needs {module}" in output
    assert output.startswith("engagement_id,")
    assert not (tmp_path / "never-written.parquet").exists()


def test_importing_export_imports_neither_pandas_nor_pyarrow() -> None:
    code = (
        "import sys, mali_aid\n"
        "from mali_aid import export\n"
        "export.years(mali_aid.load()).to_csv()\n"
        "print(sorted(m for m in ('pandas', 'pyarrow', 'numpy') if m in sys.modules))\n"
    )
    assert run(code).strip() == "[]"
