"""Configuration view-model: the car as built and fitted (the `configuration` frame), for the
Vehicle screen's picture and its "My vehicle" panel.

The frame arrives on change and every 5 s. Until it has arrived nothing is drawn: the screen
says the configuration was not received, rather than drawing a default car. Once it goes stale
(the vehicle offline, the frame quiet) the last car is kept, dimmed and aged, like the other
slow figures (Readout's keep_last); it is never shown as live. The jump seat is a fact only
while the frame is live: otherwise it is "unknown", never "not fitted".
"""

from __future__ import annotations

from functools import partial
from typing import Any

from kivy.properties import BooleanProperty, ListProperty, StringProperty

from protocols import Catalogue

from .. import formatting as fmt
from ..i18n import N_, tr
from ..labels import enum_text
from ..signals import Availability, SignalState, SignalTable
from ..theme import BODY_COLOUR_ROOF, PAINT_ACCENTS, paint_colour, roof_colour
from ..units import UnitPreferences
from .base import DomainModel
from .readout import REPORT_STATE, combined

SCREEN = "vehicle"
PACK = "Vehicle.Powertrain.TractionBattery.NetCapacity"
KERB = "Vehicle.CurbWeight"
PAINT = "Vehicle.Body.BodyColor"
ROOF = "Vehicle.Ema.Body.Roof.Color"
DECALS = "Vehicle.Ema.Body.DecalPack"
WHEELS = "Vehicle.Ema.Chassis.WheelPackage"
ARCHES = "Vehicle.Ema.Body.WheelArchExtensions.IsFitted"
RACK = "Vehicle.Ema.Body.RoofRack"
SPARE = "Vehicle.Ema.Body.Tailgate.SpareWheel.IsFitted"
JUMP_SEAT = "Vehicle.Ema.Cabin.JumpSeat.IsFitted"
RATED = "Vehicle.Ema.Configuration.RatedRange"
COST = "Vehicle.Ema.Configuration.RangeCost."
# A simulator says it is one (vehicle_sim.notices): the cabin then wears a discreet mark, in the
# demo and on a test bench alike. A real vehicle never sends it: no mark.
SIMULATED = "Vehicle.Ema.Simulation.IsSimulated"
# What the picture needs: without any one of these the car is not drawn.
DRAWN = (PAINT, ROOF, DECALS, WHEELS, ARCHES, RACK, SPARE)
BASE_WHEELS = "STANDARD_20"   # the range costs count against this set
# The options that cost range, in the panel's order: (name, cost signal suffix, label msgid
# for a fitted bool option; enum options take their label from hmi.labels).
OPTIONS = (
    ("wheels", "Wheels", None),
    ("roof_rack", "RoofRack", None),
    ("arches", "WheelArchExtensions", N_("Wheelarch extensions")),
    ("spare_wheel", "SpareWheel", N_("Spare wheel")),
    ("jump_seat", "JumpSeat", N_("Jump seat")),
)
ROWS = 2 + len(OPTIONS)   # paint and roof, decals, then each option that costs range
MESSAGES = {"never": N_("Vehicle configuration not received"),
            "unavailable": N_("Vehicle configuration not available")}


class ConfigurationModel(DomainModel):
    """The car to draw and what each fitted option costs in rated range."""

    name = "configuration"
    state = StringProperty(REPORT_STATE[Availability.NEVER])   # the frame's, report vocabulary
    drawn = BooleanProperty(False)     # a car to draw (live, or kept dimmed while stale)
    live = BooleanProperty(False)
    message = StringProperty("")       # instead of the car: why there is none
    age_text = StringProperty("")
    paint = StringProperty("")         # catalogue values ("" while there is no car)
    roof = StringProperty("")
    decals = StringProperty("")
    wheels = StringProperty("")
    roof_rack = StringProperty("")
    arches = BooleanProperty(False)
    spare_wheel = BooleanProperty(False)
    jump_seat = StringProperty("unknown")   # fitted / not_fitted / unknown (never a guess)
    paint_rgba = ListProperty([0.0, 0.0, 0.0, 0.0])
    roof_rgba = ListProperty([0.0, 0.0, 0.0, 0.0])
    accent_family = StringProperty("")  # the paint's accent (hmi.theme.PAINT_ACCENTS)
    row_labels = ListProperty([""] * ROWS)   # the My vehicle panel, fitted things first
    row_costs = ListProperty([""] * ROWS)
    simulated = BooleanProperty(False)   # the data comes from a simulator (kept while stale)

    def __init__(self, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(catalogue, **kwargs)
        figure = partial(self.readout, screen=SCREEN, keep_last=True)
        self.pack = figure("pack", PACK, fmt.pack_energy)
        self.kerb = figure("kerb_weight", KERB, fmt.mass)
        self.rated_range = figure("rated_range", RATED, fmt.range_distance)
        self.costs = {name: figure(f"cost_{name}", COST + suffix, fmt.range_cost)
                      for name, suffix, _ in OPTIONS}
        self.uses(*DRAWN, JUMP_SEAT, SIMULATED)
        self.fitted: list[str] = []

    def derive(self, table: SignalTable, units: UnitPreferences, now_s: float) -> None:
        states = {path: table.state(path) for path in (*DRAWN, JUMP_SEAT)}
        availability = combined(states.values())
        self.state = REPORT_STATE[availability]
        self.live = availability is Availability.FRESH
        kept = {path: _kept(state) for path, state in states.items()}
        self.drawn = all(kept[path] is not None for path in DRAWN)
        self.message = "" if self.drawn else tr(MESSAGES.get(self.state, MESSAGES["unavailable"]))
        self.age_text = fmt.age(states[PAINT].age_s or 0.0) if self.drawn and not self.live \
            else ""
        self._show_car(kept if self.drawn else {})
        jump = table.live_bool(JUMP_SEAT)
        self.jump_seat = "unknown" if jump is None else "fitted" if jump else "not_fitted"
        self._show_rows(units)
        self.simulated = _kept(table.state(SIMULATED)) is True

    def _show_car(self, kept: dict[str, Any]) -> None:
        self.paint, self.roof = kept.get(PAINT) or "", kept.get(ROOF) or ""
        self.decals, self.wheels = kept.get(DECALS) or "", kept.get(WHEELS) or ""
        self.roof_rack = kept.get(RACK) or ""
        self.arches, self.spare_wheel = bool(kept.get(ARCHES)), bool(kept.get(SPARE))
        self.paint_rgba = list(paint_colour(self.paint) or (0.0, 0.0, 0.0, 0.0))
        self.roof_rgba = list(roof_colour(self.roof, self.paint) or (0.0, 0.0, 0.0, 0.0))
        self.accent_family = PAINT_ACCENTS.get(self.paint, "") if self.live else ""

    def fitted_options(self) -> list[str]:
        """The options that cost range and are fitted, as drawn (paint and decals cost none).
        The jump seat counts only while its fitting is known."""
        fitted = {"wheels": self.drawn and self.wheels != BASE_WHEELS,
                  "roof_rack": self.drawn and self.roof_rack not in ("", "NONE"),
                  "arches": self.drawn and self.arches,
                  "spare_wheel": self.drawn and self.spare_wheel,
                  "jump_seat": self.drawn and self.jump_seat == "fitted"}
        return [name for name, _, _ in OPTIONS if fitted[name]]

    def _show_rows(self, units: UnitPreferences) -> None:
        labels: list[str] = []
        costs: list[str] = []
        if self.drawn:
            paint = enum_text("Paint", self.paint)
            if self.roof != BODY_COLOUR_ROOF:
                paint = tr("{paint}, {roof}").format(paint=paint,
                                                     roof=enum_text("RoofColour", self.roof))
            labels.append(paint)
            if self.decals != "NONE":
                labels.append(enum_text("DecalPack", self.decals))
            costs = [""] * len(labels)   # paint and decals: no range effect
        self.fitted = self.fitted_options()
        for name in self.fitted:
            cost = self.costs[name]
            labels.append(self._option_label(name))
            costs.append(f"{cost.text} {cost.unit}".strip())
        pad = [""] * (ROWS - len(labels))
        self.row_labels, self.row_costs = labels + pad, costs + pad

    def _option_label(self, name: str) -> str:
        if name == "wheels":
            return enum_text("WheelPackage", self.wheels)
        if name == "roof_rack":
            return enum_text("RoofRack", self.roof_rack)
        label = next(label for option, _, label in OPTIONS if option == name)
        return tr(label) if label else name

    def report(self) -> dict[str, Any]:
        """The display report's "vehicle" entry: the car the screen shows, in catalogue values
        (the same in every language), and each fitted option's cost as shown."""
        shown = self.drawn
        return {
            "state": self.state, "drawn": shown, "live": self.live, "age": self.age_text,
            "message": self.message,
            "paint": self.paint or None, "roof": self.roof or None,
            "decals": self.decals or None, "wheels": self.wheels or None,
            "roof_rack": self.roof_rack or None,
            "arches": self.arches if shown else None,
            "spare_wheel": self.spare_wheel if shown else None,
            "jump_seat": self.jump_seat,
            "simulated": self.simulated,
            "fitted": list(self.fitted),
            "costs": {name: {"text": self.costs[name].text, "unit": self.costs[name].unit,
                             "value": self.costs[name].shown_value} for name in self.fitted},
            "pack": {"text": self.pack.text, "unit": self.pack.unit},
            "rated_range": {"text": self.rated_range.text, "unit": self.rated_range.unit},
        }


def _kept(state: SignalState) -> Any:
    """The value to draw: live, or the last one while stale (shown dimmed); else None."""
    if state.availability in (Availability.FRESH, Availability.STALE):
        return state.value
    return None
