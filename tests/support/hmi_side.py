"""The HMI's receiving side without its screen: the real VehicleLink and SignalStore on a real
broker, and the main thread's SignalTable, for bus tests that check what the cabin would take.

Staleness is judged at the time the test gives (`state(path, now_s)`: the HMI's clock, injected
into the table as the frame applier would pass it), never by waiting for it. Arrival times are
the link's own (time.monotonic), so a test reads them back (`received_at`) and judges from there.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable

from hmi.link import VehicleLink
from hmi.signals import SignalState, SignalTable
from hmi.store import ConnectionChanged, LinkCounters, LinkEvent, Sample, SignalStore
from protocols import VehicleTopics, load_catalogue
from protocols.bus import parse_broker_url
from protocols.bus.mqtt import MqttTransport
from tests.support.wait import wait_until

TAKEN_OVER_BACKOFF_S = 30.0  # the intruder of force_reconnect stays away once it is pushed out


class HmiSide:
    """VehicleLink + SignalStore + SignalTable for one vehicle, on its own MQTT client id."""

    def __init__(self, broker_url: str, vehicle: str) -> None:
        self.broker_url = broker_url
        self.client_id = f"hmi-side-{uuid.uuid4().hex[:8]}"
        self.store = SignalStore()
        self.transport = MqttTransport(parse_broker_url(broker_url), client_id=self.client_id,
                                       min_backoff_s=0.1, max_backoff_s=0.5)
        self.link = VehicleLink(self.transport, VehicleTopics(vehicle), self.store)
        self.table = SignalTable(load_catalogue())
        self.events: list[LinkEvent] = []
        self.arrivals: list[Sample] = []  # every sample the store applied, in drain order

    def start(self, timeout_s: float = 5.0) -> HmiSide:
        self.link.start()
        if not self.transport.wait_connected(timeout_s):
            raise TimeoutError("the HMI side could not reach the broker")
        return self

    def close(self) -> None:
        self.link.close()

    def pump(self) -> None:
        """What the main thread does each frame: drain the store into the table."""
        drained = self.store.drain()
        self.table.apply(drained.samples)
        self.arrivals.extend(drained.samples.values())
        self.events.extend(drained.events)

    def wait_for(self, condition: Callable[[], object], timeout_s: float = 5.0,
                 what: str = "the condition") -> None:
        def pumped() -> object:
            self.pump()
            return condition()
        wait_until(pumped, timeout_s, what)

    def counters(self) -> LinkCounters:
        return self.store.counters()

    def state(self, path: str, now_s: float) -> SignalState:
        """`path` as the screen would treat it at `now_s` on the HMI's monotonic clock."""
        self.table.refresh(now_s)
        return self.table.state(path)

    def received_at(self, path: str) -> float:
        received = self.table.received_at(path)
        assert received is not None, f"{path} never arrived"
        return received

    def connections(self) -> list[bool]:
        return [e.connected for e in self.events if isinstance(e, ConnectionChanged)]

    def force_reconnect(self, timeout_s: float = 5.0) -> None:
        """Lose the broker and come back, as after a network drop: another client takes over
        this client id (the broker closes our connection), our transport reconnects by itself
        and pushes the intruder out, which then stays away. The broker keeps its retained
        copies meanwhile, and delivers them again on the new subscription."""
        before = len(self.connections())
        intruder = MqttTransport(parse_broker_url(self.broker_url), client_id=self.client_id,
                                 min_backoff_s=TAKEN_OVER_BACKOFF_S,
                                 max_backoff_s=TAKEN_OVER_BACKOFF_S)
        intruder.start()
        try:
            self.wait_for(lambda: self.connections()[before:before + 2] == [False, True]
                          and self.transport.connected, timeout_s, "lost and back")
        finally:
            intruder.close()
