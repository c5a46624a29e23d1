"""The XML layer: a file streamed safely, an activity at a time."""

from __future__ import annotations

import os
from datetime import date
from typing import IO, Final
from xml.etree.ElementTree import Element, ParseError

from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml import ElementTree as SafeElementTree

from mali_aid._limits import open_regular_file, shown
from mali_aid._model import (
    Engagement,
    Place,
    Sector,
    Source,
)
from mali_aid._period import Period
from mali_aid.errors import DataError

from ._activity import ActivityReader, OrganisationDraft
from ._results import IatiActivities, Unmapped
from ._text import (
    IATI_VERSION,
    NOT_MAPPED,
    XML_LANG,
    XSI,
    make_source_id,
    parse_date,
    primary_language,
    split_tag,
)

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
                return read_stream(stream, path, source_id)
        except OSError as error:
            raise DataError(
                f"cannot be read: {error.strerror or error}", file=path
            ) from None
    if not callable(getattr(file, "read", None)):
        raise DataError(
            f"read_activities() reads a path or a binary file, not {shown(file)}"
        )
    name = getattr(file, "name", None)
    return read_stream(file, name if isinstance(name, str) else None, source_id)


class Chunks:
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


def read_stream(
    stream: IO[bytes], file: str | None, source_id: str | None
) -> IatiActivities:
    reader = FileReader(file, make_source_id(file, source_id))
    chunks = Chunks(stream, file)
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


class FileReader:
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
        self.organisations: dict[str, OrganisationDraft] = {}
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
        namespace, name = split_tag(root.tag)
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
        if version is not None and not IATI_VERSION.fullmatch(version.strip()):
            raise self.fail(
                f"IATI version {shown(version.strip())}: only IATI 2.0x activity files"
                " are read",
                "iati-activities/@version",
            )
        self.version = None if version is None else version.strip()
        generated = root.get("generated-datetime")
        if generated is not None and generated.strip():
            self.generated = parse_date(
                generated.strip()[:10], "iati-activities/@generated-datetime"
            )
        self.language = primary_language(root.get(XML_LANG))
        for attribute in root.attrib:
            if attribute in {"version", "generated-datetime", XML_LANG}:
                continue
            if attribute.startswith(XSI):
                continue
            self.unmapped.append(
                Unmapped(
                    activity=None,
                    element=f"iati-activities/@{self.qualified(attribute)}",
                    reason=NOT_MAPPED,
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
        if name == XML_LANG:
            return "xml:lang"
        if self.namespace and name.startswith(self.namespace):
            return name[len(self.namespace) :]
        namespace, local = split_tag(name)
        if namespace is None:
            return local
        prefix = self.prefixes.get(namespace)
        if prefix:
            return f"{prefix}:{local}"
        return name

    def reason_for(self, element: Element) -> str:
        namespace, _ = split_tag(element.tag)
        own = self.namespace[1:-1] if self.namespace else None
        if namespace != own:
            return "an extension outside the IATI namespace: not mapped"
        return NOT_MAPPED

    # -- one activity -------------------------------------------------------------

    def read_activity(self, element: Element, where: str) -> None:
        activity = ActivityReader(self, element)
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
