"""The codelist tables in the package agree with the codelist copies.

Each copy in scripts/iati-codelists/ is parsed here on its own, so a table
edited by hand, or a copy changed without running the generator, fails.
"""

from __future__ import annotations

from pathlib import Path
from xml.etree import ElementTree

import pytest

from mali_aid.iati import _codelist_tables

COPIES = Path(__file__).resolve().parents[3] / "scripts" / "iati-codelists"


def copies() -> list[Path]:
    return sorted(COPIES.glob("*.xml")) if COPIES.is_dir() else []


@pytest.mark.skipif(not copies(), reason="the codelist copies are not installed")
@pytest.mark.parametrize("path", copies(), ids=lambda path: path.stem)
def test_each_table_holds_the_codes_and_names_of_its_copy(path: Path) -> None:
    root = ElementTree.parse(path).getroot()
    expected = {
        item.findtext("code"): item.findtext("name/narrative")
        for item in root.iter("codelist-item")
    }
    assert _codelist_tables.CODELISTS[root.get("name")] == expected


def test_every_table_has_its_copy_and_a_readme_names_it() -> None:
    if not copies():
        pytest.skip("the codelist copies are not installed")
    readme = (COPIES / "README.md").read_text(encoding="utf-8")
    assert sorted(_codelist_tables.CODELISTS) == [path.stem for path in copies()]
    for path in copies():
        assert f"`{path.name}`" in readme


def test_malis_regions_are_pycountrys() -> None:
    pycountry = pytest.importorskip("pycountry")
    from importlib.metadata import version

    if version("pycountry") != _codelist_tables.PYCOUNTRY_VERSION:
        pytest.skip("another pycountry than the one the table was built with")
    expected = {
        subdivision.code: subdivision.name
        for subdivision in pycountry.subdivisions.get(country_code="ML")
    }
    assert expected == _codelist_tables.MALI_REGIONS
    assert _codelist_tables.MALI_REGIONS["ML-3"] == "Sikasso"
