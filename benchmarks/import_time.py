"""How much ``import mali_aid`` adds to ``import attrs``, and what the first
``mali_aid.load()`` costs.

Every figure comes from fresh interpreters started one after another in the
same run, interleaved round by round, so that the snippets compared meet the
same machine; a comparison is the median of the paired differences (or
ratios) of each round::

    python benchmarks/import_time.py              # 21 rounds
    python benchmarks/import_time.py --runs 51    # steadier figures
    python benchmarks/import_time.py --check      # exit 1 if a target is missed
    git archive main src | tar -x -C /tmp/before  # an earlier tree, then:
    python benchmarks/import_time.py --before /tmp/before/src

The baseline is ``import attrs`` alone, the one dependency every record
needs; cattrs is needed only to read or write plain data, and comes with the
first ``load()``. Targets: ``import mali_aid`` adds at most 35 ms to
``import attrs``; with ``--before``, ``import mali_aid; mali_aid.load()`` in
a fresh process takes no longer than with the earlier tree (a paired ratio
of at most 1.0, give or take the noise the spread shows). Run it with the
Python of the environment where mali-aid is installed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from collections.abc import Sequence

IMPORT_TARGET_MS = 35.0
#: The first load may be this much slower than the earlier tree's: noise.
LOAD_RATIO_TARGET = 1.0

# Each snippet runs in a fresh interpreter and prints one duration in
# seconds. ``{path}`` puts a source tree first on sys.path, or nothing.
BASELINE = """
import time
start = time.perf_counter()
import attrs
print(time.perf_counter() - start)
"""
IMPORT = """
import sys, time
{path}
start = time.perf_counter()
import mali_aid
print(time.perf_counter() - start)
"""
IMPORT_AND_LOAD = """
import sys, time
{path}
start = time.perf_counter()
import mali_aid
mali_aid.load()
print(time.perf_counter() - start)
"""


def _with_path(snippet: str, source: str | None) -> str:
    line = "" if source is None else f"sys.path.insert(0, {source!r})"
    return snippet.format(path=line)


def _time(snippet: str) -> float:
    """Run ``snippet`` in a fresh, isolated interpreter; its figure in ms."""
    done = subprocess.run(
        [sys.executable, "-I", "-c", snippet],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip()) * 1000


def measure(snippets: dict[str, str], runs: int) -> dict[str, list[float]]:
    """Interleave the snippets over ``runs`` rounds, after one warm-up round."""
    for snippet in snippets.values():
        _time(snippet)  # fills the bytecode caches and the OS file cache
    figures: dict[str, list[float]] = {name: [] for name in snippets}
    for _ in range(runs):
        for name, snippet in snippets.items():
            figures[name].append(_time(snippet))
    return figures


def _line(label: str, values: list[float], note: str = "") -> str:
    median = statistics.median(values)
    spread = f"({min(values):.1f} to {max(values):.1f})"
    return f"{label:<34} {median:7.1f} ms  {spread:<18} {note}".rstrip()


def _paired(
    figures: dict[str, list[float]], first: str, second: str
) -> tuple[float, float]:
    """The medians of the round-by-round differences and ratios, first to second."""
    pairs = list(zip(figures[first], figures[second], strict=True))
    added = statistics.median(a - b for a, b in pairs)
    ratio = statistics.median(a / b for a, b in pairs)
    return added, ratio


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--runs", type=int, default=21, help="rounds of fresh processes (21)"
    )
    parser.add_argument(
        "--before",
        metavar="SRC",
        help="an earlier source tree (its src/ folder) to compare the first load with",
    )
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 if a target is missed"
    )
    arguments = parser.parse_args(argv)
    if arguments.runs < 1:
        parser.error("--runs must be at least 1")

    import mali_aid

    snippets = {
        "baseline": BASELINE,
        "import": _with_path(IMPORT, None),
        "load": _with_path(IMPORT_AND_LOAD, None),
    }
    if arguments.before:
        snippets["import before"] = _with_path(IMPORT, arguments.before)
        snippets["load before"] = _with_path(IMPORT_AND_LOAD, arguments.before)
    figures = measure(snippets, arguments.runs)

    about = f"mali-aid {mali_aid.__version__}, data {mali_aid.DATA_VERSION}"
    python = ".".join(map(str, sys.version_info[:3]))
    print(f"{about}; Python {python}; {arguments.runs} interleaved rounds")
    print(f"{'':<34} {'median':>10}  (min to max)")
    print(_line("import attrs", figures["baseline"]))
    print(_line("import mali_aid", figures["import"]))
    print(_line("import mali_aid; mali_aid.load()", figures["load"]))
    missed = []
    added, ratio = _paired(figures, "import", "baseline")
    verdict = "ok" if added <= IMPORT_TARGET_MS else "MISSED"
    if added > IMPORT_TARGET_MS:
        missed.append("import")
    print(
        f"added by mali_aid (paired)         {added:7.1f} ms  x{ratio:<17.2f}"
        f" target: at most {IMPORT_TARGET_MS:.0f} ms, {verdict}"
    )
    fastest = min(figures["import"]) - min(figures["baseline"])
    print(
        f"added, fastest against fastest     {fastest:7.1f} ms"
        "  (what a quiet machine gives)"
    )
    if arguments.before:
        print(_line("before: import mali_aid", figures["import before"]))
        print(_line("before: import and load()", figures["load before"]))
        added, ratio = _paired(figures, "import", "import before")
        print(f"import, now against before        {added:+7.1f} ms  x{ratio:.2f}")
        added, ratio = _paired(figures, "load", "load before")
        verdict = "ok" if ratio <= LOAD_RATIO_TARGET else "MISSED"
        if ratio > LOAD_RATIO_TARGET:
            missed.append("load")
        print(
            f"import and load(), now to before  {added:+7.1f} ms  x{ratio:<17.2f}"
            f" target: at most x{LOAD_RATIO_TARGET:.1f}, {verdict}"
        )
    return 1 if arguments.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
