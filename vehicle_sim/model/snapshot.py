"""Building a VehicleState: one function per catalogue frame, from the parts that know it.

Each builder reads only the components (and last step's phase results) its frame is made of,
so it needs no Vehicle: vehicle.py calls them, they import nothing of vehicle.py.
"""

from __future__ import annotations

import math
from collections.abc import Mapping

from .battery import TractionBattery
from .charging import ChargePort, ChargingState
from .chassis import (
    Body,
    Odometer,
    Tyres,
    body_pitch_rad,
    body_roll_rad,
    wade_depth_m,
    wade_limit_m,
)
from .configuration import WHEEL_SETS, VehicleConfiguration, spec_for
from .driver import Gear
from .environment import Environment
from .phases_limits import PowerLimits
from .phases_motion import Pedals, Traction
from .phases_power import DriveElectrics
from .range import ConsumptionWindow, program_range_projection, rated_range_m
from .ride_height import RideHeightActuator
from .spec import VehicleSpec
from .terrain import ProgramEffects, TerrainController, TerrainProgram
from .torque import Axle, AxleLocker, torque_distribution
from .vehicle_state import (
    BatteryFrame,
    BodyFrame,
    ChargingFrame,
    ConfigurationFrame,
    DriveFrame,
    EnergyFrame,
    TerrainFrame,
)


def instant_consumption(power_out_W: float, speed_mps: float) -> float | None:
    """Smoothed power over smoothed speed; None below walking pace, where it means nothing."""
    return power_out_W / speed_mps if speed_mps > 0.5 else None


def drive_frame(
    spec: VehicleSpec,
    ready: bool,
    inhibit_reason: str | None,
    motion: tuple[Gear, float, float],
    pedal: Pedals,
    battery: TractionBattery,
    drive: DriveElectrics,
    power: PowerLimits,
    trac: Traction,
    effects: ProgramEffects,
    lockers: Mapping[Axle, AxleLocker],
    instant_J_per_m: float | None,
    hill_descent_active: bool = False,
) -> DriveFrame:
    """motion = (gear, speed m/s signed, acceleration m/s2)."""
    gear, speed_mps, accel_mps2 = motion
    r = spec.wheel_radius_m
    torque_f = drive.front.force_N * r
    torque_r = drive.rear.force_N * r
    front, rear = lockers[Axle.FRONT], lockers[Axle.REAR]
    return DriveFrame(
        ready=ready,
        drive_inhibit_reason=inhibit_reason,
        gear=gear.value,
        speed_mps=speed_mps,
        acceleration_mps2=accel_mps2,
        accelerator_pedal=pedal.accelerator,
        brake_pedal=pedal.brake,
        battery_power_W=battery.last_terminal_power_W,
        front_motor_power_W=drive.front.power_W,
        rear_motor_power_W=drive.rear.power_W,
        front_axle_torque_Nm=torque_f,
        rear_axle_torque_Nm=torque_r,
        torque_distribution=torque_distribution(torque_f, torque_r, effects.torque_distribution),
        discharge_power_limit_W=power.discharge_W,
        regen_power_limit_W=power.regen_W,
        regen_level=effects.regen_level.name,
        front_locker_requested=front.requested,
        front_locker_state=front.state.value,
        front_locker_engaged=front.engaged,
        front_locker_engagement_pct=front.engagement_pct,
        front_locker_release_reason=front.released_reason,
        rear_locker_requested=rear.requested,
        rear_locker_state=rear.state.value,
        rear_locker_engaged=rear.engaged,
        rear_locker_engagement_pct=rear.engagement_pct,
        rear_locker_release_reason=rear.released_reason,
        traction_control_mode=effects.traction_control.value,
        traction_control_intervening=trac.tc_intervening,
        hill_descent_active=hill_descent_active,
        front_wheel_slip=trac.slip_front,
        rear_wheel_slip=trac.slip_rear,
        consumption_instant_J_per_m=instant_J_per_m,
    )


def battery_frame(
    battery: TractionBattery, estimate_J_per_m: float, rated_J_per_m: float
) -> BatteryFrame:
    """The pack and the two ranges (estimated from driving so far, and rated)."""
    energy = battery.displayed_energy_J
    return BatteryFrame(
        soc_pct=battery.soc * 100.0,
        energy_J=energy,
        usable_capacity_J=battery.usable_capacity_J,
        pack_temperature_c=battery.temperature_c,
        pack_current_A=battery.last_current_A,
        range_estimated_m=rated_range_m(energy, estimate_J_per_m),
        range_rated_m=rated_range_m(energy, rated_J_per_m),
    )


def energy_frame(
    battery: TractionBattery,
    window: ConsumptionWindow,
    odometer: Odometer,
    consumption_factor: float,
    rated_J_per_m: float,
) -> EnergyFrame:
    """Consumption averages; the trip figure once the trip is 100 m long.

    consumption_factor: the active program's, relative to Comfort (range projection).
    """
    estimate = window.estimate_J_per_m()
    projection = program_range_projection(
        battery.displayed_energy_J, estimate, consumption_factor
    )
    trip = odometer.trip_energy_J / odometer.trip_m if odometer.trip_m >= 100.0 else None
    return EnergyFrame(
        range_by_program_m={p.name: value for p, value in projection.items()},
        consumption_rolling_J_per_m=window.average_J_per_m(),
        consumption_trip_J_per_m=trip,
        consumption_estimate_J_per_m=estimate,
        consumption_rated_J_per_m=rated_J_per_m,
    )


def terrain_frame(
    spec: VehicleSpec,
    terrain: TerrainController,
    ride: RideHeightActuator,
    env: Environment,
    motion: tuple[float, float],
    reasons: dict[str, str | None],
    suggestion: TerrainProgram | None,
    lowered_for_speed: bool,
) -> TerrainFrame:
    """motion = (speed m/s, acceleration m/s2); reasons: why each program is unavailable."""
    speed, accel = motion
    effects = terrain.effects
    return TerrainFrame(
        program_requested=terrain.requested.name,
        program_active=terrain.active.name,
        program_state=terrain.state.value,
        program_auto_selected=terrain.auto_selected.name if terrain.auto_selected else None,
        program_effective=terrain.effective.name,
        program_available={name: reason is None for name, reason in reasons.items()},
        program_unavailable_reasons=reasons,
        program_suggested=suggestion.name if suggestion else None,
        program_max_speed_mps=effects.max_speed_mps,
        ride_height_level=ride.level.name,
        ride_height_target=ride.target.name,
        ride_height_actual_m=ride.actual_m,
        ride_height_target_m=ride.target.clearance_m,
        ride_height_settled=ride.settled,
        ride_height_lowered_for_speed=lowered_for_speed,
        raised_height_max_speed_mps=spec.raised_height_max_speed_mps,
        access_height_max_speed_mps=spec.access_height_max_speed_mps,
        locker_max_speed_mps=spec.locker_max_speed_mps,
        pitch_rad=body_pitch_rad(env.grade_rad, accel),
        roll_rad=body_roll_rad(env.side_slope_rad),
        wade_depth_m=wade_depth_m(env.water_depth_m, speed),
        wade_limit_m=wade_limit_m(spec, ride.actual_m),
        wading=env.water_depth_m > 0.0,
        surface=env.surface.value,
        grade_rad=env.grade_rad,
        side_slope_rad=env.side_slope_rad,
    )


def charging_frame(
    port: ChargePort,
    battery: TractionBattery,
    inlet_W: float,
    time_to_limit_s: float | None,
    rated_J_per_m: float,
) -> ChargingFrame:
    """Charger figures; range added per hour from the power that stays in the pack."""
    added_per_h = 0.0
    if port.state is ChargingState.CHARGING and battery.last_terminal_power_W > 0.0:
        stored_W = battery.last_terminal_power_W - battery.last_loss_W
        added_per_h = stored_W * 3600.0 / rated_J_per_m
    ttl = time_to_limit_s
    return ChargingFrame(
        charging_state=port.state.value,
        charger_type=port.kind.value if port.kind else None,
        charging_power_W=inlet_W,
        charge_limit_pct=port.limit_pct,
        time_to_limit_s=ttl if ttl is None or math.isfinite(ttl) else None,
        range_added_per_hour_m=added_per_h,
    )


def body_frame(
    spec: VehicleSpec, body: Body, tyres: Tyres, odometer: Odometer, ambient_c: float
) -> BodyFrame:
    """Openings, seats and belts, tyre pressures, distances."""
    return BodyFrame(
        doors_open={d.value: v for d, v in body.doors_open.items()},
        tailgate_open=body.tailgate_open,
        seats_occupied={s.value: v for s, v in body.occupied.items()},
        belts_fastened={s.value: v for s, v in body.belted.items()},
        tyre_pressures_Pa={w.value: p for w, p in tyres.pressures_Pa(spec).items()},
        odometer_m=odometer.total_m,
        trip_m=odometer.trip_m,
        ambient_c=ambient_c,
    )


def configuration_frame(
    config: VehicleConfiguration,
    rated_range_m: float | None,
    range_cost_m: Mapping[str, float | None],
) -> ConfigurationFrame:
    """The car as built, with its rating figures as far as they are known."""
    spec = spec_for(config)
    wheels = WHEEL_SETS[config.wheels]
    return ConfigurationFrame(
        name=config.name,
        usable_capacity_J=spec.usable_energy_J,
        curb_weight_kg=spec.mass_kg,
        paint=config.paint.name,
        roof_colour=config.roof_colour.name,
        decal_pack=config.decal_pack.name,
        wheel_package=config.wheels.name,
        rim_diameter_m=wheels.rim_diameter_m,
        tyre_diameter_m=wheels.tyre_diameter_m,
        wheelarch_extensions=config.wheelarch_extensions,
        roof_rack=config.roof_rack.name,
        spare_wheel=config.spare_wheel,
        jump_seat_fitted=spec.has_jump_seat,
        rated_range_m=rated_range_m,
        range_cost_m=dict(range_cost_m),
        peak_axle_torques_Nm=spec.peak_axle_torques_Nm,
    )
