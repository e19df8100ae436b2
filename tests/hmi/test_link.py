"""The link thread's job: decode, store, drop bad frames whole, send commands, match results.

Runs over the in-process transport (same interface as MQTT) to test the rules quickly;
the GUI tests cover the same path over a real Mosquitto.
"""

from __future__ import annotations

import msgpack
import pytest

from hmi import link as link_module
from hmi.link import VehicleLink
from hmi.store import CommandFailed, ConnectionChanged, ResultReceived, SignalStore
from protocols import Codec, CommandResult, ResultStatus, VehicleTopics
from protocols.auth import development_key
from protocols.bus import InProcessBroker, InProcessTransport
from protocols.seal import Sealer

VEHICLE = "v1"
TOPICS = VehicleTopics(VEHICLE)
SPEED = "Vehicle.Speed"
SEALER = development_key().sealer(VEHICLE)
EPOCH = 42
CODEC = Codec()


def drive(speed: float, seq: int = 1, sealer: Sealer = SEALER, epoch: int = EPOCH) -> bytes:
    return CODEC.encode_state("drive", {SPEED: speed}, seq, epoch=epoch, sealer=sealer)


def result_payload(result: CommandResult) -> bytes:
    return CODEC.encode_result(result, sealer=SEALER)


@pytest.fixture
def bus():
    broker = InProcessBroker()
    store = SignalStore()
    link = VehicleLink(InProcessTransport(broker), TOPICS, store)
    link.start()
    vehicle = InProcessTransport(broker)
    vehicle.start()
    sent = []
    vehicle.add_listener(sent.append)
    vehicle.subscribe(TOPICS.command_filter)
    yield link, store, vehicle, sent
    link.close()


def test_valid_frame_is_stored(bus) -> None:
    link, store, vehicle, _ = bus
    vehicle.publish(TOPICS.state("drive"), drive(3.0))
    assert store.drain().samples[SPEED].value == 3.0


@pytest.mark.parametrize("payload", [
    b"\xc1",                                                     # not msgpack
    msgpack.packb([1, 2, 3]),                                    # not a map
    msgpack.packb({"v": 1, "seq": 1, "ts": 1, "sig": {1: 3.0}}),     # schema version 1
    msgpack.packb({"v": 3, "ep": 1, "seq": 1, "ts": 1, "sig": {1: 3.0}, "x": 1}),  # extra key
    b"",                                                         # empty
])
def test_malformed_frame_is_counted_and_dropped_whole(bus, payload) -> None:
    link, store, vehicle, _ = bus
    vehicle.publish(TOPICS.state("drive"), payload)
    drained = store.drain()
    assert (drained.samples, store.counters().rejected) == ({}, 1)


def test_unknown_frame_topic_is_rejected(bus) -> None:
    link, store, vehicle, _ = bus
    vehicle.publish(TOPICS.state("nonsense"), drive(1.0))
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
    result = CommandResult(rid, "set_charge_limit", ResultStatus.COMPLETED, seq=1, ts_us=5,
                           epoch=EPOCH)
    vehicle.publish(TOPICS.result, result_payload(result))
    assert store.drain().events == [ResultReceived(result)]


def test_results_for_other_requests_are_ignored(bus) -> None:
    link, store, vehicle, _ = bus
    result = CommandResult("someone-else", "set_charge_limit", ResultStatus.COMPLETED, seq=1,
                           epoch=EPOCH)
    store.drain()
    vehicle.publish(TOPICS.result, result_payload(result))
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


# --- authenticity and order -------------------------------------------------------------------
def test_unsigned_and_forged_frames_are_refused_and_counted_as_unauthenticated(bus) -> None:
    link, store, vehicle, _ = bus
    vehicle.publish(TOPICS.state("drive"), drive(20.0))
    store.drain()
    unsigned = msgpack.unpackb(drive(69.0, seq=2), strict_map_key=False)
    del unsigned["mac"]
    vehicle.publish(TOPICS.state("drive"), msgpack.packb(unsigned))
    huge = msgpack.unpackb(drive(0.0, seq=2**63 - 1), strict_map_key=False)
    huge["mac"] = b"\0" * 16
    vehicle.publish(TOPICS.state("drive"), msgpack.packb(huge))
    vehicle.publish(TOPICS.state("drive"), drive(60.0, 3, development_key().sealer("other")))
    vehicle.publish(TOPICS.state("drive"), drive(70.0, 4, Sealer(b"not-our-key-at-all", VEHICLE)))
    counters = store.counters()
    assert (counters.unauthenticated, counters.rejected) == (4, 0)
    assert "MAC" in counters.last_reject_reason
    assert store.drain().samples == {}
    vehicle.publish(TOPICS.state("drive"), drive(21.0, seq=2))  # the real vehicle goes on
    assert store.drain().samples[SPEED].value == 21.0


def test_a_reconnect_does_not_reset_the_order(bus) -> None:
    link, store, vehicle, _ = bus
    vehicle.publish(TOPICS.state("drive"), drive(20.0, seq=10))
    old = drive(48.0, seq=5)
    link.transport.close()
    link.transport.start()
    store.drain()
    vehicle.publish(TOPICS.state("drive"), old)
    assert store.drain().samples == {}
    assert store.counters().out_of_order == 1


def test_link_says_whether_it_is_on_the_development_key(bus) -> None:
    link, *_ = bus
    assert link.sealer.development is True


# --- commands are never lost silently ---------------------------------------------------------
def test_a_result_for_a_command_we_sent_reaches_the_store_however_many_followed(bus) -> None:
    """Today's bug: the 65th command pushed the first out of the table its results are matched
    in, while it was still being sent; the vehicle applied it and the screen said nothing."""
    link, store, vehicle, _ = bus
    rids = [link.send_command("set_charge_limit", {"percent": 80}) for _ in range(100)]
    store.drain()
    result = CommandResult(rids[0], "set_charge_limit", ResultStatus.COMPLETED, ts_us=5,
                           epoch=EPOCH)
    vehicle.publish(TOPICS.result, result_payload(result))
    assert store.drain().events == [ResultReceived(result)]
    assert link.tracked_commands == 99


def test_a_command_that_cannot_be_tracked_is_refused_visibly_as_busy(bus, monkeypatch) -> None:
    link, store, vehicle, sent = bus
    monkeypatch.setattr(link_module, "MAX_TRACKED_COMMANDS", 3)
    for _ in range(3):
        link.send_command("set_charge_limit", {"percent": 80})
    published = len(sent)
    store.drain()
    rid = link.send_command("set_charge_limit", {"percent": 80})
    assert store.drain().events == [CommandFailed(rid, "set_charge_limit", "busy")]
    assert len(sent) == published  # not sent: it could not have been followed to its end
    assert link.tracked_commands == 3
