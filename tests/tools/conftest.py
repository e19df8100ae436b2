"""Helpers for the recorder/player tests: synthetic recordings, a subscriber that keeps arrivals."""

from __future__ import annotations

import os
import queue
import select
import subprocess
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import pytest

from hmi.testbench import Record, RecordWriter, tool_transport
from protocols.bus import Message, parse_broker_url

REPO = Path(__file__).resolve().parents[2]


def write_recording(path: Path, records: Iterable[Record], vehicle: str | None = None) -> Path:
    """A recording with the given records at their given offsets."""
    with RecordWriter(path, vehicle=vehicle, filters=("ema/v1/+/#",)) as writer:
        for record in records:
            assert writer.write(record.to_message(), t_offset_us=record.t_offset_us)
    return path


def paced_records(topic: str, count: int, step_s: float, qos: int = 1) -> list[Record]:
    """`count` messages `step_s` apart whose payload is their index, b"0", b"1", ..."""
    return [Record(round(i * step_s * 1e6), topic, str(i).encode(), qos, False)
            for i in range(count)]


@dataclass(frozen=True)
class Arrival:
    at_s: float
    message: Message


class Subscriber:
    """An MQTT 5 subscriber (retain and QoS as published) that timestamps what arrives."""

    def __init__(self, broker_url: str, topic_filter: str) -> None:
        self.arrivals: queue.Queue[Arrival] = queue.Queue()
        self.transport = tool_transport(parse_broker_url(broker_url))
        self.transport.add_listener(lambda m: self.arrivals.put(Arrival(time.monotonic(), m)))
        self.transport.subscribe(topic_filter, qos=2)
        self.transport.start()
        assert self.transport.wait_subscribed(5), "subscriber could not subscribe"

    def collect(self, count: int | None = None, quiet_s: float = 0.5,
                timeout_s: float = 10.0) -> list[Arrival]:
        """Arrivals until `count` arrived, or until nothing arrived for `quiet_s`."""
        got: list[Arrival] = []
        deadline = time.monotonic() + timeout_s
        while (count is None or len(got) < count) and time.monotonic() < deadline:
            try:
                got.append(self.arrivals.get(timeout=quiet_s))
            except queue.Empty:
                break
        return got

    def close(self) -> None:
        self.transport.close()


@pytest.fixture
def subscribe(mosquitto):
    made: list[Subscriber] = []

    def factory(topic_filter: str) -> Subscriber:
        made.append(Subscriber(mosquitto.url, topic_filter))
        return made[-1]

    yield factory
    for subscriber in made:
        subscriber.close()


def tool_command(module: str, *args: str) -> list[str]:
    return [sys.executable, "-m", f"hmi.testbench.{module}", *args]


def start_recorder(*args: str, ready_timeout_s: float = 10.0) -> subprocess.Popen[bytes]:
    """Start `ema-record` and return once it says it is recording (subscriptions acknowledged).

    Its stderr stays a pipe; read the rest with `process.communicate()`.
    """
    process = subprocess.Popen(tool_command("record_cli", *args), cwd=REPO,
                               stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    assert process.stderr is not None
    deadline = time.monotonic() + ready_timeout_s
    seen = b""
    while time.monotonic() < deadline:
        ready, _, _ = select.select([process.stderr], [], [], 0.1)
        if ready:
            chunk = os.read(process.stderr.fileno(), 4096)
            seen += chunk
            if seen.startswith(b"recording ") or b"\nrecording " in seen:
                return process
            if not chunk:
                break
    process.kill()
    raise AssertionError(f"recorder did not start: {seen.decode(errors='replace')}")
