"""Range figures: rated (fixed WLTC consumption) and estimated (recent driving).

Rated range = remaining energy / the WLTC consumption computed for the spec; it
moves only with SoC, like a window-sticker figure.  Estimated range uses a
distance-based rolling window of recent consumption (Tesla's "last N miles"),
padded with the rated consumption until enough distance has been driven so the
figure does not jump about after a short trip.  Per-program projections scale
the base consumption by each program's consumption factor.
"""

from __future__ import annotations

from collections import deque
from collections.abc import Mapping

from .terrain import PROGRAM_EFFECTS, TerrainProgram


def rated_range_m(energy_J: float, rated_consumption_J_per_m: float) -> float:
    """Range at the fixed rated consumption."""
    if energy_J <= 0.0:
        return 0.0
    return energy_J / rated_consumption_J_per_m


class ConsumptionWindow:
    """Rolling window of pack energy used over the last window_m of driving.

    Energy and distance are collected in buckets of bucket_m; running sums keep
    every update O(1).
    """

    __slots__ = (
        "_buckets",
        "_open_distance",
        "_open_energy",
        "_sum_distance",
        "_sum_energy",
        "bucket_m",
        "fallback_J_per_m",
        "window_m",
    )

    def __init__(
        self, fallback_J_per_m: float, window_m: float = 15_000.0, bucket_m: float = 250.0
    ) -> None:
        self.window_m = window_m
        self.bucket_m = bucket_m
        self.fallback_J_per_m = fallback_J_per_m
        self._buckets: deque[tuple[float, float]] = deque()
        self._sum_distance = 0.0
        self._sum_energy = 0.0
        self._open_distance = 0.0
        self._open_energy = 0.0

    def add(self, distance_m: float, energy_J: float) -> None:
        """Record distance driven and net pack energy used (regen makes it smaller)."""
        self._open_distance += distance_m
        self._open_energy += energy_J
        if self._open_distance >= self.bucket_m:
            self._buckets.append((self._open_distance, self._open_energy))
            self._sum_distance += self._open_distance
            self._sum_energy += self._open_energy
            self._open_distance = 0.0
            self._open_energy = 0.0
            while self._buckets and self._sum_distance - self._buckets[0][0] >= self.window_m:
                d, e = self._buckets.popleft()
                self._sum_distance -= d
                self._sum_energy -= e

    @property
    def distance_m(self) -> float:
        """Distance currently covered by the window."""
        return self._sum_distance + self._open_distance

    def average_J_per_m(self) -> float | None:
        """Plain average over the window, or None before 500 m have been driven."""
        d = self.distance_m
        if d < 500.0:
            return None
        return (self._sum_energy + self._open_energy) / d

    def estimate_J_per_m(self) -> float:
        """Consumption for the range estimate: window average padded with the fallback.

        Never below 30 % of the fallback, so a long descent with regen cannot
        produce an absurd or negative range.
        """
        d = self.distance_m
        energy = self._sum_energy + self._open_energy
        if d < self.window_m:
            energy += self.fallback_J_per_m * (self.window_m - d)
            d = self.window_m
        value = energy / d
        floor = 0.3 * self.fallback_J_per_m
        return max(floor, value)

    def profile(self) -> list[tuple[float, float]]:
        """(bucket distance m, J/m) of completed buckets, oldest first, for a consumption graph."""
        return [(d, e / d) for d, e in self._buckets]


def program_range_projection(
    energy_J: float,
    consumption_J_per_m: float,
    current_factor: float,
    effects: Mapping[TerrainProgram, object] = PROGRAM_EFFECTS,
) -> dict[TerrainProgram, float]:
    """Range if the rest of the charge were driven in each program.

    The current consumption is first normalised by the current program's factor
    (so driving in Sand does not make the Comfort projection pessimistic).
    """
    if energy_J <= 0.0:
        return {p: 0.0 for p in effects}
    base = consumption_J_per_m / current_factor
    return {p: energy_J / (base * e.consumption_factor) for p, e in effects.items()}  # type: ignore[attr-defined]
