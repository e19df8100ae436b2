"""The one MQTT client (paho-mqtt 2.x), for MQTT 3.1.1 and MQTT 5.

Every client gets TCP_NODELAY, a will composed at each connection attempt, TLS, reconnects with
backoff and resubscription, `wait_subscribed` and `drain`. MQTT 3.1.1 is the product's protocol.
MQTT 5 (`protocol=MQTT_5`) is for the recorder and the player: under 3.1.1 a broker clears the
retain flag on every message it forwards to a subscriber that is already connected (only the
copies sent on subscribe keep it), so a recorder would store live retained state frames as not
retained and a replay would leave no retained state behind. MQTT 5's "retain as published"
subscription option, used for every subscription here, keeps the flag; subscribing at QoS 2
keeps each message's own QoS. Not every broker speaks MQTT 5 (the demo's embedded amqtt refuses
it with "Unsupported protocol version"): `refusal` and `wait_connected_or_refused` let a tool see
that at once and choose 3.1.1 instead (hmi.testbench.tool_bus).
"""

from __future__ import annotations

import logging
import socket
import threading
import time
from collections import deque
from typing import Any

import paho.mqtt.client as mqtt
from paho.mqtt.subscribeoptions import SubscribeOptions

from .base import Message, Transport, WillSource, compose_will
from .connection import BrokerSettings

LOG = logging.getLogger(__name__)
MQTT_3_1_1 = mqtt.MQTTv311
MQTT_5 = mqtt.MQTTv5
UNSUPPORTED_PROTOCOL_VERSION = 132  # CONNACK reason code (paho maps 3.1.1's code 1 to it too)
DEFAULT_MAX_QUEUED = 10000
CLOSE_TIMEOUT_S = 3.0
DRAIN_POLL_S = 0.005
PENDING_SCAN = 1024


class MqttTransport(Transport):
    """paho-mqtt 2.x client for MQTT 3.1.1 (default) or 5 (`protocol=MQTT_5`).

    `max_queued=0` queues without limit (a replay burst must not be dropped); `max_inflight`
    raises paho's default of 20 unacknowledged QoS 1/2 messages.
    """

    def __init__(self, settings: BrokerSettings, client_id: str = "",
                 will: WillSource | None = None, min_backoff_s: float = 0.1,
                 max_backoff_s: float = 1.0, *, protocol: int = MQTT_3_1_1,
                 max_queued: int = DEFAULT_MAX_QUEUED, max_inflight: int | None = None) -> None:
        super().__init__()
        if protocol not in (MQTT_3_1_1, MQTT_5):
            raise ValueError(f"MQTT protocol {protocol!r} is neither MQTT_3_1_1 nor MQTT_5")
        self.settings = settings
        self.protocol = protocol
        self._closing = False
        self._lock = threading.Lock()
        self._pending: deque[mqtt.MQTTMessageInfo] = deque()
        self._scan_at = PENDING_SCAN
        self._unacked_subscriptions: set[int] = set()
        self._subscribed = threading.Event()
        self._will_source = will
        self.refusal: mqtt.ReasonCode | None = None  # the broker's answer to the last attempt
        self._client = self._make_client(client_id, min_backoff_s, max_backoff_s)
        self._client.max_queued_messages_set(max_queued)
        if max_inflight is not None:
            self._client.max_inflight_messages_set(max_inflight)

    def _make_client(self, client_id: str, min_backoff_s: float,
                     max_backoff_s: float) -> mqtt.Client:
        if self.protocol == MQTT_5:
            client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                                 protocol=MQTT_5)
        else:
            client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                                 protocol=MQTT_3_1_1, clean_session=True)
        client.on_socket_open = disable_nagle
        client.on_connect = self._handle_connect
        client.on_disconnect = self._handle_disconnect
        client.on_message = self._handle_message
        client.on_subscribe = self._handle_subscribe
        client.on_pre_connect = self._compose_will
        client.reconnect_delay_set(min_delay=min_backoff_s, max_delay=max_backoff_s)  # type: ignore[arg-type]
        settings = self.settings
        if settings.username:
            client.username_pw_set(settings.username, settings.password)
        if settings.tls:
            client.tls_set(ca_certs=settings.ca_file, certfile=settings.cert_file,
                           keyfile=settings.key_file)
        return client

    def _compose_will(self, client: mqtt.Client, userdata: object) -> None:
        """paho calls this before each connection attempt, before it builds the CONNECT."""
        will = compose_will(self._will_source)
        if will is None:
            client.will_clear()
        else:
            client.will_set(will.topic, will.payload, will.qos, will.retain)

    def start(self) -> None:
        if self.protocol == MQTT_5:
            self._client.connect_async(self.settings.host, self.settings.port,
                                       keepalive=self.settings.keepalive_s, clean_start=True)
        else:
            self._client.connect_async(self.settings.host, self.settings.port,
                                       keepalive=self.settings.keepalive_s)
        self._client.loop_start()
        LOG.info("connecting to %s%s", self.settings.url,
                 " (MQTT 5)" if self.protocol == MQTT_5 else "")

    def close(self, timeout_s: float = CLOSE_TIMEOUT_S) -> None:
        """Disconnect and stop the network thread, waiting at most `timeout_s` for it.

        A tool told to stop (SIGTERM) must stop: paho's disconnect()/loop_stop() have no timeout
        and a recorder was seen not to exit once, so they run on a helper thread (paho's own
        thread is a daemon and ends with the process). disconnect() goes first: the other order
        takes about 700 ms.
        """
        self._closing = True

        def disconnect_and_stop() -> None:
            self._client.disconnect()
            self._client.loop_stop()

        stopper = threading.Thread(target=disconnect_and_stop, name="mqtt-stop", daemon=True)
        stopper.start()
        stopper.join(timeout_s)
        if stopper.is_alive():
            LOG.warning("the MQTT network thread did not stop within %.0f s", timeout_s)
        if self._connected:  # paho did not report the disconnect in time
            self._announce(False)

    def publish(self, topic: str, payload: bytes, qos: int = 0, retain: bool = False) -> None:
        info = self._client.publish(topic, payload, qos=qos, retain=retain)
        if qos:
            with self._lock:  # acknowledgements come about in order: forget from the front
                while self._pending and _settled(self._pending[0]):
                    self._pending.popleft()
                self._pending.append(info)
                if len(self._pending) > self._scan_at:  # one stuck at the front holds no more
                    self._pending = deque(p for p in self._pending if not _settled(p))
                    self._scan_at = max(PENDING_SCAN, 2 * len(self._pending))

    def drain(self, timeout_s: float = 5.0) -> bool:
        """Wait until every QoS 1/2 message published so far is acknowledged by the broker
        (those paho could not send at publish count as done: there is nothing to wait on)."""
        deadline = time.monotonic() + timeout_s
        with self._lock:
            pending = list(self._pending)
        for info in pending:
            while not _settled(info):
                if time.monotonic() >= deadline or not self._connected:
                    return False
                time.sleep(DRAIN_POLL_S)
        return True

    def wait_connected_or_refused(self, timeout_s: float | None) -> bool:
        """True once connected; False as soon as the broker refuses an attempt (`refusal` says
        why: a bad login, an MQTT version it does not speak) or when `timeout_s` passes. paho
        goes on retrying either way; a tool that gives up must close()."""
        with self._state:
            self._state.wait_for(lambda: self._connected or self.refusal is not None, timeout_s)
            return self._connected

    @property
    def refused_protocol(self) -> bool:
        """The broker refused the last attempt because it does not speak this MQTT version."""
        return self.refusal is not None and self.refusal.value == UNSUPPORTED_PROTOCOL_VERSION

    def wait_subscribed(self, timeout_s: float = 5.0) -> bool:
        """True once the broker has acknowledged every subscription (so nothing is missed)."""
        return self._subscribed.wait(timeout_s)

    def _subscribe(self, topic_filter: str, qos: int) -> None:
        if self._connected:
            self._send_subscribe(self._client, topic_filter, qos)

    def _send_subscribe(self, client: mqtt.Client, topic_filter: str, qos: int) -> None:
        with self._lock:
            self._subscribed.clear()
            if self.protocol == MQTT_5:
                options = SubscribeOptions(qos=qos, retainAsPublished=True)
                result, mid = client.subscribe(topic_filter, options=options)
            else:
                result, mid = client.subscribe(topic_filter, qos)
            if result == mqtt.MQTT_ERR_SUCCESS and mid is not None:
                self._unacked_subscriptions.add(mid)

    def _handle_connect(self, client: mqtt.Client, userdata: object, flags: object,
                        reason_code: mqtt.ReasonCode, properties: object) -> None:
        if reason_code.is_failure:
            # a broker without MQTT 5 is expected by the tools that ask for it: they fall back
            level = logging.INFO if self.protocol == MQTT_5 and \
                reason_code.value == UNSUPPORTED_PROTOCOL_VERSION else logging.WARNING
            LOG.log(level, "broker %s refused the connection: %s", self.settings.url, reason_code)
            with self._state:
                self.refusal = reason_code
                self._state.notify_all()
            return
        self.refusal = None
        self._connected = True  # so that a subscribe() from another thread is sent now
        with self._lock:  # acknowledgements still due on a lost connection will never come
            self._unacked_subscriptions.clear()
        for topic_filter, qos in list(self._subscriptions.items()):
            self._send_subscribe(client, topic_filter, qos)
        if not self._subscriptions:
            self._subscribed.set()
        LOG.info("connected to %s", self.settings.url)
        self._announce(True)

    def _handle_subscribe(self, client: mqtt.Client, userdata: object, mid: int,
                          reason_codes: list[mqtt.ReasonCode], properties: object) -> None:
        for code in reason_codes:
            if code.is_failure:
                LOG.warning("broker refused a subscription: %s", code)
        with self._lock:
            self._unacked_subscriptions.discard(mid)
            if not self._unacked_subscriptions:
                self._subscribed.set()

    def _handle_disconnect(self, client: mqtt.Client, userdata: object, flags: object,
                           reason_code: mqtt.ReasonCode, properties: object) -> None:
        if not self._connected:
            return
        if not self._closing:
            LOG.warning("lost the broker %s: %s", self.settings.url, reason_code)
        self._announce(False)

    def _handle_message(self, client: mqtt.Client, userdata: object,
                        message: mqtt.MQTTMessage) -> None:
        try:
            topic = message.topic
        except UnicodeDecodeError:
            LOG.debug("dropped a message whose topic is not UTF-8")
            return
        self._deliver(Message(topic, bytes(message.payload), message.qos, bool(message.retain)))


def _settled(info: mqtt.MQTTMessageInfo) -> bool:
    """Acknowledged by the broker, or not sent by paho at publish (while disconnected, or with
    a full queue), which leaves nothing to wait on. paho's is_published() raises for those, and
    that must not reach a publisher: the simulator's thread died of it once."""
    if info.rc not in (mqtt.MQTT_ERR_SUCCESS, mqtt.MQTT_ERR_AGAIN):
        return True
    return info.is_published()


def disable_nagle(client: mqtt.Client, userdata: Any, sock: Any) -> None:
    """Without TCP_NODELAY the first ~40 messages after connect arrive up to 40 ms late."""
    try:
        sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    except (OSError, AttributeError):
        pass
