"""save() and load() give back the same records, whatever they hold; the
listings and the summary hold one row per record they list."""

from __future__ import annotations

import tempfile

from hypothesis import given
from hypothesis import strategies as st

import mali_aid
from mali_aid import strategies as mst


@given(mst.collections())
def test_save_then_load_gives_the_same_records(collection: mst.Collection) -> None:
    data = collection.dataset()
    with tempfile.TemporaryDirectory() as folder:
        mali_aid.save(data, folder)
        copy = mali_aid.load(folder)
    for kind in mali_aid.RECORD_KINDS:
        assert getattr(copy, f"{kind}s") == getattr(data, f"{kind}s")


@given(st.lists(mst.organisations(), max_size=4, unique_by=lambda org: org.id))
def test_any_text_survives_the_toml_written(
    organisations: list[mali_aid.Organisation],
) -> None:
    roots = [org for org in organisations if org.parent is None]
    data = mali_aid.Dataset(organisations=roots)
    with tempfile.TemporaryDirectory() as folder:
        mali_aid.save(data, folder)
        assert mali_aid.load(folder).organisations == tuple(roots)


@given(mst.collections())
def test_every_donor_is_listed_with_the_engagements_it_funds(
    collection: mst.Collection,
) -> None:
    data = collection.dataset()
    listing = mali_aid.browse(data, "donors")
    funded = {donor["id"]: donor["engagements"] for donor in listing}
    assert list(funded) == list(data.donors())
    for engagement in data.engagements:
        for donor in data.donors(engagement):
            assert engagement.id in funded[donor]
    assert sum(len(ids) for ids in funded.values()) == sum(
        len(data.donors(engagement)) for engagement in data.engagements
    )
    summary = mali_aid.summarise(data)
    assert sorted(line.donor or "" for line in summary.donors) == sorted(funded)
    assert summary.unknown_funder.engagements == sum(
        1 for engagement in data.engagements if not data.donors(engagement)
    )


_words = st.text(
    alphabet=st.characters(whitelist_categories=("L", "N"), max_codepoint=0x24F),
    min_size=1,
    max_size=12,
)
_cells = st.lists(_words, min_size=1, max_size=6).map(" ".join)


@given(
    st.lists(
        st.tuples(
            st.from_regex(r"[a-z][a-z0-9-]{0,20}", fullmatch=True), _cells, _cells
        ),
        min_size=1,
        max_size=8,
        unique_by=lambda row: row[0],
    ),
    st.integers(10, 140),
)
def test_a_listing_fits_its_width_and_keeps_its_ids(
    rows: list[tuple[str, str, str]], width: int
) -> None:
    headers = ("id", "name", "title")
    listing = mali_aid.Listing(headers, rows, [{"id": row[0]} for row in rows])
    natural = [
        max(len(cell) for cell in column) for column in zip(headers, *rows, strict=True)
    ]
    floors = [natural[0]] + [
        max(len(header), min(8, size))
        for header, size in zip(headers[1:], natural[1:], strict=True)
    ]
    narrowest = sum(floors) + 2 * (len(headers) - 1)
    lines = listing.to_text(width).splitlines()
    body = lines[2 : 2 + len(rows)]
    for line, row in zip(body, rows, strict=True):
        assert line.startswith(row[0] + " ") or line == row[0]
        assert len(line) <= max(width, narrowest)
    if sum(natural) + 2 * (len(headers) - 1) <= width:
        assert listing.to_text(width) == listing.to_text()
