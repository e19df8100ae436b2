"""The real-time loop: advances every simulated vehicle and lets its node publish.

Simulated time runs `speed` times faster than the wall clock in fixed steps (deterministic
physics whatever the speed); frames are published at their nominal wall-clock rates.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass, field
from typing import Callable

from .node import VehicleNode

LOG = logging.getLogger(__name__)
SIM_STEP_S = 0.1
WALL_TICK_S = 0.02


@dataclass
class SimulationLoop:
    """Runs nodes until stopped; one thread serves a whole fleet."""

    nodes: list[VehicleNode]
    speed: float = 1.0
    sim_step_s: float = SIM_STEP_S
    clock: Callable[[], float] = time.monotonic
    stop_event: threading.Event = field(default_factory=threading.Event)
    paused: bool = False

    def __post_init__(self) -> None:
        if self.speed <= 0:
            raise ValueError("speed must be positive")
        self.sim_time_s = 0.0
        self._debt_s = 0.0

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
        """Advance simulated time by the wall time elapsed times speed, then publish."""
        if not self.paused:
            self._debt_s += wall_elapsed_s * self.speed
            steps = int(self._debt_s / self.sim_step_s)
            self._debt_s -= steps * self.sim_step_s
            for _ in range(steps):
                for node in self.nodes:
                    node.vehicle.advance(self.sim_step_s)
                self.sim_time_s += self.sim_step_s
        for node in self.nodes:
            node.service(now_s)

    def stop(self) -> None:
        self.stop_event.set()
