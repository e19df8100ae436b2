"""Tools on the protocol: record the bus to a file, print it decoded, replay it with its timing.

Modelled on python-can's Logger/LogReader/Player: the `RecordWriter` is a Transport listener,
the `RecordReader` iterates `Record`s, and the `Player` publishes them again on time (re-sealed
by a `Restamper` as a new vehicle session, schema v2).
CLIs: `ema-record` (record_cli) and `ema-replay` (replay_cli).
"""

from .mqtt5 import Mqtt5ToolTransport
from .player import PlaybackSummary, Player, percentile, rename_vehicle
from .recording import (MAGIC, MAX_PAYLOAD_BYTES, MAX_TOPIC_BYTES, CorruptRecording, Record,
                        RecordingError, RecordingHeader, RecordReader, RecordWriter, read_records)
from .restamp import Restamper

__all__ = [
    "Mqtt5ToolTransport", "PlaybackSummary", "Player", "percentile", "rename_vehicle", "MAGIC",
    "MAX_PAYLOAD_BYTES", "MAX_TOPIC_BYTES", "CorruptRecording", "Record", "RecordingError",
    "RecordingHeader", "RecordReader", "RecordWriter", "read_records", "Restamper",
]
