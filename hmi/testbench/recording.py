"""The recording file: what crossed the bus, with when, in a compact binary that survives a crash.

Layout (all integers big-endian)::

    b"EMAREC1\\n"                                   magic, also says "format version 1"
    uint32 header length, msgpack map              {"version", "start_us", "vehicle", "filters",
                                                    "mqtt"}
    records, back to back:
        uint64 t_offset_us   microseconds since the recording started (monotonic clock)
        uint8  flags         bit 0 retain, bits 1-2 QoS; the other bits are zero
        uint16 topic length  1 .. MAX_TOPIC_BYTES
        uint32 payload length 0 .. MAX_PAYLOAD_BYTES
        topic (UTF-8), payload

Why this shape: every record states its lengths before its bytes, so a reader of a file cut off
mid-write (a killed recorder, a full disk) stops cleanly at the last whole record and says where;
the lengths are bounded before anything is read, so a corrupt file cannot make a reader allocate
gigabytes; and the writer flushes every FLUSH_INTERVAL_S, so a killed recorder loses at most that
much. Like python-can's Logger, the writer is also a listener: `transport.add_listener(writer)`.
"""

from __future__ import annotations

import logging
import struct
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, BinaryIO

import msgpack

from protocols.bus import Message
from protocols.errors import ProtocolError

LOG = logging.getLogger(__name__)

MAGIC = b"EMAREC1\n"
FORMAT_VERSION = 1
HEADER_LENGTH = struct.Struct(">I")
RECORD_HEAD = struct.Struct(">QBHI")
MAX_HEADER_BYTES = 4096
MAX_TOPIC_BYTES = 128
MAX_PAYLOAD_BYTES = 64 * 1024
RETAIN_FLAG = 0x01
QOS_SHIFT = 1
QOS_MASK = 0x06
KNOWN_FLAGS = RETAIN_FLAG | QOS_MASK
FLUSH_INTERVAL_S = 0.5
FLUSH_EVERY_RECORDS = 256


class RecordingError(ProtocolError):
    """A file is not a recording, or not one this reader can trust."""


class CorruptRecording(RecordingError):
    """A record makes no sense (absurd length, unknown flags, time running backwards).

    Raised after every record before it has been yielded: a reader still gets the good part.
    """

    def __init__(self, offset: int, reason: str) -> None:
        super().__init__(f"corrupt record at byte {offset}: {reason}")
        self.offset = offset
        self.reason = reason


@dataclass(frozen=True, slots=True)
class RecordingHeader:
    """What the recorder knew when it started: enough to label a file found months later."""

    version: int = FORMAT_VERSION
    start_us: int = 0
    vehicle: str | None = None
    filters: tuple[str, ...] = ()
    # The MQTT version it recorded over ("5", "3.1.1"; None: not said, older files). Under 3.1.1
    # a broker clears the retain flag of live messages, so only "5" has them as published.
    mqtt: str | None = None

    def to_map(self) -> dict[str, Any]:
        return {"version": self.version, "start_us": self.start_us, "vehicle": self.vehicle,
                "filters": list(self.filters), "mqtt": self.mqtt}

    @classmethod
    def from_map(cls, data: Any) -> RecordingHeader:
        if not isinstance(data, dict):
            raise RecordingError("recording header is not a map")
        version, start_us = data.get("version"), data.get("start_us", 0)
        vehicle, filters = data.get("vehicle"), data.get("filters", [])
        mqtt = data.get("mqtt")
        if version != FORMAT_VERSION:
            raise RecordingError(f"recording format version {version!r} is not {FORMAT_VERSION}")
        if isinstance(start_us, bool) or not isinstance(start_us, int) or start_us < 0:
            raise RecordingError("recording header has no valid start time")
        if vehicle is not None and not isinstance(vehicle, str):
            raise RecordingError("recording header vehicle is not a string")
        if not isinstance(filters, (list, tuple)) or not all(isinstance(f, str) for f in filters):
            raise RecordingError("recording header filters are not a list of strings")
        if mqtt is not None and not isinstance(mqtt, str):
            raise RecordingError("recording header mqtt is not a string")
        return cls(version, start_us, vehicle, tuple(filters), mqtt)


@dataclass(frozen=True, slots=True)
class Record:
    """One message as it arrived, `t_offset_us` after the recording started."""

    t_offset_us: int
    topic: str
    payload: bytes
    qos: int = 0
    retain: bool = False

    @property
    def t_offset_s(self) -> float:
        return self.t_offset_us / 1e6

    def to_message(self, topic: str | None = None) -> Message:
        return Message(topic or self.topic, self.payload, self.qos, self.retain)


def encode_record(record: Record) -> bytes:
    """One record's bytes; raises ValueError for what no reader would accept back."""
    topic = record.topic.encode("utf-8")
    if not 0 < len(topic) <= MAX_TOPIC_BYTES:
        raise ValueError(f"topic of {len(topic)} bytes is outside 1..{MAX_TOPIC_BYTES}")
    if len(record.payload) > MAX_PAYLOAD_BYTES:
        raise ValueError(f"payload of {len(record.payload)} bytes exceeds {MAX_PAYLOAD_BYTES}")
    if record.qos not in (0, 1, 2):
        raise ValueError(f"QoS {record.qos!r} is not 0, 1 or 2")
    if record.t_offset_us < 0:
        raise ValueError("time offset is negative")
    flags = (RETAIN_FLAG if record.retain else 0) | (record.qos << QOS_SHIFT)
    head = RECORD_HEAD.pack(record.t_offset_us, flags, len(topic), len(record.payload))
    return b"".join((head, topic, bytes(record.payload)))


@dataclass
class RecordWriter:
    """Writes a recording; also a Transport listener (`transport.add_listener(writer)`).

    Thread-safe: the transport calls `on_message` on its own thread while a CLI's main thread
    calls `flush_if_due` and `close`. Times come from `clock` (monotonic), so a wall-clock jump
    during a recording cannot reorder it.
    """

    target: str | Path | BinaryIO
    vehicle: str | None = None
    filters: tuple[str, ...] = ()
    flush_interval_s: float = FLUSH_INTERVAL_S
    flush_every_records: int = FLUSH_EVERY_RECORDS
    clock: Callable[[], float] = time.monotonic
    mqtt: str | None = None  # the MQTT version recorded over, for the header
    records_written: int = field(default=0, init=False)
    records_skipped: int = field(default=0, init=False)

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self._owns_file = isinstance(self.target, (str, Path))
        self._file: BinaryIO = (open(self.target, "wb") if isinstance(self.target, (str, Path))
                                else self.target)
        self._start_s = self.clock()
        self._last_offset_us = 0
        self._unflushed = 0
        self._last_flush_s = self._start_s
        self.header = RecordingHeader(FORMAT_VERSION, time.time_ns() // 1000, self.vehicle,
                                      tuple(self.filters), self.mqtt)
        packed = msgpack.packb(self.header.to_map(), use_bin_type=True)
        self._file.write(MAGIC + HEADER_LENGTH.pack(len(packed)) + packed)
        self._file.flush()
        self._closed = False

    def on_message(self, message: Message) -> None:
        """The listener: record `message` now."""
        self.write(message)

    __call__ = on_message

    def write(self, message: Message, t_offset_us: int | None = None) -> bool:
        """Append one message; False (and a warning) if the format cannot hold it."""
        with self._lock:
            if self._closed:
                return False
            offset = (round((self.clock() - self._start_s) * 1e6) if t_offset_us is None
                      else t_offset_us)
            offset = max(offset, self._last_offset_us)  # never backwards, even for a given one
            try:
                data = encode_record(Record(offset, message.topic, message.payload,
                                            message.qos, message.retain))
            except ValueError as error:
                self.records_skipped += 1
                LOG.warning("not recorded: %s on %r", error, message.topic[:200])
                return False
            self._file.write(data)
            self._last_offset_us = offset
            self.records_written += 1
            self._unflushed += 1
            if self._unflushed >= self.flush_every_records:
                self._flush_locked()
            return True

    def flush_if_due(self) -> None:
        """Flush when the last flush is older than flush_interval_s; call it from a timer."""
        with self._lock:
            if (not self._closed and self._unflushed
                    and self.clock() - self._last_flush_s >= self.flush_interval_s):
                self._flush_locked()

    def flush(self) -> None:
        with self._lock:
            if not self._closed:
                self._flush_locked()

    def _flush_locked(self) -> None:
        self._file.flush()
        self._unflushed = 0
        self._last_flush_s = self.clock()

    @property
    def elapsed_s(self) -> float:
        return self.clock() - self._start_s

    def close(self) -> None:
        with self._lock:
            if self._closed:
                return
            self._flush_locked()
            self._closed = True
            if self._owns_file:
                self._file.close()

    def __enter__(self) -> RecordWriter:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class RecordReader:
    """Iterates the records of a recording, stopping cleanly at a truncated tail.

    After iteration `truncated_at` is the byte offset of an incomplete last record (None if the
    file ended on a record boundary). Corruption raises CorruptRecording once the good records
    before it are out. The header is read (and checked) when the reader is made.
    """

    def __init__(self, source: str | Path | BinaryIO) -> None:
        self._owns_file = isinstance(source, (str, Path))
        self._file: BinaryIO = open(source, "rb") if isinstance(source, (str, Path)) else source
        self.name = str(source) if self._owns_file else getattr(source, "name", "<stream>")
        self.truncated_at: int | None = None
        self.records_read = 0
        try:
            self.header = self._read_header()
        except BaseException:
            self.close()
            raise
        self._records_start = self._position

    def _read_header(self) -> RecordingHeader:
        self._position = 0
        magic = self._read_exact(len(MAGIC))
        if magic != MAGIC:
            raise RecordingError(f"{self.name} is not an EMA recording (no {MAGIC!r} magic)")
        length_bytes = self._read_exact(HEADER_LENGTH.size)
        if len(length_bytes) < HEADER_LENGTH.size:
            raise RecordingError(f"{self.name} ends inside its header")
        (length,) = HEADER_LENGTH.unpack(length_bytes)
        if length > MAX_HEADER_BYTES:
            raise RecordingError(f"recording header of {length} bytes exceeds {MAX_HEADER_BYTES}")
        packed = self._read_exact(length)
        if len(packed) < length:
            raise RecordingError(f"{self.name} ends inside its header")
        try:
            data = msgpack.unpackb(packed, raw=False, max_str_len=MAX_HEADER_BYTES,
                                   max_bin_len=0, max_ext_len=0, max_array_len=64,
                                   max_map_len=32)
        except Exception as error:  # msgpack raises many types; all mean a bad header
            raise RecordingError(f"recording header is not valid msgpack: {error}") from None
        return RecordingHeader.from_map(data)

    def _read_exact(self, size: int) -> bytes:
        """Up to `size` bytes; fewer only at the end of the file. `size` is always bounded."""
        chunks, wanted = [], size
        while wanted:
            chunk = self._file.read(wanted)
            if not chunk:
                break
            chunks.append(chunk)
            wanted -= len(chunk)
        data = b"".join(chunks)
        self._position += len(data)
        return data

    def __iter__(self) -> Iterator[Record]:
        last_offset_us = 0
        while True:
            start = self._position
            head = self._read_exact(RECORD_HEAD.size)
            if not head:
                return
            if len(head) < RECORD_HEAD.size:
                self._cut(start)
                return
            t_offset_us, flags, topic_length, payload_length = RECORD_HEAD.unpack(head)
            if flags & ~KNOWN_FLAGS or (flags & QOS_MASK) >> QOS_SHIFT == 3:
                raise CorruptRecording(start, f"unknown flags 0x{flags:02x}")
            if not 0 < topic_length <= MAX_TOPIC_BYTES:
                raise CorruptRecording(start, f"topic length {topic_length} outside "
                                              f"1..{MAX_TOPIC_BYTES}")
            if payload_length > MAX_PAYLOAD_BYTES:
                raise CorruptRecording(start, f"payload length {payload_length} exceeds "
                                              f"{MAX_PAYLOAD_BYTES}")
            if t_offset_us < last_offset_us:
                raise CorruptRecording(start, "time runs backwards")
            body = self._read_exact(topic_length + payload_length)
            if len(body) < topic_length + payload_length:
                self._cut(start)
                return
            try:
                topic = body[:topic_length].decode("utf-8")
            except UnicodeDecodeError:
                raise CorruptRecording(start, "topic is not UTF-8") from None
            last_offset_us = t_offset_us
            self.records_read += 1
            yield Record(t_offset_us, topic, body[topic_length:],
                         (flags & QOS_MASK) >> QOS_SHIFT, bool(flags & RETAIN_FLAG))

    def _cut(self, offset: int) -> None:
        self.truncated_at = offset
        LOG.warning("%s is truncated at byte %d (an incomplete last record)", self.name, offset)

    def close(self) -> None:
        if self._owns_file:
            self._file.close()

    def __enter__(self) -> RecordReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


def read_records(path: str | Path) -> list[Record]:
    """Every whole record of a file, for small files and tests."""
    with RecordReader(path) as reader:
        return list(reader)
