"""Ride height by touch: a tap on a level sends `set_ride_height`, and the control follows it
through the real link and a real Mosquitto (a fake vehicle answers): pending, moving with the
target named and the gauge's marker at the target's height, reached; a refusal shows the
vehicle's reason and the real level stays lit; silence ends in "No response"; offline, nothing
claims to know. The same story is in the display report (`ride_height`)."""

from __future__ import annotations

import pytest

from hmi.widgets import LevelBar, RideHeightButton
from protocols import ResultStatus
from tests.hmi.conftest import advance_until, find, publish_all, tap
from tests.hmi.test_gui_terrain import received_command
from tests.support.sample_vehicle import typical

LEVEL = "Vehicle.Ema.Chassis.RideHeight.Level"
TARGET = "Vehicle.Ema.Chassis.RideHeight.Target"
ACTUAL = "Vehicle.Ema.Chassis.RideHeight.Actual"
SPEED = "Vehicle.Speed"


def button(hmi, level: str) -> RideHeightButton:
    screen = hmi.screen("terrain")
    return [b for b in find(screen, lambda w: isinstance(w, RideHeightButton))
            if b.control.level == level][0]


def gauge(hmi) -> LevelBar:
    screen = hmi.screen("terrain")
    terrain = hmi.models.terrain
    return [bar for bar in find(screen, lambda w: isinstance(w, LevelBar))
            if bar.fraction == terrain.ride_actual_fraction and bar.marker >= 0
            and bar.marker == terrain.ride_target_fraction][0]


@pytest.fixture
def at_normal(hmi, vehicle):
    values = typical()
    values["drive"][SPEED] = 2.8
    values["terrain"].update({LEVEL: "NORMAL", TARGET: 0.22, ACTUAL: 0.22})
    publish_all(vehicle, values)
    hmi.wait(lambda: hmi.models.terrain.ride.level["NORMAL"].state == "reached",
             what="Normal reached")
    return hmi, vehicle


def test_there_is_one_touch_sized_control_per_catalogue_level(at_normal) -> None:
    hmi, _ = at_normal
    screen = hmi.screen("terrain")
    buttons = find(screen, lambda w: isinstance(w, RideHeightButton))
    assert [b.control.level for b in buttons] == ["ACCESS", "NORMAL", "OFF_ROAD",
                                                            "EXTENDED"]
    assert [b.control.label for b in buttons] == ["Access", "Normal", "Off-road",
                                                            "Extended"]
    assert min(min(b.size) for b in buttons) >= hmi.hmi.metrics.touch - 1


def test_tap_sends_the_request_and_shows_pending_at_once(at_normal) -> None:
    hmi, vehicle = at_normal
    off_road = button(hmi, "OFF_ROAD")
    tap(off_road)
    assert (off_road.control.state, off_road.detail_text) == ("pending", "Requested…")
    command = received_command(vehicle)
    assert (command.name, command.args) == ("set_ride_height", {"level": "OFF_ROAD"})
    assert hmi.snapshot()["ride_height"]["state"] == "pending"


def test_accepted_moves_to_the_named_target_then_reaches_it(at_normal) -> None:
    hmi, vehicle = at_normal
    terrain = hmi.models.terrain
    off_road, normal = button(hmi, "OFF_ROAD"), button(hmi, "NORMAL")
    tap(off_road)
    command = received_command(vehicle)
    vehicle.result(command, ResultStatus.ACCEPTED)
    hmi.wait(lambda: off_road.control.state == "moving", what="moving after accepted")
    # the frame may still show the old level: the control and readout already name the target
    assert normal.control.state == "idle"
    assert terrain.ride_status.text == "Rising to Off-road"
    vehicle.state("terrain", {LEVEL: "OFF_ROAD", TARGET: 0.28, ACTUAL: 0.25})
    hmi.wait(lambda: terrain.ride_target_fraction == pytest.approx((0.28 - 0.10) / 0.30),
             what="marker at the target")
    bar = gauge(hmi)
    assert bar.marker > bar.fraction   # the marker is at 280 mm, the bar at 250
    assert (off_road.detail_text, terrain.ride_status.text) == ("Rising…", "Rising to Off-road")
    report = hmi.snapshot()["ride_height"]
    assert (report["requested"], report["state"], report["target"]) == ("OFF_ROAD", "moving",
                                                                        "OFF_ROAD")
    vehicle.state("terrain", {ACTUAL: 0.28})
    vehicle.result(command, ResultStatus.COMPLETED)
    hmi.wait(lambda: off_road.control.state == "reached", what="Off-road reached")
    assert terrain.ride_status.text == "Off-road"
    assert hmi.snapshot()["ride_height"]["state"] == "reached"


def test_refusal_shows_the_reason_and_the_real_level_stays(at_normal) -> None:
    hmi, vehicle = at_normal
    vehicle.state("drive", {SPEED: 15.0})   # 54 km/h, over the raised heights' 45
    hmi.wait(lambda: hmi.models.drive.speed.text == "54", what="54 km/h")
    extended, normal = button(hmi, "EXTENDED"), button(hmi, "NORMAL")
    tap(extended)
    vehicle.result(received_command(vehicle), ResultStatus.REJECTED, "speed_too_high",
                   text="Extended height is only available below 45 km/h.")
    hmi.wait(lambda: extended.control.state == "refused", what="refused")
    assert extended.detail_text == "Below 45 km/h"   # the limit the terrain frame publishes
    assert normal.control.state == "reached"
    assert hmi.models.terrain.ride_status.text == "Normal"
    report = hmi.snapshot()["ride_height"]
    assert (report["state"], report["key"], report["target"]) == ("refused", "speed_too_high",
                                                                   "NORMAL")
    assert report["levels"]["EXTENDED"] == {"state": "refused", "detail": "Below 45 km/h",
                                            "key": "speed_too_high"}


def test_silence_ends_in_no_response(at_normal) -> None:
    hmi, vehicle = at_normal
    access = button(hmi, "ACCESS")
    tap(access)
    received_command(vehicle)
    advance_until(lambda: access.control.state == "refused",
                  hmi.hmi.commands.timeout_s + 3.0, "no response")
    assert (access.detail_text, access.control.key) == ("No response", "no_response")
    assert button(hmi, "NORMAL").control.state == "reached"


def test_offline_every_control_looks_unavailable(at_normal) -> None:
    hmi, vehicle = at_normal
    vehicle.stop_cycle()
    vehicle.status(False)
    hmi.wait(lambda: all(c.state == "unavailable" for c in hmi.models.terrain.ride_levels),
             what="unavailable while offline")
    assert {button(hmi, level).detail_text for level in ("ACCESS", "NORMAL")} == {"--"}
    assert hmi.models.terrain.ride_status.text == "--"
    assert hmi.models.terrain.ride_target_fraction < 0   # no marker claims a target
    assert hmi.snapshot()["ride_height"]["state"] == "unavailable"
