"""One contract, run against the in-process broker and a real Mosquitto (python-can style)."""

from __future__ import annotations

import queue
import time

import pytest

from protocols import InProcessBroker, InProcessTransport, MqttTransport, Will, parse_broker_url
from protocols.transport import Message, Transport


class Client:
    """A transport plus a queue of what it received."""

    def __init__(self, transport: Transport) -> None:
        self.transport = transport
        self.received: queue.Queue[Message] = queue.Queue()
        transport.on_message = self.received.put

    def next(self, timeout_s: float = 3.0) -> Message:
        return self.received.get(timeout=timeout_s)


@pytest.fixture(params=["in-process", "mosquitto"])
def make_client(request, tmp_path):
    made: list[Transport] = []
    if request.param == "in-process":
        broker = InProcessBroker()

        def factory(will: Will | None = None) -> Client:
            transport = InProcessTransport(broker, will)
            made.append(transport)
            return Client(transport)
    else:
        broker = request.getfixturevalue("mosquitto")

        def factory(will: Will | None = None) -> Client:
            transport = MqttTransport(parse_broker_url(broker.url), will=will)
            made.append(transport)
            return Client(transport)
    yield factory
    for transport in made:
        transport.close()


def started(client: Client) -> Client:
    client.transport.start()
    assert client.transport.wait_connected(5)
    return client


def test_publish_reaches_subscriber(make_client, vehicle_id) -> None:
    subscriber, publisher = make_client(), started(make_client())
    subscriber.transport.subscribe(f"ema/v1/{vehicle_id}/state/+")
    started(subscriber)
    time.sleep(0.1)
    publisher.transport.publish(f"ema/v1/{vehicle_id}/state/drive", b"\x01")
    message = subscriber.next()
    assert (message.topic, message.payload) == (f"ema/v1/{vehicle_id}/state/drive", b"\x01")


def test_late_joiner_gets_retained(make_client, vehicle_id) -> None:
    publisher = started(make_client())
    publisher.transport.publish(f"ema/v1/{vehicle_id}/status", b"\x02", qos=1, retain=True)
    time.sleep(0.1)
    late = make_client()
    late.transport.subscribe(f"ema/v1/{vehicle_id}/#")
    started(late)
    message = late.next()
    assert (message.payload, message.retain) == (b"\x02", True)


def test_unsubscribed_topics_stay_away(make_client, vehicle_id) -> None:
    subscriber = make_client()
    subscriber.transport.subscribe(f"ema/v1/{vehicle_id}/state/drive")
    started(subscriber)
    publisher = started(make_client())
    time.sleep(0.1)
    publisher.transport.publish(f"ema/v1/{vehicle_id}/state/body", b"\x03")
    publisher.transport.publish(f"ema/v1/{vehicle_id}/state/drive", b"\x04")
    assert subscriber.next().payload == b"\x04"


def test_reconnects_and_resubscribes_after_broker_restart(private_mosquitto, vehicle_id) -> None:
    url = parse_broker_url(private_mosquitto.url)
    subscriber = Client(MqttTransport(url, min_backoff_s=0.1, max_backoff_s=0.5))
    subscriber.transport.subscribe(f"ema/v1/{vehicle_id}/#")
    started(subscriber)
    private_mosquitto.restart()
    assert subscriber.transport.wait_connected(5)
    publisher = started(Client(MqttTransport(url)))
    publisher.transport.publish(f"ema/v1/{vehicle_id}/result", b"\x05", qos=1)
    assert subscriber.next().payload == b"\x05"
    subscriber.transport.close()
    publisher.transport.close()
