"""Each phase of Vehicle.step on its own: inputs in, physics out."""

from __future__ import annotations

import math
import random

import pytest

from vehicle_sim.model import (
    PROGRAM_EFFECTS,
    ChargerType,
    DriverInput,
    EnergyLedger,
    Environment,
    Gear,
    SpeedFollower,
    Surface,
    TerrainProgram,
)
from vehicle_sim.model.charging import ChargePort, ChargingState
from vehicle_sim.model.phases_limits import (
    NO_FORCE,
    ForceLimits,
    Governed,
    Loads,
    electrical_loads,
    force_limits,
    governor,
    power_limits,
)
from vehicle_sim.model.phases_motion import (
    Pedals,
    Traction,
    integrate,
    pedals,
    road_load,
    traction,
    wheel_demand_N,
)
from vehicle_sim.model.phases_power import (
    ChargerFlow,
    axle_electrics,
    charger_flow,
    motion_energy,
    motor_electrics,
    record_drive,
    record_electrical,
    record_motion,
    smoothed,
)
from vehicle_sim.model.units import GRAVITY_MPS2

COMFORT = PROGRAM_EFFECTS[TerrainProgram.COMFORT]


def _road(spec, speed=0.0, env=None):
    env = env or Environment()
    return road_load(spec, env, speed, spec.crr(env.surface))


def test_loads_follow_ready_and_plug(spec):
    off = electrical_loads(spec, False, False, 23.0, 500.0)
    assert off == Loads(0.0, 0.0, 0.0) and off.total_W == 0.0
    plugged = electrical_loads(spec, False, True, 23.0, 500.0)
    assert plugged.aux_W == spec.aux_base_power_W and plugged.climate_W == 0.0
    assert plugged.chiller_W == 500.0
    ready = electrical_loads(spec, True, False, 35.0, 0.0)
    assert ready.climate_W > 0.0
    assert ready.total_W == pytest.approx(ready.aux_W + ready.climate_W)


def test_power_limits_shrink_when_cold(spec):
    warm = power_limits(spec, 0.5, 25.0)
    cold = power_limits(spec, 0.5, -20.0)
    assert warm.discharge_W > 0.0 and warm.regen_W > 0.0
    assert cold.discharge_W <= warm.discharge_W and cold.regen_W < warm.regen_W


def test_force_limits_are_capped_by_the_pack(spec):
    power = power_limits(spec, 0.5, 25.0)
    free = force_limits(spec, 20.0, 20.0, COMFORT, power, 0.0)
    assert free.max_drive_N == pytest.approx(free.drive_front_N + free.drive_rear_N)
    assert 0.0 < free.coast_N <= free.regen_cap_N
    starved = force_limits(spec, 20.0, 20.0, COMFORT, type(power)(20e3, power.regen_W), 0.0)
    assert starved.max_drive_N == pytest.approx(20e3 * 0.88 / 20.0)
    assert starved.drive_front_N + starved.drive_rear_N == pytest.approx(starved.max_drive_N)


def test_no_regen_when_reversing_or_crawling(spec):
    power = power_limits(spec, 0.5, 25.0)
    limits = force_limits(spec, 0.3, 0.3, COMFORT, power, 0.0)
    assert limits.regen_cap_N == 0.0 and limits.coast_N == 0.0 and limits.max_drive_N > 0.0


def test_governor_tapers_then_brakes(spec):
    limits = ForceLimits(1000.0, 1000.0, 2000.0, 500.0, 500.0, 1000.0, 300.0)
    below = governor(spec, Gear.D, 10.0, None, False, limits)
    assert below == Governed(limits, 0.0)
    top = spec.top_speed_mps
    taper = governor(spec, Gear.D, top - 0.25, None, False, limits)
    assert taper.limits.max_drive_N == pytest.approx(500.0) and taper.brake_N == 0.0
    assert taper.limits.regen_cap_N == 1000.0
    over = governor(spec, Gear.D, top + 1.0, None, False, limits)
    assert over.limits.max_drive_N == 0.0
    assert over.brake_N == pytest.approx(spec.mass_kg * 2.0)


def test_governor_applies_the_program_limit_unless_auto(spec):
    limits = ForceLimits(1000.0, 1000.0, 2000.0)
    assert governor(spec, Gear.D, 15.0, 10.0, False, limits).brake_N > 0.0
    assert governor(spec, Gear.D, 15.0, 10.0, True, limits).brake_N == 0.0
    reverse = governor(spec, Gear.R, spec.reverse_max_speed_mps + 1.0, None, False, limits)
    assert reverse.brake_N > 0.0


def test_road_load_on_a_slope(spec):
    grade = math.radians(10.0)
    road = _road(spec, 10.0, Environment(grade_rad=grade))
    assert road.grade_x_N == pytest.approx(-spec.mass_kg * GRAVITY_MPS2 * math.sin(grade))
    assert road.rolling_N == pytest.approx(
        spec.crr(Surface.TARMAC) * spec.mass_kg * GRAVITY_MPS2 * math.cos(grade)
    )
    assert road.aero_N > 0.0 and road.water_N == 0.0
    wet = _road(spec, 3.0, Environment(water_depth_m=0.4))
    assert wet.water_N > 0.0


def test_pedals_pass_through_clamped_without_a_target(spec):
    driver = DriverInput(accelerator=1.4, brake=-0.2, gear=Gear.D)
    out = pedals(driver, SpeedFollower(), _road(spec), NO_FORCE, 0.0, 1.0, 1.0, 0.1)
    assert out == Pedals(1.0, 0.0)


def test_pedals_follow_a_target_speed(spec):
    limits = ForceLimits(3000.0, 3000.0, 6000.0, 0.0, 0.0, 0.0, 0.0)
    driver = DriverInput(gear=Gear.D, target_speed_mps=10.0)
    speeding_up = pedals(driver, SpeedFollower(), _road(spec, 5.0), limits, 5.0, 1.0, 1.0, 0.1)
    assert speeding_up.accelerator > 0.5 and speeding_up.brake == 0.0
    stop = DriverInput(gear=Gear.D, target_speed_mps=0.0)
    held = pedals(stop, SpeedFollower(), _road(spec), limits, 0.0, 1.0, 1.0, 0.1)
    assert held.brake > 0.0 and held.accelerator == 0.0


def test_wheel_demand_adds_brakes_and_governor(spec):
    governed = Governed(ForceLimits(0.0, 0.0, 4000.0, 0.0, 0.0, 0.0, 0.0), 100.0)
    assert wheel_demand_N(Pedals(1.0, 0.0), governed, 8000.0, 1.0, True) == pytest.approx(3900.0)
    assert wheel_demand_N(Pedals(1.0, 0.5), governed, 8000.0, 1.0, False) == pytest.approx(-4100.0)


def test_traction_regen_first_then_friction(spec):
    limits = ForceLimits(0.0, 0.0, 0.0, 600.0, 900.0, 1500.0, 0.0)
    out = traction(spec, Environment(), COMFORT, -4000.0, limits, _road(spec, 10.0), 0.0,
                   (False, False), random.Random(0))
    assert out.force_front_N + out.force_rear_N == pytest.approx(-1500.0)
    assert out.friction_N == pytest.approx(2500.0)
    assert traction(spec, Environment(), COMFORT, 0.0, limits, _road(spec), 0.0,
                    (False, False), random.Random(0)) == Traction()


def test_traction_on_ice_hits_the_grip_limit(spec):
    limits = ForceLimits(20e3, 20e3, 40e3)
    env = Environment(surface=Surface.SNOW, front_grip=0.3, rear_grip=0.3)
    out = traction(spec, env, COMFORT, 30e3, limits, _road(spec, 1.0, env), 0.0,
                   (False, False), random.Random(0))
    assert out.force_front_N + out.force_rear_N < 30e3
    assert out.tc_intervening and out.slip_front == COMFORT.slip_allowance


def test_traction_draws_grip_noise_only_when_driving(spec):
    rng = random.Random(1)
    traction(spec, Environment(), COMFORT, -100.0, NO_FORCE, _road(spec), 0.0, (False, False), rng)
    assert rng.random() == random.Random(1).random()


def test_integrate_accelerates_and_stops_inside_the_step(spec):
    road = _road(spec, 0.0)
    push = Traction(2000.0, 2000.0)
    moving = integrate(0.0, 0.1, Gear.D, 1.0, push, road)
    assert moving.v1_mps > 0.0 and moving.ds_m == pytest.approx(0.5 * moving.v1_mps * 0.1)
    parked = integrate(0.0, 0.1, Gear.P, 1.0, push, road)
    assert parked.v1_mps == 0.0 and parked.friction_N == road.brake_max_N
    braking = integrate(0.1, 0.1, Gear.D, 1.0, Traction(friction_N=road.brake_max_N), road)
    assert braking.v1_mps == 0.0 and 0.0 < braking.ds_m < 0.01
    back = integrate(0.0, 0.1, Gear.R, -1.0, push, road)
    assert back.v1_mps < 0.0 and back.distance_m == -back.ds_m


def test_motion_energy_balances_the_work_at_the_wheels(spec):
    road = _road(spec, 10.0)
    motion = integrate(10.0, 0.1, Gear.D, 1.0, Traction(1000.0, 1000.0), road)
    energy = motion_energy(10.0, motion, road)
    sinks = energy.kinetic_J + energy.grade_J + energy.aero_J + energy.rolling_J
    assert sinks == pytest.approx(energy.wheel_work_J, rel=1e-9)
    ledger = EnergyLedger()
    record_motion(ledger, energy)
    record_motion(ledger, energy)
    assert ledger.wheel_work_J == pytest.approx(2 * energy.wheel_work_J)


def test_axle_electrics_losses(spec):
    motoring = axle_electrics(spec, spec.rear_motor, 2000.0, 0.05, 10.0)
    assert motoring.power_W > 2000.0 * 10.0 * 1.05
    assert motoring.slip_W == pytest.approx(2000.0 * 10.0 * 0.05)
    regen = axle_electrics(spec, spec.rear_motor, -2000.0, 0.0, 10.0)
    assert -20e3 < regen.power_W < 0.0 and regen.slip_W == 0.0
    assert not axle_electrics(spec, spec.rear_motor, 0.0, 0.0, 10.0).active


def test_motor_electrics_and_ledger(spec):
    road = _road(spec, 10.0)
    trac = Traction(1000.0, 1500.0)
    motion = integrate(10.0, 0.1, Gear.D, 1.0, trac, road)
    drive = motor_electrics(spec, motion, trac, 0.1)
    assert drive.total_W == pytest.approx(drive.front.power_W + drive.rear.power_W)
    ledger = EnergyLedger()
    record_drive(ledger, drive, 0.1)
    assert ledger.traction_electrical_J == pytest.approx(drive.total_W * 0.1)
    assert ledger.motor_loss_J > 0.0 and ledger.regen_electrical_J == 0.0


def _port(spec, state_soc=0.5):
    port = ChargePort(80.0, 0.0)
    port.connect(ChargerType.DC, 150e3)
    for _ in range(3):
        port.step(0.1, state_soc)
    return port


def test_charger_flow_feeds_the_pack_and_stops_at_the_limit(spec):
    port = _port(spec)
    assert port.state is ChargingState.CHARGING
    flow = charger_flow(spec, port, 0.5, 25.0, 0.5 * spec.usable_energy_J, 0.0, 500.0, 0.1)
    assert 0.0 < flow.from_charger_W < flow.inlet_W <= 150e3
    assert flow.terminal_W == pytest.approx(flow.from_charger_W - 500.0)
    almost = 0.8 * spec.usable_energy_J - 100.0
    capped = charger_flow(spec, port, 0.8, 25.0, almost, 0.0, 500.0, 0.1)
    assert capped.terminal_W < flow.terminal_W
    unplugged = charger_flow(spec, ChargePort(), 0.5, 25.0, 1e8, 2000.0, 500.0, 0.1)
    assert unplugged == ChargerFlow(0.0, 0.0, -2500.0)


def test_record_electrical(spec):
    ledger = EnergyLedger()
    record_electrical(ledger, 3.0, Loads(100.0, 200.0, 50.0), ChargerFlow(1100.0, 1000.0, 0.0), 2.0)
    assert (ledger.battery_loss_J, ledger.aux_J, ledger.climate_J) == (3.0, 200.0, 400.0)
    assert ledger.thermal_management_J == 100.0
    assert (ledger.charge_in_J, ledger.charger_loss_J) == (2000.0, 200.0)


def test_smoothed_moves_towards_the_sample():
    assert smoothed(0.0, 10.0, 2.0) == pytest.approx(5.0)
    value = 0.0
    for _ in range(200):
        value = smoothed(value, 10.0, 0.1)
    assert value == pytest.approx(10.0, rel=1e-3)
