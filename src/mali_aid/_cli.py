"""The ``mali-aid`` command line.

``mali-aid`` alone prints its help and exits with status 0, so a first try
shows what it can do. Status 1 means the data failed to load (one line on
standard error says where); status 2 a mistake in the command itself.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING, Any

from .errors import DataError

if TYPE_CHECKING:
    from mali_aid import Dataset


def _parser() -> argparse.ArgumentParser:
    import mali_aid

    parser = argparse.ArgumentParser(
        prog="mali-aid",
        description="Explore the curated dataset of international cooperation with Mali.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"mali-aid {mali_aid.__version__} (data {mali_aid.DATA_VERSION})",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    summary = commands.add_parser(
        "summary",
        help="what the data holds",
        description=(
            "Count the records of each kind, the donors and their engagements,"
            " the places by level, the years covered and the engagements whose"
            " amount is unknown."
        ),
    )
    summary.add_argument(
        "--json", action="store_true", help="print the summary as JSON"
    )
    summary.add_argument(
        "--data",
        metavar="DIR",
        help="read the data files in DIR instead of the bundled data",
    )
    summary.add_argument(
        "--merge",
        action="store_true",
        help="with --data: the bundled data plus the records in DIR",
    )
    summary.set_defaults(run=_summary, command_parser=summary)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    arguments = parser.parse_args(argv)
    run: Callable[[argparse.Namespace], int] | None = getattr(arguments, "run", None)
    if run is None:
        parser.print_help()
        return 0
    try:
        return run(arguments)
    except DataError as error:
        message = " ".join(str(error).split())
        print(f"mali-aid: error: {message}", file=sys.stderr)
        return 1


# -- summary ----------------------------------------------------------------------


def _summary(arguments: argparse.Namespace) -> int:
    import mali_aid

    if arguments.merge and arguments.data is None:
        arguments.command_parser.error("--merge needs --data DIR")
    data = mali_aid.load(arguments.data, merge=arguments.merge)
    facts = _summarise(
        data,
        bundled=arguments.data is None or arguments.merge,
        directory=arguments.data,
    )
    if arguments.json:
        print(json.dumps(facts, indent=2, ensure_ascii=False))
    else:
        print(_render(facts), end="")
    return 0


def _summarise(
    data: Dataset, *, bundled: bool, directory: str | None
) -> dict[str, Any]:
    """The facts of the summary as plain data, in the order they are shown."""
    import mali_aid

    engagements: dict[str, int] = {}
    unknown_funder = 0
    years: list[int] = []
    no_amount = 0
    for engagement in data.engagements:
        donors = data.donors(engagement)
        if not donors:
            unknown_funder += 1
        for donor in donors:
            engagements[donor] = engagements.get(donor, 0) + 1
        if engagement.period is not None:
            years.extend(
                bound.year
                for bound in (engagement.period.start, engagement.period.end)
                if bound is not None
            )
        years.extend(engagement.active_in)
        if not engagement.amounts:
            no_amount += 1
    ranked = sorted(engagements, key=lambda donor: (-engagements[donor], donor))
    levels: dict[str, int] = {}
    for level in mali_aid.PlaceLevel:
        count = sum(1 for place in data.places if place.level is level)
        if count:
            levels[level.value] = count
    return {
        "data": {
            "bundled": mali_aid.DATA_VERSION if bundled else None,
            "directory": directory,
        },
        "records": {
            kind: len(getattr(data, kind))
            for kind in (
                "sources",
                "organisations",
                "places",
                "sectors",
                "themes",
                "engagements",
                "events",
                "indicators",
            )
        },
        "donors": [
            {
                "id": donor,
                "name": data.organisation(donor).name,
                "engagements": engagements[donor],
            }
            for donor in ranked
        ],
        "unknown_funder": unknown_funder,
        "places_by_level": levels,
        "years": {"first": min(years), "last": max(years)} if years else None,
        "no_known_amount": no_amount,
    }


def _render(facts: dict[str, Any]) -> str:
    """The summary as an aligned plain-text table."""
    origin = facts["data"]
    sources = []
    if origin["bundled"] is not None:
        sources.append(f"bundled release {origin['bundled']}")
    if origin["directory"] is not None:
        sources.append(origin["directory"])
    lines: list[str | tuple[str, str]] = [f"Data: {' + '.join(sources)}", ""]
    lines.append("Records")
    lines.extend((kind, str(count)) for kind, count in facts["records"].items())
    lines += ["", "Engagements by donor (the root organisation of a funder)"]
    width = max((len(donor["id"]) for donor in facts["donors"]), default=0)
    lines.extend(
        (f"{donor['id']:<{width}}  {donor['name']}", str(donor["engagements"]))
        for donor in facts["donors"]
    )
    lines.append(("unknown funder", str(facts["unknown_funder"])))
    lines += ["", "Places by level"]
    lines.extend(
        (level, str(count)) for level, count in facts["places_by_level"].items()
    )
    years = facts["years"]
    lines += [
        "",
        "Coverage",
        ("years", "unknown" if years is None else f"{years['first']}..{years['last']}"),
        ("engagements with no known amount", str(facts["no_known_amount"])),
    ]
    rows = [line for line in lines if isinstance(line, tuple)]
    label_width = max(len(label) for label, _ in rows)
    value_width = max(len(value) for _, value in rows)
    text = []
    for line in lines:
        if isinstance(line, tuple):
            label, value = line
            text.append(f"  {label:<{label_width}}  {value:>{value_width}}")
        else:
            text.append(line)
    return "\n".join(text) + "\n"


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
