"""Inference marks on every record kind, areas of places, place periods and
statements: what the records accept and refuse."""

from __future__ import annotations

import pytest

from mali_aid import (
    DataError,
    Dataset,
    Engagement,
    Event,
    Inference,
    Organisation,
    Period,
    Place,
    PlaceShare,
    Statement,
    UnknownIdError,
)

MALI = Place(id="ML", name="Mali", level="country")
NORTH = Place(id="north", name="North", level="area", parent="ML")


def test_a_field_or_a_part_of_it_is_inferred() -> None:
    record = Engagement(
        id="e",
        title="E",
        kind="mission",
        places=[
            PlaceShare(place="ML"),
            PlaceShare(place="gao", period=Period.parse("2016/2017")),
        ],
        inferred=[Inference(field="places[1].period", reason="read from a mandate")],
    )
    assert record.is_inferred("places")
    assert record.is_inferred("places[1]")
    assert record.is_inferred("places[1].period")
    assert not record.is_inferred("places[0]")
    assert not record.is_inferred("period")
    assert record.inference("places[1].period") == Inference(
        field="places[1].period", reason="read from a mandate"
    )
    assert record.inference("places") is None
    assert record.places[1].period == Period.parse("2016/2017")


@pytest.mark.parametrize(
    ("field", "message"),
    [
        ("plaes", "is not a field"),
        ("id", "is not a field"),
        ("places[3]", "names an entry the field does not have"),
    ],
)
def test_an_inference_must_name_a_field_the_record_has(
    field: str, message: str
) -> None:
    with pytest.raises(DataError, match=message):
        Engagement(
            id="e",
            title="E",
            kind="project",
            places=[PlaceShare(place="ML")],
            inferred=[Inference(field=field, reason="a reason")],
        )


def test_the_same_field_marked_twice_is_refused() -> None:
    twice = [
        Inference(field="date", reason="one"),
        Inference(field="date", reason="two"),
    ]
    with pytest.raises(DataError, match="inferred twice"):
        Event(id="v", title="V", kind="coup", date=Period.parse("2012"), inferred=twice)


@pytest.mark.parametrize(
    "record",
    [
        Organisation(
            id="o",
            name="O",
            kind="ngo",
            inferred=[Inference(field="kind", reason="by its name")],
        ),
        Place(
            id="p",
            name="P",
            level="city",
            inferred=[Inference(field="level", reason="a bare name")],
        ),
        Statement(
            id="s",
            kind="situation",
            summary="S",
            period=Period.parse("2016"),
            inferred=[Inference(field="period", reason="the page's year")],
        ),
    ],
)
def test_every_kind_carries_the_marks(record: object) -> None:
    assert record.is_inferred(record.inferred[0].field)  # type: ignore[attr-defined]


def test_an_area_is_found_through_the_places_grouped_into_it() -> None:
    data = Dataset(
        places=[
            MALI,
            NORTH,
            Place(
                id="kidal", name="Kidal", level="region", parent="ML", areas=["north"]
            ),
            Place(id="kidal-town", name="Kidal", level="city", parent="kidal"),
        ],
        engagements=[
            Engagement(
                id="e",
                title="E",
                kind="project",
                places=[PlaceShare(place="kidal-town")],
            )
        ],
    )
    assert data.lies_in("kidal-town", "north")
    assert [e.id for e in data.select(place="north")] == ["e"]
    assert [p.id for p in data.ancestors("kidal-town")] == ["kidal", "ML"]
    assert data.roll_up("kidal-town", "area") == "kidal-town"
    assert not data.lies_in("north", "kidal")


def test_areas_must_be_areas() -> None:
    with pytest.raises(DataError, match="not an area"):
        Dataset(
            places=[
                MALI,
                Place(id="gao", name="Gao", level="region", parent="ML", areas=["ML"]),
            ]
        )
    with pytest.raises(DataError, match="not grouped into other areas"):
        Place(id="south", name="South", level="area", areas=["north"])
    with pytest.raises(DataError, match="cannot lie in itself"):
        Place(id="x", name="X", level="city", areas=["x"])
    with pytest.raises(DataError, match="no place has the id 'nowhere'"):
        Dataset(places=[Place(id="x", name="X", level="city", areas=["nowhere"])])


def test_statements_refer_to_records_that_exist() -> None:
    statement = Statement(
        id="s", kind="relationship", summary="Ties", organisations=["LU"]
    )
    with pytest.raises(DataError, match="no organisation has the id 'LU'"):
        Dataset(statements=[statement])
    data = Dataset(
        organisations=[Organisation(id="LU", name="Luxembourg", kind="state")],
        statements=[statement],
    )
    assert data.statement("s") is statement
    assert data.statements_about("LU") == (statement,)
    with pytest.raises(UnknownIdError):
        data.statement("t")


def test_a_statement_kind_must_be_known() -> None:
    with pytest.raises(ValueError, match="rumour"):
        Statement(id="s", kind="rumour", summary="S")
