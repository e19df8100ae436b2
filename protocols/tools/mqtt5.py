"""An MQTT 5 client for the recorder and the player: it sees the retain flag as published.

Why not `MqttTransport` (MQTT 3.1.1)? Under 3.1.1 a broker clears the retain flag on every
message it forwards to a subscriber that is already connected; only the copies sent on subscribe
keep it. A recorder would then store the vehicle's live, retained state frames as not retained
and a replay would leave no retained state behind. MQTT 5's "retain as published" subscription
option keeps the flag, and subscribing at QoS 2 keeps each message's own QoS. For the player it
adds `drain`, so the last QoS 1/2 messages are delivered before it disconnects.
"""

from __future__ import annotations

import logging
import threading
import time

import paho.mqtt.client as mqtt
from paho.mqtt.subscribeoptions import SubscribeOptions

from ..connection import BrokerSettings
from ..transport import Message, Transport, disable_nagle as _disable_nagle

LOG = logging.getLogger(__name__)
MAX_INFLIGHT = 1000


class Mqtt5ToolTransport(Transport):
    """paho-mqtt 2.x, MQTT 5: retain-as-published subscriptions at QoS 2, reconnects, drain."""

    def __init__(self, settings: BrokerSettings, client_id: str = "") -> None:
        super().__init__()
        self.settings = settings
        self._connected = False
        self._closing = False
        self._lock = threading.Lock()
        self._pending: list[mqtt.MQTTMessageInfo] = []
        self._unacked_subscriptions: set[int] = set()
        self._subscribed = threading.Event()
        client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id,
                             protocol=mqtt.MQTTv5)
        client.on_socket_open = _disable_nagle
        client.on_connect = self._handle_connect
        client.on_disconnect = self._handle_disconnect
        client.on_message = self._handle_message
        client.on_subscribe = self._handle_subscribe
        client.reconnect_delay_set(min_delay=1, max_delay=2)
        client.max_inflight_messages_set(MAX_INFLIGHT)
        client.max_queued_messages_set(0)  # unlimited: a replay burst must not be dropped
        if settings.username:
            client.username_pw_set(settings.username, settings.password)
        if settings.tls:
            client.tls_set(ca_certs=settings.ca_file, certfile=settings.cert_file,
                           keyfile=settings.key_file)
        self._client = client

    @property
    def connected(self) -> bool:
        return self._connected

    def start(self) -> None:
        self._client.connect_async(self.settings.host, self.settings.port,
                                   keepalive=self.settings.keepalive_s, clean_start=True)
        self._client.loop_start()
        LOG.info("connecting to %s (MQTT 5)", self.settings.url)

    def close(self, timeout_s: float = 3.0) -> None:
        """Disconnect and stop the network thread, waiting at most `timeout_s` for it.

        A tool told to stop (SIGTERM) must stop: paho's disconnect()/loop_stop() have no timeout
        and a recorder was seen not to exit once, so they run on a helper thread (paho's own
        thread is a daemon and ends with the process).
        """
        self._closing = True

        def disconnect_and_stop() -> None:
            self._client.disconnect()
            self._client.loop_stop()

        stopper = threading.Thread(target=disconnect_and_stop, name="mqtt5-stop", daemon=True)
        stopper.start()
        stopper.join(timeout_s)
        if stopper.is_alive():
            LOG.warning("the MQTT network thread did not stop within %.0f s", timeout_s)
        self._connected = False

    def publish(self, topic: str, payload: bytes, qos: int = 0, retain: bool = False) -> None:
        info = self._client.publish(topic, payload, qos=qos, retain=retain)
        if qos:
            with self._lock:
                self._pending = [p for p in self._pending if not p.is_published()]
                self._pending.append(info)

    def drain(self, timeout_s: float = 5.0) -> bool:
        """Wait until every QoS 1/2 message published so far is acknowledged by the broker."""
        deadline = time.monotonic() + timeout_s
        with self._lock:
            pending = list(self._pending)
        for info in pending:
            while not info.is_published():
                if time.monotonic() >= deadline or not self._connected:
                    return False
                time.sleep(0.005)
        return True

    def wait_subscribed(self, timeout_s: float = 5.0) -> bool:
        """True once the broker has acknowledged every subscription (so nothing is missed)."""
        return self._subscribed.wait(timeout_s)

    def _subscribe(self, topic_filter: str, qos: int) -> None:
        if self._connected:
            self._send_subscribe(self._client, topic_filter)

    def _send_subscribe(self, client: mqtt.Client, topic_filter: str) -> None:
        options = SubscribeOptions(qos=2, retainAsPublished=True)
        with self._lock:
            self._subscribed.clear()
            result, mid = client.subscribe(topic_filter, options=options)
            if result == mqtt.MQTT_ERR_SUCCESS and mid is not None:
                self._unacked_subscriptions.add(mid)

    def _handle_connect(self, client: mqtt.Client, userdata: object, flags: object,
                        reason_code: mqtt.ReasonCode, properties: object) -> None:
        if reason_code.is_failure:
            LOG.warning("broker %s refused the connection: %s", self.settings.url, reason_code)
            return
        self._connected = True
        for topic_filter in self._subscriptions:
            self._send_subscribe(client, topic_filter)
        if not self._subscriptions:
            self._subscribed.set()
        LOG.info("connected to %s", self.settings.url)
        self.on_connection(True)

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
        was_connected, self._connected = self._connected, False
        if was_connected and not self._closing:
            LOG.warning("lost the broker %s: %s", self.settings.url, reason_code)
        if was_connected:
            self.on_connection(False)

    def _handle_message(self, client: mqtt.Client, userdata: object,
                        message: mqtt.MQTTMessage) -> None:
        try:
            topic = message.topic
        except UnicodeDecodeError:
            LOG.debug("dropped a message whose topic is not UTF-8")
            return
        self.on_message(Message(topic, message.payload, message.qos, bool(message.retain)))
