"""Publish recorded messages again with their recorded timing, and measure how well it kept time.

Like python-can's Player/MessageSync: each record is due at its recorded offset (from the start
of the window, divided by the speed) on `time.monotonic`. The player sleeps until shortly before
that (on an Event, so a stop request wakes it at once) and busy-waits the last SPIN_S, because a
plain sleep can overshoot by a scheduler tick. For every message it keeps the lateness
(actual send time - scheduled send time): that is the figure that says whether a replay at
--speed 10 still reproduces the vehicle's 100 ms frame rhythm.

What is published is the recorded payload, or what the `restamp` hook makes of it just before it
leaves (ema-replay: `hmi.testbench.restamp.Restamper`, a new vehicle session with fresh seq, ts
and MAC, since a v2 receiver refuses old bytes as a replay).
"""

from __future__ import annotations

import logging
import math
import threading
import time
from collections import deque
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from protocols.bus import Transport
from protocols.topics import ROOT, check_vehicle_id

from .recording import Record

LOG = logging.getLogger(__name__)

SPIN_S = 0.002
MIN_LOOP_PERIOD_S = 0.1
MAX_LATENESS_SAMPLES = 1_000_000

RecordSource = Callable[[], Iterable[Record]]
Restamp = Callable[[Record, str], bytes]  # (record, topic it goes out on) -> payload to send


def rename_vehicle(topic: str, vehicle: str) -> str:
    """Rewrite the vehicle level of an ema/v1/{vehicle}/... topic; leave other topics alone."""
    parts = topic.split("/", 3)
    if len(parts) >= 3 and f"{parts[0]}/{parts[1]}" == ROOT:
        parts[2] = vehicle
        return "/".join(parts)
    return topic


def percentile(samples: Sequence[float], fraction: float) -> float:
    """Nearest-rank percentile (fraction 0..1) of unsorted samples; NaN when there are none."""
    if not samples:
        return math.nan
    ordered = sorted(samples)
    rank = max(1, math.ceil(fraction * len(ordered)))
    return ordered[rank - 1]


@dataclass
class PlaybackSummary:
    """What a playback did and how late it was; lateness samples in seconds."""

    messages: int = 0
    passes: int = 0
    duration_s: float = 0.0
    stopped: bool = False
    lateness_s: deque[float] = field(default_factory=lambda: deque(maxlen=MAX_LATENESS_SAMPLES))

    @property
    def lateness_p50_s(self) -> float:
        return percentile(self.lateness_s, 0.50)

    @property
    def lateness_p99_s(self) -> float:
        return percentile(self.lateness_s, 0.99)

    @property
    def lateness_max_s(self) -> float:
        return max(self.lateness_s) if self.lateness_s else math.nan


class Player:
    """Replays records onto a Transport at `speed` times the recorded pace.

    `start_s`/`end_s` select a window of the recording (seconds from its start, both inclusive);
    the first message of the window is due `record offset - start_s` after playback starts.
    `loop` plays the window again and again, each pass starting when the previous one's span
    has elapsed (at least MIN_LOOP_PERIOD_S, so a one-message recording cannot flood a broker),
    until `stop()` or `max_duration_s`. `restamp`, when given, makes the payload of each record
    at the moment it is due (None: the recorded bytes).
    """

    def __init__(self, transport: Transport, speed: float = 1.0, start_s: float = 0.0,
                 end_s: float | None = None, loop: bool = False,
                 vehicle_rename: str | None = None, max_duration_s: float | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 restamp: Restamp | None = None) -> None:
        if not speed > 0 or not math.isfinite(speed):
            raise ValueError("speed must be a positive number")
        if start_s < 0 or (end_s is not None and end_s < start_s):
            raise ValueError("the window needs 0 <= start <= end")
        self.transport = transport
        self.speed = speed
        self.start_us = round(start_s * 1e6)
        self.end_us = None if end_s is None else round(end_s * 1e6)
        self.loop = loop
        self.vehicle_rename = None if vehicle_rename is None else check_vehicle_id(vehicle_rename)
        self.max_duration_s = max_duration_s
        self.clock = clock
        self.restamp = restamp
        self._stop = threading.Event()

    def stop(self) -> None:
        """Ask a running playback to stop; safe from a signal handler or another thread."""
        self._stop.set()

    def play(self, source: RecordSource | Iterable[Record]) -> PlaybackSummary:
        """Play the window once (or in a loop); `source` is called again for every pass."""
        open_records = source if callable(source) else _replayable(source)
        summary = PlaybackSummary()
        began = self.clock()
        deadline = None if self.max_duration_s is None else began + self.max_duration_s
        pass_start = began
        while not self._stop.is_set():
            last_offset_us, finished = self._play_pass(open_records(), pass_start, deadline,
                                                       summary)
            summary.passes += 1
            if not self.loop or not finished or last_offset_us is None:
                break
            span_us = (self.end_us if self.end_us is not None else last_offset_us) - self.start_us
            pass_start += max(span_us / 1e6 / self.speed, MIN_LOOP_PERIOD_S)
            if deadline is not None and pass_start > deadline:
                break
        summary.stopped = self._stop.is_set()
        summary.duration_s = self.clock() - began
        return summary

    def _play_pass(self, records: Iterable[Record], pass_start: float, deadline: float | None,
                   summary: PlaybackSummary) -> tuple[int | None, bool]:
        """One pass over the window: (offset of the last record sent, whether it got to the end).

        It does not get to the end when stopped or when the next message is due after `deadline`.
        """
        last_offset_us = None
        for record in records:
            if record.t_offset_us < self.start_us:
                continue
            if self.end_us is not None and record.t_offset_us > self.end_us:
                break
            due = pass_start + (record.t_offset_us - self.start_us) / 1e6 / self.speed
            if deadline is not None and due > deadline:
                self._wait_until(deadline)
                return last_offset_us, False
            if not self._wait_until(due):
                return last_offset_us, False
            sent_at = self.clock()
            topic = (record.topic if self.vehicle_rename is None
                     else rename_vehicle(record.topic, self.vehicle_rename))
            payload = record.payload if self.restamp is None else self.restamp(record, topic)
            self.transport.publish(topic, payload, qos=record.qos, retain=record.retain)
            summary.lateness_s.append(sent_at - due)
            summary.messages += 1
            last_offset_us = record.t_offset_us
        return last_offset_us, True

    def _wait_until(self, due: float) -> bool:
        """Sleep, then spin, until `due`; False if asked to stop meanwhile."""
        while True:
            remaining = due - self.clock()
            if remaining <= 0:
                return not self._stop.is_set()
            if remaining > SPIN_S:
                if self._stop.wait(remaining - SPIN_S):
                    return False
            elif self._stop.is_set():
                return False


def _replayable(records: Iterable[Record]) -> RecordSource:
    """A source that gives the same records on every pass (keeps a one-shot iterator's items)."""
    kept = list(records)
    return lambda: kept
