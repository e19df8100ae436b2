"""Dual-motor torque split, traction, lockers."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vehicle_sim.model import PROGRAM_EFFECTS, Axle, Environment, Surface, TerrainProgram
from vehicle_sim.model.environment import SURFACE_GRIP
from vehicle_sim.model.torque import (
    axle_normal_loads_N,
    split_axle_forces,
    torque_distribution,
    traction_limit_N,
)
from vehicle_sim.model.units import grade_pct_to_rad

P = TerrainProgram


@pytest.mark.parametrize("rear_fraction", [0.0, 0.25, 0.5, 0.6, 1.0])
def test_split_follows_the_bias_when_nothing_limits(rear_fraction):
    front, rear = split_axle_forces(4000.0, rear_fraction, 1e9, 1e9)
    assert rear == pytest.approx(4000.0 * rear_fraction)
    assert front == pytest.approx(4000.0 * (1.0 - rear_fraction))


def test_slip_on_the_front_moves_torque_to_the_rear():
    front, rear = split_axle_forces(6000.0, 0.5, 1000.0, 1e9)
    assert front == pytest.approx(1000.0)
    assert rear == pytest.approx(5000.0)


def test_slip_on_the_rear_moves_torque_to_the_front():
    front, rear = split_axle_forces(6000.0, 0.6, 1e9, 2000.0)
    assert (front, rear) == pytest.approx((4000.0, 2000.0))


def test_negative_demand_is_split_with_the_same_sign():
    front, rear = split_axle_forces(-3000.0, 0.5, 1e9, 1e9)
    assert front < 0.0 and rear < 0.0 and front + rear == pytest.approx(-3000.0)


@given(
    demand=st.floats(-20_000.0, 20_000.0),
    rear_fraction=st.floats(0.0, 1.0),
    cap_f=st.floats(0.0, 15_000.0),
    cap_r=st.floats(0.0, 15_000.0),
)
def test_split_never_exceeds_caps_or_demand(demand, rear_fraction, cap_f, cap_r):
    front, rear = split_axle_forces(demand, rear_fraction, cap_f, cap_r)
    assert abs(front) <= cap_f + 1e-6 and abs(rear) <= cap_r + 1e-6
    delivered = abs(front + rear)
    assert delivered <= abs(demand) + 1e-6
    assert delivered == pytest.approx(min(abs(demand), cap_f + cap_r), abs=1e-6)


@pytest.mark.parametrize(
    ("front", "rear", "expected"), [(1, 1, 0), (0, 5, 100), (5, 0, -100), (1, 3, 50)]
)
def test_torque_distribution_uses_vss_convention(front, rear, expected):
    assert torque_distribution(front, rear) == pytest.approx(expected)


@pytest.mark.parametrize("program", [P.COMFORT, P.GRASS_GRAVEL_SNOW, P.SAND, P.MUD_RUTS, P.ECO])
def test_vehicle_split_follows_the_program_bias(make_vehicle, drive, program):
    vehicle = make_vehicle(program=program)
    drive(vehicle, 3, target_kmh=40)
    state = vehicle.snapshot()
    assert state.drive.torque_distribution == pytest.approx(
        PROGRAM_EFFECTS[program].torque_distribution, abs=0.5
    )


def test_slippery_front_axle_shifts_torque_rearward(make_vehicle, drive):
    vehicle = make_vehicle(program=P.GRASS_GRAVEL_SNOW)
    env = Environment(surface=Surface.SNOW, front_grip=0.3)
    drive(vehicle, 2, env, accelerator=0.8)
    state = vehicle.snapshot()
    assert state.drive.torque_distribution > 40.0
    assert state.drive.rear_axle_torque_Nm > 2 * state.drive.front_axle_torque_Nm


def test_traction_control_intervenes_when_both_axles_slip(make_vehicle, drive):
    vehicle = make_vehicle(program=P.COMFORT)
    drive(vehicle, 1, Environment(surface=Surface.SNOW), accelerator=1.0)
    state = vehicle.snapshot()
    assert state.drive.traction_control_intervening
    assert state.drive.front_wheel_slip == pytest.approx(PROGRAM_EFFECTS[P.COMFORT].slip_allowance)


def test_no_intervention_on_dry_tarmac_at_moderate_throttle(make_vehicle, drive):
    vehicle = make_vehicle()
    drive(vehicle, 2, accelerator=0.4)
    assert not vehicle.snapshot().drive.traction_control_intervening


def test_a_locked_axle_has_more_traction_on_rock():
    grip = SURFACE_GRIP[Surface.ROCK]
    assert traction_limit_N(10_000, grip, 1.0, True, 0.1) > 1.5 * traction_limit_N(
        10_000, grip, 1.0, False, 0.1
    )


def test_climbing_moves_load_to_the_rear_axle(spec):
    import math

    g = grade_pct_to_rad(30)
    front, rear = axle_normal_loads_N(
        spec.mass_kg, 0.5, spec.cg_height_m, spec.wheelbase_m, math.cos(g), math.sin(g), 0.0
    )
    assert rear > 1.3 * front
    assert front + rear == pytest.approx(spec.mass_kg * 9.80665 * math.cos(g))


@pytest.mark.parametrize(
    ("program", "speed_kmh", "accepted", "code"),
    [
        (P.COMFORT, 0, False, "program_disallows_lockers"),
        (P.ECO, 0, False, "program_disallows_lockers"),
        (P.ROCK_CRAWL, 5, True, "accepted"),
        (P.MUD_RUTS, 30, True, "accepted"),
        (P.MUD_RUTS, 60, False, "speed_too_high"),
        (P.SAND, 45, False, "speed_too_high"),
    ],
)
def test_locker_rules(make_vehicle, drive, program, speed_kmh, accepted, code):
    vehicle = make_vehicle(program=program)
    if speed_kmh:
        drive(vehicle, 20, target_kmh=speed_kmh)
    decision = vehicle.request_locker(Axle.REAR, True)
    assert (decision.accepted, decision.code) == (accepted, code)
    assert vehicle.lockers[Axle.REAR].requested is accepted


def test_locker_goes_engaging_then_engaged(make_vehicle, drive, spec):
    vehicle = make_vehicle(program=P.ROCK_CRAWL)
    assert vehicle.request_locker("FRONT", True).accepted
    state = vehicle.snapshot()
    assert state.drive.front_locker_requested and state.drive.front_locker_state == "ENGAGING"
    assert not state.drive.front_locker_engaged
    drive(vehicle, spec.locker_engage_s + 0.1)
    state = vehicle.snapshot()
    assert state.drive.front_locker_engaged and state.drive.front_locker_engagement_pct == 100.0
    assert state.drive.rear_locker_state == "DISENGAGED"


def test_locker_releases_automatically_above_its_speed_limit(make_vehicle, drive):
    vehicle = make_vehicle(program=P.MUD_RUTS)
    vehicle.request_locker(Axle.REAR, True)
    drive(vehicle, 2)
    assert vehicle.snapshot().drive.rear_locker_engaged
    drive(vehicle, 25, target_kmh=60)
    state = vehicle.snapshot()
    assert not state.drive.rear_locker_engaged and not state.drive.rear_locker_requested
    assert state.drive.rear_locker_release_reason == "speed_too_high"


def test_locker_releases_when_the_program_stops_allowing_it(make_vehicle, drive):
    vehicle = make_vehicle(program=P.MUD_RUTS)
    vehicle.request_locker(Axle.FRONT, True)
    drive(vehicle, 2)
    vehicle.request_terrain_program(P.COMFORT)
    drive(vehicle, 6)
    state = vehicle.snapshot()
    assert not state.drive.front_locker_engaged
    assert state.drive.front_locker_release_reason == "program_disallows_lockers"


def test_releasing_a_locker_is_always_accepted(make_vehicle):
    assert make_vehicle(program=P.COMFORT).request_locker(Axle.REAR, False).accepted


def test_lockers_get_a_stuck_vehicle_up_a_rocky_slope(make_vehicle, drive):
    env = Environment(surface=Surface.ROCK, grade_rad=grade_pct_to_rad(45))
    progress = {}
    for locked in (False, True):
        vehicle = make_vehicle(program=P.ROCK_CRAWL)
        if locked:
            vehicle.request_locker(Axle.FRONT, True)
            vehicle.request_locker(Axle.REAR, True)
            drive(vehicle, 1, gear=vehicle.gear)
        drive(vehicle, 15, env, target_kmh=4)
        # Height gained (potential energy / weight): rolling back counts against it.
        progress[locked] = vehicle.ledger.grade_J / (vehicle.spec.mass_kg * 9.80665)
    assert progress[False] < 0.5
    assert progress[True] > 3.0
