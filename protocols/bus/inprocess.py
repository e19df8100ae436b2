"""A real broker in memory, for tests and tools that need a bus without a network.

Like python-can's virtual bus: the same `Transport` contract as MQTT (retained messages,
wildcards, wills), delivered synchronously on the publisher's thread. No paho needed.
"""

from __future__ import annotations

import threading

from ..topics import topic_matches
from .base import Message, Transport, Will, WillSource, compose_will


class InProcessBroker:
    """A tiny broker in memory: retained messages, wildcards, wills. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._clients: list[InProcessTransport] = []
        self._retained: dict[str, Message] = {}

    def connect(self, client: InProcessTransport) -> None:
        with self._lock:
            self._clients.append(client)

    def disconnect(self, client: InProcessTransport, send_will: bool) -> None:
        with self._lock:
            if client in self._clients:
                self._clients.remove(client)
        if send_will and client.will is not None:
            will = client.will
            self.route(Message(will.topic, will.payload, will.qos, will.retain))

    def route(self, message: Message) -> None:
        with self._lock:
            if message.retain:
                if message.payload:
                    self._retained[message.topic] = message
                else:
                    self._retained.pop(message.topic, None)
            receivers = [c for c in self._clients if c.wants(message.topic)]
        for client in receivers:
            client.deliver(Message(message.topic, message.payload, message.qos, False))

    def retained_for(self, topic_filter: str) -> list[Message]:
        with self._lock:
            return [m for t, m in self._retained.items() if topic_matches(topic_filter, t)]


class InProcessTransport(Transport):
    """A client of an InProcessBroker; delivers on the publisher's thread."""

    def __init__(self, broker: InProcessBroker, will: WillSource | None = None) -> None:
        super().__init__()
        self.broker = broker
        self._will_source = will
        self.will: Will | None = None  # the will of the current connection

    def start(self) -> None:
        self.will = compose_will(self._will_source)
        self.broker.connect(self)
        self._announce(True)
        for topic_filter, qos in list(self._subscriptions.items()):
            self._subscribe(topic_filter, qos)

    def close(self, send_will: bool = False) -> None:
        if self._connected:
            self._connected = False  # publishes from here on go nowhere
            self.broker.disconnect(self, send_will)
            self._announce(False)

    def publish(self, topic: str, payload: bytes, qos: int = 0, retain: bool = False) -> None:
        if self._connected:
            self.broker.route(Message(topic, bytes(payload), qos, retain))

    def _subscribe(self, topic_filter: str, qos: int) -> None:
        if self._connected:
            for message in self.broker.retained_for(topic_filter):
                self.deliver(message)

    def wants(self, topic: str) -> bool:
        return any(topic_matches(f, topic) for f in self._subscriptions)

    def deliver(self, message: Message) -> None:
        self._deliver(message)
