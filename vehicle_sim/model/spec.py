"""Vehicle specification: every fixed parameter of the simulated off-roader.

One frozen (hashable) dataclass so that a spec can be compared, cached against
(the WLTC rating is cached per spec) and varied in tests with dataclasses.replace.
Values are plausible for a compact, upright, boxy dual-motor electric SUV; they
are tuned so that the computed WLTC rated range lands in the product's 300-320
mile window rather than set to hit it directly.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from .environment import Surface
from .units import JOULES_PER_KWH, kmh


@dataclass(frozen=True, slots=True)
class MotorSpec:
    """One drive unit (motor + inverter + single-speed reduction) on one axle.

    Losses follow a simple map: copper losses grow with torque squared, iron and
    windage losses with speed, the inverter has a fixed and a proportional part.
    That gives the familiar efficiency island: poor at very low torque or
    very high speed, ~94-96 % in the middle.
    """

    peak_power_W: float
    peak_torque_Nm: float
    max_speed_rad_s: float
    gear_ratio: float
    copper_loss_W_per_Nm2: float
    iron_loss_W_per_rad_s: float
    windage_loss_W_per_rad2_s2: float
    inverter_fixed_loss_W: float
    inverter_loss_fraction: float


FRONT_MOTOR = MotorSpec(
    peak_power_W=170e3,
    peak_torque_Nm=330.0,
    max_speed_rad_s=16_000 * 2 * math.pi / 60,
    gear_ratio=9.05,
    copper_loss_W_per_Nm2=0.10,
    iron_loss_W_per_rad_s=0.45,
    windage_loss_W_per_rad2_s2=1.5e-4,
    inverter_fixed_loss_W=60.0,
    inverter_loss_fraction=0.012,
)
"""Front drive unit: smaller, since weight moves rearward under acceleration."""

REAR_MOTOR = MotorSpec(
    peak_power_W=230e3,
    peak_torque_Nm=450.0,
    max_speed_rad_s=16_000 * 2 * math.pi / 60,
    gear_ratio=9.05,
    copper_loss_W_per_Nm2=0.07,
    iron_loss_W_per_rad_s=0.55,
    windage_loss_W_per_rad2_s2=1.8e-4,
    inverter_fixed_loss_W=70.0,
    inverter_loss_fraction=0.012,
)
"""Rear drive unit."""

DEFAULT_ROLLING_RESISTANCE: tuple[tuple[Surface, float], ...] = (
    (Surface.TARMAC, 0.0085),
    (Surface.GRAVEL, 0.020),
    (Surface.GRASS, 0.050),
    (Surface.SNOW, 0.030),
    (Surface.MUD, 0.080),
    (Surface.SAND, 0.120),
    (Surface.ROCK, 0.025),
    (Surface.WATER, 0.030),
)
"""Rolling resistance coefficient per surface (standard road-biased all-season tyres)."""

DEFAULT_DC_CHARGE_CURVE: tuple[tuple[float, float], ...] = (
    (0.00, 150e3),
    (0.08, 190e3),
    (0.55, 190e3),
    (0.65, 165e3),
    (0.80, 110e3),
    (0.90, 45e3),
    (1.00, 8e3),
)
"""(SoC fraction, DC power at the inlet in W), interpolated linearly.

Near-peak up to ~55 %, a gentle decline to 80 %, then a steep fall as the cells
approach full and the charger has to hold the voltage down.
"""


@dataclass(frozen=True, slots=True)
class VehicleSpec:
    """Fixed parameters of the vehicle (SI units; temperatures in degC)."""

    # Body and mass
    mass_kg: float = 2376.0
    """Kerb mass plus driver (the unoptioned car; configuration.py adds the options)."""
    rotating_mass_factor: float = 1.04
    """Effective-mass multiplier for wheel, shaft and rotor inertia."""
    drag_coefficient: float = 0.37
    """The bare body's drag coefficient, on frontal_area_m2."""
    frontal_area_m2: float = 2.55
    """The bare body's frontal area (add-ons count in drag_area_increment_m2 instead)."""
    drag_area_increment_m2: float = 0.0
    """Drag area (Cd*A) that add-ons (roof rack, wheelarch extensions, spare wheel) put on top
    of the body's: an add-on's own drag is measured as drag area, not as a change of Cd or A."""
    body_width_m: float = 1.99
    wheelbase_m: float = 2.59
    cg_height_m: float = 0.72
    front_axle_load_fraction: float = 0.50
    wheel_radius_m: float = 0.385
    """Dynamic rolling radius: road speed <-> motor speed, wheel force <-> axle torque."""
    rolling_resistance: tuple[tuple[Surface, float], ...] = DEFAULT_ROLLING_RESISTANCE
    top_speed_mps: float = kmh(180.0)
    reverse_max_speed_mps: float = kmh(25.0)

    # Drivetrain (one motor per axle, no centre differential)
    front_motor: MotorSpec = FRONT_MOTOR
    rear_motor: MotorSpec = REAR_MOTOR
    gear_efficiency: float = 0.98
    """Single-speed reduction gear + half shafts, each axle."""
    friction_brake_max_decel_mps2: float = 9.0

    # Traction battery (800 V class)
    usable_energy_J: float = 85.0 * JOULES_PER_KWH
    reserve_energy_J: float = 3.0 * JOULES_PER_KWH
    """Hidden buffer below 0 % displayed; only auxiliaries may draw on it."""
    pack_voltage_empty_V: float = 640.0
    pack_voltage_full_V: float = 800.0
    pack_resistance_ohm: float = 0.055
    pack_heat_capacity_J_per_K: float = 450e3
    pack_passive_cooling_W_per_K: float = 25.0
    pack_active_cooling_threshold_c: float = 35.0
    pack_active_cooling_max_W: float = 6000.0
    """Heat the chiller can remove at full effort."""
    pack_cooling_cop: float = 3.0
    max_discharge_power_W: float = 420e3
    max_regen_power_W: float = 160e3
    low_soc_derate_start: float = 0.10
    """Below this SoC the discharge power is progressively limited."""
    regen_full_below_soc: float = 0.85
    """Regen is limited above this SoC, down to none at 100 %."""

    # Auxiliaries and climate
    aux_base_power_W: float = 300.0
    """Computers, displays, pumps, fans, 12 V loads while the vehicle is on."""
    cabin_setpoint_c: float = 21.0
    climate_base_power_W: float = 150.0
    climate_power_W_per_K: float = 60.0
    """Heat-pump electrical power per kelvin between ambient and the set point."""
    climate_max_power_W: float = 4500.0

    # Charging
    ac_charge_power_W: float = 11e3
    ac_charge_efficiency: float = 0.92
    dc_charge_curve: tuple[tuple[float, float], ...] = DEFAULT_DC_CHARGE_CURVE
    dc_charge_efficiency: float = 0.985
    charger_handshake_s: float = 3.0
    charge_limit_min_pct: float = 50.0
    charge_limit_max_pct: float = 100.0

    # Terrain Response, chassis
    program_engage_s: float = 1.5
    auto_confirm_s: float = 2.0
    """A new surface must persist this long before Auto switches program."""
    ride_height_raise_rate_mps: float = 0.015
    ride_height_lower_rate_mps: float = 0.020
    raised_height_max_speed_mps: float = kmh(45.0)
    raised_height_restore_speed_mps: float = kmh(35.0)
    access_height_max_speed_mps: float = kmh(8.0)
    wade_limit_m: float = 0.85
    """Maximum wade depth at EXTENDED ride height; less at lower heights."""
    locker_max_speed_mps: float = kmh(40.0)
    locker_engage_s: float = 0.8

    # Cabin and tyres
    has_jump_seat: bool = False
    """Optional sixth seat between the front seats (Row1 Middle); without it that seat does
    not exist (its occupancy and belt are not available)."""
    tyre_cold_pressure_Pa: float = 250e3
    tyre_reference_temperature_c: float = 20.0
    tyre_heating_K_per_mps: float = 0.35
    tyre_thermal_time_constant_s: float = 600.0

    # Derived values -------------------------------------------------------
    @property
    def cda_m2(self) -> float:
        """Drag area: the body's Cd*A plus what the add-ons add."""
        return self.drag_coefficient * self.frontal_area_m2 + self.drag_area_increment_m2

    @property
    def effective_mass_kg(self) -> float:
        """Mass including rotating inertia, for acceleration."""
        return self.mass_kg * self.rotating_mass_factor

    @property
    def usable_energy_kWh(self) -> float:
        """Usable pack energy in kWh (for summaries)."""
        return self.usable_energy_J / JOULES_PER_KWH

    def crr(self, surface: Surface) -> float:
        """Rolling resistance coefficient on a surface."""
        for s, value in self.rolling_resistance:
            if s is surface:
                return value
        raise KeyError(surface)

    @property
    def peak_power_W(self) -> float:
        """Combined motor peak power."""
        return self.front_motor.peak_power_W + self.rear_motor.peak_power_W

    @property
    def peak_axle_torques_Nm(self) -> tuple[float, float]:
        """Front and rear peak torque at the axles: each motor's peak through its reduction
        gear and the driveline's efficiency (what energy.axle_force_limit_N allows)."""
        front, rear = self.front_motor, self.rear_motor
        return (front.peak_torque_Nm * front.gear_ratio * self.gear_efficiency,
                rear.peak_torque_Nm * rear.gear_ratio * self.gear_efficiency)

    @property
    def dc_peak_power_W(self) -> float:
        """Highest point of the DC charge curve."""
        return max(p for _, p in self.dc_charge_curve)


BASE_SPEC = VehicleSpec()
"""The unoptioned car: 85 kWh, standard wheels, no rack, arches, spare or jump seat.
The prototype's vehicle, DEFAULT_SPEC, is configuration.spec_for(DEFAULT_CONFIGURATION)."""
