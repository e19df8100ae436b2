"""Range: rated, estimated from a rolling window, per-program projection, consumption."""

from __future__ import annotations

import pytest

from vehicle_sim.model import Environment, Gear, TerrainProgram
from vehicle_sim.model.range import ConsumptionWindow, program_range_projection, rated_range_m


def test_rated_range_is_proportional_to_soc(make_vehicle, rated_consumption, spec):
    for soc in (0.2, 0.5, 1.0):
        state = make_vehicle(soc=soc).snapshot()
        expected = soc * spec.usable_energy_J / rated_consumption
        assert state.battery.range_rated_m == pytest.approx(expected)


def test_rated_range_is_zero_when_empty():
    assert rated_range_m(0.0, 600.0) == 0.0


def test_estimate_starts_at_the_rated_range(make_vehicle):
    state = make_vehicle(soc=0.6).snapshot()
    assert state.battery.range_estimated_m == pytest.approx(state.battery.range_rated_m)


def test_fast_driving_brings_the_estimate_below_rated(make_vehicle, drive):
    vehicle = make_vehicle(soc=0.8)
    drive(vehicle, 420, target_kmh=130)
    state = vehicle.snapshot()
    assert state.battery.range_estimated_m < 0.9 * state.battery.range_rated_m


def test_gentle_driving_brings_the_estimate_above_rated(make_vehicle, drive):
    vehicle = make_vehicle(soc=0.8)
    drive(vehicle, 900, target_kmh=50)
    state = vehicle.snapshot()
    assert state.battery.range_estimated_m > 1.05 * state.battery.range_rated_m


def test_window_forgets_old_driving():
    window = ConsumptionWindow(fallback_J_per_m=600.0, window_m=10_000.0, bucket_m=100.0)
    for _ in range(200):
        window.add(100.0, 100.0 * 2000.0)  # 20 km of very thirsty driving
    for _ in range(150):
        window.add(100.0, 100.0 * 500.0)  # then 15 km of frugal driving
    assert window.average_J_per_m() == pytest.approx(500.0)
    assert window.distance_m == pytest.approx(10_000.0, abs=100.0)


def test_window_pads_short_history_with_the_fallback():
    window = ConsumptionWindow(fallback_J_per_m=600.0, window_m=10_000.0, bucket_m=100.0)
    for _ in range(50):
        window.add(100.0, 100.0 * 1000.0)
    assert window.average_J_per_m() == pytest.approx(1000.0)
    assert window.estimate_J_per_m() == pytest.approx(0.5 * 1000.0 + 0.5 * 600.0)


def test_window_estimate_never_goes_negative_downhill():
    window = ConsumptionWindow(fallback_J_per_m=600.0, window_m=5_000.0, bucket_m=100.0)
    for _ in range(100):
        window.add(100.0, -100.0 * 300.0)
    assert window.estimate_J_per_m() > 0.0


def test_program_projection_orders_by_consumption_factor():
    projection = program_range_projection(50e6, 600.0, current_factor=1.0)
    assert projection[TerrainProgram.ECO] > projection[TerrainProgram.COMFORT]
    assert projection[TerrainProgram.COMFORT] > projection[TerrainProgram.MUD_RUTS]
    assert projection[TerrainProgram.MUD_RUTS] > projection[TerrainProgram.SAND]


def test_program_projection_normalises_by_the_current_program():
    in_sand = program_range_projection(50e6, 600.0 * 1.35, current_factor=1.35)
    assert in_sand[TerrainProgram.COMFORT] == pytest.approx(50e6 / 600.0)


def test_snapshot_has_a_projection_for_every_program(make_vehicle):
    state = make_vehicle().snapshot()
    assert set(state.energy.range_by_program_m) == {p.name for p in TerrainProgram}


def test_instant_consumption_only_while_moving(make_vehicle, drive):
    vehicle = make_vehicle(gear=Gear.P)
    drive(vehicle, 5, gear=Gear.P)
    assert vehicle.snapshot().drive.consumption_instant_J_per_m is None
    drive(vehicle, 30, target_kmh=80)
    instant = vehicle.snapshot().drive.consumption_instant_J_per_m
    assert instant is not None and 300.0 < instant < 1200.0


def test_trip_average_matches_energy_over_distance(make_vehicle, drive):
    vehicle = make_vehicle(soc=0.7)
    start = vehicle.battery.energy_J
    drive(vehicle, 120, Environment(), target_kmh=60)
    state = vehicle.snapshot()
    assert state.energy.consumption_trip_J_per_m == pytest.approx(
        (start - vehicle.battery.energy_J) / state.body.trip_m
    )
