"""``location`` elements placed in Mali's regions where their codes say so.

A location names a place by codes of a vocabulary (``administrative``,
``location-id``), by its ``@ref`` and by names. The reader places it where a
code is an ISO 3166-2 code of one of Mali's regions (``ML-3``, as pycountry
lists them when the tables are generated) or the ISO 3166-1 code of Mali
itself (vocabulary A4); a location placed nowhere is reported with the
reason, and the activity keeps the place its recipients give. A name alone
places nothing: Sikasso is a region, a cercle and a city.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Final
from xml.etree.ElementTree import Element

from mali_aid._limits import shown
from mali_aid._model import Place, PlaceLevel, PlaceShare

from ._codelist_tables import CODELISTS, MALI_REGIONS, PYCOUNTRY_VERSION
from ._text import MALI

if TYPE_CHECKING:
    from ._activity import ActivityReader

#: GeographicVocabulary A4: ISO Country (3166-1 alpha-2).
_ISO_COUNTRY: Final = "A4"
VOCABULARIES: Final = CODELISTS["GeographicVocabulary"]
REACHES: Final = CODELISTS["GeographicLocationReach"]
EXACTNESS: Final = CODELISTS["GeographicExactness"]


def region_place(code: str, location: Element, reader: ActivityReader) -> Place:
    """The place of one of Mali's ISO 3166-2 subdivisions."""
    name = MALI_REGIONS[code]
    return Place(
        id=code,
        name=name,
        level=PlaceLevel.DISTRICT if code == "ML-BKO" else PlaceLevel.REGION,
        parent=MALI,
        iso_code=code,
        reference=(
            f"ISO 3166-2:ML code {code} ({name}), as pycountry {PYCOUNTRY_VERSION}"
            " lists it"
        ),
        citations=(reader.citation(location),),
    )


class Locations:
    """The locations of one activity, read into places."""

    def __init__(self, reader: ActivityReader) -> None:
        self.reader = reader
        #: The regions the locations name, in order, each with its element.
        self.regions: list[tuple[str, Element]] = []

    def read(self) -> None:
        for location in self.reader.children(self.reader.element, "location"):
            code = self.placed(location)
            if code is None:
                continue
            self.precision(location)
            if code != MALI and all(code != seen for seen, _ in self.regions):
                self.regions.append((code, location))

    def placed(self, location: Element) -> str | None:
        """The ISO code the location is placed by (``ML`` or a region's),
        marking the element that gives it; ``None`` (and the location
        reported) where none places it."""
        marks = self.reader.marks
        for element, attribute, vocabulary in self.codes(location):
            code = self.reader.code(element, attribute).upper()
            if code in MALI_REGIONS:
                marks.use(location)
                marks.use(element, attribute, "vocabulary", "level")
                self.names(location, f"it is placed by its code {code}")
                return code
            if vocabulary == _ISO_COUNTRY and code == MALI:
                marks.use(location)
                marks.use(element, attribute, "vocabulary", "level")
                self.names(location, "it is placed in Mali by its code")
                return MALI
        marks.skip(location, self.unplaced(location))
        return None

    def codes(self, location: Element) -> list[tuple[Element, str, str | None]]:
        """Where a location can carry a code: its ``@ref``, its
        ``administrative`` and ``location-id`` codes."""
        found: list[tuple[Element, str, str | None]] = []
        if location.get("ref") is not None:
            found.append((location, "ref", None))
        for name in ("administrative", "location-id"):
            for element in self.reader.children(location, name):
                found.append((element, "code", self.reader.code(element, "vocabulary")))
        return found

    def names(self, location: Element, why: str) -> None:
        for element in self.reader.children(location, "name"):
            self.reader.marks.use(element)
            for narrative, _, _ in self.reader.narratives(element):
                self.reader.marks.skip(
                    narrative, f"the location's name; {why}, which names it"
                )

    def unplaced(self, location: Element) -> str:
        """Why a location is placed nowhere."""
        codes = [
            f"{shown(self.reader.code(element, attribute))}"
            + (
                f" ({VOCABULARIES.get(vocabulary, 'vocabulary ' + vocabulary)})"
                if vocabulary
                else ""
            )
            for element, attribute, vocabulary in self.codes(location)
        ]
        told = f" ({', '.join(codes)})" if codes else ""
        return (
            f"a location whose codes{told} name none of Mali's ISO 3166-2 regions"
            " nor Mali: only those are matched to the gazetteer, and a name alone"
            " is not (one name can be a region, a cercle and a city); the"
            " activity keeps the places its recipients give"
            if codes
            else "a location with no code: a name alone is not matched to the"
            " gazetteer (one name can be a region, a cercle and a city)"
        )

    def precision(self, location: Element) -> None:
        """Report what a placed location says of its precision and reach."""
        marks = self.reader.marks
        for element in self.reader.children(location, "exactness"):
            code = self.reader.code(element)
            marks.skip(
                element,
                f"exactness {shown(code)} ({EXACTNESS.get(code, 'not in the codelist')}):"
                " the place is kept at the level its code gives, a region or the"
                " country, never finer",
            )
        for element in self.reader.children(location, "location-reach"):
            code = self.reader.code(element)
            marks.skip(
                element,
                f"location reach {shown(code)} ({REACHES.get(code, 'not in the codelist')}):"
                " the place is one of the engagement's places either way",
            )

    def shares(self, places: tuple[PlaceShare, ...]) -> tuple[PlaceShare, ...]:
        """The recipients' places, Mali's share given to the regions named.

        Mali alone: its share goes to the regions (one takes it whole,
        several split it evenly, which totals say). Mali beside other
        recipients: one region takes Mali's percentage; several keep Mali,
        since how they share its percentage is not stated.
        """
        if not self.regions:
            return places
        mali = next((share for share in places if share.place == MALI), None)
        if mali is None:
            self.report(
                "the activity's recipients hold no share for Mali itself, so a"
                " location in Mali says nothing of its money; not placed"
            )
            return places
        if len(self.regions) > 1 and len(places) > 1:
            self.report(
                f"several locations in Mali share Mali's {mali.percentage} % in no"
                " stated proportion; the activity stays placed in Mali"
            )
            return places
        record = self.reader.reader.places
        for code, location in self.regions:
            if code not in record:
                record[code] = region_place(code, location, self.reader)
        percentage = mali.percentage if len(self.regions) == 1 else None
        regions = tuple(
            PlaceShare(place=code, percentage=percentage) for code, _ in self.regions
        )
        index = places.index(mali)
        return places[:index] + regions + places[index + 1 :]

    def report(self, reason: str) -> None:
        for _, location in self.regions:
            self.reader.marks.skip(location, reason)
