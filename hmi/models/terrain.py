"""Terrain view-model: program tiles, program effects, torque and lockers, attitude, wading, height.

Everything here follows the staleness of the signals it comes from: the program's name, its
detail line and its effects are live only while the terrain frame is, and the tiles say
"unavailable" while the program state is not live (hmi/tiles.py)."""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from dataclasses import replace
from functools import partial
from typing import Any

from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from protocols import Catalogue

from .. import formatting as fmt
from ..commands import CommandPhase, CommandTracker
from ..i18n import tr
from ..labels import enum_text, program_text
from ..programs import PROGRAM_ORDER, PROGRAMS
from ..ride_height import LEVELS
from ..signals import SignalTable
from ..tiles import (
    AVAILABLE,
    DETAIL,
    UNKNOWN,
    Circumstances,
    TileState,
    locker_state,
    terrain_tile,
)
from ..units import UnitPreferences
from .base import DomainModel, clamp
from .drive import PLUGGED_STATES  # a cable in: one rule with the plug telltale
from .ride_height import RideHeightControls, speed_limit_signal

REQUESTED = "Vehicle.Ema.TerrainResponse.Program.Requested"
ACTIVE = "Vehicle.Ema.TerrainResponse.Program.Active"
CHANGE_STATE = "Vehicle.Ema.TerrainResponse.Program.ChangeState"
AUTO_SELECTED = "Vehicle.Ema.TerrainResponse.Program.AutoSelected"
TORQUE_FRONT = "Vehicle.Ema.Drivetrain.Axle.Row1.Torque"
TORQUE_REAR = "Vehicle.Ema.Drivetrain.Axle.Row2.Torque"
TORQUE_SPLIT = "Vehicle.Powertrain.Transmission.TorqueDistribution"
PEAK_FRONT = "Vehicle.Ema.Drivetrain.Axle.Row1.PeakTorque"   # the car's spec (configuration)
PEAK_REAR = "Vehicle.Ema.Drivetrain.Axle.Row2.PeakTorque"
LOCKER_FRONT_REQUESTED = "Vehicle.Ema.Drivetrain.Axle.Row1.LockerRequested"
LOCKER_REAR_REQUESTED = "Vehicle.Ema.Drivetrain.Axle.Row2.LockerRequested"
LOCKER_FRONT = "Vehicle.Powertrain.Transmission.DiffLockFrontEngagement"
LOCKER_REAR = "Vehicle.Powertrain.Transmission.DiffLockRearEngagement"
PITCH = "Vehicle.Ema.Chassis.Pitch"
ROLL = "Vehicle.Ema.Chassis.Roll"
WADE_DEPTH = "Vehicle.Ema.Chassis.WadeDepth"
WADE_LIMIT = "Vehicle.Ema.Chassis.WadeDepthLimit"
RIDE_LEVEL = "Vehicle.Ema.Chassis.RideHeight.Level"
RIDE_TARGET = "Vehicle.Ema.Chassis.RideHeight.Target"
RIDE_ACTUAL = "Vehicle.Ema.Chassis.RideHeight.Actual"
SPEED = "Vehicle.Speed"
LOCKER_LIMIT = "Vehicle.Ema.Drivetrain.LockerSpeedLimit"
CHARGING_STATE = "Vehicle.Ema.Charging.State"
READY = "Vehicle.Ema.Powertrain.IsReady"
CHANGING = ("REQUESTED", "ENGAGING")   # ProgramChangeState values of a change under way

RIDE_MIN_M, RIDE_MAX_M = 0.10, 0.40
RIDE_SETTLED_M = 0.005
WADE_SHOWN_FROM_M = 0.05
WADE_CAUTION_FRACTION = 0.8
AXLES = ("FRONT", "REAR")
SCREEN = "terrain"
EFFECT_FIELDS = {"torque": "torque_bias", "traction": "traction", "throttle": "throttle",
                 "regen": "regen", "ride": "ride_height"}   # figure name -> ProgramEffects field


def torque_tone(torque_nm: float | None) -> str:
    """Whether an axle's motor is lit, by the one rule its figure follows: lit whenever the
    figure beside it reads anything but 0 N·m (it is rounded to whole N·m), green when that
    figure is negative (regen). The icon once went dark at 36 N·m: it had its own threshold
    of 1 % of the bar's scale."""
    if torque_nm is None or round(torque_nm) == 0:
        return "idle"
    return "regen" if torque_nm < 0 else "drive"


def torque_bar(torque_nm: float, scale_nm: float) -> float:
    """A bar's length, -1..1 of the peak: on a square-root scale, so cruising torque (a
    twentieth of the peak) fills a fifth of the bar rather than a dot, while the order of
    two bars and full torque at the end stay true."""
    share = clamp(abs(torque_nm) / scale_nm, 0.0, 1.0) if scale_nm > 0 else 0.0
    return math.copysign(math.sqrt(share), torque_nm) if share else 0.0


class TerrainTile(EventDispatcher):
    """One program tile: label, icon name and where a change to it stands."""

    state = StringProperty(UNKNOWN.state)    # nothing received yet: it cannot tell
    detail = StringProperty(UNKNOWN.detail)

    def __init__(self, program: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.program = program
        self.key: str | None = None   # the reason code of a refused request (the report's)

    @property
    def label(self) -> str:
        """The program's name, from the one label table (hmi/labels.py)."""
        return program_text(self.program)

    def apply(self, tile: TileState) -> None:
        self.state, self.detail, self.key = tile.state, tile.detail, tile.key

    def snapshot(self) -> dict[str, Any]:
        return {"state": self.state, "detail": self.detail, "key": self.key}


class LockerControl(EventDispatcher):
    """One axle locker: its state text and whether the button is lit."""

    state = StringProperty(UNKNOWN.state)
    detail = StringProperty(UNKNOWN.detail)
    engaged = BooleanProperty(False)

    def __init__(self, axle: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.axle = axle
        self.key: str | None = None   # the reason code of a refused request (the report's)

    @property
    def label(self) -> str:
        return enum_text("Axle", self.axle)

    def snapshot(self) -> dict[str, Any]:
        return {"state": self.state, "detail": self.detail, "key": self.key,
                "engaged": self.engaged}


class TerrainModel(DomainModel):
    """Terrain Response and chassis state, and the commands that change them."""

    name = "terrain"
    uses_commands = True
    active_program = StringProperty("")
    active_icon = StringProperty("")         # Auto shows the icon of the program it chose
    program_available = BooleanProperty(False)
    torque_front_fraction = NumericProperty(0.0)   # bar length, -1..1 (torque_bar)
    torque_rear_fraction = NumericProperty(0.0)
    torque_front_tone = StringProperty("idle")     # drive, regen or idle (torque_tone)
    torque_rear_tone = StringProperty("idle")
    torque_available = BooleanProperty(False)
    pitch_deg = NumericProperty(0.0)
    roll_deg = NumericProperty(0.0)
    attitude_available = BooleanProperty(False)
    wade_visible = BooleanProperty(False)
    wade_fraction = NumericProperty(0.0)
    wade_colour = StringProperty("green")
    ride_target_fraction = NumericProperty(0.0)
    ride_actual_fraction = NumericProperty(0.0)
    ride_available = BooleanProperty(False)
    ride_moving = BooleanProperty(False)
    ride_tone = StringProperty("text")     # accent while the suspension is still moving
    speed_text = StringProperty(fmt.NOT_AVAILABLE)   # "54 km/h": the speed readout, one line

    def __init__(self, catalogue: Catalogue, commands: CommandTracker,
                 clock: Callable[[], float] = time.monotonic, **kwargs: Any) -> None:
        super().__init__(catalogue, **kwargs)
        self.commands = commands
        self.clock = clock
        label = lambda v, u: fmt.Shown(program_text(v), "")  # noqa: E731
        figure = partial(self.readout, screen=SCREEN)
        self.active = figure("active", ACTIVE, label)
        # The speed the program limits are judged against, beside the tiles.
        self.speed = figure("speed", SPEED, fmt.speed)
        # The panel's name: the program in force, or the one being engaged (accent) while a
        # change is under way, never the old one beside "Engaging".
        self.program_name = self.derived("program_name", (ACTIVE, REQUESTED, CHANGE_STATE),
                                         screen=SCREEN)
        self.torque_front = figure("torque_front", TORQUE_FRONT, fmt.torque)
        self.torque_rear = figure("torque_rear", TORQUE_REAR, fmt.torque)
        self.torque_split = figure("torque_split", TORQUE_SPLIT, fmt.torque_split)
        self.pitch = figure("pitch", PITCH, fmt.angle)
        self.roll = figure("roll", ROLL, fmt.angle)
        self.wade_depth = figure("wade_depth", WADE_DEPTH, fmt.short_length)
        self.wade_limit = figure("wade_limit", WADE_LIMIT, fmt.short_length)
        self.ride_level = figure("ride_level", RIDE_LEVEL,
                                 lambda v, u: fmt.Shown(enum_text("RideHeightLevel", v), ""))
        self.ride_target = figure("ride_target", RIDE_TARGET, fmt.short_length)
        self.ride_actual = figure("ride_actual", RIDE_ACTUAL, fmt.short_length)
        # The ride-height controls and their readout: the target while moving (ride_height.py).
        self.ride_status = self.derived("ride_status", (RIDE_LEVEL, RIDE_TARGET, RIDE_ACTUAL),
                                        screen=SCREEN)
        self.ride = RideHeightControls(commands, self.ride_status)
        self.ride_levels = self.ride.levels
        # Under the program's name: which program Auto chose, else where a change stands.
        self.program_detail = self.derived("program_detail", (ACTIVE, AUTO_SELECTED,
                                                              CHANGE_STATE), screen=SCREEN)
        # What the active program does, from the handbook table (hmi/programs.py).
        self.effects = {field: self.derived(f"effect_{field}", (ACTIVE,), screen=SCREEN)
                        for field in EFFECT_FIELDS}
        for field, text in self.effects.items():   # terrain.kv binds effect_torque.text, ...
            setattr(self, f"effect_{field}", text)
        self.uses(PEAK_FRONT, PEAK_REAR, LOCKER_LIMIT, CHARGING_STATE, READY,
                  *filter(None, (speed_limit_signal(level) for level in LEVELS)))
        self.uses(REQUESTED, LOCKER_FRONT_REQUESTED, LOCKER_REAR_REQUESTED, LOCKER_FRONT,
                  LOCKER_REAR, *(PROGRAMS[p].availability_signal for p in PROGRAM_ORDER),
                  *(PROGRAMS[p].speed_limit_signal for p in PROGRAM_ORDER))
        self.tiles = [TerrainTile(p) for p in PROGRAM_ORDER]
        self.tile = {t.program: t for t in self.tiles}
        self.lockers = {axle: LockerControl(axle) for axle in AXLES}
        self.locker_front, self.locker_rear = self.lockers["FRONT"], self.lockers["REAR"]
        self._last: tuple[SignalTable, UnitPreferences] | None = None
        self._refused_in: dict[str, str | None] = {}   # locker refusal rid -> program then

    # --- driver actions (called from .kv) ----------------------------------------------------
    def request_program(self, program: str) -> None:
        self.commands.send("set_terrain_program", {"program": program}, self.clock())
        self._rederive()

    def request_ride_height(self, level: str) -> None:
        self.ride.request(level, self.clock())
        self._rederive()

    def toggle_locker(self, axle: str) -> None:
        requested = self._last[0].live_bool(self._locker_signals(axle)[0]) if self._last else None
        self.commands.send("set_axle_locker", {"axle": axle, "engaged": not requested},
                           self.clock(), slot=f"set_axle_locker:{axle}")
        self._rederive()

    # --- derived state ------------------------------------------------------------------------
    def derive(self, table: SignalTable, units: UnitPreferences, now_s: float) -> None:
        self._last = (table, units)
        active, requested = table.live_str(ACTIVE), table.live_str(REQUESTED)
        change = table.live_str(CHANGE_STATE)
        self.program_available = active is not None
        self.active_program = str(active or "")
        shown = self._derive_panel(table, active, requested, change)
        self.speed_text = f"{self.speed.text} {self.speed.unit}".strip()
        connected = self.commands.reachable is None or self.commands.reachable()
        speed = table.live_float(SPEED)
        speed = abs(speed) if speed is not None else None   # signed; limits hold both ways
        command = self.commands.latest("set_terrain_program")
        for tile in self.tiles:
            program = PROGRAMS[tile.program]
            availability = table.live_str(program.availability_signal)
            now = Circumstances(connected, speed,
                                *self._limit(table, program.speed_limit_signal, units),
                                None if availability is None else str(availability))
            tile.apply(terrain_tile(tile.program, active, requested, change, availability,
                                    command, now_s, now))
        self._derive_drivetrain(table, now_s, active,
                                Circumstances(connected, speed,
                                              *self._limit(table, LOCKER_LIMIT, units)))
        self._derive_chassis(table, shown)
        ride_availability = self._ride_availability(table)
        self.ride.derive(table, now_s, lambda level: Circumstances(
            connected, speed, *self._limit(table, speed_limit_signal(level), units),
            ride_availability))

    @staticmethod
    def _ride_availability(table: SignalTable) -> str | None:
        """Whether a ride-height change could be made now, in ProgramAvailability's words and
        the vehicle's order of rules: NOT_READY, VEHICLE_CHARGING (a cable in), AVAILABLE;
        None while either is not live (a refusal then stands for its hold time)."""
        ready, charger = table.live_bool(READY), table.live_str(CHARGING_STATE)
        if ready is False:
            return "NOT_READY"
        if charger in PLUGGED_STATES:
            return "VEHICLE_CHARGING"
        return AVAILABLE if ready is True and charger is not None else None

    @staticmethod
    def _limit(table: SignalTable, signal: str | None,
               units: UnitPreferences) -> tuple[float | None, str]:
        """A speed limit the vehicle publishes (m/s), and as the driver reads it ("30 km/h");
        (None, "") while it is not live or there is none."""
        limit = table.live_float(signal) if signal else None
        return limit, " ".join(fmt.speed(limit, units)) if limit is not None else ""

    def _derive_panel(self, table: SignalTable, active: Any, requested: Any,
                      change: Any) -> Any:
        """The Active Program panel: the program in force, or the one being engaged with its
        effects, in the accent colour while the change is pending. Returns the program named."""
        states = (table.state(ACTIVE), table.state(REQUESTED), table.state(CHANGE_STATE))
        changing = change in CHANGING and requested is not None and requested != active
        shown = requested if changing else active
        tone = "accent" if changing else "text"
        self.program_name.show(program_text(shown), states, tone, key=str(shown))
        auto = table.live_str(AUTO_SELECTED)
        active_state = table.state(ACTIVE)
        if changing:
            self.active_icon = str(requested)
            self.program_detail.show(tr(DETAIL[str(change).lower()]), states, "accent",
                                     key=str(change))
        elif active == "AUTO" and auto is not None:
            self.active_icon = str(auto)
            self.program_detail.show(tr("Using {program}").format(program=program_text(auto)),
                                     (active_state, table.state(AUTO_SELECTED)), "accent",
                                     key=str(auto))
        else:
            self.active_icon = str(active or "")
            self.program_detail.show(enum_text("ProgramChangeState", str(change)),
                                     (active_state, table.state(CHANGE_STATE)), "accent",
                                     key=str(change))
        effects = PROGRAMS[shown].effects if shown in PROGRAMS else None
        for field, text in self.effects.items():
            text.show(effects.text(EFFECT_FIELDS[field]) if effects else "", states, tone)
        return shown

    def _derive_drivetrain(self, table: SignalTable, now_s: float, active: Any,
                           now: Circumstances) -> None:
        """Torque bars and lockers; `now`: the lockers' circumstances (speed, their limit)."""
        front, rear = table.live_float(TORQUE_FRONT), table.live_float(TORQUE_REAR)
        self.torque_available = front is not None and rear is not None
        scale = self._torque_scale(table)
        self.torque_front_fraction = torque_bar(front or 0.0, scale)
        self.torque_rear_fraction = torque_bar(rear or 0.0, scale)
        self.torque_front_tone, self.torque_rear_tone = torque_tone(front), torque_tone(rear)
        for axle, control in self.lockers.items():
            requested_signal, engagement_signal = self._locker_signals(axle)
            engagement = table.live_float(engagement_signal)
            command = self.commands.latest(f"set_axle_locker:{axle}")
            changed = False
            if command is not None and command.phase is CommandPhase.REFUSED:
                # "Not in this program" stands only while that program does
                then = self._refused_in.setdefault(command.rid, active)
                changed = active is not None and then is not None and active != then
            state = locker_state(table.live_bool(requested_signal), engagement, command,
                                 now_s, replace(now, program_changed=changed))
            control.state, control.detail, control.key = state.state, state.detail, state.key
            control.engaged = engagement is not None and engagement >= 50.0

    def _torque_scale(self, table: SignalTable) -> float:
        """Both bars' full scale: the stronger drive unit's peak axle torque, as the car
        publishes it (a fact about the car: its last value holds while the slow frame is
        late); until it has, the torque signal's own catalogue maximum."""
        peaks = [table.state(p).value for p in (PEAK_FRONT, PEAK_REAR)]
        known = [float(p) for p in peaks if isinstance(p, (int, float)) and p > 0]
        if known:
            return max(known)
        return float(self.catalogue.signals[TORQUE_FRONT].value.max or 1.0)

    def _derive_chassis(self, table: SignalTable, active: Any) -> None:
        pitch, roll = table.live_float(PITCH), table.live_float(ROLL)
        self.attitude_available = pitch is not None and roll is not None
        self.pitch_deg = math.degrees(pitch or 0.0)
        self.roll_deg = math.degrees(roll or 0.0)
        depth, limit = table.live_float(WADE_DEPTH), table.live_float(WADE_LIMIT)
        self.wade_visible = active == "WADE" or (depth is not None and depth >= WADE_SHOWN_FROM_M)
        fraction = (depth / limit) if depth is not None and limit else 0.0
        self.wade_fraction = clamp(fraction, 0.0, 1.0)
        self.wade_colour = ("red" if fraction >= 1.0 else
                            "amber" if fraction >= WADE_CAUTION_FRACTION else "blue")
        target, actual = table.live_float(RIDE_TARGET), table.live_float(RIDE_ACTUAL)
        self.ride_available = target is not None and actual is not None
        span = RIDE_MAX_M - RIDE_MIN_M
        # no marker while the target is not live: a marker at the bottom would be a claim
        self.ride_target_fraction = (clamp((target - RIDE_MIN_M) / span, 0.0, 1.0)
                                     if target is not None else -1.0)
        self.ride_actual_fraction = clamp(((actual or RIDE_MIN_M) - RIDE_MIN_M) / span, 0.0, 1.0)
        self.ride_moving = (self.ride_available
                            and abs((target or 0.0) - (actual or 0.0)) > RIDE_SETTLED_M)
        self.ride_tone = "accent" if self.ride_moving else "text"

    def _rederive(self) -> None:
        if self._last is not None:
            self.derive(*self._last, self.clock())

    @staticmethod
    def _locker_signals(axle: str) -> tuple[str, str]:
        if axle == "FRONT":
            return LOCKER_FRONT_REQUESTED, LOCKER_FRONT
        return LOCKER_REAR_REQUESTED, LOCKER_REAR

    def tile_snapshot(self) -> dict[str, dict[str, Any]]:
        return {tile.program: tile.snapshot() for tile in self.tiles}
