"""Organisations that are the same: IATI identifiers matched to records."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path
from xml.etree import ElementTree

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mali_aid
from mali_aid import DataError, Dataset, Money, Organisation, Participant

from .builders import activity, budget, country, read


def org(role: str, ref: str, name: str) -> str:
    return (
        f'<participating-org role="{role}" ref="{ref}">'
        f"<narrative>{name}</narrative></participating-org>"
    )


def belgian(identifier: str = "XM-TEST-BE-1", *orgs: str) -> str:
    return activity(
        "".join(orgs) + country("ML") + budget("2024-01-01", "2024-12-31", "1000.50"),
        identifier=identifier,
    )


# -- the field --------------------------------------------------------------------------


def test_an_organisation_keeps_its_identifiers() -> None:
    record = Organisation(
        id="BE", name="Belgium", kind="state", identifiers=["XM-DAC-2", "BE-10"]
    )
    assert record.identifiers == ("XM-DAC-2", "BE-10")


@pytest.mark.parametrize(
    ("identifiers", "field"),
    [
        (("XM DAC 2",), "identifiers[0]"),
        (("",), "identifiers[0]"),
        (("XM-DAC-2", "-leading"), "identifiers[1]"),
        (("XM-DAC-2", "XM-DAC-2"), "identifiers"),
        (("x" * 201,), "identifiers[0]"),
    ],
)
def test_a_bad_identifier_is_refused(identifiers: tuple[str, ...], field: str) -> None:
    with pytest.raises(DataError) as caught:
        Organisation(id="BE", name="Belgium", kind="state", identifiers=identifiers)
    assert caught.value.field == field


def test_an_identifier_in_the_data_files_is_read() -> None:
    data = mali_aid.load()
    assert data.organisation("BE").identifiers == ("XM-DAC-2",)
    assert data.organisation("LU").identifiers == ("XM-DAC-22",)
    assert "XM-DAC-2-10" in data.organisation("be-development-cooperation").identifiers


def test_every_bundled_identifier_has_its_origin() -> None:
    for record in mali_aid.load().organisations:
        for identifier in record.identifiers:
            assert record.reference is not None, record.id
            assert identifier in record.reference, (record.id, identifier)


def test_no_two_bundled_organisations_share_an_identifier() -> None:
    seen: dict[str, str] = {}
    for record in mali_aid.load().organisations:
        for identifier in record.identifiers:
            assert seen.setdefault(identifier, record.id) == record.id, identifier


# -- the reader records the ref ---------------------------------------------------------


def test_the_ref_becomes_the_identifier() -> None:
    result = read(belgian("XM-TEST-BE-1", org("1", "XM-DAC-2", "Belgium")))
    (record,) = result.organisations
    assert record.identifiers == ("XM-DAC-2",)


def test_an_organisation_named_without_ref_has_no_identifier() -> None:
    result = read(
        belgian(
            "XM-TEST-BE-1",
            '<participating-org role="1"><narrative>Belgium</narrative>'
            "</participating-org>",
        )
    )
    (record,) = result.organisations
    assert record.identifiers == ()


def test_a_ref_that_is_no_identifier_is_not_recorded_as_one() -> None:
    result = read(belgian("XM-TEST-BE-1", org("1", "Royaume de Belgique", "Belgium")))
    (record,) = result.organisations
    assert record.identifiers == ()


# -- matched to the base -----------------------------------------------------------------


def test_belgiums_iati_activities_total_under_be() -> None:
    result = read(
        belgian("XM-TEST-BE-1", org("1", "XM-DAC-2", "Belgium")),
        belgian("XM-TEST-BE-2", org("1", "XM-DAC-2-10", "DGD")),
    )
    data = result.dataset(mali_aid.load())
    assert data.organisation("XM-DAC-2", default=None) is None
    first = data.engagement("XM-TEST-BE-1")
    assert first.funders == (Participant(organisation="BE", role="funding"),)
    second = data.engagement("XM-TEST-BE-2")
    assert second.funders[0].organisation == "be-development-cooperation"
    totals = mali_aid.totals([first, second], by="donor", currency="EUR", data=data)
    assert totals.figures() == {"BE": Money("2001.00", "EUR")}
    assert [e.id for e in data.select(donor="BE") if e.id.startswith("XM-TEST")] == [
        "XM-TEST-BE-1",
        "XM-TEST-BE-2",
    ]


def test_luxembourg_is_matched_too() -> None:
    data = read(belgian("XM-TEST-LU-1", org("1", "XM-DAC-22", "Luxembourg"))).dataset(
        mali_aid.load()
    )
    assert data.engagement("XM-TEST-LU-1").funders[0].organisation == "LU"


def test_an_agency_of_a_dac_donor_lies_under_the_donor() -> None:
    data = read(
        belgian("XM-TEST-BE-1", org("1", "XM-DAC-2-99", "A Belgian service"))
    ).dataset(mali_aid.load())
    agency = data.organisation("XM-DAC-2-99")
    assert agency.parent == "BE"
    assert agency.name == "A Belgian service"
    total = mali_aid.totals(
        [data.engagement("XM-TEST-BE-1")], by="donor", currency="EUR", data=data
    )
    assert total.figures() == {"BE": Money("1000.50", "EUR")}


def test_an_agency_code_under_an_unknown_donor_stays_its_own_donor() -> None:
    data = read(belgian("XM-TEST-1", org("1", "XM-DAC-999999-1", "Someone"))).dataset(
        mali_aid.load()
    )
    assert data.organisation("XM-DAC-999999-1").parent is None


def test_a_registration_agency_identifier_matches_where_recorded() -> None:
    base = Dataset(
        organisations=[
            Organisation(id="BE", name="Belgium", kind="state"),
            Organisation(
                id="enabel",
                name="Enabel",
                kind="agency",
                parent="BE",
                identifiers=["BE-BCE_KBO-0264814354"],
            ),
        ]
    )
    data = read(
        belgian("XM-TEST-1", org("4", "BE-BCE_KBO-0264814354", "Enabel"))
    ).dataset(base)
    assert data.engagement("XM-TEST-1").implementers[0].organisation == "enabel"
    assert [record.id for record in data.organisations] == ["BE", "enabel"]


def test_a_funder_named_twice_under_two_identifiers_is_one_participant() -> None:
    base = Dataset(
        organisations=[
            Organisation(
                id="BE",
                name="Belgium",
                kind="state",
                identifiers=["XM-DAC-2", "BE-OLD"],
            )
        ]
    )
    data = read(
        belgian(
            "XM-TEST-1",
            org("1", "XM-DAC-2", "Belgium"),
            org("1", "BE-OLD", "Belgium again"),
        )
    ).dataset(base)
    assert data.engagement("XM-TEST-1").funders == (
        Participant(organisation="BE", role="funding"),
    )


def test_two_base_records_with_one_identifier_are_refused() -> None:
    base = Dataset(
        organisations=[
            Organisation(id="BE", name="Belgium", kind="state", identifiers=["X-1"]),
            Organisation(id="LU", name="Luxembourg", kind="state", identifiers=["X-1"]),
        ]
    )
    with pytest.raises(DataError) as caught:
        read(belgian("XM-TEST-1", org("1", "XM-DAC-2", "Belgium"))).dataset(base)
    assert (caught.value.record, caught.value.field) == ("LU", "identifiers")


def test_without_a_base_nothing_is_matched() -> None:
    data = read(belgian("XM-TEST-1", org("1", "XM-DAC-2", "Belgium"))).dataset()
    assert data.engagement("XM-TEST-1").funders[0].organisation == "XM-DAC-2"


@given(st.sampled_from(["XM-DAC-2", "XM-DAC-22", "XM-DAC-11", "XM-DAC-41114"]))
def test_a_matched_organisation_leaves_no_record_of_its_own(ref: str) -> None:
    base = mali_aid.load()
    data = read(belgian("XM-TEST-1", org("1", ref, "Someone"))).dataset(base)
    assert len(data.organisations) == len(base.organisations)
    (funder,) = data.engagement("XM-TEST-1").funders
    assert ref in base.organisation(funder.organisation).identifiers
    assert Decimal("1000.50") == data.engagement("XM-TEST-1").amounts[0].money.amount


# -- the origins the bundled identifiers rest on ------------------------------------------

EXCERPTS = Path(__file__).resolve().parents[3] / "scripts" / "iati-codelists"
EXCERPTS = EXCERPTS / "organisations"


def excerpt(name: str) -> dict[str, str]:
    path = EXCERPTS / f"{name}.xml"
    if not path.is_file():
        pytest.skip("the codelist excerpts are not installed")
    root = ElementTree.parse(path).getroot()
    return {
        str(item.findtext("code")): str(item.findtext("name/narrative"))
        for item in root.iter("codelist-item")
    }


def test_each_channel_identifier_is_a_crs_channel_code_named_in_its_reference() -> None:
    channels = excerpt("CRSChannelCode")
    checked = 0
    for record in mali_aid.load().organisations:
        for identifier in record.identifiers:
            code = identifier.removeprefix("XM-DAC-")
            if len(code) == 5 and code.isdigit():
                assert code in channels, identifier
                assert record.reference is not None
                assert channels[code] in record.reference, record.id
                checked += 1
    assert checked == 6


def test_each_iso_prefixed_identifier_is_in_the_retired_codelist() -> None:
    retired = excerpt("OrganisationIdentifier")
    found = {
        identifier: record.id
        for record in mali_aid.load().organisations
        for identifier in record.identifiers
        if not identifier.startswith("XM-")
    }
    assert found == {"BE-10": "be-development-cooperation", "LU-1": "luxdev"}
    assert set(found) <= set(retired)


def test_the_dac_prefix_is_a_registration_agency() -> None:
    agencies = excerpt("OrganisationRegistrationAgency")
    assert agencies["XM-DAC"] == "OECD Development Assistance Committee"
    for record in mali_aid.load().organisations:
        for identifier in record.identifiers:
            if identifier.startswith("XM-"):
                assert identifier.startswith("XM-DAC-"), identifier
                assert "XM-DAC" in (record.reference or ""), record.id


def test_an_identifier_lies_under_the_nearest_recorded_one() -> None:
    data = read(
        belgian("XM-TEST-1", org("3", "XM-DAC-2-10-5", "A unit of the DGD"))
    ).dataset(mali_aid.load())
    assert data.organisation("XM-DAC-2-10-5").parent == "be-development-cooperation"
    assert data.root_organisation("XM-DAC-2-10-5").id == "BE"
