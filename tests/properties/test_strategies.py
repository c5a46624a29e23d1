"""The strategies themselves: what they generate loads as data, and is varied.

Every invariant the strategies promise is checked here on what they generate,
with the package's own loader and rates as the judges.
"""

from __future__ import annotations

import json
import tempfile
from collections import defaultdict
from decimal import Decimal
from fractions import Fraction
from pathlib import Path
from typing import Any

import pytest
from hypothesis import Phase, find, given, settings
from hypothesis import strategies as st

from mali_aid import (
    AmountKind,
    Dataset,
    Engagement,
    Money,
    Role,
    default_rates,
    load,
)
from mali_aid import strategies as mas
from mali_aid.errors import NoRateError

# -- writing a collection as data files -------------------------------------------


def toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list):
        return "[" + ", ".join(toml_value(item) for item in value) + "]"
    if isinstance(value, dict):
        pairs = ", ".join(
            f'"{key}" = {toml_value(item)}' for key, item in value.items()
        )
        return "{ " + pairs + " }"
    raise TypeError(f"cannot write {value!r} as TOML")


def write(collection: mas.Collection, directory: Path) -> None:
    for name, content in collection.as_files().items():
        ((kind, records),) = content.items()
        tables = [
            f"[[{kind}]]\n"
            + "".join(
                f'"{key}" = {toml_value(value)}\n' for key, value in record.items()
            )
            for record in records
        ]
        (directory / name).write_text("\n".join(tables), encoding="utf-8")


def load_collection(collection: mas.Collection) -> Dataset:
    with tempfile.TemporaryDirectory() as directory:
        write(collection, Path(directory))
        return load(directory)


# -- valid by construction ---------------------------------------------------------


@settings(max_examples=60)
@given(mas.collections())
def test_every_collection_loads_as_data_files(collection: mas.Collection) -> None:
    data = load_collection(collection)
    for kind in ("sources", "organisations", "places", "sectors", "themes"):
        assert getattr(data, kind) == getattr(collection, kind)
    assert data.engagements == collection.engagements


def counted_container(data: Dataset, record: Engagement) -> Engagement | None:
    """The nearest engagement above ``record`` that has an amount."""
    parent = record.part_of
    while parent is not None:
        container = data.engagement(parent)
        if container.amounts:
            return container
        parent = container.part_of
    return None


def parts_by_container(data: Dataset) -> dict[str, list[Engagement]]:
    parts: dict[str, list[Engagement]] = defaultdict(list)
    for record in data.engagements:
        container = counted_container(data, record)
        if container is not None and record.amounts:
            parts[container.id].append(record)
    return parts


@settings(max_examples=80)
@given(mas.collections())
def test_parts_in_one_currency_never_exceed_any_amount_of_their_container(
    collection: mas.Collection,
) -> None:
    data = collection.dataset()
    for container_id, parts in parts_by_container(data).items():
        container = data.engagement(container_id)
        for currency in {a.money.currency for p in parts for a in p.amounts}:
            stated = sum(
                (
                    a.money
                    for p in parts
                    for a in p.amounts
                    if a.money.currency == currency
                ),
                Money("0", currency),
            )
            for amount in container.amounts:
                if amount.money.currency == currency:
                    assert stated <= amount.money


@settings(max_examples=60)
@given(mas.collections(convertible=True), st.integers(1999, 2025))
def test_parts_converted_at_any_years_rate_fit_in_their_container(
    collection: mas.Collection, year: int
) -> None:
    # The bundled rates judge: at the annual mean of any year, the parts'
    # amounts, all kinds together, sum to no more than the least amount of
    # their container.
    rates = default_rates()
    data = collection.dataset()

    def in_euros(money: Money) -> Fraction:
        return Fraction(money.amount) * rates.factor(money.currency, "EUR", year=year)

    for container_id, parts in parts_by_container(data).items():
        container = data.engagement(container_id)
        least = min(in_euros(amount.money) for amount in container.amounts)
        assert sum(in_euros(a.money) for p in parts for a in p.amounts) <= least


@given(mas.collections())
def test_shares_and_percentages_are_whole(collection: mas.Collection) -> None:
    for record in collection.engagements:
        shares = [p.share for p in record.funders if p.share is not None]
        assert not shares or sum(shares) == 1
        for entries in (record.sectors, record.places):
            given_ = [entry.percentage for entry in entries if entry.percentage]
            assert sum(given_, Decimal(0)) <= 100
            assert all(Decimal(0) < value <= 100 for value in given_)


@given(mas.collections())
def test_links_point_back_and_parts_nest_at_most_three_deep(
    collection: mas.Collection,
) -> None:
    seen: dict[str, int] = {}
    for record in collection.engagements:
        assert record.part_of is None or record.part_of in seen
        assert record.follows is None or record.follows in seen
        seen[record.id] = 0 if record.part_of is None else seen[record.part_of] + 1
        assert seen[record.id] <= 2


@given(mas.collections())
def test_engagements_abroad_state_malis_share(collection: mas.Collection) -> None:
    data = collection.dataset()
    for record in data.engagements:
        abroad = [s for s in record.places if not data.lies_in(s.place, "ML")]
        if abroad:
            assert all(share.percentage is not None for share in record.places)
            assert len(abroad) < len(record.places)


# -- every option does what it says ----------------------------------------------------


@given(mas.collections(multi_country=False))
def test_without_multi_country_every_place_is_in_mali(
    collection: mas.Collection,
) -> None:
    data = collection.dataset()
    assert all(data.lies_in(place.id, "ML") for place in data.places)


@given(mas.collections(co_financing=False, parts=False))
def test_without_co_financing_or_parts(collection: mas.Collection) -> None:
    for record in collection.engagements:
        assert all(p.share is None for p in record.participants)
        assert record.part_of is None


@given(mas.collections(budgets=False, unknown_amounts=False, open_periods=False))
def test_one_known_amount_and_a_bounded_period_each(
    collection: mas.Collection,
) -> None:
    for record in collection.engagements:
        assert len(record.amounts) == 1
        assert record.period is not None and record.period.is_bounded
        assert record.active_in == ()


@settings(max_examples=60)
@given(mas.collections(convertible=True))
def test_convertible_amounts_all_convert(collection: mas.Collection) -> None:
    rates = default_rates()
    for record in collection.engagements:
        years = record.period.years if record.period is not None else None
        for amount in record.amounts:
            if amount.value_date is not None:
                rates.convert(amount.money, "EUR", on=amount.value_date)
            for year in years or (*record.active_in, 1999, 2025):
                rates.convert(amount.money, "EUR", year=year)


def test_outside_the_rates_coverage_an_amount_may_not_convert() -> None:
    # The other side of the option: without it, dates reach beyond the rates.
    def unconvertible(collection: mas.Collection) -> bool:
        rates = default_rates()
        for record in collection.engagements:
            for amount in record.amounts:
                if amount.value_date is not None and amount.money.currency != "EUR":
                    try:
                        rates.convert(amount.money, "EUR", on=amount.value_date)
                    except NoRateError:
                        return True
        return False

    find(mas.collections(), unconvertible, settings=SEARCH)


# -- realistic worlds: the variety is there ----------------------------------------------

VARIETY = {
    "co-financing with shares": lambda c: any(
        p.share is not None for e in c.engagements for p in e.participants
    ),
    "a part inside a part": lambda c: (
        sum(
            e.part_of is not None
            and any(o.id == e.part_of and o.part_of for o in c.engagements)
            for e in c.engagements
        )
        > 0
    ),
    "a part and its container both with amounts": lambda c: any(
        e.amounts
        and e.part_of
        and any(o.id == e.part_of and o.amounts for o in c.engagements)
        for e in c.engagements
    ),
    "annual budgets, each with its period": lambda c: any(
        sum(a.kind is AmountKind.BUDGET and a.period is not None for a in e.amounts) > 1
        for e in c.engagements
    ),
    "a commitment with disbursements": lambda c: any(
        {a.kind for a in e.amounts} == {AmountKind.COMMITMENT, AmountKind.DISBURSEMENT}
        for e in c.engagements
    ),
    "two currencies in one collection": lambda c: (
        len({a.money.currency for e in c.engagements for a in e.amounts}) > 1
    ),
    "an unknown amount": lambda c: any(not e.amounts for e in c.engagements),
    "an open period": lambda c: any(
        e.period is not None and not e.period.is_bounded for e in c.engagements
    ),
    "years of activity": lambda c: any(e.active_in for e in c.engagements),
    "a place abroad": lambda c: any(p.id == "NE" for p in c.places),
    "a commune in a cercle in a region": lambda c: any(
        p.level == "commune" for p in c.places
    ),
    "a value date": lambda c: any(
        a.value_date for e in c.engagements for a in e.amounts
    ),
    "an approximate amount": lambda c: any(
        a.qualifier != "exact" for e in c.engagements for a in e.amounts
    ),
    "an implementer": lambda c: any(
        e.participants_in(Role.IMPLEMENTING) for e in c.engagements
    ),
    "sector percentages": lambda c: any(
        s.percentage for e in c.engagements for s in e.sectors
    ),
}


#: Searching, not shrinking: a few hundred examples are enough to meet each.
SEARCH = settings(database=None, phases=[Phase.generate], max_examples=300)


@pytest.mark.parametrize("name", VARIETY)
def test_the_default_collections_reach(name: str) -> None:
    find(mas.collections(), VARIETY[name], settings=SEARCH)


# -- small counterexamples that fit on a screen ------------------------------------------------


def test_a_failure_shrinks_to_the_few_records_it_needs() -> None:
    # A part with an amount inside a container with an amount: two engagements.
    smallest = find(
        mas.collections(),
        VARIETY["a part and its container both with amounts"],
        settings=settings(database=None),
    )
    # The shrinker now and then stops with one bystander left over.
    assert len(smallest.engagements) in (2, 3)
    *_, container, part = smallest.engagements
    assert part.part_of == container.id
    assert len(part.amounts) == len(container.amounts) == 1
    assert len(smallest.organisations) == len(smallest.places) == 1
    # Its repr, which Hypothesis prints, is a short summary.
    lines = repr(smallest).splitlines()
    assert len(lines) == 6 + len(smallest.engagements)
    assert all(len(line) < 120 for line in lines)
    assert f"part of {container.id}" in lines[-1]


def test_hypothesis_prints_the_summary() -> None:
    from hypothesis.vendor.pretty import pretty

    collection = find(
        mas.collections(),
        lambda c: len(c.engagements) >= 1,
        settings=settings(database=None),
    )
    assert pretty(collection) == repr(collection)


@settings(settings.get_profile("default"), database=None)
@given(mas.collections())
def test_collections_pass_the_default_health_checks(
    collection: mas.Collection,
) -> None:
    # Hypothesis's own defaults, health checks included, whatever profile
    # the rest of the suite runs under.
    assert len(collection.engagements) <= 12


@given(mas.collections(max_engagements=0))
def test_no_engagements_at_all(collection: mas.Collection) -> None:
    assert collection.engagements == ()
    assert collection.dataset().place("ML").name == "Mali"


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"currencies": ["XXX"]}, "unknown currency"),
        ({"currencies": []}, "at least one currency"),
        ({"max_engagements": -1}, "at least 0"),
    ],
)
def test_bad_options_are_refused(options: dict[str, Any], message: str) -> None:
    with pytest.raises(ValueError, match=message):
        mas.collections(**options)


@given(mas.engagements(part_of=["a", "b"], follows=["c"], themes=["t"]))
def test_engagements_alone_refer_to_the_lists(record: Engagement) -> None:
    assert record.part_of in (None, "a", "b")
    assert record.follows in (None, "c")
    assert set(record.themes) <= {"t"}
    assert {p.organisation for p in record.participants} <= {"org-a", "org-b", "org-c"}
