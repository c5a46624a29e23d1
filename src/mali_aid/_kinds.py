"""The kinds of records a dataset holds, and how an unknown id is answered.

Each kind has a plural (its file and table name, ``engagements.toml`` and
``[[engagements]]``), a singular (its lookup method, ``engagement()``) and
its class. The dataset, its validation and its loading all go through
:data:`KINDS`, in this order.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any, Final

from ._model import (
    Engagement,
    Event,
    Indicator,
    Organisation,
    Place,
    Sector,
    Source,
    Statement,
    Theme,
)

#: Each kind of record: its plural (the file and table name), its singular
#: (the lookup method) and its class, in the order the files are read.
KINDS: Final[tuple[tuple[str, str, type[Any]], ...]] = (
    ("sources", "source", Source),
    ("organisations", "organisation", Organisation),
    ("places", "place", Place),
    ("sectors", "sector", Sector),
    ("themes", "theme", Theme),
    ("engagements", "engagement", Engagement),
    ("events", "event", Event),
    ("indicators", "indicator", Indicator),
    ("statements", "statement", Statement),
)
#: The singular of each plural.
SINGULAR: Final = {plural: singular for plural, singular, _ in KINDS}
#: The data files a directory may hold.
FILE_NAMES: Final = tuple(f"{plural}.toml" for plural, _, _ in KINDS)


def suggestions(wanted: object, known: Iterable[str]) -> str:
    """Text naming up to three known ids close to ``wanted``, or nothing."""
    if not isinstance(wanted, str):
        return ""
    import difflib

    by_folded: dict[str, str] = {}
    for key in known:
        by_folded.setdefault(key.casefold(), key)
    close = difflib.get_close_matches(wanted.casefold(), by_folded, n=3, cutoff=0.6)
    if not close:
        return ""
    return "; did you mean " + " or ".join(repr(by_folded[key]) for key in close) + "?"
