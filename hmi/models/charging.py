"""Charging view-model: state, power, SoC to limit, time to limit, range per hour, limit control."""

from __future__ import annotations

import time
from collections.abc import Callable
from functools import partial
from typing import Any

from kivy.properties import BooleanProperty, NumericProperty, StringProperty

from protocols import Catalogue

from .. import formatting as fmt
from ..battery import bar_tone
from ..commands import CommandPhase, CommandTracker, TrackedCommand
from ..i18n import tr
from ..labels import enum_text
from ..signals import SignalTable
from ..units import UnitPreferences
from .base import DomainModel, clamp
from .readout import kept_value

STATE = "Vehicle.Ema.Charging.State"
TYPE = "Vehicle.Ema.Charging.Type"
POWER = "Vehicle.Ema.Charging.Power"
LIMIT = "Vehicle.Powertrain.TractionBattery.Charging.ChargeLimit"
TIME_TO_LIMIT = "Vehicle.Powertrain.TractionBattery.Charging.TimeToComplete"
RANGE_RATE = "Vehicle.Ema.Charging.RangeRate"
SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"
SCREEN = "charging"

LIMIT_STEP = 5   # one press of − or + on the charging screen (charging.kv binds limit_step)
LIMIT_MIN, LIMIT_MAX = 50, 100
RESULT_SHOWN_S = 6.0
# How long an answered request waits for the charging frame to carry its value (1 Hz) before
# the vehicle's published limit is shown again whatever it says.
CONFIRM_WITHIN_S = 10.0


class ChargingModel(DomainModel):
    """The charging screen's figures and the charge-limit control."""

    name = "charging"
    uses_commands = True
    limit_step = LIMIT_STEP
    soc_fraction = NumericProperty(0.0)
    soc_available = BooleanProperty(False)   # the bar has a value (live, or kept like Drive's)
    soc_tone = StringProperty("dim")
    limit_fraction = NumericProperty(-1.0)       # the bar's limit marker; < 0: none (unknown)
    state_colour = StringProperty("dim")
    limit_setpoint = NumericProperty(80)
    limit_setpoint_text = StringProperty("--")
    limit_status_text = StringProperty("")
    limit_pending = BooleanProperty(False)
    limit_refused = BooleanProperty(False)
    can_lower = BooleanProperty(False)
    can_raise = BooleanProperty(False)
    limit_tone = StringProperty("text")          # accent while a new limit is on its way
    limit_status_tone = StringProperty("dim")    # amber for a refusal

    def __init__(self, catalogue: Catalogue, commands: CommandTracker,
                 clock: Callable[[], float] = time.monotonic, **kwargs: Any) -> None:
        super().__init__(catalogue, **kwargs)
        self.commands = commands
        self.clock = clock
        figure = partial(self.readout, screen=SCREEN)
        self.state = figure("state", STATE,
                            lambda v, u: fmt.Shown(enum_text("ChargingState", v, str(v)), ""))
        self.type = figure("type", TYPE,
                           lambda v, u: fmt.Shown(enum_text("ChargingType", v, str(v)), ""))
        self.power = figure("power", POWER, fmt.power)
        self.time_to_limit = figure("time_to_limit", TIME_TO_LIMIT, fmt.duration)
        self.range_rate = figure("range_rate", RANGE_RATE, fmt.range_rate)
        # The state of charge is a slow figure: kept dimmed with its age, as on Drive.
        self.soc_to_limit = self.derived("soc_to_limit", (SOC, LIMIT), screen=SCREEN,
                                         keep_last=True)
        self._last: tuple[SignalTable, UnitPreferences] | None = None
        # The limit control in the report's words (limit_snapshot): what limit_status_text says.
        self.limit_state = "idle"              # idle, pending, completed, refused
        self.limit_reason: str | None = None   # the reason code of a refusal
        self.limit_known = False
        self._confirmed: str | None = None     # rid whose value the vehicle's frame has shown

    # --- driver actions ---------------------------------------------------------------------
    def change_limit(self, step: int) -> None:
        """Raise or lower the charge limit by `step` from what is shown now."""
        base = int(self.limit_setpoint)
        target = max(LIMIT_MIN, min(LIMIT_MAX, base + step))
        if target == base and not self.limit_refused:
            return
        self.commands.send("set_charge_limit", {"percent": target}, self.clock())
        if self._last is not None:
            self.derive(*self._last, self.clock())

    # --- derived ------------------------------------------------------------------------------
    def derive(self, table: SignalTable, units: UnitPreferences, now_s: float) -> None:
        self._last = (table, units)
        soc, limit = table.live_float(SOC), table.live_int(LIMIT)
        soc_signal, limit_signal = table.state(SOC), table.state(LIMIT)
        soc_shown, limit_shown = kept_value(soc_signal), kept_value(limit_signal)
        state = table.live_str(STATE)
        self.soc_available = soc_shown is not None
        self.soc_fraction = clamp((soc_shown or 0.0) / 100.0, 0.0, 1.0)
        self.soc_tone = bar_tone(soc_shown, soc is not None)
        self.state_colour = {"CHARGING": "green", "COMPLETE": "green", "FAULT": "red",
                             "CONNECTED": "blue"}.get(str(state), "dim")
        self.soc_to_limit.show(f"{soc_shown or 0:.0f} % › {limit_shown or 0:.0f} %",
                               (soc_signal, limit_signal))
        command = self.commands.latest("set_charge_limit")
        requested = int(command.args["percent"]) if command else None
        age = now_s - command.changed_s if command else 0.0
        self.limit_pending = command is not None and self._pending(command, limit, age)
        self.limit_refused = (command is not None and command.phase is CommandPhase.REFUSED
                              and age < RESULT_SHOWN_S)
        self.limit_reason = None
        if self.limit_pending and requested is not None:
            setpoint = requested
            self.limit_state = "pending"
            self.limit_status_text = tr("Setting {percent} %…").format(percent=requested)
        else:
            setpoint = int(limit) if limit is not None else int(self.limit_setpoint)
            if self.limit_refused and command is not None:
                self.limit_state, self.limit_reason = "refused", command.reason
                self.limit_status_text = tr("Refused: {reason}").format(reason=command.reason_text)
            elif (command is not None and command.phase is CommandPhase.COMPLETED
                  and command.rid == self._confirmed and age < RESULT_SHOWN_S):
                self.limit_state = "completed"
                self.limit_status_text = tr("Limit set to {percent} %").format(percent=requested)
            else:
                self.limit_state = "idle"
                self.limit_status_text = ""
        self.limit_setpoint = setpoint
        known = limit is not None or self.limit_pending
        self.limit_known = known
        self.limit_setpoint_text = f"{setpoint} %" if known else "-- %"
        self.limit_tone = "accent" if self.limit_pending else "text"
        self.limit_status_tone = "amber" if self.limit_refused else "dim"
        self.limit_fraction = clamp(setpoint / 100.0, 0.0, 1.0) if known else -1.0
        self.can_lower = known and setpoint > LIMIT_MIN
        self.can_raise = known and setpoint < LIMIT_MAX

    def _pending(self, command: TrackedCommand, limit: int | None, age: float) -> bool:
        """Pending until the vehicle has both said "done" and published the value in its
        charging frame: the answer can come before that frame, and an older frame after it;
        showing the old number beside "Limit set to" (or flicking back to it) would be two
        truths. Once the frame has shown the value, the vehicle's limit decides again."""
        if command.phase is CommandPhase.PENDING:
            return True
        if command.phase is CommandPhase.REFUSED or command.rid == self._confirmed:
            return False
        if command.phase is CommandPhase.COMPLETED and limit == command.args["percent"]:
            self._confirmed = command.rid
            return False
        return age < CONFIRM_WITHIN_S

    def limit_snapshot(self) -> dict[str, Any]:
        """The charge-limit control for the display report (PROTOCOL.md §10): the texts shown
        and, for a test in any language, the setpoint as a number and the status as a word."""
        return {"setpoint": self.limit_setpoint_text, "status": self.limit_status_text,
                "value": int(self.limit_setpoint) if self.limit_known else None,
                "state": self.limit_state, "key": self.limit_reason}
