"""A dataset's years table as Parquet files, partitioned by publisher and year.

Past a few hundred thousand activities, a user totals with a query engine
over files rather than in one Python process: :func:`write_years` writes the
pivot-safe ``years`` table of :func:`mali_aid.export.years` (exact decimals,
each engagement rounded once, so any sum of its rows gives the figures of
:func:`mali_aid.totals`) into a directory tree that DuckDB, Polars or
pyarrow read as one table::

    DIR/publisher=<publisher>/year=<year>/part-0.parquet

Every file holds every column, ``publisher`` and ``year`` included; the
folder names follow the Hive convention that DuckDB and pyarrow read (the
publisher percent-encoded, rows of unknown year under
``year=__HIVE_DEFAULT_PARTITION__``, which both read as null), so a query
over ``DIR/**/*.parquet`` sees the same values either way. The publisher is that of the source the engagement cites
first (for an IATI activity, the file's reporting organisation).
"""

from __future__ import annotations

import importlib
import os
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal
from urllib.parse import quote

from mali_aid.errors import DataError

if TYPE_CHECKING:
    from mali_aid._dataset import Dataset
    from mali_aid._rates import Rates

__all__ = ["write_years"]


def write_years(
    data: Dataset,
    directory: str | os.PathLike[str],
    *,
    currency: str = "EUR",
    rates: Rates | None = None,
    scope: Literal["mali", "all"] = "mali",
) -> list[Path]:
    """Write the years table of ``data`` under ``directory``, one Parquet file
    per publisher and year; return the files written, in order.

    ``directory`` must not exist yet, or be empty: nothing is overwritten
    (it is made, and left empty when there are no rows). Needs pyarrow (``pip install "mali-aid[arrow]"``).

    >>> import tempfile, mali_aid
    >>> from mali_aid import iati
    >>> with tempfile.TemporaryDirectory() as folder:
    ...     files = iati.write_years(mali_aid.load(), folder + "/years")
    ...     print(len(files), files[1].parent.parent.name, files[1].parent.name)
    34 publisher=Belgian%20Defence year=2014
    """
    from mali_aid import export

    target = Path(directory)
    if target.exists() and (not target.is_dir() or any(target.iterdir())):
        raise DataError(
            "the directory to write the years into must be new or empty",
            file=str(target),
        )
    table = export.years(data, currency=currency, rates=rates, scope=scope)
    target.mkdir(parents=True, exist_ok=True)
    # to_arrow() says which extra to install when pyarrow is missing.
    arrow = table.to_arrow()
    pa = importlib.import_module("pyarrow")
    pc = importlib.import_module("pyarrow.compute")
    pq = importlib.import_module("pyarrow.parquet")

    publishers = [
        _publisher(data, engagement)
        for engagement in arrow["engagement_id"].to_pylist()
    ]
    arrow = arrow.append_column("publisher", pa.array(publishers, pa.string()))
    written: list[Path] = []
    for publisher, year in sorted(
        {(p, y) for p, y in zip(publishers, arrow["year"].to_pylist(), strict=True)},
        key=_order,
    ):
        chosen = pc.equal(arrow["publisher"], publisher)
        chosen = pc.and_(
            chosen,
            pc.is_null(arrow["year"])
            if year is None
            else pc.equal(arrow["year"], year),
        )
        part = arrow.filter(chosen)
        folder = target / f"publisher={quote(publisher, safe='')}" / _year(year)
        folder.mkdir(parents=True, exist_ok=True)
        path = folder / "part-0.parquet"
        pq.write_table(part, path)
        written.append(path)
    return written


def _publisher(data: Dataset, engagement_id: Any) -> str:
    record = data.engagement(engagement_id)
    for citation in record.citations:
        source = data.source(citation.source, default=None)
        if source is not None:
            return source.publisher
    return "unknown"


def _year(year: int | None) -> str:
    return "year=__HIVE_DEFAULT_PARTITION__" if year is None else f"year={year}"


def _order(key: tuple[str, int | None]) -> tuple[str, int]:
    return key[0], -1 if key[1] is None else key[1]
