"""The simulated vehicle: composes the physics modules and steps them together.

Build a Vehicle (with its spec's rated consumption, from rating.py), call
step(dt_s, DriverInput, Environment) at a fixed rate and snapshot() whenever the
HMI needs figures.  step runs the phases of phases_limits, phases_motion and
phases_power in order and commits their frozen results; snapshot builds one
dataclass per catalogue frame (snapshot.py).  Driver commands (terrain program,
lockers, ride height, charge limit, charger) are request methods inherited from
commands.DriverCommands that return a Decision: accepted, or refused with a
reason code and a sentence.

Sign conventions:
  * battery_power_W: POSITIVE INTO the battery (charging/regen), as VSS
    TractionBattery.CurrentPower.  (OVMS v.b.power uses the opposite sign.)
  * front/rear_motor_power_W: electrical power drawn by each drive unit,
    positive = motoring, negative = regenerating.
  * speed_mps, axle torques: positive = forwards.
  * torque_distribution: -100 all front .. +100 all rear (VSS).
  * pitch positive = nose up; roll positive = leaning right (right side lower).
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Any

from .battery import TractionBattery
from .charging import ChargePort, ChargingState, time_to_limit_s
from .chassis import Body, Odometer, Seat, Tyres
from .commands import DriverCommands
from .configuration import DEFAULT_SPEC
from .driver import DriverInput, Gear, SpeedFollower
from .energy import EnergyLedger
from .environment import Environment, Surface
from .motion_aids import downhill_pull_N, hill_descent_brake_N
from .phases_limits import (
    NO_FORCE,
    Governed,
    Loads,
    electrical_loads,
    force_limits,
    governor,
    power_limits,
)
from .phases_motion import (
    Motion,
    Pedals,
    Traction,
    integrate,
    pedals,
    road_load,
    traction,
    wheel_demand_N,
)
from .phases_power import (
    ChargerFlow,
    DriveElectrics,
    charger_flow,
    motion_energy,
    motor_electrics,
    record_drive,
    record_electrical,
    record_motion,
    smoothed,
)
from .range import ConsumptionWindow
from .ride_height import RideHeightActuator, RideHeightLevel
from .snapshot import (
    battery_frame,
    body_frame,
    charging_frame,
    drive_frame,
    energy_frame,
    instant_consumption,
    terrain_frame,
)
from .spec import VehicleSpec
from .terrain import (
    TerrainController,
    TerrainProgram,
    program_unavailable_reason,
    suggested_program,
)
from .torque import Axle, AxleLocker
from .vehicle_state import VehicleState

AUTO = TerrainProgram.AUTO


@dataclass(frozen=True, slots=True)
class InitialConditions:
    """Where a vehicle starts."""

    soc: float = 0.8
    ambient_c: float = 23.0
    pack_temperature_c: float | None = None
    """None = soaked to ambient."""
    program: TerrainProgram = TerrainProgram.COMFORT
    gear: Gear = Gear.P
    ready: bool = True
    charge_limit_pct: float = 90.0
    occupants: tuple[Seat, ...] = (Seat.ROW1_DRIVER_SIDE,)
    belts: tuple[Seat, ...] = (Seat.ROW1_DRIVER_SIDE,)
    odometer_m: float = 0.0


class Vehicle(DriverCommands):
    """The simulated vehicle.

    Parameters: spec (fixed parameters), initial (starting conditions), seed or
    rng (small deterministic noise: grip texture, tyre pressure offsets), and
    rated_consumption_J_per_m: the spec's WLTC consumption, computed once by the
    caller (rating.wltc_consumption_J_per_m) -- finding it means driving a whole
    cycle with a Vehicle, so a Vehicle cannot find it itself.
    """

    def __init__(
        self,
        spec: VehicleSpec = DEFAULT_SPEC,
        initial: InitialConditions | None = None,
        seed: int = 0,
        rng: random.Random | None = None,
        *,
        rated_consumption_J_per_m: float,
    ) -> None:
        init = initial or InitialConditions()
        self.spec = spec
        self.rng = rng if rng is not None else random.Random(seed)
        self.rated_consumption_J_per_m = rated_consumption_J_per_m
        self._crr = {s: spec.crr(s) for s in Surface}

        self.battery = TractionBattery(
            spec,
            init.soc,
            init.ambient_c if init.pack_temperature_c is None else init.pack_temperature_c,
        )
        self.terrain = TerrainController(init.program, spec.program_engage_s, spec.auto_confirm_s)
        self.ride = RideHeightActuator(
            self.terrain.target_ride_height(),
            spec.ride_height_raise_rate_mps,
            spec.ride_height_lower_rate_mps,
        )
        self.lockers = {
            Axle.FRONT: AxleLocker(spec.locker_engage_s),
            Axle.REAR: AxleLocker(spec.locker_engage_s),
        }
        self.charge_port = ChargePort(init.charge_limit_pct, spec.charger_handshake_s)
        self.body = Body(spec.has_jump_seat)
        for seat in init.occupants:
            self.body.set_occupant(seat, True)
        for seat in init.belts:
            self.body.set_belt(seat, True)
        self.tyres = Tyres(init.ambient_c, self.rng)
        self.odometer = Odometer(init.odometer_m)
        self.window = ConsumptionWindow(rated_consumption_J_per_m)
        self.ledger = EnergyLedger()
        self.follower = SpeedFollower()

        self.ready = init.ready
        self.gear = init.gear
        self.time_s = 0.0
        self.speed_mps = 0.0
        self.accel_mps2 = 0.0
        self.env = Environment(ambient_c=init.ambient_c)
        self._ride_override: RideHeightLevel | None = None
        self._speed_lowered = False
        # Results of the last step's phases, read by snapshot().
        self._pedals = Pedals()
        self._traction = Traction()
        self._descent_controlled = False   # hill descent control in charge this step
        self._drive = DriveElectrics()
        self._power_limits = power_limits(spec, self.battery.soc, self.battery.temperature_c)
        self._charger = ChargerFlow()
        self._loads = Loads()
        self._power_out_ema = 0.0
        self._speed_ema = 0.0
        self._ttl_key: tuple[Any, ...] | None = None
        self._ttl_value: float | None = None
        self._switched_off_at: float | None = None

    # ------------------------------------------------------------------ step
    def step(self, dt_s: float, driver: DriverInput, env: Environment) -> None:
        """Advance the whole vehicle by dt_s: the controls, then each phase in order.

        The phases (phases_limits, phases_motion, phases_power) compute; this method only
        hands each one its inputs and commits its result to the vehicle's state.
        """
        spec, battery = self.spec, self.battery
        self.env = env
        self.time_s += dt_s
        v0 = self.speed_mps
        speed = v0 if v0 >= 0.0 else -v0
        soc, pack_t = battery.soc, battery.temperature_c
        self._step_controls(dt_s, driver.gear, env, speed, soc)
        gear, effects = self.gear, self.terrain.effects
        direction = -1.0 if gear is Gear.R else 1.0
        v_dir = v0 * direction
        self._loads = loads = electrical_loads(
            spec, self.ready, self.charge_port.connected, env.ambient_c,
            battery.thermal_management_power_W(),
        )
        self._power_limits = power_limits(spec, soc, pack_t)
        can_drive = self.drive_inhibit_reason() is None and gear in (Gear.D, Gear.R)
        road = road_load(spec, env, speed, self._crr[env.surface])
        downhill = downhill_pull_N(road.grade_x_N, road.rolling_N, v0)
        governed = self._governed_caps(speed, v_dir, loads.total_W, can_drive, downhill)
        progression = effects.throttle_progression
        self._pedals = pedal = pedals(
            driver, self.follower, road, governed.limits, v_dir, direction, progression, dt_s
        )
        descent = hill_descent_brake_N(
            self.terrain.effective, gear, pedal.accelerator, v_dir, downhill, spec.mass_kg
        )
        self._descent_controlled = descent is not None
        demand = wheel_demand_N(
            pedal, governed, road.brake_max_N, progression, can_drive, descent
        )
        lockers = (self.lockers[Axle.FRONT].engaged, self.lockers[Axle.REAR].engaged)
        self._traction = trac = traction(
            spec, env, effects, demand, governed.limits, road, self.accel_mps2, lockers, self.rng
        )
        motion = integrate(v0, dt_s, gear, direction, trac, road)
        self.speed_mps, self.accel_mps2 = motion.v1_mps, motion.accel_mps2
        record_motion(self.ledger, motion_energy(v0, motion, road))
        self._drive = drive = motor_electrics(spec, motion, trac, dt_s)
        record_drive(self.ledger, drive, dt_s)
        used_J = self._step_pack(dt_s, env.ambient_c, (soc, pack_t), drive.total_W, loads)
        self._commit_distance(dt_s, motion, used_J, env.ambient_c)

    def _governed_caps(
        self, speed: float, v_dir: float, loads_W: float, can_drive: bool, downhill_N: float
    ) -> Governed:
        """Drive-unit and pack force caps (none when the car cannot drive), then the governor."""
        spec, effects = self.spec, self.terrain.effects
        caps = NO_FORCE
        if can_drive:
            caps = force_limits(spec, speed, v_dir, effects, self._power_limits, loads_W)
        auto = self.terrain.active is AUTO
        return governor(spec, self.gear, v_dir, effects.max_speed_mps, auto, caps, downhill_N)

    def _step_pack(
        self,
        dt_s: float,
        ambient_c: float,
        start: tuple[float, float],
        drive_W: float,
        loads: Loads,
    ) -> float:
        """Charger in, drive units and loads out, through the pack; returns the energy it gave.

        start = (SoC, pack temperature) at the start of the step, as the limits saw them.
        """
        battery = self.battery
        soc, pack_t = start
        self._charger = flow = charger_flow(
            self.spec, self.charge_port, soc, pack_t, battery.energy_J, drive_W, loads.total_W,
            dt_s,
        )
        energy_before = battery.energy_J
        loss_J = battery.step(flow.terminal_W, dt_s, ambient_c, loads.chiller_W)
        record_electrical(self.ledger, loss_J, loads, flow, dt_s)
        return energy_before - battery.energy_J

    def _step_controls(
        self, dt_s: float, wanted_gear: Gear, env: Environment, speed: float, soc: float
    ) -> None:
        """Gear, Terrain Response, ride height, lockers and charge port: the stateful parts."""
        self._select_gear(wanted_gear, speed)
        terrain = self.terrain
        terrain.step(dt_s, env.surface, speed, self.ride.settled)
        self.ride.step(dt_s, self._ride_height_target(speed))
        lockers_allowed = terrain.effects.lockers_allowed and self.ready
        for locker in (self.lockers[Axle.FRONT], self.lockers[Axle.REAR]):
            locker.step(dt_s, lockers_allowed, speed, self.spec.locker_max_speed_mps)
        self.charge_port.step(dt_s, soc)

    def _commit_distance(
        self, dt_s: float, motion: Motion, used_J: float, ambient_c: float
    ) -> None:
        """Odometer, consumption window, smoothed power and speed, tyres."""
        dist = motion.distance_m
        plugged = self.charge_port.connected
        self.odometer.add(dist, 0.0 if plugged else used_J)
        if not plugged and (dist > 0.0 or self.ready):
            self.window.add(dist, used_J)
        self._power_out_ema = smoothed(self._power_out_ema, used_J / dt_s, dt_s)
        self._speed_ema = smoothed(self._speed_ema, abs(motion.ds_m / dt_s), dt_s)
        self.tyres.step(dt_s, self.spec, ambient_c, motion.v1_mps)

    # -------------------------------------------------------------- helpers
    def _select_gear(self, wanted: Gear, speed: float) -> None:
        """Gear changes: P/R/D only near standstill; no drive-away while plugged in."""
        if self.charge_port.connected:
            self.gear = Gear.P
            return
        if wanted is self.gear or not self.ready:
            return
        if speed < 0.3 or wanted is Gear.N:
            self.gear = wanted
            self.follower.reset()

    def _ride_height_target(self, speed: float) -> RideHeightLevel:
        """Program or driver height; NORMAL at speed until back below the restore speed."""
        spec = self.spec
        desired = self._ride_override or self.terrain.target_ride_height()
        if desired is RideHeightLevel.ACCESS and speed > spec.access_height_max_speed_mps:
            self._ride_override = None
            desired = self.terrain.target_ride_height()
            if desired is RideHeightLevel.ACCESS:
                desired = RideHeightLevel.NORMAL
        if self._speed_lowered:
            if speed < spec.raised_height_restore_speed_mps:
                self._speed_lowered = False
        elif desired.is_raised and speed > spec.raised_height_max_speed_mps:
            self._speed_lowered = True
        if self._speed_lowered and desired.is_raised:
            return RideHeightLevel.NORMAL
        return desired

    def drive_inhibit_reason(self) -> str | None:
        """Why the vehicle would not drive now (None = it would)."""
        if not self.ready:
            return "not_ready"
        if self.charge_port.connected:
            return "charger_connected"
        if self.battery.energy_J <= 0.0:
            return "battery_empty"
        return None

    # ------------------------------------------------------------- figures
    def time_to_limit_s(self) -> float | None:
        """Seconds until the charge limit at the present conditions (None when unplugged)."""
        port = self.charge_port
        if not port.connected or port.kind is None:
            return None
        if port.state is ChargingState.COMPLETE:
            return 0.0
        battery = self.battery
        key = (
            round(battery.soc, 3),
            port.limit_pct,
            port.kind,
            round(battery.temperature_c),
            port.charger_max_W,
            round(self._loads.total_W, -1),
        )
        if key != self._ttl_key:
            self._ttl_key = key
            self._ttl_value = time_to_limit_s(
                self.spec,
                port.kind,
                battery.soc,
                port.limit_soc,
                battery.temperature_c,
                port.charger_max_W,
                self._loads.total_W,
            )
        return self._ttl_value

    def snapshot(self) -> VehicleState:
        """All HMI figures now, frame by frame."""
        spec, battery, terrain, env = self.spec, self.battery, self.terrain, self.env
        effects = terrain.effects
        rated = self.rated_consumption_J_per_m
        trac = self._traction
        reasons = {
            p.name: program_unavailable_reason(self._program_context(p)) for p in TerrainProgram
        }
        estimate = self.window.estimate_J_per_m()
        instant = instant_consumption(self._power_out_ema, self._speed_ema)
        ttl = self.time_to_limit_s()
        suggestion = suggested_program(
            env.surface,
            env.water_depth_m,
            terrain.effective,
            max(trac.slip_front, trac.slip_rear),
            env.ambient_c,
        )
        motion = (self.gear, self.speed_mps, self.accel_mps2)
        return VehicleState(
            time_s=self.time_s,
            drive=drive_frame(
                spec, self.ready, self.drive_inhibit_reason(), motion, self._pedals, battery,
                self._drive, self._power_limits, trac, effects, self.lockers, instant,
                self._descent_controlled,
            ),
            battery=battery_frame(battery, estimate, rated),
            energy=energy_frame(battery, self.window, self.odometer, effects.consumption_factor,
                                rated),
            terrain=terrain_frame(
                spec, terrain, self.ride, env, (abs(self.speed_mps), self.accel_mps2), reasons,
                suggestion, self._speed_lowered,
            ),
            charging=charging_frame(self.charge_port, battery, self._charger.inlet_W, ttl, rated),
            body=body_frame(spec, self.body, self.tyres, self.odometer, env.ambient_c),
        )
