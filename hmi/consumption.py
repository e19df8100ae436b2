"""Consumption over recent distance, for the energy graph.

Fed with (odometer, instant consumption) pairs as they arrive; keeps fixed-size buckets of
distance, so memory is bounded and the graph does not depend on how often frames come.
Consumption is averaged over distance within a bucket (what a kWh/100 km figure means).
"""

from __future__ import annotations

from collections import deque
from dataclasses import dataclass

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
