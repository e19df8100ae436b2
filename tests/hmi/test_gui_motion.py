"""Drive shows which way the car moves, and charging as charging (issue 16, items 1 and 7),
through the real link: a vehicle on Mosquitto, the HMI in a headless Kivy window.

Before: a car rolling back at 48 km/h in D read as an ordinary forward 48 (Vehicle.Speed
carried no sign), and a DC charge read READY, P and "REGEN 187 kW" with no plug shown.
"""

from __future__ import annotations

from hmi.widgets import TelltaleChip
from tests.hmi.conftest import find, publish_all

SPEED = "Vehicle.Speed"
GEAR = "Vehicle.Powertrain.Transmission.SelectedGear"
BATTERY_POWER = "Vehicle.Powertrain.TractionBattery.CurrentPower"
READY = "Vehicle.Ema.Powertrain.IsReady"
HDC = "Vehicle.Ema.Chassis.HillDescentControl.IsActive"


def chip(screen, *telltales):
    """The chip on `screen` that shows one of `telltales` (a slot may show either of two)."""
    chips = find(screen, lambda w: isinstance(w, TelltaleChip)
                 and any(w.telltale is t for t in telltales))
    assert chips, f"no chip shows {telltales[0].name}"
    return chips[0]


def shown_telltales(hmi) -> set[str]:
    return {t["name"] for t in hmi.snapshot()["telltales"]}


def test_rolling_back_in_d_is_shown_and_warned(hmi, vehicle) -> None:
    publish_all(vehicle)
    vehicle.state("drive", {SPEED: -13.3, GEAR: "D"})        # 48 km/h backwards
    screen = hmi.screen("drive")
    drive = hmi.models.drive
    warning = chip(screen, drive.rolling_telltale)
    speed = screen.ids.speed
    hmi.wait(lambda: warning.lit and speed.shown_text == "48", what="rolling back, 48 km/h")
    assert warning.text == "ROLLING BACK" and warning.colour_role == "amber"
    assert speed.tone == "amber"
    assert "rolling_back" in shown_telltales(hmi)
    assert hmi.snapshot()["readouts"]["drive.speed"]["value"] == -13.3   # signed, as sent
    vehicle.state("drive", {SPEED: 0.0})
    hmi.wait(lambda: not warning.lit, what="the warning going out at standstill")
    assert speed.tone == "text"


def test_rolling_forward_in_r_is_warned_and_reversing_is_not(hmi, vehicle) -> None:
    publish_all(vehicle)
    vehicle.state("drive", {SPEED: -2.0, GEAR: "R"})         # reversing at 7 km/h: normal
    screen = hmi.screen("drive")
    drive = hmi.models.drive
    warning = chip(screen, drive.rolling_telltale)
    hmi.wait(lambda: screen.ids.speed.shown_text == "7" and drive.gear_selected[1],
             what="reversing at 7 km/h")
    assert not warning.lit
    vehicle.state("drive", {SPEED: 2.0})
    hmi.wait(lambda: warning.lit, what="rolling forward in R")
    assert warning.text == "ROLLING FORWARD"
    assert "rolling_forward" in shown_telltales(hmi)


def test_hill_descent_control_is_shown_by_the_speed_while_it_holds_the_car(hmi,
                                                                            vehicle) -> None:
    """HDC green in the warning's place; a roll-back warning wins; not live, not lit."""
    publish_all(vehicle)
    vehicle.state("drive", {SPEED: 2.2, GEAR: "D", HDC: True})   # 8 km/h down the slope
    screen = hmi.screen("drive")
    drive = hmi.models.drive
    lamp = chip(screen, drive.rolling_telltale, drive.descent_telltale)
    hmi.wait(lambda: lamp.lit and lamp.text == "HDC", what="the HDC lamp")
    assert lamp.colour_role == "green" and screen.ids.speed.tone == "text"
    assert "hill_descent" in shown_telltales(hmi)
    vehicle.state("drive", {SPEED: -1.0, HDC: True})   # said with a roll-back: the warning
    hmi.wait(lambda: lamp.text == "ROLLING BACK", what="the roll-back warning instead")
    assert "hill_descent" not in shown_telltales(hmi)
    vehicle.state("drive", {SPEED: 2.2, HDC: None})    # not available: not claimed
    hmi.wait(lambda: not lamp.lit, what="the lamp out while HDC is not known")
    assert "hill_descent" not in shown_telltales(hmi)


def test_power_meter_follows_the_battery_not_the_speed(hmi, vehicle) -> None:
    """Driving against a roll-back draws from the pack: DRIVE, whatever the speed's sign."""
    publish_all(vehicle)
    vehicle.state("drive", {SPEED: -3.0, GEAR: "D", BATTERY_POWER: -30_000.0})
    drive = hmi.models.drive
    hmi.wait(lambda: drive.power_mode == "DRIVE" and drive.power.text == "30",
             what="30 kW out of the pack")
    assert drive.power_fraction > 0.0
    vehicle.state("drive", {BATTERY_POWER: 12_000.0})
    hmi.wait(lambda: drive.power_mode == "REGEN", what="12 kW into the pack")
    assert drive.power.text in ("-12", "\u221212") and drive.power_fraction < 0.0


def test_dc_charging_shows_charging_not_regen(hmi, vehicle) -> None:
    publish_all(vehicle)
    vehicle.state("drive", {SPEED: 0.0, GEAR: "P", READY: True, BATTERY_POWER: 187_000.0})
    vehicle.state("charging", {"Vehicle.Ema.Charging.State": "CHARGING",
                               "Vehicle.Ema.Charging.Type": "DC",
                               "Vehicle.Ema.Charging.Power": 187_000.0})
    screen = hmi.screen("drive")
    drive = hmi.models.drive
    ready = chip(screen, drive.ready_telltale, drive.plug_telltale)   # READY, or the plug
    hmi.wait(lambda: ready.telltale is drive.plug_telltale and ready.lit
             and drive.power_mode == "CHARGING", what="charging on Drive")
    assert ready.text == "Charging" and ready.colour_role == "green"
    assert not drive.ready_telltale.visible                # not ready to drive while plugged
    assert drive.power_caption == "CHARGING"
    assert drive.power_shown is drive.charge_power and drive.charge_power.text == "187"
    assert drive.power_shown.unit == "kW" and drive.power_fraction < 0.0
    assert drive.gear_selected[0]                          # P, as the vehicle says
    assert {"plugged_in"} <= shown_telltales(hmi) and "ready" not in shown_telltales(hmi)

    vehicle.state("charging", {"Vehicle.Ema.Charging.State": "DISCONNECTED",
                               "Vehicle.Ema.Charging.Power": 0.0})
    vehicle.state("drive", {BATTERY_POWER: -1_000.0})
    hmi.wait(lambda: ready.telltale is drive.ready_telltale and ready.lit,
             what="unplugged: READY again")
    assert ready.text == "READY" and not drive.plug_telltale.visible
    assert drive.power_caption == "REGEN" and drive.power_shown is drive.power
