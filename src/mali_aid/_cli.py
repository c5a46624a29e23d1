"""The ``mali-aid`` command line.

``mali-aid`` alone prints its help and exits with status 0, so a first try
shows what it can do. Every command reads the bundled data, or a directory of
the user's own files with ``--data DIR`` (plus the bundled data with
``--merge``), prints an aligned plain-text table, or JSON with ``--json``.

Exit status: 0 on success; 2 for a mistake in the command itself (an unknown
option, a name that means no record or several); 1 when the data or the
request cannot be served (bad data, no exchange rate, a missing optional
extra), with one line on standard error and no traceback.

The commands call the public API only.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
import textwrap
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, NoReturn

import attrs

from ._aggregate import DIMENSIONS as _DIMENSIONS
from ._dataset import _KINDS
from ._overlap import _DIMENSIONS as _OVERLAP_DIMENSIONS
from .errors import MaliAidError

if TYPE_CHECKING:
    from mali_aid import Dataset, Engagement, Overlap, Overlaps

_RECORD_KINDS = tuple(plural for plural, _, _ in _KINDS)


class _Usage(Exception):
    """A mistake in the command: reported by argparse, with status 2."""


class _MissingExtra(Exception):
    """An optional dependency is not installed: status 1, naming the install."""


# -- the parser ------------------------------------------------------------------


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


def _common_options() -> _Parser:
    common = _Parser(add_help=False)
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


def _selection_options() -> _Parser:
    selection = _Parser(add_help=False)
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
    return selection


def _one_line(message: str) -> str:
    """The message on one line: a newline or other control character in a
    value the user typed is shown escaped."""
    return "".join(
        character if character.isprintable() else repr(character)[1:-1]
        for character in message
    )


class _Parser(argparse.ArgumentParser):
    """Usage errors on one line, whatever the arguments held."""

    def error(self, message: str) -> NoReturn:
        super().error(_one_line(message))


def _parser() -> argparse.ArgumentParser:
    import mali_aid

    parser = _Parser(
        prog="mali-aid",
        description="Explore the curated dataset of international cooperation with Mali.",
        epilog="Run 'mali-aid COMMAND --help' for the options of a command.",
    )
    parser.add_argument(
        "--version",
        action="version",
        version=f"mali-aid {mali_aid.__version__} (data {mali_aid.DATA_VERSION})",
    )
    commands = parser.add_subparsers(title="commands", metavar="COMMAND")
    common = _common_options()
    selection = _selection_options()

    def command(
        name: str,
        run: Callable[[argparse.Namespace, Dataset], int],
        summary: str,
        description: str,
        *,
        select: bool = True,
    ) -> argparse.ArgumentParser:
        parents = [common, selection] if select else [common]
        sub = commands.add_parser(
            name, parents=parents, help=summary, description=description
        )
        sub.set_defaults(run=run, command_parser=sub)
        return sub

    command(
        "summary",
        _summary,
        "what the data holds",
        "Count the records of each kind, the donors with their engagements and"
        " known totals in euros, the places by level, the years covered and the"
        " engagements whose amount is unknown.",
        select=False,
    )
    command(
        "engagements",
        _engagements,
        "list engagements",
        "List the engagements that meet the conditions given (all by default),"
        " in the order of the data files.",
    )
    totals = command(
        "totals",
        _totals,
        "total the known amounts",
        "Total the engagements' amounts, grouped by one or more dimensions, in"
        " one currency. Amounts spread over years by days and are converted at"
        " each year's mean rate; unknown amounts are listed, never counted as 0.",
    )
    totals.add_argument(
        "--by",
        type=_comma_list(_DIMENSIONS),
        default=("donor",),
        metavar="DIMENSIONS",
        help=f"comma-separated, from: {', '.join(_DIMENSIONS)} (default: donor)",
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
        choices=[kind.value for kind in mali_aid.AmountKind],
        help="count amounts of this kind (repeatable; default: the planned total,"
        " else what was contributed)",
    )
    totals.add_argument(
        "--level",
        choices=[level.value for level in mali_aid.PlaceLevel],
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
    overlaps = command(
        "overlaps",
        _overlaps,
        "find engagements that meet",
        "Find pairs of engagements that share time, place and sector (or the"
        " dimensions given with --on), of different donors. With two or more"
        " --donor, the pairs between those donors: one engagement of one of"
        " them, the other of another.",
    )
    overlaps.add_argument(
        "--on",
        type=_comma_list(_OVERLAP_DIMENSIONS),
        default=_OVERLAP_DIMENSIONS,
        metavar="DIMENSIONS",
        help="comma-separated, from: time, place, sector (default: all three)",
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
    compare = command(
        "compare",
        _compare,
        "compare donors side by side",
        "Compare two donors side by side: known totals, years, channels, sectors,"
        " places, partners, overlaps and a similarity score. With more than two,"
        " print the similarity of every pair.",
        select=False,
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
    export = command(
        "export",
        _export,
        "write a table to a file",
        "Write one flat table of the engagements to a file: one row per"
        " engagement, per engagement and participant, or per engagement, donor"
        " and year of its spread total. Parquet needs the 'arrow' extra.",
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
    timeline = command(
        "timeline",
        _timeline,
        "draw a chart of engagements in time",
        "Draw a Gantt chart of the engagements by donor on a time axis, with"
        " overlaps shaded and unknown amounts and undated engagements marked."
        " Needs the 'plot' extra. The format follows the suffix of --out"
        " (.svg, .png, .pdf).",
    )
    timeline.add_argument(
        "--out", required=True, metavar="PATH", help="the image file to write"
    )
    timeline.add_argument(
        "--no-overlaps", action="store_true", help="do not shade the overlaps"
    )
    show = command(
        "show",
        _show,
        "print a record in full",
        "Print a record in full: its fields in words, with those read rather"
        " than stated marked [inferred] and the reasons listed, its note and"
        " its citations. With --sources, each citation is followed by the"
        " paragraph it cites.",
        select=False,
    )
    show.add_argument("id", metavar="ID", help="the record's id (e.g. eutm-mali)")
    show.add_argument(
        "--kind",
        choices=[singular for _, singular, _ in _KINDS],
        help="the kind of record, where several kinds hold the id (e.g. place)",
    )
    show.add_argument(
        "--sources",
        metavar="DIR",
        help="a directory holding the source texts, to print the cited paragraphs",
    )
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit status."""
    parser = _parser()
    arguments = parser.parse_args(argv)
    run: Callable[[argparse.Namespace, Dataset], int] | None = getattr(
        arguments, "run", None
    )
    if run is None:
        parser.print_help()
        return 0
    command_parser: argparse.ArgumentParser = arguments.command_parser
    if arguments.merge and arguments.data is None:
        command_parser.error("--merge needs --data DIR")
    try:
        import mali_aid

        data = mali_aid.load(arguments.data, merge=arguments.merge)
        return run(arguments, data)
    except _Usage as error:
        command_parser.error(str(error))
    except (MaliAidError, _MissingExtra) as error:
        _fail(str(error))
    except BrokenPipeError:
        # The reader stopped reading (``mali-aid ... | head``): stop quietly,
        # and keep Python from complaining when it flushes standard output.
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        return 0
    except OSError as error:
        _fail(f"{error.strerror or error}: {error.filename}")
    except Exception as error:
        # The last guard: whatever the input, one line and never a traceback.
        _fail(
            f"internal error ({type(error).__name__}: {error});"
            " please report it with the command that caused it"
        )
    return 1


def _fail(message: str) -> None:
    message = _one_line(" ".join(message.split()))
    print(f"mali-aid: error: {message}", file=sys.stderr)


def _print_json(value: object) -> None:
    print(json.dumps(value, indent=2, ensure_ascii=False))


# -- names to ids ----------------------------------------------------------------


def _found(what: str, wanted: str, find: Callable[[str], Any]) -> str:
    """The id of the record ``wanted`` names, by the library's lookup rules.

    A name that means nested records takes the widest, with a note on
    standard error; no match, or several that are not nested, is a usage
    error.
    """
    from mali_aid.errors import AmbiguousNameError, UnknownIdError

    try:
        return str(find(wanted).id)
    except AmbiguousNameError as error:
        if error.widest is None:
            raise _Usage(str(error)) from None
        others = ", ".join(c for c in error.candidates if c != error.widest)
        print(
            _one_line(
                f"mali-aid: note: {what} {wanted!r} taken as the widest,"
                f" {error.widest} (also: {others})"
            ),
            file=sys.stderr,
        )
        return error.widest
    except UnknownIdError as error:
        raise _Usage(str(error)) from None


def _organisation(data: Dataset, wanted: str) -> str:
    return _found("organisation", wanted, data.find_organisation)


def _place(data: Dataset, wanted: str) -> str:
    return _found("place", wanted, data.find_place)


def _sector(data: Dataset, wanted: str) -> str:
    return _found("sector", wanted, data.find_sector)


def _channel(wanted: str) -> str:
    from mali_aid import Channel

    values = [channel.value for channel in Channel]
    if wanted.casefold() in values:
        return wanted.casefold()
    raise _Usage(f"no channel is called {wanted!r}; the channels: {', '.join(values)}")


def _selected(arguments: argparse.Namespace, data: Dataset) -> tuple[Engagement, ...]:
    """The engagements the selection options ask for, in file order."""
    conditions: list[tuple[str, list[Any]]] = []
    for option, resolve in (
        ("donor", lambda text: _organisation(data, text)),
        ("implementer", lambda text: _organisation(data, text)),
        ("place", lambda text: _place(data, text)),
        ("sector", lambda text: _sector(data, text)),
        ("year", lambda year: year),
        ("channel", _channel),
    ):
        values = getattr(arguments, option, None)
        if values:
            conditions.append((option, [resolve(value) for value in values]))
    # A selection keeps its conditions, so that a total counts the share of
    # each engagement that meets them.
    return data.select(**{option: tuple(values) for option, values in conditions})


# -- tables ----------------------------------------------------------------------


def _table(
    headers: Sequence[str], rows: Iterable[Sequence[str]], *, right: Iterable[int] = ()
) -> str:
    """An aligned plain-text table: a header, a rule, then the rows."""
    rows = [list(row) for row in rows]
    right = set(right)
    widths = [
        max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)
    ]

    def line(cells: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(width) if index in right else cell.ljust(width)
            for index, (cell, width) in enumerate(zip(cells, widths, strict=True))
        ).rstrip()

    out = [line(headers), line(["-" * width for width in widths])]
    out.extend(line(row) for row in rows)
    return "\n".join(out) + "\n"


def _wrap(text: str) -> str:
    """A long line of prose wrapped for a terminal, later lines indented."""
    return textwrap.fill(
        text,
        88,
        subsequent_indent="  ",
        break_long_words=False,
        break_on_hyphens=False,
    )


def _count(number: int, noun: str) -> str:
    if number == 0:
        return f"no {noun}s"
    return f"{number} {noun}{'' if number == 1 else 's'}"


def _shorten(text: str, width: int) -> str:
    return text if len(text) <= width else text[: width - 1].rstrip() + "…"


def _when(record: Engagement) -> str:
    """When an engagement ran, as the data gives it."""
    period = record.period
    if period is not None:
        length = period.approximate_length
        if period.start is None and period.end is None and length is not None:
            # "P20Y~": known only by its rough length.
            return f"about {_duration(length)}, dates unknown"
        return str(period)
    if record.active_in:
        return "seen " + ", ".join(str(year) for year in record.active_in)
    return "-"


def _duration(length: str) -> str:
    """An ISO 8601 duration in words: "P20Y" is "20 years"."""
    words = []
    for number, unit in re.findall(r"(\d+)([YMWD])", length.split("T")[0]):
        name = {"Y": "year", "M": "month", "W": "week", "D": "day"}[unit]
        words.append(f"{number} {name}{'' if number == '1' else 's'}")
    return " ".join(words) or length


def _money(amount: Decimal, currency: str, qualifier: str = "exact") -> str:
    text = f"{currency} {amount:,}"
    return text if qualifier == "exact" else f"{qualifier} {text}"


# -- summary ---------------------------------------------------------------------


def _summary(arguments: argparse.Namespace, data: Dataset) -> int:
    import mali_aid

    bundled = arguments.data is None or arguments.merge
    facts = _summarise(data, bundled=bundled, directory=arguments.data)
    if arguments.json:
        _print_json(facts)
    else:
        print(_render(facts, mali_aid.DATA_VERSION if bundled else None), end="")
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
    known = mali_aid.totals(data.engagements, by="donor", currency="EUR", data=data)
    unknown: dict[str | None, int] = {}
    for engagement_id in (*known.unknown, *known.unconverted):
        owners: tuple[str | None, ...] = data.donors(engagement_id) or (None,)
        for owner in owners:
            unknown[owner] = unknown.get(owner, 0) + 1
    ranked = sorted(engagements, key=lambda donor: (-engagements[donor], donor))
    levels: dict[str, int] = {}
    for level in mali_aid.PlaceLevel:
        count = sum(1 for place in data.places if place.level is level)
        if count:
            levels[level.value] = count

    def total(donor: str | None) -> dict[str, Any] | None:
        if donor not in known:
            return None
        return known[donor].to_dict()

    return {
        "data": {
            "bundled": mali_aid.DATA_VERSION if bundled else None,
            "directory": directory,
        },
        "records": {kind: len(getattr(data, kind)) for kind in _RECORD_KINDS},
        "donors": [
            {
                "id": donor,
                "name": data.organisation(donor).name,
                "engagements": engagements[donor],
                "known_total": total(donor),
                "amount_unknown": unknown.get(donor, 0),
            }
            for donor in ranked
        ],
        "unknown_funder": {
            "engagements": unknown_funder,
            "known_total": total(None),
            "amount_unknown": unknown.get(None, 0),
        },
        "known_total": {
            **known.total.to_dict(),
            "kinds": sorted(str(kind) for kind in known.kinds),
        },
        "not_converted": len(known.unconverted),
        "places_by_level": levels,
        "years": {"first": min(years), "last": max(years)} if years else None,
        "no_known_amount": no_amount,
    }


def _render(facts: dict[str, Any], release: str | None) -> str:
    """The summary as aligned plain text."""
    origin = facts["data"]
    sources = []
    if release is not None:
        sources.append(f"bundled release {release}")
    if origin["directory"] is not None:
        sources.append(origin["directory"])
    out = [f"Data: {' + '.join(sources)}", ""]

    def block(title: str, pairs: Sequence[tuple[str, str]]) -> None:
        label_width = max((len(label) for label, _ in pairs), default=0)
        value_width = max((len(value) for _, value in pairs), default=0)
        out.append(title)
        out.extend(
            f"  {label:<{label_width}}  {value:>{value_width}}"
            for label, value in pairs
        )
        out.append("")

    block("Records", [(kind, str(count)) for kind, count in facts["records"].items()])

    def known(entry: dict[str, Any] | None) -> str:
        if entry is None or entry["amount"] is None:
            return "unknown"
        qualifier = entry["qualifier"].replace("-", " ")
        return _money(Decimal(entry["amount"]), entry["currency"], qualifier)

    donors = [
        (
            donor["id"],
            donor["name"],
            str(donor["engagements"]),
            known(donor["known_total"]),
            str(donor["amount_unknown"]),
        )
        for donor in facts["donors"]
    ]
    nobody = facts["unknown_funder"]
    donors.append(
        (
            "-",
            "unknown funder",
            str(nobody["engagements"]),
            known(nobody["known_total"]),
            str(nobody["amount_unknown"]),
        )
    )
    out.append("Donors (the root organisation of a funder)")
    table = _table(
        ("id", "name", "engagements", "known total", "amount unknown"),
        donors,
        right=[2, 3, 4],
    )
    out.extend(f"  {line}" for line in table.splitlines())
    grand = facts["known_total"]
    kinds = ", ".join(grand["kinds"]) or "none"
    out.append(f"  known total: {known(grand)} (kinds of amount: {kinds})")
    out.append("")
    block(
        "Places by level",
        [(level, str(count)) for level, count in facts["places_by_level"].items()],
    )
    years = facts["years"]
    block(
        "Coverage",
        [
            (
                "years",
                "unknown" if years is None else f"{years['first']}..{years['last']}",
            ),
            ("engagements with no known amount", str(facts["no_known_amount"])),
            *(
                [("amounts with no rate to EUR", str(facts["not_converted"]))]
                if facts["not_converted"]
                else []
            ),
        ],
    )
    return "\n".join(out[:-1]) + "\n"


# -- engagements -------------------------------------------------------------------


def _engagements(arguments: argparse.Namespace, data: Dataset) -> int:
    from mali_aid import to_dict

    chosen = _selected(arguments, data)
    if arguments.json:
        _print_json(
            [
                {**to_dict(record), "donors": list(data.donors(record))}
                for record in chosen
            ]
        )
        return 0
    rows = [
        (
            record.id,
            ", ".join(data.donors(record)) or "?",
            _when(record),
            "; ".join(
                f"{_money(amount.money.amount, amount.money.currency, amount.qualifier)}"
                f" {amount.kind}"
                for amount in record.amounts
            )
            or "unknown",
            _shorten(record.title_en or record.title, 48),
        )
        for record in chosen
    ]
    if rows:
        print(_table(("id", "donor", "when", "amount", "title"), rows), end="")
    print(_count(len(rows), "engagement"))
    return 0


# -- totals ------------------------------------------------------------------------


def _totals(arguments: argparse.Namespace, data: Dataset) -> int:
    import mali_aid

    if arguments.level is not None and "place" not in arguments.by:
        raise _Usage("--level needs --by place")
    # With --year, only the slices of those years count: a 2023-2024
    # envelope adds its 2024 share to a total for 2024, not its whole.
    years = sorted(set(arguments.year or ()))
    by: tuple[str, ...] = arguments.by
    if years and "year" not in by:
        by = (*by, "year")
    result = mali_aid.totals(
        _selected(arguments, data),
        by=by,
        currency=arguments.currency,
        data=data,
        kinds=arguments.kind,
        level=arguments.level,
        split="whole" if arguments.whole else "even",
        scope=arguments.scope,
    )
    if years:
        result = result.in_years(years)
    if arguments.json:
        _print_json(
            {
                "by": list(result.by),
                "years": None if result.years is None else list(result.years),
                "currency": result.currency,
                "scope": result.scope,
                "rows": result.to_records(),
                "total": result.total.to_dict(),
                "kinds": sorted(str(kind) for kind in result.kinds),
                "unknown": list(result.unknown),
                "unconverted": list(result.unconverted),
                "outside_scope": list(result.outside_scope),
                "additive": result.additive,
                "rates": result.rates_origin,
                "conversions": [
                    {
                        "from": conversion.source,
                        "to": conversion.target,
                        "when": str(conversion.when),
                        "factor": str(conversion.factor),
                        "basis": sorted(str(basis) for basis in conversion.basis),
                    }
                    for conversion in result.conversions
                ],
            }
        )
    else:
        print(result)
        if result.kinds:
            print(
                _wrap(f"kinds of amount: {', '.join(sorted(map(str, result.kinds)))}")
            )
        if result.rates_origin is not None:
            print(_wrap(f"rates: {result.rates_origin}"))
    return 0


# -- overlaps ----------------------------------------------------------------------


def _overlaps(arguments: argparse.Namespace, data: Dataset) -> int:
    import mali_aid

    result = mali_aid.find_overlaps(
        _selected(arguments, data),
        data=data,
        on=arguments.on,
        min_days=arguments.min_days,
        between="all" if arguments.all_pairs else "donors",
    )
    named = {
        data.root_organisation(_organisation(data, name)).id
        for name in arguments.donor or ()
    }
    if len(named) > 1 and not arguments.all_pairs:
        # Between the donors named: one engagement of one of them, the other
        # of another, so Luxembourg alone and Luxembourg with Switzerland do
        # not make a pair between Belgium and Luxembourg.
        def of_named(engagement_id: str) -> frozenset[str]:
            return frozenset(data.donors(engagement_id)) & named

        result = attrs.evolve(
            result,
            pairs=tuple(
                pair
                for pair in result
                if (first := of_named(pair.first))
                and (second := of_named(pair.second))
                and first != second
            ),
        )
    if arguments.json:
        _print_json(_overlaps_dict(result, data))
        return 0
    # The columns of the dimensions asked about.
    columns: list[tuple[str, Callable[[Overlap], str]]] = [
        ("first", lambda pair: pair.first),
        ("second", lambda pair: pair.second),
    ]
    if "time" in result.on:
        columns += [
            ("shared period", lambda pair: str(pair.period)),
            ("days", lambda pair: str(pair.days)),
        ]
    if "place" in result.on:
        columns.append(("places", lambda pair: ", ".join(pair.places)))
    if "sector" in result.on:
        columns.append(("sectors", lambda pair: ", ".join(pair.sectors)))
    rows = [[cell(pair) for _, cell in columns] for pair in result]
    if rows:
        headers = [name for name, _ in columns]
        print(
            _table(
                headers,
                rows,
                right=[headers.index("days")] if "time" in result.on else [],
            ),
            end="",
        )
    print(_count(len(rows), "overlapping pair"))
    if result.undated:
        print(_wrap(f"undated, so not compared in time: {', '.join(result.undated)}"))
    return 0


def _overlaps_dict(result: Overlaps, data: Dataset) -> dict[str, Any]:
    return {
        "on": list(result.on),
        "between": result.between,
        "pairs": [
            {
                "first": pair.first,
                "second": pair.second,
                "donors": [
                    list(data.donors(pair.first)),
                    list(data.donors(pair.second)),
                ],
                "period": None if pair.period is None else str(pair.period),
                "days": pair.days,
                "time_basis": None
                if pair.time_basis is None
                else list(pair.time_basis),
                "places": list(pair.places),
                "sectors": list(pair.sectors),
            }
            for pair in result
        ],
        "undated": list(result.undated),
    }


# -- compare -----------------------------------------------------------------------


def _compare(arguments: argparse.Namespace, data: Dataset) -> int:
    import mali_aid

    donors = list(dict.fromkeys(_organisation(data, name) for name in arguments.donors))
    if len(donors) < 2:
        raise _Usage("name at least two different donors")
    if len(donors) == 2:
        comparison = mali_aid.compare_donors(
            data, donors[0], donors[1], currency=arguments.currency
        )
        if arguments.json:
            _print_json(comparison.to_dict())
        else:
            print(comparison)
        return 0
    matrix = mali_aid.compare_donor_matrix(data, donors)
    if arguments.json:
        _print_json(
            {
                "donors": donors,
                "similarity": [[str(matrix[(a, b)]) for b in donors] for a in donors],
            }
        )
        return 0
    rows = [(a, *(f"{float(matrix[(a, b)]):.2f}" for b in donors)) for a in donors]
    print(
        _table(("similarity", *donors), rows, right=range(1, len(donors) + 1)), end=""
    )
    return 0


# -- export ------------------------------------------------------------------------


def _export(arguments: argparse.Namespace, data: Dataset) -> int:
    from mali_aid import export

    output: str | None = arguments.format
    if output is None:
        suffix = Path(arguments.out).suffix.lower().lstrip(".")
        if suffix not in {"json", "csv", "parquet"}:
            raise _Usage(
                "--format json|csv|parquet is needed when --out does not end"
                " in .json, .csv or .parquet"
            )
        output = suffix
    if arguments.out == "-" and output == "parquet":
        raise _Usage("parquet cannot go to standard output: give --out PATH")
    chosen = _selected(arguments, data)
    if arguments.table == "engagements":
        table = export.engagements(data, chosen)
    elif arguments.table == "participants":
        table = export.participants(data, chosen)
    else:
        table = export.years(data, chosen, currency=arguments.currency)
    try:
        if output == "parquet":
            table.to_parquet(arguments.out)
        elif arguments.out == "-":
            sys.stdout.write(table.to_json() if output == "json" else table.to_csv())
        elif output == "json":
            table.to_json(arguments.out)
        else:
            table.to_csv(arguments.out)
    except ImportError as error:
        raise _MissingExtra(str(error)) from None
    if arguments.out != "-":
        _report(
            arguments,
            {
                "path": arguments.out,
                "format": output,
                "table": table.name,
                "rows": len(table),
            },
            f"wrote {_count(len(table), 'row')} of {table.name} to {arguments.out}",
        )
    return 0


def _report(arguments: argparse.Namespace, facts: dict[str, Any], text: str) -> None:
    """What a command wrote: JSON on standard output, or a line on standard error."""
    if arguments.json:
        _print_json(facts)
    else:
        print(text, file=sys.stderr)


# -- timeline ----------------------------------------------------------------------


def _timeline(arguments: argparse.Namespace, data: Dataset) -> int:
    import mali_aid

    suffix = Path(arguments.out).suffix.lower()
    if suffix not in {".svg", ".png", ".pdf"}:
        raise _Usage("--out must end in .svg, .png or .pdf")
    chosen = _selected(arguments, data)
    try:
        figure = mali_aid.plot_timeline(
            data, chosen, overlaps=not arguments.no_overlaps
        )
    except ImportError as error:
        raise _MissingExtra(str(error)) from None
    figure.savefig(arguments.out)
    _report(
        arguments,
        {"path": arguments.out, "engagements": len(chosen)},
        f"drew {_count(len(chosen), 'engagement')} to {arguments.out}",
    )
    return 0


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())


def _show(arguments: argparse.Namespace, data: Dataset) -> int:
    import mali_aid

    if arguments.json:
        records = [
            {"kind": singular, **mali_aid.to_dict(record)}
            for plural, singular, _ in _KINDS
            if arguments.kind in (None, singular)
            and (record := getattr(data, singular)(arguments.id, default=None))
        ]
        if records:
            _print_json(records)
            return 0
    print(
        data.describe(arguments.id, kind=arguments.kind, sources=arguments.sources),
        end="",
    )
    return 0
