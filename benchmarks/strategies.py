"""How fast the Hypothesis strategies generate, and how fast a failure shrinks.

For ``money()``, ``periods()``, ``engagements()`` and ``collections()`` at
their default sizes, it prints examples per second beside a plain
``st.builds`` baseline of the same records measured in the same run,
interleaved round by round (the median of the rounds is printed), and the
ratio of the two. The baseline collections hold the same mean number of
records of each kind, drawn field by field with ``st.builds`` and nothing
kept consistent; both means are printed.

Then it plants two bugs in a user's aggregation and times, under
Hypothesis's default settings (no example database), how long a test takes
to fail: finding the failure and shrinking it to the counterexample it
prints, whose size it reports:

- a total that counts a part and its container both (a double count);
- a total that adds amounts in different currencies without converting.

::

    python benchmarks/strategies.py
    python benchmarks/strategies.py --rounds 3 --examples 100 --shrinks 3

Targets: ``collections()`` at least 100 examples per second, a planted
failure found and shrunk within 10 s.
"""

from __future__ import annotations

import argparse
import statistics
import time
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st
from hypothesis.statistics import collector

from mali_aid import (
    Amount,
    AmountKind,
    Citation,
    Engagement,
    EngagementKind,
    Money,
    Organisation,
    OrganisationKind,
    Participant,
    Period,
    Place,
    PlaceLevel,
    PlaceShare,
    Role,
    Sector,
    SectorShare,
    Source,
    Theme,
)
from mali_aid import strategies as mas

KINDS = ("sources", "organisations", "places", "sectors", "themes", "engagements")

# -- the st.builds baselines --------------------------------------------------------

plain_money = st.builds(
    Money,
    st.decimals(min_value=0, max_value=10**12, places=2),
    st.sampled_from(mas.DEFAULT_CURRENCIES),
)
plain_periods = st.builds(
    lambda a, b: Period(start=min(a, b), end=max(a, b)),
    mas.dates(),
    mas.dates(),
)
names = st.text("abcdefgh", min_size=1, max_size=8)
plain_engagements = st.builds(
    Engagement,
    id=mas.ids("eng-"),
    title=names,
    kind=st.sampled_from(EngagementKind),
    participants=st.lists(
        st.builds(
            Participant,
            organisation=st.sampled_from(["org-a", "org-b", "org-c"]),
            role=st.just(Role.FUNDING),
        ),
        max_size=1,
    ),
    period=st.none() | plain_periods,
    amounts=st.lists(
        st.builds(Amount, money=plain_money, kind=st.sampled_from(AmountKind)),
        max_size=3,
    ),
    sectors=st.lists(st.builds(SectorShare, sector=st.just("sector-a")), max_size=1),
    places=st.lists(st.builds(PlaceShare, place=st.just("place-a")), max_size=1),
    citations=st.lists(
        st.builds(Citation, source=st.just("source"), paragraph=st.integers(1, 30)),
        min_size=1,
        max_size=1,
    ),
)


def records(
    strategy: st.SearchStrategy[Any], min_size: int, max_size: int
) -> st.SearchStrategy[tuple[Any, ...]]:
    return st.lists(strategy, min_size=min_size, max_size=max_size).map(tuple)


plain_collections = st.builds(
    mas.Collection,
    sources=records(
        st.builds(
            Source,
            id=mas.ids("src-"),
            title=names,
            publisher=names,
            language=st.sampled_from(["en", "fr"]),
            paragraphs=st.just(30),
        ),
        1,
        3,
    ),
    organisations=records(
        st.builds(
            Organisation,
            id=mas.ids("org-"),
            name=names,
            kind=st.sampled_from(OrganisationKind),
        ),
        1,
        8,
    ),
    places=records(
        st.builds(
            Place, id=mas.ids("place-"), name=names, level=st.sampled_from(PlaceLevel)
        ),
        1,
        7,
    ),
    sectors=records(st.builds(Sector, id=mas.ids("sector-"), name=names), 1, 4),
    themes=records(st.builds(Theme, id=mas.ids("theme-"), name=names), 0, 2),
    # Three short lists, as collections() draws them, for the same mean.
    engagements=st.tuples(*[records(plain_engagements, 0, 4)] * 3).map(
        lambda chunks: chunks[0] + chunks[1] + chunks[2]
    ),
)

PAIRS: dict[str, tuple[st.SearchStrategy[Any], st.SearchStrategy[Any]]] = {
    "money()": (mas.money(), plain_money),
    "periods()": (mas.periods(), plain_periods),
    "engagements()": (mas.engagements(), plain_engagements),
    "collections()": (mas.collections(), plain_collections),
}

# -- timing generation --------------------------------------------------------------


def rate(
    strategy: st.SearchStrategy[Any],
    examples: int,
    seen: Callable[[Any], None] | None = None,
) -> float:
    """Examples per second over one run of ``examples`` generated examples."""
    count = 0

    @settings(
        max_examples=examples,
        database=None,
        deadline=None,
        phases=[Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(strategy)
    def test(value: Any) -> None:
        nonlocal count
        count += 1
        if seen is not None:
            seen(value)

    start = time.perf_counter()
    test()
    return count / (time.perf_counter() - start)


def sizes(
    collections: list[mas.Collection],
) -> dict[str, float]:
    return {
        kind: statistics.mean(len(getattr(c, kind)) for c in collections)
        for kind in KINDS
    }


# -- planted failures ------------------------------------------------------------------


def double_count(collection: mas.Collection) -> None:
    # A user's total that adds every engagement's amounts, parts included.
    total = sum(
        (a.money.amount for e in collection.engagements for a in e.amounts), Decimal(0)
    )
    counted = {e.id for e in collection.engagements if e.amounts}
    top_level = sum(
        (
            a.money.amount
            for e in collection.engagements
            if not _has_counted_ancestor(collection, e, counted)
            for a in e.amounts
        ),
        Decimal(0),
    )
    assert total == top_level


def _has_counted_ancestor(
    collection: mas.Collection, record: Engagement, counted: set[str]
) -> bool:
    by_id = {e.id: e for e in collection.engagements}
    parent = record.part_of
    while parent is not None:
        if parent in counted:
            return True
        parent = by_id[parent].part_of
    return False


def unconverted_sum(collection: mas.Collection) -> None:
    # A user's total that adds amounts whatever their currency.
    currencies = {a.money.currency for e in collection.engagements for a in e.amounts}
    assert len(currencies) <= 1


PLANTED: dict[str, tuple[Callable[[mas.Collection], None], st.SearchStrategy[Any]]] = {
    "parts counted twice (EUR only)": (
        double_count,
        mas.collections(currencies=["EUR"]),
    ),
    "currencies added unconverted": (unconverted_sum, mas.collections()),
}


def shrink(
    check: Callable[[mas.Collection], None], strategy: st.SearchStrategy[Any], run: int
) -> tuple[float, dict[str, float], int, int]:
    """Seconds until the test fails, by phase, and the counterexample's size.

    The phases are Hypothesis's own statistics (an internal hook, the one
    its pytest plugin reads): after the first failure Hypothesis goes on
    generating for up to 1,000 calls or 10 s looking for other bugs, then
    shrinks, then explains (varies the shrunk example to say which parts
    do not matter).
    """
    final: list[mas.Collection] = []
    phases: dict[str, float] = {}

    def collect(statistics: dict[str, Any]) -> None:
        for phase in ("generate", "shrink", "explain"):
            entry = statistics.get(f"{phase}-phase")
            if entry:
                phases[phase] = entry["duration-seconds"]

    @seed(run)
    @settings(settings.get_profile("default"), database=None)
    @given(strategy)
    def test(collection: mas.Collection) -> None:
        final.append(collection)
        check(collection)

    start = time.perf_counter()
    try:
        with collector.with_value(collect):
            test()
    except AssertionError:
        elapsed = time.perf_counter() - start
    else:
        raise SystemExit("the planted failure was not found")
    smallest = final[-1]
    return (
        elapsed,
        phases,
        len(smallest.engagements),
        len(repr(smallest).splitlines()),
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--examples", type=int, default=200)
    parser.add_argument("--shrinks", type=int, default=5, help="runs per failure")
    parser.add_argument(
        "--planted-only", action="store_true", help="only the planted failures"
    )
    options = parser.parse_args()
    if options.planted_only:
        planted(options.shrinks)
        return

    ours: dict[str, list[float]] = {name: [] for name in PAIRS}
    plain: dict[str, list[float]] = {name: [] for name in PAIRS}
    ours_seen: list[mas.Collection] = []
    plain_seen: list[mas.Collection] = []
    for _round in range(options.rounds):
        for name, (strategy, baseline) in PAIRS.items():
            collect = name == "collections()"
            plain[name].append(
                rate(baseline, options.examples, plain_seen.append if collect else None)
            )
            ours[name].append(
                rate(strategy, options.examples, ours_seen.append if collect else None)
            )

    print(f"examples per second, median of {options.rounds} interleaved rounds")
    print(f"of {options.examples} examples each:")
    print(f"{'strategy':<16}{'ours':>10}{'st.builds':>12}{'ratio':>8}{'ms each':>10}")
    for name in PAIRS:
        mine, theirs = statistics.median(ours[name]), statistics.median(plain[name])
        print(
            f"{name:<16}{mine:>10.0f}{theirs:>12.0f}{mine / theirs:>8.2f}"
            f"{1000 / mine:>10.2f}"
        )
    print("\nmean records per kind in the collections generated above:")
    for label, seen in (("collections()", ours_seen), ("st.builds", plain_seen)):
        means = sizes(seen)
        print(f"  {label:<14}" + ", ".join(f"{k} {v:.2f}" for k, v in means.items()))

    planted(options.shrinks)


def planted(runs: int) -> None:
    print(f"\nplanted failures, default settings, seeds 0 to {runs - 1}:")
    for name, (check, strategy) in PLANTED.items():
        results = [shrink(check, strategy, run) for run in range(runs)]
        print(f"  {name}:")
        for label, values in (
            ("until the failure is reported", [r[0] for r in results]),
            *(
                (f"{phase} phase", [r[1].get(phase, 0.0) for r in results])
                for phase in ("generate", "shrink", "explain")
            ),
        ):
            print(
                f"    {label:<30} median {statistics.median(values):6.2f} s,"
                f" max {max(values):6.2f} s"
            )
        print(
            f"    counterexamples of {sorted({r[2] for r in results})} engagements,"
            f" {max(r[3] for r in results)} lines at most"
        )


if __name__ == "__main__":
    main()
