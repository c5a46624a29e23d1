"""The parser: the commands, their options and the checks of their values."""

from __future__ import annotations

import argparse
from collections.abc import Callable, Sequence
from typing import NoReturn

from . import _commands
from ._output import one_line


class Parser(argparse.ArgumentParser):
    """Usage errors on one line, whatever the arguments held."""

    def error(self, message: str) -> NoReturn:
        super().error(one_line(message))


# -- values ----------------------------------------------------------------------


def _comma_list(choices: Sequence[str]) -> Callable[[str], tuple[str, ...]]:
    def parse(text: str) -> tuple[str, ...]:
        values = tuple(value.strip() for value in text.split(",") if value.strip())
        if not values:
            raise argparse.ArgumentTypeError("give at least one value")
        for value in values:
            if value not in choices:
                raise argparse.ArgumentTypeError(
                    f"{value!r} is not one of {', '.join(choices)}"
                )
        if len(set(values)) != len(values):
            raise argparse.ArgumentTypeError("a value is repeated")
        return values

    return parse


def _positive_int(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a whole number") from None
    if value < 1:
        raise argparse.ArgumentTypeError("must be 1 or more")
    return value


def _year(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year") from None
    if not 1 <= value <= 9999:
        raise argparse.ArgumentTypeError(f"{text!r} is not a year")
    return value


def _currency(text: str) -> str:
    """A currency the bundled rates convert to and from (EUR, USD, XOF...)."""
    code = text.upper()
    if code == "EUR":
        return code
    import mali_aid

    known = mali_aid.default_rates().currencies
    if code not in known:
        raise argparse.ArgumentTypeError(
            f"{text!r}: the bundled exchange rates convert only"
            f" {', '.join(sorted(known))}"
        )
    return code


def _values(kind: type) -> list[str]:
    return [member.value for member in kind]  # type: ignore[attr-defined]


# -- option groups -----------------------------------------------------------------


def _common_options() -> Parser:
    common = Parser(add_help=False)
    group = common.add_argument_group("data and output")
    group.add_argument(
        "--data",
        metavar="DIR",
        help="read the data files in DIR instead of the bundled data",
    )
    group.add_argument(
        "--merge",
        action="store_true",
        help="with --data: the bundled data plus the records in DIR",
    )
    group.add_argument(
        "--json", action="store_true", help="print JSON instead of a table"
    )
    return common


def _selection_options() -> Parser:
    selection = Parser(add_help=False)
    group = selection.add_argument_group(
        "which engagements",
        "Repeat an option for any of several values; different options must all hold."
        " Organisations, places and sectors are named by id or by name.",
    )
    group.add_argument(
        "--donor", action="append", metavar="ORG", help="funded by ORG (e.g. BE)"
    )
    group.add_argument(
        "--implementer", action="append", metavar="ORG", help="implemented by ORG"
    )
    group.add_argument(
        "--place", action="append", metavar="PLACE", help="in PLACE or inside it"
    )
    group.add_argument("--sector", action="append", metavar="SECTOR", help="in SECTOR")
    group.add_argument(
        "--year", action="append", type=_year, metavar="YEAR", help="active in YEAR"
    )
    group.add_argument(
        "--channel", action="append", metavar="CHANNEL", help="through CHANNEL"
    )
    codes = selection.add_argument_group(
        "IATI codes",
        "Codes of the IATI codelists, as imported activities carry them"
        " (see docs/iati.md); a code not in its codelist is refused.",
    )
    for option, what in (
        ("--aid-type", "of aid type CODE (e.g. C01)"),
        ("--flow-type", "of flow type CODE (e.g. 10, ODA)"),
        ("--finance-type", "of finance type CODE (e.g. 110, standard grant)"),
        ("--tied-status", "of tied status CODE (e.g. 5, untied)"),
        (
            "--policy-marker",
            "marked for policy CODE, any significance but 0, or CODE:SIGNIFICANCE",
        ),
    ):
        codes.add_argument(option, action="append", metavar="CODE", help=what)
    flag = codes.add_mutually_exclusive_group()
    flag.add_argument(
        "--humanitarian",
        action="store_true",
        default=None,
        help="flagged humanitarian",
    )
    flag.add_argument(
        "--not-humanitarian",
        action="store_false",
        dest="humanitarian",
        help="flagged as not humanitarian",
    )
    return selection


class _Commands:
    """Adds commands to the subparsers, with the option groups they take."""

    def __init__(self, parser: argparse.ArgumentParser) -> None:
        self.subparsers = parser.add_subparsers(title="commands", metavar="COMMAND")
        self.common = _common_options()
        self.selection = _selection_options()

    def add(
        self,
        name: str,
        run: Callable[..., int],
        summary: str,
        description: str,
        *,
        select: bool = False,
        data: bool = True,
    ) -> argparse.ArgumentParser:
        parents = [self.common, self.selection] if select else [self.common]
        if not data:
            parents = []
        sub = self.subparsers.add_parser(
            name, parents=parents, help=summary, description=description
        )
        sub.set_defaults(run=run, command_parser=sub, loads_data=data)
        if not data:
            sub.add_argument(
                "--json", action="store_true", help="print JSON instead of a line"
            )
        return sub


def parser() -> argparse.ArgumentParser:
    import mali_aid

    top = Parser(
        prog="mali-aid",
        description="Explore the curated dataset of international cooperation with Mali.",
        epilog="Run 'mali-aid COMMAND --help' for the options of a command.",
    )
    top.add_argument(
        "--version",
        action="version",
        version=f"mali-aid {mali_aid.__version__} (data {mali_aid.DATA_VERSION})",
    )
    commands = _Commands(top)
    _add_summary_and_browsing(commands)
    _add_totals(commands)
    _add_overlaps_and_compare(commands)
    _add_files(commands)
    return top


def _add_summary_and_browsing(commands: _Commands) -> None:
    import mali_aid

    commands.add(
        "summary",
        _commands.summary,
        "what the data holds",
        "Count the records of each kind, the donors with their engagements and"
        " known totals in euros, the places by level, the years covered and the"
        " engagements whose amount is unknown.",
    )
    listed = commands.add(
        "engagements",
        _commands.engagements,
        "list engagements",
        "List the engagements that meet the conditions given (all by default),"
        " in the order of the data files.",
        select=True,
    )
    _engagement_filters(listed, "engagements")
    donors = commands.add(
        "donors",
        _commands.browse,
        "list the donors",
        "List the donors (the root organisations of funders) with the number of"
        " engagements each funds; --source, --status and --kind count only those"
        " engagements.",
    )
    _engagement_filters(donors, "donors")
    organisations = commands.add(
        "organisations",
        _commands.browse,
        "list the organisations",
        "List the organisations with their kind, parent and country.",
    )
    organisations.add_argument(
        "--kind", choices=_values(mali_aid.OrganisationKind), help="of this kind"
    )
    _source_filter(organisations, "organisations")
    places = commands.add(
        "places",
        _commands.browse,
        "list the places",
        "List the places of the gazetteer with their level and parent.",
    )
    places.add_argument(
        "--level", choices=_values(mali_aid.PlaceLevel), help="at this level"
    )
    places.add_argument(
        "--in",
        dest="within",
        metavar="PLACE",
        help="lying inside PLACE, at any depth (an id or a name)",
    )
    _source_filter(places, "places")
    sectors = commands.add(
        "sectors",
        _commands.browse,
        "list the sectors",
        "List the sectors with their OECD DAC purpose or category code.",
    )
    _source_filter(sectors, "sectors")
    sources = commands.add(
        "sources",
        _commands.browse,
        "list the sources",
        "List the documents the data is drawn from.",
    )
    sources.set_defaults(listed="sources")
    show = commands.add(
        "show",
        _commands.show,
        "print a record in full",
        "Print a record in full: its fields in words, with those read rather"
        " than stated marked [inferred] and the reasons listed, its note and"
        " its citations. With --sources, each citation is followed by the"
        " paragraph it cites.",
    )
    show.add_argument("id", metavar="ID", help="the record's id (e.g. eutm-mali)")
    show.add_argument(
        "--kind",
        choices=mali_aid.RECORD_KINDS,
        help="the kind of record, where several kinds hold the id (e.g. place)",
    )
    show.add_argument(
        "--sources",
        metavar="DIR",
        help="a directory holding the source texts, to print the cited paragraphs",
    )


def _source_filter(sub: argparse.ArgumentParser, listed: str) -> None:
    sub.add_argument("--source", metavar="ID", help="cited by the source ID")
    sub.set_defaults(listed=listed)


def _engagement_filters(sub: argparse.ArgumentParser, listed: str) -> None:
    import mali_aid

    sub.add_argument(
        "--status", choices=_values(mali_aid.Status), help="engagements at this status"
    )
    sub.add_argument(
        "--kind",
        choices=_values(mali_aid.EngagementKind),
        help="engagements of this kind (programme, project, mission...)",
    )
    _source_filter(sub, listed)


def _add_totals(commands: _Commands) -> None:
    import mali_aid

    totals = commands.add(
        "totals",
        _commands.totals,
        "total the known amounts",
        "Total the engagements' amounts, grouped by one or more dimensions, in"
        " one currency. Amounts spread over years by days and are converted at"
        " each year's mean rate; unknown amounts are listed, never counted as 0.",
        select=True,
    )
    dimensions = mali_aid.TOTAL_DIMENSIONS
    totals.add_argument(
        "--by",
        type=_comma_list(dimensions),
        default=("donor",),
        metavar="DIMENSIONS",
        help=f"comma-separated, from: {', '.join(dimensions)} (default: donor)",
    )
    totals.add_argument(
        "--currency",
        type=_currency,
        default="EUR",
        help="currency of the result (default: EUR)",
    )
    totals.add_argument(
        "--kind",
        action="append",
        metavar="KIND",
        choices=_values(mali_aid.AmountKind),
        help="count amounts of this kind (repeatable; default: the planned total,"
        " else what was contributed)",
    )
    totals.add_argument(
        "--level",
        choices=_values(mali_aid.PlaceLevel),
        help="with --by place: roll places up to this level (e.g. region)",
    )
    totals.add_argument(
        "--whole",
        action="store_true",
        help="count an amount whole under each of its sectors or places"
        " (the rows then do not add up)",
    )
    totals.add_argument(
        "--scope",
        choices=("mali", "all"),
        default="mali",
        help="count only Mali's part of engagements partly elsewhere (mali, the"
        " default), or whole engagements (all)",
    )
    totals.add_argument(
        "--format",
        choices=("text", "json", "csv"),
        default="text",
        help="text (the default), json (as --json) or csv: one row per key",
    )
    totals.add_argument(
        "--out",
        metavar="PATH",
        help="write to PATH instead of standard output",
    )


def _add_overlaps_and_compare(commands: _Commands) -> None:
    import mali_aid

    overlaps = commands.add(
        "overlaps",
        _commands.overlaps,
        "find engagements that meet",
        "Find pairs of engagements that share time, place and sector (or the"
        " dimensions given with --on), of different donors. With two or more"
        " --donor, the pairs between those donors: one engagement of one of"
        " them, the other of another.",
        select=True,
    )
    dimensions = mali_aid.OVERLAP_DIMENSIONS
    overlaps.add_argument(
        "--on",
        type=_comma_list(dimensions),
        default=dimensions,
        metavar="DIMENSIONS",
        help=f"comma-separated, from: {', '.join(dimensions)} (default: all three)",
    )
    overlaps.add_argument(
        "--min-days",
        type=_positive_int,
        default=1,
        metavar="N",
        help="with time: share at least N days (default: 1)",
    )
    overlaps.add_argument(
        "--all-pairs",
        action="store_true",
        help="also pairs with the same donor (default: different donors only)",
    )
    compare = commands.add(
        "compare",
        _commands.compare,
        "compare donors side by side",
        "Compare two donors side by side: known totals, years, channels, sectors,"
        " places, partners, overlaps and a similarity score. With more than two,"
        " print the similarity of every pair.",
    )
    compare.add_argument(
        "donors", nargs="+", metavar="DONOR", help="donor ids or names (e.g. BE LU)"
    )
    compare.add_argument(
        "--currency",
        type=_currency,
        default="EUR",
        help="currency of the totals (default: EUR)",
    )


def _add_files(commands: _Commands) -> None:
    export = commands.add(
        "export",
        _commands.export,
        "write a table to a file",
        "Write one flat table of the engagements to a file: one row per"
        " engagement, per engagement and participant, or per engagement, donor"
        " and year of its spread total. Parquet needs the 'arrow' extra.",
        select=True,
    )
    export.add_argument(
        "--format",
        choices=("json", "csv", "parquet"),
        help="file format (default: from the suffix of --out)",
    )
    export.add_argument(
        "--out",
        required=True,
        metavar="PATH",
        help="the file to write ('-' for standard output, json and csv only)",
    )
    export.add_argument(
        "--table",
        choices=("engagements", "participants", "years"),
        default="engagements",
        help="which table (default: engagements)",
    )
    export.add_argument(
        "--currency",
        type=_currency,
        default="EUR",
        help="with --table years: currency of the amounts (default: EUR)",
    )
    timeline = commands.add(
        "timeline",
        _commands.timeline,
        "draw a chart of engagements in time",
        "Draw a Gantt chart of the engagements by donor on a time axis, with"
        " overlaps shaded and unknown amounts and undated engagements marked."
        " Needs the 'plot' extra. The format follows the suffix of --out"
        " (.svg, .png, .pdf).",
        select=True,
    )
    timeline.add_argument(
        "--out", required=True, metavar="PATH", help="the image file to write"
    )
    timeline.add_argument(
        "--no-overlaps", action="store_true", help="do not shade the overlaps"
    )
    diff = commands.add(
        "diff",
        _commands.diff,
        "what changed between two data directories",
        "List the records added, removed and changed from the data in OLD to"
        " the data in NEW, kind by kind, each changed field with its value"
        " before and after and the citations behind the record. 'bundled'"
        " stands for the bundled data.",
        data=False,
    )
    diff.add_argument("old", metavar="OLD", help="a data directory, or 'bundled'")
    diff.add_argument("new", metavar="NEW", help="a data directory, or 'bundled'")
    diff.add_argument(
        "--markdown", action="store_true", help="print a changelog section in Markdown"
    )
    iati = commands.add(
        "import-iati",
        _commands.import_iati,
        "turn IATI activity files into data files",
        "Read IATI 2.0x activity files (or directories of them) and write their"
        " records as data files in DIR, which every command then reads with"
        " --data DIR. What was not mapped, skipped or outside Mali is counted.",
        data=False,
    )
    iati.add_argument("files", nargs="+", metavar="FILE", help="IATI XML files")
    iati.add_argument(
        "--out", required=True, metavar="DIR", help="the directory to write"
    )
    iati.add_argument(
        "--source-id",
        metavar="ID",
        help="the id of the source that stands for a single file",
    )
    iati.add_argument(
        "--skip-bad",
        action="store_true",
        help="leave out an activity that breaks a rule instead of stopping",
    )
    iati.add_argument(
        "--keep-outside",
        action="store_true",
        help="keep activities with no recipient in Mali",
    )
    iati.add_argument(
        "--quiet",
        action="store_true",
        help="no progress bar (one is shown on a terminal when tqdm is installed)",
    )
