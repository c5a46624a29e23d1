"""Totals, overlaps and comparisons on the bundled data, checked against the texts.

Expected figures are typed from the sources (EUR 42 million for 2023-2024,
EUR 50.5 million over 2009-2014, ...), never computed by the code under test.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

import mali_aid
from mali_aid import (
    Dataset,
    Money,
    Qualifier,
    Rates,
    compare_donors,
    find_overlaps,
    totals,
)


@pytest.fixture(scope="module")
def data() -> Dataset:
    return mali_aid.load()


class TestTotals:
    def test_luxembourg_2023_2024_is_the_envelope_not_envelope_plus_parts(
        self, data: Dataset
    ) -> None:
        luxembourg = data.select(donor="LU")
        result = totals(luxembourg, by=("donor", "year"), currency="EUR", data=data)
        assert result[("LU", 2023)].best + result[("LU", 2024)].best == Money(  # type: ignore[operator]
            "42000000.00", "EUR"
        )

    def test_the_humanitarian_parts_count_under_their_own_channel(
        self, data: Dataset
    ) -> None:
        records = [
            data.engagement(i)
            for i in ("lu-envelope-2023-2024", "lu-humanitarian-2024", "lu-floods-2024")
        ]
        result = totals(records, by="channel", currency="EUR", data=data)
        assert result.best("humanitarian") == Money("4250000.00", "EUR")
        assert result.total.best == Money("42000000.00", "EUR")

    def test_belgium_spread_over_2009_2014_sums_to_the_budget(
        self, data: Dataset
    ) -> None:
        result = totals(
            [data.engagement("be-icp-2009-2014")], by="year", currency="EUR", data=data
        )
        assert list(result) == [2009, 2010, 2011, 2012, 2013, 2014]
        assert sum(result.figures().values()) == Money("50500000.00", "EUR")

    def test_a_total_in_usd_uses_each_years_rate(self, data: Dataset) -> None:
        rates = Rates(
            annual={"USD": {year: Decimal(year - 2008) for year in range(2009, 2015)}},
            origin="one dollar more per euro each year, to see the years apart",
        )
        result = totals(
            [data.engagement("be-icp-2009-2014")],
            by="year",
            currency="USD",
            data=data,
            rates=rates,
        )
        # 50,500,000 x 365/2191 = 8,412,825.1939... euros in 2009, at 1 dollar,
        # and as many in 2014 at 6 dollars: each year at its own rate, within
        # the one cent that keeping the sum may move a figure.
        slice_2009 = Fraction(50_500_000 * 365, 2191)
        figures = result.figures()
        assert abs(Fraction(figures[2009].amount) - slice_2009) < Fraction(1, 100)  # type: ignore[union-attr]
        assert abs(Fraction(figures[2014].amount) - 6 * slice_2009) < Fraction(1, 100)  # type: ignore[union-attr]
        assert figures[2012] > figures[2011]  # type: ignore[operator]  # 366 days at 4 dollars vs 365 at 3

    def test_more_than_2_6_million_makes_luxembourg_at_least(
        self, data: Dataset
    ) -> None:
        result = totals(data.select(donor="LU"), by="donor", currency="EUR", data=data)
        assert result["LU"].qualifier is Qualifier.AT_LEAST
        # 55 M (ICP III) + 42 M (2023-2024) + more than 2.6 M (2015).
        assert result.best("LU") == Money("99600000.00", "EUR")

    def test_unknown_amounts_are_listed(self, data: Dataset) -> None:
        result = totals(data.engagements, by="donor", currency="EUR", data=data)
        for engagement in (
            "eutm-mali",
            "eucap-mali",
            "minusma",
            "fcm-mped-mali",
            "be-bffs-nara-nioro",
        ):
            assert engagement in result.unknown
        assert "lu-icp-iii" not in result.unknown

    def test_co_financing_halves_nothing_when_the_amount_is_unknown(
        self, data: Dataset
    ) -> None:
        result = totals(
            [data.engagement("lu-agropastoral-ii")],
            by="donor",
            currency="EUR",
            data=data,
        )
        assert result.unknown == ("lu-agropastoral-ii",)
        assert all(cell.best is None for cell in result.values())
        assert data.funding_shares("lu-agropastoral-ii") == (
            ("LU", Fraction(1, 2)),
            ("CH", Fraction(1, 2)),
        )


class TestOverlaps:
    def test_belgium_and_luxembourg_meet_in_sikasso_by_place(
        self, data: Dataset
    ) -> None:
        records = [*data.select(donor="BE"), *data.select(donor="LU")]
        result = find_overlaps(records, data=data, on=("place",))
        pair = result.between_ids("be-sikasso-solid-waste", "lu-agropastoral-ii")
        assert pair is not None
        assert pair.places == ("ml-sikasso-city",)

    def test_they_meet_in_decentralisation_by_sector(self, data: Dataset) -> None:
        # Belgium's first priority sector is "rural development and food
        # security", one sector (be-dgd-mali 5); ICP III targets rural
        # development, training and decentralisation (lu-mfa-mali-2016 4).
        records = [*data.select(donor="BE"), *data.select(donor="LU")]
        result = find_overlaps(records, data=data, on=("sector",))
        pair = result.between_ids("be-icp-2009-2014", "lu-icp-iii")
        assert pair is not None
        assert pair.sectors == ("decentralisation",)

    def test_the_belgian_programme_and_icp_iii_do_not_meet_in_time(
        self, data: Dataset
    ) -> None:
        records = [data.engagement("be-icp-2009-2014"), data.engagement("lu-icp-iii")]
        assert len(find_overlaps(records, data=data)) == 0
        assert len(find_overlaps(records, data=data, on=("place", "sector"))) == 1

    def test_fcm_work_in_sikasso_and_kadiolo_lies_in_the_sikasso_region(
        self, data: Dataset
    ) -> None:
        for engagement in ("fcm-mped-sikasso-led-service", "fcm-mped-kadiolo-market"):
            places = [share.place for share in data.engagement(engagement).places]
            assert all(data.lies_in(place, "ml-sikasso-region") for place in places)
        in_region = {e.id for e in data.select(place="ml-sikasso-region")}
        assert {"fcm-mped-sikasso-led-service", "fcm-mped-kadiolo-market"} <= in_region

    def test_belgian_and_luxembourg_contributions_to_eutm_meet(
        self, data: Dataset
    ) -> None:
        records = [
            data.engagement("be-eutm-command-2016-2018"),
            data.engagement("lu-army-eutm"),
        ]
        result = find_overlaps(records, data=data)
        assert len(result) == 1
        pair = result[0]
        assert pair.places == ("ML",)
        assert pair.sectors == ("security",)
        # Belgium's command from March 2016; Luxembourg seen there in 2016.
        assert pair.period == mali_aid.Period.parse("2016-03-01/2016-12-31")
        assert pair.time_basis == ("period", "active_in")

    def test_a_part_does_not_overlap_its_mission(self, data: Dataset) -> None:
        records = [
            data.engagement("eutm-mali"),
            data.engagement("be-eutm-command-2016-2018"),
        ]
        assert len(find_overlaps(records, data=data, on=("place", "sector"))) == 0


class TestComparison:
    def test_belgium_and_luxembourg(self, data: Dataset) -> None:
        comparison = compare_donors(data, "BE", "LU")
        assert comparison.a.known_total == Money("50500000.00", "EUR")
        assert comparison.b.known_total == Money("99600000.00", "EUR")
        assert comparison.b.qualifier is Qualifier.AT_LEAST
        assert "ml-sikasso-region" in comparison.shared_regions
        assert {
            "rural-development",
            "decentralisation",
            "food-security",
        } <= comparison.shared_sectors
        assert "gender" in comparison.a.themes
        assert "luxdev" in comparison.b.implementers
        assert "eutm-mali" not in comparison.a.engagements
        assert 0 < comparison.similarity < 1
        pairs = {(o.first, o.second) for o in comparison.overlaps}
        assert ("be-eutm-command-2016-2018", "lu-army-eutm") in pairs

    def test_belgium_with_itself(self, data: Dataset) -> None:
        comparison = compare_donors(data, "BE", "BE")
        assert comparison.similarity == 1
        assert comparison.a == comparison.b

    def test_renders_side_by_side(self, data: Dataset) -> None:
        text = str(compare_donors(data, "BE", "LU"))
        assert "EUR 50,500,000.00" in text
        assert "at least EUR 99,600,000.00" in text
        as_dict = compare_donors(data, "BE", "LU").to_dict()
        assert as_dict["a"]["donor"] == "BE"
        assert as_dict["b"]["known_total"]["amount"] == "99600000.00"
        assert as_dict["b"]["known_total"]["qualifier"] == "at-least"
