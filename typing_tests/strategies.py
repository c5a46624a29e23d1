"""The Hypothesis strategies as users call them, checked by ``mypy --strict``,
never run."""

from __future__ import annotations

from datetime import date
from typing import assert_type

from hypothesis import strategies as st

from mali_aid import Dataset, Engagement, Money, Period
from mali_aid import strategies as mas

world = mas.collections(
    max_engagements=6,
    currencies=["EUR", "XOF"],
    min_date=date(2000, 1, 1),
    value_dates=False,
    convertible=True,
    co_financing=False,
    parts=True,
    budgets=True,
    unknown_amounts=False,
    open_periods=False,
    multi_country=True,
)
assert_type(world, st.SearchStrategy[mas.Collection])
assert_type(mas.engagements(part_of=["a"]), st.SearchStrategy[Engagement])
assert_type(mas.money(currencies=["EUR"]), st.SearchStrategy[Money])
assert_type(mas.periods(bounded=True), st.SearchStrategy[Period])


def check(collection: mas.Collection) -> None:
    assert_type(collection.dataset(), Dataset)
    assert_type(mas.describe(collection.engagements[0]), str)
