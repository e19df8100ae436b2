"""Drive view-model: speed, gear, power meter, ranges, program and the telltales of the home
screen. Its figures are the home screen's own (the energy screen has its own range readouts),
so each readout of the display report names one screen."""

from __future__ import annotations

from typing import Any

from kivy.properties import (
    BooleanProperty,
    ListProperty,
    NumericProperty,
    ObjectProperty,
    StringProperty,
)

from protocols import Catalogue

from .. import formatting as fmt
from ..battery import CRITICAL_BATTERY_PERCENT, LOW_BATTERY_PERCENT
from ..i18n import N_, tr
from ..labels import ENUM_LABELS, enum_text, enum_values, program_text
from ..signals import SignalTable
from ..units import UnitPreferences
from .base import DomainModel, clamp
from .readout import Telltale

SPEED = "Vehicle.Speed"
GEAR = "Vehicle.Powertrain.Transmission.SelectedGear"
BATTERY_POWER = "Vehicle.Powertrain.TractionBattery.CurrentPower"
READY = "Vehicle.Ema.Powertrain.IsReady"
TRACTION_MODE = "Vehicle.Ema.Chassis.TractionControl.Mode"
TRACTION_INTERVENING = "Vehicle.Ema.Chassis.TractionControl.IsIntervening"
HILL_DESCENT = "Vehicle.Ema.Chassis.HillDescentControl.IsActive"
LOCKER_FRONT = "Vehicle.Powertrain.Transmission.DiffLockFrontEngagement"
LOCKER_REAR = "Vehicle.Powertrain.Transmission.DiffLockRearEngagement"
SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"
RANGE_ESTIMATED = "Vehicle.Powertrain.TractionBattery.Range"
RANGE_RATED = "Vehicle.Ema.Range.Rated"
PROGRAM_ACTIVE = "Vehicle.Ema.TerrainResponse.Program.Active"
CHARGING_STATE = "Vehicle.Ema.Charging.State"
CHARGING_POWER = "Vehicle.Ema.Charging.Power"
SCREEN = "drive"

GEARS = enum_values("Gear")
DRIVE_FULL_SCALE_W = 300_000.0   # power meter end stops; the pack can do more in bursts
REGEN_FULL_SCALE_W = 150_000.0
POWER_DEADBAND_W = 500.0         # neither driving nor regenerating: coasting, standing
LOCKED_PERCENT = 50.0
ROLLING_SPEED_MPS = 0.3          # moving against the gear faster than a wheel-sensor creep
PLUGGED_STATES = ("CONNECTED", "CHARGING", "COMPLETE", "FAULT")   # a cable is in


class DriveModel(DomainModel):
    """Everything the home screen needs besides energy and terrain."""

    name = "drive"
    power_fraction = NumericProperty(0.0)   # -1 full regen .. +1 full drive (battery power)
    power_available = BooleanProperty(False)
    power_mode = StringProperty("")         # "DRIVE", "REGEN" or ""
    power_tone = StringProperty("text")     # green while regenerating, like the meter
    power_caption = StringProperty("")      # the meter's pack-in side: REGEN, or CHARGING
    power_shown = ObjectProperty(None)      # the readout beside the meter (power or charge)
    speed_tone = StringProperty("text")     # amber while the car moves against its gear
    status_telltale = ObjectProperty(None)  # READY, or the plug while a cable is in
    motion_telltale = ObjectProperty(None)  # by the speed: rolling against the gear, or HDC
    gear_selected = ListProperty([False, False, False, False])  # one flag per GEARS entry
    telltales = ListProperty()

    def __init__(self, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(catalogue, **kwargs)
        self.speed = self.readout("speed", SPEED, fmt.speed, screen=SCREEN)
        self.gear = self.readout("gear", GEAR, lambda v, u: fmt.Shown(enum_text("Gear", v), ""),
                                 screen=SCREEN)
        self.power = self.readout("power", BATTERY_POWER, fmt.drive_power, screen=SCREEN)
        self.range_estimated = self.readout("range_estimated", RANGE_ESTIMATED,
                                            fmt.range_distance, keep_last=True, screen=SCREEN)
        self.range_rated = self.readout("range_rated", RANGE_RATED, fmt.range_distance,
                                        keep_last=True, screen=SCREEN)
        self.terrain_program = self.readout(
            "terrain_program", PROGRAM_ACTIVE, lambda v, u: fmt.Shown(program_text(v), ""),
            screen=SCREEN)
        self.charge_power = self.readout("charge_power", CHARGING_POWER, fmt.power,
                                         screen=SCREEN)
        self.power_shown = self.power
        self.charge_full_scale_w = float(catalogue.signal(CHARGING_POWER).value.max or 1.0)
        self.uses(READY, TRACTION_MODE, TRACTION_INTERVENING, LOCKER_FRONT, LOCKER_REAR, SOC,
                  CHARGING_STATE, HILL_DESCENT)
        self.ready_telltale = Telltale("ready", N_("READY"), "green")
        self.low_battery_telltale = Telltale("low_battery", N_("LOW BATTERY"), "amber")
        self.locker_telltale = Telltale("locker", N_("LOCKER"), "amber")
        self.traction_telltale = Telltale("traction", "", "amber")
        self.rolling_telltale = Telltale("rolling_back", N_("ROLLING BACK"), "amber")
        # Hill descent control braking to the program's descent speed (ISO 2575's green HDC):
        # it explains why the car will not run faster downhill with the pedals released.
        self.descent_telltale = Telltale("hill_descent", N_("HDC"), "green")
        self.plug_telltale = Telltale("plugged_in", ENUM_LABELS["ChargingState"]["CONNECTED"],
                                      "green")
        # No OFFLINE telltale: the link's banner says it, once, on every screen (LinkModel).
        self.status_telltale = self.ready_telltale
        self.motion_telltale = self.rolling_telltale
        self.telltales = [self.ready_telltale, self.plug_telltale, self.rolling_telltale,
                          self.descent_telltale, self.low_battery_telltale,
                          self.locker_telltale, self.traction_telltale]

    def derive(self, table: SignalTable, units: UnitPreferences, now_s: float) -> None:
        for telltale in self.telltales:
            telltale.relabel()
        gear = table.live_str(GEAR)
        self.gear_selected = [gear == g for g in GEARS]
        self._derive_rolling(gear, table.live_float(SPEED))
        self._derive_descent(table.live_bool(HILL_DESCENT))
        plugged = self._derive_plug(table.live_str(CHARGING_STATE))
        if plugged:
            self._derive_charging(table.live_float(CHARGING_POWER))
        else:
            self._derive_power(table.live_float(BATTERY_POWER))
        # READY means ready to drive: not while a cable holds the car in P.
        self.ready_telltale.visible = table.live_bool(READY) is True and not plugged
        self.status_telltale = self.plug_telltale if plugged else self.ready_telltale
        soc = table.live_float(SOC)
        self.low_battery_telltale.visible = soc is not None and soc < LOW_BATTERY_PERCENT
        self.low_battery_telltale.colour = (
            "red" if soc is not None and soc < CRITICAL_BATTERY_PERCENT else "amber")
        lockers = [table.live_float(LOCKER_FRONT), table.live_float(LOCKER_REAR)]
        self.locker_telltale.visible = any(e is not None and e >= LOCKED_PERCENT for e in lockers)
        mode = table.live_str(TRACTION_MODE)
        self.traction_telltale.visible = mode in ("REDUCED", "OFF")
        self.traction_telltale.msgid = ENUM_LABELS["TractionControlMode"][
            "OFF" if mode == "OFF" else "REDUCED"]
        self.traction_telltale.relabel()

    def _derive_rolling(self, gear: str | None, speed_mps: float | None) -> None:
        """Vehicle.Speed is signed: backwards in D or N, or forwards in R, is warned."""
        backwards = speed_mps is not None and speed_mps < -ROLLING_SPEED_MPS
        forwards = speed_mps is not None and speed_mps > ROLLING_SPEED_MPS
        telltale = self.rolling_telltale
        if gear == "R":
            telltale.name, telltale.msgid = "rolling_forward", N_("ROLLING FORWARD")
            telltale.visible = forwards
        else:
            telltale.name, telltale.msgid = "rolling_back", N_("ROLLING BACK")
            telltale.visible = backwards and gear in ("D", "N")
        telltale.relabel()
        self.speed_tone = "amber" if telltale.visible else "text"

    def _derive_descent(self, active: bool | None) -> None:
        """HDC by the speed, in the place of the rolling warning: HDC only acts moving the
        gear's way, so the two never stand together; were both said, the warning wins."""
        rolling = self.rolling_telltale
        self.descent_telltale.visible = active is True and not rolling.visible
        self.motion_telltale = self.descent_telltale if self.descent_telltale.visible \
            else rolling

    def _derive_plug(self, state: str | None) -> bool:
        """A cable in (the catalogue's charging state, in the label table's words)."""
        plugged = state in PLUGGED_STATES
        telltale = self.plug_telltale
        telltale.visible = plugged
        if plugged:
            telltale.msgid = ENUM_LABELS["ChargingState"][str(state)]
            telltale.colour = "amber" if state == "FAULT" else "green"
            telltale.relabel()
        return plugged

    def _derive_charging(self, charge_w: float | None) -> None:
        """Plugged in, the meter shows what the charger gives the pack, not regen."""
        self.power_caption = tr(N_("CHARGING"))
        self.power_shown = self.charge_power
        self.power_available = charge_w is not None
        self.power_fraction = -clamp((charge_w or 0.0) / self.charge_full_scale_w, 0.0, 1.0)
        self.power_mode = "CHARGING" if charge_w is not None else ""
        self.power_tone = "green"

    def _derive_power(self, battery_w: Any) -> None:
        self.power_caption = tr(N_("REGEN"))
        self.power_shown = self.power
        if battery_w is None:
            self.power_available, self.power_fraction, self.power_mode = False, 0.0, ""
            self.power_tone = "text"
            return
        drive_w = -float(battery_w)  # VSS: positive = into the battery
        scale = DRIVE_FULL_SCALE_W if drive_w >= 0 else REGEN_FULL_SCALE_W
        self.power_available = True
        self.power_fraction = clamp(drive_w / scale)
        self.power_mode = ("REGEN" if drive_w < -POWER_DEADBAND_W else
                           "DRIVE" if drive_w > POWER_DEADBAND_W else "")
        self.power_tone = "green" if self.power_mode == "REGEN" else "text"

    def visible_telltales(self) -> list[dict[str, Any]]:
        return [t.snapshot() for t in self.telltales if t.visible]
