"""Driver model: pedal maps and the speed follower."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from vehicle_sim.model import Environment, Gear
from vehicle_sim.model.driver import COAST_POINT, accelerator_force_N, pedals_for_force

BRAKE_MAX = 20_000.0


@given(
    force=st.floats(-25_000.0, 15_000.0),
    max_drive=st.floats(1_000.0, 15_000.0),
    coast=st.floats(0.0, 4_000.0),
    progression=st.floats(0.5, 3.0),
)
def test_pedals_for_force_inverts_the_pedal_maps(force, max_drive, coast, progression):
    accelerator, brake = pedals_for_force(force, max_drive, coast, progression, BRAKE_MAX)
    assert 0.0 <= accelerator <= 1.0 and 0.0 <= brake <= 1.0
    assert accelerator == 0.0 or brake == 0.0
    produced = accelerator_force_N(accelerator, max_drive, coast, progression) - brake * BRAKE_MAX
    expected = min(max(force, -coast - BRAKE_MAX), max_drive)
    assert produced == pytest.approx(expected, rel=1e-6, abs=1e-3)


def test_released_accelerator_asks_for_lift_off_regen():
    assert accelerator_force_N(0.0, 10_000.0, 2_000.0, 1.3) == -2_000.0
    assert accelerator_force_N(COAST_POINT, 10_000.0, 2_000.0, 1.3) == 0.0


@pytest.mark.parametrize(("gentle", "sharp"), [(2.5, 1.3), (1.3, 0.8)])
def test_higher_progression_is_gentler_at_part_throttle(gentle, sharp):
    assert accelerator_force_N(0.4, 10_000.0, 0.0, gentle) < accelerator_force_N(
        0.4, 10_000.0, 0.0, sharp
    )


def test_full_throttle_gives_full_force_whatever_the_map():
    for progression in (0.8, 1.3, 2.5):
        assert accelerator_force_N(1.0, 10_000.0, 0.0, progression) == pytest.approx(10_000.0)


@pytest.mark.parametrize("target_kmh", [5, 30, 80, 130])
def test_speed_follower_settles_on_the_target(make_vehicle, drive, target_kmh):
    vehicle = make_vehicle()
    drive(vehicle, 40, target_kmh=target_kmh)
    assert vehicle.speed_mps * 3.6 == pytest.approx(target_kmh, abs=0.3)


def test_speed_follower_holds_speed_up_a_hill(make_vehicle, drive):
    vehicle = make_vehicle()
    drive(vehicle, 20, target_kmh=60)
    drive(vehicle, 30, Environment(grade_rad=0.08), target_kmh=60)
    assert vehicle.speed_mps * 3.6 == pytest.approx(60.0, abs=0.5)


def test_speed_follower_stops_and_holds_on_a_slope(make_vehicle, drive):
    vehicle = make_vehicle()
    drive(vehicle, 10, target_kmh=30)
    drive(vehicle, 20, Environment(grade_rad=-0.1), target_kmh=0)
    assert vehicle.speed_mps == 0.0
    drive(vehicle, 10, Environment(grade_rad=-0.1), target_kmh=0)
    assert vehicle.speed_mps == 0.0


def test_speed_follower_reverses(make_vehicle, drive):
    vehicle = make_vehicle(gear=Gear.R)
    drive(vehicle, 15, target_kmh=6, gear=Gear.R)
    assert vehicle.speed_mps * 3.6 == pytest.approx(-6.0, abs=0.3)
