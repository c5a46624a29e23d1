"""The shape of the bundled data as a whole: counts, citations, files.

The counts are pinned so that a record added or dropped shows up here, on
purpose. Every record cites at least one source, with one exception: places
added only as the administrative parent of a place a source names (a region
or cercle no source mentions) carry a ``reference`` to public geography
instead of a citation. Sectors and themes are cited where a source names
them, like every other record.
"""

from __future__ import annotations

from importlib.resources import files

import pytest

import mali_aid
from mali_aid import Dataset, Qualifier, Role

KINDS = (
    "sources",
    "organisations",
    "places",
    "sectors",
    "themes",
    "engagements",
    "events",
    "indicators",
    "statements",
)

#: Places no source names, present only as the parent of one that a source does.
REFERENCE_ONLY_PLACES = frozenset(
    {
        "ml-kayes-region",
        "ml-mopti-region",
        "ml-tombouctou-region",
        "ml-sikasso-cercle",
        "ml-kadiolo-cercle",
        "ml-mopti-cercle",
        "ml-bandiagara-cercle",
        "ml-gao-cercle",
        "ml-tombouctou-cercle",
    }
)


@pytest.fixture(scope="module")
def data() -> Dataset:
    return mali_aid.load()


@pytest.mark.parametrize(
    ("kind", "count"),
    [
        ("sources", 5),
        ("organisations", 36),
        ("places", 30),
        ("sectors", 31),
        ("themes", 2),
        ("engagements", 47),
        ("events", 24),
        ("indicators", 5),
        ("statements", 32),
    ],
)
def test_record_counts(data: Dataset, kind: str, count: int) -> None:
    assert len(getattr(data, kind)) == count


@pytest.mark.parametrize("kind", [kind for kind in KINDS if kind != "sources"])
def test_every_record_cites_a_source(data: Dataset, kind: str) -> None:
    uncited = [
        record.id
        for record in getattr(data, kind)
        if not record.citations
        and not (kind == "places" and record.id in REFERENCE_ONLY_PLACES)
    ]
    assert uncited == []


def test_reference_only_places_say_where_they_come_from(data: Dataset) -> None:
    for place_id in sorted(REFERENCE_ONLY_PLACES):
        place = data.place(place_id)
        assert place.citations == (), place_id
        assert place.reference, place_id
        assert place.parent is not None, place_id


def test_every_region_is_an_iso_3166_2_subdivision(data: Dataset) -> None:
    pycountry = pytest.importorskip("pycountry")
    for place in data.places:
        if place.iso_code is None:
            continue
        if "-" in place.iso_code:
            assert pycountry.subdivisions.get(code=place.iso_code) is not None
        else:
            assert pycountry.countries.get(alpha_2=place.iso_code) is not None


def test_every_state_id_is_an_iso_3166_1_code(data: Dataset) -> None:
    pycountry = pytest.importorskip("pycountry")
    for organisation in data.organisations:
        if organisation.kind == "state":
            country = pycountry.countries.get(alpha_2=organisation.id)
            assert country is not None, organisation.id
            assert organisation.country == organisation.id


def test_every_citation_is_a_paragraph_of_its_source(data: Dataset) -> None:
    for kind in KINDS[1:]:
        for record in getattr(data, kind):
            for citation in record.citations:
                source = data.source(citation.source)
                assert citation.paragraph is not None, record.id
                assert 1 <= citation.paragraph <= source.paragraphs, record.id


def test_no_two_organisations_share_a_name(data: Dataset) -> None:
    seen: dict[str, str] = {}
    for organisation in data.organisations:
        for name in organisation.names:
            assert seen.setdefault(name.casefold(), organisation.id) == (
                organisation.id
            ), name


def test_amounts_are_never_zero_and_all_in_euros(data: Dataset) -> None:
    for engagement in data.engagements:
        for amount in engagement.amounts:
            assert amount.money.amount > 0, engagement.id
            assert amount.money.currency == "EUR", engagement.id


def test_only_a_funder_carries_a_share(data: Dataset) -> None:
    for engagement in data.engagements:
        for participant in engagement.participants:
            if participant.share is not None:
                assert participant.role is Role.FUNDING, engagement.id


def test_counts_are_positive(data: Dataset) -> None:
    for engagement in data.engagements:
        for count in engagement.resources:
            assert count.value > 0, engagement.id
            assert count.qualifier in (Qualifier.EXACT, Qualifier.ABOUT)


def test_an_extended_engagement_ends_no_earlier_than_first_agreed(
    data: Dataset,
) -> None:
    for engagement in data.engagements:
        if engagement.original_period is None:
            continue
        assert engagement.period is not None, engagement.id
        assert engagement.period.start == engagement.original_period.start
        assert engagement.original_period.end is not None
        assert engagement.period.end is not None
        assert engagement.period.end > engagement.original_period.end


@pytest.mark.parametrize("kind", KINDS)
def test_each_data_file_opens_with_a_comment(kind: str) -> None:
    text = (files("mali_aid") / "data" / f"{kind}.toml").read_text(encoding="utf-8")
    assert text.startswith("# "), kind


#: Paragraphs of the texts that are headings, link labels or captions, read
#: from the texts: a citation belongs on the paragraph that states a fact.
HEADINGS = {
    "be-dgd-mali": {1, 2, 4, 6, 11, 12, 13},
    "lu-cooperation-mali-2024": {1, 2, 10, 11, 13, 14},
    "lu-mfa-mali-2016": {1, 8},
    "fcm-mped-mali": {1, 2, 3, 5, 7, 9, 11, 13, 17, 20, 21, 23, 24},
    "be-defence-eutm-2018": {1, 6, 9},
}

#: The records whose only evidence for a fact is a heading, label or caption.
CITING_HEADINGS = {
    ("organisations", "CA"): ("fcm-mped-mali", 23),
    ("organisations", "be-diplomatic-office-mali"): ("be-dgd-mali", 13),
    ("engagements", "kadiolo-business-training"): ("fcm-mped-mali", 9),
    ("engagements", "eutm-mali"): ("be-defence-eutm-2018", 6),
}


def test_headings_are_cited_only_where_they_are_the_one_evidence(
    data: Dataset,
) -> None:
    citing = {}
    for kind in KINDS[1:]:
        for record in getattr(data, kind):
            for citation in record.citations:
                if citation.paragraph in HEADINGS[citation.source]:
                    citing.setdefault((kind, record.id), []).append(
                        (citation.source, citation.paragraph)
                    )
    assert set(citing) == set(CITING_HEADINGS)
    for (kind, record_id), (source, paragraph) in CITING_HEADINGS.items():
        assert (source, paragraph) in citing[(kind, record_id)]
        # The record says why: its note names the heading, label or caption.
        note = getattr(data, kind[:-1])(record_id).note
        assert note is not None, record_id
        assert any(word in note for word in ("heading", "label", "caption")), note


@pytest.mark.parametrize(
    "kind", ["organisations", "places", "engagements", "events", "statements"]
)
def test_every_inference_names_a_field_and_gives_a_reason(
    data: Dataset, kind: str
) -> None:
    for record in getattr(data, kind):
        for inference in record.inferred:
            assert hasattr(record, inference.root), (record.id, inference.field)
            assert len(inference.reason) > 20, (record.id, inference.field)
