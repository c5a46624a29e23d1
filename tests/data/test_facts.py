"""One test per curated fact of the bundled data, read through the public API.

Every expected value here is typed from the source texts (../shared/sources),
never computed by the code under test: a figure, a date, a link or a place
that changes in the data must change here too, on purpose.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date
from decimal import Decimal
from fractions import Fraction

import pytest

import mali_aid
from mali_aid import (
    Amount,
    AmountKind,
    Channel,
    Count,
    Dataset,
    Engagement,
    EngagementKind,
    Money,
    OrganisationKind,
    Period,
    PlaceLevel,
    Precision,
    Qualifier,
    Role,
    Status,
    UnknownIdError,
    find_overlaps,
)


@pytest.fixture(scope="module")
def data() -> Dataset:
    return mali_aid.load()


def ids(engagements: Iterable[Engagement]) -> set[str]:
    return {engagement.id for engagement in engagements}


def period(text: str) -> Period:
    return Period.parse(text)


def eur(amount: str) -> Money:
    return Money(amount, "EUR")


# == sources ==========================================================================


class TestSources:
    def test_the_five_sources_in_order(self, data: Dataset) -> None:
        assert [source.id for source in data.sources] == [
            "be-dgd-mali",
            "lu-cooperation-mali-2024",
            "lu-mfa-mali-2016",
            "fcm-mped-mali",
            "be-defence-eutm-2018",
        ]

    @pytest.mark.parametrize(
        ("source", "paragraphs", "language", "file"),
        [
            ("be-dgd-mali", 13, "en", "000_771eb87bceae6e92.txt"),
            ("lu-cooperation-mali-2024", 14, "fr", "001_bc33ce14549597ee.txt"),
            ("lu-mfa-mali-2016", 8, "en", "002_ddcbe918311de54a.txt"),
            ("fcm-mped-mali", 24, "en", "003_3db3a9524d1b6b27.txt"),
            ("be-defence-eutm-2018", 9, "en", "004_cbdb777596e1456c.txt"),
        ],
    )
    def test_paragraphs_language_and_file(
        self, data: Dataset, source: str, paragraphs: int, language: str, file: str
    ) -> None:
        record = data.source(source)
        assert (record.paragraphs, record.language, record.file) == (
            paragraphs,
            language,
            file,
        )

    def test_the_belgian_page_has_no_date_but_a_note(self, data: Dataset) -> None:
        record = data.source("be-dgd-mali")
        assert record.date is None
        assert record.date_note is not None and "2013" in record.date_note

    @pytest.mark.parametrize(
        ("source", "when"),
        [
            ("lu-cooperation-mali-2024", "2024"),
            ("lu-mfa-mali-2016", "2016"),
            ("be-defence-eutm-2018", "2018-02-08"),
        ],
    )
    def test_dates(self, data: Dataset, source: str, when: str) -> None:
        assert data.source(source).date == period(when)

    def test_page_updated_10_01_2017_gives_only_the_year(self, data: Dataset) -> None:
        when = data.source("fcm-mped-mali").date
        assert when == period("2017")
        assert when is not None and when.start_precision is Precision.YEAR

    @pytest.mark.parametrize(
        ("source", "publisher"),
        [
            ("be-dgd-mali", "Belgian development cooperation"),
            ("fcm-mped-mali", "Federation of Canadian Municipalities"),
            ("be-defence-eutm-2018", "Belgian Defence"),
        ],
    )
    def test_publishers(self, data: Dataset, source: str, publisher: str) -> None:
        assert data.source(source).publisher == publisher


# == organisations =====================================================================


class TestOrganisations:
    @pytest.mark.parametrize(
        ("code", "name"),
        [
            ("BE", "Belgium"),
            ("LU", "Luxembourg"),
            ("CH", "Switzerland"),
            ("CA", "Canada"),
            ("FR", "France"),
            ("ML", "Mali"),
            ("BF", "Burkina Faso"),
        ],
    )
    def test_states_use_their_iso_code(
        self, data: Dataset, code: str, name: str
    ) -> None:
        state = data.organisation(code)
        assert (state.name, state.kind, state.country, state.parent) == (
            name,
            OrganisationKind.STATE,
            code,
            None,
        )

    @pytest.mark.parametrize(
        ("body", "parent"),
        [
            ("be-defence", "BE"),
            ("be-bffs", "BE"),
            ("be-development-cooperation", "BE"),
            ("be-diplomatic-office-mali", "BE"),
            ("be-chasseurs-a-cheval", "be-defence"),
            ("luxdev", "LU"),
            ("lu-cooperation", "LU"),
            ("lu-army", "LU"),
            ("lu-police", "LU"),
            ("lu-embassy-bamako", "LU"),
            ("ml-armed-forces", "ML"),
            ("ml-internal-security-forces", "ML"),
            ("amm-womens-caucus", "amm"),
        ],
    )
    def test_parents(self, data: Dataset, body: str, parent: str) -> None:
        assert data.organisation(body).parent == parent

    @pytest.mark.parametrize(
        ("body", "root"),
        [
            ("be-chasseurs-a-cheval", "BE"),
            ("be-bffs", "BE"),
            ("luxdev", "LU"),
            ("lu-embassy-bamako", "LU"),
        ],
    )
    def test_agencies_roll_up_to_their_state(
        self, data: Dataset, body: str, root: str
    ) -> None:
        assert data.root_organisation(body).id == root

    def test_fcm_is_canadian_but_not_a_service_of_canada(self, data: Dataset) -> None:
        fcm = data.organisation("fcm")
        assert (fcm.country, fcm.parent) == ("CA", None)
        assert fcm.kind is OrganisationKind.MUNICIPAL_ASSOCIATION

    @pytest.mark.parametrize(
        ("names", "body"),
        [
            (("WFP", "PAM"), "wfp"),
            (("UNFPA", "FNUAP"), "unfpa"),
            (("UNDP", "PNUD"), "undp"),
            (("ICRC", "CICR"), "icrc"),
        ],
    )
    def test_one_organisation_whatever_the_language(
        self, data: Dataset, names: tuple[str, str], body: str
    ) -> None:
        for name in names:
            holders = [o.id for o in data.organisations if name in o.names]
            assert holders == [body], name

    def test_the_amm_represents_703_municipalities(self, data: Dataset) -> None:
        (count,) = data.organisation("amm").counts
        assert (count.value, count.unit, count.qualifier) == (
            Decimal("703"),
            "municipality",
            Qualifier.EXACT,
        )
        assert count.what is not None and "Bamako" in count.what

    def test_the_ambf_is_of_burkina_faso(self, data: Dataset) -> None:
        assert data.organisation("ambf").country == "BF"

    def test_the_luxembourg_embassy_has_both_french_names(self, data: Dataset) -> None:
        names = data.organisation("lu-embassy-bamako").names
        assert "Ambassade du Luxembourg à Bamako" in names
        assert "Ambassade du Luxembourg au Mali" in names

    @pytest.mark.parametrize(
        "body", ["EU", "UN", "undp", "unfpa", "wfp", "ilo", "fao", "unhas", "icrc"]
    )
    def test_multilateral_and_humanitarian_bodies_belong_to_no_state(
        self, data: Dataset, body: str
    ) -> None:
        assert data.organisation(body).parent is None

    def test_proman_is_a_company(self, data: Dataset) -> None:
        proman = data.organisation("proman")
        assert (proman.kind, proman.parent) == (OrganisationKind.COMPANY, None)


# == places ==============================================================================


class TestPlaces:
    def test_sikasso_region_and_city_are_two_places(self, data: Dataset) -> None:
        region = data.place("ml-sikasso-region")
        city = data.place("ml-sikasso-city")
        assert region.name == city.name == "Sikasso"
        assert (region.level, city.level) == (PlaceLevel.REGION, PlaceLevel.CITY)
        assert data.lies_in("ml-sikasso-city", "ml-sikasso-region")
        assert not data.lies_in("ml-sikasso-region", "ml-sikasso-city")

    def test_gao_region_and_city_are_two_places(self, data: Dataset) -> None:
        region = data.place("ml-gao-region")
        city = data.place("ml-gao-city")
        assert region.name == city.name == "Gao"
        assert (region.level, city.level) == (PlaceLevel.REGION, PlaceLevel.CITY)

    def test_the_city_and_commune_of_sikasso_are_one_place(self, data: Dataset) -> None:
        aliases = data.place("ml-sikasso-city").aliases
        assert "City of Sikasso" in aliases and "Sikasso commune" in aliases
        holders = [p.id for p in data.places if "Sikasso commune" in p.aliases]
        assert holders == ["ml-sikasso-city"]

    @pytest.mark.parametrize(
        ("place", "code"),
        [
            ("ML", "ML"),
            ("BF", "BF"),
            ("ml-kayes-region", "ML-1"),
            ("ml-koulikoro-region", "ML-2"),
            ("ml-sikasso-region", "ML-3"),
            ("ml-segou-region", "ML-4"),
            ("ml-mopti-region", "ML-5"),
            ("ml-tombouctou-region", "ML-6"),
            ("ml-gao-region", "ML-7"),
            ("ml-kidal-region", "ML-8"),
            ("ml-bamako", "ML-BKO"),
        ],
    )
    def test_iso_codes(self, data: Dataset, place: str, code: str) -> None:
        assert data.place(place).iso_code == code

    @pytest.mark.parametrize(
        ("place", "parent", "level"),
        [
            ("ml-kayes-region", "ML", PlaceLevel.REGION),
            ("ml-koulikoro-region", "ML", PlaceLevel.REGION),
            ("ml-sikasso-region", "ML", PlaceLevel.REGION),
            ("ml-segou-region", "ML", PlaceLevel.REGION),
            ("ml-mopti-region", "ML", PlaceLevel.REGION),
            ("ml-tombouctou-region", "ML", PlaceLevel.REGION),
            ("ml-gao-region", "ML", PlaceLevel.REGION),
            ("ml-kidal-region", "ML", PlaceLevel.REGION),
            ("ml-bamako", "ML", PlaceLevel.DISTRICT),
            ("ml-nara-cercle", "ml-koulikoro-region", PlaceLevel.CERCLE),
            ("ml-nioro-du-sahel-cercle", "ml-kayes-region", PlaceLevel.CERCLE),
            ("ml-yorosso-cercle", "ml-sikasso-region", PlaceLevel.CERCLE),
            ("ml-sikasso-cercle", "ml-sikasso-region", PlaceLevel.CERCLE),
            ("ml-kadiolo-cercle", "ml-sikasso-region", PlaceLevel.CERCLE),
            ("ml-mopti-cercle", "ml-mopti-region", PlaceLevel.CERCLE),
            ("ml-bandiagara-cercle", "ml-mopti-region", PlaceLevel.CERCLE),
            ("ml-gao-cercle", "ml-gao-region", PlaceLevel.CERCLE),
            ("ml-tombouctou-cercle", "ml-tombouctou-region", PlaceLevel.CERCLE),
            ("ml-sikasso-city", "ml-sikasso-cercle", PlaceLevel.CITY),
            ("ml-kadiolo-commune", "ml-kadiolo-cercle", PlaceLevel.COMMUNE),
            ("ml-mopti-city", "ml-mopti-cercle", PlaceLevel.CITY),
            ("ml-bandiagara-city", "ml-bandiagara-cercle", PlaceLevel.CITY),
            ("ml-gao-city", "ml-gao-cercle", PlaceLevel.CITY),
            ("ml-timbuktu-city", "ml-tombouctou-cercle", PlaceLevel.CITY),
            ("bf-ouahigouya", "BF", PlaceLevel.CITY),
            ("ml-north", "ML", PlaceLevel.AREA),
            ("ml-south", "ML", PlaceLevel.AREA),
            ("sahel", None, PlaceLevel.AREA),
            ("ML", None, PlaceLevel.COUNTRY),
            ("BF", None, PlaceLevel.COUNTRY),
        ],
    )
    def test_gazetteer(
        self, data: Dataset, place: str, parent: str | None, level: PlaceLevel
    ) -> None:
        record = data.place(place)
        assert (record.parent, record.level) == (parent, level)

    @pytest.mark.parametrize(
        ("place", "area", "inside"),
        [
            ("ml-kadiolo-commune", "ml-sikasso-region", True),
            ("ml-kadiolo-commune", "ML", True),
            ("ml-yorosso-cercle", "ml-sikasso-region", True),
            ("ml-sikasso-city", "ml-gao-region", False),
            ("ml-timbuktu-city", "ml-tombouctou-region", True),
            ("ml-nioro-du-sahel-cercle", "ml-kayes-region", True),
            ("ml-nara-cercle", "ml-koulikoro-region", True),
            ("ml-bandiagara-city", "ml-mopti-region", True),
            ("bf-ouahigouya", "ML", False),
            ("bf-ouahigouya", "BF", True),
            ("ML", "sahel", False),
        ],
    )
    def test_lies_in(self, data: Dataset, place: str, area: str, inside: bool) -> None:
        assert data.lies_in(place, area) is inside


# == sectors and themes ================================================================


class TestSectorsAndThemes:
    @pytest.mark.parametrize(
        ("sector", "code"),
        [
            ("rural-development", "43040"),
            ("food-security", "43071"),
            ("nutrition", "12240"),
            ("agriculture", "31120"),
            ("livestock", "31163"),
            ("fish-farming", "31320"),
            ("decentralisation", "15112"),
            ("public-sector-reform", "15110"),
            ("elections", "15151"),
            ("vocational-training", "11330"),
            ("employment", "16020"),
            ("business-development", "25030"),
            ("tourism", "33210"),
            ("solid-waste", "14050"),
            ("water-supply", "14031"),
            ("solar-energy", "23231"),
            ("basic-health-care", "12220"),
            ("health-infrastructure", "12230"),
            ("health-personnel", "12281"),
            ("reproductive-health", "13020"),
            ("midwife-training", "13081"),
            ("culture", "16066"),
            ("sport", "16065"),
            ("gender-equality", "15170"),
            ("security", "152"),
            ("peacekeeping", "15230"),
            ("ict", "22040"),
            ("humanitarian", "720"),
            ("social-protection", "16010"),
        ],
    )
    def test_dac_codes(self, data: Dataset, sector: str, code: str) -> None:
        assert data.sector(sector).dac_code == code

    def test_local_economic_development_has_no_code(self, data: Dataset) -> None:
        assert data.sector("local-economic-development").dac_code is None

    def test_belgiums_cross_cutting_themes(self, data: Dataset) -> None:
        assert [theme.id for theme in data.themes] == ["gender", "environment-climate"]
        assert (
            data.theme("environment-climate").name == "Environment and climate change"
        )

    def test_themes_are_not_sectors(self, data: Dataset) -> None:
        assert data.sector("gender", default=None) is None
        assert data.sector("environment-climate", default=None) is None


# == Belgium ================================================================================


class TestBelgianProgramme:
    def test_one_engagement_2009_2014_first_agreed_for_2009_2012(
        self, data: Dataset
    ) -> None:
        programme = data.engagement("be-icp-2009-2014")
        assert programme.period == period("2009/2014")
        assert programme.original_period == period("2009/2012")
        assert programme.kind is EngagementKind.PROGRAMME

    def test_budget_of_exactly_eur_50_5_million(self, data: Dataset) -> None:
        assert data.engagement("be-icp-2009-2014").amounts == (
            Amount(money=eur("50500000"), kind=AmountKind.BUDGET),
        )

    def test_the_budget_is_recorded_once(self, data: Dataset) -> None:
        holders = [
            e.id
            for e in data.engagements
            for amount in e.amounts
            if amount.money == eur("50500000")
        ]
        assert holders == ["be-icp-2009-2014"]

    def test_belgium_funds_it_bilaterally(self, data: Dataset) -> None:
        programme = data.engagement("be-icp-2009-2014")
        assert data.donors(programme) == ("BE",)
        assert programme.channel is Channel.BILATERAL

    def test_two_priority_sectors(self, data: Dataset) -> None:
        # "two priority sectors: rural development and food security and
        # support for the decentralisation process" (be-dgd-mali 5): two, not
        # three, so each carries half of an even split, not a third.
        sectors = [s.sector for s in data.engagement("be-icp-2009-2014").sectors]
        assert sectors == ["rural-development-food-security", "decentralisation"]
        combined = data.sector("rural-development-food-security")
        assert combined.name == "Rural development and food security"
        assert combined.dac_code == "430"

    def test_overarching_themes(self, data: Dataset) -> None:
        assert data.engagement("be-icp-2009-2014").themes == (
            "gender",
            "environment-climate",
        )

    @pytest.mark.parametrize(
        "activity",
        [
            "be-zebu-herds",
            "be-fish-farming-south",
            "be-bffs-nara-nioro",
            "be-koulikoro-local-authorities",
            "be-decentralised-institutions",
            "be-sikasso-solid-waste",
            "be-elections-2013",
        ],
    )
    def test_other_belgian_activities_are_not_part_of_it(
        self, data: Dataset, activity: str
    ) -> None:
        assert data.engagement(activity).part_of is None
        assert data.donors(activity) == ("BE",)

    def test_the_programme_has_no_parts(self, data: Dataset) -> None:
        assert data.parts("be-icp-2009-2014") == ()


class TestBelgianActivities:
    def test_around_20_years_stays_vague(self, data: Dataset) -> None:
        span = data.engagement("be-development-cooperation-mali").period
        assert span is not None
        assert (span.start, span.end) == (None, None)
        assert (span.approximate, span.approximate_length) == (True, "P20Y")

    def test_zebu_herds(self, data: Dataset) -> None:
        record = data.engagement("be-zebu-herds")
        assert "livestock" in {s.sector for s in record.sectors}
        assert record.amounts == ()

    def test_fish_farming_in_the_south(self, data: Dataset) -> None:
        record = data.engagement("be-fish-farming-south")
        assert [p.place for p in record.places] == ["ml-south"]
        assert [s.sector for s in record.sectors] == ["fish-farming"]

    def test_bffs_programme_in_nara_and_nioro(self, data: Dataset) -> None:
        record = data.engagement("be-bffs-nara-nioro")
        assert [p.organisation for p in record.funders] == ["be-bffs"]
        assert data.donors(record) == ("BE",)
        assert [p.place for p in record.places] == [
            "ml-nara-cercle",
            "ml-nioro-du-sahel-cercle",
        ]
        assert record.amounts == ()

    def test_local_authorities_in_the_koulikoro_region(self, data: Dataset) -> None:
        record = data.engagement("be-koulikoro-local-authorities")
        assert [p.place for p in record.places] == ["ml-koulikoro-region"]
        assert [s.sector for s in record.sectors] == ["decentralisation"]

    def test_solid_waste_in_the_city_of_sikasso(self, data: Dataset) -> None:
        record = data.engagement("be-sikasso-solid-waste")
        assert [p.place for p in record.places] == ["ml-sikasso-city"]
        assert [s.sector for s in record.sectors] == ["solid-waste"]

    def test_2013_elections_contribution(self, data: Dataset) -> None:
        record = data.engagement("be-elections-2013")
        assert record.period == period("2013")
        assert record.kind is EngagementKind.CONTRIBUTION
        assert record.amounts == ()


# == Luxembourg: indicative programmes and the 2016 page =====================================


class TestLuxembourgProgrammes:
    @pytest.mark.parametrize(
        ("programme", "span", "follows"),
        [
            ("lu-icp-i", "2003/2006", None),
            ("lu-icp-ii", "2007/2011", "lu-icp-i"),
            ("lu-icp-iii", "2015/2019", "lu-icp-ii"),
        ],
    )
    def test_icps_follow_one_another(
        self, data: Dataset, programme: str, span: str, follows: str | None
    ) -> None:
        record = data.engagement(programme)
        assert record.period == period(span)
        assert record.follows == follows
        assert record.part_of is None

    def test_icp_iii_has_one_amount_of_exactly_eur_55_million(
        self, data: Dataset
    ) -> None:
        (amount,) = data.engagement("lu-icp-iii").amounts
        assert amount.money == Money("55000000", "EUR")
        assert amount.qualifier is Qualifier.EXACT

    def test_icp_iii_places(self, data: Dataset) -> None:
        assert [p.place for p in data.engagement("lu-icp-iii").places] == [
            "ml-segou-region",
            "ml-yorosso-cercle",
            "ml-kidal-region",
            "ml-gao-region",
        ]

    def test_icp_iii_sectors(self, data: Dataset) -> None:
        sectors = {s.sector for s in data.engagement("lu-icp-iii").sectors}
        assert sectors == {
            "rural-development",
            "vocational-training",
            "decentralisation",
        }

    def test_icp_iii_executing_agencies(self, data: Dataset) -> None:
        record = data.engagement("lu-icp-iii")
        assert {p.organisation for p in record.implementers} == {
            "luxdev",
            "proman",
            "wfp",
            "ilo",
            "fao",
            "undp",
            "sos-faim",
            "university-of-luxembourg",
            "university-of-bamako",
        }
        assert data.donors(record) == ("LU",)

    def test_icp_iii_was_current_in_2016(self, data: Dataset) -> None:
        assert data.engagement("lu-icp-iii").status is Status.ONGOING

    def test_humanitarian_aid_2015_is_more_than_2_6_million(
        self, data: Dataset
    ) -> None:
        record = data.engagement("lu-humanitarian-2015")
        assert record.amounts == (
            Amount(
                money=eur("2600000"),
                kind=AmountKind.CONTRIBUTION,
                qualifier=Qualifier.AT_LEAST,
            ),
        )
        assert record.period == period("2015")
        assert record.channel is Channel.HUMANITARIAN

    def test_un_trust_funds(self, data: Dataset) -> None:
        record = data.engagement("lu-un-trust-funds")
        assert data.donors(record) == ("LU",)
        assert record.amounts == ()
        assert record.channel is Channel.MULTILATERAL


# == Luxembourg: the 2024 report =============================================================


class TestLuxembourg2024:
    def test_transition_strategy_is_one_engagement_2021_2024(
        self, data: Dataset
    ) -> None:
        record = data.engagement("lu-transition-strategy-2021-2024")
        assert record.period == period("2021/2024")
        assert record.original_period == period("2021/2022")
        assert (record.follows, record.part_of) == (None, None)
        assert record.kind is EngagementKind.STRATEGY

    def test_the_2023_2024_envelope_is_eur_42_million(self, data: Dataset) -> None:
        record = data.engagement("lu-envelope-2023-2024")
        assert record.amounts == (
            Amount(money=eur("42000000"), kind=AmountKind.ENVELOPE),
        )
        assert record.period == period("2023/2024")

    def test_the_envelopes_parts_are_the_2024_humanitarian_aid(
        self, data: Dataset
    ) -> None:
        assert ids(data.parts("lu-envelope-2023-2024")) == {
            "lu-humanitarian-2024",
            "lu-floods-2024",
        }

    @pytest.mark.parametrize(
        "on_top",
        ["lu-ngo-framework-agreements", "lu-regional-programmes", "lu-microprojects"],
    )
    def test_what_comes_on_top_is_not_part_of_the_envelope(
        self, data: Dataset, on_top: str
    ) -> None:
        assert data.engagement(on_top).part_of is None

    def test_eur_4_million_humanitarian_aid_in_2024(self, data: Dataset) -> None:
        record = data.engagement("lu-humanitarian-2024")
        assert record.amounts == (
            Amount(money=eur("4000000"), kind=AmountKind.CONTRIBUTION),
        )
        assert record.period == period("2024")
        assert {p.organisation for p in record.implementers} == {
            "icrc",
            "wfp",
            "unhas",
        }

    def test_250_000_for_the_floods_is_two_hundred_and_fifty_thousand(
        self, data: Dataset
    ) -> None:
        record = data.engagement("lu-floods-2024")
        assert record.amounts == (
            Amount(money=Money("250000", "EUR"), kind=AmountKind.CONTRIBUTION),
        )
        assert record.period == period("2024")
        assert data.donors(record) == ("LU",)

    def test_agropastoral_phase_ii_is_half_luxembourg_half_switzerland(
        self, data: Dataset
    ) -> None:
        record = data.engagement("lu-agropastoral-ii")
        assert [(p.organisation, p.share) for p in record.funders] == [
            ("LU", Fraction(1, 2)),
            ("CH", Fraction(1, 2)),
        ]
        assert data.donors(record) == ("LU", "CH")

    def test_agropastoral_phase_ii_is_implemented_by_luxdev_in_sikasso(
        self, data: Dataset
    ) -> None:
        record = data.engagement("lu-agropastoral-ii")
        assert [p.organisation for p in record.implementers] == ["luxdev"]
        assert [p.place for p in record.places] == ["ml-sikasso-region"]
        assert record.active_in == (2024,)
        assert record.amounts == ()
        assert record.follows is None

    def test_rural_development_and_food_security_programme(self, data: Dataset) -> None:
        record = data.engagement("lu-rural-development-food-security")
        assert [p.organisation for p in record.implementers] == ["luxdev"]
        assert record.active_in == (2024,)

    @pytest.mark.parametrize(
        ("project", "region"),
        [
            ("lu-kidal-sustainable-development-iv", "ml-kidal-region"),
            ("lu-gao-sustainable-development", "ml-gao-region"),
        ],
    )
    def test_proman_projects_by_region(
        self, data: Dataset, project: str, region: str
    ) -> None:
        record = data.engagement(project)
        assert [p.organisation for p in record.implementers] == ["proman"]
        assert [p.place for p in record.places] == [region]
        assert record.active_in == (2024,)

    def test_health_in_kidal_is_not_linked_to_the_proman_project(
        self, data: Dataset
    ) -> None:
        record = data.engagement("lu-kidal-health")
        assert record.part_of is None
        assert [p.place for p in record.places] == ["ml-kidal-region"]

    def test_unfpa_project_with_150_midwives(self, data: Dataset) -> None:
        record = data.engagement("lu-unfpa-midwives")
        assert [p.organisation for p in record.implementers] == ["unfpa"]
        assert data.donors(record) == ("LU",)
        assert record.resources == (
            Count(
                value="150",
                unit="person",
                what="midwives deployed in the regions",
                date=period("2024"),
            ),
        )
        assert record.amounts == ()

    @pytest.mark.parametrize(
        "project", ["lu-undp-youth-entrepreneurship", "lu-undp-reforms"]
    )
    def test_undp_support_ended_in_june_2024_start_unknown(
        self, data: Dataset, project: str
    ) -> None:
        record = data.engagement(project)
        assert record.period == period("../2024-06")
        assert record.period is not None and record.period.start is None
        assert record.status is Status.COMPLETED
        assert [p.organisation for p in record.implementers] == ["undp"]

    def test_five_luxembourg_ngos(self, data: Dataset) -> None:
        (count,) = data.engagement("lu-ngo-framework-agreements").resources
        assert (count.value, count.unit, count.date) == (
            Decimal("5"),
            "organisation",
            period("2024"),
        )

    def test_four_local_associations_through_microprojects(self, data: Dataset) -> None:
        record = data.engagement("lu-microprojects")
        (count,) = record.resources
        assert (count.value, count.unit, count.date) == (
            Decimal("4"),
            "organisation",
            period("2024"),
        )
        assert [p.organisation for p in record.funders] == ["lu-embassy-bamako"]
        assert data.donors(record) == ("LU",)
        assert record.channel is Channel.MICROPROJECTS


# == missions and deployments ================================================================


class TestMissions:
    def test_eutm_began_in_february_2013_and_has_no_known_end(
        self, data: Dataset
    ) -> None:
        eutm = data.engagement("eutm-mali")
        assert eutm.period == period("2013-02/..")
        assert eutm.period is not None
        assert eutm.period.start == date(2013, 2, 1)
        assert eutm.period.start_precision is Precision.MONTH
        assert eutm.period.end is None

    def test_eutm_was_established_by_the_eu(self, data: Dataset) -> None:
        eutm = data.engagement("eutm-mali")
        assert [(p.organisation, p.role) for p in eutm.participants] == [
            ("EU", Role.ACCOUNTABLE)
        ]

    def test_eutm_mandate_area_includes_gao_and_timbuktu(self, data: Dataset) -> None:
        places = {p.place for p in data.engagement("eutm-mali").places}
        assert {"ml-gao-city", "ml-timbuktu-city"} <= places

    def test_belgian_command_from_march_2016_to_end_of_january_2018(
        self, data: Dataset
    ) -> None:
        command = data.engagement("be-eutm-command-2016-2018")
        assert command.period == period("2016-03/2018-01")
        assert command.part_of == "eutm-mali"
        assert command.status is Status.COMPLETED

    def test_belgian_soldiers_are_one_contingent_seen_twice(
        self, data: Dataset
    ) -> None:
        first, second = data.engagement("be-defence-eutm").resources
        assert (first.value, first.unit, first.qualifier, first.date) == (
            Decimal("180"),
            "person",
            Qualifier.EXACT,
            None,
        )
        assert (second.value, second.unit, second.qualifier, second.date) == (
            Decimal("20"),
            "person",
            Qualifier.ABOUT,
            period("2018-02-08"),
        )

    def test_no_other_engagement_counts_belgian_soldiers_in_eutm(
        self, data: Dataset
    ) -> None:
        holders = [
            e.id
            for e in data.engagements
            if e.part_of == "eutm-mali" and e.resources and data.donors(e) == ("BE",)
        ]
        assert holders == ["be-defence-eutm"]

    @pytest.mark.parametrize(
        ("deployment", "funder", "donor", "mission"),
        [
            ("be-defence-eutm", "be-defence", "BE", "eutm-mali"),
            ("be-eutm-command-2016-2018", "be-defence", "BE", "eutm-mali"),
            ("be-defence-minusma-2018", "be-defence", "BE", "minusma"),
            ("lu-army-eutm", "lu-army", "LU", "eutm-mali"),
            ("lu-police-eucap", "lu-police", "LU", "eucap-mali"),
        ],
    )
    def test_a_state_sending_its_personnel_is_the_funder(
        self, data: Dataset, deployment: str, funder: str, donor: str, mission: str
    ) -> None:
        record = data.engagement(deployment)
        assert [p.organisation for p in record.funders] == [funder]
        assert data.donors(record) == (donor,)
        assert record.part_of == mission
        assert record.kind is EngagementKind.DEPLOYMENT

    def test_minusma_2018_is_planned(self, data: Dataset) -> None:
        record = data.engagement("be-defence-minusma-2018")
        assert record.status is Status.PLANNED
        assert record.period == period("2018")

    def test_minusma_2018_cavalry_helicopters_and_crew(self, data: Dataset) -> None:
        assert [
            (c.value, c.unit, c.qualifier)
            for c in data.engagement("be-defence-minusma-2018").resources
        ] == [
            (Decimal("40"), "person", Qualifier.EXACT),
            (Decimal("2"), "helicopter", Qualifier.EXACT),
            (Decimal("50"), "person", Qualifier.ABOUT),
        ]

    @pytest.mark.parametrize(
        "record",
        [
            "eutm-mali",
            "eucap-mali",
            "minusma",
            "be-defence-eutm",
            "be-eutm-command-2016-2018",
            "be-defence-minusma-2018",
            "lu-army-eutm",
            "lu-police-eucap",
            "lu-eutm-financial-contribution",
            "lu-eucap-financial-contribution",
        ],
    )
    def test_no_amount_is_given_for_missions_and_deployments(
        self, data: Dataset, record: str
    ) -> None:
        assert data.engagement(record).amounts == ()

    def test_missions_have_no_known_funder(self, data: Dataset) -> None:
        for mission in ("eutm-mali", "eucap-mali", "minusma"):
            assert data.donors(mission) == (), mission


# == Canada: FCM and the AMM ====================================================================


class TestMunicipalCooperation:
    def test_mped_funder_is_unknown(self, data: Dataset) -> None:
        record = data.engagement("fcm-mped-mali")
        assert record.funders == ()
        assert data.donors(record) == ()

    def test_mped_is_run_by_fcm_with_the_amm(self, data: Dataset) -> None:
        record = data.engagement("fcm-mped-mali")
        assert [p.organisation for p in record.implementers] == ["fcm", "amm"]
        assert record.amounts == ()
        assert record.channel is Channel.DECENTRALISED

    def test_mped_projects(self, data: Dataset) -> None:
        assert ids(data.parts("fcm-mped-mali")) == {
            "fcm-mped-led-centre",
            "fcm-mped-sikasso-led-service",
            "fcm-mped-kadiolo-market",
            "fcm-mped-economic-corridor",
        }

    @pytest.mark.parametrize(
        ("project", "places"),
        [
            ("fcm-mped-sikasso-led-service", ["ml-sikasso-city"]),
            ("fcm-mped-kadiolo-market", ["ml-kadiolo-commune"]),
            ("fcm-mped-economic-corridor", ["ML", "BF"]),
        ],
    )
    def test_mped_project_places(
        self, data: Dataset, project: str, places: list[str]
    ) -> None:
        assert [p.place for p in data.engagement(project).places] == places

    def test_corridor_study_with_the_ambf(self, data: Dataset) -> None:
        record = data.engagement("amm-ambf-led-corridor-study")
        assert [p.organisation for p in record.implementers] == ["amm", "ambf"]
        assert [p.place for p in record.places] == [
            "ml-mopti-city",
            "ml-bandiagara-city",
            "bf-ouahigouya",
        ]
        assert record.part_of is None
        assert data.donors(record) == ()


# == queries ===================================================================================


class TestQueries:
    def test_belgium_includes_its_defence_and_fund(self, data: Dataset) -> None:
        found = ids(data.select(donor="BE"))
        assert {"be-defence-eutm", "be-defence-minusma-2018", "be-bffs-nara-nioro"} <= (
            found
        )
        assert "lu-icp-iii" not in found

    def test_switzerland_funds_one_engagement(self, data: Dataset) -> None:
        assert ids(data.select(donor="CH")) == {"lu-agropastoral-ii"}

    def test_canada_funds_nothing_the_sources_tell(self, data: Dataset) -> None:
        assert data.select(donor="CA") == ()

    def test_the_sikasso_region_rolls_up_its_cercles_and_cities(
        self, data: Dataset
    ) -> None:
        assert ids(data.select(place="ml-sikasso-region")) == {
            "be-sikasso-solid-waste",
            "lu-icp-iii",
            "lu-agropastoral-ii",
            "fcm-mped-sikasso-led-service",
            "fcm-mped-kadiolo-market",
            "kadiolo-business-training",
        }

    def test_the_gao_region_is_not_the_city_alone(self, data: Dataset) -> None:
        assert ids(data.select(place="ml-gao-region")) == {
            "lu-icp-iii",
            "lu-gao-sustainable-development",
            "eutm-mali",
        }
        assert ids(data.select(place="ml-gao-city")) == {"eutm-mali"}

    def test_implemented_by_luxdev(self, data: Dataset) -> None:
        assert ids(data.select(implementer="luxdev")) == {
            "lu-icp-iii",
            "lu-rural-development-food-security",
            "lu-agropastoral-ii",
        }

    def test_humanitarian_channel(self, data: Dataset) -> None:
        assert ids(data.select(channel="humanitarian")) == {
            "lu-humanitarian-2015",
            "lu-humanitarian-2024",
            "lu-floods-2024",
        }

    def test_active_in_2013(self, data: Dataset) -> None:
        found = ids(data.select(year=2013))
        assert {"be-icp-2009-2014", "be-elections-2013", "eutm-mali"} <= found
        assert "lu-icp-iii" not in found

    def test_by_sector(self, data: Dataset) -> None:
        assert ids(data.select(sector="peacekeeping")) == {
            "minusma",
            "be-defence-minusma-2018",
        }

    def test_unknown_id(self, data: Dataset) -> None:
        with pytest.raises(UnknownIdError):
            data.engagement("icp-iii")
        assert data.engagement("icp-iii", default=None) is None


# == events ======================================================================================


class TestEvents:
    @pytest.mark.parametrize(
        ("event", "when"),
        [
            ("ml-public-sector-reform-1993", "1993"),
            ("lu-ml-general-cooperation-agreement-1998", "1998"),
            ("ml-lu-partner-country-1999", "1999"),
            ("ml-crisis-2012-2013", "2012/2013"),
            ("tuareg-rebel-offensive-2012", "2012"),
            ("ml-coup-2012-03-22", "2012-03-22"),
            ("ml-north-occupied-2012", "2012"),
            ("ml-request-for-assistance-2012-12-22", "2012-12-22"),
            ("serval-2013-01", "2013-01"),
            ("ml-state-authority-restored-2013-01", "2013-01"),
            ("eutm-established-2013-02", "2013-02"),
            ("ml-elections-2013", "2013"),
            ("ml-transition-2013", "2013"),
            ("amm-womens-caucus-sikasso-training-2013-06", "2013-06"),
            ("sikasso-clerk-office-training-2013-07", "2013-07"),
            ("eutm-extended-2014-05", "2014-05"),
            ("eutm-extended-2016-03", "2016-03"),
            ("lu-icp-iii-letter-of-agreement-2016-05", "2016-05"),
            ("eutm-mandate-area-extended", "2016-03/2018-01"),
            ("be-eutm-command-ends-2018-01", "2018-01"),
            ("lu-transition-strategy-adopted-2021-01", "2021-01"),
            ("lu-ngo-meetings-2024", "2024"),
        ],
    )
    def test_dates(self, data: Dataset, event: str, when: str) -> None:
        assert data.event(event).date == period(when)

    def test_droughts_over_about_three_decades(self, data: Dataset) -> None:
        when = data.event("ml-droughts").date
        assert (when.start, when.end) == (None, None)
        assert (when.approximate, when.approximate_length) == (True, "P30Y")

    def test_serval_was_conducted_by_france(self, data: Dataset) -> None:
        assert data.event("serval-2013-01").actors == ("FR",)

    def test_the_request_came_from_mali_to_the_eu(self, data: Dataset) -> None:
        assert data.event("ml-request-for-assistance-2012-12-22").actors == (
            "ML",
            "EU",
        )

    def test_letter_of_agreement_in_bamako_for_icp_iii(self, data: Dataset) -> None:
        event = data.event("lu-icp-iii-letter-of-agreement-2016-05")
        assert event.places == ("ml-bamako",)
        assert event.engagements == ("lu-icp-iii",)

    def test_the_2016_extension_brought_belgian_command(self, data: Dataset) -> None:
        assert data.event("eutm-extended-2016-03").engagements == (
            "eutm-mali",
            "be-eutm-command-2016-2018",
        )

    def test_the_2013_trainings_were_in_the_city_of_sikasso(
        self, data: Dataset
    ) -> None:
        for event in (
            "amm-womens-caucus-sikasso-training-2013-06",
            "sikasso-clerk-office-training-2013-07",
        ):
            assert data.event(event).places == ("ml-sikasso-city",)


# == indicators ==================================================================================


class TestIndicators:
    def test_population_21_90_million(self, data: Dataset) -> None:
        population = data.indicator("ml-population")
        assert (population.value, population.unit) == (
            Decimal("21.90"),
            "million persons",
        )

    def test_gni_per_head_is_in_ppp_dollars_not_money(self, data: Dataset) -> None:
        gni = data.indicator("ml-gni-per-head-ppp")
        assert (gni.value, gni.unit) == (Decimal("2220"), "PPP dollars")
        assert not isinstance(gni.value, Money)

    def test_hdi_rank_186_of_191(self, data: Dataset) -> None:
        rank = data.indicator("ml-hdi-rank")
        assert (rank.value, rank.out_of) == (Decimal("186"), Decimal("191"))

    def test_life_expectancy_62_years(self, data: Dataset) -> None:
        life = data.indicator("ml-life-expectancy")
        assert (life.value, life.unit) == (Decimal("62"), "years")

    @pytest.mark.parametrize(
        "indicator",
        ["ml-population", "ml-gni-per-head-ppp", "ml-hdi-rank", "ml-life-expectancy"],
    )
    def test_report_figures_carry_their_report_not_a_year(
        self, data: Dataset, indicator: str
    ) -> None:
        record = data.indicator(indicator)
        assert record.period is None
        assert record.reported_in == "lu-cooperation-mali-2024"
        assert record.place == "ML"

    def test_fifth_poorest_country_in_2009(self, data: Dataset) -> None:
        rank = data.indicator("ml-poverty-rank-2009")
        assert (rank.value, rank.period, rank.out_of) == (
            Decimal("5"),
            period("2009"),
            None,
        )


class TestYearsOfActivity:
    """Work a dated page tells of in the present tense, with no period given,
    was seen active in the year of that page."""

    @pytest.mark.parametrize(
        ("engagement", "year"),
        [
            ("lu-army-eutm", 2016),
            ("lu-police-eucap", 2016),
            ("lu-eutm-financial-contribution", 2016),
            ("lu-eucap-financial-contribution", 2016),
            ("lu-un-trust-funds", 2016),
            ("eucap-mali", 2016),
            ("be-defence-eutm", 2018),
            ("fcm-mped-mali", 2017),
            ("fcm-mped-led-centre", 2017),
            ("fcm-mped-sikasso-led-service", 2017),
            ("fcm-mped-kadiolo-market", 2017),
            ("fcm-mped-economic-corridor", 2017),
            ("amm-ambf-led-corridor-study", 2017),
        ],
    )
    def test_seen_active_in_the_year_of_the_page(
        self, data: Dataset, engagement: str, year: int
    ) -> None:
        record = data.engagement(engagement)
        assert record.active_in == (year,)
        assert record.period is None

    @pytest.mark.parametrize(
        "engagement",
        ["be-zebu-herds", "be-sikasso-solid-waste", "be-koulikoro-local-authorities"],
    )
    def test_the_undated_belgian_page_gives_no_year(
        self, data: Dataset, engagement: str
    ) -> None:
        record = data.engagement(engagement)
        assert record.active_in == ()
        assert record.period is None


class TestReviewedFacts:
    def test_eutm_was_seen_active_after_it_began(self, data: Dataset) -> None:
        eutm = data.engagement("eutm-mali")
        assert eutm.period == period("2013-02/..")
        assert eutm.active_in == (2013, 2014, 2015, 2016, 2017, 2018)
        assert "eutm-mali" in ids(data.select(year=2017))

    def test_minusma_is_seen_in_2018(self, data: Dataset) -> None:
        assert data.engagement("minusma").active_in == (2018,)
        assert data.engagement("minusma").amounts == ()

    def test_the_upcoming_forum_in_bamako_has_no_date(self, data: Dataset) -> None:
        forum = data.event("amm-led-forum-bamako")
        assert forum.date.start is None
        assert forum.date.end is None
        assert forum.places == ("ml-bamako",)
        assert forum.actors == ("amm",)

    def test_the_request_for_assistance_concerns_mali(self, data: Dataset) -> None:
        request = data.event("ml-request-for-assistance-2012-12-22")
        assert request.places == ("ML",)
        assert request.date == period("2012-12-22")


# == the second reading (issue 13) ================================================================


def with_extra(data: Dataset, *extra: Engagement) -> Dataset:
    """The bundled records with a few engagements of a test's own."""
    return Dataset(
        sources=data.sources,
        organisations=data.organisations,
        places=data.places,
        sectors=data.sectors,
        themes=data.themes,
        engagements=(*data.engagements, *extra),
        events=data.events,
        indicators=data.indicators,
        statements=data.statements,
    )


def in_gao(period_text: str) -> Engagement:
    return Engagement(
        id="test-gao",
        title="Security work in Gao",
        kind="project",
        period=Period.parse(period_text),
        sectors=[mali_aid.SectorShare(sector="security")],
        places=[mali_aid.PlaceShare(place="ml-gao-city")],
    )


class TestEutmInTime:
    """Established February 2013, extended May 2014 and March 2016, under
    Belgian command until the end of January 2018 (be-defence-eutm-2018 2, 3)."""

    @pytest.mark.parametrize("year", [2013, 2014, 2015, 2016, 2017, 2018])
    def test_active_every_year_without_a_gap(self, data: Dataset, year: int) -> None:
        assert "eutm-mali" in ids(data.select(year=year))

    def test_not_before_it_was_established(self, data: Dataset) -> None:
        assert "eutm-mali" not in ids(data.select(year=2012))

    def test_the_unstated_years_are_marked_inferred(self, data: Dataset) -> None:
        eutm = data.engagement("eutm-mali")
        assert eutm.is_inferred("active_in")
        inference = eutm.inference("active_in")
        assert inference is not None and "2015" in inference.reason
        assert not eutm.is_inferred("period")


class TestEutmInPlace:
    """Gao and Timbuktu joined the mandate area under the third mandate, under
    Belgian command (be-defence-eutm-2018 5), not in 2013."""

    def test_gao_and_timbuktu_hold_for_the_third_mandate_only(
        self, data: Dataset
    ) -> None:
        shares = {s.place: s.period for s in data.engagement("eutm-mali").places}
        assert shares == {
            "ML": None,
            "ml-gao-city": period("2016-03/2018-01"),
            "ml-timbuktu-city": period("2016-03/2018-01"),
        }
        eutm = data.engagement("eutm-mali")
        assert eutm.is_inferred("places[1].period")
        assert eutm.is_inferred("places")
        assert not eutm.is_inferred("places[0]")

    def test_eutm_does_not_meet_gao_work_in_gao_in_2013_2014(
        self, data: Dataset
    ) -> None:
        data = with_extra(data, in_gao("2013-03/2014-12"))
        records = [data.engagement("eutm-mali"), data.engagement("test-gao")]
        (pair,) = find_overlaps(records, data=data, on=("time", "place", "sector"))
        # They meet only in Mali as a whole: EUTM is Mali-wide then.
        assert pair.places == ("ML",)
        assert pair.period == period("2013-03-01/2014-12-31")

    def test_eutm_meets_gao_work_in_gao_under_the_third_mandate(
        self, data: Dataset
    ) -> None:
        data = with_extra(data, in_gao("2017"))
        records = [data.engagement("eutm-mali"), data.engagement("test-gao")]
        (pair,) = find_overlaps(records, data=data, on=("time", "place"))
        assert pair.places == ("ml-gao-city",)
        assert pair.days == 365

    def test_in_place_alone_eutm_meets_gao_in_gao(self, data: Dataset) -> None:
        data = with_extra(data, in_gao("2013"))
        records = [data.engagement("eutm-mali"), data.engagement("test-gao")]
        (pair,) = find_overlaps(records, data=data, on=("place",))
        assert pair.places == ("ml-gao-city",)

    def test_a_mali_wide_side_shares_only_mali(self, data: Dataset) -> None:
        records = [
            data.engagement("lu-un-trust-funds"),
            data.engagement("be-sikasso-solid-waste"),
        ]
        (pair,) = find_overlaps(records, data=data, on=("place",))
        assert pair.places == ("ML",)


class TestTheFloodContribution:
    def test_humanitarian_only(self, data: Dataset) -> None:
        # "une contribution humanitaire supplementaire" (001 7): its sector is
        # humanitarian aid; social protection is what it served.
        record = data.engagement("lu-floods-2024")
        assert [s.sector for s in record.sectors] == ["humanitarian"]
        assert record.note is not None and "social protection" in record.note
        assert data.select(sector="social-protection") == ()


class TestNorthAndSouth:
    """002 4: ICP III works "in the south ... in the Segou Region and the
    Yorosso Circle as well as in the North in the Kidal and Gao Regions"."""

    @pytest.mark.parametrize(
        ("place", "area"),
        [
            ("ml-segou-region", "ml-south"),
            ("ml-yorosso-cercle", "ml-south"),
            ("ml-kidal-region", "ml-north"),
            ("ml-gao-region", "ml-north"),
        ],
    )
    def test_grouped_into_their_area(
        self, data: Dataset, place: str, area: str
    ) -> None:
        assert data.place(place).areas == (area,)
        assert data.lies_in(place, area)

    def test_the_city_of_gao_lies_in_the_north_through_its_region(
        self, data: Dataset
    ) -> None:
        assert data.lies_in("ml-gao-city", "ml-north")
        assert [p.id for p in data.enclosing("ml-gao-city")] == [
            "ml-gao-cercle",
            "ml-gao-region",
            "ML",
            "ml-north",
        ]

    def test_areas_are_not_administrative_parents(self, data: Dataset) -> None:
        assert [p.id for p in data.ancestors("ml-gao-city")] == [
            "ml-gao-cercle",
            "ml-gao-region",
            "ML",
        ]
        assert data.roll_up("ml-kidal-region", "area") == "ml-kidal-region"

    @pytest.mark.parametrize(
        ("place", "area", "inside"),
        [
            ("ml-sikasso-city", "ml-south", False),
            ("ml-timbuktu-city", "ml-north", False),
            ("ml-kidal-region", "ml-south", False),
            ("ML", "sahel", False),
        ],
    )
    def test_nothing_else_is_grouped(
        self, data: Dataset, place: str, area: str, inside: bool
    ) -> None:
        assert data.lies_in(place, area) is inside

    def test_the_north(self, data: Dataset) -> None:
        assert ids(data.select(place="ml-north")) == {
            "lu-icp-iii",
            "eutm-mali",
            "lu-kidal-sustainable-development-iv",
            "lu-gao-sustainable-development",
            "lu-kidal-health",
        }

    def test_the_south(self, data: Dataset) -> None:
        assert ids(data.select(place="ml-south")) == {
            "be-fish-farming-south",
            "lu-icp-iii",
        }


class TestInferencesAreMarked:
    @pytest.mark.parametrize(
        ("record", "field"),
        [
            ("lu-humanitarian-2024", "part_of"),
            ("lu-floods-2024", "part_of"),
            ("lu-kidal-health", "places"),
            ("lu-kidal-health", "active_in"),
            ("be-bffs-nara-nioro", "participants"),
            ("lu-icp-iii", "participants"),
            ("lu-icp-iii", "amounts"),
            ("lu-army-eutm", "part_of"),
            ("lu-police-eucap", "part_of"),
            ("lu-eutm-financial-contribution", "participants"),
            ("lu-eucap-financial-contribution", "participants"),
            ("lu-rural-development-food-security", "participants"),
            ("lu-rural-development-food-security", "places"),
            ("lu-kidal-sustainable-development-iv", "participants"),
            ("lu-gao-sustainable-development", "participants"),
            ("lu-ngo-framework-agreements", "resources"),
            ("kadiolo-business-training", "places"),
            ("lu-un-trust-funds", "active_in"),
            ("eucap-mali", "active_in"),
            ("minusma", "active_in"),
            ("be-defence-eutm", "active_in"),
            ("fcm-mped-mali", "active_in"),
            ("amm-ambf-led-corridor-study", "active_in"),
            ("lu-unfpa-midwives", "active_in"),
            ("fcm-mped-mali", "participants"),
            ("fcm-mped-kadiolo-market", "participants"),
        ],
    )
    def test_inferred(self, data: Dataset, record: str, field: str) -> None:
        assert data.engagement(record).is_inferred(field)

    @pytest.mark.parametrize(
        ("record", "field"),
        [
            ("be-defence-eutm", "part_of"),
            ("be-eutm-command-2016-2018", "part_of"),
            ("fcm-mped-led-centre", "part_of"),
            ("lu-agropastoral-ii", "participants"),
            ("lu-agropastoral-ii", "active_in"),
            ("lu-humanitarian-2024", "amounts"),
            ("be-icp-2009-2014", "amounts"),
        ],
    )
    def test_stated(self, data: Dataset, record: str, field: str) -> None:
        assert not data.engagement(record).is_inferred(field)

    @pytest.mark.parametrize(
        ("event", "field"),
        [
            ("amm-womens-caucus-sikasso-training-2013-06", "places"),
            ("eutm-mandate-area-extended", "date"),
            ("ml-elections-2013", "engagements"),
        ],
    )
    def test_inferred_in_events(self, data: Dataset, event: str, field: str) -> None:
        assert data.event(event).is_inferred(field)

    def test_the_fcm_is_read_as_the_pages_we(self, data: Dataset) -> None:
        fcm = data.organisation("fcm")
        assert fcm.is_inferred("citations")
        assert fcm.note is not None and "'we'" in fcm.note


class TestHeadingsAndAuthors:
    def test_undp_no_longer_cites_a_link_label(self, data: Dataset) -> None:
        assert ("be-dgd-mali", 2) not in {
            (c.source, c.paragraph) for c in data.organisation("undp").citations
        }

    def test_kadiolo_commune_cites_the_paragraph_naming_it(self, data: Dataset) -> None:
        assert [
            (c.source, c.paragraph) for c in data.place("ml-kadiolo-commune").citations
        ] == [("fcm-mped-mali", 19)]

    def test_the_article_names_its_authors(self, data: Dataset) -> None:
        assert data.source("be-defence-eutm-2018").authors == (
            "Stijn Verboven",
            "Arturo Biglia",
        )
        assert data.source("be-dgd-mali").authors == ()


class TestStatements:
    """Facts about a relationship, a policy or a situation, one per fact the
    texts state (the paragraphs the first reading found missing first)."""

    @pytest.mark.parametrize(
        ("statement", "kind", "source", "paragraph"),
        [
            ("ml-landlocked-sahel-country", "geography", "be-dgd-mali", 3),
            ("be-constant-assistance", "relationship", "be-dgd-mali", 3),
            ("be-zebu-main-income", "situation", "be-dgd-mali", 7),
            ("be-decentralisation-essential", "policy", "be-dgd-mali", 8),
            ("be-public-sector-reform-purpose", "purpose", "be-dgd-mali", 9),
            ("be-gender-and-environment", "policy", "be-dgd-mali", 10),
            ("lu-ml-close-ties", "relationship", "lu-mfa-mali-2016", 2),
            ("lu-3d-approach", "policy", "lu-mfa-mali-2016", 2),
            (
                "lu-development-humanitarian-security-together",
                "policy",
                "lu-mfa-mali-2016",
                2,
            ),
            ("lu-ml-political-dialogue", "relationship", "lu-mfa-mali-2016", 2),
            ("lu-at-malis-side-in-crisis", "relationship", "lu-mfa-mali-2016", 3),
            ("lu-icp-iii-local-coordination", "policy", "lu-mfa-mali-2016", 4),
            ("lu-humanitarian-aid-a-tool", "policy", "lu-mfa-mali-2016", 5),
            ("ml-humanitarian-needs-enormous-2016", "situation", "lu-mfa-mali-2016", 5),
            (
                "lu-humanitarian-distinct-from-security",
                "policy",
                "lu-mfa-mali-2016",
                5,
            ),
            ("lu-peace-and-security-effort", "policy", "lu-mfa-mali-2016", 5),
            ("fcm-amm-partnership", "relationship", "fcm-mped-mali", 4),
            (
                "ml-decentralisation-frees-municipalities",
                "situation",
                "fcm-mped-mali",
                14,
            ),
            ("ml-economic-potential", "situation", "fcm-mped-mali", 14),
            ("ml-led-challenges", "challenge", "fcm-mped-mali", 14),
            ("ml-led-challenge-local-revenue", "challenge", "fcm-mped-mali", 15),
            ("ml-led-challenge-state-projects", "challenge", "fcm-mped-mali", 15),
            ("ml-led-challenge-knowledge", "challenge", "fcm-mped-mali", 15),
            ("ml-led-challenge-credit", "challenge", "fcm-mped-mali", 15),
            ("amm-mission", "mission", "fcm-mped-mali", 22),
            ("ml-terrorist-groups-active-2013", "situation", "be-defence-eutm-2018", 4),
            ("eu-mali-important-partner", "relationship", "be-defence-eutm-2018", 8),
            ("ml-stable-until-2012", "situation", "be-defence-eutm-2018", 8),
            (
                "ml-stability-key-to-sahel-security",
                "geography",
                "be-defence-eutm-2018",
                8,
            ),
            (
                "ml-humanitarian-needs-growing-2024",
                "situation",
                "lu-cooperation-mali-2024",
                7,
            ),
            (
                "lu-long-standing-humanitarian-partners",
                "relationship",
                "lu-cooperation-mali-2024",
                7,
            ),
            ("lu-ngos-in-priority-sectors", "policy", "lu-cooperation-mali-2024", 8),
        ],
    )
    def test_kind_and_paragraph(
        self, data: Dataset, statement: str, kind: str, source: str, paragraph: int
    ) -> None:
        record = data.statement(statement)
        assert record.kind == kind
        assert (source, paragraph) in {
            (c.source, c.paragraph) for c in record.citations
        }

    def test_every_statement_is_tested_here(self, data: Dataset) -> None:
        assert len(data.statements) == 32

    def test_what_the_statements_are_about(self, data: Dataset) -> None:
        assert data.statement("amm-mission").organisations == ("amm",)
        assert data.statement("lu-ml-close-ties").organisations == ("LU", "ML")
        assert data.statement("ml-landlocked-sahel-country").places == ("ML", "sahel")
        assert data.statement("ml-stable-until-2012").period == period("../2012-03")
        assert data.statement("lu-at-malis-side-in-crisis").period == period(
            "2012/2013"
        )
        assert {s.id for s in data.statements_about("amm")} == {
            "amm-mission",
            "fcm-amm-partnership",
        }

    def test_a_year_read_from_the_page_is_marked(self, data: Dataset) -> None:
        record = data.statement("ml-humanitarian-needs-enormous-2016")
        assert record.period == period("2016")
        assert record.is_inferred("period")

    def test_the_four_challenges_of_local_economic_development(
        self, data: Dataset
    ) -> None:
        challenges = [
            s.id
            for s in data.statements
            if s.kind == "challenge" and s.id.startswith("ml-led-challenge-")
        ]
        assert len(challenges) == 4

    def test_the_transition_after_the_2013_elections(self, data: Dataset) -> None:
        event = data.event("ml-transition-2013")
        assert event.date == period("2013")
        assert event.actors == ("ML",)
