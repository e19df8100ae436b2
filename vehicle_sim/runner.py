"""The real-time loop: advances every simulated vehicle and lets its node publish.

Simulated time runs `speed` times faster than the wall clock (each node keeps its own speed and
pause, which the simulator-control commands change); the model steps in fixed increments, so
physics is deterministic whatever the speed. Frames go out at their nominal wall-clock rates.
Time comes from an injectable clock (`vehicle_sim.clock`): tests step a `ManualClock` instead of
sleeping.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass, field

from .clock import Clock, SystemClock
from .node import VehicleNode

LOG = logging.getLogger(__name__)
WALL_TICK_S = 0.02


@dataclass
class SimulationLoop:
    """Runs nodes until stopped; one thread serves a whole fleet."""

    nodes: list[VehicleNode]
    speed: float = 1.0
    clock: Clock = field(default_factory=SystemClock)
    stop_event: threading.Event = field(default_factory=threading.Event)

    def __post_init__(self) -> None:
        if self.speed <= 0:
            raise ValueError("speed must be positive")
        for node in self.nodes:
            node.speed = self.speed

    def run(self, duration_s: float | None = None) -> None:
        """Run in real time; returns after `duration_s` wall seconds or when stopped."""
        start = last = self.clock.now()
        while not self.stop_event.is_set():
            now = self.clock.now()
            self.tick(now - last, now)
            last = now
            if duration_s is not None and now - start >= duration_s:
                break
            self.clock.wait(WALL_TICK_S, self.stop_event)

    def tick(self, wall_elapsed_s: float, now_s: float) -> None:
        """Advance each vehicle by the wall time elapsed times its speed, then publish."""
        for node in self.nodes:
            node.advance_wall(wall_elapsed_s)
            node.service(now_s)

    def stop(self) -> None:
        self.stop_event.set()
        self.clock.wake()
