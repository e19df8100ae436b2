"""One truth per control, through the real link (Mosquitto) and a headless Kivy window.

What a control shows is sampled after every frame: after a tap it must read pending, then done
or refused, never the old value in between; while the vehicle is offline its controls look
unavailable and a tap says "Not connected" in the frame of the tap; a refusal names its limit
and clears when its cause does.
"""

from __future__ import annotations

import queue
import time
from collections.abc import Callable
from typing import Any

import pytest

from hmi.widgets import TerrainTileButton
from protocols import ResultStatus
from tests.hmi.conftest import advance_frames, find, publish_all, tap
from tests.support.sample_vehicle import charging_session, typical

LIMIT = "Vehicle.Powertrain.TractionBattery.Charging.ChargeLimit"
ACTIVE = "Vehicle.Ema.TerrainResponse.Program.Active"
REQUESTED = "Vehicle.Ema.TerrainResponse.Program.Requested"
CHANGE = "Vehicle.Ema.TerrainResponse.Program.ChangeState"
SPEED = "Vehicle.Speed"
READY = "Vehicle.Ema.Powertrain.IsReady"
ROCK_AVAILABLE = "Vehicle.Ema.TerrainResponse.Availability.RockCrawl"
ROCK_LIMIT = "Vehicle.Ema.TerrainResponse.SpeedLimit.RockCrawl"
ROCK_LIMIT_MPS = 30 / 3.6


def tile_button(hmi: Any, program: str) -> TerrainTileButton:
    screen = hmi.screen("terrain")
    return [t for t in find(screen, lambda w: isinstance(w, TerrainTileButton))
            if t.tile.program == program][0]


def record(probe: Callable[[], Any], until: Callable[[Any], bool] | None,
           timeout_s: float = 3.0, seen: list[Any] | None = None) -> list[Any]:
    """What `probe` read after each frame, changes only, until `until(value)` holds (None:
    for `timeout_s`, to see that nothing else shows meanwhile)."""
    seen = [] if seen is None else seen
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        advance_frames(1)
        value = probe()
        if not seen or seen[-1] != value:
            seen.append(value)
        if until is not None and until(value):
            return seen
    if until is None:
        return seen
    raise AssertionError(f"never reached the end state; seen {seen}")


def next_command(vehicle: Any) -> Any:
    got: list[Any] = []

    def arrived() -> bool:
        try:
            got.append(vehicle.commands.get_nowait())
        except queue.Empty:
            return False
        return True

    for _ in range(600):
        advance_frames(1)
        if arrived():
            return got[0]
    raise AssertionError("no command on the bus")


def no_command_for(vehicle: Any, frames: int = 30) -> bool:
    advance_frames(frames)
    return vehicle.commands.empty()


# --- item 3: one truth per control ------------------------------------------------------------
def test_charge_limit_reads_pending_then_done_never_the_old_value(hmi, vehicle) -> None:
    """The vehicle's answer comes before the frame that carries the new limit (and an older
    frame may still arrive after it): the control stays pending until the frame agrees."""
    values = charging_session()
    publish_all(vehicle, values)
    screen = hmi.screen("charging")
    hmi.wait(lambda: screen.ids.limit_value.text == "80 %", what="limit shown")
    model = hmi.models.charging

    def shown() -> tuple[str, str, str]:
        return (screen.ids.limit_value.text, model.limit_state, model.limit_tone)

    tap(screen.ids.limit_up)
    seen = [shown()]
    command = next_command(vehicle)
    vehicle.stop_cycle()                     # the frames go on only as the test says
    vehicle.result(command, ResultStatus.ACCEPTED)
    vehicle.result(command, ResultStatus.COMPLETED)
    record(shown, None, timeout_s=0.4, seen=seen)
    vehicle.state("charging", {**values["charging"], LIMIT: 80})   # an older frame, late
    record(shown, None, timeout_s=0.4, seen=seen)
    vehicle.state("charging", {**values["charging"], LIMIT: 85})
    record(shown, lambda s: s[1] == "completed", seen=seen)
    assert seen == [("85 %", "pending", "accent"), ("85 %", "completed", "text")], seen
    assert model.limit_status_text == "Limit set to 85 %"


def test_panel_names_the_program_being_engaged(hmi, vehicle) -> None:
    values = typical()
    values["terrain"].update({ACTIVE: "COMFORT", REQUESTED: "COMFORT", CHANGE: "ACTIVE"})
    publish_all(vehicle, values)
    screen = hmi.screen("terrain")
    terrain = hmi.models.terrain
    hmi.wait(lambda: terrain.tile["COMFORT"].state == "active", what="Comfort active")
    vehicle.state("terrain", {**values["terrain"], REQUESTED: "ROCK_CRAWL", CHANGE: "ENGAGING"})
    hmi.wait(lambda: terrain.tile["ROCK_CRAWL"].state == "engaging", what="engaging")
    name = screen.ids.program_name
    assert (name.text, name.tone) == ("Rock Crawl", "accent")
    assert terrain.program_detail.text == "Engaging…"
    # what the program being engaged does, not what the one it leaves did
    assert terrain.effect_ride.text == "Extended"
    vehicle.state("terrain", {**values["terrain"], ACTIVE: "ROCK_CRAWL",
                              REQUESTED: "ROCK_CRAWL", CHANGE: "ACTIVE"})
    hmi.wait(lambda: terrain.tile["ROCK_CRAWL"].state == "active", what="Rock Crawl active")
    assert (name.text, name.tone) == ("Rock Crawl", "text")


# --- item 4: offline means offline ------------------------------------------------------------
def test_offline_controls_look_unavailable_and_a_tap_says_not_connected(hmi, vehicle) -> None:
    publish_all(vehicle)
    terrain = hmi.models.terrain
    hmi.wait(lambda: terrain.tile["MUD_RUTS"].state == "active", what="initial state")
    vehicle.status(False)
    hmi.wait(lambda: hmi.models.link.banner_visible, what="offline banner")
    tiles = {p: tile.state for p, tile in terrain.tile.items()}
    assert set(tiles.values()) == {"unavailable"}, tiles
    assert {c.state for c in terrain.lockers.values()} == {"unavailable"}
    assert {c.state for c in terrain.ride_levels} == {"unavailable"}
    button = tile_button(hmi, "SAND")
    tap(button)   # touch down, a frame, touch up, a frame: what the driver sees next
    assert (button.tile.state, button.detail_text) == ("refused", "Not connected")
    assert hmi.snapshot()["terrain_tiles"]["SAND"]["key"] == "offline"
    hmi.hmi.tap("locker.FRONT")
    hmi.hmi.tap("ride.OFF_ROAD")
    advance_frames(1)
    assert (terrain.locker_front.state, terrain.locker_front.detail) == (
        "refused", "Not connected")
    assert terrain.ride.level["OFF_ROAD"].state == "refused"
    assert no_command_for(vehicle), "a command went out to an offline vehicle"


# --- item 5: refusals that help -----------------------------------------------------------------
@pytest.fixture
def fast_in_comfort(hmi, vehicle):
    values = typical()
    values["drive"][SPEED] = 15.0
    values["terrain"].update({ACTIVE: "COMFORT", REQUESTED: "COMFORT", CHANGE: "ACTIVE",
                              ROCK_AVAILABLE: "SPEED_TOO_HIGH", ROCK_LIMIT: ROCK_LIMIT_MPS})
    publish_all(vehicle, values)
    hmi.wait(lambda: hmi.models.terrain.tile["COMFORT"].state == "active", what="Comfort")
    return values


def test_unavailable_tile_names_the_limit_and_the_screen_shows_speed(hmi, vehicle,
                                                                     fast_in_comfort) -> None:
    hmi.screen("terrain")
    rock = hmi.models.terrain.tile["ROCK_CRAWL"]
    hmi.wait(lambda: rock.detail == "Below 30 km/h", what="the limit on the tile")
    assert rock.state == "unavailable"
    speed = hmi.snapshot()["readouts"]["terrain.speed"]
    assert (speed["text"], speed["unit"], speed["screen"]) == ("54", "km/h", "terrain")


def test_refusal_names_the_limit_and_clears_when_speed_drops(hmi, vehicle,
                                                             fast_in_comfort) -> None:
    values = fast_in_comfort
    button = tile_button(hmi, "ROCK_CRAWL")
    tap(button)
    vehicle.result(next_command(vehicle), ResultStatus.REJECTED, "speed_too_high")
    hmi.wait(lambda: button.tile.state == "refused", what="refused")
    assert button.detail_text == "Below 30 km/h"
    vehicle.state("drive", {**values["drive"], SPEED: 5.0})
    vehicle.state("terrain", {**values["terrain"], ROCK_AVAILABLE: "AVAILABLE"})
    seen = record(lambda: button.tile.state, lambda s: s == "idle", timeout_s=3.0)
    assert seen[-1] == "idle"


@pytest.mark.parametrize(("target", "limit"), [("locker.REAR", "40 km/h"),
                                                ("ride.EXTENDED", "45 km/h")])
def test_a_locker_or_ride_height_refusal_names_its_limit_and_clears_below_it(
        hmi, vehicle, fast_in_comfort, target, limit) -> None:
    """The lockers' and the raised heights' own limits (terrain frame), as the tiles'."""
    values = fast_in_comfort
    terrain = hmi.models.terrain
    control = terrain.locker_rear if target.startswith("locker") else terrain.ride.level[
        "EXTENDED"]
    hmi.hmi.tap(target)
    vehicle.result(next_command(vehicle), ResultStatus.REJECTED, "speed_too_high")
    hmi.wait(lambda: control.state == "refused", what="refused")
    assert control.detail == f"Below {limit}"
    vehicle.state("drive", {**values["drive"], SPEED: 8.0})   # 29 km/h
    seen = record(lambda: control.state, lambda s: s != "refused", timeout_s=3.0)
    assert seen[-1] != "refused"


@pytest.mark.parametrize(("reason", "detail", "cleared"), [
    ("vehicle_charging", "Unplug charger first",
     {"charging": {"Vehicle.Ema.Charging.State": "DISCONNECTED"}}),
    ("not_ready", "Vehicle not ready", {"drive": {READY: True}}),
])
def test_a_ride_height_refusal_clears_when_the_car_can_move_again(hmi, vehicle, reason,
                                                                  detail, cleared) -> None:
    """Plugged in (or not ready), Extended is refused; unplugged (ready), the refusal goes."""
    values = charging_session()
    values["drive"][READY] = reason != "not_ready"
    if reason == "not_ready":
        values["charging"]["Vehicle.Ema.Charging.State"] = "DISCONNECTED"
    publish_all(vehicle, values)
    control = hmi.models.terrain.ride.level["EXTENDED"]
    hmi.wait(lambda: control.state != "unavailable", what="the ride height live")
    hmi.hmi.tap("ride.EXTENDED")
    vehicle.result(next_command(vehicle), ResultStatus.REJECTED, reason)
    hmi.wait(lambda: control.state == "refused", what="refused")
    assert control.detail == detail
    for frame, change in cleared.items():
        vehicle.state(frame, {**values[frame], **change})
    seen = record(lambda: control.state, lambda s: s != "refused", timeout_s=3.0)
    assert seen[-1] != "refused"


def test_untapped_tile_says_why_it_is_unavailable(hmi, vehicle) -> None:
    values = charging_session()
    values["terrain"][ROCK_AVAILABLE] = "VEHICLE_CHARGING"
    publish_all(vehicle, values)
    rock = hmi.models.terrain.tile["ROCK_CRAWL"]
    hmi.wait(lambda: rock.state == "unavailable" and rock.detail == "While charging",
             what="the tile's reason")


def test_locker_refusal_clears_when_the_program_changes(hmi, vehicle) -> None:
    values = typical()
    values["terrain"].update({ACTIVE: "COMFORT", REQUESTED: "COMFORT", CHANGE: "ACTIVE"})
    publish_all(vehicle, values)
    terrain = hmi.models.terrain
    hmi.wait(lambda: terrain.tile["COMFORT"].state == "active", what="Comfort")
    hmi.hmi.tap("locker.FRONT")
    vehicle.result(next_command(vehicle), ResultStatus.REJECTED, "not_allowed_in_program")
    hmi.wait(lambda: terrain.locker_front.state == "refused", what="locker refused")
    assert terrain.locker_front.detail == "Not in this program"
    vehicle.state("terrain", {**values["terrain"], ACTIVE: "MUD_RUTS", REQUESTED: "MUD_RUTS"})
    seen = record(lambda: terrain.locker_front.state, lambda s: s != "refused",
                  timeout_s=3.0)
    assert seen[-1] != "refused"
