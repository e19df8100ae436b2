"""The second half of a vehicle step, as phases: energy of the motion, the drive units'
electrics, the charger, and the energy ledger's share of each.

Like phases_motion, each phase returns a small frozen result computed only from its inputs;
the ledger functions add those results to the EnergyLedger, one term at a time and in the
order the monolithic step did (so the running totals are bit-for-bit the same).
"""

from __future__ import annotations

from dataclasses import dataclass

from .battery import cell_power_W
from .charging import (
    ChargePort,
    ChargingState,
    charge_efficiency,
    inlet_power_W,
    terminal_power_for_energy_W,
)
from .energy import EnergyLedger, motor_loss_W
from .phases_limits import Loads
from .phases_motion import Motion, RoadLoad, Traction
from .spec import MotorSpec, VehicleSpec


@dataclass(frozen=True, slots=True)
class MotionEnergy:
    """Mechanical energy of one step, J (signs as the ledger keeps them)."""

    kinetic_J: float
    grade_J: float
    aero_J: float
    rolling_J: float
    water_J: float
    friction_brake_J: float
    wheel_work_J: float


def motion_energy(v0_mps: float, motion: Motion, road: RoadLoad) -> MotionEnergy:
    """Kinetic and potential energy gained, work against each resistance, work at the wheels."""
    v1 = motion.v1_mps
    ds = motion.ds_m
    dist = motion.distance_m
    return MotionEnergy(
        0.5 * road.effective_mass_kg * (v1 * v1 - v0_mps * v0_mps),
        -road.grade_x_N * ds,
        road.aero_N * dist,
        road.rolling_N * dist,
        road.water_N * dist,
        motion.friction_N * dist,
        motion.traction_x_N * ds,
    )


def record_motion(ledger: EnergyLedger, energy: MotionEnergy) -> None:
    """Add one step's mechanical energy to the running totals."""
    ledger.kinetic_J += energy.kinetic_J
    ledger.grade_J += energy.grade_J
    ledger.aero_J += energy.aero_J
    ledger.rolling_J += energy.rolling_J
    ledger.water_J += energy.water_J
    ledger.friction_brake_J += energy.friction_brake_J
    ledger.wheel_work_J += energy.wheel_work_J


@dataclass(frozen=True, slots=True)
class AxleElectrics:
    """One drive unit over the step: wheel force, electrical power and where power was lost."""

    force_N: float = 0.0
    """Ground-frame wheel force (0 = the unit did nothing this step)."""
    power_W: float = 0.0
    """Electrical, positive = motoring, negative = regenerating."""
    slip_W: float = 0.0
    gear_loss_W: float = 0.0
    motor_loss_W: float = 0.0

    @property
    def active(self) -> bool:
        """The unit carried a force this step."""
        return self.force_N != 0.0


@dataclass(frozen=True, slots=True)
class DriveElectrics:
    """Both drive units; total_W is what they draw from the pack together."""

    front: AxleElectrics = AxleElectrics()
    rear: AxleElectrics = AxleElectrics()
    total_W: float = 0.0


def axle_electrics(
    spec: VehicleSpec, motor: MotorSpec, fx_N: float, slip: float, v_avg_mps: float
) -> AxleElectrics:
    """Wheel power -> power at the tyre (plus slip) -> shaft (gear losses) -> electrical."""
    if fx_N == 0.0:
        return AxleElectrics()
    r = spec.wheel_radius_m
    eta = spec.gear_efficiency
    p_wheel = fx_N * v_avg_mps
    p_slip = p_wheel * slip if p_wheel > 0.0 else 0.0
    p_at = p_wheel + p_slip
    p_shaft = p_at / eta if p_at >= 0.0 else p_at * eta
    torque_m = fx_N * r / motor.gear_ratio
    w_m = abs(v_avg_mps) * (1.0 + slip) / r * motor.gear_ratio
    loss = motor_loss_W(motor, torque_m, w_m, p_shaft)
    return AxleElectrics(fx_N, p_shaft + loss, p_slip, abs(p_shaft - p_at), loss)


def motor_electrics(
    spec: VehicleSpec, motion: Motion, trac: Traction, dt_s: float
) -> DriveElectrics:
    """Both drive units at the step's average speed."""
    v_avg = motion.ds_m / dt_s
    front = axle_electrics(spec, spec.front_motor, motion.fx_front_N, trac.slip_front, v_avg)
    rear = axle_electrics(spec, spec.rear_motor, motion.fx_rear_N, trac.slip_rear, v_avg)
    total = 0.0
    for unit in (front, rear):
        if unit.active:
            total += unit.power_W
    return DriveElectrics(front, rear, total)


def record_drive(ledger: EnergyLedger, drive: DriveElectrics, dt_s: float) -> None:
    """Add the drive units' losses and electrical energy, front unit first."""
    for unit in (drive.front, drive.rear):
        if not unit.active:
            continue
        ledger.tyre_slip_J += unit.slip_W * dt_s
        ledger.gear_loss_J += unit.gear_loss_W * dt_s
        ledger.motor_loss_J += unit.motor_loss_W * dt_s
        if unit.power_W >= 0.0:
            ledger.traction_electrical_J += unit.power_W * dt_s
        else:
            ledger.regen_electrical_J -= unit.power_W * dt_s


@dataclass(frozen=True, slots=True)
class ChargerFlow:
    """Power at the inlet, what reaches the pack side, and the pack's terminal power (W)."""

    inlet_W: float = 0.0
    from_charger_W: float = 0.0
    terminal_W: float = 0.0
    """Positive into the pack."""


def charger_flow(
    spec: VehicleSpec,
    port: ChargePort,
    soc: float,
    pack_temperature_c: float,
    energy_J: float,
    drive_W: float,
    loads_W: float,
    dt_s: float,
) -> ChargerFlow:
    """Charger in, drive units and loads out; charging stops exactly at the limit.

    Charge complete but still plugged in: the charger carries the auxiliaries so the pack
    holds its charge (as real EVs do).
    """
    inlet = 0.0
    from_charger = 0.0
    if port.state is ChargingState.CHARGING and port.kind is not None:
        efficiency = charge_efficiency(spec, port.kind)
        inlet = inlet_power_W(spec, port.kind, soc, pack_temperature_c, port.charger_max_W)
        from_charger = inlet * efficiency
        terminal = from_charger - drive_W - loads_W
        room = max(0.0, port.limit_soc * spec.usable_energy_J - energy_J)
        if cell_power_W(spec, soc, pack_temperature_c, terminal) * dt_s > room:
            terminal = terminal_power_for_energy_W(spec, soc, pack_temperature_c, room, dt_s)
            from_charger = terminal + drive_W + loads_W
            inlet = from_charger / efficiency
    elif port.state is ChargingState.COMPLETE and port.kind is not None:
        from_charger = min(loads_W, port.charger_max_W * charge_efficiency(spec, port.kind))
        inlet = from_charger / charge_efficiency(spec, port.kind)
    return ChargerFlow(inlet, from_charger, from_charger - drive_W - loads_W)


def record_electrical(
    ledger: EnergyLedger, battery_loss_J: float, loads: Loads, flow: ChargerFlow, dt_s: float
) -> None:
    """Add the pack's heat, the loads and the charger's energy and loss."""
    ledger.battery_loss_J += battery_loss_J
    ledger.aux_J += loads.aux_W * dt_s
    ledger.climate_J += loads.climate_W * dt_s
    ledger.thermal_management_J += loads.chiller_W * dt_s
    ledger.charge_in_J += flow.from_charger_W * dt_s
    ledger.charger_loss_J += (flow.inlet_W - flow.from_charger_W) * dt_s


def smoothed(previous: float, sample: float, dt_s: float, time_constant_s: float = 2.0) -> float:
    """First-order low-pass (the HMI's instantaneous consumption is smoothed over ~2 s)."""
    alpha = dt_s / (time_constant_s + dt_s)
    return previous + alpha * (sample - previous)
