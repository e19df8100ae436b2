"""Who set the program and the lockers: the scenario or the driver, told on the bus.

A scenario sets programs and lockers only at its events; between them a driver's tap holds (the
runner reasserts nothing on later ticks). When an event does set one, the simulator says so, and
whether it replaced a choice the driver made since the scenario last set that control, so that
the designer's panel can say "Scenario: Sand" or "Scenario overrode your Mud & Ruts" instead of
the car changing under the driver without a word. The rule lives here because only the
simulator knows who set what; the panel only shows it (hmi.demo.panel_model).
"""

from __future__ import annotations

from dataclasses import dataclass

from protocols import Value

from .model import ScenarioRunner
from .model.scenario_runner import EventRecord

PREFIX = "Vehicle.Ema.Simulation."
SIMULATED = PREFIX + "IsSimulated"
COUNT = PREFIX + "Notice.Count"
CONTROL = PREFIX + "Notice.Control"
PROGRAM = PREFIX + "Notice.Program"
LOCKER_ENGAGED = PREFIX + "Notice.LockerEngaged"
ACCEPTED = PREFIX + "Notice.Accepted"
OVERRODE = PREFIX + "Notice.OverrodeDriver"
DRIVER_PROGRAM = PREFIX + "Notice.DriverProgram"
PROGRAM_CONTROL = "TERRAIN_PROGRAM"
LOCKER_CONTROLS = {"FRONT": "FRONT_LOCKER", "REAR": "REAR_LOCKER"}


@dataclass(frozen=True)
class Notice:
    """The scenario's last program or locker event, and whose choice it replaced."""

    control: str
    program: str | None
    engaged: bool | None
    accepted: bool
    overrode_driver: bool
    driver_program: str | None


class ScenarioNotices:
    """Follows the runner's event log and the driver's accepted commands."""

    def __init__(self) -> None:
        self.count = 0
        self.last: Notice | None = None
        self._driver: dict[str, object] = {}   # control -> the driver's choice still in force
        self._seen: EventRecord | None = None

    def driver_set(self, control: str, value: object) -> None:
        """The driver's command on `control` was accepted: it holds until the next event."""
        self._driver[control] = value

    def restart(self, runner: ScenarioRunner) -> None:
        """A new runner (scenario or car changed): its events start afresh; the count goes on."""
        self._driver.clear()
        self._seen = runner.event_log[-1] if runner.event_log else None

    def scan(self, runner: ScenarioRunner) -> bool:
        """Take the events the runner carried out since the last scan; True if any was new."""
        log = runner.event_log
        fresh: list[EventRecord] = []
        for record in reversed(log):
            if record is self._seen:
                break
            fresh.append(record)
        if not fresh:
            return False
        self._seen = log[-1]
        changed = False
        for record in reversed(fresh):
            changed = self._take(record) or changed
        return changed

    def _take(self, record: EventRecord) -> bool:
        event = record.event
        if event.type == "program":
            control, program, engaged = PROGRAM_CONTROL, str(event.param("program")), None
            wanted: object = program
        elif event.type == "locker" and event.param("axle") in LOCKER_CONTROLS:
            control, program = LOCKER_CONTROLS[event.param("axle")], None
            engaged = bool(event.param("engage"))
            wanted = engaged
        else:
            return False
        accepted = record.decision.accepted
        driver = self._driver.get(control)
        overrode = accepted and control in self._driver and driver != wanted
        if accepted:
            self._driver.pop(control, None)   # the scenario's now, until the driver taps again
        self.count += 1
        self.last = Notice(control, program, engaged, accepted, overrode,
                           str(driver) if overrode and control == PROGRAM_CONTROL else None)
        return True

    def signal_values(self) -> dict[str, Value | None]:
        last = self.last
        return {
            SIMULATED: True,
            COUNT: self.count,
            CONTROL: None if last is None else last.control,
            PROGRAM: None if last is None else last.program,
            LOCKER_ENGAGED: None if last is None else last.engaged,
            ACCEPTED: None if last is None else last.accepted,
            OVERRODE: None if last is None else last.overrode_driver,
            DRIVER_PROGRAM: None if last is None else last.driver_program,
        }
