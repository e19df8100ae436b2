"""Every shipped scenario drives on a real broker: frames flow and decode, nothing crashes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from protocols import ResultStatus
from tests.sim_bus.conftest import WHO_DRIVES, RunningSim
from tests.support.cockpit import CockpitProbe
from vehicle_sim.clock import ManualClock
from vehicle_sim.model import list_scenarios


@pytest.mark.parametrize("scenario", list_scenarios())
def test_scenario_runs_on_broker(scenario: str, mosquitto, vehicle_id) -> None:
    probe = CockpitProbe(mosquitto.url, vehicle_id).start()
    process = subprocess.Popen([sys.executable, "-m", "vehicle_sim.cli", "--broker", mosquitto.url,
                                "--vehicle", vehicle_id, "--scenario", scenario, "--speed", "60",
                                "--duration", "4"], stderr=subprocess.PIPE, text=True)
    try:
        def moving_or_charging(c: CockpitProbe) -> bool:
            return ((c.values.get("Vehicle.TraveledDistance") or 0) > 0
                    or c.values.get("Vehicle.Ema.Charging.State") == "CHARGING")

        # The simulator publishes for as long as it runs (--duration 4): wait for what it shows
        # or for its end (a loaded machine starts it late), then judge.
        probe.wait_for(lambda c: moving_or_charging(c) or process.poll() is not None,
                       timeout_s=30)
        assert process.wait(15) == 0
        probe.wait_for(moving_or_charging, timeout_s=5)   # published before it ended
        assert "Traceback" not in process.stderr.read()
        assert probe.decode_errors == []
    finally:
        process.kill()
        probe.close()


NOTICE = "Vehicle.Ema.Simulation.Notice."
REQUESTED = "Vehicle.Ema.TerrainResponse.Program.Requested"


def test_the_scenario_says_what_it_sets_and_whose_choice_it_replaced(
        mosquitto, vehicle_id, tmp_path, cockpit) -> None:
    """Issue 16 item 6: the trail changed the driver's Mud & Ruts without a word. A driver's tap
    holds until the scenario's next event, and that event says it overrode the driver."""
    path = tmp_path / "who.toml"
    path.write_text(WHO_DRIVES)
    sim = RunningSim(mosquitto.url, vehicle_id, path, clock=ManualClock()).start()
    try:
        values = cockpit.values
        sim.step_until(cockpit, lambda c: c.values.get(NOTICE + "Count") == 1)
        assert values["Vehicle.Ema.Simulation.IsSimulated"] is True
        assert (values[NOTICE + "Control"], values[NOTICE + "Program"],
                values[NOTICE + "Accepted"], values[NOTICE + "OverrodeDriver"]) == (
            "TERRAIN_PROGRAM", "GRASS_GRAVEL_SNOW", True, False)
        tap = cockpit.send("set_terrain_program", program="MUD_RUTS")
        sim.answer(cockpit, tap.rid, ResultStatus.COMPLETED, max_s=10)
        sim.step(10.0)   # ticks with no scenario event: the driver's choice must hold
        sim.barrier(cockpit)
        assert cockpit.values[REQUESTED] == "MUD_RUTS"
        assert cockpit.values[NOTICE + "Count"] == 1
        sim.step_until(cockpit, lambda c: c.values.get(NOTICE + "Count") == 2, max_s=15)
        values = cockpit.values
        assert (values[NOTICE + "Program"], values[NOTICE + "OverrodeDriver"],
                values[NOTICE + "DriverProgram"]) == ("SAND", True, "MUD_RUTS")
        sim.step_until(cockpit, lambda c: c.values.get(NOTICE + "Count") == 3)
        values = cockpit.values
        assert (values[NOTICE + "Control"], values[NOTICE + "LockerEngaged"],
                values[NOTICE + "OverrodeDriver"], values[NOTICE + "Program"]) == (
            "REAR_LOCKER", True, False, None)
    finally:
        sim.stop()
