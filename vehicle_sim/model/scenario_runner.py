"""The scenario runner: drives a Vehicle through a parsed Scenario at a fixed step.

The runner is deterministic for a given seed: all randomness comes from one
random.Random(seed) handed to the vehicle.  The rated (WLTC) consumption is computed
once per spec by rating.py and handed to the vehicle, unless the caller already has it.
"""

from __future__ import annotations

import random
from collections import deque
from dataclasses import dataclass

from .charging import ChargingState
from .configuration import DEFAULT_SPEC
from .driver import DriverInput
from .rating import wltc_consumption_J_per_m
from .rules import Decision
from .scenario import Scenario, ScenarioEvent, Segment
from .spec import VehicleSpec
from .terrain import ProgramState
from .vehicle import Vehicle
from .vehicle_state import VehicleState


@dataclass(frozen=True)
class EventRecord:
    """An event the runner carried out and the vehicle's answer."""

    time_s: float
    segment: str
    event: ScenarioEvent
    decision: Decision

    @property
    def as_expected(self) -> bool:
        """True if accepted/refused as the scenario said it would be."""
        return self.decision.accepted == (self.event.expect == "accepted")


class ScenarioRunner:
    """Drives a Vehicle through a scenario at a fixed step.

    step() advances dt_s; the vehicle is reachable as runner.vehicle for
    snapshots and for commands from the HMI, which mix freely with the
    scenario's own events.  After the last segment a non-looping runner keeps
    the vehicle parked (finished = True); a looping one starts again.
    """

    def __init__(
        self,
        scenario: Scenario,
        seed: int = 0,
        dt_s: float = 0.1,
        spec: VehicleSpec = DEFAULT_SPEC,
        loop: bool | None = None,
        rated_consumption_J_per_m: float | None = None,
        event_log_size: int = 500,
    ) -> None:
        self.scenario = scenario
        self.seed = seed
        self.dt_s = dt_s
        self.loop = scenario.loop if loop is None else loop
        if rated_consumption_J_per_m is None:
            rated_consumption_J_per_m = wltc_consumption_J_per_m(spec)
        self.vehicle = Vehicle(
            spec,
            scenario.initial,
            rng=random.Random(seed),
            rated_consumption_J_per_m=rated_consumption_J_per_m,
        )
        self.time_s = 0.0
        self.segment_index = 0
        self.segment_time_s = 0.0
        self.segment_distance_m = 0.0
        self.laps = 0
        self.finished = False
        self.event_log: deque[EventRecord] = deque(maxlen=event_log_size)
        self._next_event = 0
        self._target_mps = 0.0
        self._debt_s = 0.0
        self._idle_env = scenario.segments[-1].environment

    @property
    def segment(self) -> Segment | None:
        """The segment being driven (None once finished)."""
        if self.finished:
            return None
        return self.scenario.segments[self.segment_index]

    def step(self) -> None:
        """Advance the scenario and the vehicle by one step."""
        dt = self.dt_s
        vehicle = self.vehicle
        segment = self.segment
        if segment is None:
            vehicle.step(dt, DriverInput(gear=vehicle.gear, target_speed_mps=0.0), self._idle_env)
            self.time_s += dt
            return
        events = segment.events
        while (
            self._next_event < len(events)
            and events[self._next_event].at_s <= self.segment_time_s + 1e-9
        ):
            event = events[self._next_event]
            self.event_log.append(
                EventRecord(self.time_s, segment.name, event, event.apply(vehicle))
            )
            self._next_event += 1
        if segment.trace is not None:
            target = segment.trace.speed_at(self.segment_time_s)
            target_accel = segment.trace.accel_at(self.segment_time_s)
            self._target_mps = target
        else:
            goal = segment.speed_mps
            target = self._target_mps
            if target < goal:
                target = min(goal, target + segment.accel_mps2 * dt)
                target_accel = segment.accel_mps2 if target < goal else 0.0
            elif target > goal:
                target = max(goal, target - segment.decel_mps2 * dt)
                target_accel = -segment.decel_mps2 if target > goal else 0.0
            else:
                target_accel = 0.0
            self._target_mps = target
        odometer_before = vehicle.odometer.total_m
        vehicle.step(
            dt,
            DriverInput(gear=segment.gear, target_speed_mps=target, target_accel_mps2=target_accel),
            segment.environment,
        )
        self.time_s += dt
        self.segment_time_s += dt
        self.segment_distance_m += vehicle.odometer.total_m - odometer_before
        if self._segment_done(segment):
            self._advance()

    def _segment_done(self, segment: Segment) -> bool:
        if self.segment_time_s >= segment.time_limit_s - 1e-9:
            return True
        if segment.distance_m is not None and self.segment_distance_m >= segment.distance_m:
            return True
        until = segment.until
        if until is None:
            return False
        vehicle = self.vehicle
        if until == "stopped":
            return abs(vehicle.speed_mps) < 0.05 and self._target_mps <= 0.0
        if until == "charge_complete":
            return vehicle.charge_port.state is ChargingState.COMPLETE
        if until == "program_active":
            return vehicle.terrain.state is ProgramState.ACTIVE
        if until == "ride_height_settled":
            return vehicle.ride.settled
        return False

    def _advance(self) -> None:
        self.segment_index += 1
        self.segment_time_s = 0.0
        self.segment_distance_m = 0.0
        self._next_event = 0
        if self.segment_index >= len(self.scenario.segments):
            if self.loop:
                self.segment_index = 0
                self.laps += 1
            else:
                self.finished = True
                self.segment_index = len(self.scenario.segments) - 1

    def advance(self, dt_s: float) -> int:
        """Advance by dt_s of simulated time in fixed steps of self.dt_s; returns steps taken.

        Remainders are carried to the next call, so any caller cadence gives the
        same fixed-step (deterministic) physics.
        """
        self._debt_s += dt_s
        steps = int(self._debt_s / self.dt_s + 1e-9)
        self._debt_s -= steps * self.dt_s
        for _ in range(steps):
            self.step()
        return steps

    def run(self, duration_s: float) -> VehicleState:
        """Step for duration_s of simulated time; returns the final snapshot."""
        steps = round(duration_s / self.dt_s)
        for _ in range(steps):
            self.step()
        return self.vehicle.snapshot()

    def run_to_end(self, max_sim_s: float = 6 * 3600.0) -> VehicleState:
        """Step until the (non-looping) scenario finishes, or one lap of a looping one."""
        start_laps = self.laps
        limit = self.time_s + max_sim_s
        while not self.finished and self.laps == start_laps and self.time_s < limit:
            self.step()
        return self.vehicle.snapshot()
