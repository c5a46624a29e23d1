"""How big the years table is as Parquet, and how fast DuckDB totals it.

Builds N synthetic engagements (those of ``benchmarks/aggregate.py``),
writes them with ``mali_aid.iati.write_years`` into a temporary directory,
then totals by donor and year with DuckDB over the files (best of three)
with ``export.totals_of_years`` over the same files (no engagement objects),
and with ``totals()`` (warm: its columns built by a first call), and checks
that all give the same figures to the cent::

    pip install -e ".[bench,arrow]"
    python benchmarks/parquet.py -n 20000
"""

from __future__ import annotations

import argparse
import sys
import tempfile
import time
from pathlib import Path

import duckdb
from aggregate import build

from mali_aid import Dataset, export, iati, totals


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=20_000)
    args = parser.parse_args(argv)
    organisations, records = build(args.count)
    data = Dataset(organisations=organisations.organisations, engagements=records)
    with tempfile.TemporaryDirectory() as folder:
        started = time.perf_counter()
        files = iati.write_years(data, Path(folder) / "years")
        writing = time.perf_counter() - started
        size = sum(file.stat().st_size for file in files)
        query = (
            f"SELECT donor_id, year, sum(amount) FROM read_parquet('{folder}/years/**/*.parquet')"
            " WHERE amount IS NOT NULL GROUP BY ALL"
        )
        times, ours_times = [], []
        for _ in range(3):  # interleaved rounds
            started = time.perf_counter()
            rows = duckdb.sql(query).fetchall()
            times.append(time.perf_counter() - started)
            started = time.perf_counter()
            from_files = export.totals_of_years(
                Path(folder) / "years", by=("donor", "year")
            )
            ours_times.append(time.perf_counter() - started)
    by = ("donor", "year")
    totals(data.engagements, by=by, currency="EUR", data=data)
    started = time.perf_counter()
    result = totals(data.engagements, by=by, currency="EUR", data=data)
    warm = time.perf_counter() - started
    ours = {
        key: cell.best.amount for key, cell in result.items() if cell.best is not None
    }
    assert {(donor, year): amount for donor, year, amount in rows} == ours
    assert dict(from_files.cells) == dict(result.cells)
    print(f"{args.count:,} engagements: {len(files)} files, {size / 2**20:.1f} MiB")
    print(f"{'write_years':<32} {writing:8.2f} s")
    print(f"{'DuckDB by donor and year (best)':<32} {min(times):8.3f} s")
    print(f"{'totals() by donor and year, warm':<32} {warm:8.3f} s")
    print(f"{'totals_of_years over the files':<32} {min(ours_times):8.3f} s")
    print(f"the same {len(ours):,} figures to the cent")
    return 0


if __name__ == "__main__":
    sys.exit(main())
