"""Read IATI 2.0x activity files into mali_aid records.

:func:`read_activities` turns each ``iati-activity`` of a file into an
:class:`~mali_aid.Engagement`, with the organisations, sectors and places it
refers to and a :class:`~mali_aid.Source` for the file, and lists in
``unmapped`` every element and attribute it did not map, so that nothing is
dropped without a word. The result becomes a :class:`~mali_aid.Dataset` with
:meth:`IatiActivities.dataset`, on its own or added to another dataset such
as the bundled one.

The file is parsed with :mod:`defusedxml`: a document type declaration, an
entity declaration or an external reference is refused, and so is XML that
is not well formed, each with a :class:`~mali_aid.errors.DataError` naming
the file. Any error anywhere in the file raises; nothing is half loaded.

>>> import io
>>> from mali_aid import iati
>>> xml = b'''
... <iati-activities version="2.03">
...  <iati-activity default-currency="EUR" xml:lang="en">
...   <iati-identifier>XM-EXAMPLE-1</iati-identifier>
...   <title><narrative>Water for Sikasso</narrative></title>
...   <recipient-country code="ML"/>
...   <budget type="1">
...    <period-start iso-date="2024-01-01"/>
...    <period-end iso-date="2024-12-31"/>
...    <value value-date="2024-01-01">250000</value>
...   </budget>
...  </iati-activity>
... </iati-activities>'''
>>> activities = iati.read_activities(io.BytesIO(xml))
>>> engagement = activities.engagements[0]
>>> engagement.id, engagement.title
('XM-EXAMPLE-1', 'Water for Sikasso')
>>> engagement.amounts[0].money, str(engagement.amounts[0].period)
(Money('250000', 'EUR'), '2024-01-01/2024-12-31')
>>> [share.place for share in engagement.places]
['ML']
>>> activities.unmapped
()

See ``docs/iati.md`` for what is mapped to what.
"""

from __future__ import annotations

import math
import os
import re
import unicodedata
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from typing import IO, Final
from xml.etree.ElementTree import Element, ParseError

import attrs
from defusedxml import (
    DefusedXmlException,
    DTDForbidden,
)
from defusedxml import ElementTree as SafeElementTree

from ._dataset import Dataset
from ._limits import MAX_NUMBER_TEXT, check_decimal, open_regular_file, shown
from ._model import (
    Amount,
    AmountKind,
    Channel,
    Citation,
    Engagement,
    EngagementKind,
    Organisation,
    OrganisationKind,
    Participant,
    Place,
    PlaceLevel,
    PlaceShare,
    Role,
    Sector,
    SectorShare,
    Source,
    Status,
)
from ._money import Money
from ._period import Period
from .errors import DataError

__all__ = ["IatiActivities", "Unmapped", "read_activities"]


# -- the IATI 2.03 codelists, as far as they map -----------------------------------

#: OrganisationRole: 1 Funding, 2 Accountable, 3 Extending, 4 Implementing.
_ROLES: Final = {str(role.iati_code): role for role in Role}

#: OrganisationType codes with a clean counterpart; the others (11 Local
#: Government, 15 Other Public Sector, 30 Public Private Partnership,
#: 60 Foundation, 90 Other) get the default kind and are reported.
_ORGANISATION_KINDS: Final = {
    "10": OrganisationKind.GOVERNMENT,
    "21": OrganisationKind.NGO,
    "22": OrganisationKind.NGO,
    "23": OrganisationKind.NGO,
    "24": OrganisationKind.NGO,
    "40": OrganisationKind.MULTILATERAL,
    "70": OrganisationKind.COMPANY,
    "71": OrganisationKind.COMPANY,
    "72": OrganisationKind.COMPANY,
    "73": OrganisationKind.COMPANY,
    "80": OrganisationKind.UNIVERSITY,
}
#: The kind of an organisation whose type is absent or has no counterpart.
_DEFAULT_KIND: Final = OrganisationKind.AGENCY

#: ActivityStatus: 1 Pipeline/identification, 2 Implementation,
#: 3 Finalisation (the work is done, the books not yet closed), 4 Closed.
_STATUSES: Final = {
    "1": Status.PLANNED,
    "2": Status.ONGOING,
    "3": Status.COMPLETED,
    "4": Status.COMPLETED,
}
_STATUS_NAMES: Final = {"5": "cancelled", "6": "suspended"}

#: TransactionType codes that are amounts of the activity's own money.
_TRANSACTION_KINDS: Final = {
    "2": AmountKind.COMMITMENT,
    "3": AmountKind.DISBURSEMENT,
    "4": AmountKind.EXPENDITURE,
    "12": AmountKind.PLEDGE,
}
_INCOMING: Final = {
    "1": "incoming funds",
    "11": "incoming commitment",
    "13": "incoming pledge",
}
_OTHER_TRANSACTIONS: Final = {
    "5": "interest payment",
    "6": "loan repayment",
    "7": "reimbursement",
    "8": "purchase of equity",
    "9": "sale of equity",
    "10": "credit guarantee",
}

#: CollaborationType codes with a clean channel.
_CHANNELS: Final = {
    "1": Channel.BILATERAL,
    "2": Channel.MULTILATERAL,
    "4": Channel.MULTILATERAL,
    "7": Channel.NGO,
    "8": Channel.BILATERAL,
}

_BUDGET_STATUSES: Final = {"1": "indicative", "2": "committed"}

# -- text formats -------------------------------------------------------------------

_XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"
#: Schema hints, not data: never reported.
_XSI: Final = "{http://www.w3.org/2001/XMLSchema-instance}"
_ISO_DATE: Final = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?$"
)
_XSD_DECIMAL: Final = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
_VERSION: Final = re.compile(r"^2\.0[0-9]$")
_NOT_IN_ID: Final = re.compile(r"[^A-Za-z0-9._-]+")
_ID: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
_SPACES: Final = re.compile(r"\s+")

#: The id of the place a ``recipient-country`` of Mali maps to, as in the
#: bundled gazetteer.
_MALI: Final = "ML"

_NOT_MAPPED: Final = "not mapped: no field of mali_aid's records holds it"

# -- limits (docs/iati.md) ------------------------------------------------------------

#: Levels of elements, the root counting as 1 (IATI itself needs about 8).
MAX_DEPTH: Final = 32
#: Elements in one activity, everything inside it included.
MAX_ACTIVITY_ELEMENTS: Final = 100_000
#: Elements in the whole file.
MAX_ELEMENTS: Final = 250_000
#: Characters of an element's or attribute's name.
MAX_NAME: Final = 200
#: Characters of one attribute's value.
MAX_ATTRIBUTE: Final = 64 * 1024
#: Characters of the text of one element.
MAX_TEXT: Final = 1024 * 1024
#: Bytes of the file.
MAX_BYTES: Final = 256 * 1024 * 1024
#: Bytes handed to the parser at once, at first and at most. The size
#: doubles while the parser gives back nothing, so that one huge token is
#: parsed in linear time rather than re-read from its start at every chunk.
_FIRST_CHUNK: Final = 64 * 1024
_LARGEST_CHUNK: Final = 64 * 1024 * 1024


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


@attrs.frozen(kw_only=True, repr=False)
class IatiActivities:
    """What :func:`read_activities` read from one file.

    ``engagements`` holds one engagement per activity, in file order;
    ``organisations``, ``places`` and ``sectors`` the records they refer to,
    in the order they first appear; ``source`` the file, which every
    citation names; ``unmapped`` what was left out, in file order; and
    ``version`` the file's IATI version (``None`` for a file whose root is a
    single ``iati-activity``). The records are checked together as a
    :class:`~mali_aid.Dataset` when the result is made.

    >>> import io
    >>> from mali_aid import iati
    >>> empty = iati.read_activities(io.BytesIO(b'<iati-activities version="2.03"/>'))
    >>> empty
    <IatiActivities: 0 engagements, 0 organisations, 0 places, 0 sectors, 0 unmapped>
    """

    source: Source
    engagements: tuple[Engagement, ...]
    organisations: tuple[Organisation, ...]
    places: tuple[Place, ...]
    sectors: tuple[Sector, ...]
    unmapped: tuple[Unmapped, ...]
    version: str | None = None
    _dataset: Dataset = attrs.field(init=False, eq=False)

    def __attrs_post_init__(self) -> None:
        data = Dataset(
            sources=(self.source,),
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
        An organisation, place or sector whose id ``base`` already has is
        taken to be that record, so the imported Mali (``ML``) is the
        bundled Mali; an engagement or a source whose id ``base`` already
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
        if base.source(self.source.id, default=None) is not None:
            raise DataError(
                "the base dataset already has a source with this id;"
                " pass another source_id= to read_activities()",
                record=self.source.id,
                field="id",
            )
        for engagement in self.engagements:
            if base.engagement(engagement.id, default=None) is not None:
                raise DataError(
                    "the base dataset already has an engagement with this id",
                    record=engagement.id,
                    field="id",
                )
        return Dataset(
            sources=(*base.sources, self.source),
            organisations=(
                *base.organisations,
                *(
                    record
                    for record in self.organisations
                    if base.organisation(record.id, default=None) is None
                ),
            ),
            places=(
                *base.places,
                *(
                    record
                    for record in self.places
                    if base.place(record.id, default=None) is None
                ),
            ),
            sectors=(
                *base.sectors,
                *(
                    record
                    for record in self.sectors
                    if base.sector(record.id, default=None) is None
                ),
            ),
            themes=base.themes,
            engagements=(*base.engagements, *self.engagements),
            events=base.events,
            indicators=base.indicators,
        )


# -- reading --------------------------------------------------------------------------


def read_activities(
    file: str | os.PathLike[str] | IO[bytes],
    *,
    source_id: str | None = None,
) -> IatiActivities:
    """Read an IATI 2.0x activity file into mali_aid records.

    ``file`` is a path or a binary file object. The root element is
    ``iati-activities`` (its ``version`` must be 2.0x) or a single
    ``iati-activity``, as some tools export; other namespaces may be
    declared, and elements in them are reported as unmapped. ``source_id``
    is the id of the :class:`~mali_aid.Source` that stands for the file;
    by default it is made from the file's name (``iati-activities`` for a
    file object without one).

    Each activity becomes an :class:`~mali_aid.Engagement` whose id is its
    ``iati-identifier``; what maps to what is told in ``docs/iati.md``. A
    file that is not well formed, that holds a DTD, an entity declaration
    or an external reference, or whose content breaks a rule the records
    rely on (an unknown currency, percentages that do not sum to 100,
    overlapping budgets...) raises :class:`~mali_aid.errors.DataError`
    naming the file, the activity (as ``record``) and the element path (as
    ``field``). A file that cannot be read raises it too.

    >>> import io
    >>> from mali_aid import iati
    >>> iati.read_activities(io.BytesIO(b"<iati-activities><oops></iati-activities>"))
    Traceback (most recent call last):
    ...
    mali_aid.errors.DataError: not well-formed XML: mismatched tag: line 1, column ...
    """
    if isinstance(file, str | os.PathLike):
        path = os.fspath(file)
        if not isinstance(path, str):
            raise DataError(f"the path must be text, not {shown(path)}")
        # Regular files only: a FIFO or a device would hang or never end.
        descriptor = open_regular_file(path)
        try:
            with os.fdopen(descriptor, "rb") as stream:
                return _read(stream, path, source_id)
        except OSError as error:
            raise DataError(
                f"cannot be read: {error.strerror or error}", file=path
            ) from None
    if not callable(getattr(file, "read", None)):
        raise DataError(
            f"read_activities() reads a path or a binary file, not {shown(file)}"
        )
    name = getattr(file, "name", None)
    return _read(file, name if isinstance(name, str) else None, source_id)


class _Chunks:
    """The file, handed to the parser in chunks that grow while it is stuck."""

    def __init__(self, stream: IO[bytes], file: str | None) -> None:
        self.stream = stream
        self.file = file
        self.size = _FIRST_CHUNK
        self.stalled = False
        self.total = 0

    def progress(self) -> None:
        """The parser gave back an event: the next chunk is small again."""
        self.stalled = False

    def read(self, _size: int = -1) -> bytes:
        if self.stalled:
            self.size = min(self.size * 2, _LARGEST_CHUNK)
        else:
            self.size = _FIRST_CHUNK
        self.stalled = True
        try:
            data = self.stream.read(self.size)
        except OSError as error:
            raise DataError(
                f"cannot be read: {error.strerror or error}", file=self.file
            ) from None
        if not isinstance(data, bytes):
            raise DataError(
                "the file must be opened in binary mode ('rb')", file=self.file
            )
        self.total += len(data)
        if self.total > MAX_BYTES:
            raise DataError(
                f"the file is larger than {MAX_BYTES // (1024 * 1024)} MiB",
                file=self.file,
            )
        return data


def _read(stream: IO[bytes], file: str | None, source_id: str | None) -> IatiActivities:
    reader = _FileReader(file, _source_id(file, source_id))
    chunks = _Chunks(stream, file)
    try:
        events = SafeElementTree.iterparse(
            chunks,
            events=("start-ns", "start", "end"),
            forbid_dtd=True,
            forbid_entities=True,
            forbid_external=True,
        )
        for event, item in events:
            chunks.progress()
            if event == "start-ns":
                reader.declare(*item)
            else:
                reader.feed(event, item)
    except DataError:
        raise
    except ParseError as error:
        raise DataError(f"not well-formed XML: {error}", file=file) from None
    except DTDForbidden:
        raise DataError(
            "holds a document type declaration (DTD); IATI files need none,"
            " and it is refused so that no entity can be declared or fetched",
            file=file,
        ) from None
    except DefusedXmlException as error:  # pragma: no cover
        # With forbid_dtd, no entity or external reference can be declared
        # without a DTD, which is refused above; this catches whatever else
        # defusedxml may refuse.
        raise DataError(f"refused as unsafe XML: {error}", file=file) from None
    except LookupError as error:
        # expat looks the declared encoding up: an unknown one ends here.
        raise DataError(f"cannot be decoded: {error}", file=file) from None
    except ValueError as error:
        # An encoding expat cannot read (multi-byte ones it does not know).
        raise DataError(f"cannot be decoded: {error}", file=file) from None
    return reader.finish()


def _source_id(file: str | None, given: str | None) -> str:
    if given is not None:
        if not isinstance(given, str) or not _ID.fullmatch(given):
            raise DataError(
                f"source_id {shown(given)} is not a valid id"
                " (letters, digits, '.', '_' or '-', starting with a letter or digit)"
            )
        return given
    if file is None:
        return "iati-activities"
    stem = os.path.basename(file)
    if stem.lower().endswith(".xml"):
        stem = stem[:-4]
    return _slug(stem) or "iati-activities"


def _slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens.

    'Agence française de développement' gives 'agence-francaise-de-developpement'.
    """
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    )
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def _id_from_ref(ref: str) -> str:
    """An IATI identifier as an id: kept as it is where it is one already."""
    return _NOT_IN_ID.sub("-", ref.strip()).lstrip("._-")


def _local(tag: str) -> tuple[str | None, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return None, tag


def _language(tag: str | None) -> str | None:
    """The primary language subtag, lower case: 'en-GB' -> 'en'."""
    if tag is None or not tag.strip():
        return None
    return tag.strip().split("-")[0].lower()


def _clean(text: str | None) -> str:
    return _SPACES.sub(" ", text or "").strip()


def _parse_date(text: str | None, field: str) -> date:
    match = _ISO_DATE.fullmatch((text or "").strip())
    if match is None:
        raise DataError(
            f"{shown(text)} is not an ISO 8601 date (YYYY-MM-DD)"
            if text is not None
            else "the date is missing",
            field=field,
        )
    try:
        return date(int(match[1]), int(match[2]), int(match[3]))
    except ValueError as error:
        raise DataError(f"{shown(text)} is not a date: {error}", field=field) from None


def _parse_percentage(text: str, field: str) -> Decimal:
    cleaned = text.strip()
    if len(cleaned) > MAX_NUMBER_TEXT or not _XSD_DECIMAL.fullmatch(cleaned):
        raise DataError(
            f"percentage {shown(text)} is not a decimal number", field=field
        )
    value = Decimal(cleaned)
    try:
        check_decimal(value, f"percentage {cleaned}")
    except DataError as error:
        raise DataError(error.reason, field=field) from None
    if not 0 <= value <= 100:
        raise DataError(f"percentage {cleaned} is not between 0 and 100", field=field)
    return value


def _exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite by construction
    return min(exponent, 0)


def _split(
    percentages: Sequence[Decimal], what: str, field: str
) -> tuple[Decimal, ...]:
    """Percentages that sum to 100 within their rounding, made to sum to 100.

    The sum may differ from 100 by less than the rounding of the figures as
    written can explain: half a unit of the last digit of each. Within that,
    the percentages are scaled to sum to exactly 100 at the finest precision
    given, the leftover units going to the largest remainders (earlier
    entries first on ties); zeros stay zero. Beyond it, ``DataError``.
    """
    total = sum((Fraction(value) for value in percentages), Fraction(0))
    if total == 100:
        return tuple(percentages)
    slack = sum(
        (Fraction(5, 10) * Fraction(10) ** _exponent(value) for value in percentages),
        Fraction(0),
    )
    if abs(total - 100) > slack:
        raise DataError(
            f"the percentages of {what} sum to {sum(percentages)}, not 100",
            field=field,
        )
    exponent = min(_exponent(value) for value in percentages)
    units = 100 * 10**-exponent
    exact = [Fraction(value) * units / total for value in percentages]
    parts = [math.floor(value) for value in exact]
    order = sorted(
        (index for index, value in enumerate(percentages) if value),
        key=lambda index: (parts[index] - exact[index], index),
    )
    for index in order[: units - sum(parts)]:
        parts[index] += 1
    if any(part == 0 and value for part, value in zip(parts, percentages, strict=True)):
        raise DataError(  # pragma: no cover - needs a share below one unit
            f"the percentages of {what} cannot be scaled to sum to 100", field=field
        )
    return tuple(Decimal(part).scaleb(exponent) for part in parts)


class _Marks:
    """What the reader took from an activity, and why it left the rest."""

    def __init__(self) -> None:
        self.used: dict[int, set[str]] = {}
        self.reasons: dict[int, str] = {}
        self.notes: dict[tuple[int, str], str] = {}

    def use(self, element: Element, *attributes: str) -> None:
        self.used.setdefault(id(element), set()).update(attributes)

    def skip(self, element: Element, reason: str) -> None:
        self.reasons[id(element)] = reason

    def note(self, element: Element, attribute: str, reason: str) -> None:
        """Report an attribute, used or not, with this reason."""
        self.notes[(id(element), attribute)] = reason


@attrs.define
class _OrganisationDraft:
    id: str
    key: tuple[str, str]
    name: str
    kind: OrganisationKind
    aliases: list[str]
    citation: Citation

    def build(self) -> Organisation:
        return Organisation(
            id=self.id,
            name=self.name,
            kind=self.kind,
            aliases=tuple(self.aliases),
            citations=(self.citation,),
        )


class _FileReader:
    """Reads the events of one file, an activity at a time."""

    def __init__(self, file: str | None, source_id: str) -> None:
        self.file = file
        self.source_id = source_id
        self.namespace = ""
        self.prefixes: dict[str, str] = {}
        self.depth = 0
        self.elements = 0
        self.activity_elements = 0
        self.root: Element | None = None
        self.single = False
        self.version: str | None = None
        self.generated: date | None = None
        self.language: str | None = None
        self.positions = 0
        self.engagements: list[Engagement] = []
        self.identifiers: dict[str, str] = {}
        self.organisations: dict[str, _OrganisationDraft] = {}
        self.sectors: dict[str, Sector] = {}
        self.places: dict[str, Place] = {}
        self.unmapped: list[Unmapped] = []
        self.publishers: list[str] = []
        self.languages: list[str] = []

    def fail(self, reason: str, field: str | None = None) -> DataError:
        return DataError(reason, file=self.file, field=field)

    # -- the stream of elements ------------------------------------------------

    def declare(self, prefix: str, uri: str) -> None:
        """Remember the first prefix a namespace is declared with."""
        self.prefixes.setdefault(uri, prefix)

    def feed(self, event: str, element: Element) -> None:
        if event == "start":
            self.depth += 1
            self.check_start(element)
            if self.depth == 1:
                self.start_root(element)
            return
        self.check_text(element)
        self.depth -= 1
        if self.single:
            if self.depth == 0:
                self.read_activity(element, "iati-activity")
            return
        if self.depth == 1:
            assert self.root is not None
            if element.tag == self.namespace + "iati-activity":
                self.positions += 1
                self.read_activity(
                    element, f"iati-activities/iati-activity[{self.positions}]"
                )
            else:
                self.unmapped.append(
                    Unmapped(
                        activity=None,
                        element=f"iati-activities/{self.name(element)}",
                        reason=self.reason_for(element),
                    )
                )
            # Activities are read one at a time; the tree never holds more.
            # Every child read so far goes at once (removing one at a time
            # from the front costs time quadratic in the children a chunk of
            # the file holds); the events still to come hold their elements.
            del self.root[:]

    def check_start(self, element: Element) -> None:
        """Refuse an element beyond the limits before anything is built on it."""
        if self.depth > MAX_DEPTH:
            raise self.fail(
                f"elements are nested more than {MAX_DEPTH} levels deep",
                self.name(element)[:MAX_NAME],
            )
        self.elements += 1
        if self.elements > MAX_ELEMENTS:
            raise self.fail(f"the file holds more than {MAX_ELEMENTS} elements")
        activity_depth = 1 if self.single else 2
        if self.depth == activity_depth:
            self.activity_elements = 0
        elif self.depth > activity_depth:
            self.activity_elements += 1
            if self.activity_elements > MAX_ACTIVITY_ELEMENTS:
                raise self.fail(
                    f"an activity holds more than {MAX_ACTIVITY_ELEMENTS} elements"
                )
        if len(element.tag) > MAX_NAME:
            raise self.fail(f"an element's name is longer than {MAX_NAME} characters")
        for name, value in element.attrib.items():
            if len(name) > MAX_NAME:
                raise self.fail(
                    f"an attribute's name is longer than {MAX_NAME} characters",
                    self.name(element),
                )
            if len(value) > MAX_ATTRIBUTE:
                raise self.fail(
                    f"the attribute {self.qualified(name)} is longer than"
                    f" {MAX_ATTRIBUTE} characters",
                    self.name(element),
                )

    def check_text(self, element: Element) -> None:
        for text in (element.text, element.tail):
            if text is not None and len(text) > MAX_TEXT:
                raise self.fail(
                    f"the text of an element is longer than {MAX_TEXT} characters",
                    self.name(element),
                )

    def start_root(self, root: Element) -> None:
        namespace, name = _local(root.tag)
        self.namespace = "" if namespace is None else f"{{{namespace}}}"
        self.root = root
        if name == "iati-activity":
            self.single = True
            return
        if name != "iati-activities":
            raise self.fail(
                f"the root element is <{name}>, not <iati-activities> or"
                " <iati-activity>: this is not an IATI activity file"
            )
        version = root.get("version")
        if version is not None and not _VERSION.fullmatch(version.strip()):
            raise self.fail(
                f"IATI version {shown(version.strip())}: only IATI 2.0x activity files"
                " are read",
                "iati-activities/@version",
            )
        self.version = None if version is None else version.strip()
        generated = root.get("generated-datetime")
        if generated is not None and generated.strip():
            self.generated = _parse_date(
                generated.strip()[:10], "iati-activities/@generated-datetime"
            )
        self.language = _language(root.get(_XML_LANG))
        for attribute in root.attrib:
            if attribute in {"version", "generated-datetime", _XML_LANG}:
                continue
            if attribute.startswith(_XSI):
                continue
            self.unmapped.append(
                Unmapped(
                    activity=None,
                    element=f"iati-activities/@{self.qualified(attribute)}",
                    reason=_NOT_MAPPED,
                )
            )

    def name(self, element: Element) -> str:
        """The element's name: local in the IATI namespace, else prefixed."""
        return self.qualified(element.tag)

    def qualified(self, name: str) -> str:
        """A name as the file writes it: ``budget``, ``xml:lang``, ``akvo:photo``.

        A name in the IATI namespace is local; one in another namespace
        takes the prefix the file first declares for it (the full
        ``{uri}name`` where it declares none).
        """
        if name == _XML_LANG:
            return "xml:lang"
        if self.namespace and name.startswith(self.namespace):
            return name[len(self.namespace) :]
        namespace, local = _local(name)
        if namespace is None:
            return local
        prefix = self.prefixes.get(namespace)
        if prefix:
            return f"{prefix}:{local}"
        return name

    def reason_for(self, element: Element) -> str:
        namespace, _ = _local(element.tag)
        own = self.namespace[1:-1] if self.namespace else None
        if namespace != own:
            return "an extension outside the IATI namespace: not mapped"
        return _NOT_MAPPED

    # -- one activity -------------------------------------------------------------

    def read_activity(self, element: Element, where: str) -> None:
        activity = _ActivityReader(self, element)
        identifier = activity.identifier(where)
        try:
            engagement = activity.engagement()
            if engagement.id in self.identifiers:
                raise DataError(
                    f"the activity {self.identifiers[engagement.id]!r} already"
                    f" has the id {engagement.id!r}",
                    field="iati-identifier",
                )
            self.identifiers[engagement.id] = identifier
        except DataError as error:
            raise error.located(file=self.file, record=identifier) from None
        self.engagements.append(engagement)
        self.unmapped.extend(activity.unmapped())

    # -- the end ------------------------------------------------------------------

    def finish(self) -> IatiActivities:
        name = None if self.file is None else os.path.basename(self.file)
        languages = sorted(set(self.languages))
        try:
            source = Source(
                id=self.source_id,
                title=f"IATI activity file {name}" if name else "IATI activity file",
                publisher="; ".join(self.publishers) or "not named in the file",
                language=(
                    languages[0]
                    if len(languages) == 1
                    else ("mul" if languages else "und")
                ),
                paragraphs=1,
                date=(
                    None
                    if self.generated is None
                    else Period(start=self.generated, end=self.generated)
                ),
                file=name or None,
            )
            return IatiActivities(
                source=source,
                engagements=tuple(self.engagements),
                organisations=tuple(
                    draft.build() for draft in self.organisations.values()
                ),
                places=tuple(self.places.values()),
                sectors=tuple(self.sectors.values()),
                unmapped=tuple(self.unmapped),
                version=self.version,
            )
        except DataError as error:  # pragma: no cover - checked record by record
            raise error.located(file=self.file) from None


class _ActivityReader:
    """Maps one ``iati-activity`` element, marking what it takes."""

    def __init__(self, reader: _FileReader, element: Element) -> None:
        self.reader = reader
        self.element = element
        self.marks = _Marks()
        self.steps = self.compute_steps()
        self.language = _language(element.get(_XML_LANG)) or reader.language
        self.id = ""
        self.iati_identifier = ""

    # -- helpers ----------------------------------------------------------------

    def compute_steps(self) -> dict[int, tuple[int, str]]:
        """Each element's parent and its step from it (``budget[2]``).

        Paths are put together on demand from these, so that memory stays
        linear in the number of elements whatever their depth.
        """
        steps: dict[int, tuple[int, str]] = {}
        stack = [self.element]
        while stack:
            parent = stack.pop()
            counts: dict[str, int] = {}
            for child in parent:
                counts[child.tag] = counts.get(child.tag, 0) + 1
            seen: dict[str, int] = {}
            for child in parent:
                seen[child.tag] = seen.get(child.tag, 0) + 1
                step = self.reader.name(child)
                if counts[child.tag] > 1:
                    step = f"{step}[{seen[child.tag]}]"
                steps[id(child)] = (id(parent), step)
                stack.append(child)
        return steps

    def path(self, element: Element, attribute: str | None = None) -> str:
        parts: list[str] = []
        key = id(element)
        while key in self.steps:
            key, step = self.steps[key]
            parts.append(step)
        base = "/".join(reversed(parts))
        if attribute is None:
            return base
        step = f"@{self.reader.qualified(attribute)}"
        return f"{base}/{step}" if base else step

    def children(self, element: Element, name: str) -> list[Element]:
        tag = self.reader.namespace + name
        return [child for child in element if child.tag == tag]

    def first(self, element: Element, name: str) -> Element | None:
        found = self.children(element, name)
        return found[0] if found else None

    def text_of(self, element: Element) -> str:
        """The text of an element that holds text only; mixed content raises.

        ``<value>1<b/>00</value>`` would otherwise read as 1.
        """
        if len(element):
            raise DataError(
                f"holds the element <{self.reader.name(element[0])}> inside its"
                " text; it must hold text only",
                field=self.path(element),
            )
        return element.text or ""

    def citation(self, element: Element | None = None) -> Citation:
        locator = self.iati_identifier
        if element is not None and element is not self.element:
            locator = f"{locator}/{self.path(element)}"
        return Citation(source=self.reader.source_id, locator=locator)

    def code(self, element: Element, attribute: str = "code") -> str:
        return (element.get(attribute) or "").strip()

    def narratives(self, element: Element) -> list[tuple[Element, str, str | None]]:
        """The narratives of an element: (narrative, text, language)."""
        found = []
        for narrative in self.children(element, "narrative"):
            text = _clean(self.text_of(narrative))
            if not text:
                self.marks.skip(narrative, "an empty narrative")
                continue
            language = _language(narrative.get(_XML_LANG)) or self.language
            found.append((narrative, text, language))
        return found

    def pick(
        self, narratives: list[tuple[Element, str, str | None]]
    ) -> tuple[Element, str, str | None] | None:
        """The narrative in the activity's language, else the first."""
        for entry in narratives:
            if entry[2] == self.language:
                return entry
        return narratives[0] if narratives else None

    def use_narrative(self, narrative: Element) -> None:
        self.marks.use(narrative, _XML_LANG)

    def one_narrative(
        self, element: Element, what: str, why: str
    ) -> tuple[Element, str, str | None] | None:
        """Keep the narrative :meth:`pick` chooses; report the others as names
        of ``what`` in other languages, left out because ``why``."""
        narratives = self.narratives(element)
        chosen = self.pick(narratives)
        if chosen is not None:
            self.use_narrative(chosen[0])
        for narrative, _, language in narratives:
            if chosen is None or narrative is not chosen[0]:
                self.marks.skip(
                    narrative,
                    f"{what} name in {language or 'another language'}; {why}",
                )
        return chosen

    # -- the parts of an engagement ------------------------------------------------

    def identifier(self, where: str) -> str:
        found = self.children(self.element, "iati-identifier")
        for element in found:
            text = _clean(self.text_of(element))
            if text:
                self.marks.use(element)
                self.iati_identifier = text
                break
        else:
            raise DataError(
                "the activity has no iati-identifier",
                file=self.reader.file,
                field=where,
            )
        for element in found:
            if id(element) not in self.marks.used:
                self.marks.skip(element, "a second iati-identifier; the first is used")
        self.id = _id_from_ref(self.iati_identifier)
        if not self.id:
            raise DataError(
                f"the iati-identifier {shown(self.iati_identifier)} gives no usable id",
                file=self.reader.file,
                field="iati-identifier",
            )
        return self.iati_identifier

    def engagement(self) -> Engagement:
        self.marks.use(self.element, _XML_LANG, "default-currency")
        if self.language is not None:
            self.reader.languages.append(self.language)
        self.read_publisher()
        title, title_en = self.title()
        participants = self.participants()
        status = self.status()
        period = self.period()
        sectors = self.sector_shares()
        places = self.place_shares()
        amounts = self.budgets() + self.transactions()
        channel = self.channel()
        citations = (
            self.citation(),
            *(self.citation(element) for element, _ in amounts),
        )
        return Engagement(
            id=self.id,
            title=title,
            title_en=title_en,
            kind=EngagementKind.PROJECT,
            participants=participants,
            period=period,
            amounts=tuple(amount for _, amount in amounts),
            channel=channel,
            status=status,
            sectors=sectors,
            places=places,
            citations=citations,
        )

    def read_publisher(self) -> None:
        found = self.children(self.element, "reporting-org")
        for index, element in enumerate(found):
            if index:
                self.marks.skip(element, "a second reporting-org; the first is used")
                continue
            chosen = self.one_narrative(
                element, "the publisher's", "the source names it once"
            )
            ref = _clean(element.get("ref"))
            name = chosen[1] if chosen else ref
            self.marks.use(element, "ref")
            if name and name not in self.reader.publishers:
                self.reader.publishers.append(name)

    def title(self) -> tuple[str, str | None]:
        found = self.children(self.element, "title")
        if not found:
            return self.iati_identifier, None
        for extra in found[1:]:
            self.marks.skip(extra, "a second title; the first is used")
        element = found[0]
        self.marks.use(element)
        narratives = self.narratives(element)
        chosen = self.pick(narratives)
        if chosen is None:
            return self.iati_identifier, None
        self.use_narrative(chosen[0])
        english = None
        if chosen[2] != "en":
            english = next((entry for entry in narratives if entry[2] == "en"), None)
            if english is not None:
                self.use_narrative(english[0])
        for narrative, _, language in narratives:
            if narrative is chosen[0] or (english and narrative is english[0]):
                continue
            self.marks.skip(
                narrative,
                f"the title in {language or 'another language'}; the title is kept"
                " in the activity's language and in English",
            )
        return chosen[1], None if english is None else english[1]

    def participants(self) -> tuple[Participant, ...]:
        participants: list[Participant] = []
        for element in self.children(self.element, "participating-org"):
            role_code = self.code(element, "role")
            role = _ROLES.get(role_code)
            if role is None:
                self.marks.skip(
                    element,
                    f"organisation role {shown(role_code)} is not one of 1 to 4"
                    " (funding, accountable, extending, implementing)"
                    if role_code
                    else "no organisation role",
                )
                continue
            organisation = self.organisation(element)
            if organisation is None:
                continue
            if any(
                p.organisation == organisation and p.role is role for p in participants
            ):
                self.marks.skip(
                    element, f"names {organisation!r} a second time as {role.value}"
                )
                continue
            self.marks.use(element, "role")
            participants.append(Participant(organisation=organisation, role=role))
        return tuple(participants)

    def organisation(self, element: Element) -> str | None:
        """The id of the organisation a participating-org names, recorded."""
        narratives = self.narratives(element)
        chosen = self.pick(narratives)
        ref = _clean(element.get("ref"))
        organisation_id = _id_from_ref(ref) if ref else ""
        key = ("ref", ref)
        if not organisation_id and chosen is not None:
            organisation_id = _slug(chosen[1])
            key = ("name", organisation_id)
        if not organisation_id:
            self.marks.skip(
                element, "names no organisation: it has neither @ref nor a narrative"
            )
            return None
        self.marks.use(element, "ref")
        names = [chosen[1]] if chosen else []
        names += [text for _, text, _ in narratives if text not in names]
        for narrative, _, _ in narratives:
            self.use_narrative(narrative)
        code = self.code(element, "type")
        kind = _ORGANISATION_KINDS.get(code, _DEFAULT_KIND)
        registry = self.reader.organisations
        draft = registry.get(organisation_id)
        if draft is None:
            draft = _OrganisationDraft(
                id=organisation_id,
                key=key,
                name=names[0] if names else ref,
                kind=kind,
                aliases=[],
                citation=self.citation(element),
            )
            registry[organisation_id] = draft
            if code and code not in _ORGANISATION_KINDS:
                self.marks.note(
                    element,
                    "type",
                    f"organisation type {code} has no matching kind;"
                    f" the organisation is recorded as {_DEFAULT_KIND.value}",
                )
            else:
                self.marks.use(element, "type")
        else:
            if draft.key != key:
                raise DataError(
                    f"this organisation and an earlier one ({draft.key[0]}"
                    f" {draft.key[1]!r}) would both get the id {organisation_id!r}",
                    field=self.path(element),
                )
            if not code or kind is draft.kind:
                self.marks.use(element, "type")
            else:
                self.marks.note(
                    element,
                    "type",
                    f"organisation type {code}; an earlier element made this"
                    f" organisation {draft.kind.value}, which is kept",
                )
        for name in names:
            if name != draft.name and name not in draft.aliases:
                draft.aliases.append(name)
        return organisation_id

    def status(self) -> Status | None:
        found = self.children(self.element, "activity-status")
        for extra in found[1:]:
            self.marks.skip(extra, "a second activity-status; the first is used")
        if not found:
            return None
        code = self.code(found[0])
        status = _STATUSES.get(code)
        if status is None:
            self.marks.skip(
                found[0],
                f"activity status {code} ({_STATUS_NAMES[code]}) has no matching status"
                if code in _STATUS_NAMES
                else f"activity status {shown(code)} is not in the ActivityStatus codelist",
            )
            return None
        self.marks.use(found[0], "code")
        return status

    def period(self) -> Period | None:
        dates: dict[str, tuple[Element, date]] = {}
        for element in self.children(self.element, "activity-date"):
            kind = self.code(element, "type")
            if kind not in {"1", "2", "3", "4"}:
                self.marks.skip(
                    element,
                    f"activity date type {shown(kind)} is not in the ActivityDateType"
                    " codelist",
                )
                continue
            if kind in dates:
                self.marks.skip(
                    element, f"a second activity-date of type {kind}; the first is used"
                )
                continue
            value = _parse_date(element.get("iso-date"), self.path(element, "iso-date"))
            self.marks.use(element, "type", "iso-date")
            dates[kind] = (element, value)
        start = end = None
        for planned, actual, end_name in (("1", "2", "start"), ("3", "4", "end")):
            if actual in dates and planned in dates:
                self.marks.skip(
                    dates[planned][0],
                    f"the planned {end_name} date; the actual {end_name} date"
                    f" (type {actual}) is used",
                )
            chosen = dates.get(actual) or dates.get(planned)
            if chosen is not None:
                if end_name == "start":
                    start = chosen[1]
                else:
                    end = chosen[1]
        if start is None and end is None:
            return None
        try:
            return Period(start=start, end=end)
        except DataError as error:
            raise DataError(error.reason, field="activity-date") from None

    def sector_shares(self) -> tuple[SectorShare, ...]:
        groups: dict[str, list[Element]] = {}
        for element in self.children(self.element, "sector"):
            vocabulary = self.code(element, "vocabulary") or "1"
            groups.setdefault(vocabulary, []).append(element)
        chosen = "1" if "1" in groups else ("2" if "2" in groups else None)
        for vocabulary, elements in groups.items():
            if vocabulary == chosen:
                continue
            reason = (
                "a DAC 3-digit sector category (vocabulary 2); the sectors are"
                " read from the DAC 5-digit purpose codes (vocabulary 1),"
                " which split the same activity in more detail"
                if vocabulary == "2"
                else f"sector vocabulary {vocabulary} is not the OECD DAC's (1 or 2)"
            )
            for element in elements:
                self.marks.skip(element, reason)
        if chosen is None:
            return ()
        elements = groups[chosen]
        digits = 5 if chosen == "1" else 3
        codes: list[str] = []
        for element in elements:
            code = self.code(element)
            if not re.fullmatch(rf"[0-9]{{{digits}}}", code):
                raise DataError(
                    f"sector code {shown(code)} of vocabulary {chosen} is not"
                    f" {digits} digits",
                    field=self.path(element, "code"),
                )
            if code in codes:
                raise DataError(
                    f"sector {code} is listed twice", field=self.path(element)
                )
            codes.append(code)
        percentages = self.percentages(
            elements, f"the sectors of vocabulary {chosen}", "sector"
        )
        shares = []
        for element, code, percentage in zip(elements, codes, percentages, strict=True):
            if percentage == 0:
                self.marks.skip(element, "a percentage of 0: no share of the activity")
                continue
            self.marks.use(element, "vocabulary", "code", "percentage")
            sector_id = f"dac-{code}"
            self.record_sector(element, sector_id, code, chosen)
            shares.append(SectorShare(sector=sector_id, percentage=percentage))
        return tuple(shares)

    def record_sector(
        self, element: Element, sector_id: str, code: str, vocabulary: str
    ) -> None:
        chosen = self.one_narrative(element, "the sector's", "one name is kept")
        if sector_id in self.reader.sectors:
            return
        name = (
            chosen[1]
            if chosen is not None
            else (
                f"DAC CRS purpose code {code}"
                if vocabulary == "1"
                else f"DAC CRS sector category {code}"
            )
        )
        self.reader.sectors[sector_id] = Sector(
            id=sector_id,
            name=name,
            dac_code=code,
            reference=(
                "OECD DAC CRS purpose code (IATI sector vocabulary 1)"
                if vocabulary == "1"
                else "OECD DAC CRS sector category (IATI sector vocabulary 2)"
            ),
            citations=(self.citation(element),),
        )

    def percentages(
        self, elements: Sequence[Element], what: str, name: str
    ) -> tuple[Decimal | None, ...]:
        """The percentages of a group, checked and scaled to sum to 100.

        ``None`` for each when none is given; a group that gives some and
        not others raises.
        """
        written = [element.get("percentage") for element in elements]
        given = [text for text in written if text is not None and text.strip()]
        if not given:
            return tuple(None for _ in elements)
        if len(given) != len(elements):
            missing = next(
                element
                for element, text in zip(elements, written, strict=True)
                if text is None or not text.strip()
            )
            raise DataError(
                f"give a percentage for every {name} or for none",
                field=self.path(missing),
            )
        values = [
            _parse_percentage(text or "", self.path(element, "percentage"))
            for element, text in zip(elements, written, strict=True)
        ]
        scaled = _split(values, what, self.path(elements[0]))
        for element, before, after in zip(elements, values, scaled, strict=True):
            if before != after:
                self.marks.note(
                    element,
                    "percentage",
                    f"{before} is kept as {after}, so that the percentages of"
                    f" {what} sum to 100 (they sum to {sum(values)})",
                )
        return scaled

    def place_shares(self) -> tuple[PlaceShare, ...]:
        countries = self.children(self.element, "recipient-country")
        regions = self.children(self.element, "recipient-region")
        recipients = countries + regions
        if not any(self.code(element).upper() == _MALI for element in countries):
            # Nothing is mapped, so nothing needs checking.
            percentages: tuple[Decimal | None, ...] = tuple(None for _ in recipients)
        else:
            percentages = self.percentages(
                recipients,
                "the recipient countries and regions",
                "recipient country and region",
            )
        shares: list[PlaceShare] = []
        others: list[Element] = []
        for element, percentage in zip(recipients, percentages, strict=True):
            code = self.code(element)
            if element.tag.endswith("recipient-region"):
                vocabulary = self.code(element, "vocabulary") or "1"
                self.marks.skip(
                    element,
                    f"region {code} (vocabulary {vocabulary})"
                    " is a region of the world, not of Mali; only Mali's share of"
                    " the activity is kept",
                )
                continue
            if percentage == 0:
                self.marks.skip(element, f"country {code}: its share is 0")
                continue
            if code.upper() != _MALI:
                # Kept as a place outside Mali, so that totals count Mali's
                # share alone and never show the rest as an unknown place.
                others.append(element)
                shares.append(PlaceShare(place=code.upper(), percentage=percentage))
                continue
            if any(share.place == _MALI for share in shares):
                raise DataError("Mali is listed twice", field=self.path(element))
            self.marks.use(element, "code", "percentage")
            self.record_mali(element)
            shares.append(PlaceShare(place=_MALI, percentage=percentage))
        if not any(share.place == _MALI for share in shares):
            for element in others:
                self.marks.skip(element, f"country {self.code(element)}: not Mali")
            return ()
        for element in others:
            self.record_country(element, self.code(element).upper())
        return tuple(shares)

    def record_country(self, element: Element, code: str) -> None:
        self.marks.use(element, "code", "percentage")
        for narrative, _, _ in self.narratives(element):
            self.marks.skip(narrative, f"the country's name; it is recorded as {code}")
        if code not in self.reader.places:
            self.reader.places[code] = Place(
                id=code,
                name=code,
                level=PlaceLevel.COUNTRY,
                iso_code=code,
                reference="ISO 3166-1 alpha-2 code, as IATI recipient-country uses",
                citations=(self.citation(element),),
            )

    def record_mali(self, element: Element) -> None:
        for narrative, _, _ in self.narratives(element):
            self.marks.skip(narrative, "the country's name; Mali is recorded as ML")
        if _MALI not in self.reader.places:
            self.reader.places[_MALI] = Place(
                id=_MALI,
                name="Mali",
                level=PlaceLevel.COUNTRY,
                iso_code=_MALI,
                reference="ISO 3166-1 alpha-2 code, as IATI recipient-country uses",
                citations=(self.citation(element),),
            )

    def money(self, element: Element) -> tuple[Money, date | None]:
        """The Money and value date of a ``value`` element."""
        path = self.path(element)
        text = self.text_of(element).strip()
        if len(text) > MAX_NUMBER_TEXT:
            raise DataError(
                f"the value has more than {MAX_NUMBER_TEXT} characters", field=path
            )
        if not _XSD_DECIMAL.fullmatch(text):
            raise DataError(f"{shown(text)} is not a decimal number", field=path)
        currency = _clean(element.get("currency"))
        field = self.path(element, "currency")
        if not currency:
            currency = _clean(self.element.get("default-currency"))
            field = "@default-currency"
        if not currency:
            raise DataError(
                "no currency: the value has no @currency and the activity no"
                " @default-currency",
                field=path,
            )
        try:
            money = Money(text, currency)
        except DataError as error:
            raise DataError(error.reason, field=field) from None
        value_date = None
        if element.get("value-date") is not None:
            value_date = _parse_date(
                element.get("value-date"), self.path(element, "value-date")
            )
        self.marks.use(element, "currency", "value-date")
        return money, value_date

    def value_of(self, element: Element) -> Element:
        found = self.children(element, "value")
        if not found:
            raise DataError("it has no value", field=self.path(element))
        for extra in found[1:]:
            self.marks.skip(extra, "a second value; the first is used")
        return found[0]

    def budgets(self) -> list[tuple[Element, Amount]]:
        drafts: list[tuple[Element, str, Period, Amount]] = []
        for element in self.children(self.element, "budget"):
            kind = self.code(element, "type") or "1"
            if kind not in {"1", "2"}:
                raise DataError(
                    f"budget type {shown(kind)} is not in the BudgetType codelist"
                    " (1 original, 2 revised)",
                    field=self.path(element, "type"),
                )
            bounds = []
            for name in ("period-start", "period-end"):
                bound = self.first(element, name)
                if bound is None:
                    raise DataError(
                        f"the budget has no {name}", field=self.path(element)
                    )
                bounds.append(
                    _parse_date(bound.get("iso-date"), self.path(bound, "iso-date"))
                )
                self.marks.use(bound, "iso-date")
            try:
                period = Period(start=bounds[0], end=bounds[1])
            except DataError as error:
                raise DataError(error.reason, field=self.path(element)) from None
            value = self.value_of(element)
            money, value_date = self.money(value)
            self.marks.use(element, "type")
            status = self.code(element, "status")
            if status:
                self.marks.note(
                    element,
                    "status",
                    f"budget status {status}"
                    + (
                        f" ({_BUDGET_STATUSES[status]})"
                        if status in _BUDGET_STATUSES
                        else ""
                    )
                    + " has no field in an Amount",
                )
            amount = Amount(
                money=money,
                kind=AmountKind.BUDGET,
                period=period,
                value_date=value_date,
            )
            drafts.append((element, kind, period, amount))
        revised = {
            (period.start, period.end): element
            for element, kind, period, _ in drafts
            if kind == "2"
        }
        kept: list[tuple[Element, Period, Amount]] = []
        for element, kind, period, amount in drafts:
            replacement = revised.get((period.start, period.end))
            if kind == "1" and replacement is not None:
                self.marks.skip(
                    element,
                    f"the original budget, replaced by the revised budget"
                    f" {self.path(replacement)} for the same period",
                )
                continue
            kept.append((element, period, amount))
        ordered = sorted(kept, key=lambda entry: (entry[1].start, entry[1].end))
        for (first, first_period, _), (second, second_period, _) in pairwise(ordered):
            assert first_period.end is not None and second_period.start is not None
            if second_period.start <= first_period.end:
                raise DataError(
                    f"budgets {self.path(first)} ({first_period}) and"
                    f" {self.path(second)} ({second_period}) overlap without one"
                    " revising the other for the same period; counting both would"
                    " count the same money twice",
                    field=self.path(second),
                )
        return [(element, amount) for element, _, amount in kept]

    def transactions(self) -> list[tuple[Element, Amount]]:
        amounts: list[tuple[Element, Amount]] = []
        for element in self.children(self.element, "transaction"):
            kind_element = self.first(element, "transaction-type")
            code = "" if kind_element is None else self.code(kind_element)
            kind = _TRANSACTION_KINDS.get(code)
            if kind is None:
                self.marks.skip(element, _transaction_reason(code))
                continue
            assert kind_element is not None
            value = self.value_of(element)
            money, value_date = self.money(value)
            self.marks.use(element)
            self.marks.use(kind_element, "code")
            period = None
            day = self.first(element, "transaction-date")
            if day is not None:
                if kind in {AmountKind.DISBURSEMENT, AmountKind.EXPENDITURE}:
                    when = _parse_date(day.get("iso-date"), self.path(day, "iso-date"))
                    self.marks.use(day, "iso-date")
                    period = Period(start=when, end=when)
                else:
                    self.marks.skip(
                        day,
                        f"the day the {kind.value} was made; it covers the"
                        " activity's period",
                    )
            amounts.append(
                (
                    element,
                    Amount(
                        money=money, kind=kind, period=period, value_date=value_date
                    ),
                )
            )
        return amounts

    def channel(self) -> Channel | None:
        flag = self.element.get("humanitarian")
        humanitarian = False
        if flag is not None:
            cleaned = flag.strip().lower()
            if cleaned not in {"1", "0", "true", "false"}:
                raise DataError(
                    f"humanitarian {shown(flag)} is not a boolean (1, 0, true or false)",
                    field="@humanitarian",
                )
            humanitarian = cleaned in {"1", "true"}
            self.marks.use(self.element, "humanitarian")
        found = self.children(self.element, "collaboration-type")
        for extra in found[1:]:
            self.marks.skip(extra, "a second collaboration-type; the first is used")
        collaboration = found[0] if found else None
        code = "" if collaboration is None else self.code(collaboration)
        if humanitarian:
            if collaboration is not None:
                self.marks.skip(
                    collaboration,
                    f"collaboration type {code}: the humanitarian flag makes the"
                    " channel humanitarian",
                )
            return Channel.HUMANITARIAN
        if collaboration is None:
            return None
        channel = _CHANNELS.get(code)
        if channel is None:
            self.marks.skip(
                collaboration,
                f"collaboration type {shown(code)} has no matching channel",
            )
            return None
        self.marks.use(collaboration, "code")
        return channel

    # -- what was left -----------------------------------------------------------------

    def unmapped(self) -> Iterator[Unmapped]:
        """Everything not taken, in document order."""
        marks = self.marks
        stack: list[Iterator[Element]] = [iter((self.element,))]
        while stack:
            element = next(stack[-1], None)
            if element is None:
                stack.pop()
                continue
            key = id(element)
            if element is not self.element:
                if key in marks.reasons:
                    yield self.item(self.path(element), marks.reasons[key])
                    continue
                if key not in marks.used:
                    yield self.item(self.path(element), self.reader.reason_for(element))
                    continue
            used = marks.used.get(key, set())
            for attribute in element.attrib:
                note = marks.notes.get((key, attribute))
                if note is not None:
                    yield self.item(self.path(element, attribute), note)
                elif attribute not in used and not attribute.startswith(_XSI):
                    yield self.item(self.path(element, attribute), _NOT_MAPPED)
            stack.append(iter(list(element)))

    def item(self, element: str, reason: str) -> Unmapped:
        return Unmapped(activity=self.iati_identifier, element=element, reason=reason)


def _transaction_reason(code: str) -> str:
    if not code:
        return "the transaction has no transaction-type, so its kind is unknown"
    if code in _INCOMING:
        return (
            f"transaction type {code} ({_INCOMING[code]}): money the activity"
            " receives, the other side of a funder's flow; not mapped, so that"
            " no flow is counted twice"
        )
    if code in _OTHER_TRANSACTIONS:
        return (
            f"transaction type {code} ({_OTHER_TRANSACTIONS[code]})"
            " has no matching kind of amount"
        )
    return f"transaction type {shown(code)} is not in the TransactionType codelist"
