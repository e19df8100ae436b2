"""A scenario-driven model vehicle that speaks the protocol's commands."""

from __future__ import annotations

from pathlib import Path

from protocols import Command, Value

from .model import Decision, ScenarioRunner, load_scenario
from .node import CommandDecision
from .signals import signal_values

# Model reason codes that the protocol names differently.
REASONS = {
    "program_disallows_lockers": "not_allowed_in_program",
    "program_requires_height": "not_allowed_in_program",
    "limit_out_of_range": "invalid_argument",
    "unknown_value": "invalid_argument",
    "no_such_seat": "invalid_argument",
}
PROTOCOL_REASONS = {"speed_too_high", "not_allowed_in_program", "not_available",
                    "vehicle_charging", "vehicle_moving", "not_ready", "invalid_argument"}


class ScenarioVehicle:
    """Runs a scenario on the model and answers commands the way the vehicle would."""

    def __init__(self, scenario: str | Path, seed: int = 0, loop: bool | None = None) -> None:
        self.runner = ScenarioRunner(load_scenario(scenario), seed=seed, loop=loop)
        self._values: dict[str, Value | None] | None = None

    @property
    def finished(self) -> bool:
        return self.runner.finished

    def advance(self, dt_s: float) -> None:
        self.runner.advance(dt_s)
        self._values = None

    def signal_values(self) -> dict[str, Value | None]:
        if self._values is None:
            self._values = signal_values(self.runner.vehicle.snapshot())
        return self._values

    def execute(self, command: Command) -> CommandDecision:
        vehicle = self.runner.vehicle
        args = command.args
        self._values = None
        if command.name == "set_terrain_program":
            decision = vehicle.request_terrain_program(str(args["program"]))
        elif command.name == "set_axle_locker":
            decision = vehicle.request_locker(str(args["axle"]), bool(args["engaged"]))
        elif command.name == "set_charge_limit":
            decision = vehicle.set_charge_limit_pct(float(args["percent"]))  # type: ignore[arg-type]
        elif command.name == "set_ride_height":
            decision = vehicle.request_ride_height(str(args["level"]))
        else:
            return CommandDecision(False, "unknown_command", f"Unknown command {command.name}.")
        return _protocol_decision(decision)

    def is_complete(self, command: Command) -> bool:
        state = self.runner.vehicle.snapshot()
        args = command.args
        if command.name == "set_terrain_program":
            return state.program_state == "ACTIVE" and state.program_requested == args["program"]
        if command.name == "set_axle_locker":
            prefix = "front" if args["axle"] == "FRONT" else "rear"
            wanted = "ENGAGED" if args["engaged"] else "DISENGAGED"
            return getattr(state, f"{prefix}_locker_state") == wanted
        if command.name == "set_ride_height":
            return state.ride_height_settled
        return True


def _protocol_decision(decision: Decision) -> CommandDecision:
    if decision.accepted:
        return CommandDecision(True, None, decision.message)
    reason = REASONS.get(decision.code, decision.code)
    if reason not in PROTOCOL_REASONS:
        reason = "not_available"
    return CommandDecision(False, reason, decision.message[:200])
