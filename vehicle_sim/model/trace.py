"""Speed traces: speed over time sampled at fixed intervals, read from CSV files.

Traces are package data next to the scenarios (the WLTC class 3b cycle drives both the
"wltc" scenario and the rated consumption), so this module sits below both scenario
parsing and rating: neither has to import the other to read a trace.
"""

from __future__ import annotations

import itertools
import math
from dataclasses import dataclass
from pathlib import Path

from .units import KMH_TO_MPS

SCENARIO_DIR = Path(__file__).resolve().parent.parent / "scenarios"
"""Where named scenarios and their traces live (package data)."""


class ScenarioError(ValueError):
    """A scenario or trace file is malformed; the message says where."""


@dataclass(frozen=True)
class SpeedTrace:
    """A speed-over-time trace sampled at fixed intervals (e.g. WLTC at 1 Hz)."""

    interval_s: float
    speeds_mps: tuple[float, ...]

    @property
    def duration_s(self) -> float:
        """Time of the last sample."""
        return (len(self.speeds_mps) - 1) * self.interval_s

    def speed_at(self, t_s: float) -> float:
        """Linearly interpolated speed."""
        x = t_s / self.interval_s
        i = int(x)
        last = len(self.speeds_mps) - 1
        if i >= last:
            return self.speeds_mps[last]
        if i < 0:
            return self.speeds_mps[0]
        v0 = self.speeds_mps[i]
        return v0 + (self.speeds_mps[i + 1] - v0) * (x - i)

    def accel_at(self, t_s: float) -> float:
        """Slope of the interpolated trace."""
        i = int(t_s / self.interval_s)
        if i < 0 or i >= len(self.speeds_mps) - 1:
            return 0.0
        return (self.speeds_mps[i + 1] - self.speeds_mps[i]) / self.interval_s

    def distance_m(self) -> float:
        """Distance covered by the trace (trapezoidal)."""
        s = self.speeds_mps
        return sum(0.5 * (a + b) * self.interval_s for a, b in itertools.pairwise(s))


def load_speed_trace(path: str | Path) -> SpeedTrace:
    """Read a CSV trace: '#' comment lines, a header 't_s,speed_kmh', then rows."""
    times: list[float] = []
    speeds: list[float] = []
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            line = line.strip()
            if not line or line.startswith("#") or line[0].isalpha():
                continue
            t, v = line.split(",")[:2]
            times.append(float(t))
            speeds.append(float(v) * KMH_TO_MPS)
    if len(times) < 2:
        raise ScenarioError(f"{path}: speed trace needs at least two samples")
    interval = times[1] - times[0]
    for a, b in itertools.pairwise(times):
        if not math.isclose(b - a, interval, rel_tol=1e-6):
            raise ScenarioError(f"{path}: speed trace must be evenly sampled")
    return SpeedTrace(interval, tuple(speeds))
