"""Values injected on the bus appear on the right widget, in display units."""

from __future__ import annotations

from hmi.widgets import ReadoutLabel, TerrainTileButton
from tests.hmi.conftest import find, publish_all


def readout_widget(screen, readout):
    """The ReadoutLabel on `screen` that shows `readout`."""
    widgets = find(screen, lambda w: isinstance(w, ReadoutLabel) and w.readout is readout)
    assert widgets, f"no widget shows {readout.name} on {screen.name}"
    return widgets[0]


def test_speed_reaches_the_speed_numerals(hmi, vehicle) -> None:
    publish_all(vehicle)
    vehicle.state("drive", {"Vehicle.Speed": 27.78})  # 100 km/h
    speed = hmi.screen("drive").ids.speed
    hmi.wait(lambda: speed.shown_text == "100", what="speed 100 on the drive screen")
    assert speed.shown_unit == ""  # the unit has its own label under the numerals


def test_state_of_charge_reaches_the_drive_screen(hmi, vehicle) -> None:
    publish_all(vehicle)
    vehicle.state("battery", {
        "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed": 73.4})
    widget = readout_widget(hmi.screen("drive"), hmi.models.energy.soc)
    hmi.wait(lambda: widget.shown_text == "73", what="SoC 73 %")
    assert widget.shown_unit == "%"


def test_rated_range_is_shown_beside_the_estimate(hmi, vehicle) -> None:
    publish_all(vehicle)
    vehicle.state("battery", {"Vehicle.Powertrain.TractionBattery.Range": 250_000.0,
                              "Vehicle.Ema.Range.Rated": 301_000.0})
    screen = hmi.screen("drive")
    estimated = readout_widget(screen, hmi.models.drive.range_estimated)
    rated = readout_widget(screen, hmi.models.drive.range_rated)
    hmi.wait(lambda: (estimated.shown_text, rated.shown_text) == ("250", "301"),
             what="both ranges")
    assert abs(estimated.center_y - rated.center_y) < screen.height / 4


def test_pitch_reaches_the_inclinometer(hmi, vehicle) -> None:
    publish_all(vehicle)
    vehicle.state("terrain", {"Vehicle.Ema.Chassis.Pitch": 0.2618})  # 15 degrees
    widget = readout_widget(hmi.screen("terrain"), hmi.models.terrain.pitch)
    hmi.wait(lambda: widget.shown_text == "15°", what="pitch 15°")
    assert abs(hmi.models.terrain.pitch_deg - 15.0) < 0.01  # and the dial gets it too


def test_tyre_pressure_reaches_the_vehicle_screen(hmi, vehicle) -> None:
    publish_all(vehicle)
    vehicle.state("body", {"Vehicle.Chassis.Axle.Row2.Wheel.Right.Tire.Pressure": 231_000.0})
    widget = readout_widget(hmi.screen("vehicle"), hmi.models.body.tyres[3])
    hmi.wait(lambda: widget.shown_text == "2.3", what="rear right tyre 2.3 bar")
    assert widget.shown_unit == "bar"


def test_active_program_lights_its_tile(hmi, vehicle) -> None:
    publish_all(vehicle)
    vehicle.state("terrain", {"Vehicle.Ema.TerrainResponse.Program.Active": "SAND",
                              "Vehicle.Ema.TerrainResponse.Program.Requested": "SAND",
                              "Vehicle.Ema.TerrainResponse.Program.ChangeState": "ACTIVE"})
    screen = hmi.screen("terrain")
    tile = [t for t in find(screen, lambda w: isinstance(w, TerrainTileButton))
            if t.tile.program == "SAND"][0]
    hmi.wait(lambda: tile.tile.state == "active", what="Sand active")
    assert tile.detail_text == "Active"
