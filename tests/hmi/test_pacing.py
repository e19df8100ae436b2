"""When the applier runs: woken by the link, spaced under load, and again when next due."""

from __future__ import annotations

import time
from typing import Any

import pytest

from hmi.commands import CommandTracker
from hmi.pacing import FRAME_S, MAX_INTERVAL_S, ApplyPacer, LoadGovernor
from hmi.signals import SignalTable
from hmi.store import ConnectionChanged, Sample, SignalStore
from protocols import StateFrame, VehicleStatus, load_catalogue, now_us

SPEED = "Vehicle.Speed"


class FakeClock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


# --- the store wakes the pacer once per drain ------------------------------------------------
def test_store_wakes_once_until_drained() -> None:
    store = SignalStore()
    wakes: list[int] = []
    store.set_waker(lambda: wakes.append(1))
    for seq in range(1, 50):
        assert store.put_frame(StateFrame("drive", seq, now_us(), {SPEED: float(seq)}, 1),
                               float(seq))
    store.put_event(ConnectionChanged(True))
    assert len(wakes) == 1
    store.drain()
    assert store.put_status(VehicleStatus(True, 1, now_us(), 1), 1.0)
    assert len(wakes) == 2


def test_a_frame_dropped_by_the_seq_gate_wakes_nobody() -> None:
    store = SignalStore()
    assert store.put_frame(StateFrame("drive", 5, now_us(), {SPEED: 1.0}, 1), 1.0)
    store.drain()
    wakes: list[int] = []
    store.set_waker(lambda: wakes.append(1))
    assert not store.put_frame(StateFrame("drive", 4, now_us(), {SPEED: 2.0}, 1), 2.0)
    assert wakes == []


# --- deadlines the applier reports -------------------------------------------------------------
def test_table_reports_when_the_next_live_value_goes_stale() -> None:
    catalogue = load_catalogue()
    table = SignalTable(catalogue)
    stale_after = catalogue.signals[SPEED].stale_after_s
    table.apply({SPEED: Sample(1.0, 10.0, 0, "drive")})
    table.refresh(10.1)
    assert table.next_flip_s == pytest.approx(10.0 + stale_after)
    table.refresh(10.0 + stale_after + 0.01)
    assert table.next_flip_s == float("inf")  # nothing live is left to go stale


def test_tracker_reports_when_the_oldest_pending_request_times_out() -> None:
    tracker = CommandTracker(lambda name, args: f"rid-{name}", timeout_s=5.0)
    assert tracker.next_expiry_s == float("inf")
    sent: list[int] = []
    tracker.on_sent = lambda: sent.append(1)
    tracker.send("set_terrain_program", {"program": "SAND"}, now_s=20.0)
    assert tracker.next_expiry_s == 25.0
    assert sent == [1]


# --- the governor ------------------------------------------------------------------------------
def test_governor_stretches_the_interval_while_over_budget_and_recovers() -> None:
    wall, cpu = FakeClock(), FakeClock()
    governor = LoadGovernor(budget=0.4, window_s=0.25, cpu_clock=cpu, clock=wall)
    assert governor.interval_s == 0.0     # within budget: no spacing at all
    for _ in range(30):  # a flood: the process burns 90 % of a core
        wall.now += 0.3
        cpu.now += 0.27
        governor.update()
    assert governor.load == pytest.approx(0.9)
    assert governor.interval_s == MAX_INTERVAL_S
    for _ in range(30):  # quiet again: 10 %
        wall.now += 0.3
        cpu.now += 0.03
        governor.update()
    assert governor.interval_s == 0.0


def test_governor_leaves_the_interval_alone_within_budget() -> None:
    wall, cpu = FakeClock(), FakeClock()
    governor = LoadGovernor(budget=0.4, cpu_clock=cpu, clock=wall)
    governor.interval_s = 0.025
    for _ in range(20):
        wall.now += 0.3
        cpu.now += 0.105  # 35 %: under budget, over 80 % of it
        governor.update()
    assert governor.interval_s == 0.025  # neither stretched nor shrunk: no oscillation


# --- the pacer on the real Kivy clock ----------------------------------------------------------
@pytest.fixture
def clock(window: Any) -> Any:
    from kivy.clock import Clock

    return Clock


def run_for(seconds: float) -> None:
    from kivy.base import EventLoop

    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        EventLoop.idle()


def test_pacer_ticks_on_wake_and_when_due_not_every_frame(clock: Any) -> None:
    ticks: list[float] = []
    due = [float("inf")]

    def tick() -> None:  # like the applier: a deadline that has come is done with
        ticks.append(time.monotonic())
        if ticks[-1] >= due[0]:
            due[0] = float("inf")

    pacer = ApplyPacer(tick, lambda: due[0])
    pacer.start()
    try:
        run_for(0.3)
        assert len(ticks) == 1            # the start tick; an idle bus costs nothing more
        deadline = due[0] = time.monotonic() + 0.2   # e.g. a value goes stale then
        pacer.wake()
        run_for(0.1)
        assert len(ticks) == 2            # woken at once
        run_for(0.25)                     # and again at the deadline (Kivy may run the timer
        assert ticks[-1] >= deadline      # a few ms early: then once more an interval later)
        assert 3 <= len(ticks) <= 4       # not once a frame (about 20 frames went by)
    finally:
        pacer.stop()


def test_pacer_spaces_a_flood_of_wakes_while_over_budget(clock: Any) -> None:
    ticks: list[float] = []
    governor = LoadGovernor(budget=0.0)  # always over budget, and already spacing ticks
    governor.interval_s = FRAME_S
    pacer = ApplyPacer(lambda: ticks.append(time.monotonic()), lambda: float("inf"), governor)
    pacer.start()
    try:
        deadline = time.monotonic() + 0.5
        from kivy.base import EventLoop

        while time.monotonic() < deadline:
            pacer.wake()  # as the link would at every message of a flood
            EventLoop.idle()
        gaps = [b - a for a, b in zip(ticks[1:], ticks[2:], strict=False)]
        # about one tick a frame (Kivy runs a timer up to a few ms early), not one per wake
        assert gaps and min(gaps) >= FRAME_S * 0.5
        assert len(ticks) <= 1.5 * 0.5 / FRAME_S
    finally:
        pacer.stop()


def test_an_event_ticks_in_the_next_frame_even_while_ticks_are_spaced(clock: Any) -> None:
    """A command's answer must not wait out the governor's spacing: under load the result of
    a tap showed a frame or more late (tests/hmi/test_gui_terrain.py failed now and then)."""
    from kivy.base import EventLoop

    ticks: list[float] = []
    governor = LoadGovernor(budget=0.0)  # over budget: ticks spaced by the longest interval
    governor.interval_s = governor.max_interval_s
    pacer = ApplyPacer(lambda: ticks.append(time.monotonic()), lambda: float("inf"), governor)
    store = SignalStore()
    store.set_waker(pacer.wake, urgent=pacer.wake_now)
    pacer.start()
    try:
        EventLoop.idle()
        started = len(ticks)
        store.put_frame(StateFrame("drive", 1, now_us(), {"Vehicle.Speed": 1.0}, 1), 0.0)
        store.put_event(ConnectionChanged(False))  # the data wake is spaced; the event is not
        EventLoop.idle()
        assert len(ticks) == started + 1
    finally:
        pacer.stop()
