"""Where the energy goes: road load, drive-unit losses, regen limits, auxiliaries.

All functions are pure and cheap (called every step).  Forces returned as
magnitudes oppose motion; the caller applies the sign.  The EnergyLedger adds up
every sink and source so a test can check that what left the pack equals what
the physics says was spent, which is the best single guard against sign and
book-keeping errors in a model like this.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, fields

from .spec import MotorSpec, VehicleSpec
from .units import (
    ATMOSPHERIC_PRESSURE_PA,
    DRY_AIR_GAS_CONSTANT,
    GRAVITY_MPS2,
    WATER_DENSITY_KG_M3,
    kelvin,
)

WATER_DRAG_COEFFICIENT = 0.9
"""Drag coefficient of the wetted frontal area while wading (bow wave included)."""

REGEN_FADE_FULL_MPS = 1.5
REGEN_FADE_ZERO_MPS = 0.3
"""Regen fades out at walking pace, where friction brakes (and the hold) take over."""


class RegenLevel(enum.Enum):
    """Lift-off regeneration level; value = deceleration with both pedals released (m/s^2)."""

    LOW = 0.4
    MEDIUM = 1.0
    HIGH = 1.8

    @property
    def liftoff_decel_mps2(self) -> float:
        """Deceleration asked of the motors when the driver lifts off."""
        return float(self.value)


# --- Road load -------------------------------------------------------------


def air_density_kg_m3(ambient_c: float) -> float:
    """Dry-air density at sea-level pressure; cold air is denser and costs range."""
    return ATMOSPHERIC_PRESSURE_PA / (DRY_AIR_GAS_CONSTANT * kelvin(ambient_c))


def aero_drag_N(speed_mps: float, cda_m2: float, air_density: float) -> float:
    """Aerodynamic drag magnitude (still air)."""
    return 0.5 * air_density * cda_m2 * speed_mps * speed_mps


def rolling_resistance_N(mass_kg: float, crr: float, grade_rad: float) -> float:
    """Rolling resistance magnitude; acts on the load normal to the slope."""
    return crr * mass_kg * GRAVITY_MPS2 * math.cos(grade_rad)


def grade_force_N(mass_kg: float, grade_rad: float) -> float:
    """Gravity along the vehicle's forward axis (negative when nose-up)."""
    return -mass_kg * GRAVITY_MPS2 * math.sin(grade_rad)


def water_drag_N(speed_mps: float, water_depth_m: float, body_width_m: float) -> float:
    """Drag of pushing through water: wetted frontal area = width x depth."""
    if water_depth_m <= 0.0:
        return 0.0
    return (
        0.5
        * WATER_DENSITY_KG_M3
        * WATER_DRAG_COEFFICIENT
        * body_width_m
        * water_depth_m
        * speed_mps
        * speed_mps
    )


def resistance_N(
    spec: VehicleSpec,
    crr: float,
    grade_rad: float,
    water_depth_m: float,
    air_density: float,
    speed_mps: float,
) -> float:
    """Sum of the motion-opposing road loads (aero + rolling + water) as a magnitude."""
    v = abs(speed_mps)
    return (
        aero_drag_N(v, spec.cda_m2, air_density)
        + rolling_resistance_N(spec.mass_kg, crr, grade_rad)
        + water_drag_N(v, water_depth_m, spec.body_width_m)
    )


# --- Drive units -----------------------------------------------------------


def motor_loss_W(
    motor: MotorSpec, torque_Nm: float, speed_rad_s: float, shaft_power_W: float
) -> float:
    """Motor + inverter losses at an operating point (same model motoring or generating)."""
    w = abs(speed_rad_s)
    return (
        motor.copper_loss_W_per_Nm2 * torque_Nm * torque_Nm
        + motor.iron_loss_W_per_rad_s * w
        + motor.windage_loss_W_per_rad2_s2 * w * w
        + motor.inverter_fixed_loss_W
        + motor.inverter_loss_fraction * abs(shaft_power_W)
    )


def motor_efficiency(motor: MotorSpec, torque_Nm: float, speed_rad_s: float) -> float:
    """Motoring efficiency (shaft out / electrical in) of a drive unit; the efficiency map."""
    shaft = abs(torque_Nm * speed_rad_s)
    if shaft <= 0.0:
        return 0.0
    return shaft / (shaft + motor_loss_W(motor, torque_Nm, speed_rad_s, shaft))


def axle_force_limit_N(
    motor: MotorSpec,
    speed_mps: float,
    wheel_radius_m: float,
    gear_efficiency: float,
    power_fraction: float = 1.0,
) -> float:
    """Largest tractive force one drive unit can put on the road at a speed.

    Torque-limited at low speed, power-limited above base speed, nothing beyond
    the motor's maximum speed.
    """
    v = abs(speed_mps)
    motor_speed = v / wheel_radius_m * motor.gear_ratio
    if motor_speed >= motor.max_speed_rad_s:
        return 0.0
    torque_limited = motor.peak_torque_Nm * motor.gear_ratio * gear_efficiency / wheel_radius_m
    if v < 1e-3:
        return torque_limited
    power_limited = motor.peak_power_W * power_fraction * gear_efficiency / v
    return min(power_limited, torque_limited)


def regen_fade(speed_mps: float) -> float:
    """Share of regen available at a speed (fades out near standstill)."""
    v = abs(speed_mps)
    if v >= REGEN_FADE_FULL_MPS:
        return 1.0
    if v <= REGEN_FADE_ZERO_MPS:
        return 0.0
    return (v - REGEN_FADE_ZERO_MPS) / (REGEN_FADE_FULL_MPS - REGEN_FADE_ZERO_MPS)


# --- Battery power limits --------------------------------------------------


def cold_factor(
    pack_temperature_c: float, zero_at_c: float, full_at_c: float, floor: float
) -> float:
    """Linear derate between a cold and a comfortable pack temperature."""
    if pack_temperature_c >= full_at_c:
        return 1.0
    if pack_temperature_c <= zero_at_c:
        return floor
    return floor + (1.0 - floor) * (pack_temperature_c - zero_at_c) / (full_at_c - zero_at_c)


def discharge_power_limit_W(spec: VehicleSpec, soc: float, pack_temperature_c: float) -> float:
    """Most power the pack may deliver: limited when nearly empty and when cold."""
    if soc <= 0.0:
        return 0.0
    soc_factor = 1.0
    if soc < spec.low_soc_derate_start:
        # Down to a quarter of full power ("turtle") as the pack empties.
        soc_factor = 0.25 + 0.75 * soc / spec.low_soc_derate_start
    return (
        spec.max_discharge_power_W * soc_factor * cold_factor(pack_temperature_c, -20.0, 10.0, 0.5)
    )


def regen_power_limit_W(spec: VehicleSpec, soc: float, pack_temperature_c: float) -> float:
    """Most power the pack accepts from regen: less when nearly full and when cold.

    Cold lithium cells plate lithium if charged hard, hence the temperature derate;
    a nearly full pack cannot take charge current without exceeding its maximum
    cell voltage, hence the SoC derate.
    """
    if soc >= 1.0:
        return 0.0
    soc_factor = 1.0
    if soc > spec.regen_full_below_soc:
        soc_factor = (1.0 - soc) / (1.0 - spec.regen_full_below_soc)
    return spec.max_regen_power_W * soc_factor * cold_factor(pack_temperature_c, -10.0, 15.0, 0.1)


# --- Auxiliaries -----------------------------------------------------------


def climate_power_W(spec: VehicleSpec, ambient_c: float) -> float:
    """Electrical power of the heat pump holding the cabin at its set point."""
    delta = abs(spec.cabin_setpoint_c - ambient_c)
    return min(
        spec.climate_base_power_W + spec.climate_power_W_per_K * delta, spec.climate_max_power_W
    )


def aux_power_W(spec: VehicleSpec) -> float:
    """Base auxiliary load (low-voltage systems) while the vehicle is awake."""
    return spec.aux_base_power_W


# --- Book-keeping ----------------------------------------------------------


@dataclass(slots=True)
class EnergyLedger:
    """Running totals of every energy sink and source, in J.

    Mechanical: kinetic (change of kinetic energy incl. rotating inertia), grade
    (potential energy gained), aero, rolling, water, friction_brake.
    Drivetrain: tyre_slip, gear_loss, motor_loss.
    Electrical: aux, climate, thermal_management, battery_loss (I^2R heat),
    charge_in (from the charger into the pack terminals), charger_loss (in the
    charger/on-board charger, outside the pack).
    traction_electrical / regen_electrical: motor electrical energy drawn / returned.
    """

    kinetic_J: float = 0.0
    grade_J: float = 0.0
    aero_J: float = 0.0
    rolling_J: float = 0.0
    water_J: float = 0.0
    friction_brake_J: float = 0.0
    tyre_slip_J: float = 0.0
    gear_loss_J: float = 0.0
    motor_loss_J: float = 0.0
    aux_J: float = 0.0
    climate_J: float = 0.0
    thermal_management_J: float = 0.0
    battery_loss_J: float = 0.0
    charge_in_J: float = 0.0
    charger_loss_J: float = 0.0
    traction_electrical_J: float = 0.0
    regen_electrical_J: float = 0.0
    wheel_work_J: float = 0.0

    def accounted_pack_out_J(self) -> float:
        """Energy that must have left the pack, summed from the physical sinks.

        Traction (road load + kinetic + potential + brakes) plus all losses plus
        auxiliaries, minus what a charger put in.  Regen appears implicitly: it
        lowers kinetic/potential energy without a matching sink.
        """
        return (
            self.kinetic_J
            + self.grade_J
            + self.aero_J
            + self.rolling_J
            + self.water_J
            + self.friction_brake_J
            + self.tyre_slip_J
            + self.gear_loss_J
            + self.motor_loss_J
            + self.aux_J
            + self.climate_J
            + self.thermal_management_J
            + self.battery_loss_J
            - self.charge_in_J
        )

    def electrical_pack_out_J(self) -> float:
        """Pack energy out, electrical side: traction - regen + aux + losses - charge."""
        return (
            self.traction_electrical_J
            - self.regen_electrical_J
            + self.aux_J
            + self.climate_J
            + self.thermal_management_J
            + self.battery_loss_J
            - self.charge_in_J
        )

    def as_dict(self) -> dict[str, float]:
        """Plain dict copy (for reports and tests)."""
        return {f.name: getattr(self, f.name) for f in fields(self)}

    def reset(self) -> None:
        """Zero every total."""
        for f in fields(self):
            setattr(self, f.name, 0.0)
