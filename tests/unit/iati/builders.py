"""Small IATI files written for the tests, and helpers to read them."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

import mali_aid
from mali_aid import (
    DataError,
    iati,
)

FIXTURES = Path(__file__).resolve().parents[2] / "fixtures" / "iati"
EXAMPLE = FIXTURES / "activity-standard-example-annotated.xml"
EXAMPLE_ID = "AA-AAA-123456789-ABC123"

# -- small files --------------------------------------------------------------------


def activity(
    body: str = "",
    *,
    identifier: str = "XM-TEST-1",
    attributes: str = 'default-currency="EUR" xml:lang="en"',
) -> str:
    return (
        f"<iati-activity {attributes}>"
        f"<iati-identifier>{identifier}</iati-identifier>{body}"
        "</iati-activity>"
    )


def document(*activities: str) -> bytes:
    return (
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<iati-activities version="2.03" generated-datetime="2024-05-06T10:00:00Z">'
        + "".join(activities)
        + "</iati-activities>"
    ).encode()


def read(*activities: str) -> iati.IatiActivities:
    return iati.read_activities(io.BytesIO(document(*activities)))


def only(*activities: str) -> mali_aid.Engagement:
    (engagement,) = read(*activities).engagements
    return engagement


def budget(
    start: str, end: str, value: str, *, kind: str = "1", value_attributes: str = ""
) -> str:
    return (
        f'<budget type="{kind}">'
        f'<period-start iso-date="{start}"/><period-end iso-date="{end}"/>'
        f"<value {value_attributes}>{value}</value></budget>"
    )


def transaction(
    code: str, value: str, *, day: str = "2024-03-01", extra: str = ""
) -> str:
    return (
        f'<transaction><transaction-type code="{code}"/>'
        f'<transaction-date iso-date="{day}"/>'
        f"<value {extra}>{value}</value></transaction>"
    )


def sector(code: str, percentage: str | None = None, vocabulary: str = "1") -> str:
    share = "" if percentage is None else f' percentage="{percentage}"'
    return f'<sector vocabulary="{vocabulary}" code="{code}"{share}/>'


def country(code: str, percentage: str | None = None) -> str:
    share = "" if percentage is None else f' percentage="{percentage}"'
    return f'<recipient-country code="{code}"{share}/>'


def unmapped_of(result: iati.IatiActivities) -> dict[str, str]:
    return {
        item.element: item.reason
        for item in result.unmapped
        if item.activity is not None
    }


def raises(xml: bytes, match: str) -> DataError:
    with pytest.raises(DataError, match=match) as caught:
        iati.read_activities(io.BytesIO(xml))
    return caught.value
