"""Energy model: conservation, road load, drive-unit losses, regen and auxiliary loads."""

from __future__ import annotations

import math

import pytest

from vehicle_sim.model import ChargerType, Environment, Gear, Surface, TerrainProgram
from vehicle_sim.model.energy import (
    aero_drag_N,
    air_density_kg_m3,
    climate_power_W,
    motor_efficiency,
    regen_power_limit_W,
    rolling_resistance_N,
    water_drag_N,
)
from vehicle_sim.model.units import grade_pct_to_rad


def _mixed_drive(vehicle, drive):
    """Acceleration, cruise, hills, mud with a slippery axle, water, hard braking, parking."""
    drive(vehicle, 20, target_kmh=100)
    drive(vehicle, 30, Environment(grade_rad=grade_pct_to_rad(6)), target_kmh=90)
    drive(vehicle, 30, Environment(grade_rad=grade_pct_to_rad(-8)), target_kmh=80)
    drive(vehicle, 8, brake=0.6)
    drive(vehicle, 20, Environment(surface=Surface.MUD, front_grip=0.4), target_kmh=25)
    drive(vehicle, 10, Environment(surface=Surface.WATER, water_depth_m=0.4), target_kmh=8)
    drive(vehicle, 15, accelerator=1.0)
    drive(vehicle, 10, brake=1.0)
    drive(vehicle, 5, gear=Gear.P)


def test_pack_energy_out_equals_physical_sinks_over_a_mixed_drive(make_vehicle, drive):
    vehicle = make_vehicle(soc=0.7)
    start = vehicle.battery.energy_J
    _mixed_drive(vehicle, drive)
    used = start - vehicle.battery.energy_J
    accounted = vehicle.ledger.accounted_pack_out_J()
    assert used > 1e6  # a real drive, not a rounding error
    assert accounted == pytest.approx(used, rel=1e-3)


def test_pack_energy_out_equals_electrical_traction_minus_regen_plus_aux(make_vehicle, drive):
    vehicle = make_vehicle(soc=0.7)
    start = vehicle.battery.energy_J
    _mixed_drive(vehicle, drive)
    ledger = vehicle.ledger
    assert ledger.regen_electrical_J > 0.0
    assert ledger.electrical_pack_out_J() == pytest.approx(
        start - vehicle.battery.energy_J, rel=1e-3
    )


def test_energy_balance_holds_while_charging(make_vehicle, drive):
    vehicle = make_vehicle(soc=0.3, gear=Gear.P)
    assert vehicle.connect_charger(ChargerType.DC, 350e3).accepted
    start = vehicle.battery.energy_J
    drive(vehicle, 120, gear=Gear.P)
    gained = vehicle.battery.energy_J - start
    assert gained > 0.0
    assert -vehicle.ledger.accounted_pack_out_J() == pytest.approx(gained, rel=1e-3)


def test_wheel_work_splits_into_kinetic_potential_and_resistances(make_vehicle, drive):
    vehicle = make_vehicle(soc=0.7)
    _mixed_drive(vehicle, drive)
    ledger = vehicle.ledger
    parts = (
        ledger.kinetic_J
        + ledger.grade_J
        + ledger.aero_J
        + ledger.rolling_J
        + ledger.water_J
        + ledger.friction_brake_J
    )
    assert ledger.wheel_work_J == pytest.approx(parts, rel=1e-6, abs=1.0)


@pytest.mark.parametrize("speed_mps", [5.0, 15.0, 30.0])
def test_aero_drag_grows_with_the_square_of_speed(speed_mps):
    rho = air_density_kg_m3(20.0)
    assert aero_drag_N(2 * speed_mps, 0.95, rho) == pytest.approx(
        4 * aero_drag_N(speed_mps, 0.95, rho)
    )


def test_cold_air_is_denser_than_warm_air():
    assert air_density_kg_m3(-10.0) > air_density_kg_m3(30.0) * 1.1


@pytest.mark.parametrize("surface", [s for s in Surface if s is not Surface.TARMAC])
def test_rolling_resistance_is_lowest_on_tarmac(spec, surface):
    tarmac = rolling_resistance_N(spec.mass_kg, spec.crr(Surface.TARMAC), 0.0)
    assert rolling_resistance_N(spec.mass_kg, spec.crr(surface), 0.0) > tarmac


def test_sand_rolls_heavier_than_gravel(spec):
    assert spec.crr(Surface.SAND) > 3 * spec.crr(Surface.GRAVEL)


def test_water_drag_only_when_wading():
    assert water_drag_N(3.0, 0.0, 2.0) == 0.0
    assert water_drag_N(3.0, 0.6, 2.0) > water_drag_N(3.0, 0.3, 2.0) > 0.0


@pytest.mark.parametrize(
    ("torque_Nm", "speed_rpm"),
    [(60.0, 4000.0), (120.0, 6000.0), (200.0, 8000.0), (300.0, 3000.0)],
)
def test_motor_efficiency_is_high_in_the_working_region(spec, torque_Nm, speed_rpm):
    eff = motor_efficiency(spec.rear_motor, torque_Nm, speed_rpm * 2 * math.pi / 60)
    assert 0.85 < eff < 0.98


def test_motor_efficiency_drops_at_very_light_load(spec):
    w = 6000 * 2 * math.pi / 60
    assert (
        motor_efficiency(spec.rear_motor, 5.0, w)
        < motor_efficiency(spec.rear_motor, 100.0, w) - 0.1
    )


@pytest.mark.parametrize(("low_soc", "high_soc"), [(0.5, 0.9), (0.8, 0.95), (0.9, 0.99)])
def test_regen_limit_is_lower_at_high_soc(spec, low_soc, high_soc):
    assert regen_power_limit_W(spec, high_soc, 25.0) < regen_power_limit_W(spec, low_soc, 25.0)


def test_regen_is_zero_with_a_full_pack(spec):
    assert regen_power_limit_W(spec, 1.0, 25.0) == 0.0


@pytest.mark.parametrize(("cold_c", "warm_c"), [(-15.0, 0.0), (0.0, 10.0), (5.0, 20.0)])
def test_regen_limit_is_lower_when_cold(spec, cold_c, warm_c):
    assert regen_power_limit_W(spec, 0.5, cold_c) < regen_power_limit_W(spec, 0.5, warm_c)


@pytest.mark.parametrize("ambient_c", [-10.0, 0.0, 35.0])
def test_climate_costs_more_away_from_the_set_point(spec, ambient_c):
    assert climate_power_W(spec, ambient_c) > climate_power_W(spec, spec.cabin_setpoint_c) + 300.0


def test_braking_with_regen_puts_energy_back(make_vehicle, drive):
    vehicle = make_vehicle(soc=0.5)
    drive(vehicle, 25, target_kmh=100)
    drive(vehicle, 1, brake=0.2)
    state = vehicle.snapshot()
    assert state.drive.battery_power_W > 10e3
    assert state.drive.front_motor_power_W < 0.0 and state.drive.rear_motor_power_W < 0.0


def test_regen_is_cut_when_the_pack_is_nearly_full(make_vehicle, drive):
    states = {}
    for soc in (0.5, 1.0):
        vehicle = make_vehicle(soc=soc)
        drive(vehicle, 25, target_kmh=100)
        drive(vehicle, 2, brake=0.2)
        states[soc] = (vehicle.snapshot().drive.battery_power_W, vehicle.ledger.friction_brake_J)
    (half_power, half_friction), (full_power, full_friction) = states[0.5], states[1.0]
    assert full_power < 0.25 * half_power
    assert full_friction > half_friction + 100e3


def test_eco_uses_less_energy_than_comfort_at_the_same_speed(make_vehicle, drive):
    used = {}
    for program in (TerrainProgram.COMFORT, TerrainProgram.ECO):
        vehicle = make_vehicle(soc=0.6, program=program)
        drive(vehicle, 30, target_kmh=100)
        start = vehicle.battery.energy_J
        drive(vehicle, 60, target_kmh=100)
        used[program] = start - vehicle.battery.energy_J
    assert used[TerrainProgram.ECO] < used[TerrainProgram.COMFORT]
