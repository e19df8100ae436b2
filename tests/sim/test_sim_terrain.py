"""Terrain Response: program table, request rules, Auto, engagement states."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from vehicle_sim.model import (
    PROGRAM_EFFECTS,
    ChargerType,
    Environment,
    Gear,
    ProgramState,
    RideHeightLevel,
    Surface,
    TerrainProgram,
)
from vehicle_sim.model.terrain import (
    PROGRAM_RULES,
    ProgramRequestContext,
    TerrainController,
    auto_select,
    check_program_request,
)

P = TerrainProgram


def test_program_members_are_exactly_the_specified_ones():
    assert [p.name for p in TerrainProgram] == [
        "AUTO",
        "COMFORT",
        "ECO",
        "GRASS_GRAVEL_SNOW",
        "MUD_RUTS",
        "SAND",
        "ROCK_CRAWL",
        "WADE",
    ]


def test_every_program_has_effects():
    assert set(PROGRAM_EFFECTS) == set(TerrainProgram)


@pytest.mark.parametrize("program", list(TerrainProgram))
def test_effects_are_within_their_ranges(program):
    e = PROGRAM_EFFECTS[program]
    assert -100 <= e.torque_distribution <= 100
    assert 0.0 < e.slip_allowance < 0.5
    assert e.throttle_progression > 0.0
    assert 0.0 < e.power_fraction <= 1.0
    assert 0.8 < e.consumption_factor < 1.6
    assert e.min_ride_height.value <= e.ride_height.value


def test_only_rock_crawl_and_wade_have_speed_limits():
    limited = {p for p, e in PROGRAM_EFFECTS.items() if e.max_speed_mps is not None}
    assert limited == {P.ROCK_CRAWL, P.WADE}
    assert PROGRAM_EFFECTS[P.WADE].max_speed_mps < PROGRAM_EFFECTS[P.ROCK_CRAWL].max_speed_mps


def test_raised_programs_raise_the_body():
    for program in (P.MUD_RUTS, P.SAND, P.ROCK_CRAWL, P.WADE):
        assert PROGRAM_EFFECTS[program].ride_height.is_raised
    assert PROGRAM_EFFECTS[P.ROCK_CRAWL].ride_height is RideHeightLevel.EXTENDED


def test_rules_table_has_codes_and_sentences():
    for rule in PROGRAM_RULES:
        assert rule.code and rule.code == rule.code.lower() and " " not in rule.code
        assert rule.message.endswith(".")


@pytest.mark.parametrize(
    ("program", "speed_kmh", "accepted", "code"),
    [
        (P.ROCK_CRAWL, 0, True, "accepted"),
        (P.ROCK_CRAWL, 29, True, "accepted"),
        (P.ROCK_CRAWL, 35, False, "speed_too_high"),
        (P.WADE, 10, True, "accepted"),
        (P.WADE, 14, True, "accepted"),
        (P.WADE, 20, False, "speed_too_high"),
        (P.COMFORT, 150, True, "accepted"),
        (P.ECO, 130, True, "accepted"),
        (P.SAND, 100, True, "accepted"),
        (P.MUD_RUTS, 80, True, "accepted"),
        (P.GRASS_GRAVEL_SNOW, 120, True, "accepted"),
        (P.AUTO, 150, True, "accepted"),
    ],
)
def test_program_rules_by_speed(program, speed_kmh, accepted, code):
    decision = check_program_request(ProgramRequestContext(program, speed_kmh / 3.6, True, False))
    assert decision.accepted is accepted
    assert decision.code == code
    assert decision.message


@pytest.mark.parametrize(
    ("ready", "charging", "code"),
    [(False, False, "not_ready"), (True, True, "vehicle_charging"), (False, True, "not_ready")],
)
def test_program_rules_for_power_and_charging(ready, charging, code):
    decision = check_program_request(ProgramRequestContext(P.SAND, 0.0, ready, charging))
    assert not decision.accepted and decision.code == code


def test_refusal_message_names_the_program_and_the_limit():
    decision = check_program_request(ProgramRequestContext(P.ROCK_CRAWL, 50 / 3.6, True, False))
    assert "ROCK_CRAWL" in decision.message and "30 km/h" in decision.message


def test_refused_request_keeps_the_current_program(make_vehicle, drive):
    vehicle = make_vehicle(program=P.SAND)
    drive(vehicle, 15, target_kmh=60)
    decision = vehicle.request_terrain_program(P.ROCK_CRAWL)
    assert not decision.accepted and decision.code == "speed_too_high"
    state = vehicle.snapshot()
    terrain = state.terrain
    assert (terrain.program_requested, terrain.program_active, terrain.program_state) == (
        "SAND",
        "SAND",
        "ACTIVE",
    )


def test_unknown_program_name_is_refused(make_vehicle):
    decision = make_vehicle().request_terrain_program("DYNAMIC")
    assert not decision.accepted and decision.code == "unknown_value"


def test_program_can_be_requested_by_name(make_vehicle):
    assert make_vehicle().request_terrain_program("grass_gravel_snow").accepted


def test_charging_blocks_program_changes(make_vehicle):
    vehicle = make_vehicle(gear=Gear.P)
    vehicle.connect_charger(ChargerType.AC)
    decision = vehicle.request_terrain_program(P.MUD_RUTS)
    assert not decision.accepted and decision.code == "vehicle_charging"


@pytest.mark.parametrize("surface", list(Surface))
@pytest.mark.parametrize("speed_kmh", [0, 10, 29, 31, 60, 130])
def test_auto_never_picks_eco_wade_or_auto(surface, speed_kmh):
    assert auto_select(surface, speed_kmh / 3.6) not in (P.ECO, P.WADE, P.AUTO)


@pytest.mark.parametrize(
    ("surface", "expected"),
    [
        (Surface.TARMAC, P.COMFORT),
        (Surface.GRAVEL, P.GRASS_GRAVEL_SNOW),
        (Surface.SNOW, P.GRASS_GRAVEL_SNOW),
        (Surface.MUD, P.MUD_RUTS),
        (Surface.SAND, P.SAND),
        (Surface.ROCK, P.ROCK_CRAWL),
    ],
)
def test_auto_picks_the_program_for_the_surface(surface, expected):
    assert auto_select(surface, 5 / 3.6) is expected


def test_auto_respects_rock_crawl_speed_limit():
    assert auto_select(Surface.ROCK, 50 / 3.6) is P.GRASS_GRAVEL_SNOW


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(list(Surface)), st.floats(0.0, 50.0), st.floats(0.05, 5.0)),
        min_size=1,
        max_size=20,
    )
)
def test_auto_controller_never_applies_eco_or_wade(legs):
    controller = TerrainController(P.AUTO, engage_s=1.5, auto_confirm_s=2.0)
    for surface, speed, seconds in legs:
        for _ in range(max(1, round(seconds / 0.1))):
            controller.step(0.1, surface, speed, ride_height_settled=True)
            assert controller.effective not in (P.ECO, P.WADE, P.AUTO)


def test_auto_waits_for_the_surface_to_persist():
    controller = TerrainController(P.AUTO, engage_s=1.5, auto_confirm_s=2.0)
    controller.step(0.1, Surface.TARMAC, 10.0, True)
    assert controller.auto_selected is P.COMFORT
    for _ in range(15):  # 1.5 s on sand: not yet
        controller.step(0.1, Surface.SAND, 10.0, True)
    assert controller.auto_selected is P.COMFORT
    for _ in range(10):
        controller.step(0.1, Surface.SAND, 10.0, True)
    assert controller.auto_selected is P.SAND


def test_change_goes_requested_engaging_active(make_vehicle, drive, spec):
    vehicle = make_vehicle(gear=Gear.P)
    vehicle.request_terrain_program(P.GRASS_GRAVEL_SNOW)
    assert vehicle.snapshot().terrain.program_state == "REQUESTED"
    drive(vehicle, 0.1, gear=Gear.P)
    assert vehicle.snapshot().terrain.program_state == "ENGAGING"
    drive(vehicle, spec.program_engage_s - 0.3, gear=Gear.P)
    state = vehicle.snapshot()
    assert state.terrain.program_state == "ENGAGING" and state.terrain.program_active == "COMFORT"
    drive(vehicle, 0.5, gear=Gear.P)
    state = vehicle.snapshot()
    terrain = state.terrain
    assert terrain.program_state == "ACTIVE" and terrain.program_active == "GRASS_GRAVEL_SNOW"


def test_engagement_waits_for_the_ride_height(make_vehicle, drive, spec):
    vehicle = make_vehicle(gear=Gear.P)
    vehicle.request_terrain_program(P.ROCK_CRAWL)
    travel_s = (
        RideHeightLevel.EXTENDED.clearance_m - RideHeightLevel.NORMAL.clearance_m
    ) / spec.ride_height_raise_rate_mps
    assert travel_s > spec.program_engage_s
    drive(vehicle, travel_s - 0.5, gear=Gear.P)
    assert vehicle.snapshot().terrain.program_state == "ENGAGING"
    drive(vehicle, 1.0, gear=Gear.P)
    state = vehicle.snapshot()
    assert state.terrain.program_state == "ACTIVE" and state.terrain.ride_height_level == "EXTENDED"


def test_old_program_settings_apply_until_active(make_vehicle, drive):
    vehicle = make_vehicle(gear=Gear.P, program=P.COMFORT)
    vehicle.request_terrain_program(P.SAND)
    drive(vehicle, 0.5, gear=Gear.P)
    assert vehicle.snapshot().drive.traction_control_mode == "NORMAL"
    drive(vehicle, 10, gear=Gear.P)
    assert vehicle.snapshot().drive.traction_control_mode == "REDUCED"


def test_requesting_the_active_program_is_accepted_without_change(make_vehicle):
    decision = make_vehicle(program=P.SAND).request_terrain_program(P.SAND)
    assert decision.accepted and decision.code == "already_active"


def test_snapshot_availability_follows_the_rules_at_current_speed(make_vehicle, drive):
    vehicle = make_vehicle()
    drive(vehicle, 10, target_kmh=20)
    available = vehicle.snapshot().terrain.program_available
    assert available["ROCK_CRAWL"] and not available["WADE"]
    drive(vehicle, 10, target_kmh=50)
    state = vehicle.snapshot()
    assert not state.terrain.program_available["ROCK_CRAWL"]
    assert state.terrain.program_unavailable_reasons["ROCK_CRAWL"] == "speed_too_high"
    assert (
        state.terrain.program_available["COMFORT"]
        and state.terrain.program_unavailable_reasons["COMFORT"] is None
    )


def test_wade_is_suggested_in_water_but_never_auto_selected(make_vehicle, drive):
    vehicle = make_vehicle(program=P.AUTO)
    drive(vehicle, 10, Environment(surface=Surface.WATER, water_depth_m=0.5), target_kmh=5)
    state = vehicle.snapshot()
    assert state.terrain.program_suggested == "WADE"
    assert state.terrain.program_effective != "WADE"


def test_rock_crawl_governs_speed(make_vehicle, drive):
    vehicle = make_vehicle(program=P.ROCK_CRAWL)
    drive(vehicle, 30, Environment(surface=Surface.ROCK), accelerator=1.0)
    assert vehicle.speed_mps * 3.6 <= 30.5


def test_sand_program_gets_through_sand_faster_than_comfort(make_vehicle, drive):
    speeds = {}
    for program in (P.COMFORT, P.SAND):
        vehicle = make_vehicle(program=program)
        drive(vehicle, 4, Environment(surface=Surface.SAND), accelerator=1.0)
        speeds[program] = vehicle.speed_mps
    assert speeds[P.SAND] > speeds[P.COMFORT]


def test_program_state_enum_values():
    assert [s.name for s in ProgramState] == ["REQUESTED", "ENGAGING", "ACTIVE"]


@pytest.mark.parametrize(
    ("program", "off_hours", "expected"),
    [
        (P.SAND, 4.0, "COMFORT"),
        (P.MUD_RUTS, 4.0, "COMFORT"),
        (P.SAND, 1.0, "SAND"),
        (P.ROCK_CRAWL, 4.0, "ROCK_CRAWL"),
        (P.GRASS_GRAVEL_SNOW, 4.0, "GRASS_GRAVEL_SNOW"),
    ],
)
def test_mud_and_sand_revert_to_comfort_after_hours_off(
    make_vehicle, drive, program, off_hours, expected
):
    vehicle = make_vehicle(gear=Gear.P, program=program)
    assert vehicle.set_ready(False).accepted
    vehicle.time_s += off_hours * 3600.0  # parked: nothing else changes
    assert vehicle.set_ready(True).accepted
    assert vehicle.snapshot().terrain.program_active == expected


def test_switching_off_while_moving_is_refused(make_vehicle, drive):
    vehicle = make_vehicle()
    drive(vehicle, 5, target_kmh=30)
    decision = vehicle.set_ready(False)
    assert not decision.accepted and decision.code == "vehicle_moving"
    assert vehicle.ready


@pytest.mark.parametrize(
    ("setup", "reason"),
    [("off", "not_ready"), ("plugged", "charger_connected"), ("none", None)],
)
def test_drive_inhibit_reason(make_vehicle, setup, reason):
    vehicle = make_vehicle(gear=Gear.P)
    if setup == "off":
        vehicle.set_ready(False)
    elif setup == "plugged":
        vehicle.connect_charger(ChargerType.AC)
    assert vehicle.snapshot().drive.drive_inhibit_reason == reason


def test_auto_on_rock_moves_on_from_rock_crawl_as_speed_rises(make_vehicle, drive):
    vehicle = make_vehicle(program=P.AUTO)
    rock = Environment(surface=Surface.ROCK)
    drive(vehicle, 10, rock, target_kmh=10)
    assert vehicle.snapshot().terrain.program_auto_selected == "ROCK_CRAWL"
    drive(vehicle, 30, rock, target_kmh=45)
    state = vehicle.snapshot()
    assert state.drive.speed_mps * 3.6 > 40.0
    assert state.terrain.program_auto_selected == "GRASS_GRAVEL_SNOW"
