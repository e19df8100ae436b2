"""The configuration frame on a real broker: retained, and sent at once after a refit.

The frame's heartbeat is 5 s (0.2 Hz); after sim_set_configuration the node brings it forward,
so the new car arrives within a tick or two of simulated time (ManualClock, no sleeps)."""

from __future__ import annotations

import subprocess
import sys

from protocols import ResultStatus
from tests.support.cockpit import CockpitProbe
from vehicle_sim.model import load_configuration, rating_specs
from vehicle_sim.ratings import SHARED

WHEELS = "Vehicle.Ema.Chassis.WheelPackage"
RACK = "Vehicle.Ema.Body.RoofRack"
JUMP_SEAT = "Vehicle.Ema.Cabin.JumpSeat.IsFitted"
RATED = "Vehicle.Ema.Configuration.RatedRange"
HEARTBEAT_S = 5.0


def test_a_refit_sends_the_configuration_frame_at_once(stepped_sim, cockpit, mosquitto,
                                                       vehicle_id):
    sim = stepped_sim
    sim.step_until(cockpit, lambda c: c.values.get(WHEELS) == "STANDARD_20", max_s=1.0)
    assert cockpit.values[JUMP_SEAT] is True
    default_range = cockpit.values[RATED]
    # The expedition car's drives done first, so the refit happens at once (the deferred
    # case is tests/sim/test_sim_refit.py).
    assert SHARED.wait_for(rating_specs(load_configuration("expedition")), 120.0)
    sim.step(HEARTBEAT_S + 0.5)  # a heartbeat has gone: the next one is ~5 s away
    sim.barrier(cockpit)
    before = cockpit.frames_seen["configuration"]
    command = cockpit.control("sim_set_configuration", configuration="expedition")
    sim.answer(cockpit, command.rid, ResultStatus.ACCEPTED, max_s=0.5)
    sim.step_until(cockpit, lambda c: c.values.get(RACK) == "RACK_LOADED", max_s=0.5)
    assert cockpit.frames_seen["configuration"] == before + 1
    assert cockpit.values[WHEELS] == "ALL_TERRAIN_20"
    assert cockpit.values[RATED] < default_range
    assert cockpit.values["Vehicle.Ema.Configuration.RangeCost.RoofRack"] > 0.0
    late = CockpitProbe(mosquitto.url, vehicle_id).start()  # retained: a new reader gets it
    try:
        late.wait_for(lambda c: c.values.get(RACK) == "RACK_LOADED")
    finally:
        late.close()


def test_ema_sim_config_publishes_that_car(mosquitto, vehicle_id, cockpit):
    process = subprocess.Popen([sys.executable, "-m", "vehicle_sim.cli", "--broker",
                                mosquitto.url, "--vehicle", vehicle_id, "--config", "heritage",
                                "--scenario", "motorway"])
    try:
        cockpit.wait_for(lambda c: c.values.get("Vehicle.Ema.Body.DecalPack")
                         == "HERITAGE_NUMERAL", timeout_s=30)
        assert cockpit.values["Vehicle.Ema.Body.Roof.Color"] == "GLACIER_WHITE"
        assert cockpit.values[JUMP_SEAT] is False
        assert cockpit.values["Vehicle.Cabin.Seat.Row1.Middle.IsOccupied"] is None
    finally:
        process.terminate()
        process.wait(10)
