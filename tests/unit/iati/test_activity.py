"""The activity mapper: each element of an activity onto the records.

Each case is a small file written here.
"""

from __future__ import annotations

import io
from datetime import date
from decimal import Decimal

import pytest

import mali_aid
from mali_aid import (
    AmountKind,
    Channel,
    Citation,
    Money,
    OrganisationKind,
    Period,
    Place,
    PlaceShare,
    Role,
    SectorShare,
    Status,
    iati,
)

from .builders import (
    activity,
    budget,
    country,
    document,
    only,
    raises,
    read,
    sector,
    transaction,
    unmapped_of,
)

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
    ("flag", "collaboration", "channel", "humanitarian"),
    [
        ('humanitarian="1"', "", Channel.HUMANITARIAN, True),
        (
            'humanitarian="true"',
            '<collaboration-type code="2"/>',
            Channel.MULTILATERAL,
            True,
        ),
        (
            'humanitarian="1"',
            '<collaboration-type code="3"/>',
            Channel.HUMANITARIAN,
            True,
        ),
        (
            'humanitarian="0"',
            '<collaboration-type code="1"/>',
            Channel.BILATERAL,
            False,
        ),
        ("", '<collaboration-type code="2"/>', Channel.MULTILATERAL, None),
        ("", '<collaboration-type code="7"/>', Channel.NGO, None),
        ("", '<collaboration-type code="3"/>', None, None),
        ("", "", None, None),
    ],
)
def test_channel_from_collaboration_type_and_the_humanitarian_flag_apart(
    flag: str, collaboration: str, channel: Channel | None, humanitarian: bool | None
) -> None:
    engagement = only(
        activity(collaboration, attributes=f'default-currency="EUR" {flag}')
    )
    assert engagement.channel is channel
    assert engagement.humanitarian is humanitarian


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


def test_a_region_that_contains_mali_is_an_area_mali_lies_in() -> None:
    result = read(
        activity(
            country("ML", "70")
            + '<recipient-region code="289" vocabulary="1" percentage="30"/>'
        )
    )
    assert result.engagements[0].places == (
        PlaceShare(place="ML", percentage="70"),
        PlaceShare(place="dac-region-289", percentage="30"),
    )
    mali, region = result.places
    assert (region.id, region.name, region.level.value) == (
        "dac-region-289",
        "South of Sahara, regional",
        "area",
    )
    assert mali.areas == ("dac-region-289",)
    data = result.dataset()
    assert data.lies_in("ML", "dac-region-289")


def test_a_regions_share_is_unknown_for_mali_bounded_by_it() -> None:
    body = (
        country("ML", "70")
        + '<recipient-region code="1030" vocabulary="1" percentage="30"/>'
        + budget("2024-01-01", "2024-12-31", "1000")
    )
    data = read(activity(body)).dataset()
    total = mali_aid.totals(data.engagements, by="place", currency="EUR", data=data)
    # Mali's own 70 % is stated; of West Africa's 30 % an unknown part is
    # Mali's, so Mali's figure lies between 700 and 1000 and is not known.
    cell = total["ML"]
    assert cell.low == Money("700.00", "EUR")
    assert cell.high == Money("1000.00", "EUR")
    assert "share-unknown" in {basis.value for basis in cell.basis}


def test_a_region_only_activity_for_a_region_with_mali_is_kept() -> None:
    region = '<recipient-region code="298" vocabulary="1"/>'
    result = read(activity(region))
    assert result.engagements[0].places == (PlaceShare(place="dac-region-298"),)
    assert result.outside == ()
    assert [place.id for place in result.places] == ["dac-region-298", "ML"]


def test_an_activity_for_other_countries_is_left_out_and_reported() -> None:
    body = country("NE", "50") + country("BF", "50")
    result = read(activity(body, identifier="XM-NIGER"))
    assert result.engagements == ()
    (outside,) = result.outside
    assert (outside.activity, outside.element) == ("XM-NIGER", None)
    assert outside.reason == (
        "no recipient is Mali or a region that contains Mali (country NE, country BF)"
    )
    assert result.places == () and result.unmapped == ()


def test_an_activity_for_other_countries_is_kept_when_asked() -> None:
    body = country("NE", "50") + country("BF", "50")
    result = iati.read_activities(
        io.BytesIO(document(activity(body))), outside_mali="keep"
    )
    assert result.engagements[0].places == (
        PlaceShare(place="NE", percentage="50"),
        PlaceShare(place="BF", percentage="50"),
    )
    assert result.outside == ()


def test_a_region_far_from_mali_is_outside_and_an_unknown_code_is_reported() -> None:
    body = (
        country("ML", "50")
        + '<recipient-region code="789" vocabulary="1" percentage="25"/>'
        + '<recipient-region code="7777" vocabulary="1" percentage="25"/>'
    )
    result = read(activity(body))
    assert result.engagements[0].places == (
        PlaceShare(place="ML", percentage="50"),
        PlaceShare(place="dac-region-789", percentage="25"),
    )
    assert result.places[0].areas == ()
    assert "not in the Region codelist" in unmapped_of(result)["recipient-region[2]"]


def test_transactions_to_mali_count_and_the_others_are_left_out() -> None:
    def to(code: str, value: str, kind: str = "3") -> str:
        return (
            f'<transaction><transaction-type code="{kind}"/>'
            '<transaction-date iso-date="2024-03-01"/>'
            f"<value>{value}</value>"
            f'<recipient-country code="{code}"/>'
            '<sector vocabulary="1" code="12240"/></transaction>'
        )

    body = (
        budget("2024-01-01", "2024-12-31", "9999")
        + to("ML", "600")
        + to("NE", "400")
        + to("ML", "50")
    )
    result = read(activity(body))
    (engagement,) = result.engagements
    assert engagement.places == (PlaceShare(place="ML"),)
    assert [amount.money.amount for amount in engagement.amounts] == [
        Decimal("600"),
        Decimal("50"),
    ]
    assert engagement.sectors == (SectorShare(sector="dac-12240", percentage="100"),)
    reasons = unmapped_of(result)
    assert reasons["transaction[2]"].startswith("a transaction to country NE")
    assert "a budget covers all of them" in reasons["budget"]


def test_transactions_all_elsewhere_leave_the_activity_out() -> None:
    body = (
        '<transaction><transaction-type code="3"/><value>5</value>'
        '<recipient-country code="NE"/></transaction>'
    )
    result = read(activity(body))
    assert result.engagements == ()
    assert result.outside[0].reason == "no transaction goes to Mali"


def test_a_bad_activity_for_other_countries_is_still_left_out_quietly() -> None:
    # Left out for want of Mali: its other contents are never read.
    body = country("NE") + budget("2024-01-01", "2024-12-31", "1e5")
    result = read(activity(body))
    assert result.engagements == () and len(result.outside) == 1


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
    # Without Mali the activity is left out, and nothing is checked.
    assert read(activity(country("NE", "50") + country("BF", "30"))).engagements == ()


def test_merged_with_the_bundled_data_mali_lies_in_the_region_read() -> None:
    body = (
        country("ML", "50")
        + '<recipient-region code="289" vocabulary="1" percentage="50"/>'
        + budget("2024-01-01", "2024-12-31", "1000")
    )
    bundled = mali_aid.load()
    data = read(activity(body)).dataset(bundled)
    assert data.place("ML").areas == ("dac-region-289",)
    assert bundled.place("ML").areas == ()
    # The bundled regions of Mali still lie in Mali, and so in the region.
    assert data.lies_in("ml-sikasso-region", "dac-region-289")
    cell = mali_aid.totals(
        [data.engagement("XM-TEST-1")], by="place", currency="EUR", data=data
    )["ML"]
    assert (cell.low, cell.high) == (Money("500.00", "EUR"), Money("1000.00", "EUR"))
