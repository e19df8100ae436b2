"""View-model of the simulation control panel: what the designer chose and what came back."""

from __future__ import annotations

import queue
from typing import Any

from kivy.event import EventDispatcher
from kivy.properties import (
    BooleanProperty,
    DictProperty,
    ListProperty,
    NumericProperty,
    StringProperty,
)

from protocols import ResultStatus, load_catalogue

from ..i18n import N_, tr
from ..labels import enum_text, program_text, reason_text
from .controller import SimController
from .keyboard import KEY_R, KEY_SPACE, DriveInput, KeyboardDriver

SPEEDS = (1.0, 5.0, 20.0)
FAULT_LABELS = {   # msgids, shown through hmi.i18n.tr
    "VEHICLE_OFFLINE": N_("Vehicle offline"),
    "LOW_BATTERY": N_("Low battery"),
    "SIGNAL_DROPOUT": N_("Signal dropout"),
    "SENSOR_OUT_OF_RANGE": N_("Sensor out of range"),
}
SCENARIO_LABELS = {   # the catalogue's sim_set_scenario choices, as the panel names them
    "showcase": N_("Showcase"), "wltc": N_("WLTC cycle"), "motorway": N_("Motorway"),
    "trail": N_("Trail"), "charge-stop": N_("Charge stop"), "low-battery": N_("Low battery"),
}
CONFIGURATION_LABELS = {   # the catalogue's sim_set_configuration choices, as the panel names them
    "default": N_("Default"), "road": N_("Road"), "expedition": N_("Expedition"),
    "heritage": N_("Heritage"),
}
SCENARIO_DRIVES = N_("Scenario drives")
# What the panel says once the simulator took a toggle: the fault's own label (never its enum
# name, which the simulator's English text carries), in one form for every fault.
FAULT_ON, FAULT_OFF = N_("{fault}: on"), N_("{fault}: off")
PAUSED, RUNNING = N_("Paused"), N_("Running")
NOTICE = "Vehicle.Ema.Simulation.Notice."
LOCKER_AXLES = {"FRONT_LOCKER": "FRONT", "REAR_LOCKER": "REAR"}   # SimControl -> Axle
LOCKER_STATES = {True: N_("engaged"), False: N_("released")}


class SimPanelModel(EventDispatcher):
    """Holds the panel's state; every action goes through the controller, never to MQTT."""

    scenarios = ListProperty()
    scenario = StringProperty("showcase")
    configurations = ListProperty()
    configuration = StringProperty("default")   # the demo's simulator starts as the default car
    speed = NumericProperty(1.0)
    paused = BooleanProperty(False)
    manual = BooleanProperty(False)
    faults = DictProperty()
    drive_text = StringProperty(SCENARIO_DRIVES)
    status_text = StringProperty("")
    scenario_text = StringProperty("")   # what the scenario last set, and whose choice it replaced
    # The panel's one message line: the newer of the two above (the panel has no room for both
    # at its minimum height), and whether it is the scenario's notice (drawn amber) or a result.
    message_text = StringProperty("")
    message_is_notice = BooleanProperty(False)

    def __init__(self, controller: SimController, scenario: str = "showcase",
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.controller = controller
        self.keyboard = KeyboardDriver()
        catalogue = load_catalogue()
        self.scenarios = list(catalogue.commands["sim_set_scenario"].args["scenario"].choices)
        self.scenario = scenario
        self.configurations = list(
            catalogue.commands["sim_set_configuration"].args["configuration"].choices)
        self.faults = {name: False for name in FAULT_LABELS}
        self._accepted_texts: dict[str, tuple[str, str]] = {}   # rid -> (msgid, fault label)

    def on_status_text(self, _model: SimPanelModel, text: str) -> None:
        self.message_text, self.message_is_notice = text, False

    def on_scenario_text(self, _model: SimPanelModel, text: str) -> None:
        self.message_text, self.message_is_notice = text, bool(text)

    # --- actions (called from kv or the keyboard) ----------------------------------------------
    def choose_scenario(self, scenario: str) -> None:
        self.scenario = scenario
        self.manual = False
        self.keyboard.reset()
        self.drive_text = SCENARIO_DRIVES
        self.controller.set_scenario(scenario)

    def choose_configuration(self, configuration: str) -> None:
        """Refit the simulated car as a shipped configuration. The simulator starts the
        scenario again with the new car and takes the wheel back, as for a scenario choice."""
        self.configuration = configuration
        self.manual = False
        self.keyboard.reset()
        self.drive_text = SCENARIO_DRIVES
        self.controller.set_configuration(configuration)

    def choose_speed(self, factor: float) -> None:
        self.speed = factor
        self.controller.set_speed(factor)

    def toggle_pause(self) -> None:
        self.paused = not self.paused
        rid = self.controller.pause(self.paused)
        self._accepted_texts[rid] = (PAUSED if self.paused else RUNNING, "")

    def toggle_fault(self, fault: str) -> None:
        active = not self.faults[fault]
        self.faults[fault] = active
        rid = self.controller.fault(fault, active)
        self._accepted_texts[rid] = (FAULT_ON if active else FAULT_OFF, FAULT_LABELS[fault])

    def release(self) -> None:
        self.manual = False
        self.keyboard.reset()
        self.drive_text = SCENARIO_DRIVES
        self.controller.release()

    def key_down(self, key: int) -> bool:
        if key == KEY_SPACE:
            self.toggle_pause()
            return True
        if key == KEY_R:
            self.release()
            return True
        return self._drive(self.keyboard.key_down(key))

    def key_up(self, key: int) -> bool:
        return self._drive(self.keyboard.key_up(key))

    def _drive(self, wanted: DriveInput | None) -> bool:
        if wanted is None:
            return False
        self.manual = True
        self.drive_text = tr("By hand: accelerator {accelerator} %, brake {brake} %, "
                             "grade {grade} %, side {side} %").format(
            accelerator=f"{wanted.accelerator * 100:.0f}", brake=f"{wanted.brake * 100:.0f}",
            grade=f"{wanted.grade_pct:+.0f}", side=f"{wanted.side_slope_pct:+.0f}")
        self.controller.drive(wanted.accelerator, wanted.brake, wanted.grade_pct,
                              wanted.side_slope_pct)
        return True

    # --- called once per frame ------------------------------------------------------------------
    def apply_results(self, _dt: float = 0.0) -> None:
        self._apply_notices()
        while True:
            try:
                result = self.controller.results.get_nowait()
            except queue.Empty:
                return
            if result.status is ResultStatus.REJECTED:
                self.status_text = tr("Refused: {reason}").format(reason=reason_text(result.reason,
                                                                                 result.text))
            elif result.status is ResultStatus.ACCEPTED:
                self.status_text = self._accepted_text(result.rid, result.text)

    def _accepted_text(self, rid: str, vehicle_text: str) -> str:
        """The panel's own words for a toggle it sent, in the current language; the
        simulator's text for anything else."""
        said = self._accepted_texts.pop(rid, None)
        if said is None:
            return vehicle_text
        msgid, label = said
        return tr(msgid).format(fault=tr(label))

    def _apply_notices(self) -> None:
        while True:
            try:
                notice = self.controller.notices.get_nowait()
            except queue.Empty:
                return
            text = notice_text(notice)
            if text:
                self.scenario_text = text


def notice_text(notice: dict[str, Any]) -> str:
    """The panel's line for a scenario notice (vehicle_sim.notices): what it set, and whether it
    overrode the driver's choice; "" for none (a new simulator session)."""
    control = notice.get(NOTICE + "Control")
    if control == "TERRAIN_PROGRAM":
        what = program_text(notice.get(NOTICE + "Program"))
    elif control in LOCKER_AXLES and isinstance(notice.get(NOTICE + "LockerEngaged"), bool):
        what = tr("{locker} {state}").format(
            locker=enum_text("Axle", LOCKER_AXLES[control]),
            state=tr(LOCKER_STATES[notice[NOTICE + "LockerEngaged"]]))
    else:
        return ""
    if not notice.get(NOTICE + "Accepted"):
        return tr("Scenario asked for {what}: refused").format(what=what)
    if notice.get(NOTICE + "OverrodeDriver"):
        if control == "TERRAIN_PROGRAM":
            yours = program_text(notice.get(NOTICE + "DriverProgram"))
        else:   # "your Front locker: released"
            yours = enum_text("Axle", LOCKER_AXLES[control])
            what = tr(LOCKER_STATES[notice[NOTICE + "LockerEngaged"]])
        return tr("Scenario overrode your {yours}: {what}").format(yours=yours, what=what)
    return tr("Scenario: {what}").format(what=what)
