"""How fast find_overlaps() is, against brute force and an interval tree.

The workload: N synthetic engagements (100,000 by default), each in one place
of a gazetteer of 6 regions, 18 cercles and 54 communes (5 % at region level,
15 % at cercle level, 80 % in a commune), in one of 30 sectors, over 1 to 24
months within 2000-2019, each funded by one of 50 donors. Building them is
not timed.

It prints the number of overlapping pairs and the time of ``find_overlaps``
(time, place and sector; pairs between donors), then, in the same run,
the time of a brute-force check of every pair with the package's own
predicates (``Period.overlaps``, ``Dataset.lies_in``, shared sectors,
different donors) at 5,000 and 10,000 engagements (and its extrapolation to
N, not run), and of the
``intervaltree`` package used the obvious way (one tree of all engagements,
queried for each, then place and sector checked), when it is installed::

    python benchmarks/overlap.py
    python benchmarks/overlap.py -n 20000
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import time
from collections.abc import Callable
from typing import Any

import mali_aid
from mali_aid import (
    Dataset,
    Engagement,
    Organisation,
    Participant,
    Period,
    Place,
    PlaceShare,
    Sector,
    SectorShare,
    _overlap_engine,
    find_overlaps,
)


def gazetteer() -> tuple[list[Place], list[str], list[str], list[str]]:
    places = [Place(id="ML", name="Mali", level="country")]
    regions, cercles, communes = [], [], []
    for r in range(6):
        region = f"r{r}"
        regions.append(region)
        places.append(Place(id=region, name=region, level="region", parent="ML"))
        for c in range(3):
            cercle = f"{region}c{c}"
            cercles.append(cercle)
            places.append(Place(id=cercle, name=cercle, level="cercle", parent=region))
            for m in range(3):
                commune = f"{cercle}m{m}"
                communes.append(commune)
                places.append(
                    Place(id=commune, name=commune, level="commune", parent=cercle)
                )
    return places, regions, cercles, communes


def build(count: int, seed: int = 20261123) -> tuple[Dataset, list[Engagement]]:
    rng = random.Random(seed)
    places, regions, cercles, communes = gazetteer()
    donors = [f"D{index:02d}" for index in range(50)]
    data = Dataset(
        organisations=[Organisation(id=d, name=d, kind="state") for d in donors],
        places=places,
    )
    periods = {}
    records = []
    for index in range(count):
        draw = rng.random()
        place = rng.choice(
            regions if draw < 0.05 else cercles if draw < 0.20 else communes
        )
        start = rng.randrange(240)
        end = min(start + rng.randrange(24), 239)
        key = (start, end)
        if key not in periods:
            periods[key] = Period.parse(
                f"{2000 + start // 12}-{start % 12 + 1:02d}/{2000 + end // 12}-{end % 12 + 1:02d}"
            )
        records.append(
            Engagement(
                id=f"e{index}",
                title="synthetic",
                kind="project",
                participants=(
                    Participant(organisation=rng.choice(donors), role="funding"),
                ),
                period=periods[key],
                places=(PlaceShare(place=place),),
                sectors=(SectorShare(sector=f"s{rng.randrange(30)}"),),
            )
        )
    return data, records


def brute_force(records: list[Engagement], data: Dataset) -> int:
    """Every pair tested with the package's own predicates, cheapest first."""
    found = 0
    for i, a in enumerate(records):
        sectors_a = {share.sector for share in a.sectors}
        donors_a = set(data.donors(a))
        for b in records[i + 1 :]:
            if not sectors_a & {share.sector for share in b.sectors}:
                continue
            if donors_a and donors_a == set(data.donors(b)):
                continue
            assert a.period is not None and b.period is not None
            if not a.period.overlaps(b.period):
                continue
            if any(
                data.lies_in(pa.place, pb.place) or data.lies_in(pb.place, pa.place)
                for pa in a.places
                for pb in b.places
            ):
                found += 1
    return found


def interval_tree(records: list[Engagement], data: Dataset) -> int:
    from intervaltree import IntervalTree

    chains = {p.id: {p.id, *(a.id for a in data.ancestors(p.id))} for p in data.places}
    tree = IntervalTree()
    for index, record in enumerate(records):
        span = record.period.certain_span()  # type: ignore[union-attr]
        assert span is not None
        tree.addi(span[0].toordinal(), span[1].toordinal() + 1, index)
    found = 0
    for index, record in enumerate(records):
        span = record.period.certain_span()  # type: ignore[union-attr]
        assert span is not None
        for hit in tree.overlap(span[0].toordinal(), span[1].toordinal() + 1):
            other = records[hit.data]
            if hit.data <= index:
                continue
            if (
                record.sectors[0].sector == other.sectors[0].sector
                and record.participants[0].organisation
                != other.participants[0].organisation
                and (
                    record.places[0].place in chains[other.places[0].place]
                    or other.places[0].place in chains[record.places[0].place]
                )
            ):
                found += 1
    return found


def duckdb_slots(records: list[Engagement], data: Dataset) -> Any:
    """The engagements as DuckDB rows: one per place of each one's chain.

    A row is anchored at the engagement's own place; two rows of a place
    and sector meet when one of them is anchored, as in ``find_overlaps``.
    Building the table is not timed: it plays the columns a user would keep.
    """
    import duckdb
    import pandas

    chains = {p.id: [p.id, *(a.id for a in data.enclosing(p.id))] for p in data.places}
    rows: dict[str, list[Any]] = {
        k: [] for k in ("e", "donor", "place", "anchored", "sector", "lo", "hi")
    }
    for index, record in enumerate(records):
        span = record.period.certain_span()  # type: ignore[union-attr]
        assert span is not None
        for depth, place in enumerate(chains[record.places[0].place]):
            rows["e"].append(index)
            rows["donor"].append(record.participants[0].organisation)
            rows["place"].append(place)
            rows["anchored"].append(depth == 0)
            rows["sector"].append(record.sectors[0].sector)
            rows["lo"].append(span[0].toordinal())
            rows["hi"].append(span[1].toordinal())
    connection = duckdb.connect()
    connection.register("slots_frame", pandas.DataFrame(rows))
    connection.execute("CREATE TABLE slots AS SELECT * FROM slots_frame")
    return connection


_JOIN = """
SELECT least(a.e, b.e) AS first, greatest(a.e, b.e) AS second,
       greatest(a.lo, b.lo) AS lo, least(a.hi, b.hi) AS hi
FROM slots a JOIN slots b
  ON a.place = b.place AND a.sector = b.sector
 AND a.lo <= b.hi AND b.lo <= a.hi
 AND a.anchored AND (NOT b.anchored OR a.e < b.e)
 AND a.donor <> b.donor
ORDER BY first, second
"""


def duckdb_pairs(connection: Any) -> int:
    """The pairs by an interval self-join, fetched as numpy arrays."""
    return len(connection.execute(_JOIN).fetchnumpy()["first"])


def seconds(work: Callable[[], object]) -> float:
    started = time.perf_counter()
    work()
    return time.perf_counter() - started


def pure(records: list[Engagement], data: Dataset) -> int:
    """find_overlaps as it runs without numpy."""
    from mali_aid import _overlap_engine

    kept = _overlap_engine.MIN_ENGAGEMENTS
    _overlap_engine.MIN_ENGAGEMENTS = len(records) + 1
    try:
        return len(find_overlaps(records, data=data))
    finally:
        _overlap_engine.MIN_ENGAGEMENTS = kept


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=100_000)
    parser.add_argument(
        "-r", "--rounds", type=int, default=3, help="interleaved rounds"
    )
    parser.add_argument(
        "--small", action="store_true", help="also brute force and intervaltree"
    )
    parser.add_argument(
        "--large",
        action="store_true",
        help="for a million or more: no pure sweep, no reading every pair",
    )
    args = parser.parse_args(argv)
    print(
        f"mali-aid {mali_aid.__version__}; Python {sys.version.split()[0]}; "
        f"{args.count:,} engagements"
    )
    started = time.perf_counter()
    data, records = build(args.count)
    print(
        f"{'building the engagements (not timed)':<46} {time.perf_counter() - started:8.2f} s"
    )
    # The engagements as a dataset's own, so that its columns are kept.
    held = Dataset(
        organisations=data.organisations,
        places=data.places,
        sectors=[Sector(id=f"s{index}", name=f"s{index}") for index in range(30)],
        engagements=records,
    )
    result = find_overlaps(held.engagements, data=held)
    print(f"{'overlapping pairs':<46} {len(result):8,}")
    del result

    def cold() -> object:
        _overlap_engine._CACHE.clear()
        return find_overlaps(held.engagements, data=held)

    cases: list[tuple[str, Callable[[], object]]] = [
        ("cold: find_overlaps, columns built", cold),
        ("warm: find_overlaps", lambda: find_overlaps(held.engagements, data=held)),
        *(
            []
            if args.large
            else [
                (
                    "warm: find_overlaps, every pair read",
                    lambda: list(find_overlaps(held.engagements, data=held)),
                )
            ]
        ),
        ("a list: find_overlaps", lambda: find_overlaps(records, data=data)),
    ]
    try:
        connection = duckdb_slots(records, data)
    except ImportError:
        print("duckdb or pandas is not installed: pip install -e '.[bench]'")
    else:
        assert duckdb_pairs(connection) == len(find_overlaps(records, data=data))
        cases.append(("duckdb interval join", lambda: duckdb_pairs(connection)))
    timings: dict[str, list[float]] = {}
    for _ in range(args.rounds):
        for name, case in cases:
            timings.setdefault(name, []).append(seconds(case))
    median = {name: statistics.median(values) for name, values in timings.items()}
    for name, value in median.items():
        print(f"{name + ' (median)':<46} {value:8.2f} s")
    if "duckdb interval join" in median:
        for name, _ in cases:
            if name.startswith("duckdb"):
                continue
            ratio = median[name] / median["duckdb interval join"]
            print(f"{'ratio ' + name + ' / duckdb':<46} {ratio:8.2f}")
    if not args.large:
        without = seconds(lambda: pure(records, data))
        print(f"{'without numpy (the pure sweep), once':<46} {without:8.2f} s")
    if args.small:
        small(records, data)
    return 0


def small(records: list[Engagement], data: Dataset) -> None:
    """Brute force at 5,000 and 10,000, and intervaltree at 5,000."""
    for size in (5_000, 10_000):
        sample = records[:size]
        mine = seconds(lambda sample=sample: find_overlaps(sample, data=data))
        started = time.perf_counter()
        theirs = brute_force(sample, data)
        brute = time.perf_counter() - started
        ours = len(find_overlaps(sample, data=data))
        assert ours == theirs, (ours, theirs)
        print(
            f"{f'at {size:,}: find_overlaps / brute force':<46} {mine:8.2f} s / {brute:.2f} s"
            f" = 1/{brute / mine:.0f}  ({ours:,} pairs, the same)"
        )
    try:
        import intervaltree  # noqa: F401
    except ImportError:
        print(
            "intervaltree is not installed: pip install intervaltree for that baseline"
        )
        return
    # Used the obvious way, the tree returns every engagement that shares
    # time, whatever its place and sector; it is timed on a sample.
    sample = records[:5_000]
    started = time.perf_counter()
    tree_pairs = interval_tree(sample, data)
    tree = time.perf_counter() - started
    mine = seconds(lambda: find_overlaps(sample, data=data))
    assert len(find_overlaps(sample, data=data)) == tree_pairs
    print(
        f"{'at 5,000: find_overlaps / intervaltree':<46} {mine:8.2f} s / {tree:.2f} s"
        f" = 1/{tree / mine:.0f}  ({tree_pairs:,} pairs, the same)"
    )


if __name__ == "__main__":
    sys.exit(main())
