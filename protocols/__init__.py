"""The contract between the vehicle and the cabin HMI: signals, topics, messages, codec.

Imports nothing else of this project; `vehicle_sim` and `hmi` both build on it.
"""

from .catalogue import (Catalogue, CommandSpec, DataType, FrameSpec, SignalSpec, Value, ValueSpec,
                        load_catalogue)
from .codec import MAX_PAYLOAD_BYTES, Codec, now_us, unpack
from .connection import (DEFAULT_BROKER_URL, BrokerSettings, add_connection_arguments,
                         parse_broker_url, settings_from_args)
from .errors import CatalogueError, DecodeError, EncodeError, ProtocolError
from .messages import Command, CommandResult, ResultStatus, StateFrame, VehicleStatus
from .topics import (DEFAULT_VEHICLE_ID, ParsedTopic, TopicKind, VehicleTopics, parse_topic,
                     topic_matches)
from .transport import (InProcessBroker, InProcessTransport, Message, MqttTransport, Transport,
                        Will)

__all__ = [
    "Catalogue", "CommandSpec", "DataType", "FrameSpec", "SignalSpec", "Value", "ValueSpec",
    "load_catalogue", "MAX_PAYLOAD_BYTES", "Codec", "now_us", "unpack", "DEFAULT_BROKER_URL",
    "BrokerSettings", "add_connection_arguments", "parse_broker_url", "settings_from_args",
    "CatalogueError", "DecodeError", "EncodeError", "ProtocolError", "Command", "CommandResult",
    "ResultStatus", "StateFrame", "VehicleStatus", "DEFAULT_VEHICLE_ID", "ParsedTopic",
    "TopicKind", "VehicleTopics", "parse_topic", "topic_matches", "InProcessBroker",
    "InProcessTransport", "Message", "MqttTransport", "Transport", "Will",
]
