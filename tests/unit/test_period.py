"""Examples for Period: parsing, printing, measures and relations."""

from __future__ import annotations

from datetime import date
from fractions import Fraction

import pytest

from mali_aid import DataError, OpenPeriodError, Period, Precision


class TestParse:
    def test_span_of_years(self) -> None:
        period = Period.parse("2009/2014")
        assert period.start == date(2009, 1, 1)
        assert period.end == date(2014, 12, 31)
        assert period.start_precision is Precision.YEAR
        assert period.end_precision is Precision.YEAR
        assert not period.approximate

    def test_single_year_month_and_day(self) -> None:
        year = Period.parse("2013")
        assert (year.start, year.end) == (date(2013, 1, 1), date(2013, 12, 31))
        month = Period.parse("2013-02")
        assert (month.start, month.end) == (date(2013, 2, 1), date(2013, 2, 28))
        assert month.start_precision is Precision.MONTH
        leap = Period.parse("2024-02")
        assert leap.end == date(2024, 2, 29)
        day = Period.parse("2012-03-22")
        assert (day.start, day.end) == (date(2012, 3, 22), date(2012, 3, 22))
        assert day.end_precision is Precision.DAY

    def test_mixed_precisions(self) -> None:
        period = Period.parse("2016-03/2018-01")
        assert period.start == date(2016, 3, 1)
        assert period.end == date(2018, 1, 31)

    def test_unknown_start_or_end(self) -> None:
        period = Period.parse("../2024-06")
        assert period.start is None
        assert period.start_precision is None
        assert period.end == date(2024, 6, 30)
        open_end = Period.parse("2015/..")
        assert open_end.end is None
        assert open_end.start == date(2015, 1, 1)

    def test_approximate_and_length_only(self) -> None:
        period = Period.parse("P20Y~")
        assert period.start is None
        assert period.end is None
        assert period.approximate
        assert period.approximate_length == "P20Y"
        assert Period.parse("2013~").approximate

    @pytest.mark.parametrize(
        "text",
        [
            "2014/2009",
            "2013-13",
            "2013-02-30",
            "13",
            "2013/2014/2015",
            "..",
            "",
            "~",
            "2013-2",
            "20Y",
            "2013 2014",
            "２０１３",
        ],
    )
    def test_refuses_what_is_not_a_period(self, text: str) -> None:
        with pytest.raises(DataError):
            Period.parse(text)

    def test_an_end_before_the_start_is_refused(self) -> None:
        with pytest.raises(DataError, match="before it starts"):
            Period.parse("2012-03/2012-02")


class TestConstruction:
    def test_a_start_must_fall_on_the_start_of_its_unit(self) -> None:
        with pytest.raises(DataError, match="start"):
            Period(start=date(2013, 2, 5), start_precision=Precision.MONTH)

    def test_an_end_must_fall_on_the_end_of_its_unit(self) -> None:
        with pytest.raises(DataError, match="end"):
            Period(end=date(2013, 12, 30), end_precision=Precision.YEAR)

    def test_known_dates_default_to_day_precision(self) -> None:
        period = Period(start=date(2013, 2, 5), end=date(2013, 2, 6))
        assert period.start_precision is Precision.DAY
        assert str(period) == "2013-02-05/2013-02-06"

    def test_an_unknown_end_has_no_precision(self) -> None:
        with pytest.raises(DataError):
            Period(end=None, end_precision=Precision.DAY, start=date(2013, 1, 1))

    def test_a_datetime_is_not_a_date(self) -> None:
        from datetime import datetime

        with pytest.raises(DataError):
            Period(start=datetime(2013, 1, 1))

    def test_length_must_be_an_iso_duration(self) -> None:
        with pytest.raises(DataError):
            Period(approximate_length="20 years")


class TestText:
    @pytest.mark.parametrize(
        "text",
        [
            "2009/2014",
            "2013",
            "2013-02",
            "2012-03-22",
            "2016-03/2018-01",
            "../2024-06",
            "2015/..",
            "2013-02~",
            "P20Y~",
            "../2017 P20Y~",
            "2009-01/2009-01-31",
        ],
    )
    def test_str_round_trips_through_parse(self, text: str) -> None:
        assert str(Period.parse(text)) == text
        assert Period.parse(str(Period.parse(text))) == Period.parse(text)

    def test_repr_is_readable(self) -> None:
        assert repr(Period.parse("2009/2014")) == "Period.parse('2009/2014')"

    def test_same_day_different_precisions_are_not_collapsed(self) -> None:
        # A year given as 2013 and the days 2013-01-01/2013-12-31 are two readings.
        assert str(Period.parse("2013-01-01/2013-12-31")) == "2013-01-01/2013-12-31"
        assert Period.parse("2013-01-01/2013-12-31") != Period.parse("2013")


class TestMeasures:
    def test_days_include_both_ends(self) -> None:
        assert Period.parse("2012-03-22").days == 1
        assert Period.parse("2024").days == 366
        assert Period.parse("2009/2014").days == 2191
        assert Period.parse("../2024-06").days is None

    def test_years(self) -> None:
        assert Period.parse("2009/2014").years == (2009, 2010, 2011, 2012, 2013, 2014)
        assert Period.parse("2016-03/2018-01").years == (2016, 2017, 2018)
        assert Period.parse("2015/..").years is None

    def test_split_by_year_gives_exact_day_shares(self) -> None:
        assert Period.parse("2023/2024").split_by_year() == {
            2023: Fraction(365, 731),
            2024: Fraction(366, 731),
        }
        assert Period.parse("2016-12-01/2017-01-31").split_by_year() == {
            2016: Fraction(1, 2),
            2017: Fraction(1, 2),
        }
        assert Period.parse("2013-02").split_by_year() == {2013: Fraction(1)}

    def test_an_open_period_cannot_be_split(self) -> None:
        with pytest.raises(OpenPeriodError, match="unknown end"):
            Period.parse("../2024-06").split_by_year()
        with pytest.raises(OpenPeriodError):
            Period.parse("P20Y~").year_days()

    def test_year_days(self) -> None:
        assert Period.parse("2016-12-01/2017-01-31").year_days() == {2016: 31, 2017: 31}


class TestRelations:
    def test_overlaps(self) -> None:
        belgium = Period.parse("2009/2014")
        icp_iii = Period.parse("2015/2019")
        assert not belgium.overlaps(icp_iii)
        assert belgium.overlaps(Period.parse("2014-12-31"))
        assert belgium.overlaps(Period.parse("2000/2009-01-01"))

    def test_an_unknown_start_counts_only_the_end_unit(self) -> None:
        undp = Period.parse("../2024-06")
        assert undp.certain_span() == (date(2024, 6, 1), date(2024, 6, 30))
        assert undp.overlaps(Period.parse("2024"))
        assert not undp.overlaps(Period.parse("2023"))
        assert Period.parse("P20Y~").certain_span() is None
        assert not Period.parse("P20Y~").overlaps(Period.parse("2013"))

    def test_intersection(self) -> None:
        shared = Period.parse("2009/2014").intersection(Period.parse("2013-02/2018-01"))
        assert shared == Period.parse("2013-02/2014")
        assert Period.parse("2009/2012").intersection(Period.parse("2015/2019")) is None

    def test_intersection_on_the_same_day_keeps_the_coarser_precision(self) -> None:
        a = Period.parse("2013")
        b = Period.parse("2013-01-01/2013-12-31")
        assert a.intersection(b) == b.intersection(a) == Period.parse("2013")
        c = Period.parse("2013/2014")
        assert c.intersection(b) == Period.parse("2013/2013-12-31")

    def test_contains(self) -> None:
        period = Period.parse("2009/2014")
        assert period.contains(date(2012, 3, 22))
        assert not period.contains(date(2015, 1, 1))
        assert period.contains(Period.parse("2013-02"))
        assert not period.contains(Period.parse("2014/2015"))
        assert not Period.parse("P20Y~").contains(date(2013, 1, 1))
