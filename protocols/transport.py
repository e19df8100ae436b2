"""A transport moves (topic, payload) messages; the MQTT one and an in-process one.

Like python-can's Bus: a `Transport` interface, a real in-memory implementation for tests
and tools (`InProcessBroker`), and the paho-mqtt implementation behind the same interface.
Callbacks run on the transport's own thread: receivers must only store, never touch a UI.
"""

from __future__ import annotations

import logging
import socket
import threading
from abc import ABC, abstractmethod
from dataclasses import dataclass
from typing import Callable

import paho.mqtt.client as mqtt

from .connection import BrokerSettings
from .topics import topic_matches

LOG = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class Message:
    topic: str
    payload: bytes
    qos: int = 0
    retain: bool = False


@dataclass(frozen=True, slots=True)
class Will:
    topic: str
    payload: bytes
    qos: int = 1
    retain: bool = True


MessageHandler = Callable[[Message], None]
ConnectionHandler = Callable[[bool], None]
# A will composed anew for every connection attempt, so that its seq is above everything the
# publisher sent before that connection and below what it sends on it (protocols.freshness).
WillSource = Will | Callable[[], Will]


def compose_will(source: WillSource | None) -> Will | None:
    return source() if callable(source) else source


class Transport(ABC):
    """Publish, subscribe, and hear about messages and connection changes."""

    def __init__(self) -> None:
        self.on_message: MessageHandler = lambda message: None
        self.on_connection: ConnectionHandler = lambda connected: None
        self._subscriptions: dict[str, int] = {}
        self._will_source: WillSource | None = None

    def set_will(self, source: WillSource | None) -> None:
        """The will for the connections from now on: a Will, or a function that composes one
        at each connection attempt. Takes effect at the next connect."""
        self._will_source = source

    def subscribe(self, topic_filter: str, qos: int = 0) -> None:
        """Subscribe now and again after every reconnect."""
        self._subscriptions[topic_filter] = qos
        self._subscribe(topic_filter, qos)

    @abstractmethod
    def publish(self, topic: str, payload: bytes, qos: int = 0, retain: bool = False) -> None: ...

    @abstractmethod
    def _subscribe(self, topic_filter: str, qos: int) -> None: ...

    @abstractmethod
    def start(self) -> None:
        """Begin connecting; returns at once, `on_connection(True)` follows."""

    @abstractmethod
    def close(self) -> None: ...

    @property
    @abstractmethod
    def connected(self) -> bool: ...

    def wait_connected(self, timeout_s: float = 5.0) -> bool:
        event = threading.Event()
        previous = self.on_connection

        def relay(connected: bool) -> None:
            previous(connected)
            if connected:
                event.set()

        self.on_connection = relay
        try:
            return self.connected or event.wait(timeout_s)
        finally:
            self.on_connection = previous

    def __enter__(self) -> "Transport":
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class InProcessBroker:
    """A tiny broker in memory: retained messages, wildcards, wills. Thread-safe."""

    def __init__(self) -> None:
        self._lock = threading.RLock()
        self._clients: list[InProcessTransport] = []
        self._retained: dict[str, Message] = {}

    def connect(self, client: "InProcessTransport") -> None:
        with self._lock:
            self._clients.append(client)

    def disconnect(self, client: "InProcessTransport", send_will: bool) -> None:
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
        self._connected = False

    def start(self) -> None:
        self.will = compose_will(self._will_source)
        self.broker.connect(self)
        self._connected = True
        self.on_connection(True)
        for topic_filter, qos in list(self._subscriptions.items()):
            self._subscribe(topic_filter, qos)

    def close(self, send_will: bool = False) -> None:
        if self._connected:
            self._connected = False
            self.broker.disconnect(self, send_will)
            self.on_connection(False)

    @property
    def connected(self) -> bool:
        return self._connected

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
        self.on_message(message)


class MqttTransport(Transport):
    """paho-mqtt 2.x client: TCP_NODELAY, will, TLS, reconnect with backoff, resubscribe."""

    def __init__(self, settings: BrokerSettings, client_id: str = "", will: WillSource | None = None,
                 min_backoff_s: float = 0.1, max_backoff_s: float = 1.0) -> None:
        super().__init__()
        self.settings = settings
        self._connected = False
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                             protocol=mqtt.MQTTv311, clean_session=True)
        client.on_socket_open = disable_nagle
        client.on_connect = self._handle_connect
        client.on_disconnect = self._handle_disconnect
        client.on_message = self._handle_message
        client.reconnect_delay_set(min_delay=min_backoff_s, max_delay=max_backoff_s)  # type: ignore[arg-type]
        if settings.username:
            client.username_pw_set(settings.username, settings.password)
        if settings.tls:
            client.tls_set(ca_certs=settings.ca_file, certfile=settings.cert_file,
                           keyfile=settings.key_file)
        self._will_source = will
        client.on_pre_connect = self._compose_will
        client.max_queued_messages_set(10000)
        self._client = client
        self._closing = False

    @property
    def connected(self) -> bool:
        return self._connected

    def _compose_will(self, client: mqtt.Client, userdata: object) -> None:
        """paho calls this before each connection attempt, before it builds the CONNECT."""
        will = compose_will(self._will_source)
        if will is None:
            client.will_clear()
        else:
            client.will_set(will.topic, will.payload, will.qos, will.retain)

    def start(self) -> None:
        self._client.connect_async(self.settings.host, self.settings.port,
                                   keepalive=self.settings.keepalive_s)
        self._client.loop_start()
        LOG.info("connecting to %s", self.settings.url)

    def close(self) -> None:
        self._closing = True
        self._client.disconnect()
        self._client.loop_stop()
        self._connected = False

    def publish(self, topic: str, payload: bytes, qos: int = 0, retain: bool = False) -> None:
        self._client.publish(topic, payload, qos=qos, retain=retain)

    def _subscribe(self, topic_filter: str, qos: int) -> None:
        if self._connected:
            self._client.subscribe(topic_filter, qos)

    def _handle_connect(self, client: mqtt.Client, userdata: object, flags: object,
                        reason_code: mqtt.ReasonCode, properties: object) -> None:
        if reason_code.is_failure:
            LOG.warning("broker %s refused the connection: %s", self.settings.url, reason_code)
            return
        self._connected = True
        for topic_filter, qos in self._subscriptions.items():
            client.subscribe(topic_filter, qos)
        LOG.info("connected to %s", self.settings.url)
        self.on_connection(True)

    def _handle_disconnect(self, client: mqtt.Client, userdata: object, flags: object,
                           reason_code: mqtt.ReasonCode, properties: object) -> None:
        was_connected, self._connected = self._connected, False
        if was_connected and self._closing:
            self.on_connection(False)
        elif was_connected:
            LOG.warning("lost the broker %s: %s", self.settings.url, reason_code)
            self.on_connection(False)

    def _handle_message(self, client: mqtt.Client, userdata: object,
                        message: mqtt.MQTTMessage) -> None:
        try:
            topic = message.topic
        except UnicodeDecodeError:
            LOG.debug("dropped a message whose topic is not UTF-8")
            return
        self.on_message(Message(topic, message.payload, message.qos, bool(message.retain)))


def disable_nagle(client: mqtt.Client, userdata: object, sock: socket.socket) -> None:
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except (OSError, AttributeError):
        pass
