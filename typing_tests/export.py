"""The export tables as users build and write them, checked by
``mypy --strict``, never run."""

from __future__ import annotations

import io
import pathlib
from decimal import Decimal
from typing import Any, assert_type

import mali_aid
from mali_aid import export
from mali_aid.export import Column, LogicalType, Table, Value

data = mali_aid.load()

engagements = export.engagements(data)
assert_type(engagements, Table)
assert_type(export.engagements(data, ["lu-envelope-2023-2024"]), Table)
assert_type(export.participants(data, data.select(donor="LU")), Table)
years = export.years(
    data,
    [data.engagement("be-icp-2009-2014"), "lu-floods-2024"],
    currency="XOF",
    rates=mali_aid.default_rates(),
    kinds=["budget", mali_aid.AmountKind.ENVELOPE],
)
assert_type(years, Table)

assert_type(years.name, str)
assert_type(years.columns, tuple[Column, ...])
assert_type(years.columns[0].type, LogicalType)
assert_type(years.column_names, tuple[str, ...])
assert_type(years.rows, tuple[tuple[Value, ...], ...])
assert_type(len(years), int)
for row in years:
    assert_type(row, dict[str, Value])
assert_type(years.records(), list[dict[str, Value]])

assert_type(years.to_json(), str)
assert_type(years.to_json(lines=True), str)
assert_type(years.to_json("years.json"), None)
assert_type(years.to_json(pathlib.Path("years.jsonl"), lines=True), None)
assert_type(years.to_csv(), str)
assert_type(years.to_csv(io.StringIO()), None)
with open("years.csv", "w", newline="", encoding="utf-8") as stream:
    assert_type(years.to_csv(stream), None)
assert_type(years.to_pandas(), Any)
assert_type(years.to_arrow(), Any)
assert_type(years.to_parquet(pathlib.Path("years.parquet")), None)

own = Table(
    "figures",
    [Column("amount", "decimal", "An amount.", scale=2)],
    [(Decimal("1.50"),), (None,)],
)
assert_type(own, Table)

Column("amount", "float", "No such type.")  # type: ignore[arg-type]
export.years(data, currency=978)  # type: ignore[arg-type]
export.engagements(data, [42])  # type: ignore[list-item]
years.to_csv(b"bytes")  # type: ignore[call-overload]
years.rows = ()  # type: ignore[misc]
