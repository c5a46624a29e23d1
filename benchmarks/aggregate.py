"""How fast totals() is on a million engagements, against pandas and DuckDB.

The workload: N synthetic engagements (1,000,000 by default) from 50 donors,
in 5 currencies (EUR, XOF, USD, CHF, GBP), each over a period of 1 to 48
months at month precision within 2000-2019, 10 % with no amount and 5 %
co-financed in equal shares by two donors. They are the engagements of one
``Dataset``; building them is not timed.

It times ``totals(data.engagements, by="donor")`` and
``by=("donor", "year")``, both spreading each amount over its years by days
and converting each year's slice to EUR at that year's rate, exactly,
rounded per engagement, and compares them in the same run, in interleaved
rounds, with

- a pandas groupby of the same amounts as floats, already spread over years
  (the frame is built outside the timing): merge the rates, multiply, group;
- the same query in DuckDB over that frame (needs duckdb).

The first call builds the dataset's columns (*cold*); later calls reuse them
(*warm*). ``--reference`` also times the reference rules (slow: use a small
``-n``).

::

    python benchmarks/aggregate.py              # 1,000,000 engagements
    python benchmarks/aggregate.py -n 100000    # a quicker look

Ratios above 1 mean totals() is slower than the baseline.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
import tracemalloc
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import mali_aid
from mali_aid import (
    Amount,
    Dataset,
    Engagement,
    Money,
    Organisation,
    Participant,
    Period,
    default_rates,
    totals,
)

CURRENCIES = ("EUR", "XOF", "USD", "CHF", "GBP")


def build(count: int, seed: int = 20261123) -> tuple[Dataset, list[Engagement]]:
    rng = random.Random(seed)
    donors = [f"D{index:02d}" for index in range(50)]
    data = Dataset(
        organisations=[
            Organisation(id=d, name=f"Donor {d}", kind="state") for d in donors
        ]
    )
    periods = []
    for start_month in range(240):
        for length in range(1, 49):
            first = start_month
            last = min(start_month + length - 1, 239)
            periods.append(
                Period.parse(
                    f"{2000 + first // 12}-{first % 12 + 1:02d}/{2000 + last // 12}-{last % 12 + 1:02d}"
                )
            )
    records = []
    for index in range(count):
        if rng.random() < 0.05:
            pair = rng.sample(donors, 2)
            participants = (
                Participant(organisation=pair[0], role="funding", share="1/2"),
                Participant(organisation=pair[1], role="funding", share="1/2"),
            )
        else:
            participants = (
                Participant(organisation=rng.choice(donors), role="funding"),
            )
        amounts: tuple[Amount, ...] = ()
        if rng.random() >= 0.10:
            currency = rng.choice(CURRENCIES)
            units = rng.randrange(1_000, 100_000_000)
            places = 0 if currency == "XOF" else 2
            amounts = (
                Amount(
                    money=Money(Decimal(units).scaleb(-places), currency), kind="budget"
                ),
            )
        records.append(
            Engagement(
                id=f"e{index}",
                title="synthetic",
                kind="project",
                participants=participants,
                period=rng.choice(periods),
                amounts=amounts,
            )
        )
    return data, records


def frame(records: list[Engagement], data: Dataset) -> tuple[Any, Any]:
    """The amounts as floats, spread over years, and the rates: the
    baselines' input, built outside the timing."""
    import pandas as pd

    rates = default_rates()
    rows = []
    for record in records:
        if not record.amounts:
            continue
        amount = record.amounts[0]
        assert record.period is not None
        for donor, share in data.funding_shares(record):
            for year, weight in record.period.split_by_year().items():
                value = float(amount.money.amount) * float(share) * float(weight)
                rows.append((donor, year, amount.money.currency, value))
    amounts = pd.DataFrame(rows, columns=["donor", "year", "currency", "amount"])
    factors = pd.DataFrame(
        [
            (code, year, float(rates.factor(code, "EUR", year=year)))
            for code in CURRENCIES
            for year in range(2000, 2020)
        ],
        columns=["currency", "year", "factor"],
    )
    return amounts, factors


def pandas_total(amounts: Any, factors: Any, by: list[str]) -> Any:
    merged = amounts.merge(factors, on=["currency", "year"])
    merged["eur"] = merged["amount"] * merged["factor"]
    return merged.groupby(by)["eur"].sum()


def duckdb_total(connection: Any, by: list[str]) -> Any:
    keys = ", ".join(by)
    return connection.execute(
        f"SELECT {keys}, sum(a.amount * f.factor) FROM amounts a"
        " JOIN factors f USING (currency, year)"
        f" GROUP BY {keys}"
    ).fetchall()


def seconds(function: Callable[[], object]) -> float:
    start = time.perf_counter()
    function()
    return time.perf_counter() - start


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=1_000_000)
    parser.add_argument(
        "-r", "--rounds", type=int, default=5, help="interleaved rounds"
    )
    parser.add_argument(
        "--reference", action="store_true", help="also time the reference rules"
    )
    parser.add_argument(
        "--memory", action="store_true", help="measure the columns' peak memory"
    )
    args = parser.parse_args(argv)
    print(
        f"mali-aid {mali_aid.__version__}; Python {sys.version.split()[0]};"
        f" {args.count:,} engagements"
    )
    started = time.perf_counter()
    organisations, records = build(args.count)
    data = Dataset(organisations=organisations.organisations, engagements=records)
    default_rates()
    print(
        f"{'building the dataset (not timed)':<48} {time.perf_counter() - started:8.2f} s"
    )

    def ours(by: Any) -> Callable[[], object]:
        return lambda: totals(data.engagements, by=by, currency="EUR", data=data)

    if args.memory:
        tracemalloc.start()
    cold = seconds(ours("donor"))
    if args.memory:
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        print(f"{'peak memory of the first call':<48} {peak / 2**20:8.1f} MiB")
    print(f"{'cold: first totals(by=donor), columns built':<48} {cold:8.3f} s")
    timings: dict[str, list[float]] = {}
    try:
        amounts, factors = frame(records, data)
    except ImportError:
        print("pandas is not installed: pip install pandas for the baselines")
        amounts = factors = None
    connection = None
    if amounts is not None:
        try:
            import duckdb

            connection = duckdb.connect()
            connection.register("amounts", amounts)
            connection.register("factors", factors)
        except ImportError:
            print("duckdb is not installed: pip install duckdb for that baseline")
    cases: list[tuple[str, Callable[[], object]]] = [
        ("totals by donor", ours("donor")),
        ("totals by donor and year", ours(("donor", "year"))),
    ]
    if amounts is not None:
        cases += [
            ("pandas by donor", lambda: pandas_total(amounts, factors, ["donor"])),
            (
                "pandas by donor and year",
                lambda: pandas_total(amounts, factors, ["donor", "year"]),
            ),
        ]
    if connection is not None:
        cases += [
            ("duckdb by donor", lambda: duckdb_total(connection, ["donor"])),
            (
                "duckdb by donor and year",
                lambda: duckdb_total(connection, ["donor", "year"]),
            ),
        ]
    for _ in range(args.rounds):
        for name, case in cases:
            timings.setdefault(name, []).append(seconds(case))
    median = {name: statistics.median(values) for name, values in timings.items()}
    for name, value in median.items():
        print(f"{'warm: ' + name + ' (median)':<48} {value:8.3f} s")
    for base in ("pandas", "duckdb"):
        for what in ("by donor", "by donor and year"):
            if f"{base} {what}" in median:
                ratio = median[f"totals {what}"] / median[f"{base} {what}"]
                print(f"{'ratio totals / ' + base + ' ' + what:<48} {ratio:8.2f}")
        if f"{base} by donor" in median:
            ratio = cold / median[f"{base} by donor"]
            print(f"{'ratio cold totals / ' + base + ' by donor':<48} {ratio:8.2f}")
    if args.reference:
        from mali_aid.testing import reference_totals

        reference = seconds(
            lambda: reference_totals(
                data.engagements, by="donor", currency="EUR", data=data
            )
        )
        print(f"{'reference rules by donor':<48} {reference:8.3f} s")
        print(
            f"{'ratio reference / warm totals by donor':<48} {reference / median['totals by donor']:8.1f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
