"""The XML layer: a file streamed safely, an activity at a time."""

from __future__ import annotations

import contextlib
import os
from collections.abc import Callable, Iterable, Iterator, Sequence
from datetime import date
from typing import IO, Any, Final, Literal, Protocol, TypeAlias
from xml.etree.ElementTree import Element, ParseError

import attrs
from defusedxml import DefusedXmlException, DTDForbidden
from defusedxml import ElementTree as SafeElementTree

from mali_aid._dataset import _oversized_container
from mali_aid._limits import open_regular_file, shown
from mali_aid._lineage import walk
from mali_aid._model import (
    Engagement,
    Place,
    PlaceLevel,
    Sector,
    Source,
)
from mali_aid._period import Period
from mali_aid.errors import DataError

from ._activity import ActivityReader, Link, OrganisationDraft
from ._results import IatiActivities, Skipped, Unmapped
from ._text import (
    IATI_VERSION,
    MALI,
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
#: Elements in one activity (or other child of the root), everything inside
#: it included. The reader holds one such element at a time, so this bounds
#: its memory whatever the size of the file.
MAX_ACTIVITY_ELEMENTS: Final = 100_000
#: Characters of an element's or attribute's name.
MAX_NAME: Final = 200
#: Characters of one attribute's value.
MAX_ATTRIBUTE: Final = 64 * 1024
#: Characters of the text of one element.
MAX_TEXT: Final = 1024 * 1024
#: Bytes handed to the parser at once, at first and at most. The size
#: doubles while the parser gives back nothing, so that one huge token is
#: parsed in linear time rather than re-read from its start at every chunk.
_FIRST_CHUNK: Final = 64 * 1024
_LARGEST_CHUNK: Final = 64 * 1024 * 1024

OnError: TypeAlias = Literal["raise", "skip"]
OutsideMali: TypeAlias = Literal["report", "keep"]
FileArgument: TypeAlias = "str | os.PathLike[str] | IO[bytes]"

# -- reading --------------------------------------------------------------------------


def read_activities(
    files: str
    | os.PathLike[str]
    | IO[bytes]
    | Iterable[str | os.PathLike[str] | IO[bytes]],
    *,
    source_id: str | None = None,
    on_error: OnError = "raise",
    outside_mali: OutsideMali = "report",
    progress: bool | None = None,
) -> IatiActivities:
    """Read IATI 2.0x activity files into mali_aid records.

    ``files`` is a path, a binary file object, a directory (every ``*.xml``
    file directly inside it, in the order of their names) or a list of
    paths and file objects. Each file is streamed: the reader holds one
    activity at a time, so memory grows with the records it maps, not with
    the size of the files. The root element of a file is
    ``iati-activities`` (its ``version`` must be 2.0x) or a single
    ``iati-activity``, as some tools export; other namespaces may be
    declared, and elements in them are reported as unmapped.

    ``source_id`` is the id of the :class:`~mali_aid.Source` that stands
    for a single file; by default, and always for several files, it is made
    from the file's name (``iati-activities`` for a file object without
    one).

    Each activity becomes an :class:`~mali_aid.Engagement` whose id is its
    ``iati-identifier``; what maps to what is told in ``docs/iati.md``. A
    file that is not well formed, that holds a DTD, an entity declaration
    or an external reference, that breaks a limit, or that cannot be read,
    raises :class:`~mali_aid.errors.DataError` naming the file: nothing is
    half loaded. An activity whose content breaks a rule the records rely
    on (an unknown currency, percentages that do not sum to 100,
    overlapping budgets...) raises it too, naming the file, the activity
    (as ``record``) and the element path (as ``field``); with
    ``on_error="skip"`` that activity alone is left out, with nothing of it
    kept, and listed in ``skipped``.

    An activity whose recipients are all outside Mali (no recipient country
    Mali, no recipient region that contains Mali) is left out and listed in
    ``outside``; ``outside_mali="keep"`` keeps it, with its places.

    ``progress`` shows a progress bar on standard error (``tqdm``, from the
    ``progress`` extra): ``None`` (the default) shows it when standard error
    is a terminal and tqdm is installed, ``False`` never, ``True`` always
    (an :class:`ImportError` naming the extra without tqdm).

    >>> import io
    >>> from mali_aid import iati
    >>> iati.read_activities(io.BytesIO(b"<iati-activities><oops></iati-activities>"))
    Traceback (most recent call last):
    ...
    mali_aid.errors.DataError: not well-formed XML: mismatched tag: line 1, column ...
    """
    if on_error not in ("raise", "skip"):
        raise DataError(f"on_error must be 'raise' or 'skip', not {shown(on_error)}")
    if outside_mali not in ("report", "keep"):
        raise DataError(
            f"outside_mali must be 'report' or 'keep', not {shown(outside_mali)}"
        )
    inputs = _inputs(files)
    if source_id is not None and len(inputs) != 1:
        raise DataError("source_id= names the source of a single file only")
    collected = Collected(on_error=on_error, outside_mali=outside_mali)
    with _progress_bar(inputs, progress) as bar:
        for item in inputs:
            _read_one(item, source_id, collected, bar)
    return collected.result()


def _inputs(files: object) -> list[str | IO[bytes]]:
    """The files to read: paths as text, and file objects."""
    if isinstance(files, str | os.PathLike):
        path = _text_path(files)
        if os.path.isdir(path):
            try:
                listed = os.listdir(path)
            except OSError as error:
                raise DataError(
                    f"cannot be read: {error.strerror or error}", file=path
                ) from None
            names = sorted(
                name
                for name in listed
                if name.lower().endswith(".xml")
                and not os.path.isdir(os.path.join(path, name))
            )
            return [os.path.join(path, name) for name in names]
        return [path]
    if callable(getattr(files, "read", None)):
        return [files]  # type: ignore[list-item]
    if isinstance(files, bytes | bytearray) or not isinstance(files, Iterable):
        raise DataError(
            "read_activities() reads a path, a binary file, a directory or a"
            f" list of them, not {shown(files)}"
        )
    inputs: list[str | IO[bytes]] = []
    for item in files:
        if isinstance(item, str | os.PathLike):
            inputs.append(_text_path(item))
        elif callable(getattr(item, "read", None)):
            inputs.append(item)
        else:
            raise DataError(
                f"read_activities() reads paths and binary files, not {shown(item)}"
            )
    return inputs


def _text_path(file: str | os.PathLike[str]) -> str:
    path = os.fspath(file)
    if not isinstance(path, str):
        raise DataError(f"the path must be text, not {shown(path)}")
    return path


def _read_one(
    item: str | IO[bytes],
    source_id: str | None,
    collected: Collected,
    bar: _Bar,
) -> None:
    if isinstance(item, str):
        # Regular files only: a FIFO or a device would hang or never end.
        descriptor = open_regular_file(item)
        try:
            with os.fdopen(descriptor, "rb") as stream:
                read_stream(stream, item, source_id, collected, bar)
        except OSError as error:
            raise DataError(
                f"cannot be read: {error.strerror or error}", file=item
            ) from None
        return
    name = getattr(item, "name", None)
    read_stream(
        item, name if isinstance(name, str) else None, source_id, collected, bar
    )


class _Bar(Protocol):
    def update(self, n: float | None = 1) -> bool | None: ...


class _NoBar:
    def update(self, n: float | None = 1) -> bool | None:
        return None


@contextlib.contextmanager
def _progress_bar(
    inputs: Sequence[str | IO[bytes]], wanted: bool | None
) -> Iterator[_Bar]:
    """A tqdm bar over the bytes of the files, or one that shows nothing."""
    if wanted is False:
        yield _NoBar()
        return
    try:
        from tqdm import tqdm
    except ImportError:
        if wanted:
            raise ImportError(
                "a progress bar needs tqdm: pip install 'mali-aid[progress]'"
            ) from None
        yield _NoBar()
        return
    sizes = [
        os.path.getsize(item)
        if isinstance(item, str) and os.path.isfile(item)
        else None
        for item in inputs
    ]
    total = None if None in sizes else sum(size or 0 for size in sizes)
    # disable=None: tqdm stays silent where standard error is not a terminal.
    with tqdm(
        total=total,
        unit="B",
        unit_scale=True,
        unit_divisor=1024,
        desc="IATI",
        disable=None if wanted is None else False,
        leave=False,
    ) as bar:
        yield bar


class Chunks:
    """The file, handed to the parser in chunks that grow while it is stuck."""

    def __init__(self, stream: IO[bytes], file: str | None, bar: _Bar) -> None:
        self.stream = stream
        self.file = file
        self.bar = bar
        self.size = _FIRST_CHUNK
        self.stalled = False

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
        self.bar.update(len(data))
        return data


def read_stream(
    stream: IO[bytes],
    file: str | None,
    source_id: str | None,
    collected: Collected,
    bar: _Bar,
) -> None:
    """Read one file's activities into ``collected``."""
    reader = FileReader(file, make_source_id(file, source_id), collected)
    if any(source.id == reader.source_id for source in collected.sources):
        raise DataError(
            f"another file already gives the source id {reader.source_id!r};"
            " rename one of the files",
            file=file,
        )
    chunks = Chunks(stream, file, bar)
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
    reader.finish()


class Collected:
    """What the files read so far gave: the records, shared by every file.

    An activity is taken in whole or not at all: :meth:`mark` notes how far
    the records went before it, :meth:`roll_back` undoes what it added.
    """

    def __init__(self, *, on_error: OnError, outside_mali: OutsideMali) -> None:
        self.on_error = on_error
        self.outside_mali = outside_mali
        self.sources: list[Source] = []
        self.versions: list[str | None] = []
        self.engagements: list[Engagement] = []
        #: Each engagement id with the file and identifier that gave it.
        self.identifiers: dict[str, tuple[str | None, str]] = {}
        self.organisations: dict[str, OrganisationDraft] = {}
        self.sectors: dict[str, Sector] = {}
        self.places: dict[str, Place] = {}
        self.unmapped: list[Unmapped] = []
        self.skipped: list[Skipped] = []
        self.outside: list[Skipped] = []
        self.aliases: list[tuple[OrganisationDraft, int]] = []
        #: The regions the files name that contain Mali: Mali's areas.
        self.mali_areas: list[str] = []
        #: Links between activities, resolved when every file is read.
        self.links: list[Link] = []

    def mark(self) -> tuple[int, ...]:
        return (
            len(self.organisations),
            len(self.sectors),
            len(self.places),
            len(self.aliases),
            len(self.mali_areas),
            len(self.links),
        )

    def roll_back(self, mark: tuple[int, ...]) -> None:
        kinds: tuple[dict[str, Any], ...] = (
            self.organisations,
            self.sectors,
            self.places,
        )
        for records, before in zip(kinds, mark, strict=False):
            for key in list(reversed(records))[: len(records) - before]:
                del records[key]
        for draft, length in self.aliases[mark[3] :]:
            del draft.aliases[length:]
        del self.aliases[mark[3] :]
        del self.mali_areas[mark[4] :]
        del self.links[mark[5] :]

    def add_mali_area(self, place: str) -> None:
        if place not in self.mali_areas:
            self.mali_areas.append(place)

    def add_alias(self, draft: OrganisationDraft, name: str) -> None:
        self.aliases.append((draft, len(draft.aliases)))
        draft.aliases.append(name)

    def link_parts(self) -> None:
        """Make each linked activity a part of the activity it lies in.

        Parent-child links first, then flows between publishers; the first
        link of an activity wins; a link to an activity not read, one that
        would close a loop, or parts that would sum to more than their
        container (publishers who report a parent apart from its children)
        are reported on the activity that states them, and not made.
        """
        position = {
            engagement.id: index for index, engagement in enumerate(self.engagements)
        }
        chosen: dict[str, Link] = {}
        for link in sorted(self.links, key=lambda link: link.rank):
            other = link.parent if link.child in position else link.child
            if other not in position or link.child == link.parent:
                if link.child != link.parent:
                    self.report(link, f"the activity {other!r} is not among those read")
                continue
            earlier = chosen.get(link.child)
            if earlier is not None:
                if earlier.parent != link.parent:
                    self.report(
                        link,
                        f"{link.child!r} already lies in {earlier.parent!r};"
                        " an activity is part of one other at most",
                    )
                continue
            if link.child in walk(link.parent, _parent_in(chosen)):
                self.report(link, "the link would close a loop of activities")
                continue
            chosen[link.child] = link
        while True:
            linked = [
                attrs.evolve(engagement, part_of=chosen[engagement.id].parent)
                if engagement.id in chosen
                else engagement
                for engagement in self.engagements
            ]
            oversized = _oversized_container(linked)
            if oversized is None:
                break
            container = linked[oversized[0]].id
            inside = [
                child for child in chosen if container in self.chain(child, chosen)
            ]
            for child in inside:
                self.report(
                    chosen.pop(child),
                    f"{oversized[1]}: the publishers count them apart, so each"
                    " is counted in full",
                )
        self.engagements[:] = linked

    @staticmethod
    def chain(child: str, chosen: dict[str, Link]) -> list[str]:
        """The activities ``child`` lies in through the links, nearest first."""
        return list(walk(child, _parent_in(chosen)))[1:]

    def report(self, link: Link, reason: str) -> None:
        self.unmapped.append(
            Unmapped(
                activity=link.activity,
                element=link.element,
                reason=f"not linked: {reason}",
            )
        )

    def result(self) -> IatiActivities:
        self.link_parts()
        if self.places and MALI not in self.places:
            # Places outside Mali mean something only beside Mali: totals
            # take every place as Mali's in a gazetteer without it.
            self.places[MALI] = Place(
                id=MALI,
                name="Mali",
                level=PlaceLevel.COUNTRY,
                iso_code=MALI,
                reference="ISO 3166-1 alpha-2 code; the country the import is for",
            )
        versions = set(self.versions)
        return IatiActivities(
            sources=tuple(self.sources),
            engagements=tuple(self.engagements),
            organisations=tuple(draft.build() for draft in self.organisations.values()),
            places=tuple(
                attrs.evolve(place, areas=tuple(self.mali_areas))
                if place.id == MALI and self.mali_areas
                else place
                for place in self.places.values()
            ),
            sectors=tuple(self.sectors.values()),
            unmapped=tuple(self.unmapped),
            skipped=tuple(self.skipped),
            outside=tuple(self.outside),
            version=versions.pop() if len(versions) == 1 else None,
        )


def _parent_in(chosen: dict[str, Link]) -> Callable[[str], str | None]:
    """The activity an activity lies in through the ``chosen`` links."""

    def parent(child: str) -> str | None:
        link = chosen.get(child)
        return None if link is None else link.parent

    return parent


class FileReader:
    """Reads the events of one file, an activity at a time."""

    def __init__(self, file: str | None, source_id: str, collected: Collected) -> None:
        self.file = file
        self.source_id = source_id
        self.collected = collected
        self.namespace = ""
        self.prefixes: dict[str, str] = {}
        self.depth = 0
        self.activity_elements = 0
        self.root: Element | None = None
        self.single = False
        self.version: str | None = None
        self.generated: date | None = None
        self.language: str | None = None
        self.positions = 0
        self.organisations = collected.organisations
        self.sectors = collected.sectors
        self.places = collected.places
        self.unmapped = collected.unmapped
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
        collected = self.collected
        activity = ActivityReader(self, element)
        mark = collected.mark()
        publishers, languages = len(self.publishers), len(self.languages)
        try:
            identifier = activity.identifier(where)
            engagement = activity.engagement()
            if engagement.id in collected.identifiers:
                file, earlier = collected.identifiers[engagement.id]
                raise DataError(
                    f"the activity {earlier!r}"
                    + ("" if file == self.file else f" of {file or 'another file'}")
                    + f" already has the id {engagement.id!r}",
                    field="iati-identifier",
                )
        except DataError as error:
            located = error.located(
                file=self.file, record=activity.iati_identifier or None
            )
            if collected.on_error == "raise":
                raise located from None
            collected.roll_back(mark)
            del self.publishers[publishers:], self.languages[languages:]
            collected.skipped.append(
                Skipped(
                    file=self.file,
                    activity=activity.iati_identifier or None,
                    element=error.field,
                    reason=error.reason,
                )
            )
            return
        if activity.outside is not None and collected.outside_mali == "report":
            collected.roll_back(mark)
            del self.publishers[publishers:], self.languages[languages:]
            collected.outside.append(
                Skipped(
                    file=self.file,
                    activity=identifier,
                    element=None,
                    reason=activity.outside,
                )
            )
            return
        collected.identifiers[engagement.id] = (self.file, identifier)
        collected.engagements.append(engagement)
        self.unmapped.extend(activity.unmapped())

    # -- the end ------------------------------------------------------------------

    def finish(self) -> None:
        name = None if self.file is None else os.path.basename(self.file)
        languages = sorted(set(self.languages))
        source = Source(
            id=self.source_id,
            title=f"IATI activity file {name}" if name else "IATI activity file",
            publisher="; ".join(self.publishers) or "not named in the file",
            language=(
                languages[0] if len(languages) == 1 else ("mul" if languages else "und")
            ),
            paragraphs=1,
            date=(
                None
                if self.generated is None
                else Period(start=self.generated, end=self.generated)
            ),
            file=name or None,
        )
        self.collected.sources.append(source)
        self.collected.versions.append(self.version)
