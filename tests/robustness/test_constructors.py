"""Junk into the public constructors and parsers: only the package's errors.

In the spirit of python-stdnum's ``test_robustness.doctest``: every call
either gives a value that says what the input says, or raises one
:class:`~mali_aid.errors.MaliAidError`; never a builtin exception from
inside, a hang, or a silently altered value.
"""

from __future__ import annotations

import string
from decimal import Decimal
from fractions import Fraction
from typing import Any

import attrs
from hypothesis import given
from hypothesis import strategies as st

import mali_aid
from mali_aid import (
    Amount,
    Citation,
    Count,
    Engagement,
    Event,
    Indicator,
    Money,
    Organisation,
    Participant,
    Period,
    Place,
    PlaceShare,
    Sector,
    SectorShare,
    Source,
    Theme,
    from_dict,
    iati,
)
from mali_aid.errors import MaliAidError

KINDS = (
    Amount,
    Citation,
    Count,
    Engagement,
    Event,
    Indicator,
    Organisation,
    Participant,
    Place,
    PlaceShare,
    Sector,
    SectorShare,
    Source,
    Theme,
)

#: Texts that look like what the package reads, with stray characters.
near_text = st.lists(
    st.sampled_from(
        [
            *"0123456789.,/-~ ",
            "EUR",
            "XOF",
            "€",
            "P",
            "Y",
            "M",
            "D",
            "..",
            "\n",
            "\t",
            "\x00",
            "\u00a0",
            "million",
            "e",
            "E+",
            "٣",
            "_",
            "$",
            "'",
        ]
    ),
    max_size=12,
).map("".join)
texts = st.one_of(st.text(max_size=30), near_text)
scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=10**300, max_value=10**400),
    st.floats(),
    texts,
    st.decimals(),
    st.builds(
        Decimal, st.from_regex(r"[0-9]{1,3}[eE][-+]?[0-9]{1,12}", fullmatch=True)
    ),
    st.fractions(),
    st.binary(max_size=10),
)
_keys = st.one_of(st.text(max_size=8), st.integers())
# Nested three levels by hand: st.recursive warns when a small example never
# recurses.
_nested = st.one_of(
    scalars,
    st.lists(scalars, max_size=4),
    st.dictionaries(_keys, scalars, max_size=4),
)
_nested = st.one_of(
    _nested,
    st.lists(_nested, max_size=3),
    st.dictionaries(_keys, _nested, max_size=3),
)
junk = st.one_of(
    _nested, st.lists(_nested, max_size=3), st.dictionaries(_keys, _nested, max_size=3)
)


def hierarchy_only(call: Any, *args: Any, **kwargs: Any) -> Any:
    """Call, letting through only the package's own errors."""
    try:
        return call(*args, **kwargs)
    except MaliAidError:
        return None


@given(junk, junk)
def test_money_takes_junk(amount: Any, currency: Any) -> None:
    money = hierarchy_only(Money, amount, currency)
    if money is not None:
        assert money.amount == amount and money.currency == currency
        assert str(money) and repr(money)


@given(texts, st.one_of(st.sampled_from([None, ".", ","]), junk))
def test_money_parse_takes_junk(text: str, mark: Any) -> None:
    money = hierarchy_only(Money.parse, text, decimal_mark=mark)
    if money is not None:
        assert mark in (None, ".", ",")
        assert any(character.isdigit() for character in text)


@given(junk)
def test_money_methods_take_junk(value: Any) -> None:
    money = Money("100.00", "EUR")
    hierarchy_only(money.allocate, value)
    if isinstance(value, int | Decimal) and not isinstance(value, bool):
        hierarchy_only(money.__mul__, value)
        if value:
            hierarchy_only(money.__truediv__, value)
    if value is None or (isinstance(value, int) and not isinstance(value, bool)):
        hierarchy_only(money.rounded, value)


@given(st.one_of(texts, junk))
def test_period_parse_takes_junk(text: Any) -> None:
    period = hierarchy_only(Period.parse, text)
    if period is not None:
        # What parses is what the text says: it reads back the same.
        assert Period.parse(str(period)) == period


@given(
    st.dictionaries(st.one_of(st.text(max_size=10), st.integers()), junk, max_size=6),
    st.sampled_from(KINDS),
)
def test_from_dict_takes_junk(data: dict[Any, Any], kind: type) -> None:
    record = hierarchy_only(from_dict, data, kind)
    if record is not None:
        assert isinstance(record, kind)


@given(st.sampled_from(KINDS), st.data())
def test_from_dict_takes_junk_in_real_fields(kind: type, data: st.DataObject) -> None:
    names = [field.name for field in attrs.fields(kind)]
    chosen = data.draw(st.lists(st.sampled_from(names), unique=True))
    record = {name: data.draw(junk) for name in chosen}
    built = hierarchy_only(from_dict, record, kind)
    if built is not None:
        assert isinstance(built, kind)


@given(junk)
def test_from_dict_takes_junk_as_the_table_and_the_kind(value: Any) -> None:
    hierarchy_only(from_dict, value, Engagement)
    hierarchy_only(from_dict, {"id": "x"}, value)


# -- what is read is what is written --------------------------------------------------

decimal_texts = st.from_regex(r"-?[0-9]{1,20}(\.[0-9]{1,6})?", fullmatch=True)


@given(decimal_texts, st.sampled_from(["EUR", "XOF", "USD", "CHF"]))
def test_money_keeps_every_digit(text: str, code: str) -> None:
    money = Money(text, code)
    assert money.amount == Decimal(text)
    assert Money.parse(f"{money.amount:f} {code}", decimal_mark=".") == money


@given(st.integers(min_value=0, max_value=10**15), st.sampled_from(["EUR", "XOF"]))
def test_grouped_money_reads_whole(units: int, code: str) -> None:
    assert Money.parse(f"{units:,} {code}") == Money(units, code)
    french = f"{units:,}".replace(",", ".")
    assert Money.parse(f"{french} {code}", decimal_mark=",") == Money(units, code)


@given(st.fractions(min_value=Fraction(1, 10**6), max_value=1, max_denominator=10**6))
def test_a_share_is_kept_exactly(share: Fraction) -> None:
    participant = from_dict(
        {"organisation": "a", "role": "funding", "share": str(share)}, Participant
    )
    assert participant.share == share


@given(
    st.text(
        alphabet=string.ascii_letters + string.digits + "._-", min_size=1, max_size=20
    )
)
def test_an_id_is_kept_or_refused_never_changed(text: str) -> None:
    theme = hierarchy_only(from_dict, {"id": text, "name": "N"}, Theme)
    if theme is not None:
        assert theme.id == text


@given(
    st.sampled_from([Money, Period, mali_aid.Dataset, mali_aid.Totals, iati.Unmapped]),
    st.dictionaries(st.text(max_size=10), junk, max_size=4),
)
def test_from_dict_takes_classes_that_are_not_records(kind: type, data: Any) -> None:
    hierarchy_only(from_dict, data, kind)


@given(st.text(max_size=8))
def test_a_money_format_takes_junk(spec: str) -> None:
    hierarchy_only(format, Money("1234.5", "EUR"), spec)
