"""The annotated example of the IATI Standard, read whole.

The values checked are read from the file by eye
(tests/fixtures/iati/activity-standard-example-annotated.xml).
"""

from __future__ import annotations

from datetime import date

import mali_aid
from mali_aid import (
    AmountKind,
    Channel,
    Citation,
    Money,
    OrganisationKind,
    Period,
    PlaceShare,
    PolicyMarker,
    Precision,
    Role,
    SectorShare,
    Source,
    Status,
    iati,
)

from .builders import EXAMPLE, EXAMPLE_ID, FIXTURES, unmapped_of

# -- the annotated example of the IATI Standard ---------------------------------------


def test_the_fixture_keeps_its_attribution() -> None:
    note = (FIXTURES / "README.md").read_text(encoding="utf-8")
    assert "IATI Standard (iatistandard.org)" in note
    assert "CC BY 4.0" in note
    assert "IATI/IATI-Extra-Documentation" in note
    assert "version-2.03" in note


def test_example_activity_becomes_one_engagement(example: iati.IatiActivities) -> None:
    (engagement,) = example.engagements
    assert engagement.id == EXAMPLE_ID
    assert engagement.title == "Activity title"
    assert engagement.title_en is None
    assert engagement.kind is mali_aid.EngagementKind.PROJECT
    assert example.version == "2.03"


def test_example_participants_keep_their_roles(example: iati.IatiActivities) -> None:
    (engagement,) = example.engagements
    assert [(p.organisation, p.role) for p in engagement.participants] == [
        ("BB-BBB-123456789", Role.FUNDING),
        ("CC-CCC-123456789", Role.ACCOUNTABLE),
        ("AA-AAA-123456789", Role.EXTENDING),
    ]
    assert engagement.implementers == ()


def test_example_organisations_from_ref_name_and_type(
    example: iati.IatiActivities,
) -> None:
    by_id = {record.id: record for record in example.organisations}
    assert list(by_id) == ["BB-BBB-123456789", "CC-CCC-123456789", "AA-AAA-123456789"]
    assert by_id["BB-BBB-123456789"].name == "Name of Agency B"
    assert by_id["BB-BBB-123456789"].kind is OrganisationKind.MULTILATERAL  # type 40
    assert by_id["CC-CCC-123456789"].kind is OrganisationKind.GOVERNMENT  # type 10
    assert by_id["AA-AAA-123456789"].kind is OrganisationKind.NGO  # type 21
    assert by_id["AA-AAA-123456789"].aliases == ("Nom de l'agence A",)
    assert by_id["AA-AAA-123456789"].citations == (
        Citation(
            source="activity-standard-example-annotated",
            locator=f"{EXAMPLE_ID}/participating-org[3]",
        ),
    )


def test_example_period_prefers_the_actual_start(example: iati.IatiActivities) -> None:
    (engagement,) = example.engagements
    # planned start 2012-04-15, actual start 2012-04-28, planned end 2015-12-31
    assert engagement.period == Period(start=date(2012, 4, 28), end=date(2015, 12, 31))
    assert engagement.period.start_precision is Precision.DAY
    reasons = unmapped_of(example)
    assert "actual start date" in reasons["activity-date[1]"]
    assert "activity-date[2]" not in reasons
    assert "activity-date[3]" not in reasons


def test_example_budget_with_its_period_and_value_date(
    example: iati.IatiActivities,
) -> None:
    (engagement,) = example.engagements
    (amount,) = engagement.amounts
    assert amount.kind is AmountKind.BUDGET
    assert amount.money == Money("3000", "EUR")
    assert amount.period == Period.parse("2014-01-01/2014-12-31")
    assert amount.value_date == date(2014, 1, 1)
    assert unmapped_of(example)["budget/@status"].startswith(
        "budget status 1 (indicative)"
    )


def test_example_incoming_funds_are_reported_not_counted(
    example: iati.IatiActivities,
) -> None:
    (engagement,) = example.engagements
    assert all(amount.money != Money("1000", "EUR") for amount in engagement.amounts)
    assert "incoming funds" in unmapped_of(example)["transaction"]


def test_example_sectors_of_the_dac_vocabulary(example: iati.IatiActivities) -> None:
    (engagement,) = example.engagements
    assert engagement.sectors == (
        SectorShare(sector="dac-111", percentage="50"),
        SectorShare(sector="dac-112", percentage="50"),
    )
    assert [(s.id, s.dac_code) for s in example.sectors] == [
        ("dac-111", "111"),
        ("dac-112", "112"),
    ]
    assert "vocabulary 99" in unmapped_of(example)["sector[3]"]


def test_example_is_left_out_by_default_as_not_for_mali() -> None:
    result = iati.read_activities(EXAMPLE)
    assert result.engagements == ()
    (outside,) = result.outside
    assert outside.activity == EXAMPLE_ID
    assert outside.reason == (
        "no recipient is Mali or a region that contains Mali (country AF,"
        " country AG, region 489 (vocabulary 1), region A1 (vocabulary 99))"
    )
    # Nothing of it is kept.
    assert result.organisations == () and result.places == ()


def test_example_kept_keeps_its_recipients(example: iati.IatiActivities) -> None:
    (engagement,) = example.engagements
    assert engagement.places == (
        PlaceShare(place="AF", percentage="25"),
        PlaceShare(place="AG", percentage="25"),
        PlaceShare(place="dac-region-489", percentage="25"),
    )
    assert [place.id for place in example.places] == [
        "AF",
        "AG",
        "dac-region-489",
        "ML",
    ]
    assert example.places[2].name == "South America, regional"
    assert "vocabulary 99" in unmapped_of(example)["recipient-region[2]"]


def test_example_status_and_humanitarian_flag(example: iati.IatiActivities) -> None:
    (engagement,) = example.engagements
    assert engagement.status is Status.ONGOING  # activity-status code 2
    assert engagement.humanitarian is True  # humanitarian="1"
    assert engagement.channel is Channel.BILATERAL  # collaboration-type code 1
    assert "collaboration-type" not in unmapped_of(example)


def test_example_codes_users_filter_on(example: iati.IatiActivities) -> None:
    (engagement,) = example.engagements
    assert engagement.aid_types == ("A01",)
    assert (engagement.flow_type, engagement.finance_type, engagement.tied_status) == (
        "10",
        "110",
        "3",
    )
    assert engagement.policy_markers == (
        PolicyMarker(code="2", significance="3"),
        PolicyMarker(code="9", significance="4"),
    )
    reasons = unmapped_of(example)
    assert "vocabulary '99'" in reasons["policy-marker[3]"]
    assert "vocabulary '2'" in reasons["default-aid-type[2]"]


def test_example_source_and_citations(example: iati.IatiActivities) -> None:
    assert example.source == Source(
        id="activity-standard-example-annotated",
        title="IATI activity file activity-standard-example-annotated.xml",
        publisher="Organisation name",
        language="en",
        paragraphs=1,
        date=Period.parse("2014-09-10"),
        file="activity-standard-example-annotated.xml",
    )
    (engagement,) = example.engagements
    assert [citation.locator for citation in engagement.citations] == [
        EXAMPLE_ID,
        f"{EXAMPLE_ID}/budget",
    ]


def test_example_reports_what_it_does_not_map(example: iati.IatiActivities) -> None:
    reasons = unmapped_of(example)
    for element in (
        "@hierarchy",
        "@last-updated-datetime",
        "@budget-not-provided",
        "title/narrative[2]",
        "title/narrative[3]",
        "description[1]",
        "participating-org[3]/@crs-channel-code",
        "location[1]",
        "planned-disbursement[1]",
        "result",
        "crs-add",
        "fss",
    ):
        assert element in reasons, element
    file_level = [item for item in example.unmapped if item.activity is None]
    assert [item.element for item in file_level] == [
        "iati-activities/@linked-data-default"
    ]
    # What is mapped is never reported.
    for element in ("iati-identifier", "title", "budget", "sector[1]", "@xml:lang"):
        assert element not in reasons, element
    assert all(item.activity == EXAMPLE_ID for item in example.unmapped[1:])


def test_example_totals_through_its_dataset(example: iati.IatiActivities) -> None:
    data = example.dataset()
    assert data.engagement(EXAMPLE_ID) is example.engagements[0]
    result = mali_aid.totals(
        data.engagements, by="sector", currency="EUR", data=data, scope="all"
    )
    assert result.figures() == {
        "dac-111": Money("1500.00", "EUR"),
        "dac-112": Money("1500.00", "EUR"),
    }
    # None of it is for Mali but the quarter of an unplaced region, whose
    # share nobody states: no figure for Mali is known.
    for_mali = mali_aid.totals(data.engagements, by="sector", currency="EUR", data=data)
    assert for_mali.figures() == {"dac-111": None, "dac-112": None}
