"""The owner's car without a window: the maker's palette in hmi/theme.py covers exactly the
catalogue's paints and roof colours, every paint has an accent family the driver could also
pick, and the paint suggests the accent only until the driver picks one."""

from __future__ import annotations

from hmi.models.preferences import PreferencesModel
from hmi.theme import (
    ACCENTS,
    BODY_COLOUR_ROOF,
    PAINT_ACCENTS,
    PAINTS,
    ROOF_COLOURS,
    paint_colour,
    roof_colour,
)
from protocols import load_catalogue

CATALOGUE = load_catalogue()


def test_every_catalogue_paint_and_roof_colour_has_a_shade() -> None:
    assert set(PAINTS) == set(CATALOGUE.enum_values("Paint"))
    assert set(ROOF_COLOURS) | {BODY_COLOUR_ROOF} == set(CATALOGUE.enum_values("RoofColour"))


def test_every_paint_has_an_accent_family() -> None:
    assert set(PAINT_ACCENTS) == set(PAINTS)
    assert set(PAINT_ACCENTS.values()) <= set(ACCENTS)


def test_a_body_colour_roof_is_the_paint_and_unknown_values_draw_nothing() -> None:
    assert roof_colour(BODY_COLOUR_ROOF, "SEDONA_ORANGE") == paint_colour("SEDONA_ORANGE")
    assert roof_colour("NARVIK_BLACK", "SEDONA_ORANGE") != paint_colour("SEDONA_ORANGE")
    assert paint_colour("FUCHSIA") is None and paint_colour(None) is None


def test_the_paint_suggests_the_accent_only_until_the_driver_picks_one(tmp_path) -> None:
    path = tmp_path / "preferences.json"
    preferences = PreferencesModel(path)
    preferences.follow_paint("Sedona")
    assert preferences.accent == "Sedona" and not preferences.accent_chosen
    assert not path.exists(), "a suggestion is not saved"
    preferences.choose("accent", "Tasman")
    preferences.follow_paint("Pangea")
    assert preferences.accent == "Tasman"
    again = PreferencesModel(path)
    again.follow_paint("Pangea")
    assert (again.accent, again.accent_chosen) == ("Tasman", True)


def test_the_stale_cars_age_alone_does_not_make_a_new_report() -> None:
    from hmi.report import comparable

    def report(age: str, paint: str) -> dict:
        return {"readouts": {}, "vehicle": {"state": "stale", "age": age, "paint": paint}}

    assert comparable(report("30 s ago", "EIGER_GREY")) == comparable(report("1 min ago",
                                                                             "EIGER_GREY"))
    assert comparable(report("30 s ago", "EIGER_GREY")) != comparable(report("30 s ago",
                                                                             "TASMAN_BLUE"))
