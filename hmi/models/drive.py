"""Drive view-model: speed, gear, power meter, ranges, program and the telltales of the home
screen. Its figures are the home screen's own (the energy screen has its own range readouts),
so each readout of the display report names one screen."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty

from protocols import Catalogue

from .. import formatting as fmt
from ..battery import CRITICAL_BATTERY_PERCENT, LOW_BATTERY_PERCENT
from ..i18n import N_
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
LOCKER_FRONT = "Vehicle.Powertrain.Transmission.DiffLockFrontEngagement"
LOCKER_REAR = "Vehicle.Powertrain.Transmission.DiffLockRearEngagement"
SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"
RANGE_ESTIMATED = "Vehicle.Powertrain.TractionBattery.Range"
RANGE_RATED = "Vehicle.Ema.Range.Rated"
PROGRAM_ACTIVE = "Vehicle.Ema.TerrainResponse.Program.Active"
SCREEN = "drive"

GEARS = enum_values("Gear")
DRIVE_FULL_SCALE_W = 300_000.0   # power meter end stops; the pack can do more in bursts
REGEN_FULL_SCALE_W = 150_000.0
POWER_DEADBAND_W = 500.0         # neither driving nor regenerating: coasting, standing
LOCKED_PERCENT = 50.0


class DriveModel(DomainModel):
    """Everything the home screen needs besides energy and terrain."""

    name = "drive"
    power_fraction = NumericProperty(0.0)   # -1 full regen .. +1 full drive (battery power)
    power_available = BooleanProperty(False)
    power_mode = StringProperty("")         # "DRIVE", "REGEN" or ""
    power_tone = StringProperty("text")     # green while regenerating, like the meter
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
        self.uses(READY, TRACTION_MODE, TRACTION_INTERVENING, LOCKER_FRONT, LOCKER_REAR, SOC)
        self.ready_telltale = Telltale("ready", N_("READY"), "green")
        self.low_battery_telltale = Telltale("low_battery", N_("LOW BATTERY"), "amber")
        self.locker_telltale = Telltale("locker", N_("LOCKER"), "amber")
        self.traction_telltale = Telltale("traction", "", "amber")
        # No OFFLINE telltale: the link's banner says it, once, on every screen (LinkModel).
        self.telltales = [self.ready_telltale, self.low_battery_telltale, self.locker_telltale,
                          self.traction_telltale]

    def derive(self, table: SignalTable, units: UnitPreferences, now_s: float) -> None:
        for telltale in self.telltales:
            telltale.relabel()
        gear = table.live_str(GEAR)
        self.gear_selected = [gear == g for g in GEARS]
        self._derive_power(table.live_float(BATTERY_POWER))
        self.ready_telltale.visible = table.live_bool(READY) is True
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

    def _derive_power(self, battery_w: Any) -> None:
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
