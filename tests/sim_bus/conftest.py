"""A simulated vehicle serving a real Mosquitto, and a cockpit probe watching it.

A sim on a `ManualClock` moves only when the test steps it. What the test then waits for is a
message on the broker, never a stretch of wall time; "nothing happened" is checked behind a
barrier: a later message from the vehicle has arrived, and the vehicle's messages reach the
probe in the order they were sent (one connection each way).
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable
from pathlib import Path

import msgpack
import pytest

from protocols import Codec, CommandResult, ResultStatus, VehicleTopics
from protocols.bus import Message, parse_broker_url
from protocols.bus.mqtt import MqttTransport
from tests.support.cockpit import CockpitProbe
from vehicle_sim.clock import Clock, ManualClock, SystemClock
from vehicle_sim.node import SimulatedVehicle, VehicleNode
from vehicle_sim.runner import WALL_TICK_S, SimulationLoop
from vehicle_sim.simulated import ScenarioVehicle

REAL_WAIT_S = 5.0  # bound on waiting for the broker once simulated time has been stepped

PARKED = """
name = "parked"
[initial]
soc_pct = 60
program = "COMFORT"
gear = "D"
ready = true
[[segments]]
name = "Standstill"
speed_kmh = 0
duration_s = 3600
surface = "GRAVEL"
"""

CRUISING = PARKED.replace('speed_kmh = 0', 'speed_kmh = 90\naccel_mps2 = 50').replace(
    'surface = "GRAVEL"', 'surface = "TARMAC"')

# The scenario sets a program, then (after a driver's tap, in the tests) another and a locker:
# who is driving (issue 16 item 6, vehicle_sim.notices).
WHO_DRIVES = """
name = "who drives"
[initial]
soc_pct = 60
program = "COMFORT"
gear = "D"
ready = true
[[segments]]
name = "Gravel"
speed_kmh = 0
duration_s = 20
surface = "GRAVEL"
events = [{ type = "program", program = "GRASS_GRAVEL_SNOW", at_s = 1 }]
[[segments]]
name = "Sand"
speed_kmh = 0
duration_s = 20
surface = "SAND"
events = [{ type = "program", program = "SAND", at_s = 1 },
          { type = "locker", axle = "REAR", engage = true, at_s = 2 }]
"""


class _KeptResults(queue.Queue[CommandResult]):
    """The probe's result queue, also keeping every result, so that a wait does not use
    up what result_for() will look for."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[CommandResult] = []

    def put(self, item: CommandResult, block: bool = True, timeout: float | None = None) -> None:
        self.seen.append(item)
        super().put(item, block, timeout)


class BusProbe(CockpitProbe):
    """A cockpit probe that also keeps, in arrival order, the wire timestamp of every message
    and every result it decoded, so that tests can wait on them without consuming them."""

    def __init__(self, broker_url: str, vehicle: str) -> None:
        super().__init__(broker_url, vehicle)
        self.stamps: list[tuple[str, int]] = []  # (topic, ts) in arrival order
        self.results = self.kept = _KeptResults()

    def _on_message(self, message: Message) -> None:
        try:
            ts = msgpack.unpackb(message.payload, strict_map_key=False).get("ts")
        except Exception:  # a malformed payload has no timestamp to keep
            ts = None
        if isinstance(ts, int):
            self.stamps.append((message.topic, ts))
        super()._on_message(message)  # notifies waiters last

    def has_answer(self, rid: str, status: ResultStatus) -> bool:
        return any(r.rid == rid and r.status is status for r in self.kept.seen)

    def stamped_after(self, ts_us: int, topic_suffix: str = "") -> bool:
        return any(ts > ts_us and topic.endswith(topic_suffix) for topic, ts in self.stamps)


class RunningSim:
    """A VehicleNode on a real broker, its loop on a thread of its own; with a ManualClock
    simulated time moves only through step(), step_until() and answer(). It drives the
    scenario's ScenarioVehicle, or `vehicle` when given (a fake for one behaviour)."""

    def __init__(self, broker_url: str, vehicle_id: str, scenario: Path | None,
                 speed: float = 1.0, clock: ManualClock | None = None,
                 vehicle: SimulatedVehicle | None = None) -> None:
        codec = Codec()
        topics = VehicleTopics(vehicle_id)
        self.transport = MqttTransport(parse_broker_url(broker_url), min_backoff_s=0.1,
                                       max_backoff_s=0.5)
        self.clock = clock
        time_source: Clock = clock or SystemClock()
        if vehicle is None:
            assert scenario is not None, "a RunningSim needs a scenario or a vehicle"
            vehicle = ScenarioVehicle(scenario, seed=3)
        self.node = VehicleNode(vehicle, self.transport, topics, codec, clock=time_source)
        self.loop = SimulationLoop([self.node], speed=speed, clock=time_source)
        self.thread = threading.Thread(target=self.loop.run, daemon=True)

    def start(self) -> RunningSim:
        self.transport.start()
        assert self.transport.wait_connected(5)
        self.thread.start()
        if self.clock is not None:
            self.clock.settle()  # the first tick is served: status and every frame are out
        return self

    def _manual(self) -> ManualClock:
        assert self.clock is not None, "stepping needs a sim on a ManualClock"
        return self.clock

    def step(self, seconds: float) -> None:
        """Advance time tick by tick, each served before the next (as the real loop would)."""
        clock = self._manual()
        for _ in range(round(seconds / WALL_TICK_S)):
            clock.advance(WALL_TICK_S)
            clock.settle()

    def step_until(self, probe: CockpitProbe, condition: Callable[[CockpitProbe], bool],
                   max_s: float = 5.0) -> None:
        """Step until the probe sees `condition`, at most `max_s` of simulated time; then wait
        for the broker alone (what is due may still be in flight), at most REAL_WAIT_S."""
        for _ in range(round(max_s / WALL_TICK_S)):
            try:
                probe.wait_for(condition, timeout_s=0.001)  # a message in flight may do it
                return
            except TimeoutError:
                self.step(WALL_TICK_S)
        probe.wait_for(condition, timeout_s=REAL_WAIT_S)

    def answer(self, probe: BusProbe, rid: str, status: ResultStatus = ResultStatus.ACCEPTED,
               max_s: float = 5.0) -> None:
        """Step until the vehicle's answer `status` to request `rid` has reached the probe."""
        self.step_until(probe, lambda c: probe.has_answer(rid, status), max_s)

    def barrier(self, probe: BusProbe) -> None:
        """Return once everything the vehicle sent until now has reached the probe: step until
        a message stamped later arrives (a simulator-control marker that changes nothing makes
        sure there is one, even while the vehicle is offline)."""
        now_us = self._manual().wall_us()
        probe.control("sim_set_speed", factor=self.node.speed)
        self.step_until(probe, lambda c: probe.stamped_after(now_us))

    def stop(self) -> None:
        self.loop.stop()
        self.thread.join(5)
        self.transport.close()


def _scenario(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.toml"
    path.write_text(text)
    return path


@pytest.fixture
def parked_sim(mosquitto, vehicle_id, tmp_path):
    sim = RunningSim(mosquitto.url, vehicle_id, _scenario(tmp_path, PARKED)).start()
    yield sim
    sim.stop()


@pytest.fixture
def cruising_sim(mosquitto, vehicle_id, tmp_path):
    sim = RunningSim(mosquitto.url, vehicle_id, _scenario(tmp_path, CRUISING), speed=5.0).start()
    yield sim
    sim.stop()


@pytest.fixture
def stepped_sim(mosquitto, vehicle_id, tmp_path):
    """The parked sim on a ManualClock: time stands still until the test steps it."""
    sim = RunningSim(mosquitto.url, vehicle_id, _scenario(tmp_path, PARKED),
                     clock=ManualClock()).start()
    yield sim
    sim.stop()


@pytest.fixture
def cockpit(mosquitto, vehicle_id):
    probe = BusProbe(mosquitto.url, vehicle_id).start()
    yield probe
    probe.close()
