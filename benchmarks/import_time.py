"""How long ``import mali_aid`` and the first ``mali_aid.load()`` take.

Each figure is the median over fresh interpreters, started one after another
in the same run, so that both imports meet the same machine::

    python benchmarks/import_time.py            # 21 processes of each kind
    python benchmarks/import_time.py --runs 51  # steadier figures
    python benchmarks/import_time.py --check    # exit 1 if a target is missed

The baseline is ``import attrs, cattrs``, which ``mali_aid`` needs anyway;
the target is that ``mali_aid`` adds at most 30 ms to it, and that the first
``load()`` of the bundled data takes at most 100 ms. Run it with the Python
of the environment where mali-aid is installed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
from collections.abc import Sequence

IMPORT_TARGET_MS = 30.0
LOAD_TARGET_MS = 100.0

# Each snippet runs in a fresh interpreter and prints one duration in seconds.
BASELINE = """
import time
start = time.perf_counter()
import attrs, cattrs
print(time.perf_counter() - start)
"""
IMPORT = """
import time
start = time.perf_counter()
import mali_aid
print(time.perf_counter() - start)
"""
FIRST_LOAD = """
import time
import mali_aid
start = time.perf_counter()
mali_aid.load()
print(time.perf_counter() - start)
"""


def _time(snippet: str) -> float:
    """Run ``snippet`` in a fresh, isolated interpreter; its figure in ms."""
    done = subprocess.run(
        [sys.executable, "-I", "-c", snippet],
        capture_output=True,
        text=True,
        check=True,
    )
    return float(done.stdout.strip()) * 1000


def measure(runs: int, *, with_load: bool) -> dict[str, list[float]]:
    """Interleave the snippets over ``runs`` rounds, after one warm-up round."""
    snippets = {"baseline": BASELINE, "import": IMPORT}
    if with_load:
        snippets["load"] = FIRST_LOAD
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
    return f"{label:<24} {median:7.1f} ms  {spread:<18} {note}".rstrip()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--runs", type=int, default=21, help="fresh processes of each kind (21)"
    )
    parser.add_argument(
        "--check", action="store_true", help="exit with status 1 if a target is missed"
    )
    arguments = parser.parse_args(argv)
    if arguments.runs < 1:
        parser.error("--runs must be at least 1")

    import mali_aid

    with_load = hasattr(mali_aid, "load")
    figures = measure(arguments.runs, with_load=with_load)

    data = getattr(mali_aid, "DATA_VERSION", None)
    about = f"mali-aid {mali_aid.__version__}" + (f", data {data}" if data else "")
    python = ".".join(map(str, sys.version_info[:3]))
    print(f"{about}; Python {python}; median of {arguments.runs} fresh processes")
    print(f"{'':<24} {'median':>10}  (min to max)")
    print(_line("import attrs, cattrs", figures["baseline"]))
    print(_line("import mali_aid", figures["import"]))
    added = statistics.median(figures["import"]) - statistics.median(
        figures["baseline"]
    )
    missed = []
    verdict = "ok" if added <= IMPORT_TARGET_MS else "MISSED"
    if added > IMPORT_TARGET_MS:
        missed.append("import")
    print(
        f"{'added by mali_aid':<24} {added:7.1f} ms  "
        f"{'':<18} target: at most {IMPORT_TARGET_MS:.0f} ms, {verdict}"
    )
    if with_load:
        load = statistics.median(figures["load"])
        verdict = "ok" if load <= LOAD_TARGET_MS else "MISSED"
        if load > LOAD_TARGET_MS:
            missed.append("load")
        print(
            _line(
                "first mali_aid.load()",
                figures["load"],
                f"target: at most {LOAD_TARGET_MS:.0f} ms, {verdict}",
            )
        )
    else:
        print("first mali_aid.load()    (not measured: mali_aid has no load() yet)")
    return 1 if arguments.check and missed else 0


if __name__ == "__main__":
    sys.exit(main())
