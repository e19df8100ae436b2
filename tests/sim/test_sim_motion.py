"""Motion the driver can trust (issue 16, item 1): a table of grades, programs, gears and pedals
with the motion each must give, driven through the physics model in simulated time.

Before the fix a car braked to a stop on +15 % in D rolled back to 43 km/h in 10 s with no
pedal touched; in Rock Crawl (limit 30 km/h) it rolled back without end (254 km/h after 2 min),
and in R on a downhill it ran forwards to 200 km/h. Now:

* hill hold: at standstill in D or R the car stays put, on any grade, until the accelerator
  asks for enough drive to move off the selected way;
* it never moves against the selected gear;
* a program's speed limit, and the reverse limit, hold whichever way it moves and downhill;
* the off-road programs hold their descent speed downhill with the accelerator released
  (hill descent control), Rock Crawl slowest.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import pytest

from vehicle_sim.model import DriverInput, Environment, Gear, TerrainProgram, Vehicle
from vehicle_sim.model.environment import Surface
from vehicle_sim.model.motion_aids import HILL_DESCENT_SPEED_MPS

DT_S = 0.1
P = TerrainProgram
GRADES_PCT = (-15, -8, 0, 8, 15)
PEDALS = {"none": (0.0, 0.0), "brake": (0.0, 0.3), "light": (0.35, 0.0), "full": (1.0, 0.0)}
LIMIT_KMH = {P.COMFORT: 180.0, P.MUD_RUTS: 180.0, P.ROCK_CRAWL: 30.0, P.WADE: 15.0}
REVERSE_KMH = 25.0

# Light throttle (0.35) from standstill: where it is enough to move off the gear's way ("go")
# and where hill hold keeps the car ("hold") -- never a roll the other way.  The gentler a
# program's throttle map, the less it climbs: Rock Crawl does not move off up +8 %.
#                         -15 %   -8 %    0 %    +8 %   +15 %
LIGHT = {
    (P.COMFORT, Gear.D): ("go", "go", "go", "go", "hold"),
    (P.COMFORT, Gear.R): ("hold", "go", "go", "go", "go"),
    (P.MUD_RUTS, Gear.D): ("go", "go", "go", "go", "hold"),
    (P.MUD_RUTS, Gear.R): ("hold", "go", "go", "go", "go"),
    (P.ROCK_CRAWL, Gear.D): ("go", "go", "go", "hold", "hold"),
    (P.ROCK_CRAWL, Gear.R): ("hold", "hold", "go", "go", "go"),
    (P.WADE, Gear.D): ("go", "go", "go", "hold", "hold"),
    (P.WADE, Gear.R): ("hold", "hold", "go", "go", "go"),
}


def expected(program: TerrainProgram, gear: Gear, pedal: str, grade_pct: int) -> str:
    """The table: no pedal or the brake holds everywhere; full throttle always moves off."""
    if pedal in ("none", "brake"):
        return "hold"
    if pedal == "full":
        return "go"
    return LIGHT[(program, gear)][GRADES_PCT.index(grade_pct)]


def slope(grade_pct: float) -> Environment:
    return Environment(surface=Surface.GRAVEL, grade_rad=math.atan(grade_pct / 100.0))


def run(vehicle: Vehicle, seconds: float, env: Environment, gear: Gear,
        accelerator: float = 0.0, brake: float = 0.0) -> list[float]:
    """Step the model; the signed speeds (km/h) it went through."""
    driver = DriverInput(accelerator=accelerator, brake=brake, gear=gear)
    speeds = []
    for _ in range(round(seconds / DT_S)):
        vehicle.step(DT_S, driver, env)
        speeds.append(vehicle.speed_mps * 3.6)
    return speeds


CASES = [(program, gear, pedal, grade)
         for program, gear in LIGHT for pedal in PEDALS for grade in GRADES_PCT]


@pytest.mark.parametrize(("program", "gear", "pedal", "grade_pct"), CASES,
                         ids=[f"{p.name}-{g.name}-{d}-{s:+d}%" for p, g, d, s in CASES])
def test_motion_from_standstill(make_vehicle: Callable[..., Vehicle], program: TerrainProgram,
                                gear: Gear, pedal: str, grade_pct: int) -> None:
    vehicle = make_vehicle(program=program, gear=gear)
    accelerator, brake = PEDALS[pedal]
    speeds = run(vehicle, 30.0, slope(grade_pct), gear, accelerator, brake)
    way = -1.0 if gear is Gear.R else 1.0
    against = [s for s in speeds if s * way < 0.0]
    assert not against, f"moved against {gear.name}: {min(against, key=abs):.2f} km/h first"
    if expected(program, gear, pedal, grade_pct) == "hold":
        assert max(abs(s) for s in speeds) == 0.0
    else:
        assert speeds[-1] * way > 1.0, f"did not move off: {speeds[-1]:.2f} km/h"
    limit = min(LIMIT_KMH[program], REVERSE_KMH) if gear is Gear.R else LIMIT_KMH[program]
    assert max(abs(s) for s in speeds) <= limit


# Downhill with the accelerator released after moving off, 40 s: the descent speed (km/h),
# or None where the program has no hill descent control (the car runs on, lift-off regen
# alone does not hold it on -15 %).  In R the car reverses down a slope it faces up.
DESCENT = [
    (P.ROCK_CRAWL, Gear.D, -15, 5.0), (P.ROCK_CRAWL, Gear.D, -8, 5.0),
    (P.ROCK_CRAWL, Gear.R, 15, 5.0), (P.MUD_RUTS, Gear.D, -15, 8.0),
    (P.MUD_RUTS, Gear.R, 15, 8.0), (P.WADE, Gear.D, -8, 7.0),
    (P.GRASS_GRAVEL_SNOW, Gear.D, -15, 12.0), (P.SAND, Gear.D, -15, 12.0),
    (P.COMFORT, Gear.D, -15, None),
]


@pytest.mark.parametrize(("program", "gear", "grade_pct", "descent_kmh"), DESCENT,
                         ids=[f"{p.name}-{g.name}-{s:+d}%" for p, g, s, _ in DESCENT])
def test_hill_descent_control_holds_the_program_speed(
    make_vehicle: Callable[..., Vehicle], program: TerrainProgram, gear: Gear, grade_pct: int,
    descent_kmh: float | None,
) -> None:
    vehicle = make_vehicle(program=program, gear=gear)
    env = slope(grade_pct)
    run(vehicle, 4.0, env, gear, accelerator=0.6)          # move off and get going
    speeds = run(vehicle, 40.0, env, gear)                 # then let it roll down
    way = -1.0 if gear is Gear.R else 1.0
    assert all(s * way >= 0.0 for s in speeds)
    if descent_kmh is None:
        assert speeds[-1] * way > 20.0
    else:
        assert speeds[-1] * way == pytest.approx(descent_kmh, abs=0.1)
    # the drive frame says so, for the cabin's HDC lamp, exactly while HDC is in charge
    assert vehicle.snapshot().drive.hill_descent_active is (descent_kmh is not None)


def test_rock_crawl_descends_slowest() -> None:
    assert min(HILL_DESCENT_SPEED_MPS, key=HILL_DESCENT_SPEED_MPS.__getitem__) is P.ROCK_CRAWL
    assert P.COMFORT not in HILL_DESCENT_SPEED_MPS and P.ECO not in HILL_DESCENT_SPEED_MPS


def test_pressing_the_accelerator_overrides_descent_control(
        make_vehicle: Callable[..., Vehicle]) -> None:
    vehicle = make_vehicle(program=P.MUD_RUTS)
    env = slope(-8)
    run(vehicle, 20.0, env, Gear.D, accelerator=0.5)
    assert vehicle.speed_mps * 3.6 > 30.0
    assert not vehicle.snapshot().drive.hill_descent_active
    run(vehicle, 60.0, env, Gear.D)
    assert vehicle.speed_mps * 3.6 == pytest.approx(8.0, abs=0.1)
    assert vehicle.snapshot().drive.hill_descent_active


@pytest.mark.parametrize("grade_pct", [-15, 15])
@pytest.mark.parametrize(("program", "limit_kmh"), [(P.ROCK_CRAWL, 30.0), (P.WADE, 15.0)])
def test_a_program_limit_holds_rolling_in_neutral_either_way(
    make_vehicle: Callable[..., Vehicle], program: TerrainProgram, limit_kmh: float,
    grade_pct: int,
) -> None:
    """N has no hill hold: the car rolls down the slope, forwards or backwards, and the
    program's limit still holds its speed (it is reported signed: negative = backwards)."""
    vehicle = make_vehicle(program=program, gear=Gear.N)
    speeds = run(vehicle, 60.0, slope(grade_pct), Gear.N)
    downhill_way = -1.0 if grade_pct > 0 else 1.0
    assert speeds[-1] * downhill_way > limit_kmh - 1.0
    assert max(abs(s) for s in speeds) <= limit_kmh


def test_comfort_in_neutral_rolls_back_and_says_so(make_vehicle: Callable[..., Vehicle]) -> None:
    vehicle = make_vehicle(gear=Gear.N)
    run(vehicle, 5.0, slope(15), Gear.N)
    assert vehicle.speed_mps < -5.0
    assert vehicle.snapshot().drive.speed_mps == vehicle.speed_mps


def test_the_trail_case_holds_after_braking_to_a_stop(
        make_vehicle: Callable[..., Vehicle]) -> None:
    """Issue 16 as seen: driven, braked to a stop, +15 % set, no pedal for 10 s."""
    vehicle = make_vehicle(program=P.GRASS_GRAVEL_SNOW)
    run(vehicle, 10.0, slope(0), Gear.D, accelerator=0.4)
    run(vehicle, 10.0, slope(0), Gear.D, brake=0.5)
    assert vehicle.speed_mps == 0.0
    speeds = run(vehicle, 10.0, slope(15), Gear.D)
    assert max(abs(s) for s in speeds) == 0.0
    run(vehicle, 10.0, slope(15), Gear.D, accelerator=0.8)   # and moves off uphill
    assert vehicle.speed_mps > 1.0


def test_selecting_d_while_rolling_back_stops_the_car(
        make_vehicle: Callable[..., Vehicle]) -> None:
    vehicle = make_vehicle(gear=Gear.N)
    env = slope(15)
    driver = DriverInput(gear=Gear.N)
    while vehicle.speed_mps > -0.2:          # a crawl backwards, slow enough to select D
        vehicle.step(DT_S, driver, env)
    speeds = run(vehicle, 5.0, env, Gear.D)
    assert vehicle.gear is Gear.D
    assert speeds[-1] == 0.0 and all(s <= 0.0 for s in speeds)
    assert speeds.index(0.0) <= 1
