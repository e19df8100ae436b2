"""The Vehicle screen draws the car it is fitted to, from the configuration frame on the bus.

Real Kivy window, real Mosquitto, the HMI's real link; the assertions read the picture's drawn
state (`VehicleDiagram.parts`, its colours), the My vehicle rows and the display report."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from hmi.theme import PAINT_ACCENTS, hex_colour, paint_colour, roof_colour
from hmi.units import IMPERIAL
from tests.hmi.conftest import advance_frames, publish_all, start_hmi, stop_hmi
from tests.support.sample_vehicle import CONFIGURATIONS, configured, typical

MINUS = "\u2212"
JUMP_SEAT = "Vehicle.Ema.Cabin.JumpSeat.IsFitted"


def shown_car(hmi, what: str = "car drawn"):
    screen = hmi.screen("vehicle")
    diagram = screen.ids.diagram
    hmi.wait(lambda: hmi.models.configuration.drawn and diagram.parts, what=what)
    advance_frames(2)
    return screen, diagram


def rows(hmi) -> list[tuple[str, str]]:
    model = hmi.models.configuration
    return [(label, cost) for label, cost in zip(model.row_labels, model.row_costs, strict=True)
            if label]


@pytest.mark.parametrize("name, parts", [
    ("road", {"wheels:ROAD_22"}),
    ("expedition", {"wheels:ALL_TERRAIN_20", "arches", "roof_rack", "rack_load",
                    "spare_wheel", "jump_seat"}),
    ("heritage", {"wheels:STANDARD_20", "decals:HERITAGE_NUMERAL", "roof_rack", "jump_seat"}),
])
def test_each_configuration_is_drawn_as_fitted(hmi, vehicle, name, parts) -> None:
    publish_all(vehicle, configured(name))
    _screen, diagram = shown_car(hmi)
    hmi.wait(lambda: set(diagram.parts) == parts, what=f"{name} drawn")
    frame = CONFIGURATIONS[name]
    paint = frame["Vehicle.Body.BodyColor"]
    assert list(diagram.paint) == pytest.approx(list(paint_colour(paint)))
    roof = frame["Vehicle.Ema.Body.Roof.Color"]
    assert list(diagram.roof) == pytest.approx(list(roof_colour(roof, paint)))
    if roof == "BODY_COLOUR":
        assert list(diagram.roof) == list(diagram.paint)
    assert diagram.live and diagram.opacity == 1
    report = hmi.snapshot()["vehicle"]
    assert (report["state"], report["drawn"], report["paint"], report["roof"]) == (
        "fresh", True, paint, roof)


def test_expedition_lists_each_option_and_its_cost_in_km(hmi, vehicle) -> None:
    publish_all(vehicle, configured("expedition"))
    shown_car(hmi)
    hmi.wait(lambda: len(rows(hmi)) == 6, what="six rows")
    assert rows(hmi) == [
        ("Keswick Green, Narvik Black roof", ""),
        ("All-terrain 20-inch tyres", f"{MINUS}31 km"),
        ("Roof rack, loaded", f"{MINUS}42 km"),
        ("Wheelarch extensions", f"{MINUS}6 km"),
        ("Spare wheel", f"{MINUS}5 km"),
        ("Jump seat", f"{MINUS}1 km"),
    ]
    model = hmi.models.configuration
    assert (model.pack.text, model.pack.unit) == ("85", "kWh")
    assert (model.rated_range.text, model.rated_range.unit) == ("402", "km")
    report = hmi.snapshot()["vehicle"]
    assert report["fitted"] == ["wheels", "roof_rack", "arches", "spare_wheel", "jump_seat"]
    assert report["costs"]["roof_rack"] == {"text": f"{MINUS}42", "unit": "km", "value": 42_000.0}


def test_costs_follow_the_drivers_units_in_miles(hmi, vehicle) -> None:
    publish_all(vehicle, configured("expedition"))
    shown_car(hmi)
    hmi.models.preferences.set_units(IMPERIAL)
    hmi.wait(lambda: hmi.models.configuration.rated_range.unit == "mi", what="miles")
    assert dict(rows(hmi)[1:]) == {
        "All-terrain 20-inch tyres": f"{MINUS}19 mi", "Roof rack, loaded": f"{MINUS}26 mi",
        "Wheelarch extensions": f"{MINUS}4 mi", "Spare wheel": f"{MINUS}3 mi",
        "Jump seat": "0 mi"}
    assert hmi.models.configuration.rated_range.text == "250"


def test_options_not_fitted_are_not_listed(hmi, vehicle) -> None:
    publish_all(vehicle, configured("road"))
    _screen, diagram = shown_car(hmi)
    hmi.wait(lambda: rows(hmi) == [("Eiger Grey", ""),
                                   ("Road 22-inch wheels", f"{MINUS}10 km")], what="road rows")
    assert {"roof_rack", "arches", "spare_wheel", "jump_seat"} & set(diagram.parts) == set()
    assert hmi.snapshot()["vehicle"]["jump_seat"] == "not_fitted"


def test_decals_are_listed_without_a_range_effect(hmi, vehicle) -> None:
    publish_all(vehicle, configured("heritage"))
    shown_car(hmi)
    hmi.wait(lambda: len(rows(hmi)) == 4, what="heritage rows")
    assert rows(hmi)[:2] == [("Sedona Orange, Glacier White roof", ""),
                             ("Heritage Numeral decals", "")]


@pytest.mark.parametrize("fitted, part", [(True, "jump_seat"), (False, None)])
def test_jump_seat_drawn_only_when_fitted(hmi, vehicle, fitted, part) -> None:
    values = typical()
    values["configuration"][JUMP_SEAT] = fitted
    publish_all(vehicle, values)
    _screen, diagram = shown_car(hmi)
    want = "fitted" if fitted else "not_fitted"
    hmi.wait(lambda: diagram.jump_seat == want, what=want)
    advance_frames(2)
    seat_parts = [p for p in diagram.parts if p.startswith("jump_seat")]
    assert seat_parts == ([part] if part else [])


def test_jump_seat_unknown_while_the_configuration_is_not_live(hmi, vehicle) -> None:
    publish_all(vehicle)
    _screen, diagram = shown_car(hmi)
    hmi.wait(lambda: "jump_seat" in diagram.parts)
    vehicle.status(False)
    hmi.wait(lambda: not hmi.models.configuration.live, what="configuration stale")
    advance_frames(2)
    assert "jump_seat:unknown" in diagram.parts, "not known: shown unknown, never absent"
    assert hmi.snapshot()["vehicle"]["jump_seat"] == "unknown"


def test_no_configuration_says_so_and_draws_no_car(hmi, vehicle) -> None:
    values = typical()
    del values["configuration"]
    publish_all(vehicle, values)
    screen = hmi.screen("vehicle")
    hmi.wait(lambda: hmi.models.body.doors_known, what="body live")
    advance_frames(3)
    diagram = screen.ids.diagram
    assert diagram.parts == [] and diagram.opacity == 0
    assert screen.ids.configuration_message.text == "Vehicle configuration not received"
    assert rows(hmi) == []
    report = hmi.snapshot()["vehicle"]
    assert (report["state"], report["drawn"], report["paint"], report["fitted"]) == (
        "never", False, None, [])
    assert report["jump_seat"] == "unknown"


def test_stale_configuration_is_dimmed_and_aged_never_live(hmi, vehicle) -> None:
    publish_all(vehicle)
    screen, diagram = shown_car(hmi)
    vehicle.status(False)
    model = hmi.models.configuration
    hmi.wait(lambda: model.state == "stale", what="configuration stale")
    advance_frames(3)
    assert model.drawn and not model.live and not diagram.live, "last car kept, dimmed"
    assert "ago" in model.age_text
    assert screen.ids.configuration_message.text == ""
    report = hmi.snapshot()["vehicle"]
    assert (report["state"], report["live"], report["paint"]) == ("stale", False,
                                                                  "KESWICK_GREEN")
    assert hmi.snapshot()["readouts"]["configuration.rated_range"]["state"] == "stale"


def test_accent_follows_the_paint_until_the_driver_picks_one(hmi, vehicle) -> None:
    publish_all(vehicle, configured("heritage"))
    preferences = hmi.models.preferences
    hmi.wait(lambda: preferences.accent == PAINT_ACCENTS["SEDONA_ORANGE"], what="paint accent")
    assert list(hmi.hmi.theme.accent) == pytest.approx(list(hex_colour("#FF8A3D")))
    assert "accent" not in preferences.as_dict(), "a suggestion is not the driver's choice"
    publish_all(vehicle, configured("road"))
    vehicle.state("configuration", CONFIGURATIONS["road"])   # on change, as the vehicle does
    hmi.wait(lambda: preferences.accent == PAINT_ACCENTS["EIGER_GREY"], what="new paint")


def test_the_drivers_accent_wins_over_the_paint_and_persists(window, mosquitto, vehicle_id,
                                                            vehicle, tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    harness = start_hmi(window, mosquitto.url, vehicle_id, preferences_path=path)
    try:
        harness.models.preferences.choose("accent", "Tasman")
        publish_all(vehicle, configured("heritage"))   # Sedona Orange suggests Sedona
        harness.wait(lambda: harness.models.configuration.live, what="configuration live")
        advance_frames(3)
        assert harness.models.preferences.accent == "Tasman"
        assert json.loads(path.read_text())["accent"] == "Tasman"
    finally:
        stop_hmi(harness)
    again = start_hmi(window, mosquitto.url, vehicle_id, preferences_path=path)
    try:
        again.wait(lambda: again.models.configuration.live, what="configuration live")
        advance_frames(3)
        assert again.models.preferences.accent == "Tasman"
    finally:
        stop_hmi(again)


def test_the_display_report_names_the_car_with_stable_keys(hmi, vehicle) -> None:
    """`vehicle` in the display report (PROTOCOL.md §10): the same keys whatever is shown."""
    keys = {"state", "drawn", "live", "age", "message", "paint", "roof", "decals", "wheels",
            "roof_rack", "arches", "spare_wheel", "jump_seat", "fitted", "costs", "pack",
            "rated_range", "simulated"}
    assert set(hmi.snapshot()["vehicle"]) == keys
    publish_all(vehicle, configured("expedition"))
    shown_car(hmi)
    report = hmi.snapshot()["vehicle"]
    assert set(report) == keys
    assert (report["wheels"], report["roof_rack"], report["arches"], report["spare_wheel"]) == (
        "ALL_TERRAIN_20", "RACK_LOADED", True, True)
    assert report["pack"] == {"text": "85", "unit": "kWh"}


SIMULATED = "Vehicle.Ema.Simulation.IsSimulated"


def simulated_mark(hmi):
    advance_frames(2)
    return hmi.root.ids.simulated_mark


@pytest.mark.parametrize("says", [None, False])
def test_a_vehicle_that_does_not_say_it_is_simulated_gets_no_mark(hmi, vehicle, says) -> None:
    """A real vehicle sends no IsSimulated (or False): the cabin wears no "Simulated" mark."""
    values = configured("expedition")
    if says is not None:
        values["configuration"][SIMULATED] = says
    publish_all(vehicle, values)
    shown_car(hmi)
    mark = simulated_mark(hmi)
    assert (hmi.models.configuration.simulated, mark.text, mark.width) == (False, "", 0)
    assert hmi.snapshot()["vehicle"]["simulated"] is False


def test_a_simulated_vehicle_gets_the_discreet_mark(hmi, vehicle) -> None:
    values = configured("expedition")
    values["configuration"][SIMULATED] = True
    publish_all(vehicle, values)
    hmi.wait(lambda: hmi.models.configuration.simulated, what="the simulated mark")
    mark = simulated_mark(hmi)
    assert mark.text == "Simulated" and mark.width > 0
    title = hmi.root.ids.status_bar.children[-1]   # the first in the bar: the screen's title
    assert mark.x >= title.right and mark.right <= hmi.root.ids.link_status.x, \
        "beside the title, clear of the link status"
