"""ISO 8601 durations: one reading, in ``_period``, for periods and the chart."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mali_aid import Period
from mali_aid._period import duration_in_words, read_duration
from mali_aid.errors import DataError


@pytest.mark.parametrize(
    ("text", "parts", "words"),
    [
        ("P20Y", (20, None, None), "20 years"),
        ("P1Y", (1, None, None), "1 year"),
        ("P1Y6M", (1, 6, None), "1 year 6 months"),
        ("P3M1D", (None, 3, 1), "3 months 1 day"),
        ("P90D", (None, None, 90), "90 days"),
        ("P0Y", (0, None, None), "0 years"),
        ("P020Y", (20, None, None), "20 years"),
    ],
)
def test_a_duration_is_read_and_said(
    text: str, parts: tuple[int | None, ...], words: str
) -> None:
    assert read_duration(text) == parts
    assert duration_in_words(text) == words


@pytest.mark.parametrize(
    "text",
    [
        "P",  # no part at all
        "P2W",  # weeks: no period gives them
        "PT5H",  # nor hours
        "P1Y2Y",
        "P6M1Y",  # parts out of order
        "p20y",
        " P20Y",
        "P20Y ",
        "P20Y~",
        "P١Y",  # a digit that is not ASCII
        "P12345Y",  # more years than a period's text holds
        "20 years",
        "",
    ],
)
def test_anything_else_is_not_a_duration(text: str) -> None:
    assert read_duration(text) is None
    with pytest.raises(DataError, match="not an ISO 8601 duration"):
        duration_in_words(text)
    with pytest.raises(DataError, match="ISO 8601 duration"):
        Period(approximate_length=text)


def test_only_text_is_read() -> None:
    assert read_duration(20) is None  # type: ignore[arg-type]
    with pytest.raises(DataError):
        duration_in_words(None)  # type: ignore[arg-type]


part = st.one_of(st.none(), st.integers(min_value=0, max_value=9999))


@given(part, part, st.one_of(st.none(), st.integers(min_value=0, max_value=99999)))
def test_the_parts_written_are_the_parts_read(
    years: int | None, months: int | None, days: int | None
) -> None:
    text = "P" + "".join(
        f"{number}{unit}"
        for number, unit in ((years, "Y"), (months, "M"), (days, "D"))
        if number is not None
    )
    if text == "P":
        assert read_duration(text) is None
        return
    assert read_duration(text) == (years, months, days)
    words = duration_in_words(text).split()
    given_parts = [n for n in (years, months, days) if n is not None]
    assert [int(n) for n in words[::2]] == given_parts
    assert Period(approximate_length=text).approximate_length == text


@given(st.text(alphabet="P0123456789YMDWT ~", max_size=12))
def test_a_period_takes_exactly_the_lengths_read_duration_reads(text: str) -> None:
    try:
        Period(approximate_length=text)
    except DataError:
        accepted = False
    else:
        accepted = True
    assert accepted == (read_duration(text) is not None)
