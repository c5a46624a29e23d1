"""The one walk up ``part_of``: the engagements an engagement lies in.

The totals (a part's nearest counted container), the overlap rules and
search (a part and what it lies in are never a pair; a part with no known
funder takes its programme as donor) and the IATI reader (links that would
close a loop) all walk the same chain. The walk lives here once; each rule
says what it does with the ids it meets.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from ._model import Engagement


def walk(first: str | None, parent: Callable[[str], str | None]) -> Iterator[str]:
    """``first`` and the ids above it through ``parent``, nearest first.

    Each id comes once: the walk ends after an id whose ``parent`` is
    ``None`` (none stated, or none known) or one already met (a loop).

    >>> up = {"commune": "cercle", "cercle": "region"}.get
    >>> list(walk("commune", up))
    ['commune', 'cercle', 'region']
    >>> list(walk("a", {"a": "b", "b": "a"}.get))
    ['a', 'b']
    >>> list(walk(None, up))
    []
    """
    met: set[str] = set()
    current = first
    while current is not None and current not in met:
        yield current
        met.add(current)
        current = parent(current)


def ancestors(
    engagement: Engagement, lookup: Callable[[str], Engagement | None]
) -> Iterator[str]:
    """The ids of the engagements ``engagement`` lies in through
    ``part_of``, nearest first.

    ``lookup`` finds an engagement by id, ``None`` for an unknown one. An
    unknown id is the last one given; a loop ends the walk once each id on
    it has come (a loop back to ``engagement`` gives its own id last).

    >>> from mali_aid import Engagement
    >>> records = {
    ...     "fund": Engagement(id="fund", title="Fund", kind="programme"),
    ...     "grant": Engagement(id="grant", title="Grant", kind="project",
    ...                         part_of="fund"),
    ... }
    >>> part = Engagement(id="works", title="Works", kind="project",
    ...                   part_of="grant")
    >>> list(ancestors(part, records.get))
    ['grant', 'fund']
    >>> stray = Engagement(id="stray", title="Stray", kind="project",
    ...                    part_of="elsewhere")
    >>> list(ancestors(stray, records.get))
    ['elsewhere']
    """

    def part_of(id: str) -> str | None:
        found = lookup(id)
        return None if found is None else found.part_of

    return walk(engagement.part_of, part_of)
