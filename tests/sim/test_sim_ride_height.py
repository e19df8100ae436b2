"""Ride height: actuator rate, speed-dependent lowering, request rules."""

from __future__ import annotations

import pytest

from vehicle_sim.model import ChargerType, Gear, RideHeightLevel, TerrainProgram
from vehicle_sim.model.ride_height import RideHeightActuator, nearest_level

L = RideHeightLevel


@pytest.mark.parametrize(
    ("start", "target", "rate_attr"),
    [
        (L.NORMAL, L.EXTENDED, "raise_rate_mps"),
        (L.NORMAL, L.OFF_ROAD, "raise_rate_mps"),
        (L.EXTENDED, L.NORMAL, "lower_rate_mps"),
        (L.NORMAL, L.ACCESS, "lower_rate_mps"),
    ],
)
def test_actuator_moves_at_the_configured_rate(start, target, rate_attr):
    actuator = RideHeightActuator(start, raise_rate_mps=0.015, lower_rate_mps=0.020)
    rate = getattr(actuator, rate_attr)
    expected_s = abs(target.clearance_m - start.clearance_m) / rate
    steps = 0
    while not (actuator.settled and actuator.target is target):
        actuator.step(0.1, target)
        steps += 1
        assert steps < 10_000
    assert steps * 0.1 == pytest.approx(expected_s, abs=0.11)
    assert actuator.level is target


def test_actuator_halfway_is_halfway():
    actuator = RideHeightActuator(L.NORMAL, raise_rate_mps=0.015)
    for _ in range(20):
        actuator.step(0.1, L.EXTENDED)
    assert actuator.actual_m == pytest.approx(0.22 + 0.030, abs=1e-9)
    assert actuator.level is L.NORMAL and not actuator.settled


def test_rates_are_realistic(spec):
    assert 0.010 <= spec.ride_height_raise_rate_mps <= 0.020
    assert 0.010 <= spec.ride_height_lower_rate_mps <= 0.025


def test_levels_are_ordered_by_clearance():
    heights = [lvl.clearance_m for lvl in (L.ACCESS, L.NORMAL, L.OFF_ROAD, L.EXTENDED)]
    assert heights == sorted(heights)
    assert nearest_level(0.279) is L.OFF_ROAD


def test_raised_height_drops_to_normal_above_45_kmh_and_comes_back(make_vehicle, drive, spec):
    vehicle = make_vehicle(program=TerrainProgram.MUD_RUTS)
    drive(vehicle, 10, target_kmh=30)
    assert vehicle.snapshot().terrain.ride_height_level == "OFF_ROAD"
    drive(vehicle, 20, target_kmh=60)
    state = vehicle.snapshot()
    terrain = state.terrain
    assert terrain.ride_height_target == "NORMAL" and terrain.ride_height_lowered_for_speed
    assert state.terrain.ride_height_actual_m == pytest.approx(L.NORMAL.clearance_m)
    drive(vehicle, 20, target_kmh=25)
    drive(vehicle, 6, target_kmh=25)
    state = vehicle.snapshot()
    terrain = state.terrain
    assert terrain.ride_height_target == "OFF_ROAD" and not terrain.ride_height_lowered_for_speed


def test_height_between_restore_and_drop_speed_is_kept(make_vehicle, drive):
    vehicle = make_vehicle(program=TerrainProgram.SAND)
    drive(vehicle, 20, target_kmh=40)
    assert vehicle.snapshot().terrain.ride_height_target == "OFF_ROAD"


@pytest.mark.parametrize(
    ("program", "speed_kmh", "level", "accepted", "code"),
    [
        (TerrainProgram.COMFORT, 0, L.ACCESS, True, "accepted"),
        (TerrainProgram.COMFORT, 20, L.ACCESS, False, "speed_too_high"),
        (TerrainProgram.COMFORT, 30, L.OFF_ROAD, True, "accepted"),
        (TerrainProgram.COMFORT, 60, L.OFF_ROAD, False, "speed_too_high"),
        (TerrainProgram.COMFORT, 60, L.EXTENDED, False, "speed_too_high"),
        (TerrainProgram.COMFORT, 60, L.NORMAL, True, "accepted"),
        (TerrainProgram.ROCK_CRAWL, 5, L.NORMAL, False, "program_requires_height"),
        (TerrainProgram.ROCK_CRAWL, 5, L.OFF_ROAD, True, "accepted"),
        (TerrainProgram.SAND, 10, L.ACCESS, False, "speed_too_high"),
        (TerrainProgram.SAND, 0, L.ACCESS, False, "program_requires_height"),
    ],
)
def test_ride_height_request_rules(make_vehicle, drive, program, speed_kmh, level, accepted, code):
    vehicle = make_vehicle(program=program)
    if speed_kmh:
        drive(vehicle, 20, target_kmh=speed_kmh)
    decision = vehicle.request_ride_height(level)
    assert (decision.accepted, decision.code) == (accepted, code)
    assert decision.message


def test_ride_height_locked_while_charging(make_vehicle):
    vehicle = make_vehicle(gear=Gear.P)
    vehicle.connect_charger(ChargerType.AC)
    decision = vehicle.request_ride_height(L.ACCESS)
    assert not decision.accepted and decision.code == "vehicle_charging"


def test_access_height_is_left_when_driving_off(make_vehicle, drive):
    vehicle = make_vehicle(gear=Gear.P)
    assert vehicle.request_ride_height(L.ACCESS).accepted
    drive(vehicle, 5, gear=Gear.P)
    assert vehicle.snapshot().terrain.ride_height_level == "ACCESS"
    drive(vehicle, 10, target_kmh=20)
    assert vehicle.snapshot().terrain.ride_height_target == "NORMAL"


def test_driver_height_is_replaced_by_the_next_program(make_vehicle, drive):
    vehicle = make_vehicle(gear=Gear.P)
    vehicle.request_ride_height(L.OFF_ROAD)
    drive(vehicle, 5, gear=Gear.P)
    vehicle.request_terrain_program(TerrainProgram.ROCK_CRAWL)
    drive(vehicle, 10, gear=Gear.P)
    assert vehicle.snapshot().terrain.ride_height_level == "EXTENDED"
