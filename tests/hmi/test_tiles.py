"""Terrain tile and locker button states, as a table."""

from __future__ import annotations

import pytest

from hmi.commands import CommandPhase, TrackedCommand
from hmi.tiles import REFUSED_HOLD_S, Circumstances, TileState, locker_state, terrain_tile


def command(program: str, phase: CommandPhase, reason: str | None = None,
            changed_s: float = 0.0) -> TrackedCommand:
    return TrackedCommand("rid", "set_terrain_program", {"program": program}, 0.0, phase,
                          reason, changed_s)


@pytest.mark.parametrize("program, active, requested, change, available, cmd, state", [
    ("SAND", "COMFORT", "COMFORT", "ACTIVE", True, None, "idle"),
    ("COMFORT", "COMFORT", "COMFORT", "ACTIVE", True, None, "active"),
    ("SAND", "COMFORT", "SAND", "REQUESTED", True, None, "requested"),
    ("SAND", "COMFORT", "SAND", "ENGAGING", True, None, "engaging"),
    ("SAND", "COMFORT", "SAND", "REFUSED", True, None, "refused"),
    ("WADE", "COMFORT", "COMFORT", "ACTIVE", False, None, "unavailable"),
    ("SAND", "COMFORT", "COMFORT", "ACTIVE", True, command("SAND", CommandPhase.PENDING),
     "requested"),
    ("SAND", "COMFORT", "COMFORT", "ACTIVE", True, command("SAND", CommandPhase.ACCEPTED),
     "engaging"),
    ("SAND", "SAND", "SAND", "ACTIVE", True, command("SAND", CommandPhase.COMPLETED), "active"),
    ("SAND", "COMFORT", "COMFORT", "ACTIVE", True,
     command("SAND", CommandPhase.REFUSED, "speed_too_high"), "refused"),
    ("COMFORT", "COMFORT", "COMFORT", "ACTIVE", True, command("SAND", CommandPhase.PENDING),
     "active"),
    ("SAND", None, None, None, None, None, "unavailable"),  # terrain frame not live
    ("SAND", None, None, None, True, None, "unavailable"),  # program state not live
    ("SAND", "COMFORT", "COMFORT", "ACTIVE", None, None, "unavailable"),  # availability not
])
def test_tile_state(program, active, requested, change, available, cmd, state) -> None:
    assert terrain_tile(program, active, requested, change, available, cmd, 1.0).state == state


def test_a_tile_that_cannot_tell_says_so() -> None:
    assert terrain_tile("SAND", None, None, None, None, None, 0.0) == TileState("unavailable", "--")


def test_refusal_shows_the_reason() -> None:
    tile = terrain_tile("SAND", "COMFORT", "COMFORT", "ACTIVE", True,
                        command("SAND", CommandPhase.REFUSED, "speed_too_high"), 1.0)
    assert (tile.detail, tile.key) == ("Slow down first", "speed_too_high")


def test_refusal_clears_after_its_hold_time() -> None:
    tile = terrain_tile("SAND", "COMFORT", "COMFORT", "ACTIVE", True,
                        command("SAND", CommandPhase.REFUSED, "speed_too_high"),
                        REFUSED_HOLD_S + 0.1)
    assert tile.state == "idle"


@pytest.mark.parametrize("requested, engagement, state, detail", [
    (False, 0.0, "idle", "Unlocked"),
    (True, 40.0, "engaging", "Locking 40 %"),
    (True, 100.0, "active", "Locked"),
    (False, 60.0, "engaging", "Unlocking"),
    (None, None, "unavailable", "--"),
])
def test_locker_state(requested, engagement, state, detail) -> None:
    assert locker_state(requested, engagement, None, 0.0) == TileState(state, detail)


def test_a_refused_locker_names_the_reason_code_and_nothing_else_does() -> None:
    refused = TrackedCommand("rid", "set_axle_locker", {"axle": "REAR", "engaged": True}, 0.0,
                             CommandPhase.REFUSED, "vehicle_moving", 0.0)
    assert locker_state(False, 0.0, refused, 1.0) == TileState(
        "refused", "Stop the vehicle first", "vehicle_moving")
    assert locker_state(False, 0.0, refused, REFUSED_HOLD_S + 0.1).key is None
    assert terrain_tile("SAND", "SAND", "SAND", "ACTIVE", True, None, 0.0).key is None


def refused(reason: str, changed_s: float = 0.0) -> TrackedCommand:
    return command("ROCK_CRAWL", CommandPhase.REFUSED, reason, changed_s)


FAST = Circumstances(speed_mps=15.0, limit_mps=30 / 3.6, limit_text="30 km/h",
                     availability="SPEED_TOO_HIGH")
SLOW = Circumstances(speed_mps=5.0, limit_mps=30 / 3.6, limit_text="30 km/h",
                     availability="AVAILABLE")


@pytest.mark.parametrize("reason, now, age, state", [
    ("speed_too_high", FAST, 2.0, "refused"),        # still too fast: the refusal stands
    ("speed_too_high", SLOW, 2.0, "idle"),           # slowed down: gone, before its hold time
    ("speed_too_high", SLOW, 0.5, "refused"),        # but seen for a moment first
    ("vehicle_charging", Circumstances(availability="VEHICLE_CHARGING"), 2.0, "refused"),
    ("vehicle_charging", Circumstances(availability="AVAILABLE"), 2.0, "idle"),
    ("offline", Circumstances(connected=False, availability="AVAILABLE"), 2.0, "refused"),
    ("offline", Circumstances(connected=True, availability="AVAILABLE"), 2.0, "idle"),
    ("not_available", Circumstances(availability="AVAILABLE"), 2.0, "refused"),  # can't tell
])
def test_a_refusal_stays_while_its_cause_does(reason, now, age, state) -> None:
    tile = terrain_tile("ROCK_CRAWL", "COMFORT", "COMFORT", "ACTIVE", now.availability,
                        refused(reason), age, now)
    assert tile.state == state


def test_a_speed_refusal_and_an_unavailable_tile_name_the_limit() -> None:
    tile = terrain_tile("ROCK_CRAWL", "COMFORT", "COMFORT", "ACTIVE", "SPEED_TOO_HIGH",
                        refused("speed_too_high"), 0.5, FAST)
    assert (tile.state, tile.detail, tile.key) == ("refused", "Below 30 km/h", "speed_too_high")
    assert terrain_tile("ROCK_CRAWL", "COMFORT", "COMFORT", "ACTIVE", "SPEED_TOO_HIGH", None,
                        0.0, FAST) == TileState("unavailable", "Below 30 km/h")
    assert terrain_tile("ROCK_CRAWL", "COMFORT", "COMFORT", "ACTIVE", "VEHICLE_CHARGING", None,
                        0.0) == TileState("unavailable", "While charging")


def test_a_locker_refusal_in_one_program_clears_in_another() -> None:
    locker = TrackedCommand("rid", "set_axle_locker", {"axle": "FRONT", "engaged": True}, 0.0,
                            CommandPhase.REFUSED, "not_allowed_in_program", 0.0)
    assert locker_state(False, 0.0, locker, 2.0).state == "refused"
    assert locker_state(False, 0.0, locker, 2.0,
                        Circumstances(program_changed=True)).state == "idle"


def test_a_locker_speed_refusal_names_the_limit_and_clears_below_it() -> None:
    locker = TrackedCommand("rid", "set_axle_locker", {"axle": "REAR", "engaged": True}, 0.0,
                            CommandPhase.REFUSED, "speed_too_high", 0.0)
    fast = Circumstances(speed_mps=13.0, limit_mps=40 / 3.6, limit_text="40 km/h")
    slowed = Circumstances(speed_mps=10.0, limit_mps=40 / 3.6, limit_text="40 km/h")
    assert locker_state(False, 0.0, locker, 2.0, fast) == TileState(
        "refused", "Below 40 km/h", "speed_too_high")
    assert locker_state(False, 0.0, locker, 2.0, slowed) == TileState("idle", "Unlocked")
    # no limit published: the vehicle's own words, for the hold time
    assert locker_state(False, 0.0, locker, 2.0).detail == "Slow down first"
