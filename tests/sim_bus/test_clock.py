"""The injectable clock: a ManualClock moves only when stepped, the loop and the node follow it."""

from __future__ import annotations

import threading
from pathlib import Path

import msgpack
import pytest

from protocols import Codec, VehicleTopics
from tests.sim_bus.conftest import PARKED
from vehicle_sim.clock import ManualClock, SystemClock
from vehicle_sim.node import VehicleNode
from vehicle_sim.runner import WALL_TICK_S, SimulationLoop
from vehicle_sim.simulated import ScenarioVehicle


class RecordingTransport:
    """Just enough of a transport for a node: connected, and keeps what is published."""

    def __init__(self) -> None:
        self.connected = True
        self.published: list[tuple[str, bytes]] = []
        self.on_message = self.on_connection = lambda *_: None

    def add_listener(self, listener) -> None:  # the listener API of the bus layer
        self.on_message = listener

    def add_connection_listener(self, listener) -> None:
        self.on_connection = listener

    def set_will(self, source) -> None:
        pass

    def subscribe(self, topic_filter: str, qos: int = 0) -> None:
        pass

    def publish(self, topic: str, payload: bytes, qos: int = 0, retain: bool = False) -> None:
        self.published.append((topic, payload))


def test_manual_clock_moves_only_when_advanced() -> None:
    clock = ManualClock(start_s=10.0, wall_start_us=1_000_000)
    assert (clock.now(), clock.wall_us()) == (10.0, 1_000_000)
    for _ in range(50):
        clock.advance(WALL_TICK_S)  # whole nanoseconds: fifty ticks are exactly one second
    assert (clock.now(), clock.wall_us()) == (11.0, 2_000_000)
    with pytest.raises(ValueError):
        clock.advance(-1.0)


def test_manual_clock_wait_ends_at_its_time_or_on_stop() -> None:
    clock, stop, woke = ManualClock(), threading.Event(), threading.Event()

    def waiter() -> None:
        clock.wait(1.0, stop)
        woke.set()
        clock.wait(1.0, stop)  # ends on stop, time standing still

    thread = threading.Thread(target=waiter, daemon=True)
    thread.start()
    clock.settle()
    clock.advance(0.5)
    clock.settle()  # still waiting: its time has not come
    assert not woke.is_set()
    clock.advance(0.5)
    assert woke.wait(5)
    clock.settle()
    stop.set()
    clock.wake()
    thread.join(5)
    assert not thread.is_alive()


def test_settle_times_out_without_a_waiter() -> None:
    with pytest.raises(TimeoutError):
        ManualClock().settle(timeout_s=0.05)


def test_system_clock_waits_on_the_stop_event() -> None:
    stop = threading.Event()
    stop.set()
    SystemClock().wait(60.0, stop)  # returns at once
    assert SystemClock().wall_us() > 1_600_000_000_000_000


def test_node_stamps_and_paces_by_its_clock(tmp_path: Path) -> None:
    """Frames carry the clock's wall time; the drive frame goes out at 10 Hz of clock time."""
    scenario = tmp_path / "parked.toml"
    scenario.write_text(PARKED)
    clock = ManualClock(wall_start_us=1_800_000_000_000_000)
    transport = RecordingTransport()
    node = VehicleNode(ScenarioVehicle(scenario, seed=3), transport,  # type: ignore[arg-type]
                       VehicleTopics("clock-test"), Codec(), clock=clock)
    loop = SimulationLoop([node], clock=clock)
    thread = threading.Thread(target=loop.run, daemon=True)
    thread.start()
    try:
        clock.settle()
        for _ in range(100):  # two seconds
            clock.advance(WALL_TICK_S)
            clock.settle()
    finally:
        loop.stop()
        thread.join(5)
    assert not thread.is_alive()
    drive = [msgpack.unpackb(p, strict_map_key=False)["ts"] for t, p in transport.published
             if t.endswith("/state/drive")]
    late_us = [ts - 1_800_000_000_000_000 - i * 100_000 for i, ts in enumerate(drive)]
    # the n-th frame is due at n x 0.1 s and goes on the first 20 ms tick at or after it (the
    # schedule does not drift; float sums may put one just past a tick)
    assert all(0 <= late <= round(WALL_TICK_S * 1e6) for late in late_us), late_us
    assert len(drive) in (20, 21)
    assert node.epoch == 1_800_000_000_000_000  # the session epoch is the clock's wall time too
