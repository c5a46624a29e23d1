"""Minimal reproducers of what the oracle found (``test_totals_oracle.py``).

Both were fixed by reckoning a container and its parts in one currency
(the container's own, or the total's where some amount has no rate into
it); these tests keep them fixed.
"""

from __future__ import annotations

from datetime import date

import mali_aid
from mali_aid import (
    Amount,
    Dataset,
    Engagement,
    Money,
    Organisation,
    Participant,
    Period,
)


def envelope_with_a_part(part_period: Period | None) -> Dataset:
    """A XOF 1,000,000 envelope of 2000 (EUR 1,524.49 at the peg) holding a
    EUR 1,000 part."""
    funding = [Participant(organisation="BE", role="funding")]
    return Dataset(
        organisations=[Organisation(id="BE", name="Belgium", kind="state")],
        engagements=[
            Engagement(
                id="envelope",
                title="Envelope",
                kind="envelope",
                participants=funding,
                period=Period.parse("2000"),
                amounts=[Amount(money=Money("1000000", "XOF"), kind="envelope")],
            ),
            Engagement(
                id="part",
                title="Part",
                kind="project",
                part_of="envelope",
                participants=funding,
                period=part_period,
                amounts=[Amount(money=Money("1000", "EUR"), kind="budget")],
            ),
        ],
    )


def test_a_dated_part_in_another_currency_is_counted_once() -> None:
    data = envelope_with_a_part(Period.parse("2000"))
    result = mali_aid.totals(
        data.engagements, by="engagement", currency="EUR", data=data
    )
    assert result.figures() == {
        "envelope": Money("524.49", "EUR"),
        "part": Money("1000.00", "EUR"),
    }
    assert result.total.best == Money("1524.49", "EUR")


def test_an_undated_part_in_another_currency_is_counted_once() -> None:
    """Each flow counts once (docs/analysis.md, rule 2): the part's EUR 1,000
    lies inside the envelope, so the total is the envelope's EUR 1,524.49,
    not EUR 2,524.49."""
    data = envelope_with_a_part(None)
    result = mali_aid.totals(data.engagements, by="donor", currency="EUR", data=data)
    assert result.total.best == Money("1524.49", "EUR")


def test_a_container_with_an_undated_amount_in_a_second_currency_keeps_its_parts() -> (
    None
):
    """The envelope holds XOF 1,000,000 (valued on 1 January 2000: EUR
    1,524.49) and an undated EUR 1,000: EUR 2,524.49 in all, of which a EUR
    1,000 part. Nothing is larger than its container, yet the parts are
    refused as summing to "655,957.00 against 2,524.49 XOF"; with a second
    amount of EUR 7 the container's remainder comes out near nothing."""
    funding = [Participant(organisation="BE", role="funding")]
    data = Dataset(
        organisations=[Organisation(id="BE", name="Belgium", kind="state")],
        engagements=[
            Engagement(
                id="envelope",
                title="Envelope",
                kind="envelope",
                participants=funding,
                amounts=[
                    Amount(
                        money=Money("1000000", "XOF"),
                        kind="envelope",
                        value_date=date(2000, 1, 1),
                    ),
                    Amount(money=Money("1000", "EUR"), kind="envelope"),
                ],
            ),
            Engagement(
                id="part",
                title="Part",
                kind="project",
                part_of="envelope",
                participants=funding,
                period=Period.parse("2000"),
                amounts=[Amount(money=Money("1000", "EUR"), kind="budget")],
            ),
        ],
    )
    result = mali_aid.totals(data.engagements, by="donor", currency="EUR", data=data)
    assert result.total.best == Money("2524.49", "EUR")
