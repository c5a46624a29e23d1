"""The toy world of the example tests, and builders of its records.

One world, so that it cannot drift from file to file: a few donors and their
agencies, the Sikasso places nested as the gazetteer nests them (the city in
its cercle, the cercle in its region), a neighbouring country, an area and two
sectors. Tests import it with ``from worlds import ...`` (the test folder is on
the path, see ``pythonpath`` in pyproject.toml); ``tests/conftest.py`` serves
the same world as the ``toy_world`` fixture.

The figures of a test are worked out by hand from the records it builds here,
never read back from the code under test.
"""

from __future__ import annotations

from typing import Any

from mali_aid import (
    Amount,
    Dataset,
    Engagement,
    Money,
    Organisation,
    Participant,
    Place,
    Sector,
    Source,
)

SOURCES = (
    Source(id="src", title="A text", publisher="P", language="en", paragraphs=9),
)

ORGANISATIONS = (
    Organisation(id="LU", name="Luxembourg", kind="state", country="LU"),
    Organisation(id="CH", name="Switzerland", kind="state", country="CH"),
    Organisation(id="BE", name="Belgium", kind="state", country="BE"),
    Organisation(
        id="be-defence", name="Belgian Defence", kind="armed-forces", parent="BE"
    ),
    Organisation(id="luxdev", name="LuxDev", kind="agency", parent="LU"),
)

#: Mali's places as the gazetteer nests them, then a neighbour and an area.
PLACES = (
    Place(id="ML", name="Mali", level="country"),
    Place(id="sikasso-region", name="Sikasso", level="region", parent="ML"),
    Place(id="sikasso-cercle", name="Sikasso", level="cercle", parent="sikasso-region"),
    Place(id="sikasso-city", name="Sikasso", level="city", parent="sikasso-cercle"),
    Place(id="yorosso", name="Yorosso", level="cercle", parent="sikasso-region"),
    Place(id="segou-region", name="Ségou", level="region", parent="ML"),
    Place(id="BF", name="Burkina Faso", level="country"),
    Place(id="sahel", name="Sahel", level="area"),
)

SECTORS = (
    Sector(id="health", name="Health"),
    Sector(id="water", name="Water"),
)


def world(*engagements: Engagement, **kinds: Any) -> Dataset:
    """The toy world with these engagements (and any other kind replaced)."""
    records: dict[str, Any] = {
        "sources": SOURCES,
        "organisations": ORGANISATIONS,
        "places": PLACES,
        "sectors": SECTORS,
        "engagements": engagements,
    }
    records.update(kinds)
    return Dataset(**records)


#: The toy world with no engagement.
WORLD = world()


def amount(text: str, kind: str = "budget", **fields: Any) -> Amount:
    """An amount from its readable form: ``amount("100 EUR", "disbursement")``."""
    return Amount(money=Money.parse(text), kind=kind, **fields)


def eur(value: str, kind: str = "budget", **fields: Any) -> Amount:
    """An amount in euros: ``eur("100")``."""
    return Amount(money=Money(value, "EUR"), kind=kind, **fields)


def funded(
    id: str,
    *amounts: Amount,
    funder: str = "LU",
    funders: tuple[str, ...] | None = None,
    **fields: Any,
) -> Engagement:
    """An engagement funded by ``funder`` (or each of ``funders``) with these
    amounts; the title is the id and the kind a programme unless given."""
    names = (funder,) if funders is None else funders
    participants = fields.pop(
        "participants",
        [Participant(organisation=name, role="funding") for name in names],
    )
    return Engagement(
        id=id,
        title=fields.pop("title", id),
        kind=fields.pop("kind", "programme"),
        participants=participants,
        amounts=fields.pop("amounts", amounts),
        **fields,
    )
