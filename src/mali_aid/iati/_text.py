"""Text formats of IATI files: dates, decimals, percentages, names and ids."""

from __future__ import annotations

import math
import os
import re
import unicodedata
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Final

from mali_aid._limits import MAX_NUMBER_TEXT, check_decimal, shown
from mali_aid._model import _ORGANISATION_IDENTIFIER
from mali_aid.errors import DataError

# -- text formats -------------------------------------------------------------------

XML_LANG: Final = "{http://www.w3.org/XML/1998/namespace}lang"
#: Schema hints, not data: never reported.
XSI: Final = "{http://www.w3.org/2001/XMLSchema-instance}"
ISO_DATE: Final = re.compile(
    r"^([0-9]{4})-([0-9]{2})-([0-9]{2})(?:Z|[+-][0-9]{2}:[0-9]{2})?$"
)
XSD_DECIMAL: Final = re.compile(r"^[+-]?(?:[0-9]+(?:\.[0-9]*)?|\.[0-9]+)$")
IATI_VERSION: Final = re.compile(r"^2\.0[0-9]$")
NOT_IN_ID: Final = re.compile(r"[^A-Za-z0-9._-]+")
ID_PATTERN: Final = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._-]*$")
SPACES: Final = re.compile(r"\s+")
#: What ``Organisation.identifiers`` holds.
ORGANISATION_IDENTIFIER: Final = _ORGANISATION_IDENTIFIER

#: The id of the place a ``recipient-country`` of Mali maps to, as in the
#: bundled gazetteer.
MALI: Final = "ML"

NOT_MAPPED: Final = "not mapped: no field of mali_aid's records holds it"


def make_source_id(file: str | None, given: str | None) -> str:
    if given is not None:
        if not isinstance(given, str) or not ID_PATTERN.fullmatch(given):
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
    return slug(stem) or "iati-activities"


def slug(text: str) -> str:
    """Lower-case ASCII words joined by hyphens.

    'Agence française de développement' gives 'agence-francaise-de-developpement'.
    """
    ascii_text = (
        unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode("ascii")
    )
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")


def id_from_ref(ref: str) -> str:
    """An IATI identifier as an id: kept as it is where it is one already."""
    return NOT_IN_ID.sub("-", ref.strip()).lstrip("._-")


def is_identifier(ref: str) -> bool:
    """Whether a ``@ref`` can stand as an ``Organisation.identifiers`` entry."""
    return ORGANISATION_IDENTIFIER.fullmatch(ref) is not None


def split_tag(tag: str) -> tuple[str | None, str]:
    if tag.startswith("{"):
        namespace, _, name = tag[1:].partition("}")
        return namespace, name
    return None, tag


def primary_language(tag: str | None) -> str | None:
    """The primary language subtag, lower case: 'en-GB' -> 'en'."""
    if tag is None or not tag.strip():
        return None
    return tag.strip().split("-")[0].lower()


def clean_text(text: str | None) -> str:
    return SPACES.sub(" ", text or "").strip()


def parse_date(text: str | None, field: str) -> date:
    match = ISO_DATE.fullmatch((text or "").strip())
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


def parse_percentage(text: str, field: str) -> Decimal:
    cleaned = text.strip()
    if len(cleaned) > MAX_NUMBER_TEXT or not XSD_DECIMAL.fullmatch(cleaned):
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


def decimal_exponent(value: Decimal) -> int:
    exponent = value.as_tuple().exponent
    assert isinstance(exponent, int)  # finite by construction
    return min(exponent, 0)


def scale_to_100(
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
        (
            Fraction(5, 10) * Fraction(10) ** decimal_exponent(value)
            for value in percentages
        ),
        Fraction(0),
    )
    if abs(total - 100) > slack:
        raise DataError(
            f"the percentages of {what} sum to {sum(percentages)}, not 100",
            field=field,
        )
    exponent = min(decimal_exponent(value) for value in percentages)
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
