"""Invariants of the export tables on random consistent collections."""

from __future__ import annotations

import csv
import io
import json
from collections import defaultdict
from datetime import date
from decimal import Decimal
from random import Random

import pandas
from hypothesis import given, settings
from hypothesis import strategies as st

from mali_aid import Money, Totals, export, totals
from mali_aid import strategies as mas
from mali_aid._aggregate import contributing_amounts
from mali_aid.export import Table, Value

# Money the bundled rates can convert: periods and value dates from 1999 to 2025.
CONVERTIBLE = {"min_date": date(1999, 1, 4), "max_date": date(2025, 12, 31)}


def by_engagement(table: Table) -> dict[str, list[dict[str, Value]]]:
    groups: dict[str, list[dict[str, Value]]] = defaultdict(list)
    key = "id" if table.name == "engagements" else "engagement_id"
    for row in table:
        value = row[key]
        assert isinstance(value, str)
        groups[value].append(row)
    return dict(groups)


def amount_sum(rows: list[dict[str, Value]]) -> Decimal:
    total = Decimal(0)
    for row in rows:
        value = row["amount"]
        assert isinstance(value, Decimal)
        total += value
    return total


@settings(max_examples=60)
@given(mas.collections(currencies=["EUR"]))
def test_in_one_currency_each_engagement_keeps_its_amount_to_the_cent(
    collection: mas.Collection,
) -> None:
    data = collection.dataset()
    # Whole engagements, in and outside Mali: rows then keep each amount.
    years = by_engagement(export.years(data, scope="all"))
    rows = by_engagement(export.engagements(data))
    for engagement in data.engagements:
        counted = contributing_amounts(engagement)
        (row,) = rows[engagement.id]
        if not counted:
            assert row["amount"] is None
            assert row["amount_missing"] == "unknown"
            assert all(r["amount"] is None for r in years[engagement.id])
            assert {r["amount_missing"] for r in years[engagement.id]} == {"unknown"}
            continue
        expected = sum((amount.money for amount in counted), Money("0", "EUR"))
        assert row["amount"] == expected.amount
        assert row["amount_missing"] is None
        assert all(r["amount_missing"] is None for r in years[engagement.id])
        if not data.parts(engagement):
            # A container's rows hold only what its parts leave.
            assert amount_sum(years[engagement.id]) == expected.amount


PIVOTS = {
    "donor": ["donor_id"],
    "year": ["year"],
    "kind": ["amount_kind"],
    ("donor", "year"): ["donor_id", "year"],
    ("donor", "year", "kind"): ["donor_id", "year", "amount_kind"],
}


def total_over(collection: mas.Collection, **options: object) -> Totals:
    data = collection.dataset()
    return totals(data.engagements, data=data, **options)  # type: ignore[arg-type]


@settings(max_examples=60)
@given(
    mas.collections(**CONVERTIBLE),  # type: ignore[arg-type]
    st.sampled_from(list(PIVOTS)),
    st.sampled_from(["EUR", "USD"]),
)
def test_a_pandas_pivot_of_the_years_table_gives_the_totals(
    collection: mas.Collection, by: str | tuple[str, ...], currency: str
) -> None:
    # Safe to pivot: summing the amount column over any grouping gives the
    # figures of totals(), to the cent.
    result = total_over(collection, by=by, currency=currency)
    frame = export.years(collection.dataset(), currency=currency).to_pandas()
    known = frame[frame["amount"].notna()]
    columns = PIVOTS[by]
    pivot = known.groupby(columns, dropna=False)["amount"].sum()
    expected = {
        key: cell.best.amount for key, cell in result.items() if cell.best is not None
    }

    def plain(key: object) -> object:
        parts = key if isinstance(key, tuple) else (key,)
        cleaned = tuple(None if pandas.isna(part) else part for part in parts)
        return cleaned if len(cleaned) > 1 else cleaned[0]

    got = {plain(key): value for key, value in pivot.items()}
    assert got == expected


@settings(max_examples=40)
@given(mas.collections(currencies=["EUR", "XOF"]), st.randoms(use_true_random=False))
def test_rows_do_not_depend_on_the_order_of_the_engagements(
    collection: mas.Collection, random: Random
) -> None:
    data = collection.dataset()
    shuffled = list(data.engagements)
    random.shuffle(shuffled)
    for make in (export.engagements, export.participants, export.years):
        given_order = make(data)
        other_order = make(data, shuffled)
        assert by_engagement(given_order) == by_engagement(other_order)
        seen = [
            row["id" if given_order.name == "engagements" else "engagement_id"]
            for row in other_order
        ]
        assert list(dict.fromkeys(seen)) == [
            engagement.id
            for engagement in shuffled
            if engagement.id in by_engagement(other_order)
        ]
        assert make(data) == given_order


@settings(max_examples=40)
@given(mas.collections())
def test_every_engagement_and_participant_has_its_rows(
    collection: mas.Collection,
) -> None:
    data = collection.dataset()
    engagements = export.engagements(data)
    participants = export.participants(data)
    assert [row["id"] for row in engagements] == [e.id for e in data.engagements]
    assert len(participants) == sum(len(e.participants) for e in data.engagements)
    for row in engagements:
        assert (row["amount"] is None) == (row["amount_missing"] is not None)
    for row in export.years(data, currency="EUR"):
        assert (row["amount"] is None) == (row["amount_missing"] is not None)


def read_csv(table: Table, text: str) -> list[tuple[Value, ...]]:
    readers = {
        "string": str,
        "integer": int,
        "decimal": Decimal,
        "date": date.fromisoformat,
        "boolean": {"true": True, "false": False}.__getitem__,
    }
    lines = list(csv.reader(io.StringIO(text, newline="")))
    assert lines[0] == list(table.column_names)
    return [
        tuple(
            None if cell == "" else readers[column.type](cell)
            for column, cell in zip(table.columns, line, strict=True)
        )
        for line in lines[1:]
    ]


def read_json(table: Table, text: str) -> list[tuple[Value, ...]]:
    rows = []
    for loaded in json.loads(text):
        assert list(loaded) == list(table.column_names)
        row: list[Value] = []
        for column in table.columns:
            value = loaded[column.name]
            if value is not None and column.type == "decimal":
                value = Decimal(value)
            elif value is not None and column.type == "date":
                value = date.fromisoformat(value)
            row.append(value)
        rows.append(tuple(row))
    return rows


@settings(max_examples=40)
@given(mas.collections(**CONVERTIBLE))  # type: ignore[arg-type]
def test_csv_json_and_arrow_give_back_every_value(collection: mas.Collection) -> None:
    data = collection.dataset()
    for table in (
        export.engagements(data),
        export.participants(data),
        export.years(data, currency="XOF"),
    ):
        assert read_csv(table, table.to_csv()) == list(table.rows)
        assert read_json(table, table.to_json()) == list(table.rows)
        arrow = table.to_arrow()
        assert [tuple(row.values()) for row in arrow.to_pylist()] == list(table.rows)
