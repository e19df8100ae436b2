"""The real-time loop: advances every simulated vehicle and lets its node publish.

Simulated time runs `speed` times faster than the wall clock (each node keeps its own speed and
pause, which the simulator-control commands change); the model steps in fixed increments, so
physics is deterministic whatever the speed. Frames go out at their nominal wall-clock rates.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from .node import VehicleNode

LOG = logging.getLogger(__name__)
WALL_TICK_S = 0.02


@dataclass
class SimulationLoop:
    """Runs nodes until stopped; one thread serves a whole fleet."""

    nodes: list[VehicleNode]
    speed: float = 1.0
    clock: Callable[[], float] = time.monotonic
    stop_event: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        if self.speed <= 0:
            raise ValueError("speed must be positive")
        for node in self.nodes:
            node.speed = self.speed

    def run(self, duration_s: float | None = None) -> None:
        """Run in real time; returns after `duration_s` wall seconds or when stopped."""
        start = last = self.clock()
        while not self.stop_event.is_set():
            now = self.clock()
            self.tick(now - last, now)
            last = now
            if duration_s is not None and now - start >= duration_s:
                break
            self.stop_event.wait(WALL_TICK_S)

    def tick(self, wall_elapsed_s: float, now_s: float) -> None:
        """Advance each vehicle by the wall time elapsed times its speed, then publish."""
        for node in self.nodes:
            node.advance_wall(wall_elapsed_s)
            node.service(now_s)

    def stop(self) -> None:
        self.stop_event.set()
