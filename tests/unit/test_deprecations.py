"""Every deprecated spelling still works, warns, and names its replacement and the
version that removes it."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

import mali_aid

SRC = Path(mali_aid.__file__).resolve().parent


@pytest.fixture(scope="module")
def belgium_and_luxembourg() -> mali_aid.Totals:
    data = mali_aid.load()
    return mali_aid.totals(data.engagements, by="donor", currency="EUR", data=data)


class TestTotalsSpellingsOf01:
    def test_grand_total_is_the_total_cells_best(
        self, belgium_and_luxembourg: mali_aid.Totals
    ) -> None:
        with pytest.warns(DeprecationWarning, match=r"Totals\.total\.best.*") as caught:
            value = belgium_and_luxembourg.grand_total
        assert value == belgium_and_luxembourg.total.best
        assert "0.3.0" in str(caught[0].message)

    def test_qualifiers_are_the_cells_qualifiers(
        self, belgium_and_luxembourg: mali_aid.Totals
    ) -> None:
        with pytest.warns(
            DeprecationWarning, match=r"totals\[key\]\.qualifier"
        ) as caught:
            value = belgium_and_luxembourg.qualifiers
        assert dict(value) == {
            key: cell.qualifier for key, cell in belgium_and_luxembourg.items()
        }
        assert "0.3.0" in str(caught[0].message)


class TestOneSerialisationConventionOf01:
    """Results give plain data by ``to_dict()`` and flat rows by
    ``to_table()``; the ``to_records()`` spellings still work."""

    def test_totals_records_are_the_rows_of_to_dict(
        self, belgium_and_luxembourg: mali_aid.Totals
    ) -> None:
        with pytest.warns(
            DeprecationWarning, match=r'Totals\.to_dict\(\)\["rows"\]'
        ) as caught:
            rows = belgium_and_luxembourg.to_records()
        assert rows == belgium_and_luxembourg.to_dict()["rows"]
        assert [row["donor"] for row in rows] == list(belgium_and_luxembourg)
        assert "0.3.0" in str(caught[0].message)

    def test_listing_records_are_its_plain_data(self) -> None:
        listing = mali_aid.browse(mali_aid.load(), "donors")
        with pytest.warns(DeprecationWarning, match=r"Listing\.to_dict\(\)") as caught:
            records = listing.to_records()
        assert records == listing.to_dict()
        assert records[0] == dict(listing.records[0])
        assert "0.3.0" in str(caught[0].message)


def test_every_deprecation_in_the_package_is_tested_here() -> None:
    """A new DeprecationWarning in the source needs its test in this file."""
    found = sorted(
        f"{path.relative_to(SRC)}:{number}"
        for path in SRC.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        if re.search(r"\bDeprecationWarning\b", line)
        and not line.lstrip().startswith("#")
    )
    assert len(found) == 4, f"test each of these deprecations here: {found}"
