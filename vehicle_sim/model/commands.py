"""Driver commands: the request methods of a Vehicle and the rules they go through.

Each command builds its rule context from the vehicle's state, evaluates the rules and,
when accepted, changes the one part it concerns; the answer is a Decision (accepted, or
refused with a reason code and a sentence).  The physics (vehicle.py and the phases) never
needs these, so they live apart: Vehicle inherits them from DriverCommands.
"""

from __future__ import annotations

import enum
from typing import TypeVar

from .battery import TractionBattery
from .charging import (
    CHARGE_LIMIT_RULES,
    CHARGER_CONNECT_RULES,
    ChargeLimitContext,
    ChargePort,
    ChargerConnectContext,
    ChargerType,
)
from .chassis import Body, Door, Odometer, Seat
from .driver import Gear, SpeedFollower
from .ride_height import RIDE_HEIGHT_RULES, RideHeightLevel, RideHeightRequestContext
from .rules import Decision, accept, evaluate, refuse
from .spec import VehicleSpec
from .terrain import ProgramRequestContext, TerrainController, TerrainProgram
from .torque import LOCKER_RULES, Axle, AxleLocker, LockerRequestContext
from .units import MPS_TO_KMH

E = TypeVar("E", bound=enum.Enum)

PROGRAM_REVERT_AFTER_OFF_S = 3 * 3600.0
"""Off for this long and Mud/Ruts or Sand come back as Comfort."""
REVERTING_PROGRAMS = (TerrainProgram.MUD_RUTS, TerrainProgram.SAND)


def coerce_enum(enum_cls: type[E], value: object) -> E | None:
    """Accept an enum member, its name or its value (case-insensitive); None if unknown."""
    if isinstance(value, enum_cls):
        return value
    if isinstance(value, str):
        key = value.strip()
        for member in enum_cls:
            if member.name.lower() == key.lower() or str(member.value).lower() == key.lower():
                return member
    return None


def unknown_value(kind: str, value: object) -> Decision:
    return refuse("unknown_value", f"Unknown {kind}: {value!r}.")


class DriverCommands:
    """The commands a driver (or the HMI, or a scenario) gives a Vehicle.

    A mixin: the annotations below are the parts of the Vehicle the commands read and
    change; Vehicle.__init__ sets them.
    """

    spec: VehicleSpec
    battery: TractionBattery
    terrain: TerrainController
    lockers: dict[Axle, AxleLocker]
    charge_port: ChargePort
    body: Body
    odometer: Odometer
    follower: SpeedFollower
    ready: bool
    gear: Gear
    time_s: float
    speed_mps: float
    _ride_override: RideHeightLevel | None
    _switched_off_at: float | None

    def _program_context(self, program: TerrainProgram) -> ProgramRequestContext:
        """What the program rules look at now (also used for the HMI's availability)."""
        return ProgramRequestContext(
            program, abs(self.speed_mps), self.ready, self.charge_port.connected
        )

    def request_terrain_program(self, program: TerrainProgram | str) -> Decision:
        """Ask for a Terrain Response program; refused requests keep the current one."""
        member = coerce_enum(TerrainProgram, program)
        if member is None:
            return unknown_value("terrain program", program)
        before = self.terrain.requested
        decision = self.terrain.request(self._program_context(member))
        if decision.accepted and self.terrain.requested is not before:
            self._ride_override = None
        return decision

    def request_locker(self, axle: Axle | str, engage: bool) -> Decision:
        """Ask to engage or release an axle locker."""
        member = coerce_enum(Axle, axle)
        if member is None:
            return unknown_value("axle", axle)
        effects = self.terrain.effects
        ctx = LockerRequestContext(
            engage,
            abs(self.speed_mps),
            self.ready,
            effects.lockers_allowed,
            self.spec.locker_max_speed_mps,
        )
        action = "engaging" if engage else "released"
        decision = evaluate(
            LOCKER_RULES,
            ctx,
            {"program": self.terrain.effective.value,
             "limit_kmh": self.spec.locker_max_speed_mps * MPS_TO_KMH},
            accepted_message=f"{member.value.title()} locker {action}.",
        )
        if decision.accepted:
            self.lockers[member].set_requested(engage)
        return decision

    def request_ride_height(self, level: RideHeightLevel | str) -> Decision:
        """Ask for a ride height level (kept until the program changes)."""
        member = coerce_enum(RideHeightLevel, level)
        if member is None:
            return unknown_value("ride height", level)
        spec = self.spec
        minimum = self.terrain.minimum_ride_height()
        ctx = RideHeightRequestContext(
            member,
            abs(self.speed_mps),
            self.ready,
            self.charge_port.connected,
            minimum,
            spec.raised_height_max_speed_mps,
            spec.access_height_max_speed_mps,
        )
        decision = evaluate(
            RIDE_HEIGHT_RULES,
            ctx,
            {
                "level": member.title,
                "minimum": minimum.title,
                "raised_limit_kmh": spec.raised_height_max_speed_mps * MPS_TO_KMH,
                "access_limit_kmh": spec.access_height_max_speed_mps * MPS_TO_KMH,
            },
            accepted_message=f"Ride height moving to {member.title}.",
        )
        if decision.accepted:
            self._ride_override = member
        return decision

    def set_charge_limit_pct(self, limit_pct: float) -> Decision:
        """Set the charge limit (50..100 %)."""
        spec = self.spec
        try:
            value = float(limit_pct)
        except (TypeError, ValueError):
            return unknown_value("charge limit", limit_pct)
        decision = evaluate(
            CHARGE_LIMIT_RULES,
            ChargeLimitContext(value, spec.charge_limit_min_pct, spec.charge_limit_max_pct),
            {"min_pct": spec.charge_limit_min_pct, "max_pct": spec.charge_limit_max_pct},
            accepted_message=f"Charge limit set to {value:.0f} %.",
        )
        if decision.accepted:
            self.charge_port.set_limit_pct(value, self.battery.soc)
        return decision

    def connect_charger(
        self, kind: ChargerType | str = ChargerType.DC, max_power_W: float | None = None
    ) -> Decision:
        """Plug in a charger (AC or DC, with the station's maximum power)."""
        member = coerce_enum(ChargerType, kind)
        if member is None:
            return unknown_value("charger type", kind)
        port = self.charge_port
        decision = evaluate(
            CHARGER_CONNECT_RULES,
            ChargerConnectContext(abs(self.speed_mps), port.connected),
            accepted_message=f"{member.value} charger connected.",
        )
        if decision.accepted:
            if max_power_W is None:
                max_power_W = 350e3 if member is ChargerType.DC else 22e3
            port.connect(member, max_power_W)
            self.gear = Gear.P
            self.follower.reset()
        return decision

    def disconnect_charger(self) -> Decision:
        """Unplug the charger."""
        if not self.charge_port.connected:
            return refuse("not_connected", "No charger is connected.")
        self.charge_port.disconnect()
        return accept("Charger disconnected.")

    def set_ready(self, ready: bool) -> Decision:
        """Switch the vehicle on (ready to drive) or off (only at standstill).

        Mud/Ruts and Sand revert to Comfort when the vehicle has been off for
        PROGRAM_REVERT_AFTER_OFF_S, as on the reference cars: the next driver may
        be back on tarmac.
        """
        if not ready and abs(self.speed_mps) > 0.1:
            return refuse("vehicle_moving", "Stop the vehicle before switching it off.")
        if ready and not self.ready:
            off_for = (
                self.time_s - self._switched_off_at if self._switched_off_at is not None else 0.0
            )
            terrain = self.terrain
            if off_for >= PROGRAM_REVERT_AFTER_OFF_S and terrain.requested in REVERTING_PROGRAMS:
                terrain.reset(TerrainProgram.COMFORT)
                self._ride_override = None
        self.ready = bool(ready)
        if not self.ready:
            self.gear = Gear.P
            self._switched_off_at = self.time_s
        return accept("Vehicle ready." if self.ready else "Vehicle switched off.")

    def set_door(self, door: Door | str, is_open: bool) -> Decision:
        """Open or close a side door."""
        member = coerce_enum(Door, door)
        if member is None:
            return unknown_value("door", door)
        return self.body.set_door(member, is_open)

    def set_tailgate(self, is_open: bool) -> Decision:
        """Open or close the tailgate."""
        return self.body.set_tailgate(is_open)

    def set_occupant(self, seat: Seat | str, present: bool) -> Decision:
        """Somebody sits down in / leaves a seat."""
        member = coerce_enum(Seat, seat)
        if member is None:
            return unknown_value("seat", seat)
        return self.body.set_occupant(member, present)

    def set_belt(self, seat: Seat | str, fastened: bool) -> Decision:
        """Fasten or release a belt."""
        member = coerce_enum(Seat, seat)
        if member is None:
            return unknown_value("seat", seat)
        return self.body.set_belt(member, fastened)

    def reset_trip(self) -> Decision:
        """Zero the trip distance and trip consumption."""
        self.odometer.reset_trip()
        return accept("Trip reset.")
