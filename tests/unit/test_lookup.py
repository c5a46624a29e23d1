"""Records found by name, alias or id: Dataset.find_organisation, find_place
and find_sector, on the bundled data and on small worlds built here."""

from __future__ import annotations

import pickle

import pytest
from hypothesis import given
from hypothesis import strategies as st

import mali_aid
from mali_aid import Dataset, Organisation, Place, Sector
from mali_aid.errors import AmbiguousNameError, UnknownIdError, UnknownNameError


@pytest.fixture(scope="module")
def data() -> Dataset:
    return mali_aid.load()


class TestBundledNames:
    @pytest.mark.parametrize(
        ("name", "expected"),
        [
            ("Segou", "ml-segou-region"),
            ("SÉGOU", "ml-segou-region"),
            ("ml-segou-region", "ml-segou-region"),
            ("Sikasso region", "ml-sikasso-region"),
            ("région de Sikasso", "ml-sikasso-region"),
            ("Yorosso", "ml-yorosso-cercle"),
            ("the north", "ml-north"),
        ],
    )
    def test_places(self, data: Dataset, name: str, expected: str) -> None:
        assert data.find_place(name).id == expected

    @pytest.mark.parametrize(
        ("name", "expected"),
        [("pnud", "undp"), ("CICR", "icrc"), ("Suisse", "CH"), ("belgium", "BE")],
    )
    def test_organisations(self, data: Dataset, name: str, expected: str) -> None:
        assert data.find_organisation(name).id == expected

    @pytest.mark.parametrize(
        ("name", "expected"),
        [("12220", "basic-health-care"), ("Basic health care", "basic-health-care")],
    )
    def test_sectors(self, data: Dataset, name: str, expected: str) -> None:
        assert data.find_sector(name).id == expected

    def test_sikasso_means_three_nested_places(self, data: Dataset) -> None:
        with pytest.raises(AmbiguousNameError) as caught:
            data.find_place("Sikasso")
        assert caught.value.candidates == (
            "ml-sikasso-region",
            "ml-sikasso-cercle",
            "ml-sikasso-city",
        )
        assert caught.value.widest == "ml-sikasso-region"
        assert "ml-sikasso-city (Sikasso, city)" in str(caught.value)
        assert data.find_place("Sikasso", widest=True).id == "ml-sikasso-region"

    def test_germany_suggests_nothing_unrelated(self, data: Dataset) -> None:
        with pytest.raises(UnknownNameError) as caught:
            data.find_organisation("Germany")
        assert caught.value.suggestions == ()
        assert str(caught.value) == "no organisation is called 'Germany'"

    def test_a_slip_suggests_the_near_name(self, data: Dataset) -> None:
        with pytest.raises(UnknownNameError) as caught:
            data.find_organisation("Belgum")
        assert caught.value.suggestions == ("BE",)

    def test_a_word_of_longer_names_suggests_them(self, data: Dataset) -> None:
        with pytest.raises(UnknownNameError) as caught:
            data.find_sector("health")
        assert "basic-health-care" in caught.value.suggestions
        assert "reproductive-health" in caught.value.suggestions
        assert "tourism" not in caught.value.suggestions

    def test_an_unknown_name_is_still_an_unknown_id_error(self, data: Dataset) -> None:
        with pytest.raises(UnknownIdError):
            data.find_place("Atlantis")


class TestSmallWorlds:
    def test_two_unnested_places_of_one_name_have_no_widest(self) -> None:
        world = Dataset(
            places=[
                Place(id="a", name="Gao", level="city"),
                Place(id="b", name="Gao", level="city"),
            ]
        )
        with pytest.raises(AmbiguousNameError) as caught:
            world.find_place("Gao", widest=True)
        assert caught.value.widest is None
        assert set(caught.value.candidates) == {"a", "b"}

    def test_an_exact_id_wins_over_a_name(self) -> None:
        world = Dataset(
            organisations=[
                Organisation(id="EU", name="European Union", kind="multilateral"),
                Organisation(id="eu-x", name="EU", kind="agency"),
            ]
        )
        assert world.find_organisation("EU").id == "EU"

    def test_nested_organisations_give_the_root(self) -> None:
        world = Dataset(
            organisations=[
                Organisation(id="LU", name="Luxembourg", kind="state"),
                Organisation(
                    id="lu-gov", name="Luxembourg", kind="government", parent="LU"
                ),
            ]
        )
        with pytest.raises(AmbiguousNameError):
            world.find_organisation("luxembourg")
        assert world.find_organisation("luxembourg", widest=True).id == "LU"

    def test_errors_survive_pickling(self) -> None:
        error = AmbiguousNameError("x", candidates=("a", "b"), widest="a")
        copy = pickle.loads(pickle.dumps(error))
        assert (str(copy), copy.candidates, copy.widest) == ("x", ("a", "b"), "a")
        unknown = pickle.loads(pickle.dumps(UnknownNameError("y", suggestions=("c",))))
        assert (str(unknown), unknown.suggestions) == ("y", ("c",))


# Letters of the languages the data is written in (English and French).
names = st.text(alphabet="abcdefghijklmnopqrstuvwxyzàâçéèêëîïôûùüÿ", min_size=1)


@given(name=names)
def test_case_and_accents_never_change_what_a_name_finds(name: str) -> None:
    world = Dataset(sectors=[Sector(id="s", name=name)])
    assert world.find_sector(name.upper()).id == "s"
    assert world.find_sector(name.lower()).id == "s"


class TestSurface:
    def test_dir_shows_only_public_names(self) -> None:
        assert set(dir(mali_aid)) == {*mali_aid.__all__, "__version__"}

    def test_donors_without_an_engagement_lists_the_bundled_donors(
        self, data: Dataset
    ) -> None:
        assert data.donors() == ("BE", "LU", "CH")

    def test_years_as_text_select_as_numbers(self, data: Dataset) -> None:
        assert data.select(year="2016") == data.select(year=2016)
        assert data.select(year=["2016", 2024]) == data.select(year=[2016, 2024])

    def test_a_year_that_is_not_digits_is_refused(self, data: Dataset) -> None:
        with pytest.raises(TypeError):
            data.select(year="twenty")
