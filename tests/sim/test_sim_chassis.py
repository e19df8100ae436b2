"""Chassis and body: attitude, wading, doors, seats, tyres, odometer, snapshot format."""

from __future__ import annotations

import dataclasses
import json
import math

import pytest

from vehicle_sim.model import (
    Door,
    Environment,
    Gear,
    RideHeightLevel,
    Seat,
    Surface,
    TerrainProgram,
    Vehicle,
)
from vehicle_sim.model.chassis import body_pitch_rad, body_roll_rad, wade_limit_m


@pytest.mark.parametrize("grade_deg", [-20.0, -5.0, 0.0, 10.0, 25.0])
def test_pitch_follows_the_grade_at_steady_speed(grade_deg):
    assert body_pitch_rad(math.radians(grade_deg), 0.0) == pytest.approx(math.radians(grade_deg))


def test_pitch_rises_under_acceleration():
    assert body_pitch_rad(0.0, 3.0) > 0.0 > body_pitch_rad(0.0, -3.0)


@pytest.mark.parametrize("slope_deg", [-15.0, 5.0, 20.0])
def test_roll_follows_the_side_slope(slope_deg):
    roll = body_roll_rad(math.radians(slope_deg))
    assert math.copysign(1.0, roll) == math.copysign(1.0, slope_deg)
    assert abs(roll) >= abs(math.radians(slope_deg))


def test_snapshot_reports_attitude_from_the_terrain(make_vehicle, drive):
    vehicle = make_vehicle(program=TerrainProgram.ROCK_CRAWL)
    env = Environment(
        surface=Surface.ROCK, grade_rad=math.radians(12), side_slope_rad=math.radians(-6)
    )
    drive(vehicle, 20, env, target_kmh=4)
    state = vehicle.snapshot()
    assert state.terrain.pitch_rad == pytest.approx(math.radians(12), abs=math.radians(0.5))
    assert state.terrain.roll_rad < 0.0


def test_wade_limit_is_highest_at_extended_height(spec):
    extended = wade_limit_m(spec, RideHeightLevel.EXTENDED.clearance_m)
    normal = wade_limit_m(spec, RideHeightLevel.NORMAL.clearance_m)
    assert extended == pytest.approx(spec.wade_limit_m)
    assert normal == pytest.approx(spec.wade_limit_m - 0.09)


def test_wade_depth_shown_against_the_limit(make_vehicle, drive):
    vehicle = make_vehicle(program=TerrainProgram.WADE)
    drive(vehicle, 5, gear=Gear.P)
    drive(vehicle, 10, Environment(surface=Surface.WATER, water_depth_m=0.6), target_kmh=5)
    state = vehicle.snapshot()
    assert state.terrain.wading
    assert 0.6 <= state.terrain.wade_depth_m < 0.7  # bow wave adds a little
    assert state.terrain.wade_limit_m == pytest.approx(0.85)
    drive(vehicle, 10, Environment(), target_kmh=5)
    assert vehicle.snapshot().terrain.wade_depth_m == 0.0


def test_doors_tailgate_belts_and_occupancy(make_vehicle):
    vehicle = make_vehicle()
    assert vehicle.set_door(Door.ROW2_PASSENGER_SIDE, True).accepted
    assert vehicle.set_tailgate(True).accepted
    assert vehicle.set_occupant("Row2.Middle", True).accepted
    assert vehicle.set_belt(Seat.ROW2_MIDDLE, True).accepted
    state = vehicle.snapshot()
    assert state.body.doors_open == {
        "Row1.DriverSide": False,
        "Row1.PassengerSide": False,
        "Row2.DriverSide": False,
        "Row2.PassengerSide": True,
    }
    assert state.body.tailgate_open
    assert state.body.seats_occupied["Row2.Middle"] and state.body.belts_fastened["Row2.Middle"]
    assert state.body.seats_occupied["Row1.DriverSide"]  # default driver
    assert "Row1.Middle" in state.body.seats_occupied  # optional jump seat fitted


def test_leaving_a_seat_releases_its_belt(make_vehicle):
    vehicle = make_vehicle()
    vehicle.set_occupant(Seat.ROW1_DRIVER_SIDE, False)
    assert not vehicle.snapshot().body.belts_fastened["Row1.DriverSide"]


def test_no_jump_seat_without_the_option(spec, rated_consumption):
    vehicle = Vehicle(
        dataclasses.replace(spec, has_jump_seat=False), rated_consumption_J_per_m=rated_consumption
    )
    decision = vehicle.set_occupant(Seat.ROW1_MIDDLE, True)
    assert not decision.accepted and decision.code == "no_such_seat"
    assert len(vehicle.snapshot().body.seats_occupied) == 5


def test_tyre_pressure_rises_as_tyres_warm_up(make_vehicle, drive):
    vehicle = make_vehicle(ambient_c=10.0)
    cold = vehicle.snapshot().body.tyre_pressures_Pa
    drive(vehicle, 900, Environment(ambient_c=10.0), target_kmh=110)
    warm = vehicle.snapshot().body.tyre_pressures_Pa
    assert set(cold) == {"Row1.Left", "Row1.Right", "Row2.Left", "Row2.Right"}
    for wheel in cold:
        assert warm[wheel] > cold[wheel] + 5e3


def test_tyre_pressures_are_plausible_in_pascal(make_vehicle):
    for pressure in make_vehicle().snapshot().body.tyre_pressures_Pa.values():
        assert 200e3 < pressure < 300e3


def test_odometer_and_trip_count_distance(make_vehicle, drive):
    vehicle = make_vehicle(odometer_m=12_345.0)
    drive(vehicle, 100, target_kmh=72)
    state = vehicle.snapshot()
    driven = state.body.odometer_m - 12_345.0
    assert driven == pytest.approx(state.body.trip_m)
    assert 1700.0 < driven < 2000.0  # 100 s at up to 20 m/s after the ramp
    vehicle.reset_trip()
    assert vehicle.snapshot().body.trip_m == 0.0
    assert vehicle.snapshot().body.odometer_m == pytest.approx(state.body.odometer_m)


def test_battery_power_sign_follows_vss(make_vehicle, drive):
    vehicle = make_vehicle(soc=0.5)
    drive(vehicle, 5, accelerator=0.6)
    assert vehicle.snapshot().drive.battery_power_W < 0.0  # out of the battery while driving
    drive(vehicle, 2, brake=0.3)
    assert vehicle.snapshot().drive.battery_power_W > 0.0  # into the battery under regen


def test_reverse_drives_backwards_and_is_speed_limited(make_vehicle, drive, spec):
    vehicle = make_vehicle(gear=Gear.R)
    drive(vehicle, 20, accelerator=1.0, gear=Gear.R)
    assert vehicle.speed_mps < 0.0
    assert abs(vehicle.speed_mps) <= spec.reverse_max_speed_mps + 0.5


def test_gear_changes_only_at_standstill(make_vehicle, drive):
    vehicle = make_vehicle()
    drive(vehicle, 5, target_kmh=40)
    drive(vehicle, 0.1, gear=Gear.R)
    assert vehicle.gear is Gear.D


def test_park_holds_on_a_steep_slope(make_vehicle, drive):
    vehicle = make_vehicle(gear=Gear.P)
    drive(vehicle, 10, Environment(grade_rad=math.radians(30)), gear=Gear.P)
    assert vehicle.speed_mps == 0.0


def test_snapshot_is_json_serialisable(make_vehicle, drive):
    vehicle = make_vehicle()
    drive(vehicle, 3, target_kmh=30)
    data = vehicle.snapshot().to_dict()
    text = json.dumps(data, allow_nan=False)
    assert '"program_available"' in text
    assert data["gear"] == "D"
