"""Energy view-model: state of charge, the two ranges, consumption figures and graph."""

from __future__ import annotations

from typing import Any

from kivy.properties import BooleanProperty, ListProperty, NumericProperty, StringProperty

from protocols import Catalogue

from .. import formatting as fmt
from .. import units as u
from ..consumption import ConsumptionHistory, GraphAxis, graph_axis
from ..i18n import N_, tr
from ..i18n import numbers as locale_numbers
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


class EnergyModel(DomainModel):
    """Battery and consumption, for the drive, energy and charging screens."""

    name = "energy"
    soc_fraction = NumericProperty(0.0)
    soc_available = BooleanProperty(False)
    graph_points = ListProperty()          # flat [x0, y0, x1, y1, ...] normalised 0..1
    graph_clipped = ListProperty()         # the same for the points held at an edge of the axis
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
        self.uses(CONSUMPTION_INSTANT, ODOMETER)
        self.history = ConsumptionHistory()
        self._history_units: UnitPreferences | None = None
        self._axis: GraphAxis = graph_axis([], UnitPreferences())

    def derive(self, table: SignalTable, units: UnitPreferences, now_s: float) -> None:
        self.projected_labels = [program_text(p) for p in self.projected_programs]  # language
        span, span_unit = u.distance(self.history.window_m, units)
        self.graph_span_text = tr(SPAN_TEXTS[span_unit]).format(count=f"{span:.0f}")
        soc = table.live_float(SOC)
        self.soc_available = soc is not None
        self.soc_fraction = clamp((soc or 0.0) / 100.0, 0.0, 1.0)
        ranges = [table.live_float(r.signal) for r in self.projected]
        longest = max((r for r in ranges if r is not None), default=0.0)
        self.projected_available = [r is not None for r in ranges]
        self.projected_fractions = [(r / longest) if r is not None and longest > 0 else 0.0
                                    for r in ranges]
        odometer = table.live_float(ODOMETER)
        self.graph_live = odometer is not None and table.live_float(CONSUMPTION_INSTANT) is not None
        grew = False
        if odometer is not None:
            grew = self.history.add(float(odometer), table.live_float(CONSUMPTION_INSTANT))
        if grew or units != self._history_units:
            self._history_units = units
            self._derive_graph(units)
        rolling = table.live_float(CONSUMPTION_ROLLING)
        average_y, clipped = self._axis.y(float(rolling or 0.0))
        # an average off the axis is not drawn at its edge: the readout beside says it
        self.graph_average_y = (average_y if rolling is not None and self.graph_available
                                and not clipped else -1.0)

    def _derive_graph(self, units: UnitPreferences) -> None:
        """The line and its axis in the unit the driver chose for consumption."""
        points = self.history.points()
        self.graph_available = len(points) >= 2
        axis = self._axis = graph_axis([c for _, c in points], units)
        window = self.history.window_m
        line, clipped = [], []
        for d, c in points:
            y, off_axis = axis.y(c)
            line += [1.0 + d / window, y]
            if off_axis:
                clipped += [1.0 + d / window, y]
        self.graph_points, self.graph_clipped = line, clipped
        self.graph_zero_y = axis.zero_y
        self.graph_top_text = _axis_figure(axis.top)
        self.graph_bottom_text = _axis_figure(axis.bottom)
        self.graph_unit_text = tr(axis.unit)


def _axis_figure(value: float) -> str:
    """An axis end in the locale's digits: whole, or one decimal where it has one ("2.5")."""
    digits = 0 if float(value).is_integer() else 1
    text = locale_numbers.decimal(value + 0.0, digits=digits)
    return text.replace("-", fmt.MINUS, 1) if value < 0 else text
