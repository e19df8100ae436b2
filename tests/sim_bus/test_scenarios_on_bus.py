"""Every shipped scenario drives on a real broker: frames flow and decode, nothing crashes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from tests.support.cockpit import CockpitProbe
from vehicle_sim.model import list_scenarios


@pytest.mark.parametrize("scenario", list_scenarios())
def test_scenario_runs_on_broker(scenario: str, mosquitto, vehicle_id) -> None:
    probe = CockpitProbe(mosquitto.url, vehicle_id).start()
    process = subprocess.Popen([sys.executable, "-m", "vehicle_sim.cli", "--broker", mosquitto.url,
                                "--vehicle", vehicle_id, "--scenario", scenario, "--speed", "60",
                                "--duration", "4"], stderr=subprocess.PIPE, text=True)
    try:
        probe.wait_for(lambda c: (c.values.get("Vehicle.TraveledDistance") or 0) > 0
                       or c.values.get("Vehicle.Ema.Charging.State") == "CHARGING", timeout_s=8)
        assert process.wait(15) == 0
        assert "Traceback" not in process.stderr.read()
        assert probe.decode_errors == []
    finally:
        process.kill()
        probe.close()
