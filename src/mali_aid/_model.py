"""The records of the dataset: sources, organisations, places, sectors,
engagements, events and indicators.

Every record is a frozen, slotted attrs class whose collections are tuples, so
a record can be shared, hashed and cached without fear of it changing.
References between records are ids (strings); a :class:`mali_aid.Dataset`
resolves them.
"""

from __future__ import annotations

import enum
import functools
import re
from collections.abc import Iterable, Mapping
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import TYPE_CHECKING, Any, TypeVar

import attrs

from ._limits import MAX_ID_LENGTH, check_fraction, shown
from ._money import Money, to_decimal
from ._period import Period
from .errors import DataError

if TYPE_CHECKING:
    import pint

__all__ = [
    "Amount",
    "AmountKind",
    "Channel",
    "Citation",
    "Count",
    "Engagement",
    "EngagementKind",
    "Event",
    "Indicator",
    "Organisation",
    "OrganisationKind",
    "Participant",
    "Place",
    "PlaceLevel",
    "PlaceShare",
    "Qualifier",
    "Role",
    "Sector",
    "SectorShare",
    "Source",
    "Statement",
    "StatementKind",
    "Status",
    "Theme",
]


# -- vocabularies ---------------------------------------------------------------


class _VocabularyType(enum.EnumType):
    """Refuses a value that is not a text before the lookup, whose message
    would ``repr()`` it (a deeply nested list, an integer of 5,000 digits)."""

    def __call__(cls, value: object, *args: Any, **kwargs: Any) -> Any:
        if not args and not kwargs and not isinstance(value, str):
            raise DataError(
                f"{shown(value)} is not {_article(cls.__name__)} {cls.__name__};"
                f" use one of {_allowed(cls)}"
            )
        return super().__call__(value, *args, **kwargs)


class _Vocabulary(enum.StrEnum, metaclass=_VocabularyType):
    """A closed list of words: any other raises :class:`DataError` naming them."""

    @classmethod
    def _missing_(cls, value: object) -> None:
        raise DataError(
            f"{shown(value)} is not {_article(cls.__name__)} {cls.__name__};"
            f" use one of {_allowed(cls)}"
        )


def _article(name: str) -> str:
    return "an" if name[:1].lower() in "aeiou" else "a"


def _allowed(kind: Iterable[enum.Enum]) -> str:
    return ", ".join(repr(member.value) for member in kind)


class Role(_Vocabulary):
    """What an organisation does in an engagement (IATI OrganisationRole)."""

    FUNDING = "funding"
    ACCOUNTABLE = "accountable"
    EXTENDING = "extending"
    IMPLEMENTING = "implementing"

    @property
    def iati_code(self) -> int:
        """The code of the IATI 2.03 OrganisationRole codelist (1 to 4)."""
        return list(Role).index(self) + 1


class Qualifier(_Vocabulary):
    """How exactly a figure is known: "about 20", "more than 2.6 million"."""

    EXACT = "exact"
    ABOUT = "about"
    AT_LEAST = "at-least"
    AT_MOST = "at-most"


class AmountKind(_Vocabulary):
    """What an amount of money is: planned, spent or promised."""

    ENVELOPE = "envelope"
    BUDGET = "budget"
    COMMITMENT = "commitment"
    CONTRIBUTION = "contribution"
    DISBURSEMENT = "disbursement"
    EXPENDITURE = "expenditure"
    PLEDGE = "pledge"

    @property
    def is_planned(self) -> bool:
        """Envelopes, budgets and commitments: what is planned in total."""
        return self in _PLANNED

    @property
    def is_spent(self) -> bool:
        """Contributions and disbursements: what a donor provided.

        These are the amounts :func:`~mali_aid.totals` falls back on where
        nothing is planned. Expenditure is not among them: it is an
        implementer's spending of money already disbursed, and counting both
        would count that money twice. A pledge is neither planned nor spent.
        """
        # The rule has one home, the rules of totals.
        from ._rules import _PROVIDED

        return self in _PROVIDED


_PLANNED = frozenset({AmountKind.ENVELOPE, AmountKind.BUDGET, AmountKind.COMMITMENT})


class Channel(_Vocabulary):
    """The way an engagement's support travels."""

    BILATERAL = "bilateral"
    MULTILATERAL = "multilateral"
    NGO = "ngo"
    HUMANITARIAN = "humanitarian"
    DECENTRALISED = "decentralised"
    SECURITY = "security-defence"
    MICROPROJECTS = "microprojects"
    MIXED = "mixed"


class Status(_Vocabulary):
    """Where an engagement stands, as the text tells it."""

    PLANNED = "planned"
    ONGOING = "ongoing"
    COMPLETED = "completed"


class EngagementKind(_Vocabulary):
    """What sort of engagement a record is."""

    PROGRAMME = "programme"
    PROJECT = "project"
    CONTRIBUTION = "contribution"
    ENVELOPE = "envelope"
    STRATEGY = "strategy"
    MISSION = "mission"
    DEPLOYMENT = "deployment"


class OrganisationKind(_Vocabulary):
    """What sort of body an organisation is."""

    STATE = "state"
    GOVERNMENT = "government"
    AGENCY = "agency"
    MULTILATERAL = "multilateral"
    NGO = "ngo"
    HUMANITARIAN = "humanitarian"
    MUNICIPAL_ASSOCIATION = "municipal-association"
    MUNICIPALITY = "municipality"
    ARMED_FORCES = "armed-forces"
    POLICE = "police"
    UNIVERSITY = "university"
    EMBASSY = "embassy"
    FUND = "fund"
    COMPANY = "company"


class PlaceLevel(_Vocabulary):
    """The administrative level of a place."""

    COUNTRY = "country"
    REGION = "region"
    DISTRICT = "district"
    CERCLE = "cercle"
    COMMUNE = "commune"
    CITY = "city"
    AREA = "area"


class StatementKind(_Vocabulary):
    """What a :class:`Statement` says: a relationship, a policy, a situation..."""

    RELATIONSHIP = "relationship"
    POLICY = "policy"
    SITUATION = "situation"
    CHALLENGE = "challenge"
    MISSION = "mission"
    GEOGRAPHY = "geography"
    PURPOSE = "purpose"


# A vocabulary field's converter names the field in the error.
_V = TypeVar("_V", bound=_Vocabulary)


def _member(kind: type[_V], value: object, field: str) -> _V:
    if isinstance(value, kind):
        return value
    try:
        return kind(value)  # type: ignore[arg-type]  # refused when not a text
    except DataError as error:
        raise error.located(field_prefix=field) from None


def _qualifier(value: str) -> Qualifier:
    return _member(Qualifier, value, "qualifier")


def _organisation_kind(value: str) -> OrganisationKind:
    return _member(OrganisationKind, value, "kind")


def _place_level(value: str) -> PlaceLevel:
    return _member(PlaceLevel, value, "level")


def _role(value: str) -> Role:
    return _member(Role, value, "role")


def _amount_kind(value: str) -> AmountKind:
    return _member(AmountKind, value, "kind")


def _engagement_kind(value: str) -> EngagementKind:
    return _member(EngagementKind, value, "kind")


def _statement_kind(value: str) -> StatementKind:
    return _member(StatementKind, value, "kind")


def _channel(value: str | None) -> Channel | None:
    return None if value is None else _member(Channel, value, "channel")


def _status(value: str | None) -> Status | None:
    return None if value is None else _member(Status, value, "status")


_R = TypeVar("_R")


def _named(kind: type[_R]) -> type[_R]:
    """Make an error in building a record by hand name the record by its id,
    as :func:`~mali_aid.from_dict` and the loader do."""
    build = kind.__init__

    @functools.wraps(build)
    def init(self: Any, *args: Any, **fields: Any) -> None:
        try:
            build(self, *args, **fields)
        except DataError as error:
            record = fields.get("id")
            if error.record is not None or not _is_id(record):
                raise
            raise error.located(record=record) from None

    setattr(kind, "__init__", init)  # noqa: B010 - mypy refuses a direct assignment
    return kind


# -- shared validators ------------------------------------------------------------

#: Ids, codes and units are matched whole (``fullmatch``), ASCII only: no
#: stray space, newline or control character passes.
_ID = re.compile(rf"[A-Za-z0-9][A-Za-z0-9._-]{{0,{MAX_ID_LENGTH - 1}}}", re.ASCII)
_COUNTRY = re.compile(r"[A-Z]{2}", re.ASCII)
_ISO_CODE = re.compile(r"[A-Z]{2}(-[A-Z0-9]{1,3})?", re.ASCII)
_DAC_CODE = re.compile(r"[0-9]{3}([0-9]{2})?", re.ASCII)
#: A code of a codelist (IATI's aid, flow, finance and tied-status types,
#: policy markers and their significance, transaction types): ``C01``,
#: ``110``, ``1``.
_CODE = re.compile(r"[A-Za-z0-9][A-Za-z0-9.]{0,15}", re.ASCII)
#: An IATI organisation identifier: a registration agency's prefix and the
#: number it gives (``XM-DAC-2``, ``BE-BCE_KBO-0264814354``), ASCII, no space.
_ORGANISATION_IDENTIFIER = re.compile(r"[A-Za-z0-9][A-Za-z0-9._/:()-]{0,199}", re.ASCII)


def _is_id(value: object) -> bool:
    return isinstance(value, str) and _ID.fullmatch(value) is not None


def _matches(pattern: re.Pattern[str], value: object) -> bool:
    return isinstance(value, str) and pattern.fullmatch(value) is not None


def _check_id(_self: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not _is_id(value):
        raise DataError(
            f"{shown(value)} is not a valid id (letters, digits, '.', '_' or '-',"
            f" at most {MAX_ID_LENGTH} characters)",
            field=attribute.name,
        )


def _check_optional_id(
    self: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    if value is not None:
        _check_id(self, attribute, value)


def _check_text(_self: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        raise DataError(
            f"must be a non-empty text, not {shown(value)}", field=attribute.name
        )


def _check_optional_text(
    self: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    if value is not None:
        _check_text(self, attribute, value)


def _check_texts(_self: object, attribute: attrs.Attribute[Any], value: object) -> None:
    assert isinstance(value, tuple)
    for index, item in enumerate(value):
        if not isinstance(item, str) or not item.strip():
            raise DataError(
                "must be a non-empty text", field=f"{attribute.name}[{index}]"
            )
    if len(set(value)) != len(value):
        raise DataError("holds the same entry twice", field=attribute.name)


def _check_ids(_self: object, attribute: attrs.Attribute[Any], value: object) -> None:
    assert isinstance(value, tuple)
    for index, item in enumerate(value):
        if not _is_id(item):
            raise DataError(
                f"{shown(item)} is not a valid id",
                field=f"{attribute.name}[{index}]",
            )
    if len(set(value)) != len(value):
        raise DataError("holds the same id twice", field=attribute.name)


def _check_identifiers(
    _self: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    assert isinstance(value, tuple)
    for index, item in enumerate(value):
        if not _matches(_ORGANISATION_IDENTIFIER, item):
            raise DataError(
                f"{shown(item)} is not an organisation identifier (a registration"
                " agency's prefix and number, such as 'XM-DAC-2': letters, digits,"
                " '.', '_', '/', ':', '(', ')' or '-', at most 200 characters)",
                field=f"{attribute.name}[{index}]",
            )
    if len(set(value)) != len(value):
        raise DataError("holds the same identifier twice", field=attribute.name)


def _check_optional_code(
    _self: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    if value is not None and not _matches(_CODE, value):
        raise DataError(
            f"{shown(value)} is not a code (letters, digits and '.', at most 16"
            " characters)",
            field=attribute.name,
        )


def _check_code(self: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is None:
        raise DataError("a code is needed", field=attribute.name)
    _check_optional_code(self, attribute, value)


def _check_codes(_self: object, attribute: attrs.Attribute[Any], value: object) -> None:
    assert isinstance(value, tuple)
    for index, item in enumerate(value):
        if not _matches(_CODE, item):
            raise DataError(
                f"{shown(item)} is not a code", field=f"{attribute.name}[{index}]"
            )
    if len(set(value)) != len(value):
        raise DataError("holds the same code twice", field=attribute.name)


def _check_optional_bool(
    _self: object, attribute: attrs.Attribute[Any], value: object
) -> None:
    if value is not None and not isinstance(value, bool):
        raise DataError(
            f"must be true or false, not {shown(value)}", field=attribute.name
        )


def _as_tuple(value: Iterable[Any]) -> tuple[Any, ...]:
    if isinstance(value, tuple):
        return value
    if isinstance(value, str | bytes | Mapping) or not isinstance(value, Iterable):
        raise DataError(f"expected a sequence, not {shown(value)}")
    return tuple(value)


def _to_value(value: object) -> Decimal:
    return to_decimal(value, "value")


def _optional_decimal(value: object) -> Decimal | None:
    return None if value is None else to_decimal(value, "value")


def _check_percentage(
    _self: object, attribute: attrs.Attribute[Any], value: Decimal | None
) -> None:
    if value is not None and not Decimal(0) < value <= Decimal(100):
        raise DataError(
            f"a percentage must be above 0 and at most 100, not {value}",
            field=attribute.name,
        )


def _check_percentages(field: str, shares: tuple[Any, ...]) -> None:
    given = [share.percentage for share in shares if share.percentage is not None]
    if given and len(given) != len(shares):
        raise DataError("give a percentage for every entry or for none", field=field)
    # Summed exactly: a Decimal sum rounds at the context's 28 digits.
    total = sum((Fraction(value) for value in given), Fraction(0))
    if total > 100:
        raise DataError(
            f"percentages sum to {' + '.join(map(str, given))}, over 100", field=field
        )


def _typed(kind: type, field_name: str) -> Any:
    def check(_self: object, _attribute: object, value: tuple[object, ...]) -> None:
        for index, item in enumerate(value):
            if not isinstance(item, kind):
                raise DataError(
                    f"must be a {kind.__name__}, not {type(item).__name__}",
                    field=f"{field_name}[{index}]",
                )

    return check


# -- provenance -------------------------------------------------------------------


@attrs.frozen(kw_only=True)
class Inference:
    """A field of a record that rests on an inference, not on a stated fact.

    ``field`` names the record's field (``"part_of"``, ``"places"``,
    ``"active_in"``), or a part of it with a path (``"places[1].period"``);
    ``reason`` says what the reading rests on, so that a user can judge it.

    >>> Inference(field="part_of", reason="read from the envelope's scope")
    Inference(field='part_of', reason="read from the envelope's scope")
    """

    field: str = attrs.field(validator=_check_text)
    reason: str = attrs.field(validator=_check_text)

    @property
    def root(self) -> str:
        """The name of the record's field, without any path after it."""
        return re.split(r"[.\[]", self.field, maxsplit=1)[0]


def _check_inferred(record: Any) -> None:
    """Every inference names a field the record has, each path once."""
    names = {attribute.name for attribute in attrs.fields(type(record))}
    seen = set()
    for index, inference in enumerate(record.inferred):
        if inference.root not in names or inference.root in ("id", "inferred"):
            raise DataError(
                f"{inference.field!r} is not a field of this record",
                field=f"inferred[{index}].field",
            )
        index_match = re.match(r"^\w+\[(\d+)\]", inference.field)
        if index_match and int(index_match[1]) >= len(getattr(record, inference.root)):
            raise DataError(
                f"{inference.field!r} names an entry the field does not have",
                field=f"inferred[{index}].field",
            )
        if inference.field in seen:
            raise DataError(
                f"{inference.field!r} is marked inferred twice",
                field=f"inferred[{index}].field",
            )
        seen.add(inference.field)


def _inferred_field() -> Any:
    return attrs.field(
        factory=tuple, converter=_as_tuple, validator=_typed(Inference, "inferred")
    )


def _is_inferred(inferred: tuple[Inference, ...], field: str) -> bool:
    return any(
        inference.field == field
        or inference.field.startswith((f"{field}[", f"{field}."))
        for inference in inferred
    )


class _Inferable:
    """What every record kind that can rest on inferences shares."""

    __slots__ = ()
    inferred: tuple[Inference, ...]

    def is_inferred(self, field: str) -> bool:
        """Whether the reading of ``field`` (or of a part of it) is an inference.

        ``field`` is a field name (``"places"``) or a path
        (``"places[1].period"``); a field is inferred when an inference
        names it or a part of it (see ``inferred``).
        """
        return _is_inferred(self.inferred, field)

    def inference(self, field: str) -> Inference | None:
        """The inference that names exactly ``field``, or ``None``."""
        for inference in self.inferred:
            if inference.field == field:
                return inference
        return None


@_named
@attrs.frozen(kw_only=True)
class Source:
    """A document the data is drawn from."""

    id: str = attrs.field(validator=_check_id)
    title: str = attrs.field(validator=_check_text)
    publisher: str = attrs.field(validator=_check_text)
    language: str = attrs.field(validator=_check_text)
    #: Paragraphs in the text, counted as blocks separated by blank lines.
    paragraphs: int = attrs.field()
    #: When the text was published or last updated, as precisely as known.
    date: Period | None = None
    #: What is known of the date where the text gives none of its own.
    date_note: str | None = attrs.field(default=None, validator=_check_optional_text)
    url: str | None = attrs.field(default=None, validator=_check_optional_text)
    file: str | None = attrs.field(default=None, validator=_check_optional_text)
    #: The people the text names as its authors, where it names any.
    authors: tuple[str, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_check_texts
    )

    @paragraphs.validator
    def _check_paragraphs(self, _attribute: object, value: object) -> None:
        if isinstance(value, bool) or not isinstance(value, int) or value < 1:
            raise DataError("must be a whole number of at least 1", field="paragraphs")


@attrs.frozen(kw_only=True)
class Citation:
    """Where a fact stands: a source's paragraph, or a locator in a structured file.

    Paragraphs count from 1, as blocks of text separated by blank lines.

    >>> Citation(source="be-dgd-mali", paragraph=5)
    Citation(source='be-dgd-mali', paragraph=5, locator=None)
    """

    source: str = attrs.field(validator=_check_id)
    paragraph: int | None = None
    locator: str | None = attrs.field(default=None, validator=_check_optional_text)

    def __attrs_post_init__(self) -> None:
        if (self.paragraph is None) == (self.locator is None):
            raise DataError("give either a paragraph or a locator", field="paragraph")
        if self.paragraph is not None and (
            isinstance(self.paragraph, bool)
            or not isinstance(self.paragraph, int)
            or self.paragraph < 1
        ):
            raise DataError(
                f"paragraph must be a whole number of at least 1, not {self.paragraph!r}",
                field="paragraph",
            )


# -- counts -----------------------------------------------------------------------


_UNIT = re.compile(r"[a-z][a-z_]{0,63}", re.ASCII)


@attrs.frozen(kw_only=True)
class Count:
    """A figure that is not money: soldiers, helicopters, midwives, members.

    ``date`` is when the figure holds, where the source says so.

    >>> Count(value="180", unit="person").value
    Decimal('180')
    """

    value: Decimal = attrs.field(converter=_to_value)
    unit: str = attrs.field()
    qualifier: Qualifier = attrs.field(default=Qualifier.EXACT, converter=_qualifier)
    #: What is counted, in words ("Belgian soldiers in EUTM").
    what: str | None = attrs.field(default=None, validator=_check_optional_text)
    date: Period | None = None

    @unit.validator
    def _check_unit(self, _attribute: object, value: object) -> None:
        if not _matches(_UNIT, value):
            raise DataError(
                f"unit {shown(value)} must be a lower-case word such as 'person'",
                field="unit",
            )

    @property
    def quantity(self) -> pint.Quantity[Decimal]:
        """This count as a pint ``Quantity`` (pint is imported on first use)."""
        from ._units import count_to_quantity

        return count_to_quantity(self)


# -- who and where ------------------------------------------------------------------


@_named
@attrs.frozen(kw_only=True)
class Organisation(_Inferable):
    """A state, agency, multilateral body, NGO, association or other actor.

    ``parent`` is the organisation it belongs to (an agency to its state);
    the root of that chain is the donor when the organisation funds.
    ``counts`` hold figures about the organisation itself.
    """

    id: str = attrs.field(validator=_check_id)
    name: str = attrs.field(validator=_check_text)
    kind: OrganisationKind = attrs.field(converter=_organisation_kind)
    aliases: tuple[str, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_check_texts
    )
    #: ISO 3166-1 alpha-2 code of the country it belongs to, if any.
    country: str | None = None
    parent: str | None = attrs.field(default=None, validator=_check_optional_id)
    counts: tuple[Count, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_typed(Count, "counts")
    )
    #: Origin of facts that come from public references, not the sources.
    reference: str | None = attrs.field(default=None, validator=_check_optional_text)
    #: How the record reads its sources, where that needs saying.
    note: str | None = attrs.field(default=None, validator=_check_optional_text)
    #: The fields whose reading is an inference rather than a stated fact.
    inferred: tuple[Inference, ...] = _inferred_field()
    citations: tuple[Citation, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_typed(Citation, "citations")
    )
    #: IATI organisation identifiers that stand for it (``XM-DAC-2`` for
    #: Belgium), whose origin ``reference`` gives; an IATI import takes an
    #: organisation with one of them to be this one.
    identifiers: tuple[str, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_check_identifiers
    )

    def __attrs_post_init__(self) -> None:
        _check_inferred(self)
        if self.parent == self.id:
            raise DataError("an organisation cannot be its own parent", field="parent")
        if self.country is not None and not _matches(_COUNTRY, self.country):
            raise DataError(
                f"country {shown(self.country)} must be an ISO 3166-1 alpha-2 code",
                field="country",
            )

    @property
    def names(self) -> tuple[str, ...]:
        """The name followed by every alias."""
        return (self.name, *self.aliases)


@_named
@attrs.frozen(kw_only=True)
class Place(_Inferable):
    """A place at the level the sources give: country, region, cercle, commune...

    ``parent`` is the place it lies in, so a question about a region takes in
    its cercles, communes and cities. ``areas`` are the areas (places of
    level ``area``, such as "the north") a source groups it into, beside its
    administrative parent: a question about an area takes them in too.
    """

    id: str = attrs.field(validator=_check_id)
    name: str = attrs.field(validator=_check_text)
    level: PlaceLevel = attrs.field(converter=_place_level)
    parent: str | None = attrs.field(default=None, validator=_check_optional_id)
    #: ISO 3166-1 or 3166-2 code where one exists (``ML``, ``ML-3``).
    iso_code: str | None = None
    aliases: tuple[str, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_check_texts
    )
    #: Areas a source groups the place into ("the North": Kidal and Gao).
    areas: tuple[str, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_check_ids
    )
    reference: str | None = attrs.field(default=None, validator=_check_optional_text)
    #: How the record reads its sources, where that needs saying.
    note: str | None = attrs.field(default=None, validator=_check_optional_text)
    #: The fields whose reading is an inference rather than a stated fact.
    inferred: tuple[Inference, ...] = _inferred_field()
    citations: tuple[Citation, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_typed(Citation, "citations")
    )

    def __attrs_post_init__(self) -> None:
        _check_inferred(self)
        if self.parent == self.id:
            raise DataError("a place cannot lie in itself", field="parent")
        if self.id in self.areas:
            raise DataError("a place cannot lie in itself", field="areas")
        if self.areas and self.level is PlaceLevel.AREA:
            raise DataError(
                "an area is not grouped into other areas; give its parent",
                field="areas",
            )
        if self.iso_code is not None and not _matches(_ISO_CODE, self.iso_code):
            raise DataError(
                f"{shown(self.iso_code)} is not an ISO 3166 code", field="iso_code"
            )


@_named
@attrs.frozen(kw_only=True)
class Sector:
    """A field of work, with its OECD DAC CRS purpose code where one fits."""

    id: str = attrs.field(validator=_check_id)
    name: str = attrs.field(validator=_check_text)
    #: OECD DAC CRS purpose code (5 digits) or sector category (3 digits).
    dac_code: str | None = None
    reference: str | None = attrs.field(default=None, validator=_check_optional_text)
    citations: tuple[Citation, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_typed(Citation, "citations")
    )

    def __attrs_post_init__(self) -> None:
        if self.dac_code is not None and not _matches(_DAC_CODE, self.dac_code):
            raise DataError(
                f"{shown(self.dac_code)} is not a DAC CRS code of 3 or 5 digits",
                field="dac_code",
            )


@_named
@attrs.frozen(kw_only=True)
class Theme:
    """A cross-cutting theme (gender, environment and climate change).

    Themes describe an engagement's concerns; unlike sectors they carry no
    share of its money.
    """

    id: str = attrs.field(validator=_check_id)
    name: str = attrs.field(validator=_check_text)
    citations: tuple[Citation, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_typed(Citation, "citations")
    )


# -- engagements ----------------------------------------------------------------------


def _optional_fraction(value: object) -> Fraction | None:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, Fraction | int | Decimal | str):
        raise DataError(
            f"share {shown(value)} must be a fraction such as '1/2'", field="share"
        )
    try:
        if isinstance(value, Decimal | str) and not _FRACTION.fullmatch(str(value)):
            # A decimal share ("0.5"): bounded before it becomes a fraction,
            # so "1e-10000000" is refused at once.
            value = to_decimal(value, "share")
        return check_fraction(Fraction(value), "share")
    except (ValueError, ZeroDivisionError):
        raise DataError(
            f"share {shown(value)} is not a fraction", field="share"
        ) from None


_FRACTION = re.compile(r"[0-9]{1,30}/[0-9]{1,30}", re.ASCII)


@attrs.frozen(kw_only=True)
class Participant:
    """An organisation taking part in an engagement, in one IATI role.

    ``share`` is the exact part of the funding it provides, where a source
    gives it (co-financing "in equal shares": ``Fraction(1, 2)`` each).
    """

    organisation: str = attrs.field(validator=_check_id)
    role: Role = attrs.field(converter=_role)
    share: Fraction | None = attrs.field(default=None, converter=_optional_fraction)

    def __attrs_post_init__(self) -> None:
        if self.share is not None:
            if self.role is not Role.FUNDING:
                raise DataError("only a funding participant has a share", field="share")
            if not 0 < self.share <= 1:
                raise DataError(
                    f"share {self.share} must be above 0 and at most 1", field="share"
                )


@attrs.frozen(kw_only=True)
class Amount:
    """An amount of money with what the source says of it.

    ``qualifier`` says whether it is exact, about, at least ("more than")
    or at most; ``kind`` whether it is an envelope, a budget, a commitment,
    a contribution, a disbursement, an expenditure or a pledge; ``period``
    the time it covers and ``value_date`` the date it is valued on, where
    given.
    """

    money: Money
    kind: AmountKind = attrs.field(converter=_amount_kind)
    qualifier: Qualifier = attrs.field(default=Qualifier.EXACT, converter=_qualifier)
    period: Period | None = None
    value_date: date | None = None
    #: The IATI TransactionType code of the transaction it was read from
    #: (``"2"`` outgoing commitment, ``"3"`` disbursement...), if any.
    transaction_type: str | None = attrs.field(
        default=None, validator=_check_optional_code
    )

    def __attrs_post_init__(self) -> None:
        if not isinstance(self.money, Money):
            raise DataError("must be Money", field="money")
        if self.value_date is not None and type(self.value_date) is not date:
            raise DataError("must be a date", field="value_date")


@attrs.frozen(kw_only=True)
class PolicyMarker:
    """A policy an engagement is marked for, and how much it aims at it.

    ``code`` is an OECD DAC policy marker of the IATI PolicyMarker codelist
    (``"1"`` gender equality, ``"2"`` aid to environment...) and
    ``significance`` a code of the PolicySignificance codelist (``"0"`` not
    targeted, ``"1"`` significant objective, ``"2"`` principal objective,
    ``"3"`` principal objective and in support of an action programme,
    ``"4"`` explicit primary objective), ``None`` where not given.

    >>> PolicyMarker(code="1", significance="2")
    PolicyMarker(code='1', significance='2')
    """

    code: str = attrs.field(validator=_check_code)
    significance: str | None = attrs.field(default=None, validator=_check_optional_code)

    @property
    def targeted(self) -> bool:
        """Whether the engagement aims at the policy (a significance other
        than 0, "not targeted"; a marker without one counts as aiming)."""
        return self.significance != "0"


@attrs.frozen(kw_only=True)
class SectorShare:
    """A sector of an engagement, with its percentage where given."""

    sector: str = attrs.field(validator=_check_id)
    percentage: Decimal | None = attrs.field(
        default=None, converter=_optional_decimal, validator=_check_percentage
    )


@attrs.frozen(kw_only=True)
class PlaceShare:
    """A place of an engagement, with its percentage where given.

    ``period`` is the part of the engagement's life during which the place
    is one of its places, where a source says it holds only for part of it
    (EUTM's mandate area took in Gao and Timbuktu only under its third
    mandate); ``None`` means the place holds for the whole engagement.
    """

    place: str = attrs.field(validator=_check_id)
    percentage: Decimal | None = attrs.field(
        default=None, converter=_optional_decimal, validator=_check_percentage
    )
    period: Period | None = None

    def __attrs_post_init__(self) -> None:
        if self.period is not None and not isinstance(self.period, Period):
            raise DataError("must be a Period", field="period")


def _years(value: Iterable[int]) -> tuple[int, ...]:
    years = _as_tuple(value)
    for year in years:
        if (
            isinstance(year, bool)
            or not isinstance(year, int)
            or not 1900 <= year <= 2200
        ):
            raise DataError(f"{shown(year)} is not a year", field="active_in")
    if list(years) != sorted(set(years)):
        raise DataError("years must be increasing, each once", field="active_in")
    return years


@_named
@attrs.frozen(kw_only=True)
class Engagement(_Inferable):
    """One programme, project, contribution, envelope, mission or deployment.

    ``period`` is the effective span and ``original_period`` the span first
    agreed, where a source says it was extended; ``active_in`` lists years
    in which a source saw it active when its full period is not given.
    ``amounts`` is empty when no source gives one: the amount is unknown,
    never zero. Funding participants are the donors' side; when none is
    named, the funder is unknown. ``part_of`` names the engagement this one
    is contained in, ``follows`` the one it succeeds.
    """

    id: str = attrs.field(validator=_check_id)
    title: str = attrs.field(validator=_check_text)
    title_en: str | None = attrs.field(default=None, validator=_check_optional_text)
    #: Short names and acronyms ("ICP III", "EUTM").
    aliases: tuple[str, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_check_texts
    )
    kind: EngagementKind = attrs.field(converter=_engagement_kind)
    participants: tuple[Participant, ...] = attrs.field(
        factory=tuple,
        converter=_as_tuple,
        validator=_typed(Participant, "participants"),
    )
    period: Period | None = None
    original_period: Period | None = None
    active_in: tuple[int, ...] = attrs.field(factory=tuple, converter=_years)
    amounts: tuple[Amount, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_typed(Amount, "amounts")
    )
    channel: Channel | None = attrs.field(default=None, converter=_channel)
    status: Status | None = attrs.field(default=None, converter=_status)
    sectors: tuple[SectorShare, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_typed(SectorShare, "sectors")
    )
    places: tuple[PlaceShare, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_typed(PlaceShare, "places")
    )
    themes: tuple[str, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_check_ids
    )
    part_of: str | None = attrs.field(default=None, validator=_check_optional_id)
    follows: str | None = attrs.field(default=None, validator=_check_optional_id)
    resources: tuple[Count, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_typed(Count, "resources")
    )
    #: How the record reads its sources, where that needs saying.
    note: str | None = attrs.field(default=None, validator=_check_optional_text)
    #: The fields whose reading is an inference rather than a stated fact.
    inferred: tuple[Inference, ...] = _inferred_field()
    citations: tuple[Citation, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_typed(Citation, "citations")
    )
    #: IATI AidType codes (OECD DAC type of aid, vocabulary 1: ``C01``).
    aid_types: tuple[str, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_check_codes
    )
    #: IATI FlowType code (``10`` ODA), FinanceType code (``110`` standard
    #: grant) and TiedStatus code (``5`` untied), where given.
    flow_type: str | None = attrs.field(default=None, validator=_check_optional_code)
    finance_type: str | None = attrs.field(default=None, validator=_check_optional_code)
    tied_status: str | None = attrs.field(default=None, validator=_check_optional_code)
    #: The OECD DAC policy markers, each with its significance.
    policy_markers: tuple[PolicyMarker, ...] = attrs.field(
        factory=tuple,
        converter=_as_tuple,
        validator=_typed(PolicyMarker, "policy_markers"),
    )
    #: Whether the engagement is humanitarian, as IATI's ``@humanitarian``
    #: flag says, whatever its channel; ``None`` where not said.
    humanitarian: bool | None = attrs.field(
        default=None, validator=_check_optional_bool
    )

    def __attrs_post_init__(self) -> None:
        _check_inferred(self)
        if len({marker.code for marker in self.policy_markers}) != len(
            self.policy_markers
        ):
            raise DataError(
                "holds the same policy marker twice", field="policy_markers"
            )
        if self.part_of == self.id:
            raise DataError("an engagement cannot be part of itself", field="part_of")
        if self.follows == self.id:
            raise DataError("an engagement cannot follow itself", field="follows")
        funders = [p for p in self.participants if p.role is Role.FUNDING]
        shares = [p.share for p in funders if p.share is not None]
        if shares:
            if len(shares) != len(funders):
                raise DataError(
                    "give a share for every funding participant or for none",
                    field="participants",
                )
            if sum(shares) != 1:
                raise DataError(
                    f"funding shares sum to {sum(shares)}, not 1", field="participants"
                )
        seen = set()
        for index, participant in enumerate(self.participants):
            key = (participant.organisation, participant.role)
            if key in seen:
                raise DataError(
                    f"{participant.organisation!r} is listed twice as {participant.role}",
                    field=f"participants[{index}]",
                )
            seen.add(key)
        for name in ("sectors", "places"):
            shares_of = getattr(self, name)
            keys = [getattr(share, name[:-1]) for share in shares_of]
            if len(set(keys)) != len(keys):
                raise DataError("holds the same id twice", field=name)
            _check_percentages(name, shares_of)

    def participants_in(self, role: Role | str) -> tuple[Participant, ...]:
        """The participants in one role, in record order."""
        wanted = role if type(role) is Role else Role(role)
        return tuple(p for p in self.participants if p.role is wanted)

    @property
    def funders(self) -> tuple[Participant, ...]:
        """The funding participants; empty when the funder is unknown."""
        return self.participants_in(Role.FUNDING)

    @property
    def implementers(self) -> tuple[Participant, ...]:
        """The implementing participants."""
        return self.participants_in(Role.IMPLEMENTING)


# -- events and indicators --------------------------------------------------------------


@_named
@attrs.frozen(kw_only=True)
class Event(_Inferable):
    """A dated happening: a coup, a request for assistance, an agreement signed."""

    id: str = attrs.field(validator=_check_id)
    title: str = attrs.field(validator=_check_text)
    #: A short word for the sort of event ("coup", "agreement", "extension").
    kind: str = attrs.field(validator=_check_id)
    date: Period
    actors: tuple[str, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_check_ids
    )
    places: tuple[str, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_check_ids
    )
    engagements: tuple[str, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_check_ids
    )
    note: str | None = attrs.field(default=None, validator=_check_optional_text)
    #: The fields whose reading is an inference rather than a stated fact.
    inferred: tuple[Inference, ...] = _inferred_field()
    citations: tuple[Citation, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_typed(Citation, "citations")
    )

    def __attrs_post_init__(self) -> None:
        _check_inferred(self)
        if not isinstance(self.date, Period):
            raise DataError("must be a Period", field="date")


@_named
@attrs.frozen(kw_only=True)
class Indicator(_Inferable):
    """A figure about a country: population, income per head, a rank.

    A rank carries ``out_of`` (186 ``out_of`` 191). A figure in PPP dollars
    is an indicator with that unit, not :class:`Money`. ``period`` is the
    time the figure holds for where the source gives it; ``reported_in``
    says which report it stands in when it does not.
    """

    id: str = attrs.field(validator=_check_id)
    name: str = attrs.field(validator=_check_text)
    value: Decimal = attrs.field(converter=_to_value)
    unit: str = attrs.field(validator=_check_text)
    place: str = attrs.field(validator=_check_id)
    qualifier: Qualifier = attrs.field(default=Qualifier.EXACT, converter=_qualifier)
    out_of: Decimal | None = attrs.field(default=None, converter=_optional_decimal)
    period: Period | None = None
    reported_in: str | None = attrs.field(default=None, validator=_check_optional_text)
    note: str | None = attrs.field(default=None, validator=_check_optional_text)
    citations: tuple[Citation, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_typed(Citation, "citations")
    )
    #: The fields whose reading is an inference rather than a stated fact.
    inferred: tuple[Inference, ...] = _inferred_field()

    def __attrs_post_init__(self) -> None:
        _check_inferred(self)


# -- statements ---------------------------------------------------------------------------


@_named
@attrs.frozen(kw_only=True)
class Statement(_Inferable):
    """A fact a source states that is not an engagement, an event or a figure.

    A relationship between partners ("close and long-standing ties"), a
    policy approach (Luxembourg's "3D approach"), a situation or a challenge
    (local tax collection still in early development), an organisation's
    mission, a country's geography (land-locked, in the Sahel). ``summary``
    says it in a few words of the data's own, not the source's sentence;
    ``organisations``, ``places`` and ``engagements`` are what it is about;
    ``period`` the time it holds for, where the source gives one.

    >>> Statement(id="lu-ml-ties", kind="relationship",
    ...           summary="Close, long-standing ties", organisations=["LU", "ML"]).kind
    <StatementKind.RELATIONSHIP: 'relationship'>
    """

    id: str = attrs.field(validator=_check_id)
    kind: StatementKind = attrs.field(converter=_statement_kind)
    summary: str = attrs.field(validator=_check_text)
    organisations: tuple[str, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_check_ids
    )
    places: tuple[str, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_check_ids
    )
    engagements: tuple[str, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_check_ids
    )
    period: Period | None = None
    note: str | None = attrs.field(default=None, validator=_check_optional_text)
    #: The fields whose reading is an inference rather than a stated fact.
    inferred: tuple[Inference, ...] = _inferred_field()
    citations: tuple[Citation, ...] = attrs.field(
        factory=tuple, converter=_as_tuple, validator=_typed(Citation, "citations")
    )

    def __attrs_post_init__(self) -> None:
        _check_inferred(self)
        if self.period is not None and not isinstance(self.period, Period):
            raise DataError("must be a Period", field="period")
