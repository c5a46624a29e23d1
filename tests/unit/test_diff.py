"""diff(): what changed from one dataset to another, and the data changelog built from it."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings

import mali_aid
from mali_aid import Citation, Dataset, Organisation, Source, diff
from mali_aid import strategies as mas

ROOT = Path(__file__).resolve().parents[2]
PREVIOUS = ROOT / "tests" / "data" / "releases" / "2026.11.0"


def world(**changes: object) -> Dataset:
    source = Source(
        id="src",
        title="A page",
        publisher="Someone",
        url="https://example.org/",
        language="en",
        paragraphs=5,
    )
    organisations = {
        "BE": Organisation(id="BE", name="Belgium", kind="state", country="BE"),
        "LU": Organisation(id="LU", name="Luxembourg", kind="state", country="LU"),
    }
    organisations.update(changes)  # type: ignore[arg-type]
    return Dataset(
        sources=[source],
        organisations=[o for o in organisations.values() if o is not None],
    )


class TestRecordsAddedRemovedChanged:
    def test_the_same_data_has_no_change(self) -> None:
        data = mali_aid.load()
        assert len(diff(data, data)) == 0
        assert str(diff(data, data)) == "no record changed"

    def test_a_record_added_and_one_removed(self) -> None:
        chad = Organisation(id="TD", name="Chad", kind="state", country="TD")
        changes = diff(world(), world(TD=chad, LU=None))
        assert [(c.kind, c.id, c.change) for c in changes] == [
            ("organisations", "LU", "removed"),
            ("organisations", "TD", "added"),
        ]
        assert [c.id for c in changes.added] == ["TD"]
        assert [c.id for c in changes.removed] == ["LU"]
        assert changes.changed == ()

    def test_a_changed_field_with_its_values_before_and_after(self) -> None:
        renamed = Organisation(
            id="BE",
            name="Kingdom of Belgium",
            kind="state",
            country="BE",
            citations=[Citation(source="src", paragraph=3)],
        )
        (change,) = diff(world(), world(BE=renamed))
        assert change.change == "changed"
        assert [(f.field, f.old, f.new) for f in change.fields] == [
            ("name", "Belgium", "Kingdom of Belgium"),
            ("citations", None, [{"source": "src", "paragraph": 3}]),
        ]
        assert change.citations == (Citation(source="src", paragraph=3),)
        assert "citing src, paragraph 3" in str(change)

    def test_plain_data_and_markdown(self) -> None:
        renamed = Organisation(id="BE", name="Belgique", kind="state", country="BE")
        changes = diff(world(), world(BE=renamed))
        assert changes.to_dict() == [
            {
                "kind": "organisations",
                "id": "BE",
                "change": "changed",
                "fields": [{"field": "name", "old": "Belgium", "new": "Belgique"}],
                "citations": [],
            }
        ]
        assert changes.to_markdown() == (
            '### Organisations\n\n- changed `BE`\n  - `name`: "Belgium" → "Belgique"\n'
        )

    def test_only_datasets_are_compared(self) -> None:
        with pytest.raises(
            mali_aid.MaliAidError, match=r"diff\(\): argument new must be a Dataset"
        ):
            diff(mali_aid.load(), "data/")  # type: ignore[arg-type]


class TestTheReleaseBefore:
    """The data of release 2026.11.0, kept in tests/data/releases, against
    the bundled 2026.12.0: facts the CHANGELOG's Data section states."""

    def test_nothing_removed_and_ids_stable(self) -> None:
        changes = diff(mali_aid.load(PREVIOUS), mali_aid.load())
        assert changes.removed == ()

    def test_eutm_gains_2015_and_the_flood_contribution_one_sector(self) -> None:
        changes = {
            (c.kind, c.id): c for c in diff(mali_aid.load(PREVIOUS), mali_aid.load())
        }
        eutm = {f.field: f for f in changes[("engagements", "eutm-mali")].fields}
        assert 2015 not in eutm["active_in"].old
        assert 2015 in eutm["active_in"].new
        floods = {f.field: f for f in changes[("engagements", "lu-floods-2024")].fields}
        assert [s["sector"] for s in floods["sectors"].new] == ["humanitarian"]

    def test_the_statements_are_new(self) -> None:
        changes = diff(mali_aid.load(PREVIOUS), mali_aid.load())
        added = [c for c in changes.added if c.kind == "statements"]
        assert len(added) == len(mali_aid.load().statements) == 32

    def test_the_data_changelog_page_is_what_the_script_writes(self) -> None:
        written = subprocess.run(
            [
                sys.executable,
                str(ROOT / "scripts" / "data_changelog.py"),
                str(PREVIOUS),
            ],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        page = (ROOT / "docs" / "data-changelog.md").read_text(encoding="utf-8")
        assert written == page, "run scripts/data_changelog.py again"


@settings(max_examples=30)
@given(mas.collections(max_engagements=6), mas.collections(max_engagements=6))
def test_added_one_way_is_removed_the_other(
    first: mas.Collection, second: mas.Collection
) -> None:
    a, b = first.dataset(), second.dataset()
    forward, backward = diff(a, b), diff(b, a)
    assert {(c.kind, c.id) for c in forward.added} == {
        (c.kind, c.id) for c in backward.removed
    }
    assert {(c.kind, c.id) for c in forward.changed} == {
        (c.kind, c.id) for c in backward.changed
    }
    for change in forward.changed:
        assert change.fields
        assert all(f.old != f.new for f in change.fields)
