"""Each flow once: parents and children, funders and implementers linked.

Every case is a small file written here; the expected totals are worked out
by hand from its amounts.
"""

from __future__ import annotations

import io
from pathlib import Path

import mali_aid
from mali_aid import Money, iati

from .builders import activity, country, document, read, unmapped_of


def related(ref: str, kind: str) -> str:
    return f'<related-activity ref="{ref}" type="{kind}"/>'


def funded(donor: str) -> str:
    return f'<participating-org ref="{donor}" role="1"/>'


def commitment(value: str, extra: str = "") -> str:
    return (
        '<transaction><transaction-type code="2"/>'
        f'<transaction-date iso-date="2024-01-10"/><value>{value}</value>{extra}'
        "</transaction>"
    )


def for_mali(body: str, identifier: str) -> str:
    return activity(country("ML") + body, identifier=identifier)


PARENT = for_mali(funded("XM-DAC-1") + commitment("1000"), "XM-PARENT")
CHILD = for_mali(
    funded("XM-DAC-1") + commitment("300") + related("XM-PARENT", "1"), "XM-CHILD"
)


def by_engagement(result: iati.IatiActivities) -> dict[object, Money | None]:
    data = result.dataset()
    return mali_aid.totals(
        data.engagements, by="engagement", currency="EUR", data=data
    ).figures()


def test_a_child_naming_its_parent_is_part_of_it_and_counted_once() -> None:
    result = read(PARENT, CHILD)
    parent, child = result.engagements
    assert child.part_of == "XM-PARENT" and parent.part_of is None
    assert by_engagement(result) == {
        "XM-PARENT": Money("700.00", "EUR"),
        "XM-CHILD": Money("300.00", "EUR"),
    }
    data = result.dataset()
    total = mali_aid.totals(data.engagements, by="donor", currency="EUR", data=data)
    assert total.best("XM-DAC-1") == Money("1000.00", "EUR")
    assert "related-activity" not in unmapped_of(result)


def test_a_parent_naming_its_child_gives_the_same_link() -> None:
    parent = PARENT.replace(
        "</iati-activity>", related("XM-CHILD", "2") + "</iati-activity>"
    )
    child = CHILD.replace(related("XM-PARENT", "1"), "")
    result = read(child, parent)
    assert [e.part_of for e in result.engagements] == ["XM-PARENT", None]


def test_a_link_stated_on_both_sides_is_one_link_and_not_reported() -> None:
    parent = PARENT.replace(
        "</iati-activity>", related("XM-CHILD", "2") + "</iati-activity>"
    )
    result = read(parent, CHILD)
    assert [e.part_of for e in result.engagements] == [None, "XM-PARENT"]
    assert all("not linked" not in item.reason for item in result.unmapped)


def test_children_larger_than_their_parent_are_counted_apart_and_reported() -> None:
    # This publisher's parent holds its own money only: 1000 beside 1500.
    child = CHILD.replace(commitment("300"), commitment("1500"))
    result = read(PARENT, child)
    assert [e.part_of for e in result.engagements] == [None, None]
    assert by_engagement(result) == {
        "XM-PARENT": Money("1000.00", "EUR"),
        "XM-CHILD": Money("1500.00", "EUR"),
    }
    reason = unmapped_of(result)["related-activity"]
    assert reason.startswith("not linked: its parts 'XM-CHILD' sum to 1,500 EUR")


def test_a_disbursement_to_an_implementers_activity_links_it() -> None:
    funder = for_mali(
        funded("XM-DAC-1")
        + commitment(
            "800",
            '<receiver-org ref="XM-NGO" receiver-activity-id="XM-NGO-1"/>',
        ),
        "XM-FUNDER-1",
    )
    implementer = for_mali(funded("XM-NGO") + commitment("800"), "XM-NGO-1")
    result = read(funder, implementer)
    assert [e.part_of for e in result.engagements] == [None, "XM-FUNDER-1"]
    # The same 800 told twice is counted once, under the implementer's keys.
    assert by_engagement(result) == {
        "XM-FUNDER-1": Money("0.00", "EUR"),
        "XM-NGO-1": Money("800.00", "EUR"),
    }


def test_incoming_funds_naming_the_funders_activity_link_across_files(
    tmp_path: Path,
) -> None:
    funder = for_mali(funded("XM-DAC-1") + commitment("800"), "XM-FUNDER-1")
    incoming = (
        '<transaction><transaction-type code="1"/><value>500</value>'
        '<provider-org ref="XM-DAC-1" provider-activity-id="XM-FUNDER-1"/>'
        "</transaction>"
    )
    implementer = for_mali(funded("XM-NGO") + incoming + commitment("500"), "XM-NGO-2")
    (tmp_path / "a-funder.xml").write_bytes(document(funder))
    (tmp_path / "b-ngo.xml").write_bytes(document(implementer))
    result = iati.read_activities(tmp_path)
    assert [e.part_of for e in result.engagements] == [None, "XM-FUNDER-1"]
    assert by_engagement(result) == {
        "XM-FUNDER-1": Money("300.00", "EUR"),
        "XM-NGO-2": Money("500.00", "EUR"),
    }


def test_a_link_to_an_activity_not_read_is_reported() -> None:
    result = read(CHILD)
    assert result.engagements[0].part_of is None
    assert unmapped_of(result)["related-activity"] == (
        "not linked: the activity 'XM-PARENT' is not among those read"
    )


def test_a_parent_child_link_wins_over_a_flow_and_the_flow_is_reported() -> None:
    other = for_mali(
        funded("XM-DAC-9")
        + commitment("100", '<receiver-org receiver-activity-id="XM-CHILD"/>'),
        "XM-OTHER",
    )
    result = read(other, PARENT, CHILD)
    assert result.engagements[2].part_of == "XM-PARENT"
    reasons = {item.activity: item.reason for item in result.unmapped}
    assert reasons["XM-OTHER"] == (
        "not linked: 'XM-CHILD' already lies in 'XM-PARENT'; an activity is part"
        " of one other at most"
    )


def test_a_loop_of_links_is_cut_and_reported() -> None:
    first = for_mali(commitment("10") + related("XM-B", "1"), "XM-A")
    second = for_mali(commitment("10") + related("XM-A", "1"), "XM-B")
    result = read(first, second)
    assert [e.part_of for e in result.engagements] == ["XM-B", None]
    assert unmapped_of(result)["related-activity"] == (
        "not linked: the link would close a loop of activities"
    )


def test_other_related_activity_types_are_reported() -> None:
    result = read(for_mali(related("XM-PEER", "3"), "XM-A"))
    assert unmapped_of(result)["related-activity"].startswith(
        "related activity of type '3'"
    )


def test_a_skipped_activity_leaves_no_link() -> None:
    bad = CHILD.replace(commitment("300"), commitment("1e5"))
    result = iati.read_activities(io.BytesIO(document(PARENT, bad)), on_error="skip")
    assert [e.id for e in result.engagements] == ["XM-PARENT"]
    assert all("not linked" not in item.reason for item in result.unmapped)
