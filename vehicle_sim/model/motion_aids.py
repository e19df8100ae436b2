"""Motion aids: hill hold, hill descent control (HDC) and the speed governor's brake.

What an EV does on a slope without being asked, so that the car never runs away:

* Hill hold (like auto-hold and creep on an EV): at standstill in D or R the brakes hold the
  car on any grade until the driver asks for drive in the selected direction strongly enough
  to move off that way.  It never rolls back, and never rolls on downhill without the pedal.
  (The decision is in phases_motion.integrate; `moves_off` is its rule.)
* Roll-back catch: moving against the selected gear (D rolling backwards, R rolling forwards,
  as after a change of gear at a crawl) brings the brakes on until the car stands.
* Hill descent control: in the off-road programs, going downhill in the gear's direction with
  the accelerator released, the brakes (regen first, then friction, as every brake request
  here) hold the program's descent speed.  Pressing the accelerator overrides it; releasing
  it brings the car back down to the descent speed.  Rock Crawl's is the slowest (reference:
  Land Rover handbooks: "Mud/Ruts: HDC on; Rock Crawl: slowest hill descent").
* Holding a limit downhill: a brake request that cancels the slope's pull and corrects the
  remaining error (`hold_brake_N`), so the speed settles at the hold speed itself instead of
  the 1-3 km/h above it a pure proportional brake leaves on a steep grade.

Pure functions of the step's inputs, forces in N, speeds in m/s.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType

from .driver import COAST_POINT, Gear
from .terrain_program import TerrainProgram
from .units import kmh

HOLD_GAIN_PER_S = 2.0
"""Brake force per m/s above the hold speed, per kg (the governor's gain, as before)."""

DRIVE_GEARS = (Gear.D, Gear.R)

# The off-road programs' descent speeds; road programs (Comfort, Eco, Auto before its pick)
# have none.  Wade stays under its 15 km/h limit at a bow-wave pace; Rock Crawl is slowest.
HILL_DESCENT_SPEED_MPS: Mapping[TerrainProgram, float] = MappingProxyType({
    TerrainProgram.GRASS_GRAVEL_SNOW: kmh(12.0),
    TerrainProgram.MUD_RUTS: kmh(8.0),
    TerrainProgram.SAND: kmh(12.0),
    TerrainProgram.ROCK_CRAWL: kmh(5.0),
    TerrainProgram.WADE: kmh(7.0),
})


def downhill_pull_N(grade_x_N: float, rolling_N: float, v_mps: float) -> float:
    """How hard the slope pulls the car on along its way of travel, less rolling resistance
    (positive: brakes are needed to keep the speed).  grade_x_N is ground-frame gravity."""
    along = grade_x_N if v_mps >= 0.0 else -grade_x_N
    return along - rolling_N


def hold_brake_N(speed_mps: float, hold_mps: float, downhill_N: float, mass_kg: float) -> float:
    """Brake force that holds `speed_mps` at `hold_mps`: the slope's pull cancelled
    (feed-forward) plus a proportional correction; zero well below the hold speed."""
    pull = downhill_N if downhill_N > 0.0 else 0.0
    brake = pull + HOLD_GAIN_PER_S * mass_kg * (speed_mps - hold_mps)
    return brake if brake > 0.0 else 0.0


def hill_descent_brake_N(
    program: TerrainProgram,
    gear: Gear,
    accelerator: float,
    v_dir_mps: float,
    downhill_N: float,
    mass_kg: float,
) -> float | None:
    """HDC's brake request, or None when HDC is not in charge: it is only in a program with a
    descent speed, in D or R, moving the gear's way downhill with the accelerator released
    (at or below the coast point: pressing it overrides HDC)."""
    target = HILL_DESCENT_SPEED_MPS.get(program)
    if (
        target is None
        or gear not in DRIVE_GEARS
        or accelerator > COAST_POINT
        or v_dir_mps <= 0.0
        or downhill_N <= 0.0
    ):
        return None
    return hold_brake_N(v_dir_mps, target, downhill_N, mass_kg)


def moves_off(gear: Gear, direction: float, traction_x_N: float, active_N: float) -> bool:
    """Hill hold's rule at standstill in D or R: the brakes let go only when the driver's
    drive force points the gear's way and, with the slope, beats the hold that way."""
    if gear not in DRIVE_GEARS:
        return True
    return traction_x_N * direction > 0.0 and active_N * direction > 0.0


def rolling_against_gear(gear: Gear, v_dir_mps: float) -> bool:
    """D rolling backwards or R rolling forwards."""
    return gear in DRIVE_GEARS and v_dir_mps < 0.0
