"""The toy world of the example tests, and builders of its records.

One world, so that it cannot drift from file to file: a few donors and their
agencies, the Sikasso places nested as the gazetteer nests them (the city in
its cercle, the cercle in its region), a neighbouring country, an area and two
sectors. Tests import it with ``from worlds import ...`` (the test folder is on
the path, see ``pythonpath`` in pyproject.toml); ``tests/conftest.py`` serves
the same world as the ``toy_world`` fixture.

The figures of a test are worked out by hand from the records it builds here,
never read back from the code under test.

Below it, the file world of the loader's and the dataset's tests: the same
kind of small world written as data files (``TOML_WORLD``, one text per
file), with helpers to write it and to read the failure of a load;
``tests/conftest.py`` serves it as the ``base_dir``, ``data`` and
``bundled`` fixtures. Last, the command line's file world (``CLI_WORLD``),
served as the ``cli_dir`` and ``cli_bundled`` fixtures.
"""

from __future__ import annotations

import textwrap
from pathlib import Path
from typing import Any

import pytest

from mali_aid import (
    Amount,
    DataError,
    Dataset,
    Engagement,
    Money,
    Organisation,
    Participant,
    Place,
    Sector,
    Source,
    load,
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


# -- the file world ---------------------------------------------------------------

TOML_SOURCES = """
[[sources]]
id = "report-a"
title = "Cooperation report A"
publisher = "Ministry A"
language = "en"
paragraphs = 12

[[sources]]
id = "page-b"
title = "Page B"
publisher = "Agency B"
language = "fr"
paragraphs = 3
"""

TOML_ORGANISATIONS = """
[[organisations]]
id = "BE"
name = "Belgium"
kind = "state"
country = "BE"
citations = [{ source = "report-a", paragraph = 1 }]

[[organisations]]
id = "be-defence"
name = "Belgian Defence"
kind = "armed-forces"
country = "BE"
parent = "BE"

[[organisations]]
id = "be-bffs"
name = "Belgian Fund for Food Security"
kind = "fund"
parent = "BE"

[[organisations]]
id = "LU"
name = "Luxembourg"
kind = "state"

[[organisations]]
id = "luxdev"
name = "LuxDev"
kind = "agency"
parent = "LU"

[[organisations]]
id = "luxdev-bamako"
name = "LuxDev office in Bamako"
kind = "agency"
parent = "luxdev"

[[organisations]]
id = "CH"
name = "Switzerland"
kind = "state"

[[organisations]]
id = "ML"
name = "Mali"
kind = "state"

[[organisations]]
id = "fcm"
name = "Federation of Canadian Municipalities"
kind = "municipal-association"
"""

TOML_PLACES = """
[[places]]
id = "ML"
name = "Mali"
level = "country"
iso_code = "ML"

[[places]]
id = "ML-3"
name = "Sikasso"
level = "region"
parent = "ML"

[[places]]
id = "yorosso"
name = "Yorosso"
level = "cercle"
parent = "ML-3"

[[places]]
id = "sikasso-cercle"
name = "Sikasso"
level = "cercle"
parent = "ML-3"

[[places]]
id = "sikasso-city"
name = "Sikasso"
level = "city"
parent = "sikasso-cercle"

[[places]]
id = "ML-4"
name = "Ségou"
level = "region"
parent = "ML"

[[places]]
id = "ML-BKO"
name = "Bamako"
level = "district"
parent = "ML"

[[places]]
id = "BF"
name = "Burkina Faso"
level = "country"

[[places]]
id = "ouahigouya"
name = "Ouahigouya"
level = "city"
parent = "BF"
"""

TOML_SECTORS = """
[[sectors]]
id = "agriculture"
name = "Agriculture"
dac_code = "311"

[[sectors]]
id = "health"
name = "Health"
dac_code = "121"

[[sectors]]
id = "security"
name = "Security"
dac_code = "152"
citations = [{ source = "page-b", paragraph = 2 }]
"""

TOML_THEMES = """
[[themes]]
id = "gender"
name = "Gender"
"""

TOML_ENGAGEMENTS = """
[[engagements]]
id = "be-programme"
title = "Programme de coopération 2009-2012"
kind = "programme"
participants = [{ organisation = "BE", role = "funding" }]
period = "2009/2014"
original_period = "2009/2012"
amounts = [{ money = "50500000 EUR", kind = "envelope" }]
channel = "bilateral"
sectors = [{ sector = "agriculture" }]
places = [{ place = "ML-3" }, { place = "ML-BKO" }]
themes = ["gender"]
citations = [{ source = "report-a", paragraph = 2 }]

[[engagements]]
id = "be-eutm"
title = "Belgian contingent in EUTM"
kind = "deployment"
participants = [{ organisation = "be-defence", role = "funding" }]
period = "2013-02/2018-01"
channel = "security-defence"
sectors = [{ sector = "security" }]
places = [{ place = "ML" }]

[[engagements]]
id = "lu-icp-ii"
title = "ICP II"
kind = "programme"
participants = [
    { organisation = "LU", role = "funding" },
    { organisation = "luxdev", role = "implementing" },
]
period = "2007/2011"
channel = "bilateral"
places = [{ place = "ML-4" }]

[[engagements]]
id = "lu-icp-iii"
title = "ICP III"
kind = "programme"
participants = [
    { organisation = "LU", role = "funding" },
    { organisation = "luxdev-bamako", role = "implementing" },
]
period = "2015/2019"
amounts = [{ money = "55000000 EUR", kind = "envelope" }]
channel = "bilateral"
sectors = [{ sector = "agriculture" }]
places = [{ place = "ML-4" }, { place = "yorosso" }]
follows = "lu-icp-ii"

[[engagements]]
id = "lu-agro-ii"
title = "Agropastoral programme, phase II"
kind = "programme"
participants = [
    { organisation = "LU", role = "funding", share = "1/2" },
    { organisation = "CH", role = "funding", share = "1/2" },
    { organisation = "luxdev", role = "implementing" },
]
active_in = [2024]
channel = "bilateral"
sectors = [{ sector = "agriculture" }]
places = [{ place = "ML-3" }]

[[engagements]]
id = "lu-envelope-2023"
title = "Envelope 2023-2024"
kind = "envelope"
participants = [{ organisation = "LU", role = "funding" }]
period = "2023/2024"
amounts = [{ money = "42000000 EUR", kind = "envelope" }]
channel = "mixed"

[[engagements]]
id = "lu-humanitarian-2024"
title = "Humanitarian aid 2024"
kind = "contribution"
participants = [{ organisation = "LU", role = "funding" }]
period = "2024"
amounts = [{ money = "4000000 EUR", kind = "contribution" }]
channel = "humanitarian"
part_of = "lu-envelope-2023"

[[engagements]]
id = "lu-floods-2024"
title = "Flood response 2024"
kind = "contribution"
participants = [{ organisation = "LU", role = "funding" }]
active_in = [2024]
amounts = [{ money = "250000 EUR", kind = "contribution" }]
channel = "humanitarian"
part_of = "lu-envelope-2023"

[[engagements]]
id = "mped"
title = "Municipal Partners for Economic Development"
kind = "programme"
participants = [{ organisation = "fcm", role = "implementing" }]
period = "../2017"
channel = "decentralised"
places = [{ place = "ML-BKO" }, { place = "ouahigouya" }]
"""

TOML_EVENTS = """
[[events]]
id = "eutm-command"
title = "Belgium holds the command of EUTM"
kind = "command"
date = "2016-03/2018-01"
actors = ["be-defence"]
places = ["ML"]
engagements = ["be-eutm"]
citations = [{ source = "page-b", paragraph = 3 }]
"""

TOML_INDICATORS = """
[[indicators]]
id = "hdi-rank"
name = "Human development index rank"
value = 186
out_of = 191
unit = "rank"
place = "ML"
reported_in = "Human Development Report"
citations = [{ source = "report-a", paragraph = 12 }]

[[indicators]]
id = "share-figure"
name = "A share"
value = 21.90
unit = "percent"
place = "ML"
"""

#: The head of an engagement, for tests that add one with a broken field.
ENGAGEMENT_HEAD = """
[[engagements]]
id = "broken"
title = "T"
kind = "project"
"""

TOML_WORLD = {
    "sources.toml": TOML_SOURCES,
    "organisations.toml": TOML_ORGANISATIONS,
    "places.toml": TOML_PLACES,
    "sectors.toml": TOML_SECTORS,
    "themes.toml": TOML_THEMES,
    "engagements.toml": TOML_ENGAGEMENTS,
    "events.toml": TOML_EVENTS,
    "indicators.toml": TOML_INDICATORS,
}


# -- the command line's file world ---------------------------------------------
#
# The command line's tests print summaries of a whole world (record counts,
# each donor's known total), so they read a world of their own, small enough
# to work every figure out by hand: five organisations, four places (the
# Sikasso city right in its region), one sector and five engagements, one
# each of a stated envelope, an unknown deployment, a contribution seen in
# 2024, a project of two funders and a programme with no funder. Its theme is
# the file world's. ``tests/conftest.py`` serves it as the ``cli_dir`` and
# ``cli_bundled`` fixtures.

CLI_WORLD = {
    "sources.toml": """
        [[sources]]
        id = "report"
        title = "Report"
        publisher = "Ministry"
        language = "en"
        paragraphs = 5
        """,
    "organisations.toml": """
        [[organisations]]
        id = "BE"
        name = "Belgium"
        kind = "state"

        [[organisations]]
        id = "be-defence"
        name = "Belgian Defence"
        kind = "armed-forces"
        parent = "BE"

        [[organisations]]
        id = "LU"
        name = "Luxembourg"
        kind = "state"

        [[organisations]]
        id = "luxdev"
        name = "LuxDev"
        kind = "agency"
        parent = "LU"

        [[organisations]]
        id = "fcm"
        name = "Federation of Canadian Municipalities"
        kind = "municipal-association"
        """,
    "places.toml": """
        [[places]]
        id = "ML"
        name = "Mali"
        level = "country"

        [[places]]
        id = "ML-3"
        name = "Sikasso"
        level = "region"
        parent = "ML"

        [[places]]
        id = "sikasso-city"
        name = "Sikasso"
        level = "city"
        parent = "ML-3"

        [[places]]
        id = "ML-BKO"
        name = "Bamako"
        level = "district"
        parent = "ML"
        """,
    "sectors.toml": """
        [[sectors]]
        id = "rural"
        name = "Rural development"
        """,
    "themes.toml": TOML_THEMES,
    "engagements.toml": """
        [[engagements]]
        id = "e1"
        title = "Programme"
        kind = "programme"
        participants = [{ organisation = "BE", role = "funding" }]
        period = "2009/2014"
        amounts = [{ money = "50500000 EUR", kind = "envelope" }]
        places = [{ place = "sikasso-city" }]
        sectors = [{ sector = "rural" }]

        [[engagements]]
        id = "e2"
        title = "Deployment"
        kind = "deployment"
        participants = [{ organisation = "be-defence", role = "funding" }]
        period = "2013-02/.."

        [[engagements]]
        id = "e3"
        title = "Contribution"
        kind = "contribution"
        participants = [
            { organisation = "LU", role = "funding" },
            { organisation = "luxdev", role = "implementing" },
        ]
        active_in = [2024]
        amounts = [{ money = "4000000 EUR", kind = "contribution" }]
        places = [{ place = "ML-3" }]
        sectors = [{ sector = "rural" }]

        [[engagements]]
        id = "e4"
        title = "Joint project"
        kind = "project"
        participants = [
            { organisation = "luxdev", role = "funding" },
            { organisation = "BE", role = "funding" },
        ]
        period = "../2019"

        [[engagements]]
        id = "e5"
        title = "Municipal programme"
        kind = "programme"
        participants = [{ organisation = "fcm", role = "implementing" }]
        """,
}


def write(directory: Path, files: dict[str, str]) -> Path:
    directory.mkdir(parents=True, exist_ok=True)
    for name, text in files.items():
        (directory / name).write_text(textwrap.dedent(text), encoding="utf-8")
    return directory


def bundle(directory: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Make the loader take ``directory`` for the bundled data."""
    from mali_aid import _loading

    monkeypatch.setattr(_loading, "_bundled_root", lambda: directory)
    monkeypatch.setattr(_loading, "_bundled", None)
    return directory


def with_extra(name: str, extra: str) -> dict[str, str]:
    """The base files, with ``extra`` appended to file ``name``."""
    files = dict(TOML_WORLD)
    files[name] = files[name] + textwrap.dedent(extra)
    return files


def failure(directory: Path) -> DataError:
    with pytest.raises(DataError) as caught:
        load(directory)
    return caught.value


def ids(records: tuple[Engagement, ...]) -> list[str]:
    return [record.id for record in records]
