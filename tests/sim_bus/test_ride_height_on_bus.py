"""`set_ride_height` end to end through a real Mosquitto with the real simulator: accepted, the
terrain frame's level, target and height move, completed once settled; refusals arrive with
the protocol's reason codes (the model's `program_requires_height` as `not_allowed_in_program`,
vehicle_sim/simulated.py), and the level stays where it was."""

from __future__ import annotations

import pytest

from protocols import ResultStatus
from tests.sim_bus.conftest import CRUISING, PARKED, RunningSim, _scenario
from vehicle_sim.clock import ManualClock

LEVEL = "Vehicle.Ema.Chassis.RideHeight.Level"
TARGET = "Vehicle.Ema.Chassis.RideHeight.Target"
ACTUAL = "Vehicle.Ema.Chassis.RideHeight.Actual"
SPEED = "Vehicle.Speed"
CHARGING = "Vehicle.Ema.Charging.State"


@pytest.fixture
def sim_in(mosquitto, vehicle_id, tmp_path):
    """A stepped sim of a variant of the parked scenario (`replace`: old -> new)."""
    started: list[RunningSim] = []

    def start(text: str, stepped: bool = True, speed: float = 1.0) -> RunningSim:
        sim = RunningSim(mosquitto.url, vehicle_id, _scenario(tmp_path, text), speed=speed,
                         clock=ManualClock() if stepped else None).start()
        started.append(sim)
        return sim

    yield start
    for sim in started:
        sim.stop()


def test_raise_to_off_road_moves_the_target_then_completes(stepped_sim, cockpit) -> None:
    cockpit.wait_for(lambda c: c.values.get(LEVEL) == "NORMAL")
    command = cockpit.send("set_ride_height", level="OFF_ROAD")
    stepped_sim.answer(cockpit, command.rid, ResultStatus.ACCEPTED)
    stepped_sim.step_until(cockpit, lambda c: c.values.get(LEVEL) == "OFF_ROAD"
                           and (c.values.get(ACTUAL) or 0) < (c.values.get(TARGET) or 0) - 0.005)
    assert cockpit.values[TARGET] == pytest.approx(0.28, abs=0.002)
    stepped_sim.answer(cockpit, command.rid, ResultStatus.COMPLETED, max_s=10)
    stepped_sim.step_until(cockpit, lambda c: abs((c.values.get(ACTUAL) or 0) - 0.28) < 0.002)


@pytest.mark.parametrize(("variant", "level", "reason"), [
    ((PARKED.replace('program = "COMFORT"', 'program = "MUD_RUTS"'),), "ACCESS",
     "not_allowed_in_program"),
    ((PARKED.replace("ready = true", "ready = false"),), "OFF_ROAD", "not_ready"),
    ((PARKED.replace('surface = "GRAVEL"', 'surface = "GRAVEL"\nevents = [{ type = '
                     '"charger_connect", charger = "AC", at_s = 0 }]'),), "OFF_ROAD",
     "vehicle_charging"),
], ids=["program_requires_height", "not_ready", "vehicle_charging"])
def test_refusal_arrives_with_the_protocol_reason(sim_in, cockpit, variant, level,
                                                  reason) -> None:
    sim = sim_in(variant[0])
    sim.step_until(cockpit, lambda c: c.values.get(LEVEL) is not None
                   and c.values.get(CHARGING) is not None)
    if reason == "vehicle_charging":
        sim.step_until(cockpit, lambda c: c.values.get(CHARGING) != "DISCONNECTED")
    before = cockpit.values[LEVEL]
    command = cockpit.send("set_ride_height", level=level)
    sim.answer(cockpit, command.rid, ResultStatus.REJECTED)
    result = cockpit.result_for(command.rid, ResultStatus.REJECTED)
    assert result.reason == reason and result.text
    sim.barrier(cockpit)
    assert cockpit.values[LEVEL] == before


def test_extended_refused_above_the_speed_limit(sim_in, cockpit) -> None:
    sim = sim_in(CRUISING, stepped=False, speed=5.0)
    cockpit.wait_for(lambda c: (c.values.get(SPEED) or 0) > 50 / 3.6, timeout_s=15)
    command = cockpit.send("set_ride_height", level="EXTENDED")
    result = cockpit.result_for(command.rid)
    assert (result.status, result.reason) == (ResultStatus.REJECTED, "speed_too_high")
    assert "45 km/h" in result.text   # the vehicle's own wording names its limit
    cockpit.wait_for(lambda c: c.frames_seen.get("terrain", 0) > 3)
    assert cockpit.values[LEVEL] == "NORMAL"
    assert sim is not None
