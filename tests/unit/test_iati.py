"""mali_aid.iati: IATI 2.0x activity files into records.

The values checked on the annotated example are read from the file by eye
(tests/fixtures/iati/activity-standard-example-annotated.xml); the other
cases are small files written here.
"""

from __future__ import annotations

import io
import subprocess
import sys
from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mali_aid
from mali_aid import (
    AmountKind,
    Channel,
    Citation,
    DataError,
    Dataset,
    Money,
    Organisation,
    OrganisationKind,
    Period,
    Place,
    PlaceShare,
    Precision,
    Role,
    SectorShare,
    Source,
    Status,
    iati,
)

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "iati"
EXAMPLE = FIXTURES / "activity-standard-example-annotated.xml"
EXAMPLE_ID = "AA-AAA-123456789-ABC123"


# -- small files --------------------------------------------------------------------


def activity(
    body: str = "",
    *,
    identifier: str = "XM-TEST-1",
    attributes: str = 'default-currency="EUR" xml:lang="en"',
) -> str:
    return (
        f"<iati-activity {attributes}>"
        f"<iati-identifier>{identifier}</iati-identifier>{body}"
        "</iati-activity>"
    )


def document(*activities: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<iati-activities version="2.03" generated-datetime="2024-05-06T10:00:00Z">'
        + "".join(activities)
        + "</iati-activities>"
    ).encode()


def read(*activities: str) -> iati.IatiActivities:
    return iati.read_activities(io.BytesIO(document(*activities)))


def only(*activities: str) -> mali_aid.Engagement:
    (engagement,) = read(*activities).engagements
    return engagement


def budget(
    start: str, end: str, value: str, *, kind: str = "1", value_attributes: str = ""
) -> str:
    return (
        f'<budget type="{kind}">'
        f'<period-start iso-date="{start}"/><period-end iso-date="{end}"/>'
        f"<value {value_attributes}>{value}</value></budget>"
    )


def transaction(
    code: str, value: str, *, day: str = "2024-03-01", extra: str = ""
) -> str:
    return (
        f'<transaction><transaction-type code="{code}"/>'
        f'<transaction-date iso-date="{day}"/>'
        f"<value {extra}>{value}</value></transaction>"
    )


def sector(code: str, percentage: str | None = None, vocabulary: str = "1") -> str:
    share = "" if percentage is None else f' percentage="{percentage}"'
    return f'<sector vocabulary="{vocabulary}" code="{code}"{share}/>'


def country(code: str, percentage: str | None = None) -> str:
    share = "" if percentage is None else f' percentage="{percentage}"'
    return f'<recipient-country code="{code}"{share}/>'


def unmapped_of(result: iati.IatiActivities) -> dict[str, str]:
    return {
        item.element: item.reason
        for item in result.unmapped
        if item.activity is not None
    }


def raises(xml: bytes, match: str) -> DataError:
    with pytest.raises(DataError, match=match) as caught:
        iati.read_activities(io.BytesIO(xml))
    return caught.value


# -- the annotated example of the IATI Standard ---------------------------------------


@pytest.fixture(scope="module")
def example() -> iati.IatiActivities:
    return iati.read_activities(EXAMPLE)


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


def test_example_recipients_are_not_mali(example: iati.IatiActivities) -> None:
    (engagement,) = example.engagements
    assert engagement.places == ()
    assert example.places == ()
    reasons = unmapped_of(example)
    assert reasons["recipient-country[1]"].startswith("country AF")
    assert reasons["recipient-country[2]"].startswith("country AG")
    assert "not of Mali" in reasons["recipient-region[1]"]
    assert "not of Mali" in reasons["recipient-region[2]"]


def test_example_status_and_humanitarian_flag(example: iati.IatiActivities) -> None:
    (engagement,) = example.engagements
    assert engagement.status is Status.ONGOING  # activity-status code 2
    assert engagement.channel is Channel.HUMANITARIAN  # humanitarian="1"
    assert "humanitarian" in unmapped_of(example)["collaboration-type"]


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
    result = mali_aid.totals(data.engagements, by="sector", currency="EUR", data=data)
    assert result.figures() == {
        "dac-111": Money("1500.00", "EUR"),
        "dac-112": Money("1500.00", "EUR"),
    }


# -- the file and its root ------------------------------------------------------------


def test_single_activity_root_with_extra_namespaces() -> None:
    xml = b"""<?xml version="1.0"?>
    <iati-activity xmlns:akvo="http://akvo.org/iati-activities"
                   xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                   xsi:noNamespaceSchemaLocation="iati-activities-schema.xsd"
                   default-currency="XOF" akvo:version="3">
      <iati-identifier>XM-SINGLE-1</iati-identifier>
      <title><narrative>Un forage</narrative></title>
      <akvo:photo url="http://example.org/a.jpg"/>
      <budget type="1"><period-start iso-date="2023-01-01"/>
        <period-end iso-date="2023-12-31"/><value>1500000</value></budget>
    </iati-activity>"""
    result = iati.read_activities(io.BytesIO(xml))
    (engagement,) = result.engagements
    assert engagement.id == "XM-SINGLE-1"
    assert engagement.amounts[0].money == Money("1500000", "XOF")
    assert result.version is None
    reasons = unmapped_of(result)
    assert set(reasons) == {"akvo:photo", "@akvo:version"}
    assert "outside the IATI namespace" in reasons["akvo:photo"]


def test_root_in_a_default_namespace_is_accepted() -> None:
    xml = (
        b'<iati-activities xmlns="http://example.org/iati" version="2.02">'
        b'<iati-activity default-currency="EUR"><iati-identifier>XM-NS-1'
        b'</iati-identifier><activity-status code="4"/></iati-activity>'
        b"</iati-activities>"
    )
    (engagement,) = iati.read_activities(io.BytesIO(xml)).engagements
    assert engagement.status is Status.COMPLETED


def test_reads_a_path_and_names_the_source_after_it(tmp_path: Path) -> None:
    path = tmp_path / "Mali 2024 export.xml"
    path.write_bytes(document(activity()))
    result = iati.read_activities(path)
    assert result.source.id == "mali-2024-export"
    assert result.source.file == "Mali 2024 export.xml"
    assert result.engagements[0].citations[0] == Citation(
        source="mali-2024-export", locator="XM-TEST-1"
    )
    assert iati.read_activities(str(path), source_id="mine").source.id == "mine"


def test_a_stream_without_a_name_gets_a_default_source_id() -> None:
    result = read(activity())
    assert result.source.id == "iati-activities"
    assert result.source.file is None
    assert result.source.date == Period.parse("2024-05-06")


def test_a_missing_file_raises_data_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.xml"
    with pytest.raises(DataError, match="cannot be read") as caught:
        iati.read_activities(missing)
    assert caught.value.file == str(missing)


def test_a_bad_source_id_is_refused() -> None:
    with pytest.raises(DataError, match="source_id"):
        iati.read_activities(io.BytesIO(document()), source_id="not an id")


def test_an_empty_file_of_activities_gives_an_empty_result() -> None:
    result = read()
    assert result.engagements == ()
    assert result.source.publisher == "not named in the file"
    assert result.source.language == "und"


@pytest.mark.parametrize(
    ("xml", "match"),
    [
        (b"", "no element found"),
        (b"<iati-activities>", "no element found"),
        (b"<iati-activities><iati-activity></iati-activities>", "mismatched tag"),
        (b"not xml at all", "syntax error"),
        (
            b'<iati-activities version="2.03"><a b="1" b="2"/></iati-activities>',
            "duplicate attribute",
        ),
        (b"\xff\xfe<\x00", "not well-formed"),
    ],
)
def test_malformed_xml_is_refused(xml: bytes, match: str) -> None:
    error = raises(xml, match)
    assert error.reason.startswith("not well-formed XML")


def test_malformed_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_bytes(b"<iati-activities><iati-activity>")
    with pytest.raises(DataError) as caught:
        iati.read_activities(path)
    assert caught.value.file == str(path)
    assert str(path) in str(caught.value)


def test_other_roots_and_old_versions_are_refused() -> None:
    raises(b"<html><body/></html>", "not an IATI activity file")
    error = raises(b'<iati-activities version="1.05"/>', "only IATI 2.0x")
    assert error.field == "iati-activities/@version"


# -- hostile XML -----------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<iati-activities version="2.03"><iati-activity default-currency="EUR">
<iati-identifier>XM-LOL</iati-identifier><title><narrative>&lol9;</narrative></title>
</iati-activity></iati-activities>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<iati-activities version="2.03"><iati-activity default-currency="EUR">
<iati-identifier>XM-XXE</iati-identifier><title><narrative>&secret;</narrative></title>
</iati-activity></iati-activities>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities SYSTEM "http://example.org/iati.dtd">
<iati-activities version="2.03"/>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities [
 <!ENTITY % remote SYSTEM "http://example.org/x.dtd"> %remote;
]>
<iati-activities version="2.03"/>"""


@pytest.mark.parametrize(
    "xml",
    [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD, PARAMETER_ENTITY],
    ids=["billion-laughs", "external-entity", "external-dtd", "parameter-entity"],
)
def test_hostile_xml_is_refused(xml: bytes, tmp_path: Path) -> None:
    path = tmp_path / "hostile.xml"
    path.write_bytes(xml)
    with pytest.raises(DataError, match="document type declaration") as caught:
        iati.read_activities(path)
    assert caught.value.file == str(path)
    assert "root:" not in str(caught.value)


def test_an_undeclared_entity_is_malformed() -> None:
    raises(b"<iati-activities>&secret;</iati-activities>", "undefined entity")


# -- activities -----------------------------------------------------------------------


def test_identifiers_become_ids() -> None:
    result = read(
        activity(identifier="XM-A-1"),
        activity(identifier="NL-KVK-4119/2014/001"),
    )
    assert [e.id for e in result.engagements] == ["XM-A-1", "NL-KVK-4119-2014-001"]
    assert result.engagements[1].citations[0].locator == "NL-KVK-4119/2014/001"


def test_duplicate_identifiers_are_refused() -> None:
    error = raises(document(activity(), activity()), "already has the id")
    assert error.record == "XM-TEST-1"


def test_an_activity_without_identifier_is_refused() -> None:
    xml = document(activity(), '<iati-activity default-currency="EUR"/>')
    error = raises(xml, "no iati-identifier")
    assert error.field == "iati-activities/iati-activity[2]"


def test_one_bad_activity_loads_nothing() -> None:
    good = activity(budget("2024-01-01", "2024-12-31", "10"), identifier="XM-GOOD")
    bad = activity(budget("2024-01-01", "2024-12-31", "10 EUR"), identifier="XM-BAD")
    error = raises(document(good, bad), "not a decimal number")
    assert error.record == "XM-BAD"


def test_title_in_the_activity_language_and_in_english() -> None:
    engagement = only(
        activity(
            "<title><narrative>Eau potable à Sikasso</narrative>"
            '<narrative xml:lang="en">Drinking water in Sikasso</narrative>'
            '<narrative xml:lang="es">Agua potable</narrative></title>',
            attributes='default-currency="EUR" xml:lang="fr"',
        )
    )
    assert engagement.title == "Eau potable à Sikasso"
    assert engagement.title_en == "Drinking water in Sikasso"


def test_an_activity_without_title_is_titled_by_its_identifier() -> None:
    assert only(activity()).title == "XM-TEST-1"


# -- participants and organisations ----------------------------------------------------


def test_roles_one_to_four_and_others_reported() -> None:
    orgs = "".join(
        f'<participating-org ref="XM-ORG-{role}" role="{role}" type="10">'
        f"<narrative>Org {role}</narrative></participating-org>"
        for role in ("1", "2", "3", "4", "5")
    )
    result = read(activity(orgs))
    (engagement,) = result.engagements
    assert [(p.organisation, p.role) for p in engagement.participants] == [
        ("XM-ORG-1", Role.FUNDING),
        ("XM-ORG-2", Role.ACCOUNTABLE),
        ("XM-ORG-3", Role.EXTENDING),
        ("XM-ORG-4", Role.IMPLEMENTING),
    ]
    assert "role '5'" in unmapped_of(result)["participating-org[5]"]


def test_organisation_without_ref_is_named_by_a_slug() -> None:
    result = read(
        activity(
            '<participating-org role="4"><narrative>Agence Française de'
            " Développement</narrative></participating-org>"
        )
    )
    (organisation,) = result.organisations
    assert organisation.id == "agence-francaise-de-developpement"
    assert organisation.name == "Agence Française de Développement"
    assert organisation.kind is OrganisationKind.AGENCY


def test_organisation_type_without_a_clean_kind_is_reported() -> None:
    result = read(
        activity(
            '<participating-org ref="XM-FDN-1" role="1" type="60">'
            "<narrative>A foundation</narrative></participating-org>"
        )
    )
    assert result.organisations[0].kind is OrganisationKind.AGENCY
    assert "type 60" in unmapped_of(result)["participating-org/@type"]


def test_an_organisation_in_two_activities_is_one_record() -> None:
    org = (
        '<participating-org ref="XM-DAC-1" role="1" type="10">'
        "<narrative>{}</narrative></participating-org>"
    )
    result = read(
        activity(org.format("Ministry"), identifier="XM-A"),
        activity(org.format("Ministère"), identifier="XM-B"),
    )
    (organisation,) = result.organisations
    assert organisation.name == "Ministry"
    assert organisation.aliases == ("Ministère",)
    assert [e.funders[0].organisation for e in result.engagements] == [
        "XM-DAC-1",
        "XM-DAC-1",
    ]


def test_the_same_organisation_twice_in_one_role_is_reported() -> None:
    org = (
        '<participating-org ref="XM-DAC-1" role="4">'
        "<narrative>A</narrative></participating-org>"
    )
    result = read(activity(org + org))
    assert len(result.engagements[0].participants) == 1
    assert "second time" in unmapped_of(result)["participating-org[2]"]


# -- status, dates, channel ------------------------------------------------------------


@pytest.mark.parametrize(
    ("code", "status"),
    [
        ("1", Status.PLANNED),
        ("2", Status.ONGOING),
        ("3", Status.COMPLETED),
        ("4", Status.COMPLETED),
        ("5", None),
        ("6", None),
    ],
)
def test_activity_status(code: str, status: Status | None) -> None:
    result = read(activity(f'<activity-status code="{code}"/>'))
    assert result.engagements[0].status is status
    assert ("activity-status" in unmapped_of(result)) is (status is None)


def test_planned_dates_give_the_period_when_no_actual_date() -> None:
    engagement = only(
        activity(
            '<activity-date type="1" iso-date="2020-02-01"/>'
            '<activity-date type="3" iso-date="2023-06-30"/>'
        )
    )
    assert engagement.period == Period.parse("2020-02-01/2023-06-30")


def test_actual_end_replaces_the_planned_end() -> None:
    result = read(
        activity(
            '<activity-date type="3" iso-date="2023-06-30"/>'
            '<activity-date type="4" iso-date="2024-03-31"/>'
        )
    )
    assert result.engagements[0].period == Period.parse("../2024-03-31")
    assert "actual end date" in unmapped_of(result)["activity-date[1]"]


@pytest.mark.parametrize(
    ("dates", "match"),
    [
        (
            '<activity-date type="2" iso-date="2024-01-01"/>'
            '<activity-date type="4" iso-date="2023-01-01"/>',
            "ends",
        ),
        ('<activity-date type="2" iso-date="2024-02-30"/>', "not a date"),
        ('<activity-date type="2" iso-date="01/02/2024"/>', "ISO 8601"),
    ],
)
def test_bad_dates_are_refused(dates: str, match: str) -> None:
    raises(document(activity(dates)), match)


@pytest.mark.parametrize(
    ("flag", "collaboration", "channel"),
    [
        ('humanitarian="1"', "", Channel.HUMANITARIAN),
        ('humanitarian="true"', '<collaboration-type code="2"/>', Channel.HUMANITARIAN),
        ('humanitarian="0"', '<collaboration-type code="1"/>', Channel.BILATERAL),
        ("", '<collaboration-type code="2"/>', Channel.MULTILATERAL),
        ("", '<collaboration-type code="7"/>', Channel.NGO),
        ("", '<collaboration-type code="3"/>', None),
        ("", "", None),
    ],
)
def test_channel_from_humanitarian_flag_and_collaboration_type(
    flag: str, collaboration: str, channel: Channel | None
) -> None:
    engagement = only(
        activity(collaboration, attributes=f'default-currency="EUR" {flag}')
    )
    assert engagement.channel is channel


def test_a_humanitarian_flag_that_is_not_boolean_is_refused() -> None:
    raises(
        document(activity(attributes='default-currency="EUR" humanitarian="yes"')),
        "not a boolean",
    )


# -- money -----------------------------------------------------------------------------


def test_currency_falls_back_to_the_default_currency() -> None:
    engagement = only(
        activity(
            budget("2024-01-01", "2024-12-31", "100")
            + budget(
                "2025-01-01", "2025-12-31", "200", value_attributes='currency="USD"'
            ),
            attributes='default-currency="XOF"',
        )
    )
    assert [amount.money for amount in engagement.amounts] == [
        Money("100", "XOF"),
        Money("200", "USD"),
    ]


def test_value_date_is_kept_and_absent_stays_absent() -> None:
    engagement = only(
        activity(
            budget(
                "2024-01-01",
                "2024-12-31",
                "100",
                value_attributes='value-date="2023-11-15"',
            )
            + transaction("3", "40")
        )
    )
    assert [amount.value_date for amount in engagement.amounts] == [
        date(2023, 11, 15),
        None,
    ]


def test_amounts_are_exact_decimals() -> None:
    engagement = only(activity(transaction("3", " 1234567.891 ")))
    assert engagement.amounts[0].money.amount == Decimal("1234567.891")
    assert str(engagement.amounts[0].money.amount) == "1234567.891"


@pytest.mark.parametrize("value", ["1e5", "1,000", "", "NaN", "12 EUR"])
def test_values_that_are_not_decimals_are_refused(value: str) -> None:
    error = raises(document(activity(transaction("3", value))), "not a decimal number")
    assert error.field == "transaction/value"


def test_an_unknown_currency_names_the_activity_and_element() -> None:
    error = raises(
        document(activity(transaction("2", "10", extra='currency="EUX"'))),
        "unknown currency code 'EUX'",
    )
    assert (error.record, error.field) == ("XM-TEST-1", "transaction/value/@currency")


def test_an_unknown_default_currency_names_the_attribute() -> None:
    error = raises(
        document(activity(transaction("2", "10"), attributes='default-currency="eur"')),
        "unknown currency",
    )
    assert error.field == "@default-currency"


def test_no_currency_at_all_is_refused() -> None:
    raises(document(activity(transaction("2", "10"), attributes="")), "no currency")


# -- budgets ---------------------------------------------------------------------------


def test_a_revised_budget_replaces_the_original_for_the_same_period() -> None:
    result = read(
        activity(
            budget("2024-01-01", "2024-12-31", "1000", kind="1")
            + budget("2025-01-01", "2025-12-31", "2000", kind="1")
            + budget("2024-01-01", "2024-12-31", "1200", kind="2")
        )
    )
    (engagement,) = result.engagements
    assert [(str(a.period), a.money) for a in engagement.amounts] == [
        ("2025-01-01/2025-12-31", Money("2000", "EUR")),
        ("2024-01-01/2024-12-31", Money("1200", "EUR")),
    ]
    assert (
        "replaced by the revised budget budget[3]" in unmapped_of(result)["budget[1]"]
    )
    assert [c.locator for c in engagement.citations[1:]] == [
        "XM-TEST-1/budget[2]",
        "XM-TEST-1/budget[3]",
    ]
    data = result.dataset()
    total = mali_aid.totals(result.engagements, by="year", currency="EUR", data=data)
    assert total.total.best == Money("3200.00", "EUR")


def test_revised_budgets_for_other_periods_keep_the_originals() -> None:
    engagement = only(
        activity(
            budget("2024-01-01", "2024-12-31", "1000", kind="1")
            + budget("2025-01-01", "2025-12-31", "1500", kind="2")
        )
    )
    assert [a.money.amount for a in engagement.amounts] == [
        Decimal(1000),
        Decimal(1500),
    ]


@pytest.mark.parametrize(
    ("first", "second"),
    [
        (("2024-01-01", "2024-12-31", "1"), ("2024-07-01", "2025-06-30", "1")),
        (("2024-01-01", "2024-12-31", "1"), ("2024-01-01", "2024-06-30", "2")),
        (("2024-01-01", "2024-12-31", "2"), ("2024-01-01", "2024-12-31", "2")),
    ],
)
def test_overlapping_budgets_are_refused(
    first: tuple[str, str, str], second: tuple[str, str, str]
) -> None:
    xml = document(
        activity(
            budget(first[0], first[1], "1", kind=first[2])
            + budget(second[0], second[1], "1", kind=second[2])
        )
    )
    raises(xml, "overlap")


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (
            '<budget type="3"><period-start iso-date="2024-01-01"/>'
            '<period-end iso-date="2024-12-31"/><value>1</value></budget>',
            "BudgetType",
        ),
        (
            '<budget type="1"><period-start iso-date="2024-01-01"/>'
            "<value>1</value></budget>",
            "no period-end",
        ),
        (
            '<budget type="1"><period-start iso-date="2024-01-01"/>'
            '<period-end iso-date="2024-12-31"/></budget>',
            "no value",
        ),
    ],
)
def test_incomplete_budgets_are_refused(body: str, match: str) -> None:
    raises(document(activity(body)), match)


# -- transactions ----------------------------------------------------------------------


def test_transactions_kept_apart_by_kind() -> None:
    result = read(
        activity(
            transaction("2", "900", day="2024-01-10")
            + transaction("3", "300", day="2024-02-01")
            + transaction("3", "200", day="2024-05-01")
            + transaction("4", "50", day="2024-06-01")
            + transaction("12", "1000")
            + transaction("1", "900")
            + transaction("11", "900")
            + transaction("13", "900")
            + transaction("7", "10")
        )
    )
    (engagement,) = result.engagements
    assert [(a.kind, a.money.amount) for a in engagement.amounts] == [
        (AmountKind.COMMITMENT, Decimal(900)),
        (AmountKind.DISBURSEMENT, Decimal(300)),
        (AmountKind.DISBURSEMENT, Decimal(200)),
        (AmountKind.EXPENDITURE, Decimal(50)),
        (AmountKind.PLEDGE, Decimal(1000)),
    ]
    # Spending is dated by its day; a commitment covers the activity's period.
    assert [str(a.period) for a in engagement.amounts[1:4]] == [
        "2024-02-01",
        "2024-05-01",
        "2024-06-01",
    ]
    assert engagement.amounts[0].period is None
    reasons = unmapped_of(result)
    assert (
        "the day the commitment was made" in reasons["transaction[1]/transaction-date"]
    )
    for position, words in (
        (6, "incoming funds"),
        (7, "incoming commitment"),
        (8, "incoming pledge"),
        (9, "reimbursement"),
    ):
        assert words in reasons[f"transaction[{position}]"]


def test_totals_count_the_commitment_not_the_commitment_plus_spending() -> None:
    result = read(
        activity(
            '<activity-date type="2" iso-date="2024-01-01"/>'
            '<activity-date type="3" iso-date="2024-12-31"/>'
            + transaction("2", "900")
            + transaction("3", "300")
            + transaction("4", "50")
        )
    )
    data = result.dataset()
    planned = mali_aid.totals(data.engagements, by="kind", currency="EUR", data=data)
    assert planned.figures() == {"commitment": Money("900.00", "EUR")}
    spent = mali_aid.totals(
        data.engagements,
        by="kind",
        currency="EUR",
        data=data,
        kinds=["disbursement", "expenditure"],
    )
    assert spent.figures() == {
        "disbursement": Money("300.00", "EUR"),
        "expenditure": Money("50.00", "EUR"),
    }


def test_a_transaction_without_type_is_reported() -> None:
    result = read(activity("<transaction><value>5</value></transaction>"))
    assert result.engagements[0].amounts == ()
    assert "no transaction-type" in unmapped_of(result)["transaction"]


# -- sectors ---------------------------------------------------------------------------


def test_five_digit_codes_preferred_over_three_digit_categories() -> None:
    result = read(
        activity(
            sector("12240", "60")
            + sector("43040", "40")
            + sector("122", "60", vocabulary="2")
            + sector("430", "40", vocabulary="2")
        )
    )
    assert result.engagements[0].sectors == (
        SectorShare(sector="dac-12240", percentage="60"),
        SectorShare(sector="dac-43040", percentage="40"),
    )
    assert result.sectors[0].name == "DAC CRS purpose code 12240"
    assert "vocabulary 2" in unmapped_of(result)["sector[3]"]


def test_a_sector_without_vocabulary_is_dac_five_digit_and_named() -> None:
    result = read(
        activity(
            '<sector code="11220"><narrative>Primary education</narrative></sector>'
        )
    )
    assert result.engagements[0].sectors == (SectorShare(sector="dac-11220"),)
    assert result.sectors[0].name == "Primary education"
    assert result.sectors[0].dac_code == "11220"


@pytest.mark.parametrize(
    "percentages",
    [("60", "30"), ("50", "48"), ("100", "10"), ("33.33", "33.33", "33.32"), ("50",)],
)
def test_sector_percentages_that_do_not_sum_to_100_are_refused(
    percentages: tuple[str, ...],
) -> None:
    codes = ["11110", "12220", "14030"]
    body = "".join(
        sector(code, value) for code, value in zip(codes, percentages, strict=False)
    )
    error = raises(document(activity(body)), "not 100")
    assert error.record == "XM-TEST-1"


def test_percentages_within_rounding_are_scaled_to_100() -> None:
    result = read(
        activity(
            sector("11110", "33.33")
            + sector("12220", "33.33")
            + sector("14030", "33.33")
        )
    )
    assert [s.percentage for s in result.engagements[0].sectors] == [
        Decimal("33.34"),
        Decimal("33.33"),
        Decimal("33.33"),
    ]
    assert "33.33 is kept as 33.34" in unmapped_of(result)["sector[1]/@percentage"]
    whole = only(
        activity(sector("11110", "33") + sector("12220", "33") + sector("14030", "33"))
    )
    assert sum(s.percentage or 0 for s in whole.sectors) == 100


def test_sectors_without_percentages_stay_without() -> None:
    engagement = only(activity(sector("11110") + sector("12220")))
    assert [s.percentage for s in engagement.sectors] == [None, None]


@pytest.mark.parametrize(
    ("body", "match"),
    [
        (sector("11110", "50") + sector("12220"), "every sector or for none"),
        (sector("111", vocabulary="1"), "not 5 digits"),
        (sector("11110", "50") + sector("11110", "50"), "listed twice"),
        (sector("11110", "-5") + sector("12220", "105"), "between 0 and 100"),
    ],
)
def test_bad_sectors_are_refused(body: str, match: str) -> None:
    raises(document(activity(body)), match)


def test_other_vocabularies_are_reported_not_checked() -> None:
    result = read(activity(sector("A1", "30", vocabulary="99")))
    assert result.engagements[0].sectors == ()
    assert "vocabulary 99" in unmapped_of(result)["sector"]


# -- places ----------------------------------------------------------------------------


def test_malis_share_becomes_a_place_share() -> None:
    result = read(activity(country("ML", "40") + country("BF", "60")))
    (engagement,) = result.engagements
    # Burkina Faso is kept as a place outside Mali, so totals count Mali's
    # 40 % alone and show the rest nowhere.
    assert engagement.places == (
        PlaceShare(place="ML", percentage="40"),
        PlaceShare(place="BF", percentage="60"),
    )
    assert [place.id for place in result.places] == ["ML", "BF"]
    assert result.places[:1] == (
        Place(
            id="ML",
            name="Mali",
            level="country",
            iso_code="ML",
            reference="ISO 3166-1 alpha-2 code, as IATI recipient-country uses",
            citations=[
                Citation(
                    source="iati-activities", locator="XM-TEST-1/recipient-country[1]"
                )
            ],
        ),
    )
    assert "recipient-country[2]" not in unmapped_of(result)


def test_malis_share_counts_in_totals_by_place() -> None:
    result = read(
        activity(
            country("ML", "40")
            + country("BF", "60")
            + budget("2024-01-01", "2024-12-31", "1000")
        )
    )
    data = result.dataset()
    by_place = mali_aid.totals(data.engagements, by="place", currency="EUR", data=data)
    # Only Mali's 40 % counts, in every total; nothing shows as an unknown place.
    assert by_place.figures() == {"ML": Money("400.00", "EUR")}
    by_donor = mali_aid.totals(data.engagements, by="donor", currency="EUR", data=data)
    assert by_donor.total.best == Money("400.00", "EUR")
    whole = mali_aid.totals(
        data.engagements, by="place", currency="EUR", data=data, scope="all"
    )
    assert whole.figures() == {
        "BF": Money("600.00", "EUR"),
        "ML": Money("400.00", "EUR"),
    }


def test_supranational_regions_are_not_malian_regions() -> None:
    result = read(
        activity(
            country("ML", "70")
            + '<recipient-region code="289" vocabulary="1" percentage="30"/>'
        )
    )
    assert result.engagements[0].places == (PlaceShare(place="ML", percentage="70"),)
    assert [place.id for place in result.places] == ["ML"]
    assert "not of Mali" in unmapped_of(result)["recipient-region"]


def test_mali_alone_without_percentage_is_all_of_it() -> None:
    assert only(activity(country("ML"))).places == (PlaceShare(place="ML"),)


def test_malis_share_among_several_without_percentages_is_unknown() -> None:
    result = read(
        activity(
            country("ML") + country("NE") + budget("2024-01-01", "2024-12-31", "1000")
        )
    )
    assert result.engagements[0].places == (
        PlaceShare(place="ML"),
        PlaceShare(place="NE"),
    )
    data = result.dataset()
    cell = mali_aid.totals(data.engagements, by="place", currency="EUR", data=data)[
        "ML"
    ]
    # Mali's share is not stated: between nothing and the whole.
    assert cell.best is None
    assert (cell.low, cell.high) == (Money("0.00", "EUR"), Money("1000.00", "EUR"))


def test_recipient_percentages_off_are_refused_when_mali_is_among_them() -> None:
    raises(document(activity(country("ML", "50") + country("NE", "30"))), "not 100")
    # Without Mali nothing is mapped, and nothing is checked.
    assert only(activity(country("NE", "50") + country("BF", "30"))).places == ()


# -- the result and the dataset --------------------------------------------------------


def test_unmapped_prints_where_and_why() -> None:
    result = read(activity('<result type="1"/>'))
    assert [str(item) for item in result.unmapped] == [
        "XM-TEST-1/result: not mapped: no field of mali_aid's records holds it"
    ]


def test_repr_counts_the_records(example: iati.IatiActivities) -> None:
    assert repr(example) == (
        "<IatiActivities: 1 engagements, 3 organisations, 0 places,"
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


# -- properties ------------------------------------------------------------------------

CURRENCIES = ("EUR", "XOF", "USD", "CHF", "JPY")
TRANSACTION_KINDS = {
    "2": AmountKind.COMMITMENT,
    "3": AmountKind.DISBURSEMENT,
    "4": AmountKind.EXPENDITURE,
    "12": AmountKind.PLEDGE,
}


@st.composite
def written_amounts(draw: st.DrawFn) -> list[tuple[str, str, str, date, date | None]]:
    """Amounts as written: (element, code, value text, a date, value date)."""
    count = draw(st.integers(min_value=0, max_value=6))
    years = draw(
        st.lists(
            st.integers(min_value=1995, max_value=2035),
            min_size=count,
            max_size=count,
            unique=True,
        )
    )
    written = []
    for year in years:
        element = draw(st.sampled_from(["budget", "transaction"]))
        code = (
            "1"
            if element == "budget"
            else draw(st.sampled_from(sorted(TRANSACTION_KINDS)))
        )
        units = draw(st.integers(min_value=-(10**15), max_value=10**15))
        places = draw(st.integers(min_value=0, max_value=4))
        text = str(Decimal(units).scaleb(-places))
        day = date(year, draw(st.integers(1, 12)), draw(st.integers(1, 28)))
        value_date = draw(st.none() | st.just(day))
        written.append((element, code, text, day, value_date))
    return written


@given(written_amounts(), st.sampled_from(CURRENCIES), st.data())
def test_amounts_round_trip_exactly(
    written: list[tuple[str, str, str, date, date | None]],
    default: str,
    data: st.DataObject,
) -> None:
    Expected = tuple[AmountKind, Period | None, str, str, date | None]
    entries: list[tuple[str, Expected]] = []
    for element, code, text, day, value_date in written:
        currency = data.draw(st.none() | st.sampled_from(CURRENCIES))
        attributes = (f'currency="{currency}" ' if currency else "") + (
            f'value-date="{value_date.isoformat()}"' if value_date else ""
        )
        if element == "budget":
            start, end = date(day.year, 1, 1), date(day.year, 12, 31)
            xml = budget(
                start.isoformat(), end.isoformat(), text, value_attributes=attributes
            )
            kind = AmountKind.BUDGET
            period: Period | None = Period(start=start, end=end)
        else:
            xml = transaction(code, text, day=day.isoformat(), extra=attributes)
            kind = TRANSACTION_KINDS[code]
            spent = kind in {AmountKind.DISBURSEMENT, AmountKind.EXPENDITURE}
            period = Period(start=day, end=day) if spent else None
        entries.append((xml, (kind, period, text, currency or default, value_date)))
    # Written mixed; read as the budgets, then the transactions, each in order.
    engagement = only(
        activity(
            "".join(xml for xml, _ in entries),
            attributes=f'default-currency="{default}"',
        )
    )
    read_back = [
        (
            amount.kind,
            amount.period,
            str(amount.money.amount),
            amount.money.currency,
            amount.value_date,
        )
        for amount in engagement.amounts
    ]
    expected = [entry for _, entry in entries]
    assert read_back == [
        *(entry for entry in expected if entry[0] is AmountKind.BUDGET),
        *(entry for entry in expected if entry[0] is not AmountKind.BUDGET),
    ]


@given(
    st.lists(st.integers(min_value=1, max_value=10_000), min_size=1, max_size=6),
    st.integers(min_value=0, max_value=2),
)
def test_percentages_written_with_rounding_always_sum_to_100(
    weights: list[int], places: int
) -> None:
    total = sum(weights)
    # Each share of 100 rounded to `places` decimals, as a publisher writes it.
    written = [
        Decimal(round(Fraction(100 * weight, total) * 10**places)).scaleb(-places)
        for weight in weights
    ]
    if any(value == 0 for value in written):
        return
    codes = [f"{11110 + 10 * index}" for index in range(len(weights))]
    engagement = only(
        activity(
            "".join(
                sector(code, str(value))
                for code, value in zip(codes, written, strict=True)
            )
        )
    )
    kept = [share.percentage for share in engagement.sectors]
    assert sum(value or 0 for value in kept) == 100
    # Scaled in proportion: each within one unit of its exact scaled value.
    written_total = sum(Fraction(value) for value in written)
    for before, after in zip(written, kept, strict=True):
        assert after is not None
        exact = Fraction(before) * 100 / written_total
        assert abs(Fraction(after) - exact) < Fraction(1, 10**places)
