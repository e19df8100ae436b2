"""Display truth: nothing the driver sees claims to be live unless every signal behind it is.

Every readout of the display report (hmi/report.py, PROTOCOL.md §10), every tile, locker and
telltale is checked before any data, with the frame it comes from stale, and with the vehicle
offline, in the real headless window. Frames go straight into the HMI's store and simulated
time is stepped through the applier's injected clock, so a frame goes stale exactly when its
catalogue says, without waiting for it; every wait is for a condition.
"""

from __future__ import annotations

import itertools
import re
import time
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pytest

from protocols import StateFrame, VehicleStatus, load_catalogue, now_us
from protocols.diagnostics import decode_display, encode_display
from tests.hmi.conftest import find
from tests.support.sample_vehicle import typical

CATALOGUE = load_catalogue()
PROTOCOL = Path(__file__).resolve().parents[2] / "PROTOCOL.md"
NOT_AVAILABLE = "--"
REPORT_KEYS = {"signal", "text", "unit", "value", "key", "stale", "state", "age", "screen"}
STATUS_BAR = "status_bar"
LOW_SOC = 10.0         # lights the low-battery telltale, so its going out can be seen
REGEN_W = 30_000.0     # VSS: positive battery power flows into the pack
DRIVE_W = -48_000.0


class SimulatedClock:
    """The applier's clock: stands still until a test steps it; wall time moves with it."""

    def __init__(self) -> None:
        self.now_s = self._start_s = time.monotonic()
        self._start_wall_s = time.time()

    def __call__(self) -> float:
        return self.now_s

    def wall(self) -> float:
        return self._start_wall_s + (self.now_s - self._start_s)

    def step(self, seconds: float) -> None:
        self.now_s += seconds


class Bus:
    """Feeds the HMI's store as its link would, at simulated receive times."""

    def __init__(self, harness: Any) -> None:
        self.harness = harness
        self.hmi = harness.hmi
        self.clock = SimulatedClock()
        self.hmi.applier.clock = self.clock
        self.hmi.applier.wall_clock = self.clock.wall
        self._seq = itertools.count(1)

    def frames(self, values: dict[str, dict[str, Any]], only: Iterable[str] | None = None) -> None:
        for frame in (only if only is not None else values):
            self.hmi.store.put_frame(StateFrame(frame, next(self._seq), now_us(), values[frame]),
                                     self.clock())

    def status(self, online: bool) -> None:
        self.hmi.store.put_status(VehicleStatus(online, next(self._seq), now_us()), self.clock())

    def settle(self) -> dict[str, Any]:
        """Let the applier run once more at the current simulated time; the display report."""
        pacer = self.hmi.pacer
        before = pacer.ticks
        pacer.wake()
        self.harness.wait(lambda: pacer.ticks > before, what="an applier tick")
        return self.harness.snapshot()


@pytest.fixture
def bus(hmi) -> Bus:
    return Bus(hmi)


def sample() -> dict[str, dict[str, Any]]:
    values = typical()
    values["battery"]["Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"] = LOW_SOC
    return values


def model_readouts(hmi: Any) -> dict[str, Any]:
    """Report name -> the view-model object behind it (readouts and derived texts)."""
    found: dict[str, Any] = {}
    for model in hmi.models.domains:
        for readout in getattr(model, "figures", getattr(model, "readouts", {}).values()):
            found[readout.name] = readout
    return found


def inputs(name: str, report: dict[str, Any], objects: dict[str, Any]) -> set[str]:
    """Every signal a readout is computed from (a derived text has several)."""
    shown = objects.get(name)
    signals = getattr(shown, "signals", None) or (report["signal"],)
    return set(signals)


def frame_of(signal: str) -> str:
    return CATALOGUE.signals[signal].frame


def readout_key_rows() -> dict[str, str]:
    """PROTOCOL.md §10's table of readout keys: key -> its meaning cell."""
    section = PROTOCOL.read_text().split("## 10.", 1)[1]
    table = section.split("Every readout has the same keys", 1)[1].split("\n\n", 2)[1]
    rows = [line.split("|") for line in table.splitlines() if line.startswith("| `")]
    return {cells[1].strip().strip("`"): cells[-2] for cells in rows}


def documented(key: str) -> set[str]:
    """The backticked values PROTOCOL.md §10 lists for a readout key."""
    return set(re.findall(r"`([a-z_]+)`", readout_key_rows()[key]))


def assert_nothing_fresh(report: dict[str, Any], names: Iterable[str], why: str) -> None:
    readouts = report["readouts"]
    claims = {name: readouts[name] for name in names
              if readouts[name].get("state") == "fresh" or readouts[name].get("stale") is False
              or "state" not in readouts[name]}
    assert claims == {}, f"{why}: shown as live"
    for name in names:
        readout = readouts[name]
        if readout["text"] != NOT_AVAILABLE:  # a kept value is dimmed and says how old it is
            assert (readout["state"], bool(readout["age"])) == ("stale", True), (name, readout)
        else:  # and what shows no value reports none, in the language-independent fields too
            assert (readout["value"], readout["key"]) == (None, None), (name, readout)


# --- the report itself ----------------------------------------------------------------------

def test_every_readout_has_the_same_keys_and_survives_the_wire(bus) -> None:
    assert set(readout_key_rows()) == REPORT_KEYS
    report = bus.settle()
    odd = {name: sorted(set(readout) ^ REPORT_KEYS)
           for name, readout in report["readouts"].items() if set(readout) != REPORT_KEYS}
    assert odd == {}
    decoded = decode_display(encode_display(report, 1, "")).display
    assert decoded["readouts"] == report["readouts"]


def test_state_vocabulary_is_the_one_protocol_md_documents() -> None:
    from hmi import formatting as fmt
    from hmi.models.readout import Readout
    from hmi.signals import Availability, SignalState
    from hmi.units import UnitPreferences

    readout = Readout("drive.speed", "Vehicle.Speed", fmt.speed, 0.0)
    states = set()
    for availability in Availability:
        value = None if availability in (Availability.NEVER, Availability.NOT_AVAILABLE) else 3.0
        readout.show(SignalState(availability, value, 1.0), UnitPreferences())
        states.add(readout.state)
    assert states == documented("state")


def test_every_readout_names_the_screen_that_shows_it(bus) -> None:
    from kivy.uix.label import Label

    from hmi.screens import SCREEN_NAMES

    assert documented("screen") == set(SCREEN_NAMES) | {STATUS_BAR}
    bus.status(True)
    bus.frames(sample())
    report = bus.settle()
    root = bus.hmi.root
    deck = set(root.manager.walk(restrict=True))
    status_bar = [w for w in root.walk(restrict=True) if w not in deck]
    missing = {}
    for name, readout in report["readouts"].items():
        screen = readout["screen"]
        assert screen in documented("screen"), (name, screen)
        widgets = status_bar if screen == STATUS_BAR else list(
            bus.harness.screen(screen).walk(restrict=True))
        texts = [w.text for w in widgets if isinstance(w, Label)]
        if not any(readout["text"] in text for text in texts):
            missing[name] = (screen, readout["text"])
    assert missing == {}


# --- before data, a stale frame, the vehicle offline -----------------------------------------

def test_before_any_data_nothing_is_live_and_nothing_shows_a_default(bus) -> None:
    report = bus.settle()
    assert_nothing_fresh(report, report["readouts"], "before any data")
    shown = {name: r["text"] for name, r in report["readouts"].items()
             if r["text"] != NOT_AVAILABLE}
    assert shown == {}, "a missing value is not available, never a default"
    assert {t["state"] for t in report["terrain_tiles"].values()} == {"unavailable"}
    assert {lock["state"] for lock in report["lockers"].values()} == {"unavailable"}
    assert {c["state"] for c in report["ride_height"]["levels"].values()} == {"unavailable"}
    assert report["telltales"] == []   # the banner says why, once (no OFFLINE telltale)


def test_jump_seat_is_not_available_until_the_configuration_frame_says(bus) -> None:
    seat = "body.seat_row1_middle"
    assert bus.settle()["readouts"][seat]["text"] == NOT_AVAILABLE
    values = sample()
    values["configuration"]["Vehicle.Ema.Cabin.JumpSeat.IsFitted"] = False
    bus.status(True)
    bus.frames(values)
    live = bus.settle()["readouts"][seat]
    assert (live["text"], live["state"]) == ("Not fitted", "fresh")
    bus.clock.step(CATALOGUE.frames["configuration"].stale_after_s + 0.05)
    bus.frames(values, only=[f for f in values if f != "configuration"])
    stale = bus.settle()["readouts"][seat]
    assert (stale["text"], stale["state"]) == (NOT_AVAILABLE, "stale")


@pytest.mark.parametrize("frame", sorted(CATALOGUE.frames))
def test_a_stale_frame_leaves_nothing_it_feeds_live(bus, frame: str) -> None:
    values = sample()
    bus.status(True)
    bus.frames(values)
    before = bus.settle()
    objects = model_readouts(bus.hmi)
    fed = [name for name, readout in before["readouts"].items()
           if frame in {frame_of(s) for s in inputs(name, readout, objects)}]
    assert any(before["readouts"][name].get("state") == "fresh" for name in fed)
    stale_after = max(spec.stale_after_s for spec in CATALOGUE.frames[frame].signals)
    bus.clock.step(stale_after + 0.05)
    bus.frames(values, only=[f for f in values if f != frame])  # the others stay live
    after = bus.settle()
    assert_nothing_fresh(after, fed, f"{frame} frame stale")
    lit = {t["name"] for t in before["telltales"]} - {t["name"] for t in after["telltales"]}
    if frame == "drive":
        assert {t["name"] for t in after["telltales"]} & {"ready", "locker", "traction"} == set()
        assert {lock["state"] for lock in after["lockers"].values()} == {"unavailable"}
        assert lit == {"ready", "locker", "traction"}
    if frame == "battery":
        assert lit == {"low_battery"}
    if frame == "terrain":
        assert {t["state"] for t in after["terrain_tiles"].values()} == {"unavailable"}
        assert {c["state"] for c in after["ride_height"]["levels"].values()} == {"unavailable"}


def test_vehicle_offline_leaves_nothing_live(bus) -> None:
    bus.status(True)
    bus.frames(sample())
    before = bus.settle()
    assert {t["name"] for t in before["telltales"]} >= {"ready", "low_battery", "locker"}
    bus.status(False)
    after = bus.settle()
    assert_nothing_fresh(after, after["readouts"], "vehicle offline")
    assert after["telltales"] == []   # the banner says it, once
    assert {t["state"] for t in after["terrain_tiles"].values()} == {"unavailable"}
    assert {lock["state"] for lock in after["lockers"].values()} == {"unavailable"}
    assert after["ride_height"]["state"] == "unavailable"
    assert {c["state"] for c in after["ride_height"]["levels"].values()} == {"unavailable"}


# --- drive power ------------------------------------------------------------------------------

@pytest.mark.parametrize("battery_w, text", [(REGEN_W, "-30"), (DRIVE_W, "48")])
def test_drive_power_says_regen_or_drive(bus, battery_w: float, text: str) -> None:
    from hmi.widgets import ReadoutLabel

    values = sample()
    values["drive"]["Vehicle.Powertrain.TractionBattery.CurrentPower"] = battery_w
    bus.status(True)
    bus.frames(values)
    assert bus.settle()["readouts"]["drive.power"]["text"] == text
    screen = bus.harness.screen("drive")
    widget, = find(screen, lambda w: isinstance(w, ReadoutLabel)
                   and w.readout is bus.hmi.models.drive.power)
    assert widget.shown_text == text
