"""Examples for the records: what they hold and what they refuse."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from mali_aid import (
    Amount,
    AmountKind,
    Citation,
    Count,
    DataError,
    Engagement,
    Indicator,
    Money,
    Organisation,
    Participant,
    Period,
    Place,
    PlaceShare,
    Qualifier,
    Role,
    Sector,
    SectorShare,
    Source,
)


def engagement(**changes: object) -> Engagement:
    fields: dict[str, object] = {
        "id": "lu-agropastoral-ii",
        "title": "Programme d'appui aux filières agropastorales – phase II",
        "kind": "programme",
        "citations": [Citation(source="lu-cooperation-mali-2024", paragraph=4)],
    }
    fields.update(changes)
    return Engagement(**fields)  # type: ignore[arg-type]


class TestEngagement:
    def test_holds_a_co_financed_programme(self) -> None:
        record = engagement(
            participants=[
                Participant(organisation="LU", role="funding", share="1/2"),
                Participant(organisation="CH", role="funding", share=Fraction(1, 2)),
                Participant(organisation="luxdev", role="implementing"),
            ],
            places=[PlaceShare(place="ml-sikasso-region")],
            active_in=[2024],
        )
        assert [p.share for p in record.funders] == [Fraction(1, 2), Fraction(1, 2)]
        assert [p.organisation for p in record.implementers] == ["luxdev"]
        assert record.amounts == ()
        assert record.active_in == (2024,)
        assert isinstance(record.participants, tuple)

    def test_shares_must_sum_to_one(self) -> None:
        with pytest.raises(DataError, match="sum to 5/6") as caught:
            engagement(
                participants=[
                    Participant(organisation="LU", role="funding", share="1/2"),
                    Participant(organisation="CH", role="funding", share="1/3"),
                ]
            )
        assert caught.value.field == "participants"

    def test_shares_for_all_funders_or_none(self) -> None:
        with pytest.raises(DataError, match="every funding participant"):
            engagement(
                participants=[
                    Participant(organisation="LU", role="funding", share="1"),
                    Participant(organisation="CH", role="funding"),
                ]
            )

    def test_only_funders_have_shares(self) -> None:
        with pytest.raises(DataError, match="only a funding"):
            Participant(organisation="luxdev", role="implementing", share="1")

    @pytest.mark.parametrize("share", ["0", "3/2", "-1/2", "x", 0.5])
    def test_a_share_lies_in_zero_to_one(self, share: object) -> None:
        with pytest.raises(DataError):
            Participant(organisation="LU", role="funding", share=share)  # type: ignore[arg-type]

    def test_an_unknown_funder_is_allowed(self) -> None:
        record = engagement(
            participants=[Participant(organisation="fcm", role="implementing")]
        )
        assert record.funders == ()

    def test_a_record_cannot_be_its_own_part_or_predecessor(self) -> None:
        with pytest.raises(DataError, match="part of itself"):
            engagement(part_of="lu-agropastoral-ii")
        with pytest.raises(DataError, match="follow itself"):
            engagement(follows="lu-agropastoral-ii")

    @pytest.mark.parametrize("record_id", ["", " ", "has space", "-lead", 5])
    def test_ids_must_be_slugs(self, record_id: object) -> None:
        with pytest.raises(DataError, match="id"):
            engagement(id=record_id)

    def test_percentages_above_100_are_refused(self) -> None:
        with pytest.raises(DataError, match="at most 100"):
            SectorShare(sector="rural", percentage="100.5")
        with pytest.raises(DataError, match="over 100"):
            engagement(
                sectors=[
                    SectorShare(sector="a", percentage="60"),
                    SectorShare(sector="b", percentage="50"),
                ]
            )

    def test_percentages_for_all_or_none(self) -> None:
        with pytest.raises(DataError, match="every entry or for none"):
            engagement(
                places=[PlaceShare(place="a", percentage="60"), PlaceShare(place="b")]
            )

    def test_the_same_sector_twice_is_refused(self) -> None:
        with pytest.raises(DataError, match="twice"):
            engagement(sectors=[SectorShare(sector="a"), SectorShare(sector="a")])

    def test_the_same_participant_in_the_same_role_twice_is_refused(self) -> None:
        with pytest.raises(DataError, match="twice"):
            engagement(
                participants=[
                    Participant(organisation="LU", role="funding"),
                    Participant(organisation="LU", role="funding"),
                ]
            )

    def test_active_years_are_increasing_years(self) -> None:
        with pytest.raises(DataError, match="increasing"):
            engagement(active_in=[2024, 2023])
        with pytest.raises(DataError, match="not a year"):
            engagement(active_in=["2024"])

    def test_extension_keeps_both_periods(self) -> None:
        record = engagement(
            period=Period.parse("2009/2014"), original_period=Period.parse("2009/2012")
        )
        assert record.period is not None
        assert record.original_period is not None
        assert record.period.contains(record.original_period)

    def test_is_frozen(self) -> None:
        record = engagement()
        with pytest.raises(AttributeError):
            record.title = "x"  # type: ignore[misc]

    def test_a_string_is_not_a_sequence_of_citations(self) -> None:
        with pytest.raises(DataError, match="sequence"):
            engagement(citations="be-dgd-mali")

    def test_wrong_record_types_are_refused(self) -> None:
        with pytest.raises(DataError, match="Citation"):
            engagement(citations=[{"source": "x", "paragraph": 1}])


class TestAmount:
    def test_holds_money_with_what_the_source_says(self) -> None:
        amount = Amount(
            money=Money("2600000", "EUR"),
            kind="contribution",
            qualifier="at-least",
            period=Period.parse("2015"),
        )
        assert amount.kind is AmountKind.CONTRIBUTION
        assert amount.qualifier is Qualifier.AT_LEAST
        assert amount.kind.is_spent
        assert not amount.kind.is_planned

    def test_refuses_an_unknown_kind(self) -> None:
        with pytest.raises(ValueError, match="gift"):
            Amount(money=Money("1", "EUR"), kind="gift")

    def test_money_must_be_money(self) -> None:
        with pytest.raises(DataError, match="Money"):
            Amount(money="1 EUR", kind="budget")  # type: ignore[arg-type]


class TestOtherRecords:
    def test_citation_needs_a_paragraph_or_a_locator(self) -> None:
        with pytest.raises(DataError, match="either"):
            Citation(source="be-dgd-mali")
        with pytest.raises(DataError, match="either"):
            Citation(source="x", paragraph=1, locator="a")
        assert Citation(source="iati", locator="XM-1/budget[1]").paragraph is None

    @pytest.mark.parametrize("paragraph", [0, -1, True, "3"])
    def test_a_paragraph_counts_from_one(self, paragraph: object) -> None:
        with pytest.raises(DataError, match="at least 1"):
            Citation(source="be-dgd-mali", paragraph=paragraph)  # type: ignore[arg-type]

    def test_organisation_names_and_parent(self) -> None:
        wfp = Organisation(
            id="wfp",
            name="World Food Programme",
            kind="multilateral",
            aliases=["WFP", "PAM"],
        )
        assert wfp.names == ("World Food Programme", "WFP", "PAM")
        with pytest.raises(DataError, match="own parent"):
            Organisation(id="BE", name="Belgium", kind="state", parent="BE")
        with pytest.raises(DataError, match="alpha-2"):
            Organisation(id="x", name="X", kind="state", country="BEL")
        with pytest.raises(DataError, match="twice"):
            Organisation(id="x", name="X", kind="ngo", aliases=["A", "A"])

    def test_place_codes_and_parent(self) -> None:
        region = Place(
            id="ml-sikasso",
            name="Sikasso",
            level="region",
            parent="ML",
            iso_code="ML-3",
        )
        assert region.iso_code == "ML-3"
        with pytest.raises(DataError, match="ISO 3166"):
            Place(id="x", name="X", level="region", iso_code="Mali-3")
        with pytest.raises(DataError, match="in itself"):
            Place(id="x", name="X", level="region", parent="x")
        with pytest.raises(ValueError, match="village"):
            Place(id="x", name="X", level="village")

    def test_sector_dac_codes(self) -> None:
        assert Sector(id="x", name="Agriculture", dac_code="311").dac_code == "311"
        with pytest.raises(DataError, match="DAC"):
            Sector(id="x", name="X", dac_code="3111")

    def test_source_paragraphs(self) -> None:
        with pytest.raises(DataError, match="at least 1"):
            Source(id="s", title="t", publisher="p", language="en", paragraphs=0)

    def test_count_and_its_quantity(self) -> None:
        soldiers = Count(
            value="20",
            unit="person",
            qualifier="about",
            date=Period.parse("2018-02-08"),
        )
        assert soldiers.value == Decimal(20)
        assert soldiers.qualifier is Qualifier.ABOUT
        quantity = soldiers.quantity
        assert quantity.magnitude == Decimal(20)
        assert str(quantity.units) == "person"
        with pytest.raises(DataError, match="unit"):
            Count(value="2", unit="Helicopters!")
        with pytest.raises(DataError, match="float"):
            Count(value=2.0, unit="helicopter")  # type: ignore[arg-type]

    def test_counts_of_different_units_do_not_add(self) -> None:
        import pint

        helicopters = Count(value="2", unit="helicopter").quantity
        crew = Count(value="50", unit="person").quantity
        with pytest.raises(pint.DimensionalityError):
            helicopters + crew

    def test_indicator_rank(self) -> None:
        rank = Indicator(
            id="hdi-rank",
            name="HDI rank",
            value="186",
            out_of="191",
            unit="rank",
            place="ML",
        )
        assert (rank.value, rank.out_of) == (Decimal(186), Decimal(191))

    def test_role_codes_follow_iati(self) -> None:
        assert [role.iati_code for role in Role] == [1, 2, 3, 4]
