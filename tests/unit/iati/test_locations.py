"""Locations placed in Mali's regions by their codes, or reported."""

from __future__ import annotations

from decimal import Decimal

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mali_aid
from mali_aid import Money, PlaceLevel, PlaceShare

from .builders import activity, budget, country, read

#: Mali's ISO 3166-2 codes as ISO 3166-2:ML gives them (before and after
#: the regions of 2016); written here, not taken from the package's table.
MALI_CODES = [f"ML-{n}" for n in range(1, 11)] + ["ML-BKO"]


def located(*parts: str, identifier: str = "XM-TEST-1") -> str:
    return activity(
        "".join(parts) + budget("2024-01-01", "2024-12-31", "1200"),
        identifier=identifier,
    )


def location(body: str, ref: str | None = None) -> str:
    attribute = "" if ref is None else f' ref="{ref}"'
    return f"<location{attribute}>{body}</location>"


def unmapped(result: object) -> dict[str, str]:
    return {item.element: item.reason for item in result.unmapped}  # type: ignore[attr-defined]


# -- placed -----------------------------------------------------------------------------


def test_a_location_ref_that_is_a_region_code_places_the_activity() -> None:
    result = read(
        located(
            country("ML"),
            location("<name><narrative>Sikasso</narrative></name>", ref="ML-3"),
        )
    )
    (engagement,) = result.engagements
    assert engagement.places == (PlaceShare(place="ML-3"),)
    region = next(place for place in result.places if place.id == "ML-3")
    assert (region.name, region.level, region.parent, region.iso_code) == (
        "Sikasso",
        PlaceLevel.REGION,
        "ML",
        "ML-3",
    )
    assert region.reference is not None and "pycountry" in region.reference
    assert region.citations[0].locator == "XM-TEST-1/location"


def test_an_administrative_code_places_it_and_bamako_is_a_district() -> None:
    result = read(
        located(
            country("ML"),
            location('<administrative vocabulary="A1" level="1" code="ML-BKO"/>'),
        )
    )
    assert result.engagements[0].places == (PlaceShare(place="ML-BKO"),)
    bamako = next(place for place in result.places if place.id == "ML-BKO")
    assert bamako.level is PlaceLevel.DISTRICT


def test_a_location_id_code_places_it() -> None:
    result = read(
        located(country("ML"), location('<location-id vocabulary="G1" code="ml-5"/>'))
    )
    assert result.engagements[0].places == (PlaceShare(place="ML-5"),)


def test_two_regions_split_malis_whole_share_evenly_as_totals_say() -> None:
    result = read(
        located(
            country("ML"),
            location("", ref="ML-3"),
            location("", ref="ML-4"),
            location("", ref="ML-3"),
        )
    )
    assert result.engagements[0].places == (
        PlaceShare(place="ML-3"),
        PlaceShare(place="ML-4"),
    )
    data = result.dataset()
    totals = mali_aid.totals(data.engagements, by="place", currency="EUR", data=data)
    assert totals.figures() == {
        "ML-3": Money("600.00", "EUR"),
        "ML-4": Money("600.00", "EUR"),
    }


def test_one_region_takes_malis_percentage_beside_another_country() -> None:
    result = read(
        located(
            country("ML", "75"),
            country("BF", "25"),
            location("", ref="ML-7"),
        )
    )
    assert result.engagements[0].places == (
        PlaceShare(place="ML-7", percentage=Decimal(75)),
        PlaceShare(place="BF", percentage=Decimal(25)),
    )
    data = result.dataset()
    totals = mali_aid.totals(data.engagements, by="place", currency="EUR", data=data)
    assert totals.figures() == {"ML-7": Money("900.00", "EUR")}


def test_several_regions_beside_another_country_keep_mali_and_are_reported() -> None:
    result = read(
        located(
            country("ML", "75"),
            country("BF", "25"),
            location("", ref="ML-7"),
            location("", ref="ML-8"),
        )
    )
    assert [share.place for share in result.engagements[0].places] == ["ML", "BF"]
    reasons = unmapped(result)
    assert "no stated proportion" in reasons["location[1]"]
    assert "no stated proportion" in reasons["location[2]"]


def test_a_location_with_iso_country_code_mali_keeps_mali() -> None:
    result = read(
        located(
            country("ML"),
            location('<administrative vocabulary="A4" code="ML"/>'),
        )
    )
    assert result.engagements[0].places == (PlaceShare(place="ML"),)
    assert "location" not in unmapped(result)


def test_exactness_and_reach_are_reported_on_a_placed_location() -> None:
    result = read(
        located(
            country("ML"),
            location(
                '<location-reach code="2"/><exactness code="2"/>'
                '<point srsName="http://www.opengis.net/def/crs/EPSG/0/4326">'
                "<pos>11.3 -5.6</pos></point>",
                ref="ML-3",
            ),
        )
    )
    reasons = unmapped(result)
    assert "Intended Beneficiaries" in reasons["location/location-reach"]
    assert "Approximate" in reasons["location/exactness"]
    assert reasons["location/point"].startswith("not mapped")


# -- placed nowhere ---------------------------------------------------------------------


def test_a_code_of_another_vocabulary_is_reported_with_the_vocabulary() -> None:
    result = read(
        located(
            country("ML"),
            location(
                '<administrative vocabulary="G1" code="2451184"/>'
                "<name><narrative>Ségou</narrative></name>"
            ),
        )
    )
    assert result.engagements[0].places == (PlaceShare(place="ML"),)
    reason = unmapped(result)["location"]
    assert "'2451184' (Geonames)" in reason
    assert "a name alone" in reason


def test_a_name_alone_places_nothing() -> None:
    result = read(
        located(country("ML"), location("<name><narrative>Sikasso</narrative></name>"))
    )
    assert result.engagements[0].places == (PlaceShare(place="ML"),)
    assert "no code" in unmapped(result)["location"]


def test_a_region_of_another_country_places_nothing() -> None:
    result = read(located(country("ML"), location("", ref="BF-13")))
    assert result.engagements[0].places == (PlaceShare(place="ML"),)
    assert "location" in unmapped(result)


def test_a_location_in_mali_under_a_region_of_the_world_is_reported() -> None:
    result = read(
        located(
            '<recipient-region vocabulary="1" code="1030"/>', location("", ref="ML-3")
        )
    )
    assert [share.place for share in result.engagements[0].places] == [
        "dac-region-1030"
    ]
    assert "no share for Mali itself" in unmapped(result)["location"]


# -- into the gazetteer -----------------------------------------------------------------


def test_merged_with_the_bundled_data_a_region_is_the_gazetteers() -> None:
    data = read(located(country("ML"), location("", ref="ML-3"))).dataset(
        mali_aid.load()
    )
    assert data.engagement("XM-TEST-1").places == (
        PlaceShare(place="ml-sikasso-region"),
    )
    assert data.place("ML-3", default=None) is None
    chosen = data.select(place="ml-sikasso-region")
    assert "XM-TEST-1" in [engagement.id for engagement in chosen]


def test_a_region_the_gazetteer_lacks_is_added_inside_mali() -> None:
    data = read(located(country("ML"), location("", ref="ML-9"))).dataset(
        mali_aid.load()
    )
    menaka = data.place("ML-9")
    assert (menaka.name, menaka.parent) == ("Ménaka", "ML")


@given(st.sampled_from(MALI_CODES))
def test_every_region_code_is_placed_in_mali(code: str) -> None:
    result = read(located(country("ML"), location("", ref=code)))
    (share,) = result.engagements[0].places
    assert share.place == code
    place = next(place for place in result.places if place.id == code)
    assert place.parent == "ML"


@pytest.mark.parametrize("code", ["ML-11", "ML-0", "ML-BK", "ML"])
def test_what_is_not_a_region_code_places_nothing(code: str) -> None:
    result = read(located(country("ML"), location("", ref=code)))
    assert result.engagements[0].places == (PlaceShare(place="ML"),)
