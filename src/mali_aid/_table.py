"""Tables of plain values under named, typed columns, and their writers.

A :class:`Table` holds rows of ``str``, ``int``, ``Decimal``,
``datetime.date``, ``bool`` or ``None`` under :class:`Column` s with a
logical type, checks every value against its column, and writes itself as
JSON or CSV with the standard library, or becomes a pandas ``DataFrame``, an
Arrow table or a Parquet file through the optional extras. The tables of the
data (engagements, participants, years) are defined in
:mod:`mali_aid.export`, which is where users import these names from.
"""

from __future__ import annotations

import csv
import importlib
import io
import json
import os
from collections.abc import Iterable, Iterator, Mapping, Sequence
from datetime import date
from decimal import Decimal
from types import MappingProxyType, ModuleType
from typing import Any, Final, Literal, TextIO, TypeAlias, overload

import attrs

__all__ = [
    "LOGICAL_TYPES",
    "Column",
    "LogicalType",
    "Table",
    "Value",
    "decimal_places",
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


def decimal_places(value: Decimal) -> int:
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
            (decimal_places(value) for value in values if isinstance(value, Decimal)),
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
