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

import mali_aid
from mali_aid import (
    Dataset,
    Engagement,
    Organisation,
    Participant,
    Period,
    Place,
    PlaceShare,
    SectorShare,
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("-n", "--count", type=int, default=100_000)
    parser.add_argument(
        "-r", "--repeat", type=int, default=3, help="timed runs of find_overlaps"
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

    times = []
    for _ in range(args.repeat):
        started = time.perf_counter()
        result = find_overlaps(records, data=data)
        times.append(time.perf_counter() - started)
        del result  # keep one result in memory at a time
    result = find_overlaps(records, data=data)
    elapsed = min(times)
    print(
        f"{'find_overlaps, time + place + sector':<46} {elapsed:8.2f} s"
        f"  (best of {args.repeat}; median {statistics.median(times):.2f} s)"
    )
    print(f"{'overlapping pairs':<46} {len(result):8,}")

    for size in (5_000, 10_000):
        sample = records[:size]
        started = time.perf_counter()
        ours = len(find_overlaps(sample, data=data))
        mine = time.perf_counter() - started
        started = time.perf_counter()
        theirs = brute_force(sample, data)
        brute = time.perf_counter() - started
        assert ours == theirs, (ours, theirs)
        print(
            f"{f'at {size:,}: find_overlaps / brute force':<46} {mine:8.2f} s / {brute:.2f} s"
            f" = 1/{brute / mine:.0f}  ({ours:,} pairs, the same)"
        )
    extrapolated = brute * (args.count / 10_000) ** 2
    print(
        f"{'brute force at N, extrapolated (not run)':<46} {extrapolated:8.0f} s"
        f"  = {extrapolated / elapsed:.0f} x find_overlaps"
    )
    try:
        import intervaltree  # noqa: F401
    except ImportError:
        print(
            "intervaltree is not installed: pip install intervaltree for that baseline"
        )
        return 0
    # Used the obvious way, the tree returns every engagement that shares
    # time, whatever its place and sector; it is timed on a sample.
    size = min(5_000, args.count)
    sample = records[:size]
    started = time.perf_counter()
    tree_pairs = interval_tree(sample, data)
    tree = time.perf_counter() - started
    started = time.perf_counter()
    ours = len(find_overlaps(sample, data=data))
    mine = time.perf_counter() - started
    assert ours == tree_pairs, (ours, tree_pairs)
    print(
        f"{f'at {size:,}: find_overlaps / intervaltree':<46} {mine:8.2f} s / {tree:.2f} s"
        f" = 1/{tree / mine:.0f}  ({ours:,} pairs, the same)"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
