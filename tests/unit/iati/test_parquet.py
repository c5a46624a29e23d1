"""write_years(): the years table as Parquet by publisher and year, and totals over
the directory with DuckDB that agree with totals() to the cent."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, given, settings

import mali_aid
from mali_aid import iati
from mali_aid import strategies as mas

from .builders import activity, document


def query(folder: Path, by: str) -> dict[object, Decimal]:
    """Totals by ``by`` (donor_id, year or both) over the directory, in DuckDB."""
    sql = (
        f"SELECT {by}, sum(amount) FROM read_parquet('{folder}/**/*.parquet')"
        f" WHERE amount IS NOT NULL GROUP BY ALL"
    )
    found = {}
    for *key, amount in duckdb.sql(sql).fetchall():
        found[key[0] if len(key) == 1 else tuple(key)] = amount
    return found


def expected(data: mali_aid.Dataset, by: object) -> dict[object, Decimal]:
    result = mali_aid.totals(data.engagements, by=by, currency="EUR", data=data)  # type: ignore[arg-type]
    return {
        key: cell.best.amount for key, cell in result.items() if cell.best is not None
    }


class TestTheBundledData:
    def test_files_by_publisher_and_year(self, tmp_path: Path) -> None:
        files = iati.write_years(mali_aid.load(), tmp_path / "years")
        folders = {(f.parent.parent.name, f.parent.name) for f in files}
        # Belgium's cooperation programme of 2009-2014, from its own page.
        assert ("publisher=Belgian%20development%20cooperation", "year=2009") in folders
        # The Luxembourg army's EUTM personnel: years unknown.
        assert any(year == "year=__HIVE_DEFAULT_PARTITION__" for _, year in folders)
        assert {name for name, _ in folders} == {
            "publisher=Belgian%20Defence",
            "publisher=Belgian%20development%20cooperation",
            "publisher=Federation%20of%20Canadian%20Municipalities",
            "publisher=Luxembourg%20development%20cooperation%20%28annual%20report%2C"
            "%20section%20on%20Mali%29",
            "publisher=Luxembourg%20foreign%20ministry",
        }
        assert all(f.name == "part-0.parquet" for f in files)
        # Each file holds only its publisher and year, every column included,
        # the amounts as exact decimals of two places.
        for file in files:
            table = pq.read_table(file)
            assert len(set(table["publisher"].to_pylist())) == 1
            years = set(table["year"].to_pylist())
            folder = file.parent.name.removeprefix("year=")
            unknown = folder == "__HIVE_DEFAULT_PARTITION__"
            assert years == ({None} if unknown else {int(folder)})
            assert table.schema.field("amount").type.scale == 2

    @pytest.mark.parametrize(
        ("by", "columns"),
        [
            ("donor", "donor_id"),
            ("year", "year"),
            (("donor", "year"), "donor_id, year"),
        ],
    )
    def test_duckdb_over_the_files_gives_the_totals(
        self, tmp_path: Path, by: object, columns: str
    ) -> None:
        data = mali_aid.load()
        iati.write_years(data, tmp_path / "years")
        assert query(tmp_path / "years", columns) == expected(data, by)

    def test_belgium_over_the_files(self, tmp_path: Path) -> None:
        iati.write_years(mali_aid.load(), tmp_path / "years")
        assert query(tmp_path / "years", "donor_id")["BE"] == Decimal("50500000.00")

    def test_nothing_is_overwritten(self, tmp_path: Path) -> None:
        (tmp_path / "years").mkdir()
        (tmp_path / "years" / "keep.txt").write_text("mine")
        with pytest.raises(mali_aid.DataError, match="new or empty"):
            iati.write_years(mali_aid.load(), tmp_path / "years")
        assert (tmp_path / "years" / "keep.txt").read_text() == "mine"


def test_an_iati_file_over_its_publisher(tmp_path: Path) -> None:
    xml = document(
        activity(
            '<reporting-org ref="XM-DAC-2"><narrative>Belgium</narrative></reporting-org>'
            '<participating-org ref="XM-DAC-2" role="1"/>'
            '<recipient-country code="ML"/>'
            '<transaction><transaction-type code="2"/>'
            '<value value-date="2024-01-15" currency="EUR">1000.50</value></transaction>',
            identifier="XM-DAC-2-P1",
        )
    )
    source = tmp_path / "belgium.xml"
    source.write_bytes(xml)
    data = iati.read_activities(source).dataset(mali_aid.load())
    files = iati.write_years(data, tmp_path / "years")
    assert any(
        f.parent.parent.name == "publisher=Belgium" and f.parent.name == "year=2024"
        for f in files
    )
    assert query(tmp_path / "years", "donor_id, year") == expected(
        data, ("donor", "year")
    )


@settings(
    max_examples=25,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(mas.collections(currencies=["EUR"], max_engagements=8))
def test_any_collection_totals_the_same_over_its_files(
    tmp_path_factory: pytest.TempPathFactory, collection: mas.Collection
) -> None:
    data = collection.dataset()
    folder = tmp_path_factory.mktemp("years") / "years"
    if not iati.write_years(data, folder):
        assert len(data.engagements) == 0  # no rows, no files
        return
    assert query(folder, "donor_id, year") == {
        (None if key[0] is None else key[0], key[1]): value
        for key, value in expected(data, ("donor", "year")).items()
    }
