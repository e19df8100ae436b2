"""A scenario-driven model vehicle that speaks the protocol's commands."""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping
from pathlib import Path

from protocols import Command, Value, load_catalogue

from .model import (
    ConfigurationError,
    ConfigurationFrame,
    Decision,
    DriverInput,
    Environment,
    Gear,
    ScenarioRunner,
    VehicleConfiguration,
    configuration_frame,
    load_configuration,
    load_scenario,
    option_costs_m,
    rating_specs,
    spec_for,
)
from .node import CommandDecision
from .notices import LOCKER_CONTROLS, PROGRAM_CONTROL, ScenarioNotices
from .ratings import SHARED, RatingService
from .signals import signal_values

# Model reason codes that the protocol names differently.
REASONS = {
    "program_disallows_lockers": "not_allowed_in_program",
    "program_requires_height": "not_allowed_in_program",
    "limit_out_of_range": "invalid_argument",
    "unknown_value": "invalid_argument",
    "no_such_seat": "invalid_argument",
}
# The reason codes a result may carry: the catalogue's list, not a copy of it. A model code
# the protocol does not know goes out as "not_available".
PROTOCOL_REASONS = frozenset(load_catalogue().result_reasons)


LOW_BATTERY_SOC = 0.06
STEP_S = 0.1


# The simulated car is not new: its odometer starts where a run-in car's stands. From zero,
# the whole-kilometre odometer read "1 km" beside a tenth-kilometre trip of "1.2 km"; with at
# least a mile on it, the odometer as shown is never less than the trip as shown.
ODOMETER_AT_START_M = 12_480_000.0


class ScenarioVehicle:
    """Runs a scenario on the model and answers commands the way the vehicle would.

    A designer may take the wheel (`sim_drive`): the scenario then waits while the car follows
    the pedals and the slope it was given, until `sim_release`.

    The car is built as a configuration (vehicle_sim/vehicles/). Its own WLTC drive runs at
    construction (the car cannot report Range.Rated without it); what each fitted option
    costs is driven on the rating service's thread and published as not available until known.
    `sim_set_configuration` refits the car and starts the scenario again with it, at once if
    the new car's rating is known, else as soon as its drive (run ahead of the queue) is done;
    the old car keeps driving meanwhile, so no frame waits.
    """

    def __init__(self, scenario: str | Path, seed: int = 0, loop: bool | None = None,
                 configuration: str | Path | VehicleConfiguration = "default",
                 ratings: RatingService | None = None) -> None:
        self.seed, self.loop, self.scenario = seed, loop, scenario
        self.ratings = ratings or SHARED
        self.configuration = (configuration if isinstance(configuration, VehicleConfiguration)
                              else load_configuration(configuration))
        self.rated_J_per_m = self.ratings.consumption_now(spec_for(self.configuration))
        self.notices = ScenarioNotices()   # who set the program and lockers (vehicle_sim.notices)
        self.runner = self._new_runner()
        self.ratings.request(rating_specs(self.configuration))
        self._values: dict[str, Value | None] | None = None
        self._values_generation = -1
        self._configuration_frame: tuple[int, ConfigurationFrame] | None = None
        self.manual: tuple[DriverInput, Environment] | None = None
        self._manual_debt_s = 0.0
        self._energy_before_fault_J: float | None = None
        self._refit_to: VehicleConfiguration | None = None
        self._refits = 0

    def _new_runner(self) -> ScenarioRunner:
        """A scenario run on the same car: its odometer carries on from where it stood (an
        odometer never goes back), and a new trip starts at zero."""
        runner = ScenarioRunner(load_scenario(self.scenario), seed=self.seed, loop=self.loop,
                                spec=spec_for(self.configuration),
                                rated_consumption_J_per_m=self.rated_J_per_m)
        stood = (self.runner.vehicle.odometer.total_m if hasattr(self, "runner")
                 else ODOMETER_AT_START_M)
        odometer = runner.vehicle.odometer
        odometer.total_m = max(odometer.total_m, stood)
        self.notices.restart(runner)
        return runner

    @property
    def change_generation(self) -> int:
        """Rises whenever the configuration frame may have changed without a command (a refit
        done, an option's cost known, the scenario set a program or a locker): the node then
        sends that frame at once."""
        return self._refits + self.ratings.completed + self.notices.count

    def wait_for_ratings(self, timeout_s: float | None = None) -> bool:
        """Block until this car's option costs are known (for tests and `ema-sim spec`)."""
        return self.ratings.wait_for(rating_specs(self.configuration), timeout_s)

    @property
    def finished(self) -> bool:
        return self.runner.finished and self.manual is None

    def advance(self, dt_s: float) -> None:
        if self._refit_to is not None:
            self._refit_when_rated()
        if self.manual is None:
            self.runner.advance(dt_s)
            self.notices.scan(self.runner)
        else:
            self._manual_debt_s += dt_s
            driver, env = self.manual
            while self._manual_debt_s >= STEP_S:
                self._manual_debt_s -= STEP_S
                self.runner.vehicle.step(STEP_S, driver, env)
        self._values = None

    def signal_values(self) -> dict[str, Value | None]:
        if self._values_generation != self.change_generation:
            self._values = None  # a rating came in since: the configuration frame changed
        if self._values is None:
            self._values_generation = self.change_generation
            state = self.runner.vehicle.snapshot()
            state = dataclasses.replace(state, configuration=self.configuration_frame())
            self._values = signal_values(state) | self.notices.signal_values()
        return self._values

    def configuration_frame(self) -> ConfigurationFrame:
        """The car as built, with the rating figures known so far (built again only when the
        change generation moves: it costs ~0.5 ms, the rest of a snapshot ~0.2 ms)."""
        generation = self.change_generation
        if self._configuration_frame is None or self._configuration_frame[0] != generation:
            spec = spec_for(self.configuration)
            frame = configuration_frame(
                self.configuration, spec.usable_energy_J / self.rated_J_per_m,
                option_costs_m(self.configuration, self.ratings.consumption))
            self._configuration_frame = (generation, frame)
        return self._configuration_frame[1]

    def execute(self, command: Command) -> CommandDecision:
        vehicle = self.runner.vehicle
        args = command.args
        self._values = None
        if command.name == "set_terrain_program":
            decision = vehicle.request_terrain_program(str(args["program"]))
            if decision.accepted:
                self.notices.driver_set(PROGRAM_CONTROL, str(args["program"]))
        elif command.name == "set_axle_locker":
            decision = vehicle.request_locker(str(args["axle"]), bool(args["engaged"]))
            if decision.accepted:
                self.notices.driver_set(LOCKER_CONTROLS[str(args["axle"])], bool(args["engaged"]))
        elif command.name == "set_charge_limit":
            decision = vehicle.set_charge_limit_pct(float(args["percent"]))  # type: ignore[arg-type]
        elif command.name == "set_ride_height":
            decision = vehicle.request_ride_height(str(args["level"]))
        elif command.name.startswith("sim_"):
            return self._simulator_control(command)
        else:
            return CommandDecision(False, "unknown_command", f"Unknown command {command.name}.")
        return _protocol_decision(decision)

    def _simulator_control(self, command: Command) -> CommandDecision:
        args = command.args
        if command.name == "sim_set_scenario":
            self.scenario = str(args["scenario"])
            self.runner = self._new_runner()
            self.manual = None
            return CommandDecision(True, None, f"Scenario {args['scenario']} started.")
        if command.name == "sim_set_configuration":
            return self._set_configuration(str(args["configuration"]))
        if command.name == "sim_drive":
            self.manual = (_pedals(args), _slope(self.manual, args, self.runner))
            return CommandDecision(True, None, "Driving by hand.")
        if command.name == "sim_release":
            self.manual = None
            return CommandDecision(True, None, "The scenario drives again.")
        if command.name == "sim_fault" and args["fault"] == "LOW_BATTERY":
            return self._low_battery(bool(args["active"]))
        return CommandDecision(False, "not_available", f"{command.name} is not simulated here.")

    def _set_configuration(self, name: str) -> CommandDecision:
        """Refit as a shipped configuration and start the scenario again with the new car."""
        try:
            config = load_configuration(name)
        except ConfigurationError as error:
            return CommandDecision(False, "invalid_argument", str(error)[:200])
        self._refit_to = config
        self.ratings.request(rating_specs(config), urgent=True)
        if self._refit_when_rated():
            return CommandDecision(True, None, f"Refitted as {name}; the scenario starts again.")
        return CommandDecision(True, None, f"Refitting as {name} once its WLTC drive is done; "
                               "the scenario then starts again.")

    def _refit_when_rated(self) -> bool:
        """Refit now if the new car's rating is known; True when the refit is done."""
        assert self._refit_to is not None
        rated = self.ratings.consumption(spec_for(self._refit_to))
        if rated is None:
            return False
        self.configuration, self._refit_to, self.rated_J_per_m = self._refit_to, None, rated
        self.runner = self._new_runner()
        self.manual, self._energy_before_fault_J = None, None
        self._refits += 1
        self._values = None
        return True

    def _low_battery(self, active: bool) -> CommandDecision:
        battery = self.runner.vehicle.battery
        if active and self._energy_before_fault_J is None:
            self._energy_before_fault_J = battery.energy_J
            battery.energy_J = LOW_BATTERY_SOC * battery.usable_capacity_J
        elif not active and self._energy_before_fault_J is not None:
            battery.energy_J, self._energy_before_fault_J = self._energy_before_fault_J, None
        return CommandDecision(True, None, f"Low battery {'on' if active else 'off'}.")

    def is_complete(self, command: Command) -> bool:
        state = self.runner.vehicle.snapshot()
        args = command.args
        if command.name == "set_terrain_program":
            return (state.terrain.program_state == "ACTIVE"
                    and state.terrain.program_requested == args["program"])
        if command.name == "set_axle_locker":
            prefix = "front" if args["axle"] == "FRONT" else "rear"
            wanted = "ENGAGED" if args["engaged"] else "DISENGAGED"
            return getattr(state.drive, f"{prefix}_locker_state") == wanted
        if command.name == "set_ride_height":
            # The actuator takes the new target on its next step: until then "settled" is
            # about the old one, and completing then would end the request before the move.
            return (state.terrain.ride_height_target == args["level"]
                    and state.terrain.ride_height_settled)
        if command.name == "sim_set_configuration":
            return self._refit_to is None and self.configuration.name == args["configuration"]
        return True


def _protocol_decision(decision: Decision) -> CommandDecision:
    if decision.accepted:
        return CommandDecision(True, None, decision.message)
    reason = REASONS.get(decision.code, decision.code)
    if reason not in PROTOCOL_REASONS:
        reason = "not_available"
    return CommandDecision(False, reason, decision.message[:200])


def _pedals(args: Mapping[str, Value]) -> DriverInput:
    return DriverInput(accelerator=float(args["accelerator"]), brake=float(args["brake"]),
                       gear=Gear.D)


def _slope(current: tuple[DriverInput, Environment] | None, args: Mapping[str, Value],
           runner: ScenarioRunner) -> Environment:
    """The scenario's ground under the car, tilted as the designer asks."""
    base = current[1] if current else (runner.segment or runner.scenario.segments[-1]).environment
    return dataclasses.replace(base, grade_rad=math.atan(float(args["grade_pct"]) / 100.0),
                               side_slope_rad=math.atan(float(args["side_slope_pct"]) / 100.0))
