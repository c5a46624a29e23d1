"""One short function per command: read the options, call the library,
print what it gives. Each returns the exit status."""

from __future__ import annotations

import argparse
import json
import sys
import textwrap
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ._output import (
    MissingExtra,
    Usage,
    emit,
    organisation,
    place,
    print_json,
    report,
    selected,
    source,
    width,
)

if TYPE_CHECKING:
    from mali_aid import Dataset, Totals


def _count(number: int, noun: str, plural: str | None = None) -> str:
    many = plural or f"{noun}s"
    return f"no {many}" if number == 0 else f"{number} {noun if number == 1 else many}"


# -- what the data holds -------------------------------------------------------------


def summary(arguments: argparse.Namespace, data: Dataset) -> int:
    import mali_aid

    bundled = arguments.data is None or arguments.merge
    result = mali_aid.summarise(data)
    if arguments.json:
        origin = {
            "bundled": mali_aid.DATA_VERSION if bundled else None,
            "directory": arguments.data,
        }
        print_json({"data": origin, **result.to_dict()})
        return 0
    origins = [f"bundled release {mali_aid.DATA_VERSION}"] if bundled else []
    origins += [] if arguments.data is None else [arguments.data]
    print(f"Data: {' + '.join(origins)}\n")
    print(result.to_text(width()))
    return 0


def engagements(arguments: argparse.Namespace, data: Dataset) -> int:
    import mali_aid

    listing = mali_aid.browse(
        data,
        "engagements",
        selected(arguments, data),
        source=source(data, arguments.source),
        status=arguments.status,
        kind=arguments.kind,
    )
    return emit(arguments, listing, listing.to_dict)


def browse(arguments: argparse.Namespace, data: Dataset) -> int:
    """donors, organisations, places, sectors, sources: one listing each."""
    import mali_aid

    filters: dict[str, Any] = {
        option: value
        for option in ("status", "kind", "level")
        if (value := getattr(arguments, option, None)) is not None
    }
    if getattr(arguments, "source", None) is not None:
        filters["source"] = source(data, arguments.source)
    if getattr(arguments, "within", None) is not None:
        filters["within"] = place(data, arguments.within)
    listing = mali_aid.browse(data, arguments.listed, **filters)
    return emit(arguments, listing, listing.to_dict)


def show(arguments: argparse.Namespace, data: Dataset) -> int:
    import mali_aid

    if arguments.json:
        records = [
            {"record": kind, **_plain(data, kind, record)}
            for kind in mali_aid.RECORD_KINDS
            if arguments.kind in (None, kind)
            and (record := getattr(data, kind)(arguments.id, default=None))
        ]
        if records:
            print_json(records)
            return 0
    # Text, or no record: describe() says which ids are near.
    text = data.describe(arguments.id, kind=arguments.kind, sources=arguments.sources)
    print(text, end="")
    return 0


def _plain(data: Dataset, kind: str, record: Any) -> dict[str, Any]:
    import mali_aid

    if kind == "engagement":
        return dict(mali_aid.browse(data, "engagements", [record])[0])
    return mali_aid.to_dict(record)


# -- figures -------------------------------------------------------------------------


def totals(arguments: argparse.Namespace, data: Dataset) -> int:
    import mali_aid

    if arguments.level is not None and "place" not in arguments.by:
        raise Usage("--level needs --by place")
    output = "json" if arguments.json else arguments.format
    if output == "csv" and arguments.out is None:
        arguments.out = "-"
    # With --year, only the slices of those years count: a 2023-2024
    # envelope adds its 2024 share to a total for 2024, not its whole.
    years = sorted(set(arguments.year or ()))
    by: tuple[str, ...] = arguments.by
    if years and "year" not in by:
        by = (*by, "year")
    result = mali_aid.totals(
        selected(arguments, data),
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
    _write_totals(result, output, arguments.out, data)
    return 0


def _names(data: Dataset, by: tuple[str, ...]) -> dict[str, dict[Any, str]]:
    """The names of the donors, implementers, sectors and places grouped by."""
    records: dict[str, tuple[Any, ...]] = {
        "donor": data.organisations,
        "implementer": data.organisations,
        "sector": data.sectors,
        "place": data.places,
    }
    return {
        dimension: {record.id: record.name for record in records[dimension]}
        for dimension in by
        if dimension in records
    }


def _totals_text(result: Totals, data: Dataset) -> str:
    """The table, names beside ids, then the kinds of amount and the rates'
    origin, wrapped."""
    notes = []
    if result.kinds:
        notes.append(f"kinds of amount: {', '.join(sorted(map(str, result.kinds)))}")
    if result.rates_origin is not None:
        notes.append(f"rates: {result.rates_origin}")
    wrapped = [
        textwrap.fill(
            note,
            width() or 88,
            subsequent_indent="  ",
            break_long_words=False,
            break_on_hyphens=False,
        )
        for note in notes
    ]
    table = result.to_text(width(), names=_names(data, result.by))
    return "\n".join([table, *wrapped]) + "\n"


def _write_totals(result: Totals, output: str, out: str | None, data: Dataset) -> None:
    if output == "csv":
        text = result.to_table().to_csv()
    elif output == "json":
        text = json.dumps(result.to_dict(), indent=2, ensure_ascii=False) + "\n"
    else:
        text = _totals_text(result, data)
    if out is None or out == "-":
        sys.stdout.write(text)
        return
    Path(out).write_text(text, encoding="utf-8", newline="")
    print(f"wrote {_count(len(result), 'row')} of totals to {out}", file=sys.stderr)


def overlaps(arguments: argparse.Namespace, data: Dataset) -> int:
    import mali_aid

    result = mali_aid.find_overlaps(
        selected(arguments, data),
        data=data,
        on=arguments.on,
        min_days=arguments.min_days,
        between="all" if arguments.all_pairs else "donors",
    )
    named = {
        data.root_organisation(organisation(data, name)).id
        for name in arguments.donor or ()
    }
    if len(named) > 1 and not arguments.all_pairs:
        result = result.between_donors(data, named)
    return emit(arguments, result, lambda: result.to_dict(data))


def compare(arguments: argparse.Namespace, data: Dataset) -> int:
    import mali_aid

    donors = list(dict.fromkeys(organisation(data, name) for name in arguments.donors))
    if len(donors) < 2:
        raise Usage("name at least two different donors")
    if len(donors) == 2:
        comparison = mali_aid.compare_donors(
            data, donors[0], donors[1], currency=arguments.currency
        )
        return emit(arguments, comparison, comparison.to_dict)
    matrix = mali_aid.compare_donor_matrix(data, donors)
    names = [data.organisation(donor).name for donor in donors]
    listing = mali_aid.Listing(
        ("donor", "name", *donors),
        [
            (a, name, *(f"{float(matrix[(a, b)]):.2f}" for b in donors))
            for a, name in zip(donors, names, strict=True)
        ],
        [
            {"donor": a, "name": name, **{b: str(matrix[(a, b)]) for b in donors}}
            for a, name in zip(donors, names, strict=True)
        ],
        right=range(2, len(donors) + 2),
    )
    return emit(
        arguments,
        listing,
        lambda: {
            "donors": donors,
            "names": names,
            "similarity": [[str(matrix[(a, b)]) for b in donors] for a in donors],
        },
    )


# -- files ---------------------------------------------------------------------------


def export(arguments: argparse.Namespace, data: Dataset) -> int:
    from mali_aid import export

    output: str | None = arguments.format
    if output is None:
        suffix = Path(arguments.out).suffix.lower().lstrip(".")
        if suffix not in {"json", "csv", "parquet"}:
            raise Usage(
                "--format json|csv|parquet is needed when --out does not end"
                " in .json, .csv or .parquet"
            )
        output = suffix
    if arguments.out == "-" and output == "parquet":
        raise Usage("parquet cannot go to standard output: give --out PATH")
    chosen = selected(arguments, data)
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
        raise MissingExtra(str(error)) from None
    if arguments.out != "-":
        report(
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


def timeline(arguments: argparse.Namespace, data: Dataset) -> int:
    import mali_aid

    suffix = Path(arguments.out).suffix.lower()
    if suffix not in {".svg", ".png", ".pdf"}:
        raise Usage("--out must end in .svg, .png or .pdf")
    chosen = selected(arguments, data)
    try:
        figure = mali_aid.plot_timeline(
            data, chosen, overlaps=not arguments.no_overlaps
        )
    except ImportError as error:
        raise MissingExtra(str(error)) from None
    figure.savefig(arguments.out)
    report(
        arguments,
        {"path": arguments.out, "engagements": len(chosen)},
        f"drew {_count(len(chosen), 'engagement')} to {arguments.out}",
    )
    return 0


def diff(arguments: argparse.Namespace, _data: Dataset | None) -> int:
    import mali_aid

    def read(where: str) -> Dataset:
        return mali_aid.load() if where == "bundled" else mali_aid.load(where)

    changes = mali_aid.diff(read(arguments.old), read(arguments.new))
    if arguments.json:
        print_json(changes.to_dict())
    elif arguments.markdown:
        print(changes.to_markdown(), end="")
    else:
        print(changes)
    return 0


def import_iati(arguments: argparse.Namespace, _data: Dataset | None) -> int:
    import mali_aid
    from mali_aid import iati

    read = iati.read_activities(
        arguments.files,
        source_id=arguments.source_id,
        on_error="skip" if arguments.skip_bad else "raise",
        outside_mali="keep" if arguments.keep_outside else "report",
        progress=False if arguments.quiet else None,
    )
    written = mali_aid.save(read.dataset(), arguments.out)
    facts = {
        "directory": arguments.out,
        "files": [path.name for path in written],
        **{
            kind: len(getattr(read, kind))
            for kind in ("sources", "engagements", "organisations", "places", "sectors")
        },
        "unmapped": len(read.unmapped),
        "skipped": [str(item) for item in read.skipped],
        "outside": [str(item) for item in read.outside],
    }
    left_out = [
        _count(len(read.unmapped), "unmapped item"),
        f"{_count(len(read.skipped), 'bad activity', 'bad activities')} skipped",
        f"{_count(len(read.outside), 'activity', 'activities')} outside Mali",
    ]
    report(
        arguments,
        facts,
        f"wrote {_count(len(read.engagements), 'engagement')} from"
        f" {_count(len(read.sources), 'file')} to {arguments.out}"
        f" ({', '.join(left_out)}); read them with --data {arguments.out}",
    )
    return 0
