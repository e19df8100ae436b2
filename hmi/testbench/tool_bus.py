"""The MQTT client the recorder, the player and their tests use: MQTT 5, nothing dropped.

MQTT 5 so that every subscription keeps the retain flag as published (see protocols.bus.mqtt);
an unlimited queue and 1000 messages in flight so that a replay burst is neither dropped nor
throttled; a slower reconnect (1-2 s) than the product's, since a tool has no display to keep live.
"""

from __future__ import annotations

from protocols.bus import BrokerSettings
from protocols.bus.mqtt import MQTT_5, MqttTransport

MAX_INFLIGHT = 1000


def tool_transport(settings: BrokerSettings, client_id: str = "") -> MqttTransport:
    """An MQTT 5 transport for recording and replaying (subscribe at QoS 2 to keep QoS too)."""
    return MqttTransport(settings, client_id, min_backoff_s=1, max_backoff_s=2, protocol=MQTT_5,
                         max_queued=0, max_inflight=MAX_INFLIGHT)
