"""From a model snapshot to catalogue signals: the one place that knows both vocabularies.

The snapshot is grouped as the catalogue's frames (VehicleState.drive, .battery, ...), and so
are the sources here: each catalogue frame has one table, path -> function of that frame's
dataclass, and a signal can only be read from the frame the catalogue publishes it in
(checked by tests/sim/test_sim_signals.py).

Numbers are clamped to their catalogue range, as a real sensor saturates at the end of its
scale; the frame then still carries every other value.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from typing import Any

from protocols import Catalogue, DataType, Value, load_catalogue
from protocols.catalogue import vss_leaf

from .model import (
    OPTION_FIELDS,
    PROGRAM_EFFECTS,
    BatteryFrame,
    BodyFrame,
    ChargingFrame,
    ConfigurationFrame,
    DriveFrame,
    EnergyFrame,
    TerrainFrame,
    TerrainProgram,
    VehicleState,
)

LOG = logging.getLogger(__name__)

# Program -> the leaf of its Availability.* and Range.Projected.* signals, from the catalogue.
PROGRAM_PATH_NAMES = {p: vss_leaf(p) for p in load_catalogue().enum_values("TerrainProgram")}
DOORS = ("Row1.DriverSide", "Row1.PassengerSide", "Row2.DriverSide", "Row2.PassengerSide")
SEATS = ("Row1.DriverSide", "Row1.Middle", "Row1.PassengerSide",
         "Row2.DriverSide", "Row2.Middle", "Row2.PassengerSide")
WHEELS = ("Row1.Left", "Row1.Right", "Row2.Left", "Row2.Right")

Source = Callable[[VehicleState], Any]
"""A signal's value from a whole snapshot."""


def _entry(attribute: str, key: str, default: Any = None) -> Callable[[Any], Any]:
    """Source reading one key of a dict figure of a frame (doors, seats, tyres, programs)."""
    def read(frame: Any) -> Any:
        return getattr(frame, attribute).get(key, default)
    return read


def _change_state(terrain: TerrainFrame) -> str:
    state = terrain.program_state
    return state if state in ("REQUESTED", "ENGAGING") else "ACTIVE"


DRIVE: dict[str, Callable[[DriveFrame], Any]] = {
    "Vehicle.Speed": lambda d: d.speed_mps,   # signed: negative = moving backwards
    "Vehicle.Powertrain.Transmission.SelectedGear": lambda d: d.gear,
    "Vehicle.Powertrain.TractionBattery.CurrentPower": lambda d: d.battery_power_W,
    "Vehicle.Powertrain.ElectricMotor.Row1.Power": lambda d: d.front_motor_power_W,
    "Vehicle.Powertrain.ElectricMotor.Row2.Power": lambda d: d.rear_motor_power_W,
    "Vehicle.Ema.Drivetrain.Axle.Row1.Torque": lambda d: d.front_axle_torque_Nm,
    "Vehicle.Ema.Drivetrain.Axle.Row2.Torque": lambda d: d.rear_axle_torque_Nm,
    "Vehicle.Powertrain.Transmission.TorqueDistribution": lambda d: d.torque_distribution,
    "Vehicle.Ema.Drivetrain.Axle.Row1.LockerRequested": lambda d: d.front_locker_requested,
    "Vehicle.Ema.Drivetrain.Axle.Row2.LockerRequested": lambda d: d.rear_locker_requested,
    "Vehicle.Powertrain.Transmission.DiffLockFrontEngagement":
        lambda d: d.front_locker_engagement_pct,
    "Vehicle.Powertrain.Transmission.DiffLockRearEngagement":
        lambda d: d.rear_locker_engagement_pct,
    "Vehicle.Ema.Chassis.TractionControl.Mode": lambda d: d.traction_control_mode,
    "Vehicle.Ema.Chassis.TractionControl.IsIntervening":
        lambda d: d.traction_control_intervening,
    "Vehicle.Ema.Chassis.HillDescentControl.IsActive": lambda d: d.hill_descent_active,
    "Vehicle.Ema.Powertrain.IsReady": lambda d: d.ready,
    "Vehicle.Ema.Energy.Consumption.Instant": lambda d: d.consumption_instant_J_per_m,
}

BATTERY: dict[str, Callable[[BatteryFrame], Any]] = {
    "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed": lambda b: b.soc_pct,
    "Vehicle.Powertrain.TractionBattery.StateOfCharge.CurrentEnergy": lambda b: b.energy_J,
    "Vehicle.Powertrain.TractionBattery.Temperature.Average": lambda b: b.pack_temperature_c,
    "Vehicle.Powertrain.TractionBattery.Range": lambda b: b.range_estimated_m,
    "Vehicle.Ema.Range.Rated": lambda b: b.range_rated_m,
}

ENERGY: dict[str, Callable[[EnergyFrame], Any]] = {
    "Vehicle.Ema.Energy.Consumption.Rolling": lambda e: e.consumption_rolling_J_per_m,
    "Vehicle.Ema.Energy.Consumption.TripAverage": lambda e: e.consumption_trip_J_per_m,
}

TERRAIN: dict[str, Callable[[TerrainFrame], Any]] = {
    "Vehicle.Ema.TerrainResponse.Program.Requested": lambda t: t.program_requested,
    "Vehicle.Ema.TerrainResponse.Program.Active": lambda t: t.program_active,
    "Vehicle.Ema.TerrainResponse.Program.ChangeState": _change_state,
    "Vehicle.Ema.TerrainResponse.Program.AutoSelected": lambda t: t.program_auto_selected,
    "Vehicle.Ema.Chassis.RideHeight.Level": lambda t: t.ride_height_target,  # aimed for (catalogue)
    "Vehicle.Ema.Chassis.RideHeight.Target": lambda t: t.ride_height_target_m,
    "Vehicle.Ema.Chassis.RideHeight.Actual": lambda t: t.ride_height_actual_m,
    "Vehicle.Ema.Chassis.Pitch": lambda t: t.pitch_rad,
    "Vehicle.Ema.Chassis.Roll": lambda t: t.roll_rad,
    "Vehicle.Ema.Chassis.WadeDepth": lambda t: t.wade_depth_m,
    "Vehicle.Ema.Chassis.WadeDepthLimit": lambda t: t.wade_limit_m,
    # the limits the speed_too_high refusals are about, so that the cabin can name them
    "Vehicle.Ema.Drivetrain.LockerSpeedLimit": lambda t: t.locker_max_speed_mps,
    "Vehicle.Ema.Chassis.RideHeight.SpeedLimit.Raised": lambda t: t.raised_height_max_speed_mps,
    "Vehicle.Ema.Chassis.RideHeight.SpeedLimit.Access": lambda t: t.access_height_max_speed_mps,
}

CHARGING: dict[str, Callable[[ChargingFrame], Any]] = {
    "Vehicle.Ema.Charging.State": lambda c: c.charging_state,
    "Vehicle.Ema.Charging.Type": lambda c: c.charger_type or "NONE",
    "Vehicle.Ema.Charging.Power": lambda c: c.charging_power_W,
    "Vehicle.Powertrain.TractionBattery.Charging.ChargeLimit": lambda c: round(c.charge_limit_pct),
    "Vehicle.Powertrain.TractionBattery.Charging.TimeToComplete": lambda c: c.time_to_limit_s,
    "Vehicle.Ema.Charging.RangeRate": lambda c: c.range_added_per_hour_m / 3600.0,
}

BODY: dict[str, Callable[[BodyFrame], Any]] = {
    "Vehicle.Body.Trunk.Rear.IsOpen": lambda b: b.tailgate_open,
    "Vehicle.TraveledDistance": lambda b: b.odometer_m,
    "Vehicle.Ema.Trip.Distance": lambda b: b.trip_m,
    "Vehicle.Exterior.AirTemperature": lambda b: b.ambient_c,
}

CONFIGURATION: dict[str, Callable[[ConfigurationFrame], Any]] = {
    "Vehicle.Powertrain.TractionBattery.NetCapacity": lambda c: c.usable_capacity_J,
    "Vehicle.CurbWeight": lambda c: c.curb_weight_kg,
    "Vehicle.Body.BodyColor": lambda c: c.paint,
    "Vehicle.Ema.Body.Roof.Color": lambda c: c.roof_colour,
    "Vehicle.Ema.Body.DecalPack": lambda c: c.decal_pack,
    "Vehicle.Ema.Chassis.WheelPackage": lambda c: c.wheel_package,
    "Vehicle.Ema.Body.WheelArchExtensions.IsFitted": lambda c: c.wheelarch_extensions,
    "Vehicle.Ema.Body.RoofRack": lambda c: c.roof_rack,
    "Vehicle.Ema.Body.Tailgate.SpareWheel.IsFitted": lambda c: c.spare_wheel,
    "Vehicle.Ema.Cabin.JumpSeat.IsFitted": lambda c: c.jump_seat_fitted,
    "Vehicle.Ema.Configuration.RatedRange": lambda c: c.rated_range_m,
    "Vehicle.Ema.Drivetrain.Axle.Row1.PeakTorque": lambda c: c.peak_axle_torques_Nm[0],
    "Vehicle.Ema.Drivetrain.Axle.Row2.PeakTorque": lambda c: c.peak_axle_torques_Nm[1],
}
"""The car as built. A car without the jump seat has no Row1.Middle seat: its occupancy and
belt signals (body frame) are None, not available, never a default false."""

def _availability(program: str) -> Callable[[TerrainFrame], str]:
    """AVAILABLE, or the reason code a request for `program` would be refused with now (the
    catalogue's ProgramAvailability: one vocabulary with the refusals)."""
    def read(terrain: TerrainFrame) -> str:
        reason = terrain.program_unavailable_reasons.get(program)
        return "AVAILABLE" if reason is None else reason.upper()
    return read


def _speed_limit(program: str) -> Callable[[TerrainFrame], float | None]:
    """The program's speed limit (m/s), None for a program without one."""
    limit = PROGRAM_EFFECTS[TerrainProgram(program)].max_speed_mps
    return lambda terrain: limit


for _program, _name in PROGRAM_PATH_NAMES.items():
    TERRAIN[f"Vehicle.Ema.TerrainResponse.Availability.{_name}"] = _availability(_program)
    TERRAIN[f"Vehicle.Ema.TerrainResponse.SpeedLimit.{_name}"] = _speed_limit(_program)
    if _program != "AUTO":
        ENERGY[f"Vehicle.Ema.Range.Projected.{_name}"] = _entry("range_by_program_m", _program)
for _door in DOORS:
    BODY[f"Vehicle.Cabin.Door.{_door}.IsOpen"] = _entry("doors_open", _door, False)
for _seat in SEATS:
    BODY[f"Vehicle.Cabin.Seat.{_seat}.IsBelted"] = _entry("belts_fastened", _seat)
    BODY[f"Vehicle.Cabin.Seat.{_seat}.IsOccupied"] = _entry("seats_occupied", _seat)
for _row in ("Row1", "Row2"):  # one wheel package on both axles
    CONFIGURATION[f"Vehicle.Chassis.Axle.{_row}.WheelDiameter"] = lambda c: c.rim_diameter_m
    CONFIGURATION[f"Vehicle.Chassis.Axle.{_row}.TireDiameter"] = lambda c: c.tyre_diameter_m
for _option in OPTION_FIELDS:
    CONFIGURATION[f"Vehicle.Ema.Configuration.RangeCost.{_option}"] = _entry(
        "range_cost_m", _option)
for _wheel in WHEELS:
    _axle, _side = _wheel.split(".")
    BODY[f"Vehicle.Chassis.Axle.{_axle}.Wheel.{_side}.Tire.Pressure"] = _entry(
        "tyre_pressures_Pa", _wheel)

FRAME_SOURCES: Mapping[str, Mapping[str, Callable[[Any], Any]]] = {
    "drive": DRIVE, "battery": BATTERY, "energy": ENERGY,
    "terrain": TERRAIN, "charging": CHARGING, "body": BODY, "configuration": CONFIGURATION,
}
"""Catalogue frame name -> (signal path -> source reading that frame of the snapshot)."""


def _whole(frame: str, source: Callable[[Any], Any]) -> Source:
    def read(state: VehicleState) -> Any:
        part = getattr(state, frame)
        return None if part is None else source(part)
    return read


SOURCES: dict[str, Source] = {
    path: _whole(frame, source)
    for frame, table in FRAME_SOURCES.items()
    for path, source in table.items()
}
"""Every signal path -> its value from a whole snapshot."""


def signal_values(
    state: VehicleState, catalogue: Catalogue | None = None
) -> dict[str, Value | None]:
    """Every catalogue signal from one snapshot; None where the model has no value."""
    catalogue = catalogue or load_catalogue()
    values: dict[str, Value | None] = {}
    for frame_name, table in FRAME_SOURCES.items():
        frame = getattr(state, frame_name)
        for path, source in table.items():  # a frame the state lacks: none of it is known
            values[path] = None if frame is None else _clamped(catalogue, path, source(frame))
    return values


def _clamped(catalogue: Catalogue, path: str, raw: Any) -> Value | None:
    spec = catalogue.signals[path]
    if raw is None:
        return None
    if spec.type is DataType.FLOAT:
        return min(max(float(raw), spec.value.min), spec.value.max)  # type: ignore[type-var]
    if spec.type is DataType.INT:
        return min(max(int(raw), spec.value.min), spec.value.max)  # type: ignore[type-var]
    return raw  # type: ignore[no-any-return]
