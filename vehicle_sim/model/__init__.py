"""Physics model of the simulated compact electric off-roader.

Pure Python (stdlib only, no I/O except scenario.py, trace.py and vehicle_file.py reading
scenario, trace and vehicle configuration files), SI units inside (m, s, m/s, W, J, N, N*m,
kg, Pa, rad; degC).

Typical use by an adapter::

    from vehicle_sim.model import ScenarioRunner, load_scenario, wltc_consumption_J_per_m

    rated = wltc_consumption_J_per_m()  # once: it drives a whole WLTC cycle
    runner = ScenarioRunner(load_scenario("showcase"), seed=1, dt_s=0.1,
                            rated_consumption_J_per_m=rated)
    runner.step()                       # advance 0.1 s
    state = runner.vehicle.snapshot()   # VehicleState: state.drive.speed_mps, ...
    state.to_dict()                     # flat and JSON-able
    decision = runner.vehicle.request_terrain_program("ROCK_CRAWL")
    decision.accepted, decision.code, decision.message

Modules: spec (VehicleSpec), configuration (VehicleConfiguration, the options and the
physics each changes: spec_for, DEFAULT_SPEC), vehicle_file (configuration files),
range_breakdown (what each option costs in rated range), environment (Surface,
Environment), energy (road load, drive-unit losses, regen and aux, EnergyLedger), battery
(TractionBattery), terrain_program (TerrainProgram and its states), terrain
(effects, rules, Auto, TerrainController), torque (axle split, traction,
lockers), ride_height, charging, chassis (attitude, wading, body, tyres,
odometer), driver (Gear, DriverInput, SpeedFollower), range.
The step: phases_limits (loads, pack and force limits, governor), phases_motion
(road load, pedals, traction, integration), phases_power (drive-unit electrics,
charger, energy ledger); vehicle (Vehicle: the step in order), commands (the
driver commands Vehicle inherits), vehicle_state (VehicleState, one dataclass per
catalogue frame), snapshot (builds each frame).
Files and ratings: trace (SpeedTrace, CSV traces), scenario and scenario_events
(scenario files -> dataclasses), scenario_runner (ScenarioRunner), rating (WLTC
consumption, rated range, spec_summary).  Imports go one way: rating and
scenario_runner use vehicle, never the reverse.
"""

from .charging import ChargerType, ChargingState
from .chassis import Door, Seat, Wheel
from .configuration import (
    DEFAULT_CONFIGURATION,
    DEFAULT_SPEC,
    OPTION_FIELDS,
    DecalPack,
    Paint,
    RoofColour,
    RoofRack,
    VehicleConfiguration,
    WheelPackage,
    fitted_options,
    spec_for,
)
from .driver import DriverInput, Gear, SpeedFollower
from .energy import EnergyLedger, RegenLevel
from .environment import Environment, Surface
from .range_breakdown import RangeBreakdown, option_costs_m, range_breakdown, rating_specs
from .rating import spec_summary, wltc_consumption_J_per_m, wltc_rated_range_m
from .ride_height import RideHeightLevel
from .rules import Decision
from .scenario import (
    Scenario,
    ScenarioError,
    ScenarioEvent,
    Segment,
    list_scenarios,
    load_scenario,
)
from .scenario_runner import EventRecord, ScenarioRunner
from .snapshot import configuration_frame
from .spec import BASE_SPEC, MotorSpec, VehicleSpec
from .terrain import (
    PROGRAM_EFFECTS,
    PROGRAM_RULES,
    ProgramEffects,
    ProgramState,
    TerrainProgram,
    TractionControlMode,
)
from .torque import Axle, LockerState
from .vehicle import InitialConditions, Vehicle
from .vehicle_file import (
    VEHICLE_DIR,
    ConfigurationError,
    list_configurations,
    load_configuration,
    parse_configuration,
)
from .vehicle_state import (
    BatteryFrame,
    BodyFrame,
    ChargingFrame,
    ConfigurationFrame,
    DriveFrame,
    EnergyFrame,
    TerrainFrame,
    VehicleState,
)

__all__ = [
    "BASE_SPEC",
    "DEFAULT_CONFIGURATION",
    "DEFAULT_SPEC",
    "OPTION_FIELDS",
    "VEHICLE_DIR",
    "ConfigurationError",
    "ConfigurationFrame",
    "DecalPack",
    "Paint",
    "RangeBreakdown",
    "RoofColour",
    "RoofRack",
    "VehicleConfiguration",
    "WheelPackage",
    "configuration_frame",
    "fitted_options",
    "list_configurations",
    "load_configuration",
    "option_costs_m",
    "parse_configuration",
    "range_breakdown",
    "rating_specs",
    "spec_for",
    "PROGRAM_EFFECTS",
    "PROGRAM_RULES",
    "Axle",
    "BatteryFrame",
    "BodyFrame",
    "ChargingFrame",
    "DriveFrame",
    "EnergyFrame",
    "TerrainFrame",
    "ChargerType",
    "ChargingState",
    "Decision",
    "Door",
    "DriverInput",
    "EnergyLedger",
    "EventRecord",
    "Environment",
    "Gear",
    "InitialConditions",
    "LockerState",
    "MotorSpec",
    "ProgramEffects",
    "ProgramState",
    "RegenLevel",
    "RideHeightLevel",
    "Scenario",
    "ScenarioError",
    "ScenarioEvent",
    "ScenarioRunner",
    "Seat",
    "Segment",
    "SpeedFollower",
    "Surface",
    "TerrainProgram",
    "TractionControlMode",
    "Vehicle",
    "VehicleSpec",
    "VehicleState",
    "Wheel",
    "list_scenarios",
    "load_scenario",
    "spec_summary",
    "wltc_consumption_J_per_m",
    "wltc_rated_range_m",
]
