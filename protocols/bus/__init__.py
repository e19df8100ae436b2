"""The bus: how messages of the contract travel. One transport layer, imported only on demand.

`Transport` (publish, subscribe, listeners), the in-process broker for tests and tools, the
broker settings every CLI shares, and `stop_on_signals` for long-running CLIs. The MQTT client
(3.1.1 and 5) is `protocols.bus.mqtt.MqttTransport`: importing this package does not import
paho, so another bus (CAN, another broker) fits beside it. `import protocols` never imports this.
"""

from .base import (
    ConnectionHandler,
    Listener,
    Message,
    MessageHandler,
    Transport,
    Will,
    WillSource,
    compose_will,
)
from .connection import (
    DEFAULT_BROKER_URL,
    BrokerSettings,
    add_connection_arguments,
    parse_broker_url,
    settings_from_args,
)
from .inprocess import InProcessBroker, InProcessTransport

__all__ = [
    "ConnectionHandler", "Listener", "Message", "MessageHandler", "Transport", "Will",
    "WillSource", "compose_will", "DEFAULT_BROKER_URL", "BrokerSettings",
    "add_connection_arguments", "parse_broker_url", "settings_from_args", "InProcessBroker",
    "InProcessTransport",
]
