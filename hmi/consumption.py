"""Consumption over recent distance, for the energy graph.

Fed with (odometer, instant consumption) pairs as they arrive; keeps fixed-size buckets of
distance, so memory is bounded and the graph does not depend on how often frames come.
Consumption is averaged over distance within a bucket (what a kWh/100 km figure means).
The graph's axis (`graph_axis`) is in the unit the driver chose for consumption, converted
here at display only: kWh/100 km, or distance per energy (mi/kWh, km/kWh), which has no
figure for regen and shows it off the top of its axis, marked.
"""

from __future__ import annotations

import math
from collections import deque
from dataclasses import dataclass

from . import units as u
from .units import ConsumptionUnit, UnitPreferences

DEFAULT_WINDOW_M = 10_000.0
DEFAULT_BUCKET_M = 100.0
MAX_STEP_M = 1_000.0  # a larger odometer jump is a gap (offline, restart), not driving


@dataclass(slots=True)
class Bucket:
    end_m: float
    energy_j: float = 0.0
    distance_m: float = 0.0

    @property
    def consumption(self) -> float:
        return self.energy_j / self.distance_m if self.distance_m else 0.0


class ConsumptionHistory:
    """Distance-bucketed consumption over the last `window_m` metres."""

    def __init__(self, window_m: float = DEFAULT_WINDOW_M,
                 bucket_m: float = DEFAULT_BUCKET_M) -> None:
        self.window_m = window_m
        self.bucket_m = bucket_m
        self._buckets: deque[Bucket] = deque(maxlen=int(window_m // bucket_m))
        self._last_odometer: float | None = None

    def add(self, odometer_m: float, consumption_j_per_m: float | None) -> bool:
        """Account the distance since the last call at this consumption; True if anything
        changed."""
        previous, self._last_odometer = self._last_odometer, odometer_m
        if previous is None or consumption_j_per_m is None:
            return False
        step = odometer_m - previous
        if step <= 0.0 or step > MAX_STEP_M:
            return False
        position = previous
        while position < odometer_m:
            if not self._buckets or position >= self._buckets[-1].end_m:
                start = position - (position % self.bucket_m)
                self._buckets.append(Bucket(start + self.bucket_m))
            bucket = self._buckets[-1]
            part = min(odometer_m, bucket.end_m) - position
            bucket.energy_j += part * consumption_j_per_m
            bucket.distance_m += part
            position += part
        return True

    def points(self) -> list[tuple[float, float]]:
        """(metres before now, J/m) per bucket, oldest first; distances <= 0."""
        if not self._buckets or self._last_odometer is None:
            return []
        now = self._last_odometer
        return [(min(0.0, b.end_m - self.bucket_m + b.distance_m / 2.0 - now), b.consumption)
                for b in self._buckets if b.distance_m > 0.0]

    def __len__(self) -> int:
        return len(self._buckets)


# --- the graph's axis ----------------------------------------------------------------------
# What the axis may stretch to, in J/m: beyond it a bucket is drawn at the edge and marked
# as clipped, so one steep 100 m (a climb at 650 kWh/100 km, a descent at -260) does not
# squash every ordinary figure into a line. Inside it the axis grows to the data, in round
# steps of the display unit.
DEFAULT_TOP_J_PER_M = 1_080.0     # 30 kWh/100 km: most driving sits below it
BAND_TOP_J_PER_M = 2_880.0        # 80 kWh/100 km: steep climbs and deep mud, clipped beyond
BAND_REGEN_J_PER_M = -1_440.0     # -40 kWh/100 km: the deepest regen the axis shows
# Distance per energy (mi/kWh, km/kWh) has no value at or below zero (regen, coasting
# downhill): that is off the top of its axis, which reaches this far for a frugal car:
DEFAULT_EFFICIENT_J_PER_M = 720.0   # 5.0 km/kWh, 3.1 mi/kWh
BAND_EFFICIENT_J_PER_M = 240.0      # 15 km/kWh, 9.3 mi/kWh: clipped above
NICE_STEPS = (1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0, 10.0)


def nice_ceiling(value: float) -> float:
    """The smallest round number (1, 1.5, 2, 2.5, 3, 4, 5, 6 or 8 times a power of ten) at
    or above `value` (> 0)."""
    if value <= 0.0:
        return 0.0
    power = 10.0 ** math.floor(math.log10(value))
    return next(step * power for step in NICE_STEPS if step * power >= value * (1 - 1e-9))


@dataclass(frozen=True, slots=True)
class GraphAxis:
    """The consumption graph's vertical axis in the driver's unit: its ends and where a
    value sits on it (0 bottom .. 1 top), and whether it had to be clipped to stay on it."""

    bottom: float
    top: float
    unit: str
    units: UnitPreferences

    def y(self, joules_per_metre: float) -> tuple[float, bool]:
        """(0..1 up the axis, clipped?) of a consumption."""
        value, _ = u.consumption(joules_per_metre, self.units)
        if not math.isfinite(value):
            return 1.0, True        # no distance-per-energy figure: beyond the top
        share = (value - self.bottom) / (self.top - self.bottom)
        return min(1.0, max(0.0, share)), not 0.0 <= share <= 1.0

    @property
    def zero_y(self) -> float:
        """Where zero sits (the bottom for distance per energy, which has no negative)."""
        return min(1.0, max(0.0, -self.bottom / (self.top - self.bottom)))


def graph_axis(consumptions: list[float], units: UnitPreferences) -> GraphAxis:
    """The axis for these bucket consumptions (J/m), in the unit the driver chose: energy per
    distance grows up from zero, with a negative part only as deep as regen went; distance
    per energy grows up from zero, the most frugal figure at the top. Both end on round
    numbers and stretch no further than the plausible band."""
    _, unit = u.consumption(DEFAULT_TOP_J_PER_M, units)
    if units.consumption is ConsumptionUnit.KWH_PER_100KM:
        high = min(max([DEFAULT_TOP_J_PER_M, *consumptions]), BAND_TOP_J_PER_M)
        low = max(min([0.0, *consumptions]), BAND_REGEN_J_PER_M)
        top = nice_ceiling(u.consumption(high, units)[0])
        bottom = -nice_ceiling(-u.consumption(low, units)[0])
        return GraphAxis(bottom, top, unit, units)
    frugal = min([c for c in consumptions if c > 0.0], default=DEFAULT_EFFICIENT_J_PER_M)
    frugal = max(min(frugal, DEFAULT_EFFICIENT_J_PER_M), BAND_EFFICIENT_J_PER_M)
    return GraphAxis(0.0, nice_ceiling(u.consumption(frugal, units)[0]), unit, units)
