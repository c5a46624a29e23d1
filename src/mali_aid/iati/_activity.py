"""One ``iati-activity`` element mapped onto an engagement and its records."""

from __future__ import annotations

import re
from collections.abc import Iterator, Sequence
from datetime import date
from decimal import Decimal
from itertools import pairwise
from typing import TYPE_CHECKING
from xml.etree.ElementTree import Element

import attrs

from mali_aid._limits import MAX_NUMBER_TEXT, shown
from mali_aid._model import (
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
    Sector,
    SectorShare,
    Status,
)
from mali_aid._money import Money
from mali_aid._period import Period
from mali_aid.errors import DataError

from ._classifications import classify
from ._codelists import (
    BUDGET_STATUSES,
    CHANNELS,
    DEFAULT_KIND,
    INCOMING,
    ORGANISATION_KINDS,
    OTHER_TRANSACTIONS,
    REGIONS,
    REGIONS_CONTAINING_MALI,
    ROLES,
    STATUS_NAMES,
    STATUSES,
    TRANSACTION_KINDS,
)
from ._locations import Locations
from ._results import Unmapped
from ._text import (
    MALI,
    NOT_MAPPED,
    XML_LANG,
    XSD_DECIMAL,
    XSI,
    clean_text,
    id_from_ref,
    is_identifier,
    parse_date,
    parse_percentage,
    primary_language,
    scale_to_100,
    slug,
)

if TYPE_CHECKING:
    from ._xml import FileReader


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


@attrs.frozen
class Link:
    """An activity (``child``) whose money lies inside another's (``parent``),
    as the activity ``activity`` states it at ``element``. ``rank`` 0 is a
    parent-child link, 1 a flow between publishers' activities."""

    child: str
    parent: str
    activity: str
    element: str
    rank: int


@attrs.define
class OrganisationDraft:
    id: str
    key: tuple[str, str]
    name: str
    kind: OrganisationKind
    aliases: list[str]
    citation: Citation

    def build(self) -> Organisation:
        ref = self.key[1] if self.key[0] == "ref" else ""
        return Organisation(
            id=self.id,
            name=self.name,
            kind=self.kind,
            aliases=tuple(self.aliases),
            citations=(self.citation,),
            identifiers=(ref,) if is_identifier(ref) else (),
        )


class ActivityReader:
    """Maps one ``iati-activity`` element, marking what it takes."""

    def __init__(self, reader: FileReader, element: Element) -> None:
        self.reader = reader
        self.element = element
        self.marks = _Marks()
        self.steps = self.compute_steps()
        self.language = primary_language(element.get(XML_LANG)) or reader.language
        self.id = ""
        self.iati_identifier = ""
        #: Why the activity holds no money for Mali, where it holds none.
        self.outside: str | None = None
        #: Where transactions name their recipients: the transactions that
        #: are not Mali's money, each with the reason.
        self.by_transaction: dict[int, str] | None = None
        #: The transactions read as amounts.
        self.kept_transactions: list[Element] = []

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
            text = clean_text(self.text_of(narrative))
            if not text:
                self.marks.skip(narrative, "an empty narrative")
                continue
            language = primary_language(narrative.get(XML_LANG)) or self.language
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
        self.marks.use(narrative, XML_LANG)

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
            text = clean_text(self.text_of(element))
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
        self.id = id_from_ref(self.iati_identifier)
        if not self.id:
            raise DataError(
                f"the iati-identifier {shown(self.iati_identifier)} gives no usable id",
                file=self.reader.file,
                field="iati-identifier",
            )
        return self.iati_identifier

    def engagement(self) -> Engagement:
        self.marks.use(self.element, XML_LANG, "default-currency")
        if self.language is not None:
            self.reader.languages.append(self.language)
        self.read_publisher()
        title, title_en = self.title()
        participants = self.participants()
        status = self.status()
        period = self.period()
        places = self.place_shares()
        if self.outside is not None and self.reader.collected.outside_mali == "report":
            # Left out: nothing more of it needs reading or checking.
            return Engagement(id=self.id, title=title, kind=EngagementKind.PROJECT)
        locations = Locations(self)
        locations.read()
        places = locations.shares(places)
        amounts = self.budgets() + self.transactions()
        sectors = self.sector_shares()
        self.read_links()
        codes = classify(self)
        channel = self.channel(humanitarian=codes.humanitarian is True)
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
            aid_types=codes.aid_types,
            flow_type=codes.flow_type,
            finance_type=codes.finance_type,
            tied_status=codes.tied_status,
            policy_markers=codes.policy_markers,
            humanitarian=codes.humanitarian,
        )

    def read_links(self) -> None:
        """Note the links to parents, children, funders and recipients.

        They are resolved once every file is read (``Collected.link_parts``),
        by the rule docs/iati.md states.
        """
        links = self.reader.collected.links
        for element in self.children(self.element, "related-activity"):
            kind = self.code(element, "type")
            ref = id_from_ref(clean_text(element.get("ref")))
            if kind not in {"1", "2"} or not ref:
                self.marks.skip(
                    element,
                    f"related activity of type {shown(kind)}: only parents (1) and"
                    " children (2) bear on counting"
                    if ref
                    else "a related activity without @ref",
                )
                continue
            self.marks.use(element, "type", "ref")
            child, parent = (self.id, ref) if kind == "1" else (ref, self.id)
            links.append(
                Link(child, parent, self.iati_identifier, self.path(element), 0)
            )
        for transaction in self.children(self.element, "transaction"):
            kind_element = self.first(transaction, "transaction-type")
            code = "" if kind_element is None else self.code(kind_element)
            provider = self.first(transaction, "provider-org")
            receiver = self.first(transaction, "receiver-org")
            if code in {"1", "11"} and provider is not None:
                ref = id_from_ref(clean_text(provider.get("provider-activity-id")))
                if ref:
                    links.append(
                        Link(self.id, ref, self.iati_identifier, self.path(provider), 1)
                    )
            if code in {"2", "3"} and receiver is not None:
                ref = id_from_ref(clean_text(receiver.get("receiver-activity-id")))
                if ref:
                    links.append(
                        Link(ref, self.id, self.iati_identifier, self.path(receiver), 1)
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
            ref = clean_text(element.get("ref"))
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
            role = ROLES.get(role_code)
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
        ref = clean_text(element.get("ref"))
        organisation_id = id_from_ref(ref) if ref else ""
        key = ("ref", ref)
        if not organisation_id and chosen is not None:
            organisation_id = slug(chosen[1])
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
        kind = ORGANISATION_KINDS.get(code, DEFAULT_KIND)
        registry = self.reader.organisations
        draft = registry.get(organisation_id)
        if draft is None:
            draft = OrganisationDraft(
                id=organisation_id,
                key=key,
                name=names[0] if names else ref,
                kind=kind,
                aliases=[],
                citation=self.citation(element),
            )
            registry[organisation_id] = draft
            if code and code not in ORGANISATION_KINDS:
                self.marks.note(
                    element,
                    "type",
                    f"organisation type {code} has no matching kind;"
                    f" the organisation is recorded as {DEFAULT_KIND.value}",
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
                self.reader.collected.add_alias(draft, name)
        return organisation_id

    def status(self) -> Status | None:
        found = self.children(self.element, "activity-status")
        for extra in found[1:]:
            self.marks.skip(extra, "a second activity-status; the first is used")
        if not found:
            return None
        code = self.code(found[0])
        status = STATUSES.get(code)
        if status is None:
            self.marks.skip(
                found[0],
                f"activity status {code} ({STATUS_NAMES[code]}) has no matching status"
                if code in STATUS_NAMES
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
            value = parse_date(element.get("iso-date"), self.path(element, "iso-date"))
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
        if not self.children(self.element, "sector"):
            return self.transaction_sectors()
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

    def transaction_sectors(self) -> tuple[SectorShare, ...]:
        """The sectors the kept transactions name, where the activity names none.

        One sector for all of them is the whole activity's; several, with no
        percentages between them, share it evenly (an estimate, which totals
        say), each reported.
        """
        found: list[tuple[Element, str, str]] = []
        for transaction in self.kept_transactions:
            for element in self.children(transaction, "sector"):
                vocabulary = self.code(element, "vocabulary") or "1"
                code = self.code(element)
                digits = {"1": 5, "2": 3}.get(vocabulary)
                if digits is None or not re.fullmatch(rf"[0-9]{{{digits}}}", code):
                    self.marks.skip(
                        element,
                        f"sector {shown(code)} of vocabulary {vocabulary} is not an"
                        " OECD DAC code",
                    )
                    continue
                self.marks.use(element, "vocabulary", "code")
                found.append((element, code, vocabulary))
        shares: list[SectorShare] = []
        for element, code, vocabulary in found:
            sector_id = f"dac-{code}"
            self.record_sector(element, sector_id, code, vocabulary)
            if all(share.sector != sector_id for share in shares):
                shares.append(SectorShare(sector=sector_id))
        if len(shares) == 1:
            return (SectorShare(sector=shares[0].sector, percentage=Decimal(100)),)
        for element, _, _ in found:
            self.marks.note(
                element,
                "code",
                "the transactions name several sectors and no percentages"
                " between them: totals split the activity evenly",
            )
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
            parse_percentage(text or "", self.path(element, "percentage"))
            for element, text in zip(elements, written, strict=True)
        ]
        scaled = scale_to_100(values, what, self.path(elements[0]))
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
        """Where the activity's money goes, with the share of each place.

        Countries and DAC regions are recorded as places: Mali, countries
        outside it, and regions of the world, which totals treat by whether
        they contain Mali (docs/iati.md). An activity none of whose
        recipients is Mali or contains it is marked as ``outside``.
        """
        countries = self.children(self.element, "recipient-country")
        regions = self.children(self.element, "recipient-region")
        recipients = countries + regions
        if not recipients:
            return self.transaction_places()
        sides = [self.side_of(element) for element in recipients]
        if not any(side in {"mali", "contains"} for side in sides):
            self.outside = (
                "no recipient is Mali or a region that contains Mali ("
                + ", ".join(self.recipient_name(element) for element in recipients)
                + ")"
            )
            if self.reader.collected.outside_mali == "report":
                return ()
        percentages = self.percentages(
            recipients,
            "the recipient countries and regions",
            "recipient country and region",
        )
        shares: list[PlaceShare] = []
        for element, side, percentage in zip(
            recipients, sides, percentages, strict=True
        ):
            if side == "unread":
                self.marks.skip(element, self.unread_region(element))
                continue
            if percentage == 0:
                self.marks.skip(
                    element, f"{self.recipient_name(element)}: its share is 0"
                )
                continue
            place = self.record_recipient(element, side)
            if any(share.place == place for share in shares):
                raise DataError(
                    f"{self.recipient_name(element)} is listed twice",
                    field=self.path(element),
                )
            shares.append(PlaceShare(place=place, percentage=percentage))
        return tuple(shares)

    def side_of(self, element: Element) -> str:
        """Whether a recipient is Mali, contains Mali, lies outside, or is
        a region the reader cannot place ("unread")."""
        code = self.code(element).upper()
        if element.tag.endswith("recipient-country"):
            return "mali" if code == MALI else "outside"
        vocabulary = self.code(element, "vocabulary") or "1"
        if vocabulary != "1" or code not in REGIONS:
            return "unread"
        return "contains" if code in REGIONS_CONTAINING_MALI else "outside"

    def recipient_name(self, element: Element) -> str:
        code = self.code(element)
        if element.tag.endswith("recipient-country"):
            return f"country {code}"
        return f"region {code} (vocabulary {self.code(element, 'vocabulary') or '1'})"

    def unread_region(self, element: Element) -> str:
        vocabulary = self.code(element, "vocabulary") or "1"
        if vocabulary != "1":
            return (
                f"region {self.code(element)} of vocabulary {vocabulary}: only the"
                " OECD DAC regions (vocabulary 1) are placed; its share stays"
                " unknown"
            )
        return (
            f"region {shown(self.code(element))} is not in the Region codelist;"
            " its share stays unknown"
        )

    def record_recipient(self, element: Element, side: str) -> str:
        """Record the place a recipient names; return its id."""
        code = self.code(element).upper()
        if side == "mali":
            self.marks.use(element, "code", "percentage")
            self.record_mali(element)
            return MALI
        if element.tag.endswith("recipient-country"):
            self.record_country(element, code)
            return code
        self.marks.use(element, "code", "percentage", "vocabulary")
        for narrative, _, _ in self.narratives(element):
            self.marks.skip(
                narrative, f"the region's name; it is recorded as DAC region {code}"
            )
        place = f"dac-region-{code}"
        places = self.reader.places
        if place not in places:
            places[place] = Place(
                id=place,
                name=REGIONS[code],
                level=PlaceLevel.AREA,
                reference=(
                    f"OECD DAC region code {code} (IATI Region codelist, recipient-region"
                    " vocabulary 1)"
                ),
                citations=(self.citation(element),),
            )
        if side == "contains":
            if MALI not in places:
                self.record_mali(element)
            self.reader.collected.add_mali_area(place)
        return place

    def transaction_places(self) -> tuple[PlaceShare, ...]:
        """Mali as the place where transactions name their recipients.

        The transactions to Mali are its money; those to other countries or
        regions are left out (:meth:`transactions` reports them), and so
        are the budgets where some money goes elsewhere, since a budget
        covers every recipient.
        """
        others: dict[int, str] = {}
        to_mali = False
        named = False
        for transaction in self.children(self.element, "transaction"):
            country = self.first(transaction, "recipient-country")
            region = self.first(transaction, "recipient-region")
            if country is None and region is None:
                others[id(transaction)] = (
                    "names no recipient while other transactions of the activity"
                    " do; whose money it is is unknown"
                )
                continue
            named = True
            recipient = country if country is not None else region
            assert recipient is not None
            if self.side_of(recipient) == "mali":
                to_mali = True
                self.marks.use(recipient, "code")
                self.record_mali(recipient)
                continue
            others[id(transaction)] = (
                f"a transaction to {self.recipient_name(recipient)}: not Mali's"
                " money (or Mali's share of it unknown)"
            )
        if not named:
            return ()
        self.by_transaction = others
        if not to_mali:
            self.outside = "no transaction goes to Mali"
            if self.reader.collected.outside_mali == "report":
                return ()
            self.by_transaction = {}
        return (PlaceShare(place=MALI),)

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
        if MALI not in self.reader.places:
            self.reader.places[MALI] = Place(
                id=MALI,
                name="Mali",
                level=PlaceLevel.COUNTRY,
                iso_code=MALI,
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
        if not XSD_DECIMAL.fullmatch(text):
            raise DataError(f"{shown(text)} is not a decimal number", field=path)
        currency = clean_text(element.get("currency"))
        field = self.path(element, "currency")
        if not currency:
            currency = clean_text(self.element.get("default-currency"))
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
            value_date = parse_date(
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
        """The budgets that count: each read in document order, an original
        left out where a revised budget covers the same period, and the rest
        refused if two of them overlap."""
        if self.by_transaction:
            self.skip_budgets()
            return []
        drafts = [
            self.budget(element) for element in self.children(self.element, "budget")
        ]
        kept = self.without_revised_originals(drafts)
        self.refuse_overlapping_budgets(kept)
        return [(element, amount) for element, _, amount in kept]

    def skip_budgets(self) -> None:
        """Leave out every budget where some transactions go elsewhere than Mali."""
        for element in self.children(self.element, "budget"):
            self.marks.skip(
                element,
                "the activity names its recipients on its transactions, and"
                " some are not Mali: a budget covers all of them",
            )

    def budget(self, element: Element) -> tuple[Element, str, Period, Amount]:
        """One budget with its type (``1`` original, ``2`` revised), its
        period and its value."""
        kind = self.budget_type(element)
        period = self.budget_period(element)
        value = self.value_of(element)
        money, value_date = self.money(value)
        self.marks.use(element, "type")
        self.note_budget_status(element)
        amount = Amount(
            money=money,
            kind=AmountKind.BUDGET,
            period=period,
            value_date=value_date,
        )
        return element, kind, period, amount

    def budget_type(self, element: Element) -> str:
        """The budget's type: original (``1``, also where none is given) or
        revised (``2``); any other code raises."""
        kind = self.code(element, "type") or "1"
        if kind not in {"1", "2"}:
            raise DataError(
                f"budget type {shown(kind)} is not in the BudgetType codelist"
                " (1 original, 2 revised)",
                field=self.path(element, "type"),
            )
        return kind

    def budget_period(self, element: Element) -> Period:
        """The period from the budget's period-start to its period-end; both
        are required."""
        bounds = []
        for name in ("period-start", "period-end"):
            bound = self.first(element, name)
            if bound is None:
                raise DataError(f"the budget has no {name}", field=self.path(element))
            bounds.append(
                parse_date(bound.get("iso-date"), self.path(bound, "iso-date"))
            )
            self.marks.use(bound, "iso-date")
        try:
            return Period(start=bounds[0], end=bounds[1])
        except DataError as error:
            raise DataError(error.reason, field=self.path(element)) from None

    def note_budget_status(self, element: Element) -> None:
        """Report the budget's status (1 indicative, 2 committed, or another
        code): an Amount has no field for it."""
        status = self.code(element, "status")
        if status:
            self.marks.note(
                element,
                "status",
                f"budget status {status}"
                + (f" ({BUDGET_STATUSES[status]})" if status in BUDGET_STATUSES else "")
                + " has no field in an Amount",
            )

    def without_revised_originals(
        self, drafts: list[tuple[Element, str, Period, Amount]]
    ) -> list[tuple[Element, Period, Amount]]:
        """The budgets less each original that a revised budget for the same
        period replaces."""
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
        return kept

    def refuse_overlapping_budgets(
        self, kept: list[tuple[Element, Period, Amount]]
    ) -> None:
        """Refuse two budgets whose periods overlap: counting both would
        count the same money twice."""
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

    def transactions(self) -> list[tuple[Element, Amount]]:
        amounts: list[tuple[Element, Amount]] = []
        for element in self.children(self.element, "transaction"):
            kind_element = self.first(element, "transaction-type")
            code = "" if kind_element is None else self.code(kind_element)
            kind = TRANSACTION_KINDS.get(code)
            if kind is None:
                self.marks.skip(element, _transaction_reason(code))
                continue
            assert kind_element is not None
            if self.by_transaction and id(element) in self.by_transaction:
                self.marks.skip(element, self.by_transaction[id(element)])
                continue
            value = self.value_of(element)
            money, value_date = self.money(value)
            self.marks.use(element)
            self.kept_transactions.append(element)
            self.marks.use(kind_element, "code")
            period = None
            day = self.first(element, "transaction-date")
            if day is not None:
                if kind in {AmountKind.DISBURSEMENT, AmountKind.EXPENDITURE}:
                    when = parse_date(day.get("iso-date"), self.path(day, "iso-date"))
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
                        money=money,
                        kind=kind,
                        period=period,
                        value_date=value_date,
                        transaction_type=code,
                    ),
                )
            )
        return amounts

    def channel(self, *, humanitarian: bool) -> Channel | None:
        """The channel the collaboration type gives; humanitarian where the
        activity is flagged humanitarian and names no collaboration type.

        The flag itself is kept apart (``Engagement.humanitarian``), so a
        humanitarian activity keeps its bilateral or multilateral channel.
        """
        found = self.children(self.element, "collaboration-type")
        for extra in found[1:]:
            self.marks.skip(extra, "a second collaboration-type; the first is used")
        if not found:
            return Channel.HUMANITARIAN if humanitarian else None
        collaboration = found[0]
        code = self.code(collaboration)
        channel = CHANNELS.get(code)
        if channel is None:
            self.marks.skip(
                collaboration,
                f"collaboration type {shown(code)} has no matching channel",
            )
            return Channel.HUMANITARIAN if humanitarian else None
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
                elif attribute not in used and not attribute.startswith(XSI):
                    yield self.item(self.path(element, attribute), NOT_MAPPED)
            stack.append(iter(list(element)))

    def item(self, element: str, reason: str) -> Unmapped:
        return Unmapped(activity=self.iati_identifier, element=element, reason=reason)


def _transaction_reason(code: str) -> str:
    if not code:
        return "the transaction has no transaction-type, so its kind is unknown"
    if code in INCOMING:
        return (
            f"transaction type {code} ({INCOMING[code]}): money the activity"
            " receives, the other side of a funder's flow; not mapped, so that"
            " no flow is counted twice"
        )
    if code in OTHER_TRANSACTIONS:
        return (
            f"transaction type {code} ({OTHER_TRANSACTIONS[code]})"
            " has no matching kind of amount"
        )
    return f"transaction type {shown(code)} is not in the TransactionType codelist"
