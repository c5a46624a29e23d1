"""Totals that say how they know: unknowns, bounds, basis, parts and scope.

Each test names the rule it protects; the expected figures are worked out by
hand from the records, never read back from the code under test.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from pathlib import Path

import pytest

import mali_aid
from mali_aid import (
    Amount,
    Basis,
    DataError,
    Dataset,
    Engagement,
    Inference,
    Money,
    Participant,
    Period,
    Place,
    PlaceShare,
    Qualifier,
    SectorShare,
    load,
    totals,
)
from worlds import WORLD, eur, funded, world


def euros(text: str) -> Money:
    return Money(text, "EUR")


class TestUnknownIsNeverZero:
    def test_a_donor_with_nothing_known_is_unknown_not_zero(self) -> None:
        data = world(funded("ch-only", funder="CH"))
        cell = totals(data.engagements, by="donor", currency="EUR", data=data)["CH"]
        assert cell.best is None
        assert cell.is_unknown and cell.qualifier is None
        assert cell.high is None
        assert cell.unknown == ("ch-only",)
        assert str(cell) == "unknown"
        assert cell.to_dict()["amount"] is None

    def test_an_empty_selection_says_nothing_matched(self) -> None:
        data = world(funded("a", eur("100"), period=Period.parse("2020")))
        result = totals(data.select(year=1800), by="donor", currency="EUR", data=data)
        assert len(result) == 0
        assert result.total.best is None
        assert str(result) == "nothing matched: no engagement to total"

    def test_an_unknown_member_leaves_the_total_open_above(self) -> None:
        data = world(funded("known", eur("100")), funded("unknown"))
        cell = totals(data.engagements, by="donor", currency="EUR", data=data)["LU"]
        assert cell.best == euros("100.00")
        assert cell.low == euros("100.00")
        assert cell.high is None
        assert cell.qualifier is Qualifier.AT_LEAST
        assert cell.unknown == ("unknown",)

    def test_an_unknown_part_inside_a_counted_container_leaves_it_closed(self) -> None:
        data = world(
            funded("envelope", eur("100", "envelope"), kind="envelope"),
            funded("part", kind="contribution", part_of="envelope"),
        )
        result = totals(data.engagements, by="donor", currency="EUR", data=data)
        assert result["LU"].qualifier is Qualifier.EXACT
        assert result["LU"].best == euros("100.00")
        assert result.unknown == ("part",)
        assert result.total.unknown == ()


class TestBounds:
    def test_about_lies_within_ten_per_cent_by_default(self) -> None:
        data = world(funded("a", eur("100", qualifier="about")))
        cell = totals(data.engagements, by="donor", currency="EUR", data=data)["LU"]
        assert (cell.low, cell.best, cell.high) == (
            euros("90.00"),
            euros("100.00"),
            euros("110.00"),
        )
        assert cell.qualifier is Qualifier.ABOUT

    def test_the_tolerance_can_be_set(self) -> None:
        data = world(funded("a", eur("100", qualifier="about")))
        cell = totals(
            data.engagements, by="donor", currency="EUR", data=data, tolerance="0.25"
        )["LU"]
        assert (cell.low, cell.high) == (euros("75.00"), euros("125.00"))

    def test_at_most_is_bounded_by_zero_and_the_figure(self) -> None:
        data = world(funded("a", eur("100", qualifier="at-most")))
        cell = totals(data.engagements, by="donor", currency="EUR", data=data)["LU"]
        assert (cell.low, cell.high) == (euros("0.00"), euros("100.00"))
        assert cell.qualifier is Qualifier.AT_MOST

    def test_a_tolerance_of_one_or_more_is_refused(self) -> None:
        data = world(funded("a", eur("100")))
        with pytest.raises(DataError, match="tolerance"):
            totals(data.engagements, by="donor", currency="EUR", data=data, tolerance=1)


class TestBasis:
    def test_a_stated_amount_is_stated(self) -> None:
        data = world(funded("a", eur("100"), period=Period.parse("2020/2021")))
        cell = totals(data.engagements, by="donor", currency="EUR", data=data)["LU"]
        assert cell.basis == {Basis.STATED}
        assert not cell.is_estimate

    def test_a_year_of_a_multi_year_amount_is_an_estimate(self) -> None:
        # 2020 is a leap year: 366 of 731 days.
        data = world(funded("a", eur("731"), period=Period.parse("2020/2021")))
        result = totals(data.engagements, by="year", currency="EUR", data=data)
        assert result[2020].best == euros("366.00")
        assert Basis.SPREAD_BY_DAYS in result[2020].basis
        assert result[2020].is_estimate
        assert str(result[2020]) == "EUR 366.00, an estimate"

    def test_an_even_split_between_sectors_is_an_estimate(self) -> None:
        data = world(
            funded(
                "a",
                eur("100"),
                sectors=[SectorShare(sector="health"), SectorShare(sector="water")],
            )
        )
        result = totals(data.engagements, by="sector", currency="EUR", data=data)
        assert result["health"].best == euros("50.00")
        assert Basis.SPLIT_EVENLY in result["health"].basis
        # By donor the split does not matter: the whole is stated.
        by_donor = totals(data.engagements, by="donor", currency="EUR", data=data)
        assert by_donor["LU"].basis == {Basis.STATED}

    def test_stated_percentages_are_not_an_estimate(self) -> None:
        data = world(
            funded(
                "a",
                eur("100"),
                sectors=[
                    SectorShare(sector="health", percentage=Decimal(30)),
                    SectorShare(sector="water", percentage=Decimal(70)),
                ],
            )
        )
        result = totals(data.engagements, by="sector", currency="EUR", data=data)
        assert result["water"].best == euros("70.00")
        assert result["water"].basis == {Basis.STATED, Basis.SPLIT_BY_PERCENTAGES}
        assert not result["water"].is_estimate

    def test_conversions_say_which_kind_of_rate(self) -> None:
        data = world(
            funded(
                "usd",
                Amount(money=Money("100", "USD"), kind="budget"),
                period=Period.parse("2020"),
            ),
            funded(
                "dated",
                Amount(
                    money=Money("100", "USD"),
                    kind="budget",
                    value_date=date(2020, 3, 2),
                ),
            ),
            funded(
                "xof",
                Amount(money=Money("655957", "XOF"), kind="budget"),
                period=Period.parse("2020"),
            ),
        )
        result = totals(data.engagements, by="engagement", currency="EUR", data=data)
        assert Basis.CONVERTED_ANNUAL_MEAN in result["usd"].basis
        assert Basis.CONVERTED_DAILY in result["dated"].basis
        assert result["xof"].basis == {Basis.STATED, Basis.CONVERTED_PEG}
        assert result["xof"].best == euros("1000.00")
        assert {c.source for c in result.conversions} == {"USD", "XOF"}


class TestPartsAndContainers:
    ENVELOPE = funded(
        "envelope",
        eur("42000000", "envelope"),
        kind="envelope",
        period=Period.parse("2023/2024"),
        channel="mixed",
    )
    PART = funded(
        "humanitarian",
        eur("4000000", "contribution"),
        kind="contribution",
        period=Period.parse("2024"),
        part_of="envelope",
        channel="humanitarian",
    )

    def test_the_container_keeps_its_remainder_under_its_own_kind(self) -> None:
        data = world(self.ENVELOPE, self.PART)
        result = totals(data.engagements, by="kind", currency="EUR", data=data)
        assert result["envelope"].best == euros("38000000.00")
        assert result["contribution"].best == euros("4000000.00")
        assert Basis.REMAINDER in result["envelope"].basis

    @pytest.mark.parametrize(
        "by", [("channel", "kind"), ("year", "kind"), ("channel",)]
    )
    def test_no_cell_is_negative_or_zero_for_a_part_in_another_group(
        self, by: tuple[str, ...]
    ) -> None:
        data = world(self.ENVELOPE, self.PART)
        result = totals(data.engagements, by=by, currency="EUR", data=data)
        assert all(
            cell.best is not None and cell.best.amount > 0 for cell in result.values()
        )
        assert result.total.best == euros("42000000.00")

    def test_parts_larger_than_their_container_are_refused(self) -> None:
        big = funded("big", eur("43000000", "contribution"), part_of="envelope")
        with pytest.raises(DataError, match=r"record 'envelope'.*'big' sum to"):
            world(self.ENVELOPE, big)

    def test_parts_in_another_currency_are_checked_when_totalled(self) -> None:
        dollars = Amount(money=Money("60000000", "USD"), kind="contribution")
        big = funded("big", dollars, part_of="envelope", period=Period.parse("2024"))
        data = world(self.ENVELOPE, big)  # not comparable without a rate
        with pytest.raises(DataError, match=r"'big' of 'envelope' sum to more"):
            totals(data.engagements, by="donor", currency="EUR", data=data)

    def test_an_inferred_part_shows_in_the_basis(self) -> None:
        inferred = Engagement(
            id="humanitarian",
            title="h",
            kind="contribution",
            participants=self.PART.participants,
            amounts=self.PART.amounts,
            part_of="envelope",
            inferred=[Inference(field="part_of", reason="by reading")],
        )
        data = world(self.ENVELOPE, inferred)
        result = totals(data.engagements, by="engagement", currency="EUR", data=data)
        assert Basis.INFERRED_PART in result["envelope"].basis
        assert Basis.INFERRED_PART in result["humanitarian"].basis


class TestOneQuestionOneAnswer:
    PROGRAMME = funded(
        "programme",
        eur("55000000"),
        period=Period.parse("2015/2019"),
        places=[PlaceShare(place="yorosso"), PlaceShare(place="segou-region")],
    )

    def test_selecting_a_place_counts_its_share_not_the_whole(self) -> None:
        data = world(self.PROGRAMME)
        selected = totals(
            data.select(place="sikasso-region"), by="donor", currency="EUR", data=data
        )
        grouped = totals(
            data.engagements, by="place", level="region", currency="EUR", data=data
        )
        assert selected["LU"].best == euros("27500000.00")
        assert grouped["sikasso-region"].best == euros("27500000.00")
        assert selected["LU"].basis == grouped["sikasso-region"].basis

    def test_whole_amounts_of_engagements_that_touch_a_place_are_asked_for(
        self,
    ) -> None:
        data = world(self.PROGRAMME)
        whole = totals(
            data.select(place="sikasso-region"),
            by="donor",
            currency="EUR",
            data=data,
            split="whole",
        )
        assert whole["LU"].best == euros("55000000.00")
        assert not whole.additive

    def test_a_tuple_of_the_selection_counts_whole_engagements(self) -> None:
        data = world(self.PROGRAMME)
        plain = totals(
            tuple(data.select(place="sikasso-region")),
            by="donor",
            currency="EUR",
            data=data,
        )
        assert plain["LU"].best == euros("55000000.00")


class TestScope:
    def partly(self, *places: PlaceShare) -> Dataset:
        return world(funded("regional", eur("1000"), places=places))

    def test_only_malis_stated_share_counts(self) -> None:
        data = self.partly(
            PlaceShare(place="ML", percentage=Decimal(40)),
            PlaceShare(place="BF", percentage=Decimal(60)),
        )
        by_donor = totals(data.engagements, by="donor", currency="EUR", data=data)
        assert by_donor["LU"].best == euros("400.00")
        assert Basis.SPLIT_BY_PERCENTAGES in by_donor["LU"].basis
        by_place = totals(data.engagements, by="place", currency="EUR", data=data)
        assert list(by_place) == ["ML"]  # nothing outside Mali, no unknown place

    def test_scope_all_counts_whole_engagements(self) -> None:
        data = self.partly(
            PlaceShare(place="ML", percentage=Decimal(40)),
            PlaceShare(place="BF", percentage=Decimal(60)),
        )
        result = totals(
            data.engagements, by="place", currency="EUR", data=data, scope="all"
        )
        assert result["BF"].best == euros("600.00")
        assert result.total.best == euros("1000.00")

    def test_mali_among_recipients_without_percentages_has_an_unknown_share(
        self,
    ) -> None:
        data = self.partly(PlaceShare(place="ML"), PlaceShare(place="BF"))
        cell = totals(data.engagements, by="donor", currency="EUR", data=data)["LU"]
        assert cell.best is None
        assert (cell.low, cell.high) == (euros("0.00"), euros("1000.00"))
        assert Basis.SHARE_UNKNOWN in cell.basis

    def test_a_region_containing_mali_gives_an_unknown_share(self) -> None:
        world_with_sahel = Dataset(
            organisations=WORLD.organisations,
            places=[
                Place(id="sahel", name="Sahel", level="area"),
                Place(id="ML", name="Mali", level="country", parent="sahel"),
            ],
            engagements=[
                funded("sahel-wide", eur("1000"), places=[PlaceShare(place="sahel")])
            ],
        )
        cell = totals(
            world_with_sahel.engagements,
            by="donor",
            currency="EUR",
            data=world_with_sahel,
        )["LU"]
        assert cell.best is None and cell.high == euros("1000.00")

    def test_an_engagement_wholly_outside_mali_is_named_and_not_counted(self) -> None:
        data = self.partly(PlaceShare(place="BF"))
        result = totals(data.engagements, by="donor", currency="EUR", data=data)
        assert len(result) == 0
        assert result.outside_scope == ("regional",)


class TestLargeFigures:
    def test_totals_beyond_28_digits_stay_exact(self) -> None:
        # Two amounts the loader accepts (below 10^30): their sum to the cent
        # needs 32 digits, more than the default decimal context holds.
        big = "9" * 29
        data = world(funded("a", eur(big)), funded("b", eur(big)))
        result = totals(data.engagements, by="donor", currency="EUR", data=data)
        assert result["LU"].best == euros("1" + "9" * 28 + "8.00")


def test_shares_are_exact_fractions() -> None:
    data = world(
        Engagement(
            id="co",
            title="co",
            kind="programme",
            participants=[
                Participant(organisation="LU", role="funding", share=Fraction(1, 3)),
                Participant(organisation="CH", role="funding", share=Fraction(2, 3)),
            ],
            amounts=[eur("100")],
        )
    )
    result = totals(data.engagements, by="donor", currency="EUR", data=data)
    assert (result["LU"].best, result["CH"].best) == (euros("33.33"), euros("66.67"))
    assert result.total.best == euros("100.00")


def test_the_loader_refuses_parts_larger_than_their_container(tmp_path: Path) -> None:
    (tmp_path / "organisations.toml").write_text(
        '[[organisations]]\nid = "LU"\nname = "Luxembourg"\nkind = "state"\n',
        encoding="utf-8",
    )
    (tmp_path / "engagements.toml").write_text(
        """
[[engagements]]
id = "envelope"
title = "Envelope"
kind = "envelope"
participants = [{ organisation = "LU", role = "funding" }]
amounts = [{ money = "42000000 EUR", kind = "envelope" }]

[[engagements]]
id = "aid"
title = "Aid"
kind = "contribution"
part_of = "envelope"
amounts = [{ money = "43000000 EUR", kind = "contribution" }]
""",
        encoding="utf-8",
    )
    with pytest.raises(DataError, match=r"record 'envelope'.*'aid' sum to 43,000,000"):
        load(tmp_path)


def test_the_command_line_says_nothing_matched(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mali_aid._cli import main

    assert main(["totals", "--data", str(tmp_path)]) == 0
    out, _ = capsys.readouterr()
    assert out == "nothing matched: no engagement to total\n"


class TestTheDefaultsOfTheCommandLine:
    def test_by_donor_in_euros_when_not_said(self) -> None:
        data = mali_aid.load()
        plain = mali_aid.totals(data.engagements, data=data)
        assert plain.by == ("donor",)
        assert plain.currency == "EUR"
        assert plain == mali_aid.totals(
            data.engagements, by="donor", currency="EUR", data=data
        )
        assert str(plain["BE"]) == "EUR 50,500,000.00, at least"

    def test_the_dataset_is_never_assumed(self) -> None:
        data = mali_aid.load()
        with pytest.raises(TypeError, match="data"):
            mali_aid.totals(data.engagements)  # type: ignore[call-arg]


class TestNamesBesideIds:
    def test_a_name_column_after_each_named_dimension(self) -> None:
        data = mali_aid.load()
        result = mali_aid.totals(data.engagements, by=("donor", "year"), data=data)
        text = result.to_text(names={"donor": {"BE": "Belgium", "LU": "Luxembourg"}})
        head, _rule, first = text.splitlines()[:3]
        assert head.split()[:3] == ["donor", "name", "year"]
        assert first.split()[:3] == ["BE", "Belgium", "2009"]
        assert "Luxembourg" in text
        # Without names, the table is the one str() gives.
        assert result.to_text() == str(result)

    def test_two_named_dimensions_say_whose_name(self) -> None:
        data = mali_aid.load()
        result = mali_aid.totals(data.engagements, by=("donor", "sector"), data=data)
        names = {"donor": {"BE": "Belgium"}, "sector": {"elections": "Elections"}}
        head = result.to_text(names=names).splitlines()[0].split()
        assert head[:6] == ["donor", "donor", "name", "sector", "sector", "name"]
