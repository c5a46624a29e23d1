"""Records and vocabularies built by hand raise the package's error.

``from_dict`` and the loader already name record and field; a record built
directly (``Organisation(kind="x")``) and a vocabulary called with a word
it lacks (``AmountKind("x")``) do the same, keeping ``ValueError`` as a
base, instead of the enum's plain ``ValueError``.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from mali_aid import (
    Amount,
    AmountKind,
    Channel,
    Count,
    Engagement,
    EngagementKind,
    Indicator,
    Money,
    Organisation,
    OrganisationKind,
    Participant,
    Place,
    PlaceLevel,
    Qualifier,
    Role,
    Statement,
    StatementKind,
    Status,
)
from mali_aid.errors import DataError

from .test_constructors import junk

VOCABULARIES = [
    AmountKind,
    Channel,
    EngagementKind,
    OrganisationKind,
    PlaceLevel,
    Qualifier,
    Role,
    StatementKind,
    Status,
]


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_a_word_outside_a_vocabulary_is_a_data_error(vocabulary: type) -> None:
    with pytest.raises(DataError) as caught:
        vocabulary("x")
    message = str(caught.value)
    assert message.startswith(f"'x' is not a{'n' if vocabulary is AmountKind else ''}")
    assert vocabulary.__name__ in message
    # Every word it does take is listed.
    assert all(repr(member.value) in message for member in vocabulary)
    assert isinstance(caught.value, ValueError)


@pytest.mark.parametrize("vocabulary", VOCABULARIES)
def test_a_vocabulary_still_takes_its_words(vocabulary: type) -> None:
    for member in vocabulary:
        assert vocabulary(member.value) is member
        assert vocabulary(member) is member


@given(st.sampled_from(VOCABULARIES), junk)
def test_a_vocabulary_takes_junk(vocabulary: type, value: Any) -> None:
    try:
        member = vocabulary(value)
    except DataError:
        return
    assert member.value == value


def test_a_vocabulary_never_renders_a_huge_or_deep_value() -> None:
    deep: list[Any] = []
    for _ in range(5000):
        deep = [deep]
    with pytest.raises(DataError, match="a list is not a Role"):
        Role(deep)
    with pytest.raises(DataError, match="an integer of 16610 bits"):
        Role(10**5000)


@pytest.mark.parametrize(
    ("build", "record", "field", "words"),
    [
        (
            lambda: Organisation(id="be", name="Belgium", kind="x"),
            "be",
            "kind",
            "'x' is not an OrganisationKind; use one of 'state'",
        ),
        (
            lambda: Place(id="ml", name="Mali", level="nation"),
            "ml",
            "level",
            "'nation' is not a PlaceLevel",
        ),
        (
            lambda: Engagement(id="e", title="T", kind="project", channel="aid"),
            "e",
            "channel",
            "'aid' is not a Channel",
        ),
        (
            lambda: Engagement(id="e", title="T", kind="project", status=3),
            "e",
            "status",
            "3 is not a Status",
        ),
        (
            lambda: Engagement(id="e", title="T", kind="deal"),
            "e",
            "kind",
            "'deal' is not an EngagementKind",
        ),
        (
            lambda: Statement(id="s", kind="claim", summary="S"),
            "s",
            "kind",
            "'claim' is not a StatementKind",
        ),
        (
            lambda: Indicator(
                id="i", name="N", value="1", unit="u", place="ml", qualifier="roughly"
            ),
            "i",
            "qualifier",
            "'roughly' is not a Qualifier",
        ),
        (
            lambda: Organisation(id="be", name=" ", kind="state"),
            "be",
            "name",
            "must be a non-empty text",
        ),
        (
            lambda: Organisation(id="be", name="B", kind="state", country="be"),
            "be",
            "country",
            "ISO 3166-1",
        ),
    ],
)
def test_a_record_built_by_hand_names_record_and_field(
    build: Any, record: str, field: str, words: str
) -> None:
    with pytest.raises(DataError) as caught:
        build()
    error = caught.value
    assert (error.record, error.field) == (record, field)
    assert str(error).startswith(f"record {record!r}, field {field}: ")
    assert words in error.reason


@pytest.mark.parametrize(
    ("build", "field", "words"),
    [
        (lambda: Participant(organisation="BE", role="donor"), "role", "not a Role"),
        (
            lambda: Amount(money=Money("1", "EUR"), kind="gift"),
            "kind",
            "'gift' is not an AmountKind",
        ),
        (
            lambda: Amount(money=Money("1", "EUR"), kind="budget", qualifier=None),
            "qualifier",
            "None is not a Qualifier",
        ),
        (
            lambda: Count(value="3", unit="person", qualifier=["about"]),
            "qualifier",
            "a list is not a Qualifier",
        ),
    ],
)
def test_a_record_without_an_id_names_the_field(
    build: Any, field: str, words: str
) -> None:
    with pytest.raises(DataError) as caught:
        build()
    assert caught.value.record is None
    assert caught.value.field == field
    assert words in caught.value.reason


def test_a_bad_id_is_not_used_to_name_the_record() -> None:
    with pytest.raises(DataError) as caught:
        Organisation(id="b e", name="B", kind="x")
    assert caught.value.record is None


def test_vocabularies_still_read_from_dict() -> None:
    from mali_aid import from_dict

    with pytest.raises(DataError) as caught:
        from_dict({"id": "be", "name": "B", "kind": "x"}, Organisation)
    assert (caught.value.record, caught.value.field) == ("be", "kind")
    built = from_dict({"id": "be", "name": "B", "kind": "state"}, Organisation)
    assert built == Organisation(id="be", name="B", kind=OrganisationKind.STATE)
