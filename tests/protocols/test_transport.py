"""One transport contract, run against every implementation (python-can's back2back style):
the in-process broker, MQTT 3.1.1 and MQTT 5 against a real Mosquitto."""

from __future__ import annotations

import queue
import threading
import time
from collections.abc import Callable, Iterator

import pytest

from protocols.bus import (
    InProcessBroker,
    InProcessTransport,
    Message,
    Transport,
    Will,
    parse_broker_url,
)
from protocols.bus.mqtt import MQTT_3_1_1, MQTT_5, MqttTransport

IMPLEMENTATIONS = ["in-process", "mqtt-3.1.1", "mqtt-5"]
PROTOCOLS = {"mqtt-3.1.1": MQTT_3_1_1, "mqtt-5": MQTT_5}


class Client:
    """A transport plus a queue of what it received."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.received: queue.Queue[Message] = queue.Queue()
        transport.add_listener(self.received.put)

    def next(self, timeout_s: float = 3.0) -> Message:
        return self.received.get(timeout=timeout_s)

    def nothing_within(self, timeout_s: float = 0.3) -> bool:
        try:
            self.received.get(timeout=timeout_s)
        except queue.Empty:
            return True
        return False


Factory = Callable[..., Client]


@pytest.fixture(params=IMPLEMENTATIONS)
def make_client(request: pytest.FixtureRequest) -> Iterator[Factory]:
    made: list[Transport] = []
    if request.param == "in-process":
        broker = InProcessBroker()

        def factory(will: Will | None = None) -> Client:
            transport: Transport = InProcessTransport(broker, will)
            made.append(transport)
            return Client(transport)
    else:
        url = parse_broker_url(request.getfixturevalue("mosquitto").url)
        protocol = PROTOCOLS[request.param]

        def factory(will: Will | None = None) -> Client:
            transport: Transport = MqttTransport(url, will=will, protocol=protocol)
            made.append(transport)
            return Client(transport)
    yield factory
    for transport in made:
        transport.close()


def started(client: Client) -> Client:
    client.transport.start()
    assert client.transport.wait_connected(5)
    return client


def settled(client: Client) -> None:
    """Wait until the broker has taken the client's subscriptions (nothing to wait for in
    process: the in-process broker subscribes synchronously)."""
    transport = client.transport
    if isinstance(transport, MqttTransport):
        assert transport.wait_subscribed(5)


def test_publish_reaches_subscriber(make_client: Factory, vehicle_id: str) -> None:
    subscriber, publisher = make_client(), started(make_client())
    subscriber.transport.subscribe(f"ema/v1/{vehicle_id}/state/+")
    started(subscriber)
    settled(subscriber)
    publisher.transport.publish(f"ema/v1/{vehicle_id}/state/drive", b"\x01")
    message = subscriber.next()
    assert (message.topic, message.payload) == (f"ema/v1/{vehicle_id}/state/drive", b"\x01")


def test_late_joiner_gets_retained(make_client: Factory, vehicle_id: str) -> None:
    publisher = started(make_client())
    publisher.transport.publish(f"ema/v1/{vehicle_id}/status", b"\x02", qos=1, retain=True)
    if isinstance(publisher.transport, MqttTransport):
        assert publisher.transport.drain(5)  # the broker holds it before the late one joins
    late = make_client()
    late.transport.subscribe(f"ema/v1/{vehicle_id}/#")
    started(late)
    message = late.next()
    assert (message.payload, message.retain) == (b"\x02", True)


def test_unsubscribed_topics_stay_away(make_client: Factory, vehicle_id: str) -> None:
    subscriber = make_client()
    subscriber.transport.subscribe(f"ema/v1/{vehicle_id}/state/drive")
    started(subscriber)
    settled(subscriber)
    publisher = started(make_client())
    publisher.transport.publish(f"ema/v1/{vehicle_id}/state/body", b"\x03")
    publisher.transport.publish(f"ema/v1/{vehicle_id}/state/drive", b"\x04")
    assert subscriber.next().payload == b"\x04"


def test_every_listener_hears_every_message(make_client: Factory, vehicle_id: str) -> None:
    """Fan-out: a second listener does not replace the first (python-can's Notifier)."""
    subscriber = make_client()
    second: queue.Queue[Message] = queue.Queue()
    subscriber.transport.add_listener(second.put)
    subscriber.transport.subscribe(f"ema/v1/{vehicle_id}/result")
    started(subscriber)
    settled(subscriber)
    publisher = started(make_client())
    publisher.transport.publish(f"ema/v1/{vehicle_id}/result", b"\x06", qos=1)
    assert subscriber.next().payload == b"\x06"
    assert second.get(timeout=3).payload == b"\x06"


def test_a_removed_listener_hears_nothing_more(make_client: Factory, vehicle_id: str) -> None:
    subscriber = make_client()
    subscriber.transport.subscribe(f"ema/v1/{vehicle_id}/result")
    started(subscriber)
    settled(subscriber)
    subscriber.transport.remove_listener(subscriber.received.put)
    witness: queue.Queue[Message] = queue.Queue()
    subscriber.transport.add_listener(witness.put)
    publisher = started(make_client())
    publisher.transport.publish(f"ema/v1/{vehicle_id}/result", b"\x07", qos=1)
    assert witness.get(timeout=3).payload == b"\x07"  # it arrived, and only the witness had it
    assert subscriber.received.empty()


def test_a_listener_with_filters_hears_only_its_topics(make_client: Factory,
                                                       vehicle_id: str) -> None:
    subscriber = make_client()
    results: queue.Queue[Message] = queue.Queue()
    subscriber.transport.add_listener(results.put, f"ema/v1/{vehicle_id}/result",
                                      f"ema/v1/{vehicle_id}/hmi/+")
    subscriber.transport.subscribe(f"ema/v1/{vehicle_id}/#")
    started(subscriber)
    settled(subscriber)
    publisher = started(make_client())
    for topic in ("state/drive", "result", "hmi/request"):
        publisher.transport.publish(f"ema/v1/{vehicle_id}/{topic}", topic.encode(), qos=1)
    assert [subscriber.next().payload for _ in range(3)] == [b"state/drive", b"result",
                                                             b"hmi/request"]
    assert [results.get(timeout=3).payload for _ in range(2)] == [b"result", b"hmi/request"]
    assert results.empty()


def test_a_failing_listener_does_not_silence_the_others(make_client: Factory,
                                                        vehicle_id: str) -> None:
    subscriber = make_client()

    def broken(message: Message) -> None:
        raise RuntimeError("a listener with a bug")

    subscriber.transport.add_listener(broken)
    witness: queue.Queue[Message] = queue.Queue()
    subscriber.transport.add_listener(witness.put)
    subscriber.transport.subscribe(f"ema/v1/{vehicle_id}/result")
    started(subscriber)
    settled(subscriber)
    publisher = started(make_client())
    for payload in (b"\x08", b"\x09"):  # the transport survives the first failure
        publisher.transport.publish(f"ema/v1/{vehicle_id}/result", payload, qos=1)
    assert [subscriber.next().payload for _ in range(2)] == [b"\x08", b"\x09"]
    assert [witness.get(timeout=3).payload for _ in range(2)] == [b"\x08", b"\x09"]


def test_an_object_with_on_message_is_a_listener(make_client: Factory, vehicle_id: str) -> None:
    class Keeper:
        def __init__(self) -> None:
            self.messages: queue.Queue[Message] = queue.Queue()

        def on_message(self, message: Message) -> None:
            self.messages.put(message)

    keeper = Keeper()
    subscriber = make_client()
    subscriber.transport.add_listener(keeper)
    subscriber.transport.subscribe(f"ema/v1/{vehicle_id}/result")
    started(subscriber)
    settled(subscriber)
    started(make_client()).transport.publish(f"ema/v1/{vehicle_id}/result", b"\x0a", qos=1)
    assert keeper.messages.get(timeout=3).payload == b"\x0a"
    subscriber.transport.remove_listener(keeper)
    started(make_client()).transport.publish(f"ema/v1/{vehicle_id}/result", b"\x0b", qos=1)
    assert subscriber.next().payload == b"\x0a"
    assert subscriber.next().payload == b"\x0b"
    assert keeper.messages.empty()


def test_connection_listeners_hear_connect_and_close(make_client: Factory) -> None:
    client = make_client()
    first: queue.Queue[bool] = queue.Queue()
    second: queue.Queue[bool] = queue.Queue()
    client.transport.add_connection_listener(first.put)
    client.transport.add_connection_listener(second.put)
    started(client)
    assert (first.get(timeout=3), second.get(timeout=3)) == (True, True)
    client.transport.remove_connection_listener(second.put)
    client.transport.close()
    assert first.get(timeout=3) is False
    assert second.empty()
    assert not client.transport.connected


def test_wait_connected_leaves_the_connection_listeners_alone(make_client: Factory) -> None:
    """It waits on the transport's own condition: a listener added while someone waits (and
    one that was there before) still hears the connect."""
    client = make_client()
    heard: queue.Queue[bool] = queue.Queue()
    client.transport.add_connection_listener(heard.put)
    assert not client.transport.wait_connected(0.05)  # not started: times out
    waiting = threading.Thread(target=client.transport.wait_connected, args=(5,))
    waiting.start()
    late: queue.Queue[bool] = queue.Queue()
    client.transport.add_connection_listener(late.put)
    client.transport.start()
    waiting.join(5)
    assert not waiting.is_alive()
    assert (heard.get(timeout=3), late.get(timeout=3)) == (True, True)
    assert client.transport.wait_connected(0)  # already connected: at once


def test_a_will_reaches_others_when_the_client_dies(make_client: Factory,
                                                    vehicle_id: str) -> None:
    topic = f"ema/v1/{vehicle_id}/status"
    watcher = make_client()
    watcher.transport.subscribe(topic)
    started(watcher)
    settled(watcher)
    dying = started(make_client(Will(topic, b"offline", qos=1, retain=True)))
    kill(dying.transport)
    message = watcher.next(5)
    assert message.payload == b"offline"
    assert watcher.nothing_within(0.2)  # once


def test_a_clean_close_sends_no_will(make_client: Factory, vehicle_id: str) -> None:
    topic = f"ema/v1/{vehicle_id}/status"
    watcher = make_client()
    watcher.transport.subscribe(topic)
    started(watcher)
    settled(watcher)
    leaving = started(make_client(Will(topic, b"offline", qos=1, retain=True)))
    leaving.transport.close()
    assert watcher.nothing_within(0.5)


def kill(transport: Transport) -> None:
    """End a client's connection as a crash would: no DISCONNECT, so the broker sends its will."""
    if isinstance(transport, InProcessTransport):
        transport.close(send_will=True)
        return
    assert isinstance(transport, MqttTransport)
    sock = transport._client.socket()
    transport._client.loop_stop()  # no reconnect, no DISCONNECT packet
    assert sock is not None
    sock.close()


def test_mqtt5_keeps_the_retain_flag_of_live_messages(mosquitto, vehicle_id: str) -> None:
    """Why the recorder uses MQTT 5: under 3.1.1 a live retained message arrives unretained."""
    url, topic = parse_broker_url(mosquitto.url), f"ema/v1/{vehicle_id}/status"
    flags: dict[int, bool] = {}
    made: list[MqttTransport] = []
    try:
        for protocol in (MQTT_3_1_1, MQTT_5):
            subscriber = Client(MqttTransport(url, protocol=protocol))
            made.append(subscriber.transport)
            subscriber.transport.subscribe(topic, qos=1)
            started(subscriber)
            settled(subscriber)
            publisher = MqttTransport(url)
            made.append(publisher)
            publisher.start()
            assert publisher.wait_connected(5)
            publisher.publish(topic, b"\x0c", qos=1, retain=True)
            message = subscriber.next()
            flags[protocol] = message.retain
            publisher.publish(topic, b"", qos=1, retain=True)  # clear it for the next round
            assert publisher.drain(5)
            assert subscriber.next().payload == b""
    finally:
        for transport in made:
            transport.close()
    assert flags == {MQTT_3_1_1: False, MQTT_5: True}


def test_drain_waits_for_the_acknowledgements(mosquitto, vehicle_id: str) -> None:
    transport = MqttTransport(parse_broker_url(mosquitto.url), protocol=MQTT_5)
    transport.start()
    try:
        assert transport.wait_connected(5)
        for index in range(50):
            transport.publish(f"ema/v1/{vehicle_id}/sim/x", bytes([index]), qos=1)
        assert transport.drain(5)
        assert all(info.is_published() for info in transport._pending)
    finally:
        transport.close()


def test_publishing_while_disconnected_never_raises() -> None:
    """paho's is_published() raises for a QoS 1 message it could not send; the simulator's
    thread publishes results while the broker is away and died of it once."""
    transport = MqttTransport(parse_broker_url("mqtt://127.0.0.1:9"), protocol=MQTT_3_1_1)
    for index in range(3):
        transport.publish("ema/v1/x/result", bytes([index]), qos=1)
    assert transport.drain(0.1)  # nothing paho could not send is waited for


def test_an_unknown_protocol_is_refused() -> None:
    with pytest.raises(ValueError, match="neither"):
        MqttTransport(parse_broker_url("mqtt://localhost:1"), protocol=3)


def test_reconnects_and_resubscribes_after_broker_restart(private_mosquitto,
                                                          vehicle_id: str) -> None:
    url = parse_broker_url(private_mosquitto.url)
    for protocol in (MQTT_3_1_1, MQTT_5):
        subscriber = Client(MqttTransport(url, min_backoff_s=0.1, max_backoff_s=0.5,
                                          protocol=protocol))
        subscriber.transport.subscribe(f"ema/v1/{vehicle_id}/#")
        started(subscriber)
        lost: queue.Queue[bool] = queue.Queue()
        subscriber.transport.add_connection_listener(lost.put)
        private_mosquitto.restart()
        assert lost.get(timeout=5) is False
        assert lost.get(timeout=5) is True
        assert subscriber.transport.wait_connected(5)
        settled(subscriber)
        publisher = started(Client(MqttTransport(url, protocol=protocol)))
        publisher.transport.publish(f"ema/v1/{vehicle_id}/result", b"\x05", qos=1)
        assert subscriber.next().payload == b"\x05"
        subscriber.transport.close()
        publisher.transport.close()


def test_close_returns_even_if_never_connected() -> None:
    transport = MqttTransport(parse_broker_url("mqtt://127.0.0.1:9"), min_backoff_s=0.1,
                              max_backoff_s=0.1)
    transport.start()
    began = time.monotonic()
    transport.close(timeout_s=2)
    assert time.monotonic() - began < 3
    assert not transport.connected
