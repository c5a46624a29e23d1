"""Totals over the years table (an Arrow table, Parquet files) equal totals()."""

from __future__ import annotations

from decimal import ROUND_FLOOR, Decimal
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import mali_aid
from mali_aid import Cell, Money, Totals, _table_totals, export, iati
from mali_aid import strategies as mas

pa = pytest.importorskip("pyarrow")

BY = st.sampled_from(
    [
        "donor",
        "year",
        "kind",
        "engagement",
        ("donor", "year"),
        ("donor", "year", "kind"),
    ]
)


FIELDS = ("by", "currency", "total", "unknown", "contained", "unconverted", "kinds")


def same(got: Totals, expected: Totals, *, ordered: bool = True) -> None:
    """Every field the table carries: cells (figures, bounds, basis, the
    unknown and unconverted in each), the total, the lists and the kinds.
    Not ``ordered``: the lists of engagements compared as sets (files of a
    directory are read folder by folder, not in the engagements' order)."""
    if not ordered:
        got, expected = unordered(got), unordered(expected)
    assert dict(got.cells) == dict(expected.cells)
    for name in FIELDS:
        assert getattr(got, name) == getattr(expected, name), name


def unordered(totals: Totals) -> Totals:
    def cell(one: Cell) -> Cell:
        return attrs.evolve(
            one,
            unknown=tuple(sorted(one.unknown)),
            unconverted=tuple(sorted(one.unconverted)),
        )

    return attrs.evolve(
        totals,
        cells={key: cell(value) for key, value in totals.cells.items()},
        total=cell(totals.total),
        unknown=tuple(sorted(totals.unknown)),
        contained=tuple(sorted(totals.contained)),
        unconverted=tuple(sorted(totals.unconverted)),
    )


#: Small datasets that use every rule the years table carries.
COLLECTIONS = mas.collections(
    max_engagements=8,
    multi_country=True,
    parts=True,
    unknown_amounts=True,
    open_periods=True,
    co_financing=True,
    convertible=True,
)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    COLLECTIONS,
    BY,
    st.sampled_from(["EUR", "XOF", "USD"]),
    st.sampled_from(["mali", "all"]),
)
def test_the_arrow_table_totals_as_totals_does(
    collection: mas.Collection, by: str | tuple[str, ...], currency: str, scope: str
) -> None:
    data = collection.dataset()
    expected = mali_aid.totals(
        data.engagements,
        by=by,
        currency=currency,
        data=data,
        scope=scope,  # type: ignore[arg-type]
    )
    table = export.years(data, currency=currency, scope=scope).to_arrow()  # type: ignore[arg-type]
    same(export.totals_of_years(table, by=by, currency=currency), expected)
    if len(table):  # the rows name their currency
        same(export.totals_of_years(table, by=by), expected)


@settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
@given(mas.collections(max_engagements=6, parts=True, unknown_amounts=True), BY)
def test_parquet_files_by_publisher_and_year_total_the_same(
    tmp_path_factory: pytest.TempPathFactory,
    collection: mas.Collection,
    by: str | tuple[str, ...],
) -> None:
    data = collection.dataset()
    folder = tmp_path_factory.mktemp("years") / "years"
    if not iati.write_years(data, folder):
        return  # no engagements, no files
    expected = mali_aid.totals(data.engagements, by=by, data=data)  # type: ignore[arg-type]
    same(export.totals_of_years(folder, by=by), expected, ordered=False)


def exactly(money: Money | None) -> object:
    """A figure with its exponent: 1.00 and 1.0 are told apart."""
    return None if money is None else (money.amount.as_tuple(), money.currency)


def identical(got: Totals, expected: Totals) -> None:
    """Every field, the cells in the same order, each figure to its exponent
    and each list of engagements in the same order."""
    assert list(got.cells) == list(expected.cells)
    for key, cell in expected.cells.items():
        assert got.cells[key] == cell, key
        for name in ("best", "low", "high"):
            assert exactly(getattr(got.cells[key], name)) == exactly(
                getattr(cell, name)
            ), (key, name)
    for name in ("best", "low", "high"):
        assert exactly(getattr(got.total, name)) == exactly(
            getattr(expected.total, name)
        )
    for name in (*FIELDS, "conversions", "outside_scope", "rates_origin"):
        assert getattr(got, name) == getattr(expected, name), name


def scaled(table: pa.Table, factor: int) -> pa.Table:
    """The table with its money columns ``factor`` times larger: sums past
    int64, added in limbs of 32 bits."""
    for name in ("amount", "low", "high"):
        column = table[name]
        values = [
            None if value is None else value * factor for value in column.to_pylist()
        ]
        table = table.set_column(
            table.schema.get_field_index(name),
            table.schema.field(name),
            pa.array(values, type=column.type),
        )
    return table


def both(table: pa.Table, by: str | tuple[str, ...], currency: str) -> None:
    dimensions = (by,) if isinstance(by, str) else by
    columnar = _table_totals._columnar_totals(table, dimensions, currency)
    reference = _table_totals._reference_totals_of_years(table, dimensions, currency)
    if not len(table):
        assert columnar is None  # an empty table goes to the reference
        return
    assert columnar is not None
    identical(columnar, reference)


@settings(max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(
    COLLECTIONS,
    BY,
    st.sampled_from(["EUR", "XOF", "USD"]),
    st.sampled_from(["mali", "all"]),
    st.data(),
)
def test_the_columnar_sums_equal_the_reference_rows(
    collection: mas.Collection,
    by: str | tuple[str, ...],
    currency: str,
    scope: str,
    data: st.DataObject,
) -> None:
    """The columnar path and the row-by-row reference give the same Totals,
    field by field and in the same order: over the exported table, over it
    cut into chunks or sliced (buffers read at an offset), and with amounts
    too large for int64 sums."""
    table = export.years(
        collection.dataset(),
        currency=currency,
        scope=scope,  # type: ignore[arg-type]
    ).to_arrow()
    both(table, by, currency)
    cut = data.draw(st.integers(0, len(table)), label="cut")
    both(pa.concat_tables([table.slice(0, cut), table.slice(cut)]), by, currency)
    both(table.slice(cut), by, currency)
    both(scaled(table, data.draw(st.sampled_from([10**9, 10**20]))), by, currency)


def test_money_columns_of_other_scales() -> None:
    """Fewer decimal places than the currency's are read exactly; more go
    to the reference, which truncates as it always has."""
    table = export.years(mali_aid.load()).to_arrow()
    for scale in (0, 3):
        other = table
        for name in ("amount", "low", "high"):
            index = other.schema.get_field_index(name)
            values = [
                None
                if value is None
                else value.quantize(Decimal(1).scaleb(-scale), ROUND_FLOOR)
                for value in other[name].to_pylist()
            ]
            other = other.set_column(
                index, name, pa.array(values, type=pa.decimal128(38, scale))
            )
        columnar = _table_totals._columnar_totals(other, ("donor",), "EUR")
        assert (columnar is None) == (scale > 2)
        if columnar is not None:
            identical(
                columnar,
                _table_totals._reference_totals_of_years(other, ("donor",), "EUR"),
            )
        same(
            export.totals_of_years(other),
            _table_totals._reference_totals_of_years(other, ("donor",), "EUR"),
        )


def test_dictionary_columns_go_to_the_reference(tmp_path: Path) -> None:
    """A key column stored as a dictionary (a Parquet file written from
    one) is read by the reference: its nulls are masked in the indices."""
    import pyarrow.compute as pc
    import pyarrow.parquet as pq

    table = export.years(mali_aid.load()).to_arrow()
    index = table.schema.get_field_index("donor_id")
    coded = table.set_column(index, "donor_id", pc.dictionary_encode(table["donor_id"]))
    assert _table_totals._columnar_totals(coded, ("donor",), "EUR") is None
    path = tmp_path / "years.parquet"
    pq.write_table(coded, path)
    same(export.totals_of_years(path), export.totals_of_years(table))


def test_distinct_codes_of_a_large_range() -> None:
    """Codes too sparse for a mask of every value are hashed instead."""
    import numpy as np

    values = np.array([5, 3, 5, 10**12], dtype=np.int64)
    assert sorted(_table_totals._distinct(values, 10**13)) == [3, 5, 10**12]
    assert _table_totals._distinct(values[:3], 8) == [3, 5]


class TestTheBundledData:
    @pytest.mark.parametrize(
        "by",
        ["donor", "year", "kind", "engagement", ("donor", "year"), ("year", "kind")],
    )
    def test_every_grouping(self, by: str | tuple[str, ...]) -> None:
        data = mali_aid.load()
        table = export.years(data).to_arrow()
        same(
            export.totals_of_years(table, by=by),
            mali_aid.totals(data.engagements, by=by, data=data),  # type: ignore[arg-type]
        )

    def test_belgium_and_luxembourg_in_2024(self, tmp_path: Path) -> None:
        data = mali_aid.load()
        path = tmp_path / "years.parquet"
        export.years(data).to_parquet(path)
        by_donor = export.totals_of_years(path)
        assert str(by_donor["BE"]) == "EUR 50,500,000.00, at least"
        by_year = export.totals_of_years(path, by=("donor", "year"))
        assert str(by_year[("LU", 2024)]) == "EUR 23,150,820.79, at least, an estimate"
        # The Luxembourg army's EUTM personnel: an amount no source gives.
        assert "lu-army-eutm" in by_donor["LU"].unknown

    def test_conversions_carry_the_table_rates(self) -> None:
        data = mali_aid.load()
        result = export.totals_of_years(export.years(data, currency="USD").to_arrow())
        assert result.currency == "USD"
        assert result.conversions
        assert all(c.target == "USD" and c.factor for c in result.conversions)
        assert result.rates_origin is None


class TestWhatItRefuses:
    def test_a_dimension_the_table_does_not_hold(self) -> None:
        table = export.years(mali_aid.load()).to_arrow()
        with pytest.raises(mali_aid.DataError, match="donor, year, kind, engagement"):
            export.totals_of_years(table, by="sector")

    def test_not_a_table(self) -> None:
        with pytest.raises(mali_aid.DataError, match="pyarrow Table"):
            export.totals_of_years([1, 2, 3])

    def test_not_a_years_table(self) -> None:
        table = export.engagements(mali_aid.load()).to_arrow()
        with pytest.raises(mali_aid.DataError, match="not a years table"):
            export.totals_of_years(table)

    def test_not_parquet(self, tmp_path: Path) -> None:
        path = tmp_path / "years.parquet"
        path.write_text("not parquet")
        with pytest.raises(mali_aid.DataError, match="cannot read it as Parquet"):
            export.totals_of_years(path)

    def test_a_currency_the_table_is_not_in(self) -> None:
        table = export.years(mali_aid.load()).to_arrow()
        with pytest.raises(mali_aid.DataError, match="in EUR, not USD"):
            export.totals_of_years(table, currency="USD")

    def test_two_currencies_at_once(self) -> None:
        import pyarrow as pa

        data = mali_aid.load()
        both = pa.concat_tables(
            [
                export.years(data).to_arrow(),
                export.years(data, currency="USD").to_arrow(),
            ],
            promote_options="permissive",
        )
        with pytest.raises(mali_aid.DataError, match="mixes currencies"):
            export.totals_of_years(both)
