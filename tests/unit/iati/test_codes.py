"""The codes users filter on: read from IATI, kept on engagements, selected."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mali_aid
from mali_aid import (
    Amount,
    Channel,
    DataError,
    Dataset,
    Engagement,
    Money,
    PolicyMarker,
)
from mali_aid._convert import from_dict, to_dict

from .builders import activity, budget, country, read, transaction


def coded(body: str, *, identifier: str = "XM-TEST-1", flag: str = "") -> str:
    return activity(
        country("ML") + body + budget("2024-01-01", "2024-12-31", "1000"),
        identifier=identifier,
        attributes=f'default-currency="EUR" {flag}',
    )


def unmapped(result: object) -> dict[str, str]:
    return {item.element: item.reason for item in result.unmapped}  # type: ignore[attr-defined]


# -- read -------------------------------------------------------------------------------


def test_the_defaults_and_markers_are_read() -> None:
    (engagement,) = read(
        coded(
            '<default-aid-type code="C01"/>'
            '<default-aid-type vocabulary="1" code="D02"/>'
            '<default-flow-type code="10"/>'
            '<default-finance-type code="110"/>'
            '<default-tied-status code="5"/>'
            '<policy-marker vocabulary="1" code="1" significance="2"/>'
            '<policy-marker code="7"/>'
        )
    ).engagements
    assert engagement.aid_types == ("C01", "D02")
    assert engagement.flow_type == "10"
    assert engagement.finance_type == "110"
    assert engagement.tied_status == "5"
    assert engagement.policy_markers == (
        PolicyMarker(code="1", significance="2"),
        PolicyMarker(code="7"),
    )


@pytest.mark.parametrize(
    ("element", "path", "words"),
    [
        ('<default-flow-type code="99"/>', "default-flow-type", "FlowType codelist"),
        ('<default-aid-type code="Z99"/>', "default-aid-type", "AidType codelist"),
        ('<default-tied-status code=""/>', "default-tied-status", "no code"),
        (
            '<default-aid-type vocabulary="2" code="1"/>',
            "default-aid-type",
            "vocabulary '2'",
        ),
        (
            '<policy-marker vocabulary="99" code="A1" significance="1"/>',
            "policy-marker",
            "vocabulary '99'",
        ),
        ('<policy-marker code="42"/>', "policy-marker", "PolicyMarker codelist"),
    ],
)
def test_a_code_outside_its_codelist_is_reported_and_not_kept(
    element: str, path: str, words: str
) -> None:
    result = read(coded(element))
    (engagement,) = result.engagements
    assert engagement.aid_types == ()
    assert engagement.policy_markers == ()
    assert (engagement.flow_type, engagement.tied_status) == (None, None)
    assert words in unmapped(result)[path]


def test_a_second_default_flow_type_is_reported() -> None:
    result = read(coded('<default-flow-type code="10"/><default-flow-type code="20"/>'))
    assert result.engagements[0].flow_type == "10"
    assert "the first is used" in unmapped(result)["default-flow-type[2]"]


def test_a_significance_outside_its_codelist_is_bad_data() -> None:
    with pytest.raises(DataError) as caught:
        read(coded('<policy-marker code="1" significance="9"/>'))
    assert caught.value.field == "policy-marker/@significance"


def test_the_humanitarian_flag_is_kept_beside_the_channel() -> None:
    (engagement,) = read(
        coded('<collaboration-type code="1"/>', flag='humanitarian="1"')
    ).engagements
    assert engagement.channel is Channel.BILATERAL
    assert engagement.humanitarian is True


def test_each_amount_keeps_its_transaction_type() -> None:
    (engagement,) = read(
        activity(
            country("ML")
            + transaction("2", "500")
            + transaction("3", "200")
            + transaction("4", "100")
        )
    ).engagements
    assert [amount.transaction_type for amount in engagement.amounts] == ["2", "3", "4"]


@pytest.mark.parametrize(
    ("code", "name"),
    [("5", "interest payment"), ("6", "loan repayment"), ("10", "credit guarantee")],
)
def test_a_transaction_type_without_a_kind_is_reported_by_its_name(
    code: str, name: str
) -> None:
    result = read(activity(country("ML") + transaction(code, "10")))
    assert f"transaction type {code} ({name})" in unmapped(result)["transaction"]


# -- the records ------------------------------------------------------------------------


def test_an_engagement_with_codes_is_written_and_read_back() -> None:
    engagement = Engagement(
        id="x",
        title="X",
        kind="project",
        aid_types=["C01"],
        flow_type="10",
        finance_type="110",
        tied_status="5",
        policy_markers=[PolicyMarker(code="1", significance="2")],
        humanitarian=False,
        amounts=[
            Amount(money=Money("1", "EUR"), kind="commitment", transaction_type="2")
        ],
    )
    assert from_dict(to_dict(engagement), Engagement) == engagement


@pytest.mark.parametrize(
    ("changes", "field"),
    [
        ({"flow_type": "1 0"}, "flow_type"),
        ({"aid_types": ["C01", "C01"]}, "aid_types"),
        ({"aid_types": [""]}, "aid_types[0]"),
        ({"humanitarian": "yes"}, "humanitarian"),
        (
            {"policy_markers": [PolicyMarker(code="1"), PolicyMarker(code="1")]},
            "policy_markers",
        ),
    ],
)
def test_bad_codes_on_an_engagement_are_refused(
    changes: dict[str, object], field: str
) -> None:
    with pytest.raises(DataError) as caught:
        Engagement(id="x", title="X", kind="project", **changes)  # type: ignore[arg-type]
    assert caught.value.field == field


def test_a_marker_of_significance_zero_is_not_targeted() -> None:
    assert not PolicyMarker(code="1", significance="0").targeted
    assert PolicyMarker(code="1", significance="1").targeted
    assert PolicyMarker(code="1").targeted


# -- selected ---------------------------------------------------------------------------


@pytest.fixture(scope="module")
def data() -> Dataset:
    return read(
        coded(
            '<default-flow-type code="10"/><default-aid-type code="C01"/>'
            '<default-finance-type code="110"/><default-tied-status code="5"/>'
            '<policy-marker code="1" significance="2"/>',
            identifier="XM-A",
        ),
        coded(
            '<default-flow-type code="20"/><policy-marker code="1" significance="0"/>'
            '<policy-marker code="2" significance="1"/>',
            identifier="XM-B",
            flag='humanitarian="1"',
        ),
        coded("", identifier="XM-C", flag='humanitarian="0"'),
    ).dataset()


@pytest.mark.parametrize(
    ("conditions", "chosen"),
    [
        ({"flow_type": "10"}, ["XM-A"]),
        ({"flow_type": ["10", "20"]}, ["XM-A", "XM-B"]),
        ({"aid_type": "C01"}, ["XM-A"]),
        ({"finance_type": "110"}, ["XM-A"]),
        ({"tied_status": "5"}, ["XM-A"]),
        ({"policy_marker": "1"}, ["XM-A"]),
        ({"policy_marker": "1:0"}, ["XM-B"]),
        ({"policy_marker": "1:2"}, ["XM-A"]),
        ({"policy_marker": ["1:2", "2"]}, ["XM-A", "XM-B"]),
        ({"humanitarian": True}, ["XM-B"]),
        ({"humanitarian": False}, ["XM-C"]),
        ({"humanitarian": True, "flow_type": "10"}, []),
    ],
)
def test_select_on_codes(
    data: Dataset, conditions: dict[str, object], chosen: list[str]
) -> None:
    selection = data.select(**conditions)  # type: ignore[arg-type]
    assert [engagement.id for engagement in selection] == chosen
    total = mali_aid.totals(selection, by="kind", currency="EUR", data=data)
    expected = {"budget": Money(f"{1000 * len(chosen)}.00", "EUR")} if chosen else {}
    assert total.figures() == expected


@pytest.mark.parametrize(
    "conditions",
    [
        {"flow_type": "99"},
        {"aid_type": "c01"},
        {"policy_marker": "1:9"},
        {"policy_marker": "42"},
        {"tied_status": "0"},
    ],
)
def test_a_code_not_in_its_codelist_is_refused(
    data: Dataset, conditions: dict[str, object]
) -> None:
    with pytest.raises(ValueError, match="codelist"):
        data.select(**conditions)  # type: ignore[arg-type]


def test_a_flag_that_is_not_a_bool_is_refused(data: Dataset) -> None:
    with pytest.raises(TypeError):
        data.select(humanitarian="yes")  # type: ignore[arg-type]


def test_bundled_records_say_nothing_of_the_flag() -> None:
    bundled = mali_aid.load()
    assert list(bundled.select(humanitarian=True)) == []
    assert list(bundled.select(humanitarian=False)) == []


flags = st.sampled_from([True, False, None])


@given(st.lists(st.tuples(flags, st.sampled_from(["10", "20", None])), max_size=8))
def test_the_flag_and_flow_type_split_a_dataset_without_overlap(
    rows: list[tuple[bool | None, str | None]],
) -> None:
    data = Dataset(
        engagements=[
            Engagement(
                id=f"e{index}",
                title="E",
                kind="project",
                humanitarian=flag,
                flow_type=flow,
            )
            for index, (flag, flow) in enumerate(rows)
        ]
    )
    yes = {e.id for e in data.select(humanitarian=True)}
    no = {e.id for e in data.select(humanitarian=False)}
    both = {e.id for e in data.select(humanitarian=[True, False])}
    assert yes.isdisjoint(no)
    assert yes | no == both
    assert len(both) == sum(flag is not None for flag, _ in rows)
    ten = {e.id for e in data.select(flow_type="10")}
    assert {e.id for e in data.select(flow_type="10", humanitarian=True)} == ten & yes


# -- codes on transactions --------------------------------------------------------------


def on_transaction(code: str, value: str, inside: str) -> str:
    return (
        f'<transaction><transaction-type code="{code}"/>'
        f'<transaction-date iso-date="2024-03-01"/><value>{value}</value>'
        f"{inside}</transaction>"
    )


def test_transactions_agreeing_on_a_flow_type_give_it_where_no_default() -> None:
    result = read(
        activity(
            country("ML")
            + on_transaction(
                "2", "500", '<flow-type code="10"/><tied-status code="5"/>'
            )
            + on_transaction(
                "3", "200", '<flow-type code="10"/><tied-status code="4"/>'
            )
        )
    )
    (engagement,) = result.engagements
    assert engagement.flow_type == "10"
    assert engagement.tied_status is None
    reasons = unmapped(result)
    assert "do not all give the same" in reasons["transaction[1]/tied-status"]
    assert "transaction[1]/flow-type" not in reasons


def test_a_transaction_without_the_code_leaves_it_unknown() -> None:
    result = read(
        activity(
            country("ML")
            + on_transaction("2", "500", '<finance-type code="110"/>')
            + on_transaction("3", "200", "")
        )
    )
    assert result.engagements[0].finance_type is None
    assert "transaction[1]/finance-type" in unmapped(result)


def test_a_transaction_code_other_than_the_default_is_reported() -> None:
    result = read(
        activity(
            country("ML")
            + '<default-finance-type code="110"/>'
            + on_transaction("2", "500", '<finance-type code="110"/>')
            + on_transaction("3", "200", '<finance-type code="421"/>')
        )
    )
    assert result.engagements[0].finance_type == "110"
    reasons = unmapped(result)
    assert "transaction[1]/finance-type" not in reasons
    assert "default 110" in reasons["transaction[2]/finance-type"]
