"""Golden trajectories: the numbers the model produced before the step was split into phases.

Same seed, same scenario, same step -> the same trajectory, to the last bit where the
arithmetic was kept in the same order (the hashes), and to 1e-9 for the headline figures.
A change here is a change of physics: it needs a reason, not a new recording.
"""

from __future__ import annotations

import hashlib
import json

import pytest

from vehicle_sim.model import ScenarioRunner, load_scenario

RATED_J_PER_M = 616.337631940638
"""WLTC consumption of DEFAULT_SPEC when the goldens were recorded."""
NOT_RECORDED = ("raised_height_max_speed_mps", "access_height_max_speed_mps",
                "locker_max_speed_mps", "hill_descent_active")
"""Reports newer than the recordings (the spec's limits, whether HDC is in charge): they move
no physics, so the hashes are taken without them."""

GOLDEN = {
    # (scenario, seed, seconds): (speed m/s, SoC %, energy J, odometer m, wheel work J, hash)
    # Re-recorded for hill descent control (issue 16).  In the trail's two descents (Rock
    # descent, -20 % in Rock Crawl, driver 4 km/h; Wade in, -8 % in Wade, driver 6 km/h) HDC
    # now brakes in place of the lift-off regen, and the scripted driver, who counted on that
    # regen, runs a little faster: 4.13 km/h mean instead of 4.00, 6.30 instead of 6.00.  Over
    # the 600 s: SoC 76.42582 -> 76.42848 % (+8.2 kJ in the pack), regen +4.6 kJ, traction
    # -3.6 kJ, wheel work 3434123 -> 3426593 J, odometer unchanged (3364.8173 m).  With HDC
    # switched off the old figures come back to the bit; the other goldens did not move.
    ("trail", 5, 600.0): (
        0.0, 76.42848113217141, 233871152.26444453, 3364.817292453984, 3426593.0863610087,
        "c94f5e05dfa36cb632e5cd92245de2dd705f0d483c946d85055832a80b5799ce",
    ),
    ("charge-stop", 2, 900.0): (
        0.0, 61.48142133025478, 188133149.27057964, 1453.110493191269, 433650.23780114704,
        "45ed58542674385127f44a83cb324b67246206690d8301f514b9ad0282617a04",
    ),
    ("showcase", 1, 300.0): (
        11.121447024562267, 59.571060069572326, 182287443.8128913, 6390.367239404143,
        6555510.449109857,
        "cf95e49a3b96ce8d8b46ed6339b33082592d5b8091727b1f56607795974b3887",
    ),
}


def test_wltc_consumption_is_unchanged(rated_consumption: float) -> None:
    assert rated_consumption == pytest.approx(RATED_J_PER_M, rel=1e-12)


@pytest.mark.parametrize("key", list(GOLDEN), ids=lambda k: f"{k[0]}-{k[1]}")
def test_trajectory_is_unchanged(key: tuple[str, int, float]) -> None:
    name, seed, seconds = key
    runner = ScenarioRunner(load_scenario(name), seed=seed, rated_consumption_J_per_m=RATED_J_PER_M)
    samples = []
    for _ in range(int(seconds / 30.0)):
        runner.run(30.0)
        state = runner.vehicle.snapshot().to_dict()
        samples.append({name: value for name, value in state.items() if name not in NOT_RECORDED})
    last = samples[-1]
    speed, soc, energy, odometer, wheel_work, digest = GOLDEN[key]
    assert last["speed_mps"] == pytest.approx(speed, abs=1e-9)
    assert last["soc_pct"] == pytest.approx(soc, rel=1e-9)
    assert last["energy_J"] == pytest.approx(energy, rel=1e-9)
    assert last["odometer_m"] == pytest.approx(odometer, rel=1e-9)
    assert runner.vehicle.ledger.wheel_work_J == pytest.approx(wheel_work, rel=1e-9)
    assert hashlib.sha256(json.dumps(samples, sort_keys=True).encode()).hexdigest() == digest
