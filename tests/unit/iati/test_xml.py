"""The XML layer: files, roots, streams and hostile XML."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from mali_aid import (
    Citation,
    DataError,
    Money,
    Period,
    Status,
    iati,
)

from .builders import activity, document, raises, read, unmapped_of

# -- the file and its root ------------------------------------------------------------


def test_single_activity_root_with_extra_namespaces() -> None:
    xml = b"""<?xml version="1.0"?>
    <iati-activity xmlns:akvo="http://akvo.org/iati-activities"
                   xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance"
                   xsi:noNamespaceSchemaLocation="iati-activities-schema.xsd"
                   default-currency="XOF" akvo:version="3">
      <iati-identifier>XM-SINGLE-1</iati-identifier>
      <title><narrative>Un forage</narrative></title>
      <akvo:photo url="http://example.org/a.jpg"/>
      <budget type="1"><period-start iso-date="2023-01-01"/>
        <period-end iso-date="2023-12-31"/><value>1500000</value></budget>
    </iati-activity>"""
    result = iati.read_activities(io.BytesIO(xml))
    (engagement,) = result.engagements
    assert engagement.id == "XM-SINGLE-1"
    assert engagement.amounts[0].money == Money("1500000", "XOF")
    assert result.version is None
    reasons = unmapped_of(result)
    assert set(reasons) == {"akvo:photo", "@akvo:version"}
    assert "outside the IATI namespace" in reasons["akvo:photo"]


def test_root_in_a_default_namespace_is_accepted() -> None:
    xml = (
        b'<iati-activities xmlns="http://example.org/iati" version="2.02">'
        b'<iati-activity default-currency="EUR"><iati-identifier>XM-NS-1'
        b'</iati-identifier><activity-status code="4"/></iati-activity>'
        b"</iati-activities>"
    )
    (engagement,) = iati.read_activities(io.BytesIO(xml)).engagements
    assert engagement.status is Status.COMPLETED


def test_reads_a_path_and_names_the_source_after_it(tmp_path: Path) -> None:
    path = tmp_path / "Mali 2024 export.xml"
    path.write_bytes(document(activity()))
    result = iati.read_activities(path)
    assert result.source.id == "mali-2024-export"
    assert result.source.file == "Mali 2024 export.xml"
    assert result.engagements[0].citations[0] == Citation(
        source="mali-2024-export", locator="XM-TEST-1"
    )
    assert iati.read_activities(str(path), source_id="mine").source.id == "mine"


def test_a_stream_without_a_name_gets_a_default_source_id() -> None:
    result = read(activity())
    assert result.source.id == "iati-activities"
    assert result.source.file is None
    assert result.source.date == Period.parse("2024-05-06")


def test_a_missing_file_raises_data_error_naming_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.xml"
    with pytest.raises(DataError, match="cannot be read") as caught:
        iati.read_activities(missing)
    assert caught.value.file == str(missing)


def test_a_bad_source_id_is_refused() -> None:
    with pytest.raises(DataError, match="source_id"):
        iati.read_activities(io.BytesIO(document()), source_id="not an id")


def test_an_empty_file_of_activities_gives_an_empty_result() -> None:
    result = read()
    assert result.engagements == ()
    assert result.source.publisher == "not named in the file"
    assert result.source.language == "und"


@pytest.mark.parametrize(
    ("xml", "match"),
    [
        (b"", "no element found"),
        (b"<iati-activities>", "no element found"),
        (b"<iati-activities><iati-activity></iati-activities>", "mismatched tag"),
        (b"not xml at all", "syntax error"),
        (
            b'<iati-activities version="2.03"><a b="1" b="2"/></iati-activities>',
            "duplicate attribute",
        ),
        (b"\xff\xfe<\x00", "not well-formed"),
    ],
)
def test_malformed_xml_is_refused(xml: bytes, match: str) -> None:
    error = raises(xml, match)
    assert error.reason.startswith("not well-formed XML")


def test_malformed_file_is_named(tmp_path: Path) -> None:
    path = tmp_path / "broken.xml"
    path.write_bytes(b"<iati-activities><iati-activity>")
    with pytest.raises(DataError) as caught:
        iati.read_activities(path)
    assert caught.value.file == str(path)
    assert str(path) in str(caught.value)


def test_other_roots_and_old_versions_are_refused() -> None:
    raises(b"<html><body/></html>", "not an IATI activity file")
    error = raises(b'<iati-activities version="1.05"/>', "only IATI 2.0x")
    assert error.field == "iati-activities/@version"


# -- hostile XML -----------------------------------------------------------------------

BILLION_LAUGHS = b"""<?xml version="1.0"?>
<!DOCTYPE lolz [
 <!ENTITY lol "lol">
 <!ENTITY lol1 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;">
 <!ENTITY lol2 "&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;&lol1;">
 <!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">
 <!ENTITY lol4 "&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;&lol3;">
 <!ENTITY lol5 "&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;&lol4;">
 <!ENTITY lol6 "&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;&lol5;">
 <!ENTITY lol7 "&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;&lol6;">
 <!ENTITY lol8 "&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;&lol7;">
 <!ENTITY lol9 "&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;&lol8;">
]>
<iati-activities version="2.03"><iati-activity default-currency="EUR">
<iati-identifier>XM-LOL</iati-identifier><title><narrative>&lol9;</narrative></title>
</iati-activity></iati-activities>"""

EXTERNAL_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities [<!ENTITY secret SYSTEM "file:///etc/passwd">]>
<iati-activities version="2.03"><iati-activity default-currency="EUR">
<iati-identifier>XM-XXE</iati-identifier><title><narrative>&secret;</narrative></title>
</iati-activity></iati-activities>"""

EXTERNAL_DTD = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities SYSTEM "http://example.org/iati.dtd">
<iati-activities version="2.03"/>"""

PARAMETER_ENTITY = b"""<?xml version="1.0"?>
<!DOCTYPE iati-activities [
 <!ENTITY % remote SYSTEM "http://example.org/x.dtd"> %remote;
]>
<iati-activities version="2.03"/>"""


@pytest.mark.parametrize(
    "xml",
    [BILLION_LAUGHS, EXTERNAL_ENTITY, EXTERNAL_DTD, PARAMETER_ENTITY],
    ids=["billion-laughs", "external-entity", "external-dtd", "parameter-entity"],
)
def test_hostile_xml_is_refused(xml: bytes, tmp_path: Path) -> None:
    path = tmp_path / "hostile.xml"
    path.write_bytes(xml)
    with pytest.raises(DataError, match="document type declaration") as caught:
        iati.read_activities(path)
    assert caught.value.file == str(path)
    assert "root:" not in str(caught.value)


def test_an_undeclared_entity_is_malformed() -> None:
    raises(b"<iati-activities>&secret;</iati-activities>", "undefined entity")
