"""The benchmark's plan: how long each window is, which rates and fleet sizes it steps through."""

from __future__ import annotations

import math
from dataclasses import dataclass

VEHICLE = "ema-01"
FRAME_BUDGET_MS = 1000.0 / 60.0
GROUPS = ("latency", "throughput", "resources", "wire", "simulator")


@dataclass(frozen=True)
class Plan:
    record_s: float
    settle_s: float
    idle_s: float
    rate_s: dict[int, float]
    ramp: tuple[int, ...]
    ramp_s: float
    fleet: tuple[int, ...]
    fleet_s: float
    rss_at_s: float
    tail_s: float


FULL = Plan(record_s=10, settle_s=7, idle_s=10, rate_s={1: 20, 10: 15, 100: 20},
            ramp=(1850, 3000, 5000, 8000, 12000), ramp_s=6,
            fleet=(20, 60, 120, 200, 300, 400), fleet_s=5, rss_at_s=60, tail_s=1.0)
QUICK = Plan(record_s=2, settle_s=0.5, idle_s=1.5, rate_s={1: 2, 10: 1.5, 100: 1.5},
             ramp=(4000,), ramp_s=1.5, fleet=(3,), fleet_s=1.5, rss_at_s=0, tail_s=0.6)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]

