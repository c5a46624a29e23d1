"""Random command lines: exit status 0, 1 or 2, never a traceback.

Each example builds a command line from the real commands and options and
from junk values, runs ``mali-aid`` in the process, and checks the status
and that a failure says what went wrong in one line.
"""

from __future__ import annotations

import contextlib
import io
import os
import tempfile
from pathlib import Path

from hypothesis import given
from hypothesis import strategies as st

from mali_aid._cli import main

COMMANDS = [
    "summary",
    "engagements",
    "totals",
    "overlaps",
    "compare",
    "export",
    "donors",
    "organisations",
    "places",
    "sectors",
    "sources",
    "import-iati",
]
OPTIONS = [
    "--json",
    "--merge",
    "--whole",
    "--donor",
    "--implementer",
    "--place",
    "--sector",
    "--year",
    "--channel",
    "--by",
    "--currency",
    "--kind",
    "--level",
    "--on",
    "--top",
    "--format",
    "--table",
    "--out",
    "--data",
    "--help",
    "--version",
    "--between-donors",
    "--no-overlaps",
    "--status",
    "--source",
    "--in",
    "--skip-bad",
    "--keep-outside",
]
VALUES = [
    "BE",
    "LU",
    "CH",
    "ML",
    "Sikasso",
    "Bamako",
    "EUR",
    "XOF",
    "usd",
    "donor",
    "donor,year",
    "place,sector",
    "year",
    "region",
    "budget",
    "bilateral",
    "2014",
    "0",
    "-1",
    "9999",
    "99999999999999999999",
    "1e9",
    "",
    " ",
    "\n",
    "x" * 300,
    "é",
    "json",
    "csv",
    "parquet",
    "engagements",
    "years",
    "participants",
    "..",
    "donor,donor",
    "place,",
    ",",
    "NaN",
    "planned",
    "mission",
    "be-dgd-mali",
    "cercle",
    os.devnull,
]


@st.composite
def command_lines(draw: st.DrawFn, scratch: str) -> list[str]:
    argv = [draw(st.sampled_from(COMMANDS))]
    for _ in range(draw(st.integers(0, 5))):
        option = draw(st.sampled_from(OPTIONS))
        argv.append(option)
        if option == "--out":
            argv.append(
                os.path.join(
                    scratch,
                    draw(
                        st.sampled_from(
                            [
                                "t.csv",
                                "t.json",
                                "t.parquet",
                                "t.txt",
                                "no/such/dir/t.csv",
                                "",
                            ]
                        )
                    ),
                )
            )
        elif option == "--data":
            argv.append(
                draw(
                    st.sampled_from(
                        [
                            scratch,
                            os.path.join(scratch, "missing"),
                            os.devnull,
                            os.path.join(scratch, "bad"),
                        ]
                    )
                )
            )
        elif draw(st.booleans()):
            argv.append(draw(st.sampled_from(VALUES) | st.text(max_size=8)))
    if draw(st.booleans()):
        argv.extend(draw(st.lists(st.sampled_from(VALUES), max_size=2)))
    return argv


SCRATCH = tempfile.mkdtemp(prefix="mali-aid-cli-")
(Path(SCRATCH) / "bad").mkdir(exist_ok=True)
(Path(SCRATCH) / "bad" / "sources.toml").write_text(
    "[[sources]]\nx = " + "[" * 500 + "]" * 500
)


def run(argv: list[str]) -> tuple[int, str]:
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exit:
            status = exit.code if isinstance(exit.code, int) else 2
    return status, err.getvalue()


@given(command_lines(SCRATCH))
def test_a_random_command_line(argv: list[str]) -> None:
    status, err = run(argv)
    assert status in (0, 1, 2), (argv, status, err)
    assert "Traceback" not in err, (argv, err)
    if status:
        lines = err.strip().splitlines()
        assert lines and lines[-1].startswith("mali-aid"), (argv, err)
        assert "error:" in lines[-1]


def test_bad_data_is_one_line() -> None:
    status, err = run(["summary", "--data", os.path.join(SCRATCH, "bad")])
    assert status == 1
    assert err.count("\n") == 1 and "nested" in err
