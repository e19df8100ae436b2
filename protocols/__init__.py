"""The contract between the vehicle and the cabin HMI: signals, topics, messages, codec.

Imports nothing else of this project and no transport; `vehicle_sim` and `hmi` both build on
it. How the messages travel is `protocols.bus`, imported on demand.
"""

from .catalogue import (
    Catalogue,
    CommandSpec,
    DataType,
    FrameSpec,
    SignalSpec,
    Value,
    ValueSpec,
    load_catalogue,
)
from .codec import MAX_PAYLOAD_BYTES, Codec, now_us, unpack
from .errors import CatalogueError, DecodeError, EncodeError, ProtocolError
from .messages import (
    INVALID,
    Command,
    CommandResult,
    FrameValue,
    Invalid,
    ResultStatus,
    StateFrame,
    VehicleStatus,
)
from .topics import (
    DEFAULT_VEHICLE_ID,
    ParsedTopic,
    TopicKind,
    VehicleTopics,
    parse_topic,
    topic_matches,
)

__all__ = [
    "Catalogue", "CommandSpec", "DataType", "FrameSpec", "SignalSpec", "Value", "ValueSpec",
    "load_catalogue", "MAX_PAYLOAD_BYTES", "Codec", "now_us", "unpack", "CatalogueError",
    "DecodeError", "EncodeError", "ProtocolError", "INVALID", "Invalid", "FrameValue", "Command",
    "CommandResult", "ResultStatus", "StateFrame", "VehicleStatus", "DEFAULT_VEHICLE_ID",
    "ParsedTopic", "TopicKind", "VehicleTopics", "parse_topic", "topic_matches",
]
