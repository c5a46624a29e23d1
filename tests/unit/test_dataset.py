"""The Dataset and its queries: lookups, trees, donors, funding shares, parts,
``select()``, on the file world of ``worlds.py``.
"""

from __future__ import annotations

from fractions import Fraction
from pathlib import Path

import attrs
import pytest

import mali_aid
from mali_aid import (
    Channel,
    DataError,
    Dataset,
    Engagement,
    Organisation,
    Participant,
    PlaceLevel,
    UnknownIdError,
    load,
)
from worlds import ids

# -- lookups --------------------------------------------------------------------------

LOOKUPS = [
    ("source", "page-b", "Page B"),
    ("organisation", "luxdev", "LuxDev"),
    ("place", "ML-4", "Ségou"),
    ("sector", "health", "Health"),
    ("theme", "gender", "Gender"),
    ("engagement", "lu-icp-iii", "ICP III"),
    ("event", "eutm-command", "Belgium holds the command of EUTM"),
    ("indicator", "hdi-rank", "Human development index rank"),
]


def _label(record: object) -> str:
    label = getattr(record, "title", None) or getattr(record, "name", None)
    assert isinstance(label, str)
    return label


class TestLookups:
    @pytest.mark.parametrize(("kind", "id", "label"), LOOKUPS)
    def test_finds_by_id(self, data: Dataset, kind: str, id: str, label: str) -> None:
        record = getattr(data, kind)(id)
        assert record.id == id
        assert _label(record) == label

    @pytest.mark.parametrize(("kind", "id", "label"), LOOKUPS)
    def test_unknown_id(self, data: Dataset, kind: str, id: str, label: str) -> None:
        with pytest.raises(
            UnknownIdError, match=f"^no {kind} has the id 'zzz-unknown'$"
        ):
            getattr(data, kind)("zzz-unknown")

    @pytest.mark.parametrize(("kind", "id", "label"), LOOKUPS)
    def test_default(self, data: Dataset, kind: str, id: str, label: str) -> None:
        lookup = getattr(data, kind)
        assert lookup("zzz-unknown", default=None) is None
        marker = object()
        assert lookup("zzz-unknown", default=marker) is marker
        assert _label(lookup(id, default=None)) == label

    def test_ids_are_per_kind(self, data: Dataset) -> None:
        with pytest.raises(UnknownIdError):
            data.place("luxdev")
        assert data.engagement("ML", default=None) is None

    def test_unknown_id_suggests_close_ids(self, data: Dataset) -> None:
        with pytest.raises(UnknownIdError) as caught:
            data.engagement("lu-icp-iv")
        assert str(caught.value) == (
            "no engagement has the id 'lu-icp-iv';"
            " did you mean 'lu-icp-ii' or 'lu-icp-iii'?"
        )

    def test_suggestions_ignore_case(self, data: Dataset) -> None:
        with pytest.raises(UnknownIdError, match="did you mean 'LU'"):
            data.organisation("lu")

    def test_is_a_lookup_error(self, data: Dataset) -> None:
        with pytest.raises(LookupError):
            data.sector("education")

    def test_a_non_text_id_is_unknown(self, data: Dataset) -> None:
        assert data.place(5, default="none") == "none"  # type: ignore[call-overload]


# -- queries --------------------------------------------------------------------------


class TestTrees:
    def test_root_organisation(self, data: Dataset) -> None:
        assert data.root_organisation("luxdev-bamako").id == "LU"
        assert data.root_organisation("be-defence").id == "BE"
        assert data.root_organisation("CH").id == "CH"
        with pytest.raises(UnknownIdError, match="no organisation has the id 'XX'"):
            data.root_organisation("XX")

    def test_ancestors_nearest_first(self, data: Dataset) -> None:
        assert [p.id for p in data.ancestors("yorosso")] == ["ML-3", "ML"]
        assert [p.id for p in data.ancestors("ouahigouya")] == ["BF"]
        assert data.ancestors("ML") == ()
        with pytest.raises(UnknownIdError, match="no place has the id 'ML-7'"):
            data.ancestors("ML-7")

    def test_lies_in(self, data: Dataset) -> None:
        assert data.lies_in("yorosso", "ML")
        assert data.lies_in("yorosso", "ML-3")
        assert data.lies_in("ML-3", "ML-3")
        assert not data.lies_in("yorosso", "ML-4")
        assert not data.lies_in("ML", "ML-3")
        assert not data.lies_in("ouahigouya", "ML")
        with pytest.raises(UnknownIdError):
            data.lies_in("yorosso", "ML-9")
        with pytest.raises(UnknownIdError):
            data.lies_in("nowhere", "ML")

    def test_roll_up(self, data: Dataset) -> None:
        # yorosso (cercle) in ML-3 (region) in ML (country).
        assert data.roll_up("yorosso", "region") == "ML-3"
        assert data.roll_up("yorosso", PlaceLevel.COUNTRY) == "ML"
        assert data.roll_up("ML-3", "region") == "ML-3"
        # Above the level, or in no place of that level: itself.
        assert data.roll_up("ML", "region") == "ML"
        assert data.roll_up("ouahigouya", "region") == "ouahigouya"
        with pytest.raises(UnknownIdError):
            data.roll_up("nowhere", "region")
        with pytest.raises(ValueError, match="planet"):
            data.roll_up("yorosso", "planet")

    def test_roll_up_on_the_bundled_gazetteer(self) -> None:
        bundled = mali_aid.load()
        assert bundled.roll_up("ml-sikasso-city", "region") == "ml-sikasso-region"
        assert bundled.roll_up("ml-sikasso-city", "cercle") == "ml-sikasso-cercle"
        assert bundled.roll_up("ml-kadiolo-commune", "region") == "ml-sikasso-region"


class TestDonors:
    def test_the_root_of_each_funder(self, data: Dataset) -> None:
        assert data.donors("be-programme") == ("BE",)
        assert data.donors("be-eutm") == ("BE",)
        assert data.donors("lu-icp-iii") == ("LU",)
        assert data.donors("lu-agro-ii") == ("LU", "CH")

    def test_empty_when_the_funder_is_unknown(self, data: Dataset) -> None:
        assert data.donors("mped") == ()

    def test_each_donor_once(self, data: Dataset) -> None:
        record = engagement(("luxdev", "funding"), ("CH", "funding"), ("LU", "funding"))
        assert data.donors(record) == ("LU", "CH")

    def test_takes_a_record(self, data: Dataset) -> None:
        assert data.donors(data.engagement("be-eutm")) == ("BE",)

    def test_unknown_engagement(self, data: Dataset) -> None:
        with pytest.raises(UnknownIdError, match="no engagement has the id 'eutm'"):
            data.donors("eutm")


def engagement(*participants: tuple[str, ...]) -> Engagement:
    """An engagement made here, from (organisation, role[, share]) triples."""
    return Engagement(
        id="made-here",
        title="T",
        kind="project",
        participants=[
            Participant(organisation=organisation, role=role, share=share or None)
            for organisation, role, share in (
                (*participant, "")[:3] for participant in participants
            )
        ],
    )


class TestFundingShares:
    def test_given_shares(self, data: Dataset) -> None:
        assert data.funding_shares("lu-agro-ii") == (
            ("LU", Fraction(1, 2)),
            ("CH", Fraction(1, 2)),
        )

    def test_a_single_funder_without_share_has_all(self, data: Dataset) -> None:
        assert data.funding_shares("be-eutm") == (("BE", Fraction(1)),)

    def test_no_funder_is_one_unknown_donor(self, data: Dataset) -> None:
        assert data.funding_shares("mped") == ((None, Fraction(1)),)

    def test_several_donors_without_shares_split_equally(self, data: Dataset) -> None:
        record = engagement(
            ("LU", "funding"),
            ("CH", "funding"),
            ("luxdev", "funding"),
            ("BE", "funding"),
            ("luxdev", "implementing"),
        )
        assert data.funding_shares(record) == (
            ("LU", Fraction(1, 3)),
            ("CH", Fraction(1, 3)),
            ("BE", Fraction(1, 3)),
        )

    def test_shares_of_one_donor_add_up(self, data: Dataset) -> None:
        record = engagement(
            ("luxdev", "funding", "1/4"),
            ("CH", "funding", "1/2"),
            ("LU", "funding", "1/4"),
        )
        assert data.funding_shares(record) == (
            ("LU", Fraction(1, 2)),
            ("CH", Fraction(1, 2)),
        )


class TestParts:
    def test_direct_parts_in_file_order(self, data: Dataset) -> None:
        assert ids(data.parts("lu-envelope-2023")) == [
            "lu-humanitarian-2024",
            "lu-floods-2024",
        ]
        assert ids(data.parts(data.engagement("lu-envelope-2023"))) == [
            "lu-humanitarian-2024",
            "lu-floods-2024",
        ]

    def test_a_successor_is_not_a_part(self, data: Dataset) -> None:
        assert data.parts("lu-icp-ii") == ()

    def test_unknown(self, data: Dataset) -> None:
        with pytest.raises(UnknownIdError):
            data.parts("lu-envelope-2025")


class TestSelect:
    def test_nothing_asked_gives_everything(self, data: Dataset) -> None:
        assert data.select() == data.engagements

    def test_by_donor_takes_in_sub_organisations(self, data: Dataset) -> None:
        assert ids(data.select(donor="BE")) == ["be-programme", "be-eutm"]
        assert ids(data.select(donor="CH")) == ["lu-agro-ii"]
        assert ids(data.select(donor="LU")) == [
            "lu-icp-ii",
            "lu-icp-iii",
            "lu-agro-ii",
            "lu-envelope-2023",
            "lu-humanitarian-2024",
            "lu-floods-2024",
        ]

    def test_by_a_donor_below_the_root(self, data: Dataset) -> None:
        assert ids(data.select(donor="be-defence")) == ["be-eutm"]
        assert ids(data.select(donor="be-bffs")) == []

    def test_by_implementer(self, data: Dataset) -> None:
        assert ids(data.select(implementer="luxdev")) == [
            "lu-icp-ii",
            "lu-icp-iii",
            "lu-agro-ii",
        ]
        assert ids(data.select(implementer="luxdev-bamako")) == ["lu-icp-iii"]
        assert ids(data.select(implementer="fcm")) == ["mped"]
        assert ids(data.select(implementer="BE")) == []

    def test_by_place_takes_in_what_lies_inside(self, data: Dataset) -> None:
        assert ids(data.select(place="ML-3")) == [
            "be-programme",
            "lu-icp-iii",
            "lu-agro-ii",
        ]
        assert ids(data.select(place="yorosso")) == ["lu-icp-iii"]
        assert ids(data.select(place="BF")) == ["mped"]
        assert ids(data.select(place="ML")) == [
            "be-programme",
            "be-eutm",
            "lu-icp-ii",
            "lu-icp-iii",
            "lu-agro-ii",
            "mped",
        ]

    def test_by_sector(self, data: Dataset) -> None:
        assert ids(data.select(sector="agriculture")) == [
            "be-programme",
            "lu-icp-iii",
            "lu-agro-ii",
        ]
        assert ids(data.select(sector="health")) == []

    @pytest.mark.parametrize(
        ("year", "expected"),
        [
            (2006, []),
            (2007, ["lu-icp-ii"]),
            (2012, ["be-programme"]),
            (2013, ["be-programme", "be-eutm"]),
            (2016, ["be-eutm", "lu-icp-iii"]),
            (2017, ["be-eutm", "lu-icp-iii", "mped"]),
            (2018, ["be-eutm", "lu-icp-iii"]),
            (2020, []),
            (
                2024,
                [
                    "lu-agro-ii",
                    "lu-envelope-2023",
                    "lu-humanitarian-2024",
                    "lu-floods-2024",
                ],
            ),
        ],
    )
    def test_by_year(self, data: Dataset, year: int, expected: list[str]) -> None:
        assert ids(data.select(year=year)) == expected

    def test_by_channel(self, data: Dataset) -> None:
        assert ids(data.select(channel="humanitarian")) == [
            "lu-humanitarian-2024",
            "lu-floods-2024",
        ]
        assert ids(data.select(channel=Channel.SECURITY)) == ["be-eutm"]
        with pytest.raises(ValueError, match="'aid' is not a channel"):
            data.select(channel="aid")

    def test_conditions_combine(self, data: Dataset) -> None:
        assert ids(data.select(donor="LU", year=2024, channel="humanitarian")) == [
            "lu-humanitarian-2024",
            "lu-floods-2024",
        ]
        assert ids(data.select(donor="LU", place="ML-4", year=2010)) == ["lu-icp-ii"]
        assert ids(data.select(donor="BE", sector="agriculture", year=2015)) == []

    @pytest.mark.parametrize(
        ("condition", "kind"),
        [
            ({"donor": "BEL"}, "organisation"),
            ({"implementer": "lux-dev"}, "organisation"),
            ({"place": "sikasso"}, "place"),
            ({"sector": "farming"}, "sector"),
        ],
    )
    def test_unknown_ids_are_errors(
        self, data: Dataset, condition: dict[str, str], kind: str
    ) -> None:
        with pytest.raises(UnknownIdError, match=f"^no {kind} has the id"):
            data.select(**condition)  # type: ignore[arg-type]

    @pytest.mark.parametrize("year", ["two thousand", 2024.0, True])
    def test_year_must_be_an_int_or_its_digits(
        self, data: Dataset, year: object
    ) -> None:
        with pytest.raises(TypeError):
            data.select(year=year)  # type: ignore[arg-type]


# -- the Dataset itself -----------------------------------------------------------------


class TestADatasetIsACheckedFrozenValue:
    def test_is_frozen(self, data: Dataset) -> None:
        with pytest.raises(attrs.exceptions.FrozenInstanceError):
            data.engagements = ()  # type: ignore[misc]
        assert not hasattr(data, "__dict__")

    def test_equal_when_loaded_twice(self, base_dir: Path) -> None:
        first, second = load(base_dir), load(base_dir)
        assert first is not second
        assert first == second
        assert hash(first) == hash(second)

    def test_short_repr(self, data: Dataset) -> None:
        assert repr(data) == (
            "<Dataset: 2 sources, 9 organisations, 9 places, 3 sectors, 1 themes,"
            " 9 engagements, 1 events, 2 indicators, 0 statements>"
        )

    def test_built_directly_is_checked_too(self) -> None:
        with pytest.raises(DataError) as caught:
            Dataset(
                organisations=[
                    Organisation(id="luxdev", name="LuxDev", kind="agency", parent="LU")
                ]
            )
        error = caught.value
        assert (error.file, error.record, error.field) == (None, "luxdev", "parent")

    def test_built_directly_refuses_records_of_another_kind(self) -> None:
        with pytest.raises(TypeError, match=r"places must hold Place records; item 0"):
            Dataset(places=[Organisation(id="ML", name="Mali", kind="state")])  # type: ignore[list-item]


class TestRecordsOfTheWrongKind:
    def test_a_record_of_another_kind_is_an_argument_error(self) -> None:
        from mali_aid.errors import ArgumentError

        with pytest.raises(ArgumentError) as caught:
            Dataset(engagements=[1])  # type: ignore[list-item]
        assert str(caught.value) == (
            "Dataset(): argument engagements must hold Engagement records;"
            " item 0 is of type int"
        )
        # Still a TypeError, as it was before 0.1.0.
        assert isinstance(caught.value, TypeError)

    def test_a_text_for_a_tuple_of_records_is_an_argument_error(self) -> None:
        from mali_aid.errors import ArgumentError

        with pytest.raises(ArgumentError, match="not a text"):
            Dataset(places="Gao")  # type: ignore[arg-type]
