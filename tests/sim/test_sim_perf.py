"""Step cost benchmark: measured and reported, never asserted against a time."""

from __future__ import annotations

import time

from vehicle_sim.model import ScenarioRunner, load_scenario


def test_step_and_snapshot_cost_is_reported(record_property, rated_consumption, capsys):
    runner = ScenarioRunner(
        load_scenario("showcase"), seed=1, rated_consumption_J_per_m=rated_consumption
    )
    steps = 5000
    start = time.perf_counter()
    for _ in range(steps):
        runner.step()
    step_us = (time.perf_counter() - start) / steps * 1e6
    start = time.perf_counter()
    for _ in range(500):
        runner.vehicle.snapshot()
    snapshot_us = (time.perf_counter() - start) / 500 * 1e6
    record_property("step_us", round(step_us, 1))
    record_property("snapshot_us", round(snapshot_us, 1))
    with capsys.disabled():
        print(f"\n[sim benchmark] step {step_us:.1f} us, snapshot {snapshot_us:.1f} us")
    assert runner.time_s == steps * runner.dt_s or abs(runner.time_s - steps * runner.dt_s) < 1e-6
