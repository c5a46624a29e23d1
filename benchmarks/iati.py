"""How fast mali_aid.iati reads a large file, and in how much memory.

It writes a file of generated IATI 2.03 activities (200 MB by default: each
activity has a title, four participating organisations, dates, two
recipient countries with percentages, two sectors, two budgets, a
commitment and three disbursements, a description and a location), then
reads it in a child process each time, so that each peak memory (the
child's maximum resident set size) is its own:

- ``read_activities`` over the file, all activities for Mali: activities a
  second and peak memory, which holds the mapped records;
- the same file with every recipient outside Mali, so that nothing is kept:
  the peak is then the reader's own, and stays the same for a file a quarter
  of the size (also measured), which shows it bounded by the activity, not
  the file;
- lxml's plain ``iterparse`` over the same file, each activity's element
  cleared and its earlier siblings deleted at its end (lxml's documented
  idiom), counting activities and nothing more: the floor of parsing alone.

lxml is a benchmark-only dependency (``pip install lxml``); without it that
line is left out. Writing the files is not timed::

    python benchmarks/iati.py
    python benchmarks/iati.py --megabytes 50
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import tempfile

ACTIVITY = """<iati-activity default-currency="EUR" xml:lang="en" humanitarian="0">
<iati-identifier>XM-BENCH-{n}</iati-identifier>
<reporting-org ref="XM-BENCH" type="10"><narrative>Benchmark Agency</narrative></reporting-org>
<title><narrative>Generated activity {n} for water and health</narrative></title>
<description type="1"><narrative>{text}</narrative></description>
<participating-org ref="XM-DAC-{donor}" role="1" type="10"><narrative>Donor {donor}</narrative></participating-org>
<participating-org ref="XM-BENCH" role="2" type="10"><narrative>Benchmark Agency</narrative></participating-org>
<participating-org ref="XM-AGENCY-{agency}" role="3" type="10"><narrative>Agency {agency}</narrative></participating-org>
<participating-org role="4" type="22"><narrative>Implementer {implementer}</narrative></participating-org>
<activity-status code="2"/>
<activity-date type="1" iso-date="2022-01-01"/><activity-date type="2" iso-date="2022-02-15"/>
<activity-date type="3" iso-date="2025-12-31"/>
<recipient-country code="{first}" percentage="60"/><recipient-country code="{second}" percentage="40"/>
<location><location-reach code="1"/><name><narrative>Sikasso</narrative></name>
<administrative vocabulary="G1" level="1" code="2451184"/><exactness code="1"/></location>
<sector vocabulary="1" code="14030" percentage="70"/><sector vocabulary="1" code="12220" percentage="30"/>
<collaboration-type code="1"/>
<budget type="1" status="2"><period-start iso-date="2023-01-01"/><period-end iso-date="2023-12-31"/><value value-date="2023-01-01">{budget}</value></budget>
<budget type="1" status="2"><period-start iso-date="2024-01-01"/><period-end iso-date="2024-12-31"/><value value-date="2024-01-01">{budget}</value></budget>
<transaction><transaction-type code="2"/><transaction-date iso-date="2022-02-01"/><value value-date="2022-02-01">{commitment}</value></transaction>
<transaction><transaction-type code="3"/><transaction-date iso-date="2023-03-01"/><value value-date="2023-03-01">{paid}.25</value></transaction>
<transaction><transaction-type code="3"/><transaction-date iso-date="2024-03-01"/><value value-date="2024-03-01">{paid}.50</value></transaction>
<transaction><transaction-type code="3"/><transaction-date iso-date="2025-03-01"/><value currency="XOF" value-date="2025-03-01">{xof}</value></transaction>
</iati-activity>
"""


def write(path: str, megabytes: float, countries: tuple[str, str]) -> int:
    """Write activities until the file holds ``megabytes``; return how many."""
    rng = random.Random(16)
    target = int(megabytes * 1_000_000)
    count = 0
    with open(path, "w", encoding="utf-8") as out:
        out.write('<?xml version="1.0" encoding="UTF-8"?>\n')
        out.write(
            '<iati-activities version="2.03" generated-datetime="2026-01-01T00:00:00Z">\n'
        )
        while out.tell() < target:
            count += 1
            out.write(
                ACTIVITY.format(
                    n=count,
                    text="Access to drinking water and sanitation. "
                    * rng.randint(1, 6),
                    donor=rng.randint(1, 40),
                    agency=rng.randint(1, 200),
                    implementer=rng.randint(1, 2000),
                    first=countries[0],
                    second=countries[1],
                    budget=rng.randint(10_000, 5_000_000),
                    commitment=rng.randint(10_000_000, 20_000_000),
                    paid=rng.randint(1_000, 900_000),
                    xof=rng.randint(1_000_000, 90_000_000),
                )
            )
        out.write("</iati-activities>\n")
    return count


CHILD = {
    "mali_aid": """
import sys, time
from mali_aid import iati
started = time.perf_counter()
result = iati.read_activities(sys.argv[1], progress=False)
seconds = time.perf_counter() - started
count = len(result.engagements) + len(result.outside)
""",
    "lxml": """
import sys, time
from lxml import etree
started = time.perf_counter()
count = 0
for _, element in etree.iterparse(sys.argv[1], events=("end",), tag="iati-activity"):
    count += 1
    element.clear()
    while element.getprevious() is not None:
        del element.getparent()[0]
seconds = time.perf_counter() - started
""",
}
REPORT = """
import json, resource
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"count": count, "seconds": seconds, "peak_kib": peak}))
"""


def measure(reader: str, path: str) -> dict[str, float]:
    done = subprocess.run(
        [sys.executable, "-c", CHILD[reader] + REPORT, path],
        capture_output=True,
        text=True,
        check=True,
    )
    result: dict[str, float] = json.loads(done.stdout)
    return result


def line(what: str, size: int, result: dict[str, float]) -> str:
    rate = result["count"] / result["seconds"]
    # ru_maxrss is in KiB on Linux, in bytes on macOS.
    scale = 1 if sys.platform != "darwin" else 1 / 1024
    peak = result["peak_kib"] * scale / 1024
    return (
        f"| {what} | {size / 1_000_000:,.0f} MB | {result['count']:,.0f} |"
        f" {result['seconds']:,.1f} s | {rate:,.0f} | {peak:,.0f} MiB |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--megabytes", type=float, default=200)
    options = parser.parse_args()
    try:
        import lxml  # noqa: F401

        readers = ["mali_aid", "lxml"]
    except ImportError:
        readers = ["mali_aid"]
    print(f"Python {sys.version.split()[0]}, {os.cpu_count()} CPUs")
    print("| reader | file | activities | time | activities/s | peak memory |")
    print("| --- | ---: | ---: | ---: | ---: | ---: |")
    with tempfile.TemporaryDirectory() as folder:
        mali = os.path.join(folder, "mali.xml")
        write(mali, options.megabytes, ("ML", "BF"))
        size = os.path.getsize(mali)
        print(
            line("read_activities, for Mali", size, measure("mali_aid", mali)),
            flush=True,
        )
        os.remove(mali)
        for share in (1, 0.25):
            elsewhere = os.path.join(folder, "elsewhere.xml")
            write(elsewhere, options.megabytes * share, ("NE", "BF"))
            size = os.path.getsize(elsewhere)
            print(
                line(
                    "read_activities, none for Mali",
                    size,
                    measure("mali_aid", elsewhere),
                ),
                flush=True,
            )
            if share == 1 and "lxml" in readers:
                print(
                    line("lxml iterparse and clear", size, measure("lxml", elsewhere)),
                    flush=True,
                )
            os.remove(elsewhere)


if __name__ == "__main__":
    main()
