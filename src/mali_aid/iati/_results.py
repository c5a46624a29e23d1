"""What reading IATI files gives: the records, and what was left out."""

from __future__ import annotations

from typing import Final

import attrs

from mali_aid._dataset import Dataset
from mali_aid._loading import merge
from mali_aid._model import (
    Engagement,
    Organisation,
    Place,
    Sector,
    Source,
)

from ._identify import match_organisations, match_places, renamed
from ._text import MALI

#: How :meth:`IatiActivities.dataset` words an id its base already holds.
_REFUSALS: Final = {
    "sources": "the base dataset already has a source with this id;"
    " pass another source_id= to read_activities()",
    "engagements": "the base dataset already has an engagement with this id",
}

# -- the result -----------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Unmapped:
    """An element or attribute of the file that no record holds, and why.

    ``activity`` is the ``iati-identifier`` of the activity it stands in, or
    ``None`` for what stands outside every activity. ``element`` is its path
    inside the activity (from the root element when ``activity`` is
    ``None``), written as XPath: ``budget[2]/@status``, where ``[n]``
    counts from 1 among siblings of the same name and appears only where
    there are several. An element reported whole stands for everything
    inside it.

    >>> item = Unmapped(activity="XM-1", element="@hierarchy", reason="not mapped")
    >>> str(item)
    'XM-1/@hierarchy: not mapped'
    """

    activity: str | None
    element: str
    reason: str

    def __str__(self) -> str:
        where = (
            self.element if self.activity is None else f"{self.activity}/{self.element}"
        )
        return f"{where}: {self.reason}"


@attrs.frozen(kw_only=True)
class Skipped:
    """An activity left out of the result, and why.

    ``file`` is the file it stands in (``None`` for a file object without a
    name), ``activity`` its ``iati-identifier`` (``None`` where it has
    none), ``element`` the path of the element or attribute the reason is
    about, as in :class:`Unmapped` (``None`` for the activity as a whole),
    and ``reason`` why it was left out.

    >>> item = Skipped(file="a.xml", activity="XM-1", element="budget/value",
    ...                reason="'1e5' is not a decimal number")
    >>> str(item)
    "a.xml: XM-1/budget/value: '1e5' is not a decimal number"
    """

    file: str | None
    activity: str | None
    element: str | None
    reason: str

    def __str__(self) -> str:
        where = "/".join(part for part in (self.activity, self.element) if part)
        parts = [part for part in (self.file, where) if part]
        return ": ".join([*parts, self.reason])


@attrs.frozen(kw_only=True, repr=False)
class IatiActivities:
    """What :func:`read_activities` read from one file or several.

    ``engagements`` holds one engagement per activity kept, in file order;
    ``organisations``, ``places`` and ``sectors`` the records they refer to,
    in the order they first appear (one record per id across every file);
    ``sources`` one :class:`~mali_aid.Source` per file, which the citations
    name; ``unmapped`` what was left out of the activities kept, in file
    order; ``skipped`` the activities left out as bad data (only with
    ``on_error="skip"``); ``outside`` the activities with no money for Mali,
    left out unless ``outside_mali="keep"``; and ``version`` the IATI
    version the files declare (``None`` where they declare none or differ).
    The records are checked together as a :class:`~mali_aid.Dataset` when
    the result is made.

    >>> import io
    >>> from mali_aid import iati
    >>> empty = iati.read_activities(io.BytesIO(b'<iati-activities version="2.03"/>'))
    >>> empty
    <IatiActivities: 0 engagements, 0 organisations, 0 places, 0 sectors, 0 unmapped>
    """

    sources: tuple[Source, ...]
    engagements: tuple[Engagement, ...]
    organisations: tuple[Organisation, ...]
    places: tuple[Place, ...]
    sectors: tuple[Sector, ...]
    unmapped: tuple[Unmapped, ...]
    skipped: tuple[Skipped, ...] = ()
    outside: tuple[Skipped, ...] = ()
    version: str | None = None
    _dataset: Dataset = attrs.field(init=False, eq=False)

    @property
    def source(self) -> Source:
        """The source of the file read (the first file's, where there are several)."""
        return self.sources[0]

    def __attrs_post_init__(self) -> None:
        data = Dataset(
            sources=self.sources,
            organisations=self.organisations,
            places=self.places,
            sectors=self.sectors,
            engagements=self.engagements,
        )
        object.__setattr__(self, "_dataset", data)

    def __repr__(self) -> str:
        counts = ", ".join(
            f"{len(getattr(self, name))} {name}"
            for name in (
                "engagements",
                "organisations",
                "places",
                "sectors",
                "unmapped",
            )
        )
        return f"<IatiActivities: {counts}>"

    def dataset(self, base: Dataset | None = None) -> Dataset:
        """The records as a :class:`~mali_aid.Dataset`, alone or added to ``base``.

        Without ``base``: the source, organisations, places, sectors and
        engagements read from the file. With ``base`` (for instance
        ``mali_aid.load()``): every record of ``base`` followed by these.
        An organisation whose identifier (its ``participating-org/@ref``)
        ``base`` records on one of its organisations is taken to be that
        organisation (``XM-DAC-2`` is the bundled ``BE``), and one whose
        identifier is a DAC donor's followed by an agency code
        (``XM-DAC-2-99``) lies under that donor. A place with an ISO 3166
        code ``base`` has on one of its places is that place (the imported
        ``ML-3`` is the bundled Sikasso region). An organisation, place or
        sector whose id ``base`` already has is taken to be that record, so the imported Mali (``ML``) is the
        bundled Mali (which also lies in the DAC regions containing Mali that
        the files name, where they name any); an engagement or a source whose id ``base`` already
        has raises :class:`~mali_aid.errors.DataError` (pass ``source_id=``
        to :func:`read_activities` to read two files with the same name).

        >>> import io
        >>> import mali_aid
        >>> from mali_aid import iati
        >>> xml = b'''<iati-activity default-currency="EUR">
        ...  <iati-identifier>XM-EXAMPLE-2</iati-identifier>
        ...  <recipient-country code="ML"/>
        ... </iati-activity>'''
        >>> data = iati.read_activities(io.BytesIO(xml)).dataset(mali_aid.load())
        >>> data.engagement("XM-EXAMPLE-2").places[0].place
        'ML'
        >>> data.place("ML") is mali_aid.load().place("ML")
        True
        """
        if base is None:
            return self._dataset
        matches = match_organisations(self.organisations, base)
        places = match_places(self.places, base)
        # The records taken to be the base's are left out; the rest are
        # merged by the one rule, which refuses a known id in its kind.
        merged = merge(
            base,
            {
                "sources": self.sources,
                "organisations": [
                    attrs.evolve(record, parent=matches.under[record.id])
                    if record.id in matches.under
                    else record
                    for record in self.organisations
                    if base.organisation(record.id, default=None) is None
                    and record.id not in matches.same
                ],
                "places": [
                    record
                    for record in self.places
                    if base.place(record.id, default=None) is None
                    and record.id not in places
                ],
                "sectors": [
                    record
                    for record in self.sectors
                    if base.sector(record.id, default=None) is None
                ],
                "engagements": [
                    renamed(engagement, matches.same, places)
                    for engagement in self.engagements
                ],
            },
            refusals=_REFUSALS,
        )
        return self._with_mali_areas(base, merged)

    def _with_mali_areas(self, base: Dataset, merged: Dataset) -> Dataset:
        """``merged``, the base's Mali also lying in the regions read here
        that contain Mali, so that their money stays partly Mali's."""
        mine = next((place for place in self.places if place.id == MALI), None)
        if mine is None or not mine.areas or base.place(MALI, default=None) is None:
            return merged
        places = tuple(
            attrs.evolve(
                place,
                areas=(
                    *place.areas,
                    *(area for area in mine.areas if area not in place.areas),
                ),
            )
            if place.id == MALI
            else place
            for place in merged.places
        )
        return attrs.evolve(merged, places=places)
