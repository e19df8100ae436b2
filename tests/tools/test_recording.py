"""The recording file: round trip, listener, truncation, corruption, periodic flush."""

from __future__ import annotations

import io
import itertools
import struct
import tracemalloc
from pathlib import Path

import pytest

from hmi.testbench import (
    MAGIC,
    CorruptRecording,
    Record,
    RecordingError,
    RecordReader,
    RecordWriter,
    read_records,
)
from hmi.testbench.recording import RECORD_HEAD, encode_record
from protocols.bus import InProcessBroker, InProcessTransport, Message

from .conftest import write_recording

SAMPLE = [
    Record(0, "ema/v1/ema-01/status", b"\x84\xa1v\x01", qos=1, retain=True),
    Record(1_500, "ema/v1/ema-01/state/drive", bytes(range(256)) * 3, qos=0, retain=True),
    Record(1_500, "ema/v1/ema-01/result", b"", qos=2, retain=False),
    Record(2_000_000, "ema/v1/\u00e9t\u00e9/cmd/x", b"\x00", qos=1, retain=False),
]


def test_round_trip_keeps_every_field(tmp_path: Path) -> None:
    path = write_recording(tmp_path / "r.emarec", SAMPLE, vehicle="ema-01")
    with RecordReader(path) as reader:
        assert list(reader) == SAMPLE
        assert reader.truncated_at is None
        assert reader.header.vehicle == "ema-01"
        assert reader.header.filters == ("ema/v1/+/#",)
        assert reader.header.start_us > 1_600_000_000_000_000


def test_writer_is_a_transport_listener(tmp_path: Path) -> None:
    broker = InProcessBroker()
    recorder, publisher = InProcessTransport(broker), InProcessTransport(broker)
    path = tmp_path / "r.emarec"
    with RecordWriter(path) as writer:
        recorder.add_listener(writer.on_message)
        recorder.subscribe("ema/v1/+/#")
        recorder.start()
        publisher.start()
        publisher.publish("ema/v1/a/state/drive", b"one", qos=1)
        publisher.publish("other/topic", b"ignored")
        publisher.publish("ema/v1/a/result", b"two")
    assert [(r.topic, r.payload, r.qos) for r in read_records(path)] == [
        ("ema/v1/a/state/drive", b"one", 1), ("ema/v1/a/result", b"two", 0)]


def test_offsets_never_run_backwards(tmp_path: Path) -> None:
    times = itertools.chain([10.0, 10.5, 10.2, 10.7], itertools.repeat(11.0))  # steps back once
    path = tmp_path / "r.emarec"
    with RecordWriter(path, clock=lambda: next(times)) as writer:
        for _ in range(3):
            writer.on_message(Message("ema/v1/a/status", b"x"))
    assert [r.t_offset_us for r in read_records(path)] == [500_000, 500_000, 700_000]


def test_writer_skips_what_the_format_cannot_hold(tmp_path: Path) -> None:
    path = tmp_path / "r.emarec"
    with RecordWriter(path) as writer:
        assert not writer.write(Message("ema/v1/a/" + "x" * 130, b""))
        assert not writer.write(Message("ema/v1/a/status", b"x" * (64 * 1024 + 1)))
        assert writer.write(Message("ema/v1/a/status", b"x" * (64 * 1024)))
    assert writer.records_skipped == 2
    assert len(read_records(path)) == 1


def test_a_cut_file_reads_up_to_the_cut_at_every_offset(tmp_path: Path) -> None:
    whole = write_recording(tmp_path / "whole.emarec", SAMPLE).read_bytes()
    sizes = [len(encode_record(r)) for r in SAMPLE]
    first = len(whole) - sum(sizes)
    boundaries = [first + sum(sizes[:i]) for i in range(len(SAMPLE) + 1)]
    for cut in range(first, len(whole) + 1):
        complete = sum(1 for end in boundaries[1:] if end <= cut)
        with RecordReader(io.BytesIO(whole[:cut])) as reader:
            assert list(reader) == SAMPLE[:complete], f"cut at {cut}"
            expected_cut = None if cut in boundaries else boundaries[complete]
            assert reader.truncated_at == expected_cut, f"cut at {cut}"


def test_a_file_cut_inside_its_header_is_refused(tmp_path: Path) -> None:
    whole = write_recording(tmp_path / "whole.emarec", SAMPLE).read_bytes()
    first = len(whole) - sum(len(encode_record(r)) for r in SAMPLE)
    for cut in (0, 3, len(MAGIC), len(MAGIC) + 2, first - 1):
        with pytest.raises(RecordingError):
            RecordReader(io.BytesIO(whole[:cut]))


def test_a_file_of_another_kind_is_refused() -> None:
    with pytest.raises(RecordingError, match="not an EMA recording"):
        RecordReader(io.BytesIO(b"# a text file\n" * 10))


def corrupted(tmp_path: Path, topic_length: int, payload_length: int, flags: int = 0) -> Path:
    path = write_recording(tmp_path / "c.emarec", SAMPLE[:1])
    with open(path, "ab") as handle:
        handle.write(RECORD_HEAD.pack(5, flags, topic_length, payload_length) + b"ema/v1/a/status")
    return path


def test_absurd_payload_length_is_refused_without_allocating_it(tmp_path: Path) -> None:
    path = corrupted(tmp_path, 15, 0xFFFF_FFFF)
    tracemalloc.start()
    try:
        with RecordReader(path) as reader:
            good = []
            with pytest.raises(CorruptRecording, match="payload length 4294967295"):
                for record in reader:
                    good.append(record)
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert good == SAMPLE[:1]
    assert peak < 1_000_000


@pytest.mark.parametrize("topic_length, payload_length, flags, reason", [
    (129, 1, 0, "topic length"), (0, 1, 0, "topic length"),
    (15, 64 * 1024 + 1, 0, "payload length"), (15, 1, 0x06, "flags"), (15, 1, 0x80, "flags"),
])
def test_corrupt_record_heads_are_refused(tmp_path: Path, topic_length: int, payload_length: int,
                                          flags: int, reason: str) -> None:
    path = corrupted(tmp_path, topic_length, payload_length, flags)
    with RecordReader(path) as reader, pytest.raises(CorruptRecording, match=reason) as caught:
        list(reader)
    assert caught.value.offset == path.stat().st_size - RECORD_HEAD.size - 15


def test_records_are_flushed_without_closing_the_writer(tmp_path: Path) -> None:
    now = [0.0]
    path = tmp_path / "r.emarec"
    writer = RecordWriter(path, flush_interval_s=0.5, clock=lambda: now[0])
    writer.on_message(Message("ema/v1/a/status", b"x"))
    writer.flush_if_due()
    assert read_records(path) == []  # still buffered: a flush per message would be too slow
    now[0] = 0.6
    writer.flush_if_due()
    assert len(read_records(path)) == 1
    writer.close()


def test_header_records_its_format_version(tmp_path: Path) -> None:
    data = write_recording(tmp_path / "r.emarec", []).read_bytes()
    assert data.startswith(MAGIC)
    (length,) = struct.unpack(">I", data[len(MAGIC):len(MAGIC) + 4])
    assert len(data) == len(MAGIC) + 4 + length
