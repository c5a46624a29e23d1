"""The fast engine of totals() gives exactly what the reference rules give.

``mali_aid._aggregate.reference_totals`` applies the rules of
``mali_aid._rules`` one atom at a time; ``totals()`` hands plain
engagements to the columnar engine of ``mali_aid._engine`` and the rest to
the same reference. Every field of the result must agree, cells in the same
order, on generated datasets that use every rule: several amounts, value
dates, qualifiers, unknown amounts, funding shares, percentages, parts,
several currencies and years, open periods, active years, places outside
Mali.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mali_aid import (
    Amount,
    Dataset,
    Engagement,
    Money,
    Organisation,
    Participant,
    Period,
    Place,
    PlaceShare,
    Totals,
    totals,
)
from mali_aid import strategies as mas
from mali_aid._aggregate import _compute, reference_totals
from mali_aid.errors import DataError

np = pytest.importorskip("numpy")
from mali_aid import _engine  # noqa: E402

DIMENSIONS = [
    "donor",
    "channel",
    "sector",
    "place",
    "year",
    "implementer",
    "status",
    "kind",
    "engagement",
]


@pytest.fixture(autouse=True)
def engine_for_every_size(monkeypatch: pytest.MonkeyPatch) -> None:
    """Let the engine take even the smallest collections."""
    monkeypatch.setattr(_engine, "MIN_ROWS", 0)


def assert_same(fast: Totals, reference: Totals) -> None:
    assert list(fast) == list(reference)  # the same keys, in the same order
    for key in reference:
        assert fast[key] == reference[key], key
    assert fast == reference


def both(engagements: Any, **options: Any) -> tuple[Totals, Totals] | None:
    """The total by the engine and by the reference, or ``None`` when the
    reference refuses the data (and then the engine must refuse it too)."""
    try:
        expected = reference_totals(engagements, **options)
    except DataError as error:
        with pytest.raises(type(error)):
            totals(engagements, **options)
        return None
    return totals(engagements, **options), expected


options = st.fixed_dictionaries(
    {
        "by": st.lists(
            st.sampled_from(DIMENSIONS), min_size=1, max_size=3, unique=True
        ).map(tuple),
        "currency": st.sampled_from(["EUR", "XOF", "USD", "JPY", "KWD"]),
        "scope": st.sampled_from(["mali", "all"]),
        "tolerance": st.sampled_from(["0.1", "0", "0.25", "0.123456789"]),
        "level": st.sampled_from([None, None, "region", "country"]),
    }
)


@settings(max_examples=250, deadline=None)
@given(mas.collections(max_engagements=24), options)
def test_the_engine_agrees_with_the_reference(collection: Any, chosen: Any) -> None:
    data = collection.dataset()
    found = both(data.engagements, data=data, **chosen)
    if found is not None:
        assert_same(*found)


@settings(max_examples=150, deadline=None)
@given(
    mas.collections(max_engagements=30, convertible=True, parts=False, budgets=False),
    options,
    st.randoms(use_true_random=False),
)
def test_the_engine_agrees_on_a_subset_in_any_order(
    collection: Any, chosen: Any, random: Any
) -> None:
    """A selection of the dataset's own engagements (read from the cached
    columns) and copies of them (read afresh) give the reference's totals."""
    data = collection.dataset()
    subset = random.sample(data.engagements, k=random.randint(0, len(data.engagements)))
    found = both(subset, data=data, **chosen)
    if found is not None:
        assert_same(*found)


@settings(max_examples=60, deadline=None)
@given(
    mas.collections(max_engagements=24, convertible=True),
    st.lists(options, min_size=2, max_size=5),
    st.randoms(use_true_random=False),
)
def test_totals_asked_one_after_another_agree_with_the_reference(
    collection: Any, asked: Any, random: Any
) -> None:
    """The engine keeps each dataset's rounded pieces per currency, rates and
    tolerance: whatever was asked before, in whatever order, a total and a
    total of a subset still give the reference's figures."""
    data = collection.dataset()
    for chosen in asked:
        subset = random.sample(
            data.engagements, k=random.randint(0, len(data.engagements))
        )
        for engagements in (data.engagements, subset):
            found = both(engagements, data=data, **chosen)
            if found is not None:
                assert_same(*found)


def test_the_rounded_pieces_are_kept_per_currency_rates_and_tolerance() -> None:
    data = plain_world(
        [("1000", "EUR", "exact", "2020-01/2021-12"), ("70000", "XOF", "about", "2021")]
        * 3,
        funders=2,
    )
    from mali_aid import Rates, default_rates
    from mali_aid._columns import of_dataset
    from mali_aid._rules import Rules

    columns = of_dataset(data, "mali")

    def rules(currency: str, tolerance: Fraction, rates: Any) -> Rules:
        return Rules(data, rates, currency, None, tolerance, "mali", "even")

    rates = default_rates()
    first = _engine.prepared(columns, rules("EUR", Fraction(1, 10), rates))
    assert _engine.prepared(columns, rules("EUR", Fraction(1, 10), rates)) is first
    others = [
        _engine.prepared(columns, rules("XOF", Fraction(1, 10), rates)),
        _engine.prepared(columns, rules("EUR", Fraction(1, 5), rates)),
        _engine.prepared(columns, rules("EUR", Fraction(1, 10), Rates(origin="mine"))),
    ]
    assert all(other is not first for other in others)
    assert len({id(other) for other in others}) == 3
    # Whole francs against cents: 655.957 / 100 times the count.
    cents, francs = int(first.best.sum()), int(others[0].best.sum())
    assert 6.5 * cents < francs < 6.6 * cents


def test_a_total_of_every_engagement_adds_up_pieces_added_up_once() -> None:
    """Totals of the whole dataset add up its pieces pre-added by every key
    but the engagement: 300 engagements of three donors over two years make
    a few sums, and every grouping still agrees with the reference."""
    data = plain_world([("1000.01", "EUR", "exact", "2020-01/2021-12")] * 300, 1)
    from mali_aid import default_rates
    from mali_aid._columns import of_dataset
    from mali_aid._rules import Rules

    columns = of_dataset(data, "mali")
    rules = Rules(data, default_rates(), "EUR", None, Fraction(1, 10), "mali", "even")
    ready = _engine.prepared(columns, rules)
    assert len(ready.best) == 600  # a piece per engagement and year
    for by in ("donor", ("donor", "year"), "year", "engagement", "place"):
        found = both(data.engagements, by=by, currency="EUR", data=data)
        assert found is not None
        assert_same(*found)
    rolled = ready.memo["rolled"]["pieces"]
    assert len(rolled["best"]) == 6  # three donors, two years
    # 100 engagements of 1,000.01 EUR each, spread by days over 2020 (366 of
    # 731 days) and 2021: 500.69 and 499.32 EUR each, rounded per engagement.
    assert sorted(rolled["best"].tolist()) == [4_993_200] * 3 + [5_006_900] * 3
    assert ready.memo["pieces"]["pieces"]["best"] is ready.best


def plain_world(amounts: list[tuple[str, str, str, str]], funders: int) -> Dataset:
    """Engagements over several years, each with one amount: (money,
    currency, qualifier, period), funded by ``funders`` donors in turn."""
    donors = [f"D{i}" for i in range(3)]
    records = []
    for index, (value, currency, qualifier, period) in enumerate(amounts):
        shares = ("1/3", "2/3") if funders == 2 else (None,)
        participants = [
            Participant(
                organisation=donors[(index + k) % 3], role="funding", share=share
            )
            for k, share in enumerate(shares)
        ]
        records.append(
            Engagement(
                id=f"e{index}",
                title="plain",
                kind="project",
                participants=participants,
                period=Period.parse(period),
                amounts=[
                    Amount(
                        money=Money(value, currency),
                        kind="commitment",
                        qualifier=qualifier,
                    )
                ],
            )
        )
    return Dataset(
        organisations=[Organisation(id=d, name=d, kind="state") for d in donors],
        engagements=records,
    )


@settings(max_examples=200, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.one_of(
                st.integers(0, 10**12).map(str),
                st.integers(0, 10**8).map(lambda units: str(Decimal(units) / 100)),
                # Beyond 2**53 units: left to the reference.
                st.integers(2**53, 2**70).map(str),
            ),
            st.sampled_from(["EUR", "XOF", "USD", "GBP", "CHF"]),
            st.sampled_from(["exact", "about", "at-least", "at-most"]),
            st.sampled_from(
                [
                    "2001-01/2001-12",
                    "2003-07/2006-02",
                    "2010/2011",
                    "2015-03-01/2019-12-31",
                ]
            ),
        ),
        min_size=1,
        max_size=40,
    ),
    st.sampled_from([1, 2]),
    st.sampled_from([("donor",), ("donor", "year"), ("year", "kind")]),
    st.sampled_from(["EUR", "XOF", "USD"]),
)
def test_plain_engagements_agree_to_the_unit(
    amounts: Any, funders: int, by: Any, currency: str
) -> None:
    """Amounts of every size, shares of thirds, every qualifier and rates
    that change from year to year: the engine's integer arithmetic and its
    float comparisons of remainders give the reference's figures."""
    data = plain_world(amounts, funders)
    found = both(data.engagements, by=by, currency=currency, data=data)
    assert found is not None
    assert_same(*found)


def test_the_engine_takes_plain_engagements_itself() -> None:
    """Not everything is left to the reference: plain engagements in euros
    and CFA francs are totalled by the engine, the one too large for it is
    not."""
    data = plain_world(
        [
            ("1000.00", "EUR", "exact", "2001-01/2003-06"),
            ("655957", "XOF", "about", "2010/2011"),
            (str(2**60), "EUR", "exact", "2010/2011"),
        ],
        funders=2,
    )
    computed = _compute(
        data.engagements,
        by="donor",
        currency="EUR",
        data=data,
        rates=None,
        kinds=None,
        level=None,
        split="even",
        scope="mali",
        tolerance="0.1",
    )
    assert computed.fast is not None
    assert computed.fast.result.left.tolist() == [2]


def test_a_known_total_by_the_engine() -> None:
    """EUR 1,000.00 over 2001-01 to 2003-06 (365 + 365 + 181 days), funded a
    third and two thirds: the figures worked out by hand."""
    data = plain_world([("1000.00", "EUR", "exact", "2001-01/2003-06")], funders=2)
    result = totals(data.engagements, by=("donor", "year"), currency="EUR", data=data)
    # 1000 * 365/911 = 400.658..., * 1/3 = 133.55 and * 2/3 = 267.11;
    # 1000 * 181/911 = 198.683..., * 1/3 = 66.23 and * 2/3 = 132.46.
    assert {
        key: str(cell.best.amount) for key, cell in result.items() if cell.best
    } == {
        ("D0", 2001): "133.55",
        ("D0", 2002): "133.55",
        ("D0", 2003): "66.23",
        ("D1", 2001): "267.11",
        ("D1", 2002): "267.11",
        ("D1", 2003): "132.45",
    }
    assert str(result.total.best.amount) == "1000.00"  # type: ignore[union-attr]


def test_places_outside_mali_and_unknown_shares_agree() -> None:
    data = Dataset(
        organisations=[Organisation(id="D", name="D", kind="state")],
        places=[
            Place(id="ML", name="Mali", level="country"),
            Place(id="NE", name="Niger", level="country"),
        ],
        engagements=[
            Engagement(
                id=f"e{i}",
                title="x",
                kind="project",
                participants=[Participant(organisation="D", role="funding")],
                period=Period.parse("2012/2013"),
                places=places,
                amounts=[Amount(money=Money("1000", "EUR"), kind="budget")],
            )
            for i, places in enumerate(
                [
                    [PlaceShare(place="ML")],
                    [PlaceShare(place="NE")],
                    [PlaceShare(place="ML"), PlaceShare(place="NE")],
                    [
                        PlaceShare(place="ML", percentage=Decimal(70)),
                        PlaceShare(place="NE", percentage=Decimal(30)),
                    ],
                ]
            )
        ],
    )
    for scope in ("mali", "all"):
        found = both(
            data.engagements, by="place", currency="EUR", data=data, scope=scope
        )
        assert found is not None
        assert_same(*found)
    assert totals(
        data.engagements, by="place", currency="EUR", data=data
    ).outside_scope == ("e1",)


def test_the_exact_sums_hold_beyond_float_precision() -> None:
    values = np.array([2**62 - 1, 2**62 - 3, 5], dtype=np.int64)
    groups = np.array([0, 0, 1])
    assert _engine._exact_sums(values, groups, 2) == [2**63 - 4, 5]


def test_scaled_is_exact() -> None:
    q, r, den = _engine._scaled(
        np.array([7]), np.array([2]), np.array([3]), np.array([2]), np.array([5])
    )
    # (7 + 2/3) * 2/5 = 46/15 = 3 + 1/15
    assert (q.tolist(), r.tolist(), den.tolist()) == ([3], [1], [15])
    assert Fraction(int(q[0])) + Fraction(int(r[0]), int(den[0])) == Fraction(46, 15)


def test_a_date_valued_amount_agrees() -> None:
    data = Dataset(
        organisations=[Organisation(id="D", name="D", kind="state")],
        engagements=[
            Engagement(
                id="e",
                title="x",
                kind="contribution",
                participants=[Participant(organisation="D", role="funding")],
                amounts=[
                    Amount(
                        money=Money("1234567", "XOF"),
                        kind="contribution",
                        value_date=date(2013, 2, 1),
                    )
                ],
            )
        ],
    )
    found = both(data.engagements, by="year", currency="USD", data=data)
    assert found is not None
    assert_same(*found)
