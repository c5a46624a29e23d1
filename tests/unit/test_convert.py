"""Examples for to_dict / from_dict: plain data in and out, and clear errors."""

from __future__ import annotations

import copy
from datetime import date
from decimal import Decimal
from typing import Any

import pytest

from mali_aid import (
    DataError,
    Engagement,
    Event,
    Money,
    Period,
    Source,
    from_dict,
    to_dict,
)

PLAIN: dict[str, Any] = {
    "id": "be-programme-2009",
    "title": "Cooperation programme 2009-2012",
    "kind": "programme",
    "participants": [{"organisation": "BE", "role": "funding"}],
    "period": "2009/2014",
    "original_period": "2009/2012",
    "amounts": [{"money": "50500000 EUR", "kind": "budget", "period": "2009/2014"}],
    "sectors": [{"sector": "rural-development"}, {"sector": "decentralisation"}],
    "themes": ["gender"],
    "citations": [{"source": "be-dgd-mali", "paragraph": 5}],
}


def test_reads_plain_data_into_typed_values() -> None:
    record = from_dict(PLAIN, Engagement)
    assert record.period == Period.parse("2009/2014")
    assert record.amounts[0].money == Money("50500000", "EUR")
    assert record.themes == ("gender",)


def test_writes_readable_plain_data_that_reads_back() -> None:
    record = from_dict(PLAIN, Engagement)
    assert to_dict(record) == PLAIN
    assert from_dict(to_dict(record), Engagement) == record


def test_decimals_from_toml_and_dates() -> None:
    event = from_dict(
        {"id": "coup", "title": "Coup", "kind": "coup", "date": "2012-03-22"}, Event
    )
    assert event.date == Period.parse("2012-03-22")
    source = from_dict(
        {
            "id": "s",
            "title": "t",
            "publisher": "p",
            "language": "en",
            "paragraphs": 9,
            "date": "2018-02-08",
        },
        Source,
    )
    assert source.date is not None
    assert source.date.start == date(2018, 2, 8)


@pytest.mark.parametrize(
    ("change", "field", "message"),
    [
        (
            lambda d: d["amounts"][0].update(money="50.5 EURO"),
            "amounts[0].money",
            "ISO code",
        ),
        (
            lambda d: d["amounts"][0].update(money=50500000.0),
            "amounts[0].money",
            "money",
        ),
        (
            lambda d: d["amounts"][0].update(money="5 ZZZ"),
            "amounts[0].money",
            "currency",
        ),
        (lambda d: d["amounts"][0].update(kind="gift"), "amounts[0].kind", "'budget'"),
        (lambda d: d.update(extra=1), None, "unknown field"),
        (lambda d: d.pop("title"), "title", "required"),
        (lambda d: d.update(title=5), "title", "not a str"),
        (lambda d: d.update(period="2014/2009"), "period.end", "before it starts"),
        (
            lambda d: d["citations"][0].update(paragraph=0),
            "citations[0].paragraph",
            "at least 1",
        ),
        (
            lambda d: d["citations"][0].update(paragraph="5"),
            "citations[0].paragraph",
            "not an int",
        ),
        (lambda d: d.update(active_in=["2024"]), "active_in[0]", "not an int"),
        (lambda d: d.update(active_in=[True]), "active_in[0]", "not an int"),
        (lambda d: d.update(part_of="be-programme-2009"), "part_of", "part of itself"),
        (
            lambda d: d["participants"].append(
                {"organisation": "CH", "role": "funding", "share": "1/2"}
            ),
            "participants",
            "every funding participant",
        ),
        (
            lambda d: d["sectors"][0].update(percentage="120"),
            "sectors[0].percentage",
            "at most 100",
        ),
    ],
)
def test_errors_name_the_record_and_the_field(
    change: Any, field: str | None, message: str
) -> None:
    data = copy.deepcopy(PLAIN)
    change(data)
    with pytest.raises(DataError, match=message) as caught:
        from_dict(data, Engagement)
    assert caught.value.record == "be-programme-2009"
    assert caught.value.field == field
    assert "be-programme-2009" in str(caught.value)


def test_no_input_is_coerced() -> None:
    data = copy.deepcopy(PLAIN)
    data["amounts"][0]["money"] = Money("1", "EUR")
    assert from_dict(data, Engagement).amounts[0].money == Money("1", "EUR")
    data["id"] = 12
    with pytest.raises(DataError, match="not a str"):
        from_dict(data, Engagement)


def test_decimal_fields_take_strings_and_decimals_but_not_floats() -> None:
    from mali_aid import Indicator

    base = {"id": "pop", "name": "Population", "unit": "million persons", "place": "ML"}
    assert from_dict({**base, "value": "21.90"}, Indicator).value == Decimal("21.90")
    assert from_dict({**base, "value": Decimal("21.90")}, Indicator).value == Decimal(
        "21.90"
    )
    with pytest.raises(DataError, match="float"):
        from_dict({**base, "value": 21.9}, Indicator)


def test_a_record_must_be_a_table() -> None:
    with pytest.raises(DataError, match="table"):
        from_dict(["id"], Engagement)  # type: ignore[arg-type]


def test_several_problems_are_all_named() -> None:
    data = copy.deepcopy(PLAIN)
    data["title"] = 5
    data["kind"] = "gift"
    with pytest.raises(DataError, match="1 more") as caught:
        from_dict(data, Engagement)
    assert "kind" in str(caught.value)
