"""Scenarios: every bundled file loads and runs, determinism, loop, validation."""

from __future__ import annotations

from pathlib import Path

import pytest

from vehicle_sim.model import ScenarioError, ScenarioRunner, list_scenarios, load_scenario
from vehicle_sim.model.scenario import SCENARIO_DIR

EXPECTED = {"wltc", "motorway", "trail", "charge-stop", "low-battery", "showcase"}


def test_all_required_scenarios_are_bundled():
    assert EXPECTED <= set(list_scenarios())


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_scenario_loads(name):
    scenario = load_scenario(name)
    assert scenario.name == name
    assert scenario.segments and scenario.description


@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_scenario_runs_to_its_end_with_events_as_expected(name, rated_consumption):
    runner = ScenarioRunner(
        load_scenario(name), seed=3, rated_consumption_J_per_m=rated_consumption
    )
    state = runner.run_to_end(max_sim_s=3 * 3600)
    assert runner.finished or runner.laps == 1
    unexpected = [
        (r.segment, r.event.type, r.decision.code) for r in runner.event_log if not r.as_expected
    ]
    assert unexpected == []
    assert state.body.odometer_m > 0.0
    assert 0.0 <= state.battery.soc_pct <= 100.0


def test_showcase_takes_ten_to_fifteen_minutes(rated_consumption):
    runner = ScenarioRunner(
        load_scenario("showcase"), seed=1, rated_consumption_J_per_m=rated_consumption
    )
    runner.run_to_end()
    assert 600.0 <= runner.time_s <= 900.0


def test_showcase_loops(rated_consumption):
    runner = ScenarioRunner(
        load_scenario("showcase"), seed=1, rated_consumption_J_per_m=rated_consumption
    )
    runner.run_to_end()
    assert runner.laps == 1 and not runner.finished
    runner.run(30)
    assert runner.segment is not None and runner.segment_index < 5


def test_trail_visits_its_programs_and_water(rated_consumption):
    runner = ScenarioRunner(
        load_scenario("trail"), seed=2, rated_consumption_J_per_m=rated_consumption
    )
    seen_programs: set[str] = set()
    deepest = 0.0
    while not runner.finished:
        runner.step()
        state = runner.vehicle.snapshot() if runner.vehicle.time_s % 1.0 < 0.1 else None
        if state:
            seen_programs.add(state.terrain.program_effective)
            deepest = max(deepest, state.terrain.wade_depth_m)
    assert {"GRASS_GRAVEL_SNOW", "SAND", "MUD_RUTS", "ROCK_CRAWL", "WADE"} <= seen_programs
    assert 0.6 < deepest < 0.85


def test_charge_stop_charges_to_its_limit_and_leaves(rated_consumption):
    runner = ScenarioRunner(
        load_scenario("charge-stop"), seed=1, rated_consumption_J_per_m=rated_consumption
    )
    state = runner.run_to_end()
    assert state.charging.charging_state == "DISCONNECTED"
    assert 78.0 < state.battery.soc_pct <= 80.0
    assert state.drive.speed_mps == 0.0


def test_low_battery_starts_near_8_percent_and_drains(rated_consumption):
    scenario = load_scenario("low-battery")
    assert scenario.initial.soc == pytest.approx(0.08)
    runner = ScenarioRunner(scenario, seed=1, rated_consumption_J_per_m=rated_consumption)
    state = runner.run_to_end()
    assert state.battery.soc_pct < 5.0


def test_wltc_scenario_drives_the_cycle_distance(rated_consumption):
    runner = ScenarioRunner(
        load_scenario("wltc"), seed=1, rated_consumption_J_per_m=rated_consumption
    )
    state = runner.run_to_end()
    assert state.body.odometer_m == pytest.approx(23_266.0, rel=0.005)


def _run_and_sample(seed: int, rated: float) -> list[dict]:
    runner = ScenarioRunner(load_scenario("trail"), seed=seed, rated_consumption_J_per_m=rated)
    samples = []
    for _ in range(30):
        runner.run(10.0)
        samples.append(runner.vehicle.snapshot().to_dict())
    return samples


def test_same_seed_gives_identical_runs(rated_consumption):
    assert _run_and_sample(7, rated_consumption) == _run_and_sample(7, rated_consumption)


def test_different_seeds_differ(rated_consumption):
    a = _run_and_sample(7, rated_consumption)
    b = _run_and_sample(8, rated_consumption)
    assert a[0]["tyre_pressures_Pa"] != b[0]["tyre_pressures_Pa"]
    assert a != b


def test_scenario_can_be_loaded_by_path():
    scenario = load_scenario(SCENARIO_DIR / "trail.toml")
    assert scenario.name == "trail"


def test_unknown_scenario_name_says_what_exists():
    with pytest.raises(ScenarioError, match="showcase"):
        load_scenario("no-such-scenario")


MINIMAL = 'name = "t"\n[[segments]]\nduration_s = 5\nspeed_kmh = 10\n'


@pytest.mark.parametrize(
    ("text", "fragment"),
    [
        ('name = "t"\n', "segments"),
        ('name = "t"\n[[segments]]\nspeed_kmh = 10\n', "duration_s, distance_m or until"),
        (MINIMAL + "colour = 3\n", "unknown field"),
        (MINIMAL + 'events = [{ type = "teleport" }]\n', "unknown event type"),
        (MINIMAL + 'events = [{ type = "program", program = "DYNAMIC" }]\n', "unknown program"),
        (MINIMAL + 'surface = "LAVA"\n', "unknown surface"),
        (MINIMAL + 'until = "forever"\n', "until must be one of"),
        ('name = "t"\n[[segments]]\nduration_s = -1\n', "must be positive"),
        ('name = "t"\n[initial]\nsoc = 50\n[[segments]]\nduration_s = 1\n', "unknown field"),
    ],
)
def test_malformed_scenarios_are_rejected_with_a_reason(tmp_path: Path, text, fragment):
    path = tmp_path / "bad.toml"
    path.write_text(text)
    with pytest.raises(ScenarioError, match=fragment):
        load_scenario(path)


def test_distance_segment_ends_after_its_distance(tmp_path: Path, rated_consumption):
    path = tmp_path / "d.toml"
    path.write_text(
        'name = "d"\n[initial]\ngear = "D"\n'
        "[[segments]]\nspeed_kmh = 36\ndistance_m = 200\n"
        '[[segments]]\nspeed_kmh = 0\nuntil = "stopped"\n'
    )
    runner = ScenarioRunner(load_scenario(path), rated_consumption_J_per_m=rated_consumption)
    while runner.segment_index == 0:
        runner.step()
    assert runner.vehicle.odometer.total_m == pytest.approx(200.0, abs=1.5)


def test_runner_commands_mix_with_the_scenario(rated_consumption):
    runner = ScenarioRunner(
        load_scenario("motorway"), seed=1, rated_consumption_J_per_m=rated_consumption
    )
    runner.run(60)
    decision = runner.vehicle.request_terrain_program("ROCK_CRAWL")
    assert not decision.accepted and decision.code == "speed_too_high"
    runner.run(10)
    assert runner.vehicle.snapshot().terrain.program_active == "COMFORT"


def test_advance_uses_fixed_steps_whatever_the_cadence(rated_consumption):
    scenario = load_scenario("trail")
    coarse = ScenarioRunner(scenario, seed=4, rated_consumption_J_per_m=rated_consumption)
    fine = ScenarioRunner(scenario, seed=4, rated_consumption_J_per_m=rated_consumption)
    for _ in range(20):
        coarse.advance(1.0)
    for _ in range(80):
        fine.advance(0.25)
    assert coarse.vehicle.snapshot().to_dict() == fine.vehicle.snapshot().to_dict()
    assert fine.advance(0.04) == 0 and fine.advance(0.07) == 1
