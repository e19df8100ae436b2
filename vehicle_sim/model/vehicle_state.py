"""VehicleState: every figure the HMI needs at one instant, grouped as the catalogue's frames.

protocols/catalogue.toml publishes the vehicle as frames (drive, battery, energy, terrain,
charging, body, configuration), each at its own rate; the state has one frozen dataclass per
frame so that the adapter (vehicle_sim/signals.py) reads a frame's figures from one place.
Figures the catalogue does not carry (pedals, locker states, limits...) sit in the frame they
belong to.

SI units; enums as their names; optional figures are None when they do not apply (e.g.
instantaneous consumption at standstill).  Sign conventions: see vehicle.py.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from typing import Any


@dataclass(frozen=True, slots=True)
class DriveFrame:
    """Speed, gear, power and torque, lockers and traction: what changes every moment."""

    ready: bool
    drive_inhibit_reason: str | None
    gear: str
    speed_mps: float
    acceleration_mps2: float
    accelerator_pedal: float
    brake_pedal: float
    battery_power_W: float
    front_motor_power_W: float
    rear_motor_power_W: float
    front_axle_torque_Nm: float
    rear_axle_torque_Nm: float
    torque_distribution: float
    discharge_power_limit_W: float
    regen_power_limit_W: float
    regen_level: str
    front_locker_requested: bool
    front_locker_state: str
    front_locker_engaged: bool
    front_locker_engagement_pct: float
    front_locker_release_reason: str | None
    rear_locker_requested: bool
    rear_locker_state: str
    rear_locker_engaged: bool
    rear_locker_engagement_pct: float
    rear_locker_release_reason: str | None
    traction_control_mode: str
    traction_control_intervening: bool
    hill_descent_active: bool
    """Hill descent control is in charge: an off-road program, downhill the gear's way, the
    accelerator released (motion_aids.hill_descent_brake_N)."""
    front_wheel_slip: float
    rear_wheel_slip: float
    consumption_instant_J_per_m: float | None


@dataclass(frozen=True, slots=True)
class BatteryFrame:
    """Traction battery state and the two ranges."""

    soc_pct: float
    energy_J: float
    usable_capacity_J: float
    pack_temperature_c: float
    pack_current_A: float
    range_estimated_m: float
    range_rated_m: float


@dataclass(frozen=True, slots=True)
class EnergyFrame:
    """Consumption averages and range projected per terrain program."""

    range_by_program_m: dict[str, float]
    consumption_rolling_J_per_m: float | None
    consumption_trip_J_per_m: float | None
    consumption_estimate_J_per_m: float
    consumption_rated_J_per_m: float


@dataclass(frozen=True, slots=True)
class TerrainFrame:
    """Terrain Response program, ride height, attitude, wading and the ground under the car."""

    program_requested: str
    program_active: str
    program_state: str
    program_auto_selected: str | None
    program_effective: str
    program_available: dict[str, bool]
    program_unavailable_reasons: dict[str, str | None]
    program_suggested: str | None
    program_max_speed_mps: float | None
    ride_height_level: str
    ride_height_target: str
    ride_height_actual_m: float
    ride_height_target_m: float
    ride_height_settled: bool
    ride_height_lowered_for_speed: bool
    raised_height_max_speed_mps: float
    access_height_max_speed_mps: float
    locker_max_speed_mps: float
    pitch_rad: float
    roll_rad: float
    wade_depth_m: float
    wade_limit_m: float
    wading: bool
    surface: str
    grade_rad: float
    side_slope_rad: float


@dataclass(frozen=True, slots=True)
class ChargingFrame:
    """Charger connection, power, limit and time to limit."""

    charging_state: str
    charger_type: str | None
    charging_power_W: float
    charge_limit_pct: float
    time_to_limit_s: float | None
    """None when unplugged or when the charger cannot outrun the auxiliaries."""
    range_added_per_hour_m: float


@dataclass(frozen=True, slots=True)
class BodyFrame:
    """Doors, tailgate, seats and belts, tyres, distances, ambient."""

    doors_open: dict[str, bool]
    tailgate_open: bool
    seats_occupied: dict[str, bool]
    belts_fastened: dict[str, bool]
    tyre_pressures_Pa: dict[str, float]
    odometer_m: float
    trip_m: float
    ambient_c: float


@dataclass(frozen=True, slots=True)
class ConfigurationFrame:
    """The car as built (configuration.VehicleConfiguration and its spec) and its rated range.

    Enums as their names. rated_range_m is None until this car's WLTC drive is known;
    range_cost_m maps each option (configuration.OPTION_FIELDS) to its cost, 0 for an option
    not fitted, None while the drive without it is still running.
    """

    name: str
    usable_capacity_J: float
    curb_weight_kg: float
    paint: str
    roof_colour: str
    decal_pack: str
    wheel_package: str
    rim_diameter_m: float
    tyre_diameter_m: float
    wheelarch_extensions: bool
    roof_rack: str
    spare_wheel: bool
    jump_seat_fitted: bool
    rated_range_m: float | None
    range_cost_m: dict[str, float | None]
    peak_axle_torques_Nm: tuple[float, float] = (0.0, 0.0)   # front, rear (spec)


FRAME_NAMES = ("drive", "battery", "energy", "terrain", "charging", "body", "configuration")
"""The catalogue's frames, in its order; each is an attribute of VehicleState."""


@dataclass(frozen=True, slots=True)
class VehicleState:
    """The vehicle at time_s, one member per catalogue frame."""

    time_s: float
    drive: DriveFrame
    battery: BatteryFrame
    energy: EnergyFrame
    terrain: TerrainFrame
    charging: ChargingFrame
    body: BodyFrame
    configuration: ConfigurationFrame | None = None
    """None from a bare model Vehicle, which knows its spec but not how the car was ordered;
    the adapter that built the car from a configuration fills it in."""

    def to_dict(self) -> dict[str, Any]:
        """Flat JSON-able dict of every figure (copies the nested dicts), as before frames."""
        out: dict[str, Any] = {"time_s": self.time_s}
        for name in FRAME_NAMES:
            frame = getattr(self, name)
            if frame is None:
                continue
            for f in fields(frame):
                value = getattr(frame, f.name)
                out[f.name] = dict(value) if isinstance(value, dict) else value
        return out
