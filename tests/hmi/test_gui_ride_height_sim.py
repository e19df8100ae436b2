"""Ride height by touch against the real simulator (vehicle_sim on the real Mosquitto, its
clock at 5x): the HMI's taps meet the model's rules (vehicle_sim/model/ride_height.py) and
show what it answers: Off-road reached through moving with the target named; Extended refused
above 45 km/h with "Below 45 km/h"; Access refused in Mud & Ruts, which needs at least
Normal, as "Not in this program" (the model's `program_requires_height`)."""

from __future__ import annotations

import pytest

from hmi.widgets import RideHeightButton
from tests.hmi.conftest import find, tap
from tests.sim_bus.conftest import CRUISING, PARKED, RunningSim, _scenario

SIM_SPEED = 5.0
MUD_RUTS = PARKED.replace('program = "COMFORT"', 'program = "MUD_RUTS"')


def button(hmi, level: str) -> RideHeightButton:
    screen = hmi.screen("terrain")
    return [b for b in find(screen, lambda w: isinstance(w, RideHeightButton))
            if b.control.level == level][0]


@pytest.fixture
def sim(request, mosquitto, vehicle_id, tmp_path):
    scenario = _scenario(tmp_path, request.param)
    running = RunningSim(mosquitto.url, vehicle_id, scenario, speed=SIM_SPEED).start()
    yield running
    running.stop()


@pytest.mark.parametrize("sim", [PARKED], indirect=True)
def test_off_road_is_reached_through_moving_with_the_target_named(sim, hmi) -> None:
    terrain = hmi.models.terrain
    hmi.wait(lambda: terrain.ride.level["NORMAL"].state == "reached", 5.0, "Normal reached")
    off_road = button(hmi, "OFF_ROAD")
    tap(off_road)
    hmi.wait(lambda: off_road.control.state == "moving", 3.0, "moving")
    assert terrain.ride_status.text == "Rising to Off-road"
    assert button(hmi, "NORMAL").control.state == "idle"
    hmi.wait(lambda: terrain.ride_target_fraction == pytest.approx((0.28 - 0.10) / 0.30),
             3.0, "the marker at Off-road's 280 mm")
    hmi.wait(lambda: off_road.control.state == "reached", 5.0, "Off-road reached")
    assert terrain.ride_status.text == "Off-road"
    assert hmi.snapshot()["readouts"]["terrain.ride_level"]["key"] == "OFF_ROAD"


@pytest.mark.parametrize("sim", [CRUISING], indirect=True)
def test_extended_is_refused_above_the_speed_limit(sim, hmi) -> None:
    hmi.wait(lambda: (hmi.models.drive.speed.value or 0) > 50 / 3.6, 10.0, "above 50 km/h")
    extended = button(hmi, "EXTENDED")
    tap(extended)
    hmi.wait(lambda: extended.control.state == "refused", 3.0, "refused")
    assert (extended.detail_text, extended.control.key) == ("Below 45 km/h", "speed_too_high")
    assert button(hmi, "NORMAL").control.state == "reached"


@pytest.mark.parametrize("sim", [MUD_RUTS], indirect=True)
def test_access_is_refused_where_the_program_needs_more_height(sim, hmi) -> None:
    hmi.wait(lambda: hmi.models.terrain.ride_status.available, 5.0, "ride height shown")
    access = button(hmi, "ACCESS")
    tap(access)
    hmi.wait(lambda: access.control.state == "refused", 3.0, "refused")
    assert (access.detail_text, access.control.key) == ("Not in this program",
                                                        "not_allowed_in_program")
