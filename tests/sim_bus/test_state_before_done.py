"""The vehicle publishes the state a command produced before it says "completed": a receiver
that shows "done" on the answer has the new value already (one connection, in order)."""

from __future__ import annotations

from protocols import ResultStatus

LIMIT = "Vehicle.Powertrain.TractionBattery.Charging.ChargeLimit"
AVAILABLE = "Vehicle.Ema.TerrainResponse.Availability."
SPEED_LIMIT = "Vehicle.Ema.TerrainResponse.SpeedLimit."


def test_charge_limit_frame_comes_before_completed(parked_sim, cockpit) -> None:
    cockpit.wait_for(lambda c: c.values.get(LIMIT) is not None)
    for percent in (70, 95, 80):
        command = cockpit.send("set_charge_limit", percent=percent)
        cockpit.result_for(command.rid, ResultStatus.COMPLETED)
        assert cockpit.values[LIMIT] == percent   # already there when "completed" arrived


def test_terrain_frame_names_each_programs_availability_and_limit(cruising_sim, cockpit) -> None:
    cockpit.wait_for(lambda c: (c.values.get("Vehicle.Speed") or 0) > 20, timeout_s=15)
    cockpit.wait_for(lambda c: c.values.get(AVAILABLE + "RockCrawl") == "SPEED_TOO_HIGH")
    assert cockpit.values[AVAILABLE + "Comfort"] == "AVAILABLE"
    assert abs(cockpit.values[SPEED_LIMIT + "RockCrawl"] - 30 / 3.6) < 1e-3
    assert abs(cockpit.values[SPEED_LIMIT + "Wade"] - 15 / 3.6) < 1e-3
    assert cockpit.values[SPEED_LIMIT + "Comfort"] is None   # no limit
