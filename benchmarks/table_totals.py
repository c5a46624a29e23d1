"""How fast export.totals_of_years totals a years table, against DuckDB and pandas.

The workload: a synthetic ``years`` table of N rows (1,000,000 by default)
in the export schema (that of ``export.years(...).to_arrow()``), made
directly with numpy and pyarrow, not from engagement objects (ten million
rows of them would not fit in memory), and written as Parquet files of a
million rows each into a temporary directory. Its engagements have 1 to 5
rows each (one per year within 2000-2024), from 50 donors, in 5 original
currencies converted into EUR at one annual mean rate per currency and
year; 10 % of the engagements have no amount (``unknown``), 1 % no rate
(``no-rate``), 1 % lie inside a counted container (no bounds), 7 % are
"at least" (no ``high``) and 3 % estimates (``low`` below and ``high``
above the amount).

It times, in interleaved rounds (medians), the same work done three ways
over the files, by donor and by donor and year: the figures, bounds and
known/open flags of each cell, the engagements of unknown amount and with
no rate in each, and the bases met in each:

- ``export.totals_of_years(folder, by=...)``, exact (minor units in int64,
  or in 32-bit limbs past it), with the engagements of each cell in the
  rows' order;
- DuckDB: one ``GROUP BY`` over ``read_parquet`` (decimal sums, exact,
  ``list(DISTINCT ...)`` for the engagements and bases);
- pandas: ``read_parquet`` with Arrow dtypes, a ``groupby`` of the decimal
  sums and counts, and a second ``groupby`` for the engagements of unknown
  amount.

It also times ``totals_of_years`` and DuckDB over the table already in
memory, which leaves the reading of Parquet out. Once, it checks that
``totals_of_years`` gives the DuckDB sums, to the cent, cell by cell.
``--reference`` also times the row-by-row reference once (slow: use a small
``-n``).

::

    pip install -e ".[bench,arrow]"
    python benchmarks/table_totals.py                 # 1,000,000 rows
    python benchmarks/table_totals.py -n 10000000 -r 3
    python benchmarks/table_totals.py -n 60000 --reference

Ratios above 1 mean totals_of_years is slower than the baseline.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb
import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.dataset
import pyarrow.parquet as pq

import mali_aid
from mali_aid import Dataset, export

DONORS = [f"D{index:02d}" for index in range(50)]
CURRENCIES = ("EUR", "XOF", "USD", "CHF", "GBP")
#: EUR per unit, near enough, and constant over the years: the table says
#: which rate each row used; what the rate is does not change the work.
RATES = {"XOF": "0.001524490172", "USD": "0.9", "CHF": "0.95", "GBP": "1.15"}
ROWS_PER_FILE = 1_000_000
BY = {"by donor": ("donor",), "by donor and year": ("donor", "year")}
COLUMNS = {"donor": "donor_id", "year": "year"}


def decimals(units: np.ndarray, scale: int, null: np.ndarray | None = None) -> pa.Array:
    """int64 units of 10**-scale as a decimal128(38, scale) array."""
    whole = pa.array(units, mask=null).cast(pa.decimal128(38, 0))
    return whole.view(pa.decimal128(38, scale))


def strings(values: list[str | None], index: np.ndarray) -> pa.Array:
    return pa.array(values, pa.string()).take(pa.array(index))


def engagements(count: int, rng: np.random.Generator) -> dict[str, np.ndarray]:
    """Enough engagements for ``count`` rows, and the rows they give."""
    made = count // 3 + 8
    lengths = rng.integers(1, 6, size=made)
    while lengths.sum() < count:
        lengths = np.concatenate([lengths, rng.integers(1, 6, size=made)])
    row = np.repeat(np.arange(len(lengths)), lengths)[:count]
    starts = np.cumsum(lengths) - lengths
    made = len(lengths)
    # 0: known, 1: unknown, 2: no rate, 3: contained (unknown, inside a container)
    status = rng.choice(4, size=made, p=[0.88, 0.10, 0.01, 0.01])
    # 0: exact, 1: at least, 2: an estimate
    qualifier = rng.choice(3, size=made, p=[0.90, 0.07, 0.03])
    return {
        "engagement": row,
        "year": (rng.integers(2000, 2020, size=made))[row]
        + (np.arange(count) - starts[row]),
        "donor": rng.integers(0, len(DONORS), size=made)[row],
        "currency": rng.integers(0, len(CURRENCIES), size=made)[row],
        "status": status[row],
        "qualifier": qualifier[row],
        "units": rng.integers(1_000, 1_000_000_000, size=count),
    }


def chunk(rows: dict[str, np.ndarray], schema: pa.Schema) -> pa.Table:
    """The rows in the export schema."""
    status, qualifier, currency = rows["status"], rows["qualifier"], rows["currency"]
    count = len(status)
    known = status == 0
    contained = status == 3
    units = np.where(known, rows["units"], 0)
    spread = np.where(known & (qualifier == 2), units // 10, 0)
    converted = known & (currency != 0)
    rate_units = np.array(
        [0] + [int(Decimal(RATES[code]).scaleb(12)) for code in CURRENCIES[1:]]
    )
    unknown_basis = status == 1
    basis_index = np.where(
        known, np.where(converted, 1, 0), np.where(unknown_basis, 2, 2)
    )
    columns = {
        "engagement_id": pa.array(
            np.char.add("e", rows["engagement"].astype(str)), pa.string()
        ),
        "donor_id": strings(DONORS, rows["donor"]),
        "donor_share": strings(["1"], np.zeros(count, dtype=np.int64)),
        "year": pa.array(rows["year"]),
        "amount_kind": strings(["budget", None], np.where(known, 0, 1)),
        "amount": decimals(units, 2, ~known),
        "currency": strings(["EUR"], np.zeros(count, dtype=np.int64)),
        "original_amount": decimals(units * 100, 4, ~known),
        "original_currency": strings(list(CURRENCIES), currency),
        "rate": decimals(rate_units[currency], 12, ~converted),
        "rate_basis": strings([None, "annual-mean"], converted.astype(np.int64)),
        "rate_date": pa.nulls(count, pa.date32()),
        "rate_year": pa.array(rows["year"], mask=~converted),
        "amount_qualifier": strings(
            ["exact", "at-least", "about", None], np.where(known, qualifier, 3)
        ),
        "amount_missing": strings(
            [None, "unknown", "no-rate", "unknown"], status.astype(np.int64)
        ),
        "counted_in": strings([None, "container"], contained.astype(np.int64)),
        "low": decimals(units - spread, 2, contained),
        "high": decimals(units + spread, 2, ~known | (qualifier == 1)),
        "basis": strings(["stated", "converted-annual-mean+stated", None], basis_index),
        "basis_when_grouped": strings(
            [None, "year:spread-by-days"], (rows["engagement"] % 2).astype(np.int64)
        ),
    }
    return pa.Table.from_arrays(
        [columns[field.name] for field in schema], schema=schema
    )


def write(count: int, folder: Path, seed: int = 20261203) -> int:
    """Write ``count`` rows as Parquet files into ``folder``; their size."""
    rng = np.random.default_rng(seed)
    schema = export.years(Dataset()).to_arrow().schema
    rows = engagements(count, rng)
    folder.mkdir()
    for number, start in enumerate(range(0, count, ROWS_PER_FILE)):
        part = {
            name: values[start : start + ROWS_PER_FILE] for name, values in rows.items()
        }
        pq.write_table(chunk(part, schema), folder / f"part-{number:03d}.parquet")
    return sum(file.stat().st_size for file in folder.iterdir())


def duckdb_query(source: str, by: tuple[str, ...]) -> str:
    keys = ", ".join(COLUMNS[name] for name in by)
    return (
        f"SELECT {keys}, sum(amount), count(amount), sum(low), sum(high),"
        " count(*) - count(high),"
        " list(DISTINCT engagement_id) FILTER (WHERE amount_missing = 'unknown'),"
        " list(DISTINCT engagement_id) FILTER (WHERE amount_missing = 'no-rate'),"
        " list(DISTINCT basis), list(DISTINCT basis_when_grouped)"
        f" FROM {source} WHERE low IS NOT NULL GROUP BY {keys}"
    )


def pandas_total(folder: Path, by: tuple[str, ...]) -> Any:
    keys = [COLUMNS[name] for name in by]
    frame = pd.read_parquet(
        folder,
        columns=[
            *keys,
            "engagement_id",
            "amount",
            "low",
            "high",
            "amount_missing",
            "basis",
            "basis_when_grouped",
        ],
        dtype_backend="pyarrow",
    )
    frame = frame[frame["low"].notna()]
    groups = frame.groupby(keys)
    sums = groups.agg(
        best=("amount", "sum"),
        known=("amount", "count"),
        low=("low", "sum"),
        high=("high", "sum"),
        bounded=("high", "count"),
        rows=("high", "size"),
        basis=("basis", "unique"),
        grouped=("basis_when_grouped", "unique"),
    )
    missing = frame[frame["amount_missing"].notna()]
    listed = missing.groupby([*keys, "amount_missing"])["engagement_id"].unique()
    return sums, listed


def seconds(function: Callable[[], object]) -> float:
    started = time.perf_counter()
    function()
    return time.perf_counter() - started


def check(folder: Path, connection: Any) -> int:
    """totals_of_years gives the DuckDB sums, cell by cell; the cells checked."""
    source = f"read_parquet('{folder}/*.parquet')"
    checked = 0
    for by in BY.values():
        ours = export.totals_of_years(folder, by=by if len(by) > 1 else by[0])
        rows = connection.execute(duckdb_query(source, by)).fetchall()
        assert len(rows) == len(ours.cells), (len(rows), len(ours.cells))
        for row in rows:
            key = row[: len(by)] if len(by) > 1 else row[0]
            best, known, low, high, opened, unknown, unconverted = row[len(by) : -2]
            cell = ours.cells[key]
            assert (cell.best is not None) == (known > 0)
            assert cell.best is None or cell.best.amount == best
            assert cell.low.amount == low
            assert (cell.high is None) == (opened > 0)
            assert cell.high is None or cell.high.amount == high
            assert set(cell.unknown) == set(unknown or ())
            assert set(cell.unconverted) == set(unconverted or ())
            checked += 1
    return checked


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=1_000_000, help="rows")
    parser.add_argument(
        "-r", "--rounds", type=int, default=5, help="interleaved rounds"
    )
    parser.add_argument(
        "--reference", action="store_true", help="also time the row-by-row reference"
    )
    args = parser.parse_args(argv)
    print(
        f"mali-aid {mali_aid.__version__}; Python {sys.version.split()[0]};"
        f" pyarrow {pa.__version__}, DuckDB {duckdb.__version__},"
        f" pandas {pd.__version__}; {args.count:,} rows"
    )
    with tempfile.TemporaryDirectory() as temporary:
        folder = Path(temporary) / "years"
        started = time.perf_counter()
        size = write(args.count, folder)
        print(
            f"{'writing the table (not timed)':<48} {time.perf_counter() - started:8.2f} s,"
            f" {size / 2**20:.0f} MiB"
        )
        connection = duckdb.connect()
        started = time.perf_counter()
        checked = check(folder, connection)
        print(
            f"{'checked against DuckDB (not timed)':<48} {time.perf_counter() - started:8.2f} s,"
            f" {checked:,} cells equal to the cent"
        )
        table = pyarrow.dataset.dataset(folder, format="parquet").to_table()
        connection.register("years", table)
        source = f"read_parquet('{folder}/*.parquet')"
        cases: list[tuple[str, Callable[[], object]]] = []
        for what, by in BY.items():
            group = by if len(by) > 1 else by[0]
            cases += [
                (
                    f"totals_of_years {what}",
                    lambda g=group: export.totals_of_years(folder, by=g),
                ),
                (
                    f"duckdb {what}",
                    lambda b=by: connection.execute(duckdb_query(source, b)).fetchall(),
                ),
                (f"pandas {what}", lambda b=by: pandas_total(folder, b)),
                (
                    f"in memory: totals_of_years {what}",
                    lambda g=group: export.totals_of_years(table, by=g),
                ),
                (
                    f"in memory: duckdb {what}",
                    lambda b=by: connection.execute(
                        duckdb_query("years", b)
                    ).fetchall(),
                ),
            ]
        timings: dict[str, list[float]] = {}
        for _ in range(args.rounds):
            for name, case in cases:
                timings.setdefault(name, []).append(seconds(case))
        median = {name: statistics.median(values) for name, values in timings.items()}
        for name, value in median.items():
            low, high = min(timings[name]), max(timings[name])
            print(f"{name + ' (median)':<48} {value:8.3f} s  ({low:.3f} to {high:.3f})")
        for what in BY:
            for base in ("duckdb", "pandas"):
                ratio = median[f"totals_of_years {what}"] / median[f"{base} {what}"]
                print(
                    f"{'ratio totals_of_years / ' + base + ' ' + what:<48} {ratio:8.2f}"
                )
            ratio = (
                median[f"in memory: totals_of_years {what}"]
                / median[f"in memory: duckdb {what}"]
            )
            print(f"{'in memory: ratio / duckdb ' + what:<48} {ratio:8.2f}")
        if args.reference:
            from mali_aid import _table_totals

            def reference() -> object:
                read = pyarrow.dataset.dataset(folder, format="parquet").to_table()
                return _table_totals._reference_totals_of_years(
                    read, ("donor", "year"), "EUR"
                )

            once = seconds(reference)
            ours = median["totals_of_years by donor and year"]
            print(f"{'reference rows by donor and year, once':<48} {once:8.3f} s")
            print(f"{'ratio reference / totals_of_years':<48} {once / ours:8.1f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
