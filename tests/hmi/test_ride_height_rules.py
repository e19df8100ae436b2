"""The ride-height controls' rules as a table (hmi/ride_height.py): pending, moving toward
the named target, reached, refused with the reason (naming the limit, and only while its cause
holds), unavailable while not live."""

from __future__ import annotations

import pytest

from hmi.commands import CommandPhase, TrackedCommand
from hmi.models.ride_height import speed_limit_signal
from hmi.models.terrain import TerrainModel
from hmi.ride_height import RideHeightState, level_control, ride_status
from hmi.signals import SignalTable
from hmi.store import Sample
from hmi.tiles import REFUSED_HOLD_S, Circumstances
from protocols import load_catalogue

AT_NORMAL = RideHeightState("NORMAL", 0.22, 0.22)
RISING = RideHeightState("OFF_ROAD", 0.28, 0.25)
LAGGING = AT_NORMAL   # accepted, but the frame still shows the old level
OFFLINE = RideHeightState(None, None, None)
NOT_CONNECTED = Circumstances(connected=False)
FAST = Circumstances(speed_mps=15.0, limit_mps=12.5, limit_text="45 km/h")
SLOWED = Circumstances(speed_mps=12.0, limit_mps=12.5, limit_text="45 km/h")
PLUGGED = Circumstances(availability="VEHICLE_CHARGING")
UNPLUGGED = Circumstances(availability="AVAILABLE")


def command(phase: CommandPhase, level: str = "OFF_ROAD",
            reason: str | None = None) -> TrackedCommand:
    return TrackedCommand("r1", "set_ride_height", {"level": level}, 0.0, phase, reason, 0.0)


@pytest.mark.parametrize(("vehicle", "cmd", "level", "state", "detail"), [
    (AT_NORMAL, None, "NORMAL", "reached", "Active"),
    (AT_NORMAL, None, "OFF_ROAD", "idle", ""),
    (AT_NORMAL, command(CommandPhase.PENDING), "OFF_ROAD", "pending", "Requested…"),
    (AT_NORMAL, command(CommandPhase.PENDING), "NORMAL", "reached", "Active"),
    (LAGGING, command(CommandPhase.ACCEPTED), "OFF_ROAD", "moving", "Rising…"),
    (LAGGING, command(CommandPhase.ACCEPTED), "NORMAL", "idle", ""),
    (RISING, None, "OFF_ROAD", "moving", "Rising…"),
    (RideHeightState("NORMAL", 0.22, 0.26), None, "NORMAL", "moving", "Lowering…"),
    (AT_NORMAL, command(CommandPhase.REFUSED, "EXTENDED", "speed_too_high"), "EXTENDED",
     "refused", "Slow down first"),
    (AT_NORMAL, command(CommandPhase.REFUSED, "EXTENDED", "speed_too_high"), "NORMAL",
     "reached", "Active"),
    (OFFLINE, None, "NORMAL", "unavailable", "--"),
    (OFFLINE, command(CommandPhase.REFUSED, "ACCESS", "offline"), "ACCESS", "refused",
     "Not connected"),
])
def test_level_control(vehicle, cmd, level, state, detail) -> None:
    now = NOT_CONNECTED if vehicle is OFFLINE else Circumstances()
    shown = level_control(level, vehicle, cmd, 1.0, now)
    assert (shown.state, shown.detail) == (state, detail)


@pytest.mark.parametrize(("cmd", "now_s", "now", "state", "detail"), [
    # too fast: the limit is named, and the refusal stands while the speed is over it
    (command(CommandPhase.REFUSED, "EXTENDED", "speed_too_high"), 1.0, FAST,
     "refused", "Below 45 km/h"),
    (command(CommandPhase.REFUSED, "EXTENDED", "speed_too_high"), 3.0, FAST,
     "refused", "Below 45 km/h"),
    (command(CommandPhase.REFUSED, "EXTENDED", "speed_too_high"), 3.0, SLOWED, "idle", ""),
    # seen for a moment at least, even when the cause goes at once
    (command(CommandPhase.REFUSED, "EXTENDED", "speed_too_high"), 0.5, SLOWED,
     "refused", "Below 45 km/h"),
    # no limit published: the vehicle's own words, held for the hold time
    (command(CommandPhase.REFUSED, "EXTENDED", "speed_too_high"), 3.0, Circumstances(),
     "refused", "Slow down first"),
    (command(CommandPhase.REFUSED, "EXTENDED", "speed_too_high"), REFUSED_HOLD_S, FAST,
     "idle", ""),
    # charging: stands while the cable is in, clears when it is out
    (command(CommandPhase.REFUSED, "EXTENDED", "vehicle_charging"), 3.0, PLUGGED,
     "refused", "Unplug charger first"),
    (command(CommandPhase.REFUSED, "EXTENDED", "vehicle_charging"), 3.0, UNPLUGGED, "idle", ""),
    # not ready: stands while the vehicle is not ready, whatever the cable
    (command(CommandPhase.REFUSED, "EXTENDED", "not_ready"), 3.0,
     Circumstances(availability="NOT_READY"), "refused", "Vehicle not ready"),
    (command(CommandPhase.REFUSED, "EXTENDED", "not_ready"), 3.0, UNPLUGGED, "idle", ""),
])
def test_a_refusal_names_its_limit_and_clears_with_its_cause(cmd, now_s, now, state,
                                                             detail) -> None:
    shown = level_control("EXTENDED", AT_NORMAL, cmd, now_s, now)
    assert (shown.state, shown.detail) == (state, detail)
    assert ride_status(AT_NORMAL, cmd, now_s, now).state == ("refused" if state == "refused"
                                                             else "reached")


def test_each_level_has_the_speed_limit_its_refusal_is_about() -> None:
    assert {level: speed_limit_signal(level) for level in
            ("ACCESS", "NORMAL", "OFF_ROAD", "EXTENDED")} == {
        "ACCESS": "Vehicle.Ema.Chassis.RideHeight.SpeedLimit.Access", "NORMAL": None,
        "OFF_ROAD": "Vehicle.Ema.Chassis.RideHeight.SpeedLimit.Raised",
        "EXTENDED": "Vehicle.Ema.Chassis.RideHeight.SpeedLimit.Raised"}


def test_a_refusal_is_held_then_the_vehicle_decides() -> None:
    refused = command(CommandPhase.REFUSED, "EXTENDED", "speed_too_high")
    assert level_control("EXTENDED", AT_NORMAL, refused, 60.0).state == "idle"


def test_status_names_the_target_while_moving_and_the_level_once_there() -> None:
    assert ride_status(LAGGING, command(CommandPhase.ACCEPTED), 1.0).text == "Rising to Off-road"
    assert ride_status(RISING, None, 1.0).text == "Rising to Off-road"
    status = ride_status(RideHeightState("OFF_ROAD", 0.28, 0.28), None, 1.0)
    assert (status.text, status.state, status.target) == ("Off-road", "reached", "OFF_ROAD")


def test_status_of_a_refusal_keeps_the_real_level_and_the_reason() -> None:
    status = ride_status(AT_NORMAL, command(CommandPhase.REFUSED, "EXTENDED",
                                            "speed_too_high"), 1.0)
    assert (status.state, status.key, status.requested, status.target, status.text) == (
        "refused", "speed_too_high", "EXTENDED", "NORMAL", "Normal")


@pytest.mark.parametrize(("ready", "charging", "availability"), [
    (False, "DISCONNECTED", "NOT_READY"), (False, "CHARGING", "NOT_READY"),
    (True, "CONNECTED", "VEHICLE_CHARGING"), (True, "DISCONNECTED", "AVAILABLE"),
    (None, "DISCONNECTED", None), (True, None, None),
])
def test_a_ride_height_refusal_is_judged_by_readiness_then_the_cable(ready, charging,
                                                                     availability) -> None:
    """The vehicle's own order of rules (not ready, then charging): a not-ready refusal must
    not clear because the cable is out, nor a charging one while not ready."""
    table = SignalTable(load_catalogue())
    samples = {}
    if ready is not None:
        samples["Vehicle.Ema.Powertrain.IsReady"] = Sample(ready, 0.0, 0, "drive")
    if charging is not None:
        samples["Vehicle.Ema.Charging.State"] = Sample(charging, 0.0, 0, "charging")
    table.apply(samples)
    table.refresh(0.1)
    assert TerrainModel._ride_availability(table) == availability
