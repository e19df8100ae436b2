"""The test engineer's bench: tools that drive and watch the HMI over the bus, not product code.

`ema-inject` (inject*, scripted vehicle states and commands), `ema-record` / `ema-replay`
(recording, player, restamp, describe; modelled on python-can's Logger/LogReader/Player), the
pytest plugin (`pytest_plugins = ["hmi.testbench.pytest_plugin"]`: broker, headless HMI, injector)
and the Mosquitto launcher. It lives in `hmi` because it starts and inspects the HMI.
"""

from .player import PlaybackSummary, Player, percentile, rename_vehicle
from .recording import (
    MAGIC,
    MAX_PAYLOAD_BYTES,
    MAX_TOPIC_BYTES,
    CorruptRecording,
    Record,
    RecordingError,
    RecordingHeader,
    RecordReader,
    RecordWriter,
    read_records,
)
from .restamp import Restamper
from .tool_bus import tool_transport

__all__ = [
    "PlaybackSummary", "Player", "percentile", "rename_vehicle", "MAGIC",
    "MAX_PAYLOAD_BYTES", "MAX_TOPIC_BYTES", "CorruptRecording", "Record", "RecordingError",
    "RecordingHeader", "RecordReader", "RecordWriter", "read_records", "Restamper",
    "tool_transport",
]
