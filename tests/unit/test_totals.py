"""Examples for totals(): every rule of an honest total, on small records."""

from __future__ import annotations

from decimal import Decimal

import pytest

from mali_aid import (
    AmountKind,
    Basis,
    DataError,
    Dataset,
    Engagement,
    Money,
    Participant,
    Period,
    PlaceShare,
    Qualifier,
    Rates,
    SectorShare,
    totals,
)
from worlds import WORLD, amount, funded

ENVELOPE = funded(
    "envelope",
    kind="envelope",
    period=Period.parse("2023/2024"),
    amounts=[amount("42000000 EUR", "envelope")],
    channel="mixed",
)
HUMANITARIAN = funded(
    "humanitarian-2024",
    kind="contribution",
    period=Period.parse("2024"),
    amounts=[amount("4000000 EUR", "contribution")],
    part_of="envelope",
    channel="humanitarian",
)
FLOODS = funded(
    "floods-2024",
    kind="contribution",
    period=Period.parse("2024"),
    amounts=[amount("250000 EUR", "contribution")],
    part_of="envelope",
    channel="humanitarian",
)


class TestPartsAndParents:
    def test_the_envelope_is_counted_once(self) -> None:
        result = totals(
            [ENVELOPE, HUMANITARIAN, FLOODS], by="donor", currency="EUR", data=WORLD
        )
        assert result.best("LU") == Money("42000000.00", "EUR")
        assert result.total.best == Money("42000000.00", "EUR")

    def test_parts_count_under_their_own_keys_and_the_rest_under_the_parent(
        self,
    ) -> None:
        result = totals(
            [FLOODS, ENVELOPE, HUMANITARIAN], by="channel", currency="EUR", data=WORLD
        )
        assert result.figures() == {
            "humanitarian": Money("4250000.00", "EUR"),
            "mixed": Money("37750000.00", "EUR"),
        }

    def test_a_part_without_its_parent_counts_whole(self) -> None:
        result = totals([HUMANITARIAN], by="donor", currency="EUR", data=WORLD)
        assert result.best("LU") == Money("4000000.00", "EUR")

    def test_an_unknown_parent_leaves_its_parts_alone(self) -> None:
        unknown_envelope = funded("envelope", kind="envelope")
        result = totals(
            [unknown_envelope, HUMANITARIAN, FLOODS],
            by="donor",
            currency="EUR",
            data=WORLD,
        )
        assert result.best("LU") == Money("4250000.00", "EUR")
        assert result.unknown == ("envelope",)

    def test_a_grandchild_is_taken_from_the_nearest_counted_ancestor(self) -> None:
        middle = funded("middle", part_of="envelope", channel="bilateral")
        inner = funded(
            "inner",
            part_of="middle",
            amounts=[amount("1000000 EUR", "contribution")],
            channel="ngo",
            period=Period.parse("2024"),
        )
        result = totals(
            [ENVELOPE, middle, inner], by="channel", currency="EUR", data=WORLD
        )
        assert result.figures() == {
            "mixed": Money("41000000.00", "EUR"),
            "ngo": Money("1000000.00", "EUR"),
        }
        assert result.unknown == ("middle",)

    def test_by_year_the_remainder_spreads_as_the_container_does(self) -> None:
        result = totals(
            [ENVELOPE, HUMANITARIAN, FLOODS],
            by=("channel", "year"),
            currency="EUR",
            data=WORLD,
        )
        # What the parts leave, 37.75 million, over the envelope's 731 days:
        # 365 in 2023 (18,849,179.206...), 366 in 2024 (18,900,820.793...).
        assert result.best(("mixed", 2023)) == Money("18849179.21", "EUR")
        assert result.best(("mixed", 2024)) == Money("18900820.79", "EUR")
        assert result.best(("humanitarian", 2024)) == Money("4250000.00", "EUR")


class TestUnknownAndQualifiers:
    def test_unknown_amounts_are_listed_never_zero(self) -> None:
        eutm = funded("eutm", funders=("be-defence",), kind="deployment")
        result = totals([eutm, ENVELOPE], by="donor", currency="EUR", data=WORLD)
        assert result["BE"].best is None
        assert result["BE"].unknown == ("eutm",)
        assert result.unknown == ("eutm",)

    def test_at_least_makes_the_total_at_least(self) -> None:
        more_than = funded(
            "hum-2015",
            kind="contribution",
            period=Period.parse("2015"),
            amounts=[amount("2600000 EUR", "contribution", qualifier="at-least")],
        )
        result = totals([more_than, ENVELOPE], by="donor", currency="EUR", data=WORLD)
        assert result.best("LU") == Money("44600000.00", "EUR")
        assert result["LU"].qualifier is Qualifier.AT_LEAST
        assert result.total.qualifier is Qualifier.AT_LEAST

    def test_about_makes_the_total_about(self) -> None:
        about = funded(
            "about",
            amounts=[amount("10 EUR", qualifier="about")],
            period=Period.parse("2020"),
        )
        result = totals([about, ENVELOPE], by="donor", currency="EUR", data=WORLD)
        assert result["LU"].qualifier is Qualifier.ABOUT
        exact_only = totals([ENVELOPE], by="donor", currency="EUR", data=WORLD)
        assert exact_only["LU"].qualifier is Qualifier.EXACT

    def test_a_remainder_less_an_at_least_part_is_at_most(self) -> None:
        part = funded(
            "part",
            part_of="envelope",
            amounts=[amount("1 EUR", "contribution", qualifier="at-least")],
            period=Period.parse("2024"),
            channel="ngo",
        )
        result = totals([ENVELOPE, part], by="channel", currency="EUR", data=WORLD)
        assert result["mixed"].qualifier is Qualifier.AT_MOST
        assert result["ngo"].qualifier is Qualifier.AT_LEAST


class TestKinds:
    def test_planned_total_not_plus_spending(self) -> None:
        record = funded(
            "iati",
            period=Period.parse("2020/2021"),
            amounts=[
                amount("100 EUR", "budget", period=Period.parse("2020")),
                amount("200 EUR", "budget", period=Period.parse("2021")),
                amount("250 EUR", "disbursement", period=Period.parse("2020")),
                amount("1000 EUR", "pledge"),
            ],
        )
        default = totals([record], by="donor", currency="EUR", data=WORLD)
        assert default.best("LU") == Money("300.00", "EUR")
        assert default.kinds == frozenset({"budget"})
        spent = totals(
            [record], by="donor", currency="EUR", data=WORLD, kinds=["disbursement"]
        )
        assert spent.best("LU") == Money("250.00", "EUR")
        assert spent.kinds == frozenset({"disbursement"})

    def test_a_commitment_is_the_planned_total_over_budgets(self) -> None:
        record = funded(
            "iati",
            period=Period.parse("2020/2021"),
            amounts=[amount("100 EUR", "budget"), amount("500 EUR", "commitment")],
        )
        assert totals([record], by="donor", currency="EUR", data=WORLD).best(
            "LU"
        ) == Money("500.00", "EUR")

    def test_without_a_plan_a_total_counts_what_was_provided(self) -> None:
        # Rule 1 of docs/analysis.md: contributed or disbursed, and never the
        # implementer's expenditure of that money, which would count it twice.
        record = funded(
            "spent",
            period=Period.parse("2020"),
            amounts=[
                amount("40 EUR", "disbursement"),
                amount("35 EUR", "expenditure"),
            ],
        )
        result = totals([record], by="donor", currency="EUR", data=WORLD)
        assert result.best("LU") == Money("40.00", "EUR")
        assert result.kinds == frozenset({"disbursement"})

    def test_is_spent_names_the_kinds_a_total_falls_back_on(
        self, toy_world: Dataset
    ) -> None:
        spent = {kind.value for kind in AmountKind if kind.is_spent}
        planned = {kind.value for kind in AmountKind if kind.is_planned}
        assert spent == {"contribution", "disbursement"}
        assert planned == {"envelope", "budget", "commitment"}
        # Expenditure alone is counted by neither rule: nothing is known.
        record = funded(
            "only-expenditure",
            period=Period.parse("2020"),
            amounts=[amount("35 EUR", "expenditure")],
        )
        result = totals([record], by="donor", currency="EUR", data=toy_world)
        assert result.best("LU") is None
        assert result.kinds == frozenset()

    def test_by_kind(self) -> None:
        record = funded(
            "x",
            period=Period.parse("2020"),
            amounts=[amount("100 EUR", "budget"), amount("40 EUR", "disbursement")],
        )
        result = totals(
            [record],
            by="kind",
            currency="EUR",
            data=WORLD,
            kinds=["budget", "disbursement"],
        )
        assert result.figures() == {
            "budget": Money("100.00", "EUR"),
            "disbursement": Money("40.00", "EUR"),
        }


class TestShares:
    def test_co_financing_splits_exactly(self) -> None:
        record = funded(
            "agro",
            participants=[
                Participant(organisation="LU", role="funding", share="1/2"),
                Participant(organisation="CH", role="funding", share="1/2"),
            ],
            period=Period.parse("2024"),
            amounts=[amount("1000000.01 EUR")],
        )
        result = totals([record], by="donor", currency="EUR", data=WORLD)
        assert result.total.best == Money("1000000.01", "EUR")
        assert sorted(cell.best for cell in result.values()) == [  # type: ignore[type-var]
            Money("500000.00", "EUR"),
            Money("500000.01", "EUR"),
        ]

    def test_an_unknown_funder_is_its_own_key(self) -> None:
        record = funded(
            "mped", funders=(), period=Period.parse("2013"), amounts=[amount("10 EUR")]
        )
        result = totals([record], by="donor", currency="EUR", data=WORLD)
        assert result.figures() == {None: Money("10.00", "EUR")}

    def test_a_donor_is_the_root_of_its_funder(self) -> None:
        record = funded(
            "x",
            funders=("be-defence",),
            period=Period.parse("2013"),
            amounts=[amount("10 EUR")],
        )
        assert list(totals([record], by="donor", currency="EUR", data=WORLD)) == ["BE"]

    def test_sectors_without_percentages_split_evenly_or_whole(self) -> None:
        record = funded(
            "x",
            period=Period.parse("2013"),
            amounts=[amount("100 EUR")],
            sectors=[
                SectorShare(sector="a"),
                SectorShare(sector="b"),
                SectorShare(sector="c"),
            ],
        )
        even = totals([record], by="sector", currency="EUR", data=WORLD)
        assert even.figures() == {
            "a": Money("33.34", "EUR"),
            "b": Money("33.33", "EUR"),
            "c": Money("33.33", "EUR"),
        }
        assert even.additive
        whole = totals([record], by="sector", currency="EUR", data=WORLD, split="whole")
        assert set(whole.figures().values()) == {Money("100.00", "EUR")}
        assert not whole.additive

    def test_percentages_apply_and_the_rest_is_unknown(self) -> None:
        record = funded(
            "x",
            period=Period.parse("2013"),
            amounts=[amount("100 EUR")],
            sectors=[
                SectorShare(sector="a", percentage="60"),
                SectorShare(sector="b", percentage="30"),
            ],
        )
        assert totals([record], by="sector", currency="EUR", data=WORLD).figures() == {
            "a": Money("60.00", "EUR"),
            "b": Money("30.00", "EUR"),
            None: Money("10.00", "EUR"),
        }

    def test_places_roll_up_to_a_level(self) -> None:
        record = funded(
            "icp",
            period=Period.parse("2015/2019"),
            amounts=[amount("55000000 EUR", "envelope")],
            places=[PlaceShare(place="yorosso"), PlaceShare(place="segou-region")],
        )
        by_region = totals(
            [record], by="place", level="region", currency="EUR", data=WORLD
        )
        assert by_region.figures() == {
            "segou-region": Money("27500000.00", "EUR"),
            "sikasso-region": Money("27500000.00", "EUR"),
        }
        as_given = totals([record], by="place", currency="EUR", data=WORLD)
        assert set(as_given) == {"yorosso", "segou-region"}

    def test_a_function_as_dimension(self) -> None:
        def decade(record: Engagement) -> str:
            assert record.period is not None and record.period.start is not None
            return f"{record.period.start.year // 10 * 10}s"

        result = totals([ENVELOPE], by=decade, currency="EUR", data=WORLD)
        assert result.by == ("decade",)
        assert result.figures() == {"2020s": Money("42000000.00", "EUR")}


class TestSpreadingAndConversion:
    BELGIUM = funded(
        "be-programme",
        funders=("BE",),
        period=Period.parse("2009/2014"),
        amounts=[amount("50500000 EUR")],
    )

    def test_a_multi_year_budget_spreads_to_the_cent(self) -> None:
        result = totals([self.BELGIUM], by="year", currency="EUR", data=WORLD)
        assert list(result) == [2009, 2010, 2011, 2012, 2013, 2014]
        assert sum(result.figures().values()) == Money("50500000.00", "EUR")
        # 2012 has 366 of the 2191 days: 8,435,874.0301...; the other years
        # 8,412,825.1939..., and the two cents left over go to the first two.
        assert result.best(2012) == Money("8435874.03", "EUR")
        assert result.best(2009) == result.best(2010) == Money("8412825.20", "EUR")
        assert result.best(2011) == Money("8412825.19", "EUR")

    def test_each_year_is_converted_at_its_own_rate(self) -> None:
        rates = Rates(annual={"USD": {2023: Decimal("1.5"), 2024: Decimal("2")}})
        result = totals([ENVELOPE], by="year", currency="USD", data=WORLD, rates=rates)
        # 42,000,000 x 365/731 x 1.5 = 31,456,908.3447... and
        # 42,000,000 x 366/731 x 2 = 42,057,455.5403...; they sum to
        # 73,514,363.885..., so the larger remainder takes the extra cent.
        assert result.best(2023) == Money("31456908.35", "USD")
        assert result.best(2024) == Money("42057455.54", "USD")
        assert result.total.best == Money("73514363.89", "USD")
        assert result[2023].basis == {
            Basis.STATED,
            Basis.SPREAD_BY_DAYS,
            Basis.CONVERTED_ANNUAL_MEAN,
        }
        assert {conversion.when for conversion in result.conversions} == {2023, 2024}

    def test_a_value_date_sets_the_rate(self) -> None:
        from datetime import date

        rates = Rates(
            daily={"USD": {date(2020, 3, 2): Decimal("1.25")}},
            annual={"USD": {2020: Decimal("9")}},
        )
        record = funded(
            "x",
            period=Period.parse("2020"),
            amounts=[amount("100 EUR", "disbursement", value_date=date(2020, 3, 2))],
        )
        result = totals([record], by="donor", currency="USD", data=WORLD, rates=rates)
        assert result.best("LU") == Money("125.00", "USD")

    def test_without_a_rate_the_engagement_is_named_not_dropped(self) -> None:
        rates = Rates(annual={"USD": {2023: Decimal("1.5")}})
        result = totals(
            [ENVELOPE, self.BELGIUM],
            by="donor",
            currency="USD",
            data=WORLD,
            rates=rates,
        )
        assert result.unconverted == ("envelope", "be-programme")
        # Money with no rate leaves its cells open: unknown, never zero.
        assert all(cell.best is None and cell.high is None for cell in result.values())

    def test_xof_totals_have_no_decimals(self) -> None:
        result = totals([self.BELGIUM], by="donor", currency="XOF", data=WORLD)
        assert result.best("BE") == Money("33125828500", "XOF")
        assert result["BE"].low.amount.as_tuple().exponent == 0


class TestTheTotalsObjectReadsPrintsAndExports:
    def test_renders_a_table(self) -> None:
        eutm = funded("eutm", funders=("be-defence",), kind="deployment")
        text = str(totals([ENVELOPE, eutm], by="donor", currency="EUR", data=WORLD))
        assert "LU" in text
        assert "42,000,000.00" in text
        assert "amount unknown (no upper bound): eutm" in text

    def test_records_for_export(self) -> None:
        result = totals([ENVELOPE], by=("donor", "year"), currency="EUR", data=WORLD)
        assert result.to_dict()["rows"][0] == {
            "donor": "LU",
            "year": 2023,
            "amount": "20971272.23",
            "currency": "EUR",
            "low": "20971272.23",
            "high": "20971272.23",
            "qualifier": "exact",
            "basis": ["spread-by-days", "stated"],
            "unknown": [],
            "unconverted": [],
        }

    def test_refuses_unknown_dimensions_and_currencies(self) -> None:
        with pytest.raises(DataError, match="cannot group by"):
            totals([ENVELOPE], by="colour", currency="EUR", data=WORLD)
        with pytest.raises(DataError, match="currency"):
            totals([ENVELOPE], by="donor", currency="XYZ", data=WORLD)
        with pytest.raises(DataError, match="twice"):
            totals([ENVELOPE, ENVELOPE], by="donor", currency="EUR", data=WORLD)

    def test_in_years_keeps_only_those_slices(self) -> None:
        aid = funded(
            "aid-2023",
            funders=("CH",),
            period=Period.parse("2023"),
            amounts=[amount("1000 EUR", "contribution", qualifier="at-least")],
        )
        result = totals(
            [ENVELOPE, aid], by=("donor", "year"), currency="EUR", data=WORLD
        )
        only_2024 = result.in_years([2024])
        # 42,000,000 x 366 / 731 days of 2023-2024.
        assert only_2024.figures() == {("LU", 2024): Money("21028727.77", "EUR")}
        assert only_2024.total.best == Money("21028727.77", "EUR")
        assert only_2024.total.qualifier is Qualifier.EXACT
        assert only_2024.years == (2024,)
        assert "only the slices of amounts that fall in 2024" in str(only_2024)
        only_2023 = result.in_years([2023])
        assert only_2023.total.best == Money("20972272.23", "EUR")
        assert only_2023.total.qualifier is Qualifier.AT_LEAST
        assert result.years is None

    def test_in_years_needs_years(self) -> None:
        result = totals([ENVELOPE], by="donor", currency="EUR", data=WORLD)
        with pytest.raises(DataError, match="grouped by year"):
            result.in_years([2024])
