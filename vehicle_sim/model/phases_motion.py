"""The motion phases of a vehicle step: road load, pedals, wheel demand, traction, integration.

Each phase is a function of its inputs that returns a small frozen result, so each can be
tested alone (feed a state, check the physics) and Vehicle.step only calls them in order and
commits what they return.  The arithmetic is the one the monolithic step did, in the same
order: the golden trajectories in tests/sim/test_sim_golden.py hold it to the bit.

Directions: "v_dir" and the forces of ForceLimits, Pedals and Traction are in the frame of
the selected gear (positive = the way the gear drives); Motion is in the ground frame.
"""

from __future__ import annotations

import math
import random
from dataclasses import dataclass

from .driver import DriverInput, Gear, SpeedFollower, accelerator_force_N, pedals_for_force
from .energy import aero_drag_N, air_density_kg_m3, water_drag_N
from .environment import SURFACE_GRIP, Environment
from .motion_aids import moves_off
from .phases_limits import ForceLimits, Governed
from .spec import VehicleSpec
from .terrain import ProgramEffects
from .torque import axle_normal_loads_N, split_axle_forces, traction_limit_N
from .units import GRAVITY_MPS2

GRIP_NOISE = 0.03
"""Per-step random variation of axle grip (seeded), the texture of real ground."""


@dataclass(frozen=True, slots=True)
class RoadLoad:
    """Resistances at the start of the step (N, magnitudes) and the grade's pull (signed)."""

    cos_grade: float
    sin_grade: float
    rolling_N: float
    grade_x_N: float
    """Ground-frame force of gravity along the slope (negative uphill when moving forwards)."""
    aero_N: float
    water_N: float
    brake_max_N: float
    effective_mass_kg: float


def road_load(
    spec: VehicleSpec, env: Environment, speed_mps: float, crr: float
) -> RoadLoad:
    """Rolling resistance on this surface, grade, air drag and water drag."""
    mass = spec.mass_kg
    cos_g = math.cos(env.grade_rad)
    sin_g = math.sin(env.grade_rad)
    return RoadLoad(
        cos_g,
        sin_g,
        crr * mass * GRAVITY_MPS2 * cos_g,
        -mass * GRAVITY_MPS2 * sin_g,
        aero_drag_N(speed_mps, spec.cda_m2, air_density_kg_m3(env.ambient_c)),
        water_drag_N(speed_mps, env.water_depth_m, spec.body_width_m),
        mass * spec.friction_brake_max_decel_mps2,
        spec.effective_mass_kg,
    )


@dataclass(frozen=True, slots=True)
class Pedals:
    """Pedal positions, 0..1."""

    accelerator: float = 0.0
    brake: float = 0.0


def pedals(
    driver: DriverInput,
    follower: SpeedFollower,
    road: RoadLoad,
    limits: ForceLimits,
    v_dir_mps: float,
    direction: float,
    progression: float,
    dt_s: float,
) -> Pedals:
    """The driver's pedals, or the speed follower's when the driver gives a target speed.

    The follower's PI integral is the one piece of state this phase advances.
    """
    if driver.target_speed_mps is None:
        return Pedals(min(1.0, max(0.0, driver.accelerator)), min(1.0, max(0.0, driver.brake)))
    feedforward = (road.rolling_N + road.aero_N + road.water_N) - road.grade_x_N * direction
    wanted = follower.force_N(
        driver.target_speed_mps,
        driver.target_accel_mps2,
        v_dir_mps,
        road.effective_mass_kg,
        feedforward,
        dt_s,
        limits.max_drive_N,
        -(limits.coast_N + road.brake_max_N),
    )
    accelerator, brake = pedals_for_force(
        wanted, limits.max_drive_N, limits.coast_N, progression, road.brake_max_N
    )
    return Pedals(accelerator, brake)


def wheel_demand_N(
    pedal: Pedals,
    governed: Governed,
    brake_max_N: float,
    progression: float,
    can_drive: bool,
    descent_brake_N: float | None = None,
) -> float:
    """Total wheel force asked for (gear frame): accelerator map minus the brake pedal.

    While hill descent control is in charge (descent_brake_N not None) its brake replaces the
    lift-off regen of the accelerator map, so the car descends at the program's speed, not
    slower; the brake pedal adds to it (the driver slows further).  The governor's brake
    (speed limit, roll-back catch) adds to whatever else there is.
    """
    limits = governed.limits
    if descent_brake_N is None:
        demand = (
            accelerator_force_N(pedal.accelerator, limits.max_drive_N, limits.coast_N, progression)
            if can_drive
            else 0.0
        )
        demand -= pedal.brake * brake_max_N
    else:
        demand = -(descent_brake_N + pedal.brake * brake_max_N)
    demand -= governed.brake_N
    return demand


@dataclass(frozen=True, slots=True)
class Traction:
    """Axle forces delivered (gear frame), friction braking, slip and traction control."""

    force_front_N: float = 0.0
    force_rear_N: float = 0.0
    friction_N: float = 0.0
    slip_front: float = 0.0
    slip_rear: float = 0.0
    tc_intervening: bool = False


def _slip(allowance: float, at_limit: bool, optimal: float, force: float, limit: float) -> float:
    """At the traction limit the program's slip allowance, else a share of optimal slip."""
    if at_limit:
        return allowance
    return 0.5 * optimal * (force / limit if limit > 0 else 0.0)


def traction(
    spec: VehicleSpec,
    env: Environment,
    effects: ProgramEffects,
    demand_N: float,
    limits: ForceLimits,
    road: RoadLoad,
    accel_mps2: float,
    lockers_engaged: tuple[bool, bool],
    rng: random.Random,
) -> Traction:
    """Split the demand over the axles: drive within grip and motors, regen then friction.

    Grip varies a little from step to step (GRIP_NOISE, drawn from rng front then rear,
    and only when driving), as real ground does.
    """
    rear_fraction = effects.rear_fraction
    if demand_N < 0.0:
        regen = max(-limits.regen_cap_N, demand_N)
        if regen < 0.0:
            force_f, force_r = split_axle_forces(
                regen, rear_fraction, limits.regen_front_N, limits.regen_rear_N
            )
        else:
            force_f = force_r = 0.0
        return Traction(force_f, force_r, -(demand_N - force_f - force_r))
    if demand_N == 0.0:
        return Traction()
    load_f, load_r = axle_normal_loads_N(
        spec.mass_kg,
        spec.front_axle_load_fraction,
        spec.cg_height_m,
        spec.wheelbase_m,
        road.cos_grade,
        road.sin_grade,
        accel_mps2,
    )
    grip = SURFACE_GRIP[env.surface]
    allowance = effects.slip_allowance
    trac_f = traction_limit_N(
        load_f,
        grip,
        env.front_grip * (1.0 + GRIP_NOISE * (2.0 * rng.random() - 1.0)),
        lockers_engaged[0],
        allowance,
    )
    trac_r = traction_limit_N(
        load_r,
        grip,
        env.rear_grip * (1.0 + GRIP_NOISE * (2.0 * rng.random() - 1.0)),
        lockers_engaged[1],
        allowance,
    )
    mot_f, mot_r = limits.drive_front_N, limits.drive_rear_N
    force_f, force_r = split_axle_forces(
        demand_N, rear_fraction, min(trac_f, mot_f), min(trac_r, mot_r)
    )
    at_limit_f = trac_f <= mot_f and force_f >= trac_f * 0.999
    at_limit_r = trac_r <= mot_r and force_r >= trac_r * 0.999
    return Traction(
        force_f,
        force_r,
        0.0,
        _slip(allowance, at_limit_f, grip.optimal_slip, force_f, trac_f),
        _slip(allowance, at_limit_r, grip.optimal_slip, force_r, trac_r),
        (at_limit_f or at_limit_r) and force_f + force_r < demand_N - 1.0,
    )


@dataclass(frozen=True, slots=True)
class Motion:
    """One step of longitudinal motion, ground frame."""

    v1_mps: float
    ds_m: float
    """Signed displacement."""
    accel_mps2: float
    friction_N: float
    """Friction brake force actually applied (the park lock holds with full braking)."""
    fx_front_N: float
    fx_rear_N: float

    @property
    def distance_m(self) -> float:
        """Distance travelled, either way."""
        return self.ds_m if self.ds_m >= 0.0 else -self.ds_m

    @property
    def traction_x_N(self) -> float:
        """Both axles' wheel force."""
        return self.fx_front_N + self.fx_rear_N


def integrate(
    v0_mps: float, dt_s: float, gear: Gear, direction: float, trac: Traction, road: RoadLoad
) -> Motion:
    """Forces constant over the step (work = force x distance); a stop inside the step ends it.

    From standstill the car moves only if the active forces beat rolling resistance and
    brakes; in P it does not move; in D or R hill hold keeps it until the driver's drive
    force moves it off the gear's way (motion_aids.moves_off).
    """
    fx_f = trac.force_front_N * direction
    fx_r = trac.force_rear_N * direction
    traction_x = fx_f + fx_r
    friction = road.brake_max_N if gear is Gear.P else trac.friction_N
    m_eff = road.effective_mass_kg
    if v0_mps == 0.0:
        active = traction_x + road.grade_x_N
        hold = road.rolling_N + friction
        if (
            gear is Gear.P
            or abs(active) <= hold
            or not moves_off(gear, direction, traction_x, active)
        ):
            v1 = 0.0
            ds = 0.0
        else:
            sgn = 1.0 if active > 0.0 else -1.0
            a = (active - sgn * hold) / m_eff
            v1 = a * dt_s
            ds = 0.5 * v1 * dt_s
    else:
        sgn = 1.0 if v0_mps > 0.0 else -1.0
        resist = road.rolling_N + road.aero_N + road.water_N + friction
        a = (traction_x + road.grade_x_N - sgn * resist) / m_eff
        v1 = v0_mps + a * dt_s
        if v1 * sgn < 0.0:
            tau = -v0_mps / a
            ds = 0.5 * v0_mps * tau
            v1 = 0.0
        else:
            ds = 0.5 * (v0_mps + v1) * dt_s
    return Motion(v1, ds, (v1 - v0_mps) / dt_s, friction, fx_f, fx_r)
