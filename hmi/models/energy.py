"""Energy view-model: state of charge, the two ranges, consumption figures and graph."""

from __future__ import annotations

import math
from typing import Any

from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty

from protocols import Catalogue

from .. import formatting as fmt
from .. import units as u
from ..battery import bar_tone
from ..consumption import ConsumptionHistory
from ..i18n import N_, tr
from ..labels import program_text
from ..programs import PROGRAM_ORDER, PROGRAMS
from ..signals import SignalTable
from ..units import UnitPreferences
from .base import DomainModel, clamp

SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"
RANGE_ESTIMATED = "Vehicle.Powertrain.TractionBattery.Range"
RANGE_RATED = "Vehicle.Ema.Range.Rated"
CONSUMPTION_INSTANT = "Vehicle.Ema.Energy.Consumption.Instant"
CONSUMPTION_ROLLING = "Vehicle.Ema.Energy.Consumption.Rolling"
CONSUMPTION_TRIP = "Vehicle.Ema.Energy.Consumption.TripAverage"
ODOMETER = "Vehicle.TraveledDistance"
SCREEN = "energy"

# The graph's span, its unit inside the msgid: each language writes the unit its own way
# (an Arabic line cannot hold the Latin "km": its font has no Latin letters).
SPAN_TEXTS = {"km": N_("last {count} km"), "mi": N_("last {count} mi")}
GRAPH_FLOOR_J_PER_M = -360.0   # -10 kWh/100 km: regen shows below the zero line
GRAPH_CEILING_J_PER_M = 1440.0  # 40 kWh/100 km: raised automatically if data goes higher


class EnergyModel(DomainModel):
    """Battery and consumption, for the drive, energy and charging screens."""

    name = "energy"
    soc_fraction = NumericProperty(0.0)
    soc_available = BooleanProperty(False)   # the bar has a value to show (live or kept)
    soc_tone = StringProperty("dim")         # its colour role: battery level, dim when stale
    graph_points = ListProperty()          # flat [x0, y0, x1, y1, ...] normalised 0..1
    graph_zero_y = NumericProperty(0.2)     # where 0 consumption sits, 0..1
    graph_average_y = NumericProperty(-1.0)  # rolling average line, <0 when unknown
    graph_top_text = StringProperty("")
    graph_bottom_text = StringProperty("")
    graph_unit_text = StringProperty("")
    graph_span_text = StringProperty("")
    graph_available = BooleanProperty(False)  # enough history to draw a line
    graph_live = BooleanProperty(False)       # its newest end is live (else drawn dimmed)
    projected_labels = ListProperty()      # the programs' names, in the current language
    projected_fractions = ListProperty()   # one per program of `projected`, 0..1 of the longest
    projected_available = ListProperty()
    projected_tones = ListProperty()       # accent while live, dim for a kept stale range

    def __init__(self, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(catalogue, **kwargs)
        # The home screen shows the state of charge (the charging screen has its own).
        self.soc = self.readout("soc", SOC, fmt.percent, keep_last=True, screen="drive")
        self.range_estimated = self.readout("range_estimated", RANGE_ESTIMATED,
                                            fmt.range_distance, keep_last=True, screen=SCREEN)
        self.range_rated = self.readout("range_rated", RANGE_RATED, fmt.range_distance,
                                        keep_last=True, screen=SCREEN)
        self.consumption_rolling = self.readout("consumption_rolling", CONSUMPTION_ROLLING,
                                                fmt.consumption, keep_last=True, screen=SCREEN)
        self.consumption_trip = self.readout("consumption_trip", CONSUMPTION_TRIP,
                                             fmt.consumption, keep_last=True, screen=SCREEN)
        self.projected_programs = [p for p in PROGRAM_ORDER if PROGRAMS[p].projected_range_signal]
        self.projected = [
            self.readout(f"range_{p.lower()}", PROGRAMS[p].projected_range_signal or "",
                         fmt.range_distance, keep_last=True, screen=SCREEN)
            for p in self.projected_programs]
        self.projected_labels = [program_text(p) for p in self.projected_programs]
        self.projected_fractions = [0.0] * len(self.projected)
        self.projected_available = [False] * len(self.projected)
        self.projected_tones = ["dim"] * len(self.projected)
        self.uses(CONSUMPTION_INSTANT, ODOMETER)
        self.history = ConsumptionHistory()
        self._history_units: UnitPreferences | None = None
        self._range = (GRAPH_FLOOR_J_PER_M, GRAPH_CEILING_J_PER_M)

    def derive(self, table: SignalTable, units: UnitPreferences, now_s: float) -> None:
        self.projected_labels = [program_text(p) for p in self.projected_programs]  # language
        span, span_unit = u.distance(self.history.window_m, units)
        self.graph_span_text = tr(SPAN_TEXTS[span_unit]).format(count=f"{span:.0f}")
        # Bars show what their numbers show (Readout.shown_value: live, or kept and dimmed).
        soc = self.soc.shown_value
        self.soc_available = soc is not None
        self.soc_fraction = clamp((soc or 0.0) / 100.0, 0.0, 1.0)
        self.soc_tone = bar_tone(soc, self.soc.available)
        ranges = [r.shown_value for r in self.projected]
        longest = max((r for r in ranges if r is not None), default=0.0)
        self.projected_available = [r is not None for r in ranges]
        self.projected_fractions = [(r / longest) if r is not None and longest > 0 else 0.0
                                    for r in ranges]
        self.projected_tones = [bar_tone(r.shown_value, r.available, "accent")
                                for r in self.projected]
        odometer = table.live_float(ODOMETER)
        self.graph_live = odometer is not None and table.live_float(CONSUMPTION_INSTANT) is not None
        grew = False
        if odometer is not None:
            grew = self.history.add(float(odometer), table.live_float(CONSUMPTION_INSTANT))
        if grew or units != self._history_units:
            self._history_units = units
            self._derive_graph(units)
        rolling = table.live_float(CONSUMPTION_ROLLING)
        self.graph_average_y = (self._graph_y(float(rolling)) if rolling is not None
                                and self.graph_available else -1.0)

    def _derive_graph(self, units: UnitPreferences) -> None:
        points = self.history.points()
        self.graph_available = len(points) >= 2
        data_max = max((c for _, c in points), default=0.0)
        data_min = min((c for _, c in points), default=0.0)
        top = _nice_ceiling(max(GRAPH_CEILING_J_PER_M, data_max), units)
        bottom = min(GRAPH_FLOOR_J_PER_M, data_min)
        self._range = (bottom, top)
        window = self.history.window_m
        self.graph_points = [coord for d, c in points
                             for coord in (1.0 + d / window, self._graph_y(c))]
        self.graph_zero_y = self._graph_y(0.0)
        top_value, unit = u.consumption_for_graph(top, units)
        bottom_value, _ = u.consumption_for_graph(bottom, units)
        self.graph_top_text = f"{top_value:.0f}"
        self.graph_bottom_text = f"{bottom_value:.0f}"
        self.graph_unit_text = unit

    def _graph_y(self, joules_per_metre: float) -> float:
        bottom, top = self._range
        return clamp((joules_per_metre - bottom) / (top - bottom), 0.0, 1.0)


def _nice_ceiling(joules_per_metre: float, units: UnitPreferences) -> float:
    """Round the graph top up to a round number in the display unit (10 kWh/100 km, 100 Wh/mi)."""
    value, _ = u.consumption_for_graph(joules_per_metre, units)
    per_unit = value / joules_per_metre if joules_per_metre else 1.0
    step = 100.0 if value > 100 else 10.0
    return math.ceil(value / step) * step / per_unit
