"""Ride height by touch: one control per catalogue level, and where the driver's request stands.

Owned by the terrain view-model (hmi/models/terrain.py), which feeds it the terrain frame and
the command tracker on every derive; the rules are hmi/ride_height.py's pure functions, so the
controls, the readout and the display report always tell the same story."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import replace
from typing import Any

from kivy.event import EventDispatcher
from kivy.properties import StringProperty

from ..commands import CommandPhase, CommandTracker, TrackedCommand
from ..labels import enum_text
from ..ride_height import COMMAND, LEVELS, RideHeightState, RideStatus, level_control, ride_status
from ..signals import SignalTable
from ..tiles import ACCEPTED_HOLD_S, NOW, UNKNOWN, Circumstances
from .readout import DerivedText

RIDE_LEVEL = "Vehicle.Ema.Chassis.RideHeight.Level"
RIDE_TARGET = "Vehicle.Ema.Chassis.RideHeight.Target"
RIDE_ACTUAL = "Vehicle.Ema.Chassis.RideHeight.Actual"
SIGNALS = (RIDE_LEVEL, RIDE_TARGET, RIDE_ACTUAL)
LIMIT_RAISED = "Vehicle.Ema.Chassis.RideHeight.SpeedLimit.Raised"
LIMIT_ACCESS = "Vehicle.Ema.Chassis.RideHeight.SpeedLimit.Access"
NORMAL = "NORMAL"   # the RideHeightLevel between Access (below) and the raised levels (above)


def speed_limit_signal(level: str) -> str | None:
    """The signal of the speed a change to `level` must be made below (the catalogue's
    RideHeight.SpeedLimit.*): Access's below the normal height, Raised's above it (Off-road,
    Extended); Normal has none."""
    if level not in LEVELS or level == NORMAL:
        return None
    return LIMIT_ACCESS if LEVELS.index(level) < LEVELS.index(NORMAL) else LIMIT_RAISED


class RideLevelControl(EventDispatcher):
    """One level's touch control: its name and where a change to it stands."""

    state = StringProperty(UNKNOWN.state)   # nothing received yet: it cannot tell
    detail = StringProperty(UNKNOWN.detail)

    def __init__(self, level: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.level = level
        self.key: str | None = None   # the reason code of a refused request (the report's)

    @property
    def label(self) -> str:
        """The level's name, from the one label table (hmi/labels.py)."""
        return enum_text("RideHeightLevel", self.level)

    def snapshot(self) -> dict[str, Any]:
        return {"state": self.state, "detail": self.detail, "key": self.key}


class RideHeightControls:
    """The four level controls and the status readout ("Rising to Off-road")."""

    def __init__(self, commands: CommandTracker, status: DerivedText) -> None:
        self.commands = commands
        self.status_text = status
        self.levels = [RideLevelControl(level) for level in LEVELS]
        self.level = {control.level: control for control in self.levels}
        self.status = RideStatus("unavailable", None, None, None, "")
        self._confirmed: str | None = None   # rid of the request the vehicle has taken up

    def _speaking(self, command: TrackedCommand | None,
                  vehicle: RideHeightState) -> TrackedCommand | None:
        """The request while it still speaks for the controls. An accepted request speaks
        until the vehicle aims for its level (or says it is done): from then on the vehicle's
        own state decides, so that a later change of its own (lowered at speed, a program's
        height) shows at once instead of the request's level."""
        if command is None:
            return None
        if command.phase is CommandPhase.COMPLETED or (
                command.phase is CommandPhase.ACCEPTED
                and vehicle.level == command.args.get("level")):
            self._confirmed = command.rid
        return None if command.rid == self._confirmed else command

    def request(self, level: str, now_s: float) -> None:
        self.commands.send(COMMAND, {"level": level}, now_s)

    def derive(self, table: SignalTable, now_s: float,
               circumstances: Callable[[str], Circumstances] | None = None) -> None:
        """`circumstances(level)`: what a refusal of a change to `level` is judged by now (its
        speed limit, the charger), from the terrain view-model."""
        level = table.live_str(RIDE_LEVEL)
        vehicle = RideHeightState(None if level is None else str(level),
                                  table.live_float(RIDE_TARGET), table.live_float(RIDE_ACTUAL))
        command = self._speaking(self.commands.latest(COMMAND), vehicle)
        now = NOW
        if command is not None and circumstances is not None:
            now = circumstances(str(command.args.get("level")))
        for control in self.levels:
            shown = level_control(control.level, vehicle, command, now_s, now)
            control.state, control.detail, control.key = shown.state, shown.detail, shown.key
        self.status = ride_status(vehicle, command, now_s, now)
        latest = self.commands.latest(COMMAND)
        if self.status.requested is None and latest is not None and latest.rid == self._confirmed \
                and now_s - latest.changed_s < ACCEPTED_HOLD_S:
            # taken up by the vehicle: the report still names what the driver asked for
            self.status = replace(self.status, requested=str(latest.args.get("level")))
        self.status_text.show(self.status.text, [table.state(s) for s in SIGNALS], "text",
                              key=self.status.target)

    def snapshot(self) -> dict[str, Any]:
        """The display report's `ride_height` (PROTOCOL.md §10)."""
        status = self.status
        return {"requested": status.requested, "state": status.state, "key": status.key,
                "target": status.target, "detail": self.status_text.text,
                "levels": {control.level: control.snapshot() for control in self.levels}}
