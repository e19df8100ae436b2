"""From a model snapshot to catalogue signals: the one place that knows both vocabularies.

Numbers are clamped to their catalogue range, as a real sensor saturates at the end of its
scale; the frame then still carries every other value.
"""

from __future__ import annotations

import logging
from typing import Any, Callable

from protocols import Catalogue, DataType, Value, load_catalogue
from protocols.catalogue import vss_leaf

from .model import VehicleState

LOG = logging.getLogger(__name__)

# Program -> the leaf of its Availability.* and Range.Projected.* signals, from the catalogue.
PROGRAM_PATH_NAMES = {p: vss_leaf(p) for p in load_catalogue().enum_values("TerrainProgram")}
DOORS = ("Row1.DriverSide", "Row1.PassengerSide", "Row2.DriverSide", "Row2.PassengerSide")
SEATS = ("Row1.DriverSide", "Row1.Middle", "Row1.PassengerSide",
         "Row2.DriverSide", "Row2.Middle", "Row2.PassengerSide")
WHEELS = ("Row1.Left", "Row1.Right", "Row2.Left", "Row2.Right")

Source = Callable[[VehicleState], Any]


def _charging_type(state: VehicleState) -> str:
    return state.charger_type or "NONE"


def _program_change_state(state: VehicleState) -> str:
    return state.program_state if state.program_state in ("REQUESTED", "ENGAGING") else "ACTIVE"


SOURCES: dict[str, Source] = {
    "Vehicle.Speed": lambda s: abs(s.speed_mps),
    "Vehicle.Powertrain.Transmission.SelectedGear": lambda s: s.gear,
    "Vehicle.Powertrain.TractionBattery.CurrentPower": lambda s: s.battery_power_W,
    "Vehicle.Powertrain.ElectricMotor.Row1.Power": lambda s: s.front_motor_power_W,
    "Vehicle.Powertrain.ElectricMotor.Row2.Power": lambda s: s.rear_motor_power_W,
    "Vehicle.Ema.Drivetrain.Axle.Row1.Torque": lambda s: s.front_axle_torque_Nm,
    "Vehicle.Ema.Drivetrain.Axle.Row2.Torque": lambda s: s.rear_axle_torque_Nm,
    "Vehicle.Powertrain.Transmission.TorqueDistribution": lambda s: s.torque_distribution,
    "Vehicle.Ema.Drivetrain.Axle.Row1.LockerRequested": lambda s: s.front_locker_requested,
    "Vehicle.Ema.Drivetrain.Axle.Row2.LockerRequested": lambda s: s.rear_locker_requested,
    "Vehicle.Powertrain.Transmission.DiffLockFrontEngagement": lambda s: s.front_locker_engagement_pct,
    "Vehicle.Powertrain.Transmission.DiffLockRearEngagement": lambda s: s.rear_locker_engagement_pct,
    "Vehicle.Ema.Chassis.TractionControl.Mode": lambda s: s.traction_control_mode,
    "Vehicle.Ema.Chassis.TractionControl.IsIntervening": lambda s: s.traction_control_intervening,
    "Vehicle.Ema.Powertrain.IsReady": lambda s: s.ready,
    "Vehicle.Ema.Energy.Consumption.Instant": lambda s: s.consumption_instant_J_per_m,
    "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed": lambda s: s.soc_pct,
    "Vehicle.Powertrain.TractionBattery.StateOfCharge.CurrentEnergy": lambda s: s.energy_J,
    "Vehicle.Powertrain.TractionBattery.NetCapacity": lambda s: s.usable_capacity_J,
    "Vehicle.Powertrain.TractionBattery.Temperature.Average": lambda s: s.pack_temperature_c,
    "Vehicle.Powertrain.TractionBattery.Range": lambda s: s.range_estimated_m,
    "Vehicle.Ema.Range.Rated": lambda s: s.range_rated_m,
    "Vehicle.Ema.Energy.Consumption.Rolling": lambda s: s.consumption_rolling_J_per_m,
    "Vehicle.Ema.Energy.Consumption.TripAverage": lambda s: s.consumption_trip_J_per_m,
    "Vehicle.Ema.TerrainResponse.Program.Requested": lambda s: s.program_requested,
    "Vehicle.Ema.TerrainResponse.Program.Active": lambda s: s.program_active,
    "Vehicle.Ema.TerrainResponse.Program.ChangeState": _program_change_state,
    "Vehicle.Ema.TerrainResponse.Program.AutoSelected": lambda s: s.program_auto_selected,
    "Vehicle.Ema.Chassis.RideHeight.Level": lambda s: s.ride_height_level,
    "Vehicle.Ema.Chassis.RideHeight.Target": lambda s: s.ride_height_target_m,
    "Vehicle.Ema.Chassis.RideHeight.Actual": lambda s: s.ride_height_actual_m,
    "Vehicle.Ema.Chassis.Pitch": lambda s: s.pitch_rad,
    "Vehicle.Ema.Chassis.Roll": lambda s: s.roll_rad,
    "Vehicle.Ema.Chassis.WadeDepth": lambda s: s.wade_depth_m,
    "Vehicle.Ema.Chassis.WadeDepthLimit": lambda s: s.wade_limit_m,
    "Vehicle.Ema.Charging.State": lambda s: s.charging_state,
    "Vehicle.Ema.Charging.Type": _charging_type,
    "Vehicle.Ema.Charging.Power": lambda s: s.charging_power_W,
    "Vehicle.Powertrain.TractionBattery.Charging.ChargeLimit": lambda s: round(s.charge_limit_pct),
    "Vehicle.Powertrain.TractionBattery.Charging.TimeToComplete": lambda s: s.time_to_limit_s,
    "Vehicle.Ema.Charging.RangeRate": lambda s: s.range_added_per_hour_m / 3600.0,
    "Vehicle.Body.Trunk.Rear.IsOpen": lambda s: s.tailgate_open,
    "Vehicle.Ema.Cabin.JumpSeat.IsFitted": lambda s: "Row1.Middle" in s.seats_occupied,
    "Vehicle.TraveledDistance": lambda s: s.odometer_m,
    "Vehicle.Ema.Trip.Distance": lambda s: s.trip_m,
    "Vehicle.Exterior.AirTemperature": lambda s: s.ambient_c,
}
for _program, _name in PROGRAM_PATH_NAMES.items():
    SOURCES[f"Vehicle.Ema.TerrainResponse.Availability.{_name}"] = (
        lambda s, p=_program: s.program_available.get(p, False))
    if _program != "AUTO":
        SOURCES[f"Vehicle.Ema.Range.Projected.{_name}"] = (
            lambda s, p=_program: s.range_by_program_m.get(p))
for _door in DOORS:
    SOURCES[f"Vehicle.Cabin.Door.{_door}.IsOpen"] = lambda s, d=_door: s.doors_open.get(d, False)
for _seat in SEATS:
    SOURCES[f"Vehicle.Cabin.Seat.{_seat}.IsBelted"] = lambda s, k=_seat: s.belts_fastened.get(k)
    SOURCES[f"Vehicle.Cabin.Seat.{_seat}.IsOccupied"] = lambda s, k=_seat: s.seats_occupied.get(k)
for _wheel in WHEELS:
    _axle, _side = _wheel.split(".")
    SOURCES[f"Vehicle.Chassis.Axle.{_axle}.Wheel.{_side}.Tire.Pressure"] = (
        lambda s, w=_wheel: s.tyre_pressures_Pa.get(w))


def signal_values(state: VehicleState, catalogue: Catalogue | None = None) -> dict[str, Value | None]:
    """Every catalogue signal from one snapshot; None where the model has no value."""
    catalogue = catalogue or load_catalogue()
    values: dict[str, Value | None] = {}
    for path, source in SOURCES.items():
        spec = catalogue.signals[path]
        raw = source(state)
        if raw is None:
            values[path] = None
        elif spec.type is DataType.FLOAT:
            values[path] = min(max(float(raw), spec.value.min), spec.value.max)  # type: ignore[type-var]
        elif spec.type is DataType.INT:
            values[path] = min(max(int(raw), spec.value.min), spec.value.max)  # type: ignore[type-var]
        else:
            values[path] = raw
    return values
