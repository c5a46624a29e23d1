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
from .errors import ArgumentError, DataError

if TYPE_CHECKING:
    from ._dataset import Dataset
    from ._rules import Atom

__all__ = ["Filters", "Selection", "code_conditions"]


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
    #: IATI codes (see :meth:`Dataset.select`): an engagement's own, so
    #: each holds for the whole engagement or not at all.
    aid_type: tuple[str, ...] = ()
    flow_type: tuple[str, ...] = ()
    finance_type: tuple[str, ...] = ()
    tied_status: tuple[str, ...] = ()
    #: (marker code, significance code or ``None`` for "any but not targeted").
    policy_marker: tuple[tuple[str, str | None], ...] = ()
    humanitarian: tuple[bool, ...] = ()

    def dimensions(self) -> tuple[str, ...]:
        """The names of the conditions given."""
        return tuple(name for name in attrs.fields_dict(Filters) if getattr(self, name))

    def _meets_codes(self, engagement: Engagement) -> bool:
        """Whether an engagement meets every code condition given."""
        return all(
            _CODE_MATCHERS[name](engagement, getattr(self, name))
            for name in _CODE_MATCHERS
            if getattr(self, name)
        )

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


def _markers(
    engagement: Engagement, wanted: tuple[tuple[str, str | None], ...]
) -> bool:
    return any(
        marker.code == code
        and (
            marker.targeted
            if significance is None
            else marker.significance == significance
        )
        for marker in engagement.policy_markers
        for code, significance in wanted
    )


_CODE_MATCHERS: dict[str, Callable[[Engagement, Any], bool]] = {
    "aid_type": lambda engagement, wanted: any(
        code in wanted for code in engagement.aid_types
    ),
    "flow_type": lambda engagement, wanted: engagement.flow_type in wanted,
    "finance_type": lambda engagement, wanted: engagement.finance_type in wanted,
    "tied_status": lambda engagement, wanted: engagement.tied_status in wanted,
    "policy_marker": _markers,
    "humanitarian": lambda engagement, wanted: engagement.humanitarian in wanted,
}

#: Each code condition with the IATI codelist its values come from.
_CODELIST_OF: dict[str, str] = {
    "aid_type": "AidType",
    "flow_type": "FlowType",
    "finance_type": "FinanceType",
    "tied_status": "TiedStatus",
}


def code_conditions(
    *,
    aid_type: str | Iterable[str] | None = None,
    flow_type: str | Iterable[str] | None = None,
    finance_type: str | Iterable[str] | None = None,
    tied_status: str | Iterable[str] | None = None,
    policy_marker: str | Iterable[str] | None = None,
    humanitarian: bool | Iterable[bool] | None = None,
) -> dict[str, tuple[Any, ...]]:
    """The code conditions of :meth:`Dataset.select`, each value checked.

    A code must be in its IATI codelist (:class:`~mali_aid.errors.DataError`,
    a ``ValueError``, otherwise), so that
    a misspelt code never passes for an empty answer. A policy marker is
    ``"1"`` (gender equality, any significance but 0, "not targeted") or
    ``"1:2"`` (gender equality as the principal objective).

    >>> code_conditions(flow_type="10", policy_marker=["1:2", "2"])
    {'flow_type': ('10',), 'policy_marker': (('1', '2'), ('2', None))}
    """
    given: dict[str, tuple[Any, ...]] = {}
    plain = {
        "aid_type": aid_type,
        "flow_type": flow_type,
        "finance_type": finance_type,
        "tied_status": tied_status,
    }
    for name, value in plain.items():
        codes = _texts(value, name)
        for code in codes:
            _check_code(code, _CODELIST_OF[name], name)
        if codes:
            given[name] = codes
    markers = []
    for text in _texts(policy_marker, "policy_marker"):
        code, _, significance = text.partition(":")
        _check_code(code, "PolicyMarker", "policy_marker")
        if significance:
            _check_code(significance, "PolicySignificance", "policy_marker")
        markers.append((code, significance or None))
    if markers:
        given["policy_marker"] = tuple(markers)
    flags = (
        ()
        if humanitarian is None
        else (humanitarian,)
        if isinstance(humanitarian, bool)
        else tuple(humanitarian)
    )
    for flag in flags:
        if not isinstance(flag, bool):
            raise ArgumentError(
                f"must be True or False, not {flag!r}",
                function="select",
                argument="humanitarian",
            )
    if flags:
        given["humanitarian"] = flags
    return given


def _texts(value: str | Iterable[str] | None, name: str) -> tuple[str, ...]:
    if value is None:
        return ()
    values = (value,) if isinstance(value, str) else tuple(value)
    for one in values:
        if not isinstance(one, str):
            raise ArgumentError(
                f"takes codes as text, not {one!r}", function="select", argument=name
            )
    return values


def _check_code(code: str, codelist: str, name: str) -> None:
    from .iati._codelist_tables import CODELISTS

    codes = CODELISTS[codelist]
    if code not in codes:
        shown = ", ".join(list(codes)[:8])
        raise DataError(
            f"{name}: {code!r} is not in the IATI {codelist} codelist"
            f" (codes such as {shown}...)"
        )


def _on_engagement(
    matcher: Callable[[Engagement, Any], bool],
) -> Callable[[Atom, Any, Dataset], bool]:
    """A condition on an engagement, as a condition on a piece of its money."""
    return lambda atom, wanted, _data: matcher(atom.engagement, wanted)


_MATCHERS: dict[str, Callable[[Atom, Any, Dataset], bool]] = {
    "donor": _donor,
    "implementer": _implementer,
    "place": _place,
    "sector": _sector,
    "year": _year,
    "channel": _channel,
    **{name: _on_engagement(matcher) for name, matcher in _CODE_MATCHERS.items()},
}


_VALUES: dict[str, Callable[[Atom], object]] = {
    "donor": lambda atom: atom.funders,
    "implementer": lambda atom: atom.implementer,
    "place": lambda atom: atom.place,
    "sector": lambda atom: atom.sector,
    "year": lambda atom: atom.year,
    "channel": lambda atom: atom.engagement.channel,
    "aid_type": lambda atom: atom.engagement.aid_types,
    "flow_type": lambda atom: atom.engagement.flow_type,
    "finance_type": lambda atom: atom.engagement.finance_type,
    "tied_status": lambda atom: atom.engagement.tied_status,
    "policy_marker": lambda atom: atom.engagement.policy_markers,
    "humanitarian": lambda atom: atom.engagement.humanitarian,
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
