"""Every figure of the bundled data stands in the paragraphs its record cites.

For each record, the figures it holds (amounts of money, the years of its
periods, dates and active years, its counts, an indicator's value and the
number it is ranked out of) must each be read in at least one of the
paragraphs the record cites, in the source texts of ../shared/sources. The
texts write numbers in several ways, and all are read: digits with either
separator convention (250.000 or 250,000 for two hundred and fifty thousand,
21,90 or 21.90 for twenty-one point nine), each text in the convention of
its language so that 250.000 in French is never read as 250; a scale word
after them (50.5 million, 42 millions); and number words in English and
French (Forty, Cinq, quatre, fifth).

The five texts are short public web pages; a copy of each is kept under
tests/data/sources (not in the package), with their attribution in
DATA-LICENSE.md, so these tests run in a fresh clone. Where the curators'
originals sit beside the repository (../shared/sources), the copies must be
identical to them.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest

import mali_aid
from mali_aid import Engagement, Event, Indicator, Organisation, Period, Statement

#: The copy of the five texts kept with the tests.
SOURCES = Path(__file__).resolve().parent / "sources"
#: The curators' originals, beside the repository where they are at hand.
ORIGINALS = Path(__file__).resolve().parents[2].parent / "shared" / "sources"

#: The decimal mark of each language the sources are written in.
DECIMAL_MARKS = {"en": ".", "fr": ","}

_SCALES = {
    "thousand": 1000,
    "thousands": 1000,
    "mille": 1000,
    "million": 10**6,
    "millions": 10**6,
    "billion": 10**9,
    "billions": 10**9,
    "milliard": 10**9,
    "milliards": 10**9,
}

_WORDS = {
    # English cardinals and ordinals
    "one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6,
    "seven": 7, "eight": 8, "nine": 9, "ten": 10, "eleven": 11, "twelve": 12,
    "thirteen": 13, "fourteen": 14, "fifteen": 15, "sixteen": 16,
    "seventeen": 17, "eighteen": 18, "nineteen": 19, "twenty": 20,
    "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70,
    "eighty": 80, "ninety": 90, "hundred": 100,
    "first": 1, "second": 2, "third": 3, "fourth": 4, "fifth": 5,
    "sixth": 6, "seventh": 7, "eighth": 8, "ninth": 9, "tenth": 10,
    # French cardinals and ordinals
    "un": 1, "une": 1, "deux": 2, "trois": 3, "quatre": 4, "cinq": 5,
    "sept": 7, "huit": 8, "neuf": 9, "dix": 10, "onze": 11, "douze": 12,
    "treize": 13, "quatorze": 14, "quinze": 15, "seize": 16, "vingt": 20,
    "trente": 30, "quarante": 40, "cinquante": 50, "soixante": 60, "cent": 100,
    "premier": 1, "première": 1, "deuxième": 2, "troisième": 3,
    "quatrième": 4, "cinquième": 5, "sixième": 6, "septième": 7,
    "huitième": 8, "neuvième": 9, "dixième": 10,
}  # fmt: skip

# Digits, possibly grouped or with a decimal part: 2024, 50.5, 21,90, 250.000,
# 1 250 000 with no-break spaces. An optional scale word may follow.
_NUMBER = re.compile(
    r"(?<![\w.,])(\d+(?:[.,\u00a0\u202f]\d+)*)(?:\s*(" + "|".join(_SCALES) + r")\b)?",
    re.IGNORECASE,
)
_WORD = re.compile(r"\b(" + "|".join(_WORDS) + r")\b", re.IGNORECASE)


def _readings(token: str, decimal_mark: str | None) -> set[Decimal]:
    """Every value a run of digits and separators can stand for.

    With ``decimal_mark`` ("." or ",") the token is read in that convention
    only, the other mark and no-break spaces grouping thousands; without
    it, both conventions are tried.
    """
    groups = re.split(r"[.,\u00a0\u202f]", token)
    separators = re.findall(r"[.,\u00a0\u202f]", token)
    if not separators:
        return {Decimal(token)}
    values = set()
    grouping = set(separators) - ({decimal_mark} if decimal_mark else set())
    # All separators group thousands: 250.000, 250,000, 1.250.000.
    if (
        all(len(group) == 3 for group in groups[1:])
        and len(set(separators)) == 1
        and separators[0] in grouping
    ):
        values.add(Decimal("".join(groups)))
    # The last separator is a decimal mark, any others group thousands:
    # 50.5, 21,90, 1.250,50.
    last = separators[-1]
    if (
        last in ".,"
        and (decimal_mark is None or last == decimal_mark)
        and all(separator != last for separator in separators[:-1])
    ):
        whole = "".join(groups[:-1])
        values.add(Decimal(f"{whole}.{groups[-1]}"))
    return values


def numbers_in(text: str, decimal_mark: str | None = None) -> set[Decimal]:
    """Every number a text states.

    ``decimal_mark`` is the text's convention ("." in English, "," in
    French); without it, digits are read both ways.
    """
    found: set[Decimal] = set()
    for match in _NUMBER.finditer(text):
        values = _readings(match[1], decimal_mark)
        found |= values
        if match[2]:
            scale = _SCALES[match[2].lower()]
            found |= {value * scale for value in values}
    for match in _WORD.finditer(text):
        value = Decimal(_WORDS[match[1].lower()])
        found.add(value)
        after = text[match.end() :].lstrip().split(" ", 1)[0].lower()
        if after in _SCALES:
            found.add(value * _SCALES[after])
    return found


def _years(period: Period | None) -> Iterator[Decimal]:
    if period is None:
        return
    for bound in (period.start, period.end):
        if bound is not None:
            yield Decimal(bound.year)


def figures(record: Any) -> set[Decimal]:
    """The figures a record holds that must stand in its sources."""
    found: set[Decimal] = set()
    if isinstance(record, Engagement):
        for amount in record.amounts:
            found.add(amount.money.amount)
            found.update(_years(amount.period))
            if amount.value_date is not None:
                found.add(Decimal(amount.value_date.year))
        found.update(_years(record.period))
        found.update(_years(record.original_period))
        for share in record.places:
            found.update(_years(share.period))
        found.update(Decimal(year) for year in record.active_in)
        for count in record.resources:
            found.add(count.value)
            found.update(_years(count.date))
    elif isinstance(record, Organisation):
        for count in record.counts:
            found.add(count.value)
            found.update(_years(count.date))
    elif isinstance(record, Event):
        found.update(_years(record.date))
    elif isinstance(record, Statement):
        found.update(_years(record.period))
    elif isinstance(record, Indicator):
        found.add(record.value)
        if record.out_of is not None:
            found.add(record.out_of)
        found.update(_years(record.period))
    return found


def _records() -> list[tuple[str, Any]]:
    data = mali_aid.load()
    return [
        (kind, record)
        for kind in (
            "organisations",
            "engagements",
            "events",
            "indicators",
            "statements",
        )
        for record in getattr(data, kind)
    ]


RECORDS = _records()

#: Years of activity that no paragraph writes out but a stated span covers,
#: each with the span that covers it.
IMPLIED_YEARS: dict[str, dict[int, str]] = {
    "eutm-mali": {
        2015: "established February 2013, extended May 2014 and March 2016",
        2017: "Belgium held the mission's command from March 2016 to January 2018",
    },
}


@pytest.fixture(scope="module")
def paragraphs() -> dict[str, list[str]]:
    """Each source's paragraphs, counted as the sources' README counts them."""
    assert SOURCES.is_dir(), f"the copy of the source texts is missing at {SOURCES}"
    texts = {}
    for source in mali_aid.load().sources:
        assert source.file is not None, source.id
        text = (SOURCES / source.file).read_text(encoding="utf-8")
        blocks = [b for b in re.split(r"\n\s*\n", text) if b.strip()]
        texts[source.id] = blocks
    return texts


class TestReadingNumbers:
    @pytest.mark.parametrize(
        ("text", "value"),
        [
            ("250.000 euros", Decimal("250000")),
            ("250,000 euros", Decimal("250000")),
            ("Population (millions): 21,90", Decimal("21.90")),
            ("a budget of €50.5 million", Decimal("50500000")),
            ("42 millions d'euros", Decimal("42000000")),
            ("more than 2.6 million euros", Decimal("2600000")),
            ("Forty Belgian members of the cavalry", Decimal("40")),
            ("Cinq ONG luxembourgeoises", Decimal("5")),
            ("quatre associations", Decimal("4")),
            ("the fifth poorest country", Decimal("5")),
            ("(ICP II 2007- 2011)", Decimal("2011")),
            ("Classement selon IDH: 186/191", Decimal("191")),
        ],
    )
    def test_reads(self, text: str, value: Decimal) -> None:
        assert value in numbers_in(text)

    def test_does_not_invent(self) -> None:
        assert Decimal("200") not in numbers_in("reduced from 180 to about 20")

    @pytest.mark.parametrize(
        ("text", "mark", "value", "read"),
        [
            ("250.000 euros", ",", Decimal("250000"), True),
            ("250.000 euros", ",", Decimal("250"), False),
            ("21,90", ",", Decimal("21.90"), True),
            ("21,90", ",", Decimal("2190"), False),
            ("2.6 million euros", ".", Decimal("2600000"), True),
            ("250,000 euros", ".", Decimal("250000"), True),
            ("250,000 euros", ".", Decimal("250"), False),
        ],
    )
    def test_reads_in_the_convention_of_the_text(
        self, text: str, mark: str, value: Decimal, read: bool
    ) -> None:
        assert (value in numbers_in(text, mark)) is read


def test_the_copies_are_the_originals() -> None:
    if not ORIGINALS.is_dir():
        pytest.skip(f"the curators' originals are not at hand ({ORIGINALS})")
    for source in mali_aid.load().sources:
        assert source.file is not None
        copy = (SOURCES / source.file).read_bytes()
        assert copy == (ORIGINALS / source.file).read_bytes(), source.file


def test_every_source_has_its_copy_and_nothing_else_is_there() -> None:
    files = {source.file for source in mali_aid.load().sources}
    assert {path.name for path in SOURCES.iterdir()} == files


def test_sources_are_counted_as_recorded(paragraphs: dict[str, list[str]]) -> None:
    for source in mali_aid.load().sources:
        assert len(paragraphs[source.id]) == source.paragraphs, source.id


@pytest.mark.parametrize(
    ("kind", "record"),
    RECORDS,
    ids=[f"{kind}:{record.id}" for kind, record in RECORDS],
)
def test_figures_stand_in_the_cited_paragraphs(
    paragraphs: dict[str, list[str]], kind: str, record: Any
) -> None:
    wanted = figures(record)
    if not wanted:
        return
    data = mali_aid.load()
    stated: set[Decimal] = set()
    texts = []
    for citation in record.citations:
        assert citation.paragraph is not None, record.id
        text = paragraphs[citation.source][citation.paragraph - 1]
        mark = DECIMAL_MARKS[data.source(citation.source).language]
        stated |= numbers_in(text, mark)
        texts.append(text)
    cited = "\n\n".join(texts)
    # A year of activity, or a statement's year, may also be the year of a
    # cited source's own date (a dated page that tells of the work in the
    # present tense saw it active then), provided the record marks it as an
    # inference.
    active: set[Decimal] = set()
    if record.is_inferred("active_in"):
        active |= {Decimal(year) for year in getattr(record, "active_in", ())}
    if isinstance(record, Statement) and record.is_inferred("period"):
        active |= set(_years(record.period))
    source_years = set()
    for citation in record.citations:
        source_date = data.source(citation.source).date
        if source_date is not None and source_date.start is not None:
            source_years.add(Decimal(source_date.start.year))
    implied = {Decimal(year) for year in IMPLIED_YEARS.get(record.id, {})}
    missing = sorted(
        value
        for value in wanted
        if value not in stated
        and not (value in active and value in source_years)
        and value not in implied
    )
    assert missing == [], f"{kind} {record.id}: {missing} not in {cited!r}"
