"""A selection of engagements that remembers what it was selected for.

:meth:`Dataset.select` returns a :class:`Selection`: a tuple of the chosen
engagements, so iteration and ``tuple(...)`` work as on any tuple, which
also keeps the conditions it was chosen by. :func:`mali_aid.totals` reads
them, so that the total of a selection counts the share of each engagement
that meets them (the Sikasso region's share of a programme in four regions),
not the whole of every engagement that touches them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any

import attrs

from ._model import Channel, Engagement

if TYPE_CHECKING:
    from ._dataset import Dataset
    from ._rules import Atom

__all__ = ["Filters", "Selection"]


@attrs.frozen
class Filters:
    """The conditions of a selection; an empty tuple means no condition.

    Several values of one condition mean any of them.
    """

    donor: tuple[str, ...] = ()
    implementer: tuple[str, ...] = ()
    place: tuple[str, ...] = ()
    sector: tuple[str, ...] = ()
    year: tuple[int, ...] = ()
    channel: tuple[Channel, ...] = ()

    def dimensions(self) -> tuple[str, ...]:
        """The names of the conditions given."""
        return tuple(name for name in attrs.fields_dict(Filters) if getattr(self, name))

    def _values(self, atom: Atom) -> tuple[object, ...]:
        """What of a piece of money the conditions look at."""
        return tuple(_VALUES[name](atom) for name in self.dimensions())

    def _admits(self, atom: Atom, data: Dataset) -> bool:
        """Whether a piece of money meets every condition."""
        return all(
            _MATCHERS[name](atom, value, data)
            for name in self.dimensions()
            for value in (getattr(self, name),)
        )


def _donor(atom: Atom, wanted: tuple[str, ...], data: Dataset) -> bool:
    return any(
        donor in data._organisation_chain(funder)
        for funder in atom.funders
        for donor in wanted
    )


def _implementer(atom: Atom, wanted: tuple[str, ...], data: Dataset) -> bool:
    if atom.implementer is None:
        return False
    chain = data._organisation_chain(str(atom.implementer))
    return any(organisation in chain for organisation in wanted)


def _place(atom: Atom, wanted: tuple[str, ...], data: Dataset) -> bool:
    if atom.place is None:
        return False
    chain = data._place_chain(str(atom.place))
    return any(place in chain for place in wanted)


def _sector(atom: Atom, wanted: tuple[str, ...], _data: Dataset) -> bool:
    return atom.sector in wanted


def _year(atom: Atom, wanted: tuple[int, ...], _data: Dataset) -> bool:
    return atom.year in wanted


def _channel(atom: Atom, wanted: tuple[Channel, ...], _data: Dataset) -> bool:
    return atom.engagement.channel in wanted


_MATCHERS: dict[str, Callable[[Atom, Any, Dataset], bool]] = {
    "donor": _donor,
    "implementer": _implementer,
    "place": _place,
    "sector": _sector,
    "year": _year,
    "channel": _channel,
}


_VALUES: dict[str, Callable[[Atom], object]] = {
    "donor": lambda atom: atom.funders,
    "implementer": lambda atom: atom.implementer,
    "place": lambda atom: atom.place,
    "sector": lambda atom: atom.sector,
    "year": lambda atom: atom.year,
    "channel": lambda atom: atom.engagement.channel,
}


class Selection(tuple[Engagement, ...]):
    """Engagements chosen by :meth:`Dataset.select`, with the conditions.

    ``filters`` are the conditions; ``base`` the engagements the selection
    was made from (the parts and containers a total needs, whether chosen or
    not). ``tuple(selection)`` is a plain tuple: a total of it counts whole
    engagements.
    """

    filters: Filters
    base: tuple[Engagement, ...]

    def __new__(
        cls,
        chosen: Iterable[Engagement],
        *,
        filters: Filters,
        base: Iterable[Engagement],
    ) -> Selection:
        selection = super().__new__(cls, chosen)
        selection.filters = filters
        selection.base = tuple(base)
        return selection
