"""The ride-height controls' rules as a table (hmi/ride_height.py): pending, moving toward
the named target, reached, refused with the reason, unavailable while not live."""

from __future__ import annotations

import pytest

from hmi.commands import CommandPhase, TrackedCommand
from hmi.ride_height import RideHeightState, level_control, ride_status

AT_NORMAL = RideHeightState("NORMAL", 0.22, 0.22)
RISING = RideHeightState("OFF_ROAD", 0.28, 0.25)
LAGGING = AT_NORMAL   # accepted, but the frame still shows the old level
OFFLINE = RideHeightState(None, None, None)


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
    shown = level_control(level, vehicle, cmd, 1.0)
    assert (shown.state, shown.detail) == (state, detail)


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
