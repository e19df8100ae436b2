"""Tapping a terrain tile publishes the command and the tile follows it to its end."""

from __future__ import annotations

import queue
import time

import pytest

from hmi.widgets import LockerButton, TerrainTileButton
from protocols import ResultStatus
from tests.hmi.conftest import advance_frames, advance_until, find, publish_all, tap

ACTIVE = "Vehicle.Ema.TerrainResponse.Program.Active"
REQUESTED = "Vehicle.Ema.TerrainResponse.Program.Requested"
CHANGE = "Vehicle.Ema.TerrainResponse.Program.ChangeState"


def tile_button(hmi, program: str) -> TerrainTileButton:
    screen = hmi.screen("terrain")
    return [t for t in find(screen, lambda w: isinstance(w, TerrainTileButton))
            if t.tile.program == program][0]


def received_command(vehicle):
    """The next command the fake vehicle got, while the HMI keeps rendering frames."""
    got = []

    def arrived():
        try:
            got.append(vehicle.commands.get_nowait())
        except queue.Empty:
            return False
        return True

    advance_until(arrived, 3.0, "a command on the bus")
    return got[0]


@pytest.fixture
def terrain(hmi, vehicle):
    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.terrain.tile["MUD_RUTS"].state == "active", what="initial state")
    return hmi, vehicle


def test_tap_publishes_the_program_command(terrain) -> None:
    hmi, vehicle = terrain
    tap(tile_button(hmi, "SAND"))
    command = received_command(vehicle)
    assert (command.name, command.args) == ("set_terrain_program", {"program": "SAND"})


def test_tap_shows_requested_before_any_answer(terrain) -> None:
    hmi, vehicle = terrain
    button = tile_button(hmi, "SAND")
    tap(button)
    assert (button.tile.state, button.detail_text) == ("requested", "Requested…")


def test_accepted_then_active_lights_the_tile(terrain) -> None:
    hmi, vehicle = terrain
    button = tile_button(hmi, "SAND")
    tap(button)
    command = received_command(vehicle)
    vehicle.result(command, ResultStatus.ACCEPTED)
    hmi.wait(lambda: button.tile.state == "engaging", what="engaging after accepted")
    vehicle.state("terrain", {ACTIVE: "SAND", REQUESTED: "SAND", CHANGE: "ACTIVE"})
    vehicle.result(command, ResultStatus.COMPLETED)
    hmi.wait(lambda: button.tile.state == "active", what="Sand active")
    assert tile_button(hmi, "MUD_RUTS").tile.state == "idle"


def test_rejection_shows_refused_with_the_reason(terrain) -> None:
    hmi, vehicle = terrain
    button = tile_button(hmi, "ROCK_CRAWL")
    tap(button)
    vehicle.result(received_command(vehicle), ResultStatus.REJECTED, "speed_too_high")
    hmi.wait(lambda: button.tile.state == "refused", what="refused")
    assert button.detail_text == "Below 30 km/h"   # the vehicle's limit, in the driver's units
    # the report names the reason in a word of the protocol, beside the text shown
    assert hmi.snapshot()["terrain_tiles"]["ROCK_CRAWL"] == {
        "state": "refused", "detail": "Below 30 km/h", "key": "speed_too_high"}


def test_result_shows_within_one_frame_of_arrival(terrain) -> None:
    hmi, vehicle = terrain
    button = tile_button(hmi, "SAND")
    tap(button)
    command = received_command(vehicle)
    store = hmi.hmi.store
    vehicle.result(command, ResultStatus.REJECTED, "not_available")
    deadline = time.monotonic() + 3.0
    while store.pending_events == 0 and time.monotonic() < deadline:
        time.sleep(0.001)  # the link thread stores it; no frame runs meanwhile
    assert button.tile.state == "requested"
    advance_frames(1)
    assert button.tile.state == "refused"


def test_locker_tap_publishes_the_locker_command(terrain) -> None:
    hmi, vehicle = terrain
    screen = hmi.screen("terrain")
    front = screen.ids.locker_front
    assert isinstance(front, LockerButton)
    tap(front)
    command = received_command(vehicle)
    assert (command.name, command.args) == ("set_axle_locker", {"axle": "FRONT", "engaged": True})
