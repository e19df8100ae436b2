"""The limit phases of a vehicle step: electrical loads, pack power limits, force caps, governor.

What the car may do this step, before anybody asks it to do anything: these phases bound
the pedals and the traction phases in phases_motion.  Same conventions as there: forces
in N in the frame of the selected gear, pure functions returning frozen results.
"""

from __future__ import annotations

from dataclasses import dataclass

from .driver import Gear
from .energy import (
    axle_force_limit_N,
    climate_power_W,
    discharge_power_limit_W,
    regen_fade,
    regen_power_limit_W,
)
from .motion_aids import hold_brake_N, rolling_against_gear
from .spec import VehicleSpec
from .terrain import ProgramEffects

WHEEL_POWER_PER_ELECTRICAL = 0.88
"""Conservative drive-unit efficiency used only to turn battery limits into force caps."""


@dataclass(frozen=True, slots=True)
class Loads:
    """Electrical loads besides the drive units, in W."""

    aux_W: float = 0.0
    climate_W: float = 0.0
    chiller_W: float = 0.0

    @property
    def total_W(self) -> float:
        """All of them (summed in the order the ledger and the pack see them)."""
        return self.aux_W + self.climate_W + self.chiller_W


def electrical_loads(
    spec: VehicleSpec, ready: bool, plugged: bool, ambient_c: float, chiller_demand_W: float
) -> Loads:
    """Auxiliaries while awake (ready or plugged in), climate only when ready."""
    awake = ready or plugged
    return Loads(
        spec.aux_base_power_W if awake else 0.0,
        climate_power_W(spec, ambient_c) if ready else 0.0,
        chiller_demand_W if awake else 0.0,
    )


@dataclass(frozen=True, slots=True)
class PowerLimits:
    """What the pack may give (discharge) and take (regen) now, in W."""

    discharge_W: float
    regen_W: float


def power_limits(spec: VehicleSpec, soc: float, pack_temperature_c: float) -> PowerLimits:
    """Pack limits at the start of the step."""
    return PowerLimits(
        discharge_power_limit_W(spec, soc, pack_temperature_c),
        regen_power_limit_W(spec, soc, pack_temperature_c),
    )


@dataclass(frozen=True, slots=True)
class ForceLimits:
    """Wheel-force caps per axle and in total, in N, gear frame."""

    drive_front_N: float = 0.0
    drive_rear_N: float = 0.0
    max_drive_N: float = 0.0
    regen_front_N: float = 0.0
    regen_rear_N: float = 0.0
    regen_cap_N: float = 0.0
    coast_N: float = 0.0
    """Lift-off regen force (the program's regen level), within the regen cap."""


NO_FORCE = ForceLimits()
"""The caps of a vehicle that cannot drive (off, plugged in, P/N, empty)."""


def force_limits(
    spec: VehicleSpec,
    speed_mps: float,
    v_dir_mps: float,
    effects: ProgramEffects,
    power: PowerLimits,
    loads_W: float,
) -> ForceLimits:
    """Drive-unit torque curves, cut to what the pack can give and take after the loads."""
    r = spec.wheel_radius_m
    eta = spec.gear_efficiency
    front, rear = spec.front_motor, spec.rear_motor
    mot_f = axle_force_limit_N(front, speed_mps, r, eta, effects.power_fraction)
    mot_r = axle_force_limit_N(rear, speed_mps, r, eta, effects.power_fraction)
    available_W = power.discharge_W - loads_W
    battery_cap = (max(0.0, available_W)) * WHEEL_POWER_PER_ELECTRICAL / (max(2.0, speed_mps))
    max_drive = mot_f + mot_r
    if battery_cap < max_drive:
        scale = battery_cap / max_drive if max_drive > 0.0 else 0.0
        mot_f *= scale
        mot_r *= scale
        max_drive = battery_cap
    if v_dir_mps > 0.5:
        regen_wheel_W = (power.regen_W + loads_W) / WHEEL_POWER_PER_ELECTRICAL
        reg_f = axle_force_limit_N(front, speed_mps, r, eta)
        reg_r = axle_force_limit_N(rear, speed_mps, r, eta)
        regen_cap = reg_f + reg_r
        scale = regen_fade(speed_mps)
        if regen_wheel_W / speed_mps < regen_cap:
            scale *= regen_wheel_W / speed_mps / regen_cap
        reg_f *= scale
        reg_r *= scale
        regen_cap *= scale
    else:
        regen_cap = reg_f = reg_r = 0.0
    coast = effects.regen_level.liftoff_decel_mps2 * spec.mass_kg
    coast = min(coast, regen_cap)
    return ForceLimits(mot_f, mot_r, max_drive, reg_f, reg_r, regen_cap, coast)


@dataclass(frozen=True, slots=True)
class Governed:
    """Force caps after the speed governor, and the brake force it adds above the limit."""

    limits: ForceLimits
    brake_N: float


def governor(
    spec: VehicleSpec,
    gear: Gear,
    v_dir_mps: float,
    program_max_speed_mps: float | None,
    auto_active: bool,
    limits: ForceLimits,
    downhill_N: float = 0.0,
) -> Governed:
    """Speed governor: reverse or top speed, or the program's limit when the driver chose it.

    The limit holds whichever way the car moves: in N the speed either way is governed; in D
    or R a car moving against the gear is braked to a stop (motion_aids: roll-back catch).
    Auto does not cap speed: it moves on to another program as speed rises.  Drive force
    tapers off over the last 1 m/s, so that on the level the car settles under the limit;
    above it the brakes pull it back, and downhill they cancel the slope's pull first
    (downhill_N, see motion_aids.hold_brake_N), so that a descent cannot carry it over.
    """
    if rolling_against_gear(gear, v_dir_mps):
        return Governed(limits, spec.mass_kg * spec.friction_brake_max_decel_mps2)
    limit = spec.reverse_max_speed_mps if gear is Gear.R else spec.top_speed_mps
    if program_max_speed_mps is not None and program_max_speed_mps < limit and not auto_active:
        limit = program_max_speed_mps
    speed = v_dir_mps if v_dir_mps >= 0.0 else -v_dir_mps
    brake = hold_brake_N(speed, limit, downhill_N, spec.mass_kg)
    if speed <= limit - 1.0 and brake == 0.0:
        return Governed(limits, 0.0)
    taper = max(limit - speed, 0.0)
    tapered = ForceLimits(
        limits.drive_front_N * taper,
        limits.drive_rear_N * taper,
        limits.max_drive_N * taper,
        limits.regen_front_N,
        limits.regen_rear_N,
        limits.regen_cap_N,
        limits.coast_N,
    )
    return Governed(tapered, brake)
