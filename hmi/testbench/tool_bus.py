"""The MQTT client the recorder, the player and their tests use: MQTT 5 where the broker has it.

MQTT 5 so that every subscription keeps the retain flag as published (see protocols.bus.mqtt);
an unlimited queue and 1000 messages in flight so that a replay burst is neither dropped nor
throttled; a slower reconnect (1-2 s) than the product's, since a tool has no display to keep live.

`connect_tool_transport` falls back to MQTT 3.1.1 when the broker refuses 5 (the demo's embedded
amqtt speaks only 3.1.1). Publishing loses nothing under 3.1.1 (a broker stores and forwards the
retain flag it is given), so the player does not care; a recorder under 3.1.1 sees the retain flag
only on the copies a broker sends on subscribe, and says so. Every wait here ends at a deadline:
a tool told to run 2 s must not spend 20 reaching a broker.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable

from protocols.bus import BrokerSettings
from protocols.bus.mqtt import MQTT_3_1_1, MQTT_5, MqttTransport

MAX_INFLIGHT = 1000
PROTOCOL_NAMES: dict[int, str] = {MQTT_5: "5", MQTT_3_1_1: "3.1.1"}
TICK_S = 0.1


class BrokerUnreachable(ConnectionError):
    """No connection by the deadline, or the broker refused one: the message says which."""


def tool_transport(settings: BrokerSettings, client_id: str = "",
                   protocol: int = MQTT_5) -> MqttTransport:
    """A transport for recording and replaying (subscribe at QoS 2 to keep QoS too)."""
    return MqttTransport(settings, client_id, min_backoff_s=1, max_backoff_s=2, protocol=protocol,
                         max_queued=0, max_inflight=MAX_INFLIGHT)


def connect_tool_transport(settings: BrokerSettings, deadline: float | None = None,
                           stopped: Callable[[], bool] = lambda: False,
                           on_slow: Callable[[], None] | None = None,
                           slow_after_s: float = 5.0) -> MqttTransport | None:
    """A connected tool transport: MQTT 5, else 3.1.1 if the broker refuses 5.

    `deadline` (time.monotonic) bounds the whole attempt; None waits until `stopped()`. Returns
    None if stopped first; raises BrokerUnreachable at the deadline or on any other refusal (a
    login the broker denies will not start working by retrying). `on_slow` is called once if no
    answer came within `slow_after_s`.
    """
    slow_at = time.monotonic() + slow_after_s
    for protocol in (MQTT_5, MQTT_3_1_1):
        transport = tool_transport(settings, protocol=protocol)
        transport.start()
        while True:
            now = time.monotonic()
            step = TICK_S if deadline is None else max(0.0, min(TICK_S, deadline - now))
            if transport.wait_connected_or_refused(step):
                return transport
            if transport.refusal is not None or stopped() or \
                    (deadline is not None and time.monotonic() >= deadline):
                break
            if on_slow is not None and time.monotonic() >= slow_at:
                on_slow()
                on_slow = None
        _close_in_background(transport)
        if stopped():
            return None
        if not transport.refused_protocol:
            break
    if transport.refused_protocol:
        raise BrokerUnreachable(f"the broker at {settings.url} speaks neither MQTT 5 nor 3.1.1")
    if transport.refusal is not None:
        raise BrokerUnreachable(f"the broker at {settings.url} refused the connection: "
                                f"{transport.refusal}")
    raise BrokerUnreachable(f"could not reach the broker at {settings.url} in time")


def _close_in_background(transport: MqttTransport) -> None:
    """Close a transport given up on without holding the caller to its deadline: paho's
    reconnect wait sleeps in steps of 1 s before its thread sees the stop."""
    threading.Thread(target=transport.close, name="mqtt-abandon", daemon=True).start()
