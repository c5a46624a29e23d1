"""Flat tables of the data, for pandas, polars, DuckDB, Spark and spreadsheets.

Three tables, each with stable column names and logical types:

- :func:`engagements`: one row per engagement;
- :func:`participants`: one row per engagement and participant;
- :func:`years`: one row per engagement, donor, calendar year and kind of
  amount, with each engagement's amount spread over years and converted into
  one currency exactly as :func:`mali_aid.totals` does it.

A :class:`Table` writes itself as JSON or CSV with the standard library, and
becomes a pandas ``DataFrame`` (the ``pandas`` extra), an Arrow table or a
Parquet file (the ``arrow`` extra). Amounts stay exact ``Decimal`` values all
the way: strings in JSON and CSV, ``decimal128`` in Arrow and Parquet. An
unknown amount is empty (``None``), never zero.

>>> import mali_aid
>>> from mali_aid import export
>>> data = mali_aid.load()
>>> table = export.engagements(data)
>>> envelope = next(row for row in table if row["id"] == "lu-envelope-2023-2024")
>>> envelope["amount"], envelope["currency"], envelope["donors"]
(Decimal('42000000'), 'EUR', 'LU')
>>> print(export.years(data, ["be-icp-2009-2014"]).to_csv(), end="")
engagement_id,donor_id,donor_share,year,amount_kind,amount,currency,original_amount,original_currency,rate,rate_basis,rate_date,rate_year,amount_qualifier,amount_missing,counted_in
be-icp-2009-2014,BE,1,2009,budget,8412825.20,EUR,8412825.20,EUR,,,,,exact,,
be-icp-2009-2014,BE,1,2010,budget,8412825.20,EUR,8412825.20,EUR,,,,,exact,,
be-icp-2009-2014,BE,1,2011,budget,8412825.20,EUR,8412825.20,EUR,,,,,exact,,
be-icp-2009-2014,BE,1,2012,budget,8435874.02,EUR,8435874.02,EUR,,,,,exact,,
be-icp-2009-2014,BE,1,2013,budget,8412825.20,EUR,8412825.20,EUR,,,,,exact,,
be-icp-2009-2014,BE,1,2014,budget,8412825.18,EUR,8412825.18,EUR,,,,,exact,,
"""

from __future__ import annotations

import csv
import enum
import importlib
import io
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from types import MappingProxyType, ModuleType
from typing import TYPE_CHECKING, Any, Final, Literal, TextIO, TypeAlias, overload

import attrs

from . import _arguments
from ._aggregate import (
    YearRow,
    contributing_amounts,
    summarise_qualifiers,
    year_rows,
)
from ._model import AmountKind, Citation, Engagement, Role
from ._money import Money, minor_unit
from ._period import Period
from ._rules import counted_container
from .errors import DataError

if TYPE_CHECKING:
    from ._dataset import Dataset
    from ._rates import Rates

__all__ = [
    "LOGICAL_TYPES",
    "SEPARATOR",
    "Column",
    "LogicalType",
    "Table",
    "Value",
    "engagements",
    "participants",
    "years",
]

#: The logical type of a column: what its values are in Python.
LogicalType: TypeAlias = Literal["string", "integer", "decimal", "date", "boolean"]

#: A cell of a table: ``None`` stands for an empty (unknown or absent) value.
Value: TypeAlias = str | int | Decimal | date | bool | None

#: Every logical type, with the Python type of its values.
LOGICAL_TYPES: Final[Mapping[str, type]] = MappingProxyType(
    {
        "string": str,
        "integer": int,
        "decimal": Decimal,
        "date": date,
        "boolean": bool,
    }
)

#: What joins several ids in one cell. Ids hold no space, so splitting a cell
#: on it gives the ids back.
SEPARATOR: Final = "; "

#: Decimal digits of every Arrow ``decimal128`` column.
_PRECISION: Final = 38


def _check_type(_self: object, _attribute: object, value: object) -> None:
    if value not in LOGICAL_TYPES:
        raise ValueError(
            f"{value!r} is not a logical type; use one of {', '.join(LOGICAL_TYPES)}"
        )


@attrs.frozen
class Column:
    """A column of a :class:`Table`: its name, logical type and meaning.

    ``type`` is one of ``"string"``, ``"integer"``, ``"decimal"``,
    ``"date"`` and ``"boolean"``. ``scale`` is, for a decimal column, the
    number of decimal places its Arrow and Parquet type keeps; ``None`` lets
    :meth:`Table.to_arrow` take the most the values need.

    >>> Column("year", "integer", "The calendar year.")
    Column(name='year', type='integer', description='The calendar year.', scale=None)
    """

    name: str
    type: LogicalType = attrs.field(validator=_check_type)
    description: str
    scale: int | None = None

    def __attrs_post_init__(self) -> None:
        if self.scale is not None and (
            self.type != "decimal"
            or isinstance(self.scale, bool)
            or not isinstance(self.scale, int)
            or not 0 <= self.scale <= _PRECISION
        ):
            raise ValueError(
                f"column {self.name!r}: only a decimal column has a scale,"
                f" a whole number from 0 to {_PRECISION}"
            )


def _columns(value: Iterable[Column]) -> tuple[Column, ...]:
    return tuple(value)


def _rows(value: Iterable[Iterable[Value]]) -> tuple[tuple[Value, ...], ...]:
    return tuple(tuple(row) for row in value)


def _fits(value: object, kind: str) -> bool:
    if value is None:
        return True
    if kind == "integer":
        return isinstance(value, int) and not isinstance(value, bool)
    if kind == "date":
        return type(value) is date
    if kind == "decimal":
        return isinstance(value, Decimal) and value.is_finite()
    return isinstance(value, LOGICAL_TYPES[kind])


def _plain(value: Decimal) -> str:
    """A Decimal as plain digits, never in scientific notation."""
    return format(value, "f")


def _places(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite: checked when the table is made
    return max(0, -exponent)


@overload
def _write(text: str, file: None) -> str: ...
@overload
def _write(text: str, file: str | os.PathLike[str] | TextIO) -> None: ...
def _write(text: str, file: str | os.PathLike[str] | TextIO | None) -> str | None:
    if file is None:
        return text
    if isinstance(file, str | os.PathLike):
        with open(file, "w", encoding="utf-8", newline="") as stream:
            stream.write(text)
    else:
        file.write(text)
    return None


def _optional_module(name: str, method: str, extra: str) -> ModuleType:
    """Import ``name`` for ``Table.<method>()``, or say which extra brings it."""
    try:
        return importlib.import_module(name)
    except ImportError as error:
        package = name.partition(".")[0]
        raise ImportError(
            f"Table.{method}() needs {package}: pip install 'mali-aid[{extra}]'"
        ) from error


@attrs.frozen(repr=False)
class Table:
    """Rows of plain values under named, typed columns.

    ``rows`` are tuples in the order of ``columns``; each value is a
    ``str``, ``int``, ``Decimal``, ``datetime.date`` or ``bool`` as its
    column's type says, or ``None`` where it is empty. Iterating gives each
    row as a dict; :meth:`records` gives them all as a list. A table with no
    rows still has its columns, so every format keeps its schema where the
    format can hold one (a CSV header, Arrow and Parquet types, pandas
    dtypes).

    >>> from decimal import Decimal
    >>> table = Table("money", (Column("id", "string", "An id."),
    ...                         Column("amount", "decimal", "An amount.")),
    ...               [("a", Decimal("1.50")), ("b", None)])
    >>> table
    <Table money: 2 rows, 2 columns>
    >>> table.records()[0]
    {'id': 'a', 'amount': Decimal('1.50')}
    >>> print(table.to_json())
    [
    {"id": "a", "amount": "1.50"},
    {"id": "b", "amount": null}
    ]
    <BLANKLINE>
    """

    name: str
    columns: tuple[Column, ...] = attrs.field(converter=_columns)
    rows: tuple[tuple[Value, ...], ...] = attrs.field(converter=_rows)

    def __attrs_post_init__(self) -> None:
        names = [column.name for column in self.columns]
        for column in self.columns:
            if not isinstance(column, Column):
                raise TypeError(f"columns must be Column, not {type(column).__name__}")
        if len(set(names)) != len(names):
            raise ValueError(f"table {self.name!r} names a column twice")
        kinds = [column.type for column in self.columns]
        for index, row in enumerate(self.rows):
            if len(row) != len(names):
                raise ValueError(
                    f"row {index} has {len(row)} values for {len(names)} columns"
                )
            for name, kind, value in zip(names, kinds, row, strict=True):
                if not _fits(value, kind):
                    raise TypeError(
                        f"row {index}: column {name!r} holds {kind} values,"
                        f" not {value!r}"
                    )

    def __repr__(self) -> str:
        return (
            f"<Table {self.name}: {len(self.rows)} rows, {len(self.columns)} columns>"
        )

    def __len__(self) -> int:
        return len(self.rows)

    def __iter__(self) -> Iterator[dict[str, Value]]:
        names = self.column_names
        for row in self.rows:
            yield dict(zip(names, row, strict=True))

    @property
    def column_names(self) -> tuple[str, ...]:
        """The names of the columns, in order.

        >>> Table("empty", [Column("id", "string", "An id.")], []).column_names
        ('id',)
        """
        return tuple(column.name for column in self.columns)

    def records(self) -> list[dict[str, Value]]:
        """Every row as a dict from column name to value, keys in column order.

        >>> Table("t", [Column("n", "integer", "A number.")], [(1,), (None,)]).records()
        [{'n': 1}, {'n': None}]
        """
        return list(self)

    # -- text formats -------------------------------------------------------

    @overload
    def to_json(self, file: None = None, *, lines: bool = False) -> str: ...
    @overload
    def to_json(
        self, file: str | os.PathLike[str] | TextIO, *, lines: bool = False
    ) -> None: ...
    def to_json(
        self,
        file: str | os.PathLike[str] | TextIO | None = None,
        *,
        lines: bool = False,
    ) -> str | None:
        """The rows as JSON objects, keys in column order; the text, or write it.

        A JSON array with one object per line, or with ``lines=True`` one
        object per line and nothing else (JSON Lines, as Spark reads by
        default). Decimals are strings, so no digit is lost; dates are ISO
        8601 strings; empty values are ``null``. ``file`` is a path (written
        in UTF-8) or an open text file; without it the text is returned.

        >>> table = Table("t", [Column("day", "date", "A day."),
        ...                     Column("open", "boolean", "Open or not.")],
        ...               [(date(2024, 6, 14), True)])
        >>> print(table.to_json(lines=True), end="")
        {"day": "2024-06-14", "open": true}
        """
        objects = [
            json.dumps(
                {name: _json_value(value) for name, value in record.items()},
                ensure_ascii=False,
            )
            for record in self
        ]
        if lines:
            text = "".join(line + "\n" for line in objects)
        elif objects:
            text = "[\n" + ",\n".join(objects) + "\n]\n"
        else:
            text = "[]\n"
        return _write(text, file)

    @overload
    def to_csv(self, file: None = None) -> str: ...
    @overload
    def to_csv(self, file: str | os.PathLike[str] | TextIO) -> None: ...
    def to_csv(self, file: str | os.PathLike[str] | TextIO | None = None) -> str | None:
        """The table as CSV: a header of column names, then one line per row.

        Cells are quoted only where needed; an empty cell is an empty value;
        decimals are plain digits (never a float, never scientific notation);
        dates are ISO 8601; booleans ``true`` or ``false``. Lines end in
        ``\\n``. ``file`` is a path (written in UTF-8) or an open text file
        (open it with ``newline=""``); without it the text is returned.

        >>> from decimal import Decimal
        >>> table = Table("t", [Column("id", "string", "An id."),
        ...                     Column("amount", "decimal", "An amount.")],
        ...               [("a, b", Decimal("5.05E+7")), ("c", None)])
        >>> print(table.to_csv(), end="")
        id,amount
        "a, b",50500000
        c,
        """
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(self.column_names)
        for row in self.rows:
            writer.writerow([_csv_value(value) for value in row])
        return _write(buffer.getvalue(), file)

    # -- data frames and columnar formats -----------------------------------

    def to_pandas(self) -> Any:
        """The table as a ``pandas.DataFrame`` (needs the ``pandas`` extra).

        Column dtypes follow the logical types: ``string`` (pandas'
        ``StringDtype``, empty as ``<NA>``), ``Int64`` for integers,
        ``boolean`` for booleans, ``datetime64[s]`` for dates (empty as
        ``NaT``), and ``object`` columns of exact ``Decimal`` values (empty
        as ``None``) for decimals, so no amount passes through a float.

        >>> frame = Table("t", [Column("year", "integer", "A year.")],
        ...               [(2023,), (None,)]).to_pandas()
        >>> str(frame["year"].dtype), frame["year"].isna().tolist()
        ('Int64', [False, True])
        """
        pandas: Any = _optional_module("pandas", "to_pandas", "pandas")
        series = {}
        for position, column in enumerate(self.columns):
            values = [row[position] for row in self.rows]
            if column.type == "decimal":
                series[column.name] = pandas.Series(values, dtype=object)
            elif column.type == "date":
                series[column.name] = pandas.Series(
                    [pandas.NaT if value is None else value for value in values],
                    dtype="datetime64[s]",
                )
            else:
                series[column.name] = pandas.Series(
                    values, dtype=_PANDAS_DTYPES[column.type]
                )
        return pandas.DataFrame(series, columns=list(self.column_names))

    def to_arrow(self) -> Any:
        """The table as a ``pyarrow.Table`` with an explicit schema (``arrow`` extra).

        Types: ``string`` (UTF-8), ``int64``, ``bool``, ``date32`` and
        ``decimal128(38, scale)``, the scale being the column's own or the
        most decimal places its values have. Each field carries its
        description in its metadata (``description``), and the schema the
        table's name (``mali_aid.table``). A table with no rows keeps its
        types.

        >>> schema = Table("t", [Column("amount", "decimal", "An amount.", scale=2)],
        ...                []).to_arrow().schema
        >>> str(schema.field("amount").type)
        'decimal128(38, 2)'
        """
        arrow: Any = _optional_module("pyarrow", "to_arrow", "arrow")
        fields = []
        arrays = []
        for position, column in enumerate(self.columns):
            values = [row[position] for row in self.rows]
            kind = _arrow_type(arrow, column, values)
            fields.append(
                arrow.field(
                    column.name,
                    kind,
                    nullable=True,
                    metadata={"description": column.description},
                )
            )
            arrays.append(arrow.array(values, type=kind))
        schema = arrow.schema(fields, metadata={"mali_aid.table": self.name})
        return arrow.Table.from_arrays(arrays, schema=schema)

    def to_parquet(self, path: str | os.PathLike[str]) -> None:
        """Write the table as a Parquet file with the types of :meth:`to_arrow`.

        Needs the ``arrow`` extra.

        >>> import pathlib, tempfile
        >>> import pyarrow.parquet
        >>> table = Table("t", [Column("day", "date", "A day.")], [(date(2024, 6, 14),)])
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     path = pathlib.Path(folder) / "t.parquet"
        ...     table.to_parquet(path)
        ...     pyarrow.parquet.read_table(path).column("day").to_pylist()
        [datetime.date(2024, 6, 14)]
        """
        parquet: Any = _optional_module("pyarrow.parquet", "to_parquet", "arrow")
        parquet.write_table(self.to_arrow(), os.fspath(path))


_PANDAS_DTYPES: Final = {"string": "string", "integer": "Int64", "boolean": "boolean"}


def _arrow_type(arrow: Any, column: Column, values: Sequence[Value]) -> Any:
    if column.type == "string":
        return arrow.string()
    if column.type == "integer":
        return arrow.int64()
    if column.type == "boolean":
        return arrow.bool_()
    if column.type == "date":
        return arrow.date32()
    scale = column.scale
    if scale is None:
        scale = max(
            (_places(value) for value in values if isinstance(value, Decimal)),
            default=0,
        )
    return arrow.decimal128(_PRECISION, scale)


def _json_value(value: Value) -> str | int | bool | None:
    if isinstance(value, Decimal):
        return _plain(value)
    if isinstance(value, date):
        return value.isoformat()
    return value


def _csv_value(value: Value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return _plain(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


# -- choosing engagements -----------------------------------------------------------


def _chosen(
    data: Dataset, engagements: Iterable[Engagement | str] | None
) -> tuple[Engagement, ...]:
    if engagements is None:
        return data.engagements
    if isinstance(engagements, str):
        raise TypeError("pass a sequence of engagements or ids, not one text")
    records = tuple(
        data.engagement(item) if isinstance(item, str) else item for item in engagements
    )
    seen: set[str] = set()
    for record in records:
        if not isinstance(record, Engagement):
            raise TypeError(
                f"expected an Engagement or an id, not {type(record).__name__}"
            )
        if record.id in seen:
            raise DataError(f"engagement {record.id!r} is given twice")
        seen.add(record.id)
    return records


def _joined(items: Iterable[str]) -> str | None:
    unique = list(dict.fromkeys(items))
    return SEPARATOR.join(unique) if unique else None


def _text(value: enum.Enum | str | None) -> str | None:
    if value is None:
        return None
    if isinstance(value, enum.Enum):
        return str(value.value)
    return value


def _citation(citation: Citation) -> str:
    where = citation.paragraph if citation.paragraph is not None else citation.locator
    return f"{citation.source}:{where}"


# -- engagements --------------------------------------------------------------------


def _engagement_columns(amount_scale: int) -> tuple[Column, ...]:
    return (
        Column("id", "string", "The engagement's id: a stable slug."),
        Column("title", "string", "The title as the source words it."),
        Column("title_en", "string", "The English title, where the record gives one."),
        Column(
            "kind",
            "string",
            "programme, project, contribution, envelope, strategy, mission or deployment.",
        ),
        Column(
            "status", "string", "planned, ongoing or completed, as the source tells it."
        ),
        Column(
            "channel",
            "string",
            "bilateral, multilateral, ngo, humanitarian, decentralised,"
            " security-defence, microprojects or mixed.",
        ),
        Column(
            "donors",
            "string",
            "The donors (root organisations of the funders), joined by '; ' in the"
            " order of the funding participants; empty when no source names a funder.",
        ),
        Column(
            "funders",
            "string",
            "The funding organisations' ids, joined by '; '; empty when unknown.",
        ),
        Column(
            "implementers",
            "string",
            "The implementing organisations' ids, joined by '; '; empty when none is named.",
        ),
        Column(
            "period",
            "string",
            "The period in effect as text: '2009/2014', '2013-02/..', '../2024-06',"
            " 'P20Y~' ('..' an unknown end, '~' approximate, 'P20Y' a length).",
        ),
        Column(
            "period_start", "date", "The first day of the period; empty when unknown."
        ),
        Column(
            "period_start_precision",
            "string",
            "How precisely the source gave the start: year, month or day.",
        ),
        Column("period_end", "date", "The last day of the period; empty when unknown."),
        Column(
            "period_end_precision",
            "string",
            "How precisely the source gave the end: year, month or day.",
        ),
        Column(
            "period_approximate",
            "boolean",
            "Whether the source gives the period only roughly; empty without a period.",
        ),
        Column(
            "original_period",
            "string",
            "The period first agreed, where a source says it was extended (as text).",
        ),
        Column(
            "active_in",
            "string",
            "Years a source saw it active when its full period is not given,"
            " joined by '; '.",
        ),
        Column(
            "amount",
            "decimal",
            "The amount a total counts for it, in its own currency: its planned total"
            " (envelope, else commitment, else the sum of its budgets) or else what"
            " it contributed or disbursed. Empty when unknown, never zero.",
            scale=amount_scale,
        ),
        Column("currency", "string", "The ISO 4217 code of the amount."),
        Column(
            "amount_qualifier",
            "string",
            "exact, about, at-least or at-most: how exactly the amount is known.",
        ),
        Column(
            "amount_kind",
            "string",
            "The kind of the amount: envelope, commitment, budget, contribution or"
            " disbursement (several joined by '; ').",
        ),
        Column(
            "amount_missing",
            "string",
            "Why the amount is empty: 'unknown' (no source gives one) or"
            " 'several-currencies' (amounts in several currencies, which only a"
            " conversion can add up: see the years table); empty when it is given.",
        ),
        Column("sectors", "string", "The sector ids, joined by '; '."),
        Column("places", "string", "The place ids, joined by '; '."),
        Column(
            "regions",
            "string",
            "The places rolled up to their regions (a place above region level"
            " stays itself), each once, joined by '; '.",
        ),
        Column("themes", "string", "The cross-cutting theme ids, joined by '; '."),
        Column("part_of", "string", "The id of the engagement this one is part of."),
        Column("follows", "string", "The id of the engagement this one succeeds."),
        Column(
            "citations",
            "string",
            "Where its facts stand: 'source-id:paragraph' (or 'source-id:locator'"
            " for a structured file), joined by '; '.",
        ),
        Column(
            "note",
            "string",
            "How the record reads its sources, where that needs saying.",
        ),
    )


def _amount_cells(record: Engagement) -> tuple[Value, ...]:
    """amount, currency, amount_qualifier, amount_kind and amount_missing."""
    counted = contributing_amounts(record)
    if not counted:
        return None, None, None, None, "unknown"
    kinds = {amount.kind for amount in counted}
    kind = SEPARATOR.join(str(member) for member in AmountKind if member in kinds)
    currencies = {amount.money.currency for amount in counted}
    if len(currencies) > 1:
        return None, None, None, kind, "several-currencies"
    total: Money = sum((amount.money for amount in counted[1:]), counted[0].money)
    qualifier = summarise_qualifiers(amount.qualifier for amount in counted)
    return total.amount, total.currency, str(qualifier), kind, None


def _period_cells(period: Period | None) -> tuple[Value, ...]:
    if period is None:
        return None, None, None, None, None, None
    return (
        str(period),
        period.start,
        _text(period.start_precision),
        period.end,
        _text(period.end_precision),
        period.approximate,
    )


def _engagement_row(data: Dataset, record: Engagement) -> tuple[Value, ...]:
    return (
        record.id,
        record.title,
        record.title_en,
        _text(record.kind),
        _text(record.status),
        _text(record.channel),
        _joined(data.donors(record)),
        _joined(p.organisation for p in record.funders),
        _joined(p.organisation for p in record.implementers),
        *_period_cells(record.period),
        None if record.original_period is None else str(record.original_period),
        _joined(str(year) for year in record.active_in),
        *_amount_cells(record),
        _joined(share.sector for share in record.sectors),
        _joined(share.place for share in record.places),
        _joined(data.roll_up(share.place, "region") for share in record.places),
        _joined(record.themes),
        record.part_of,
        record.follows,
        _joined(_citation(citation) for citation in record.citations),
        record.note,
    )


def engagements(
    data: Dataset, engagements: Iterable[Engagement | str] | None = None
) -> Table:
    """One row per engagement, in the order given (default: every one in ``data``).

    ``engagements`` are records or ids; ``data`` knows the organisation tree
    (the donors) and the places (the regions). The amount is the one a total
    counts (see :func:`mali_aid.totals`), in its own currency, or empty when
    no source gives one. Ids in one cell are joined by ``"; "``. The columns
    are listed in ``docs/export.md``.

    >>> import mali_aid
    >>> from mali_aid import export
    >>> row = export.engagements(mali_aid.load(), ["lu-agropastoral-ii"]).records()[0]
    >>> row["donors"], row["amount"], row["amount_missing"], row["regions"]
    ('LU; CH', None, 'unknown', 'ml-sikasso-region')
    """
    _arguments.check("engagements", data=data)
    engagements = _arguments.engagements(
        "engagements", engagements, ids=True, optional=True
    )
    records = _chosen(data, engagements)
    # Four decimal places hold the minor unit of every currency; an amount
    # given more finely widens the scale rather than lose a digit.
    scale = max([4, *(_amount_places(record) for record in records)])
    return Table(
        "engagements",
        _engagement_columns(scale),
        [_engagement_row(data, record) for record in records],
    )


def _amount_places(record: Engagement) -> int:
    return max(
        (_places(amount.money.amount) for amount in contributing_amounts(record)),
        default=0,
    )


# -- participants -------------------------------------------------------------------

_PARTICIPANT_COLUMNS: Final = (
    Column("engagement_id", "string", "The engagement's id."),
    Column("organisation_id", "string", "The participating organisation's id."),
    Column("organisation_name", "string", "The organisation's name."),
    Column(
        "organisation_kind",
        "string",
        "What sort of body it is: state, agency, multilateral, ngo, ...",
    ),
    Column(
        "organisation_country",
        "string",
        "The ISO 3166-1 code of the country it belongs to, where it has one.",
    ),
    Column(
        "role",
        "string",
        "Its IATI role in the engagement: funding, accountable, extending or"
        " implementing.",
    ),
    Column(
        "share",
        "string",
        "A funder's exact share of the funding as a fraction ('1/2'), where a"
        " source gives it.",
    ),
    Column(
        "donor_id",
        "string",
        "For a funding participant, the donor: the root of its organisation"
        " (BE for Belgian Defence); empty for the other roles.",
    ),
)


def participants(
    data: Dataset, engagements: Iterable[Engagement | str] | None = None
) -> Table:
    """One row per engagement and participant, in record order.

    An engagement with no participant has no row here. The ``share`` is an
    exact fraction as text (``"1/2"``); turn it into a number with
    :class:`fractions.Fraction`.

    >>> import mali_aid
    >>> from mali_aid import export
    >>> table = export.participants(mali_aid.load(), ["lu-agropastoral-ii"])
    >>> [(row["organisation_id"], row["role"], row["share"]) for row in table]
    [('LU', 'funding', '1/2'), ('CH', 'funding', '1/2'), ('luxdev', 'implementing', None)]
    """
    _arguments.check("participants", data=data)
    engagements = _arguments.engagements(
        "participants", engagements, ids=True, optional=True
    )
    rows = []
    for record in _chosen(data, engagements):
        for participant in record.participants:
            organisation = data.organisation(participant.organisation)
            funding = participant.role is Role.FUNDING
            rows.append(
                (
                    record.id,
                    organisation.id,
                    organisation.name,
                    _text(organisation.kind),
                    organisation.country,
                    _text(participant.role),
                    None if participant.share is None else str(participant.share),
                    data.root_organisation(organisation.id).id if funding else None,
                )
            )
    return Table("participants", _PARTICIPANT_COLUMNS, rows)


# -- years --------------------------------------------------------------------------


def _year_columns(currency: str) -> tuple[Column, ...]:
    return (
        Column("engagement_id", "string", "The engagement's id."),
        Column(
            "donor_id",
            "string",
            "The donor (root of the funding organisation); empty when no source"
            " names a funder.",
        ),
        Column(
            "donor_share",
            "string",
            "The donor's exact share of the engagement as a fraction ('1', '1/2').",
        ),
        Column(
            "year",
            "integer",
            "The calendar year of the slice; empty when the amount's time is"
            " unknown, or the amount itself is.",
        ),
        Column(
            "amount_kind",
            "string",
            "The kind of amount: envelope, commitment, budget, contribution,"
            " disbursement, expenditure or pledge.",
        ),
        Column(
            "amount",
            "decimal",
            f"The donor's share of the year's slice, in {currency}, rounded once"
            " to the minor unit so an engagement's rows sum to its total to the"
            " cent. Empty when unknown or not convertible, never zero.",
            scale=minor_unit(currency),
        ),
        Column("currency", "string", "The ISO 4217 code of the amount."),
        Column(
            "original_amount",
            "decimal",
            "The same money in the currency the source gives it in, rounded to"
            " four decimal places (its minor unit or finer).",
            scale=4,
        ),
        Column(
            "original_currency",
            "string",
            "The ISO 4217 code of the amount as the source gives it.",
        ),
        Column(
            "rate",
            "decimal",
            f"The factor that turned original_amount into {currency}, to 12"
            " decimal places; empty when no conversion was needed.",
            scale=12,
        ),
        Column(
            "rate_basis",
            "string",
            "The kind of rate: annual-mean, daily or peg (joined by '+' where a"
            " conversion goes through two); empty when none was needed.",
        ),
        Column(
            "rate_date",
            "date",
            "The day of a daily rate (the amount's value date).",
        ),
        Column(
            "rate_year",
            "integer",
            "The year of an annual mean rate.",
        ),
        Column(
            "amount_qualifier",
            "string",
            "exact, about, at-least or at-most: how exactly the amount is known.",
        ),
        Column(
            "amount_missing",
            "string",
            "Why the amount is empty: 'unknown' (no amount of the kinds counted)"
            " or 'no-rate' (no exchange rate for one of its slices); empty when"
            " given.",
        ),
        Column(
            "counted_in",
            "string",
            "The nearest engagement among those exported that contains this one"
            " (through part_of) and has a counted amount. That one's rows hold"
            " only what its parts leave, so every row counts its money once.",
        ),
    )


def years(
    data: Dataset,
    engagements: Iterable[Engagement | str] | None = None,
    *,
    currency: str = "EUR",
    rates: Rates | None = None,
    kinds: Iterable[AmountKind | str] | None = None,
    scope: Literal["mali", "all"] = "mali",
) -> Table:
    """One row per engagement, donor, calendar year and kind of amount.

    Each engagement's amount is spread over calendar years and shared
    between its donors as :func:`mali_aid.totals` does it (by days, exactly,
    by funding share, each year's slice converted into ``currency`` at that
    year's mean rate or at the amount's value date), and rounded once, per
    engagement, so that an engagement's rows sum to its total to the cent.
    ``rates``, ``kinds`` and ``scope`` are those of :func:`mali_aid.totals`:
    by default a row holds Mali's share alone.

    Every engagement has at least one row. One whose amount is unknown, or
    cannot be converted, has one row per donor with empty ``year`` and
    ``amount`` and the reason in ``amount_missing``. An engagement and its
    parts each have their own rows; ``counted_in`` names the containing
    engagement whose amount already holds a part's money, so the rows with
    an empty ``counted_in`` count every flow once.

    >>> import mali_aid
    >>> from mali_aid import export
    >>> table = export.years(mali_aid.load(), ["be-icp-2009-2014"])
    >>> sum(row["amount"] for row in table)
    Decimal('50500000.00')
    """
    _arguments.check(
        "years", data=data, currency=currency, rates=rates, kinds=kinds, scope=scope
    )
    engagements = _arguments.engagements("years", engagements, ids=True, optional=True)

    minor_unit(currency)  # an unknown code raises DataError, even for no rows
    records = _chosen(data, engagements)
    wanted = None if kinds is None else tuple(AmountKind(kind) for kind in kinds)
    # The pieces of one total of every engagement together, by engagement,
    # donor, year, kind and rate: a container's rows hold only what its parts
    # leave, so the rows sum, under any grouping, to what totals() gives.
    pieces = year_rows(
        records, currency=currency, data=data, rates=rates, kinds=wanted, scope=scope
    )
    whole = {piece.engagement for piece in pieces if piece.kind is not None}
    by_id = {record.id: record for record in records}
    counted = {record.id for record in records if record.id in whole}
    kind_order = {str(member): position for position, member in enumerate(AmountKind)}
    own: dict[str, list[YearRow]] = {}
    for piece in pieces:
        own.setdefault(piece.engagement, []).append(piece)
    rows: list[tuple[Value, ...]] = []
    for record in records:
        shares = dict(data.funding_shares(record))
        donor_order = {donor: position for position, donor in enumerate(shares)}
        # The walk up part_of stays among the engagements exported, as the
        # total of them does when it counts a container's remainder.
        holder = counted_container(record, by_id, counted.__contains__)
        container = None if holder is None else holder.id
        mine = own.get(record.id, [])
        if record.id not in counted:
            missing = "no-rate" if any(p.cell.unconverted for p in mine) else "unknown"
            rows.extend(
                (record.id, donor, str(share), *([None] * 11), missing, container)
                for donor, share in shares.items()
            )
            continue
        keyed = [
            (
                (
                    piece.year is None,
                    piece.year or 0,
                    donor_order[piece.donor],  # type: ignore[index]
                    kind_order[str(piece.kind)],
                    str(piece.conversion and piece.conversion.when),
                ),
                _year_row(
                    record.id,
                    str(shares[piece.donor]),  # type: ignore[index]
                    piece,
                    container,
                ),
            )
            for piece in mine
            if piece.kind is not None
        ]
        rows.extend(row for _, row in sorted(keyed, key=lambda pair: pair[0]))
    return Table("years", _year_columns(currency), rows)


def _year_row(
    engagement: str, share: str, piece: YearRow, container: str | None
) -> tuple[Value, ...]:
    cell, conversion, original = piece.cell, piece.conversion, piece.original
    converted = conversion is not None and conversion.source != conversion.target
    if not converted:
        original = cell.best  # the same money, rounded the same way
    when = None if conversion is None else conversion.when
    return (
        engagement,
        piece.donor,  # type: ignore[return-value]
        share,
        piece.year,
        None if piece.kind is None else str(piece.kind),
        None if cell.best is None else cell.best.amount,
        cell.currency,
        None if original is None else original.amount,
        None if original is None else original.currency,
        _rate(conversion.factor) if converted and conversion else None,
        "+".join(sorted(str(b).removeprefix("converted-") for b in conversion.basis))
        if converted and conversion
        else None,
        when if isinstance(when, date) and converted else None,
        when if isinstance(when, int) and converted else None,
        None if cell.qualifier is None else str(cell.qualifier),
        None if cell.best is not None else "share-unknown",
        container,
    )


def _rate(factor: Fraction | None) -> Decimal | None:
    """A conversion factor to 12 decimal places, for reading."""
    if factor is None:
        return None
    scaled = round(factor * 10**12)
    return Decimal(f"{scaled}E-12")
