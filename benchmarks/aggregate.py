"""How fast totals() is on a million engagements, against two baselines.

The workload: N synthetic engagements (1,000,000 by default) from 50 donors,
in 5 currencies (EUR, XOF, USD, CHF, GBP), each over a period of 1 to 48
months at month precision within 2000-2019, 10 % with no amount and 5 %
co-financed in equal shares by two donors. Building them is not timed.

It times ``totals(by="donor")`` and ``totals(by=("donor", "year"))``, both
with each amount spread over its years and each year's slice converted to
EUR at that year's rate, exactly, and compares them in the same run with

- a naive loop that adds pint quantities, one per engagement, each converted
  at its first year's rate (less work than totals() does: no spreading); and
- a pandas groupby of the same amounts as floats, spread over years with a
  vectorised merge (needs pandas).

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
from decimal import Decimal

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


def timed(label: str, function, repeat: int = 1):  # type: ignore[no-untyped-def]
    """Run ``function`` ``repeat`` times; print and return the best time."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        result = function()
        times.append(time.perf_counter() - start)
    elapsed = min(times)
    note = (
        f"  (best of {repeat}; median {statistics.median(times):.2f} s)"
        if repeat > 1
        else ""
    )
    print(f"{label:<44} {elapsed:8.2f} s{note}")
    return elapsed, result


def naive_pint(records: list[Engagement], data: Dataset) -> dict[str, object]:
    rates = default_rates()
    sums: dict[str, object] = {}
    for record in records:
        if not record.amounts:
            continue
        amount = record.amounts[0]
        assert record.period is not None and record.period.start is not None
        year = record.period.start.year
        euros = rates.convert(amount.money, "EUR", year=year).quantity
        for donor, share in data.funding_shares(record):
            part = euros * Decimal(share.numerator) / Decimal(share.denominator)
            key = str(donor)
            sums[key] = part if key not in sums else sums[key] + part  # type: ignore[operator]
    return sums


def pandas_groupby(records: list[Engagement], data: Dataset) -> object:
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
                rows.append(
                    (
                        donor,
                        year,
                        amount.money.currency,
                        float(
                            amount.money.amount
                            * Decimal(share.numerator)
                            / share.denominator
                        )
                        * float(weight),
                    )
                )
    frame = pd.DataFrame(rows, columns=["donor", "year", "currency", "amount"])
    factors = pd.DataFrame(
        [
            (code, year, float(rates.factor(code, "EUR", year=year)))
            for code in CURRENCIES
            for year in range(2000, 2020)
        ],
        columns=["currency", "year", "factor"],
    )
    start = time.perf_counter()
    merged = frame.merge(factors, on=["currency", "year"])
    merged["eur"] = merged["amount"] * merged["factor"]
    result = merged.groupby("donor")["eur"].sum()
    pandas_groupby.elapsed = time.perf_counter() - start  # type: ignore[attr-defined]
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=1_000_000)
    parser.add_argument(
        "-r", "--repeat", type=int, default=3, help="timed runs of each total"
    )
    args = parser.parse_args(argv)
    print(
        f"mali-aid {mali_aid.__version__}; Python {sys.version.split()[0]}; {args.count:,} engagements"
    )
    started = time.perf_counter()
    data, records = build(args.count)
    default_rates()
    print(
        f"{'building the engagements (not timed)':<44} {time.perf_counter() - started:8.2f} s"
    )
    by_donor, result = timed(
        "totals(by='donor'), EUR",
        lambda: totals(records, by="donor", currency="EUR", data=data),
        args.repeat,
    )
    _by_year, _ = timed(
        "totals(by=('donor', 'year')), EUR",
        lambda: totals(records, by=("donor", "year"), currency="EUR", data=data),
        args.repeat,
    )
    print(f"{'unknown amounts listed':<44} {len(result.unknown):8,}")
    naive, _ = timed(
        "naive loop adding pint quantities", lambda: naive_pint(records, data)
    )
    print(f"{'ratio totals(by=donor) / naive pint loop':<44} {by_donor / naive:8.2f}")
    try:
        import pandas  # noqa: F401
    except ImportError:
        print(
            "pandas is not installed: pip install 'mali-aid[pandas]' for that baseline"
        )
        return 0
    _prepare, _ = timed(
        "pandas: building the frame (not compared)",
        lambda: pandas_groupby(records, data),
    )
    grouped = pandas_groupby.elapsed  # type: ignore[attr-defined]
    print(f"{'pandas: merge, multiply, groupby (floats)':<44} {grouped:8.2f} s")
    print(f"{'ratio totals(by=donor) / pandas groupby':<44} {by_donor / grouped:8.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
