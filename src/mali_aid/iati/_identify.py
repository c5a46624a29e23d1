"""Imported organisations that are records of another dataset already.

An IATI file names an organisation by its identifier (``XM-DAC-2``); the
bundled data records that identifier on the organisation it stands for
(``BE``), with its origin. :func:`match_organisations` finds, for each
imported organisation, the record it is, or the record it lies under.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final

import attrs

from mali_aid._dataset import Dataset
from mali_aid._model import Engagement, Organisation, Participant, Place
from mali_aid.errors import DataError

#: An identifier built from a DAC donor code and an agency code
#: (``XM-DAC-2-10``): the agency lies under the donor ``XM-DAC-2``.
_DAC_AGENCY: Final = re.compile(r"(XM-DAC-[0-9]+)-.+", re.ASCII)


@attrs.frozen
class Matches:
    """``same``: imported id -> the base record it is; ``under``: imported
    id -> the base record it lies under (an agency of a DAC donor)."""

    same: Mapping[str, str]
    under: Mapping[str, str]


def identifier_index(base: Dataset) -> dict[str, str]:
    """Each identifier the base records, with the organisation that has it.

    Two organisations with one identifier raise, since an import could not
    tell which one it names.
    """
    index: dict[str, str] = {}
    for organisation in base.organisations:
        for identifier in organisation.identifiers:
            earlier = index.setdefault(identifier, organisation.id)
            if earlier != organisation.id:
                raise DataError(
                    f"the identifier {identifier!r} is also recorded on {earlier!r};"
                    " an identifier stands for one organisation",
                    record=organisation.id,
                    field="identifiers",
                )
    return index


def match_organisations(
    organisations: Iterable[Organisation], base: Dataset
) -> Matches:
    """Which imported organisations are, or lie under, records of ``base``.

    An organisation whose id ``base`` has is that record already and is not
    listed. One with an identifier ``base`` records is that record. One
    whose identifier is a DAC donor's code followed by an agency code
    (``XM-DAC-2-99``), where ``base`` records the donor's (``XM-DAC-2``),
    lies under that donor (under the nearest recorded one: ``XM-DAC-2-10-5``
    under the record of ``XM-DAC-2-10``).
    """
    index = identifier_index(base)
    same: dict[str, str] = {}
    under: dict[str, str] = {}
    for organisation in organisations:
        if base.organisation(organisation.id, default=None) is not None:
            continue
        found = next(
            (index[key] for key in organisation.identifiers if key in index), None
        )
        if found is not None:
            same[organisation.id] = found
            continue
        if organisation.parent is not None:
            continue
        container = next(
            (
                index[key]
                for identifier in organisation.identifiers
                for key in _dac_containers(identifier)
                if key in index
            ),
            None,
        )
        if container is not None:
            under[organisation.id] = container
    return Matches(same=same, under=under)


def _dac_containers(identifier: str) -> list[str]:
    """The DAC-derived identifiers an identifier lies under, nearest first:
    ``XM-DAC-2-10-5`` lies under ``XM-DAC-2-10``, which lies under
    ``XM-DAC-2``."""
    if _DAC_AGENCY.fullmatch(identifier) is None:
        return []
    parts = identifier.split("-")
    return ["-".join(parts[:end]) for end in range(len(parts) - 1, 2, -1)]


def match_places(places: Iterable[Place], base: Dataset) -> dict[str, str]:
    """Imported places that are places of ``base`` by their ISO 3166 code
    (the imported ``ML-3`` is the bundled Sikasso region): imported id ->
    base id. A place whose id ``base`` has is that record already."""
    codes: dict[str, str] = {}
    for place in base.places:
        if place.iso_code is not None:
            codes.setdefault(place.iso_code, place.id)
    return {
        place.id: codes[place.iso_code]
        for place in places
        if place.iso_code in codes and base.place(place.id, default=None) is None
    }


def renamed(
    engagement: Engagement,
    same: Mapping[str, str],
    places: Mapping[str, str] | None = None,
) -> Engagement:
    """The engagement naming the base's records: its places by
    :func:`match_places`, its participants by :func:`match_organisations`."""
    if places and any(share.place in places for share in engagement.places):
        engagement = attrs.evolve(
            engagement,
            places=tuple(
                attrs.evolve(share, place=places.get(share.place, share.place))
                for share in engagement.places
            ),
        )
    return _renamed_participants(engagement, same)


def _renamed_participants(
    engagement: Engagement, same: Mapping[str, str]
) -> Engagement:
    """The engagement with each participant that is a base record named by
    that record's id; a participant that becomes a second entry of one
    organisation in one role is left out (the first is kept)."""
    if not any(p.organisation in same for p in engagement.participants):
        return engagement
    participants: list[Participant] = []
    for participant in engagement.participants:
        organisation = same.get(participant.organisation, participant.organisation)
        if any(
            kept.organisation == organisation and kept.role is participant.role
            for kept in participants
        ):
            continue
        participants.append(attrs.evolve(participant, organisation=organisation))
    return attrs.evolve(engagement, participants=tuple(participants))
