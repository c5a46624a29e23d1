"""The result of a read: unmapped items, the repr and the dataset."""

from __future__ import annotations

import io
import subprocess
import sys

import pytest

import mali_aid
from mali_aid import (
    DataError,
    Dataset,
    Money,
    Organisation,
    Place,
    Source,
    iati,
)

from .builders import activity, budget, country, document, read

# -- the result and the dataset --------------------------------------------------------


def test_unmapped_prints_where_and_why() -> None:
    result = read(activity('<result type="1"/>'))
    assert [str(item) for item in result.unmapped] == [
        "XM-TEST-1/result: not mapped: no field of mali_aid's records holds it"
    ]


def test_repr_counts_the_records(example: iati.IatiActivities) -> None:
    assert repr(example) == (
        "<IatiActivities: 1 engagements, 3 organisations, 4 places,"
        f" 2 sectors, {len(example.unmapped)} unmapped>"
    )


def base_dataset() -> Dataset:
    return Dataset(
        sources=[
            Source(
                id="report",
                title="Report",
                publisher="Ministry",
                language="en",
                paragraphs=3,
            )
        ],
        organisations=[Organisation(id="XM-DAC-1", name="Donor", kind="state")],
        places=[Place(id="ML", name="Mali", level="country", iso_code="ML")],
    )


def test_dataset_added_to_a_base_reuses_its_records() -> None:
    base = base_dataset()
    result = read(
        activity(
            country("ML")
            + '<participating-org ref="XM-DAC-1" role="1"><narrative>Donor</narrative>'
            "</participating-org>"
            + '<participating-org ref="XM-DAC-2" role="4"><narrative>NGO</narrative>'
            "</participating-org>"
        )
    )
    data = result.dataset(base)
    assert [source.id for source in data.sources] == ["report", "iati-activities"]
    assert data.place("ML") is base.place("ML")
    assert data.organisation("XM-DAC-1") is base.organisation("XM-DAC-1")
    assert data.organisation("XM-DAC-2").name == "NGO"
    assert data.donors("XM-TEST-1") == ("XM-DAC-1",)


def test_dataset_refuses_clashing_engagements_and_sources() -> None:
    result = read(activity())
    other = iati.read_activities(io.BytesIO(document(activity())), source_id="other")
    with pytest.raises(DataError, match="already has an engagement") as caught:
        result.dataset(other.dataset())
    assert caught.value.record == "XM-TEST-1"
    renamed = read(activity(identifier="XM-2"))
    with pytest.raises(DataError, match="already has a source"):
        renamed.dataset(result.dataset())
    assert len(renamed.dataset(other.dataset()).engagements) == 2


def test_merged_with_the_bundled_data() -> None:
    bundled = mali_aid.load()
    result = read(activity(country("ML") + budget("2024-01-01", "2024-12-31", "5000")))
    data = result.dataset(bundled)
    assert len(data.engagements) == len(bundled.engagements) + 1
    total = mali_aid.totals(result.engagements, by="place", currency="EUR", data=data)
    assert total.figures() == {"ML": Money("5000.00", "EUR")}


def test_importing_the_package_does_not_load_the_reader() -> None:
    code = (
        "import sys, mali_aid\n"
        "loaded = ('mali_aid.iati', 'defusedxml')\n"
        "print(sorted(name for name in loaded if name in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "[]"


@pytest.mark.parametrize(
    "body",
    [
        country("ML"),
        country("ML", "50") + '<recipient-region code="289" vocabulary="1"'
        ' percentage="50"/>',
    ],
    ids=["mali", "mali-in-a-region"],
)
def test_dataset_added_to_a_base_keeps_every_kind_of_its_records(body: str) -> None:
    bundled = mali_aid.load()
    data = read(activity(body)).dataset(bundled)
    assert bundled.statements and bundled.events and bundled.themes
    for plural in ("themes", "events", "indicators", "statements"):
        assert getattr(data, plural) == getattr(bundled, plural), plural
    for plural in ("sources", "organisations", "sectors", "engagements"):
        kept = getattr(data, plural)[: len(getattr(bundled, plural))]
        assert kept == getattr(bundled, plural), plural
    assert [place.id for place in data.places[: len(bundled.places)]] == [
        place.id for place in bundled.places
    ]
