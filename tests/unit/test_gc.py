"""The collector is paused only inside the heavy work and always switched back on."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

import mali_aid
from mali_aid._gc import paused_collection


@pytest.fixture
def collector_on() -> Iterator[None]:
    was = gc.isenabled()
    gc.enable()
    yield
    if was:
        gc.enable()
    else:
        gc.disable()


class TestPausedCollection:
    def test_paused_inside_and_running_after(self, collector_on: None) -> None:
        with paused_collection():
            assert not gc.isenabled()
        assert gc.isenabled()

    def test_switched_back_on_when_the_work_raises(self, collector_on: None) -> None:
        with pytest.raises(KeyError), paused_collection():
            raise KeyError("boom")
        assert gc.isenabled()

    def test_a_collector_the_caller_switched_off_stays_off(
        self, collector_on: None
    ) -> None:
        gc.disable()
        with paused_collection():
            assert not gc.isenabled()
        assert not gc.isenabled()

    def test_nested_pauses_restore_only_at_the_outermost(
        self, collector_on: None
    ) -> None:
        with paused_collection():
            with paused_collection():
                pass
            assert not gc.isenabled()
        assert gc.isenabled()


class TestAnalysisLeavesTheCollectorOn:
    def test_after_a_failed_overlap_search(self, collector_on: None) -> None:
        data = mali_aid.load()
        with pytest.raises(mali_aid.errors.MaliAidError):
            mali_aid.find_overlaps(data.engagements, data=data, on=["colour"])  # type: ignore[list-item]
        assert gc.isenabled()

    def test_after_totals_and_overlaps(self, collector_on: None) -> None:
        data = mali_aid.load()
        mali_aid.totals(data.engagements, data=data, by="donor", currency="EUR")
        mali_aid.find_overlaps(data.engagements, data=data)
        assert gc.isenabled()
