"""The link thread's job: decode, store, drop bad frames whole, send commands, match results.

Runs over the in-process transport (same interface as MQTT) to test the rules quickly;
the GUI tests cover the same path over a real Mosquitto.
"""

from __future__ import annotations

import msgpack
import pytest

from protocols import (Codec, CommandResult, InProcessBroker, InProcessTransport, ResultStatus,
                       VehicleTopics)

from hmi.link import VehicleLink
from hmi.store import CommandFailed, ConnectionChanged, ResultReceived, SignalStore

VEHICLE = "v1"
TOPICS = VehicleTopics(VEHICLE)
SPEED = "Vehicle.Speed"


@pytest.fixture
def bus():
    broker = InProcessBroker()
    store = SignalStore()
    link = VehicleLink(InProcessTransport(broker), TOPICS, store)
    link.start()
    vehicle = InProcessTransport(broker)
    vehicle.start()
    sent = []
    vehicle.on_message = sent.append
    vehicle.subscribe(TOPICS.command_filter)
    yield link, store, vehicle, sent
    link.close()


def test_valid_frame_is_stored(bus) -> None:
    link, store, vehicle, _ = bus
    vehicle.publish(TOPICS.state("drive"), Codec().encode_state("drive", {SPEED: 3.0}, 1))
    assert store.drain().samples[SPEED].value == 3.0


@pytest.mark.parametrize("payload", [
    b"\xc1",                                                     # not msgpack
    msgpack.packb([1, 2, 3]),                                    # not a map
    msgpack.packb({"v": 1, "seq": 1, "ts": 1, "sig": {1: 999.0}}),   # speed out of range
    msgpack.packb({"v": 1, "seq": 1, "ts": 1, "sig": {1: 3.0, 40: 50.0}}),  # foreign signal
    msgpack.packb({"v": 2, "seq": 1, "ts": 1, "sig": {1: 3.0}}),     # wrong schema version
])
def test_malformed_frame_is_counted_and_dropped_whole(bus, payload) -> None:
    link, store, vehicle, _ = bus
    vehicle.publish(TOPICS.state("drive"), payload)
    drained = store.drain()
    assert (drained.samples, store.counters().rejected) == ({}, 1)


def test_unknown_frame_topic_is_rejected(bus) -> None:
    link, store, vehicle, _ = bus
    vehicle.publish(TOPICS.state("nonsense"), Codec().encode_state("drive", {SPEED: 1.0}, 1))
    assert store.counters().rejected == 1


def test_command_goes_to_its_topic_with_qos_1(bus) -> None:
    link, store, vehicle, sent = bus
    rid = link.send_command("set_terrain_program", {"program": "SAND"})
    message = sent[-1]
    command = Codec().decode_command("set_terrain_program", message.payload)
    assert (message.topic, message.qos, command.rid, command.args) == (
        TOPICS.command("set_terrain_program"), 1, rid, {"program": "SAND"})


def test_each_command_gets_a_fresh_rid(bus) -> None:
    link, *_ = bus
    first = link.send_command("set_charge_limit", {"percent": 80})
    assert link.send_command("set_charge_limit", {"percent": 80}) != first


def test_results_for_our_requests_become_events(bus) -> None:
    link, store, vehicle, _ = bus
    rid = link.send_command("set_charge_limit", {"percent": 85})
    store.drain()
    result = CommandResult(rid, "set_charge_limit", ResultStatus.COMPLETED, seq=1, ts_us=5)
    vehicle.publish(TOPICS.result, Codec().encode_result(result))
    assert store.drain().events == [ResultReceived(result)]


def test_results_for_other_requests_are_ignored(bus) -> None:
    link, store, vehicle, _ = bus
    result = CommandResult("someone-else", "set_charge_limit", ResultStatus.COMPLETED, seq=1)
    store.drain()
    vehicle.publish(TOPICS.result, Codec().encode_result(result))
    assert store.drain().events == []


def test_command_while_disconnected_fails_at_once() -> None:
    store = SignalStore()
    link = VehicleLink(InProcessTransport(InProcessBroker()), TOPICS, store)
    rid = link.send_command("set_charge_limit", {"percent": 85})
    assert store.drain().events == [CommandFailed(rid, "set_charge_limit", "offline")]


def test_connection_changes_are_events() -> None:
    store = SignalStore()
    link = VehicleLink(InProcessTransport(InProcessBroker()), TOPICS, store)
    link.start()
    link.close()
    assert store.drain().events == [ConnectionChanged(True), ConnectionChanged(False)]
