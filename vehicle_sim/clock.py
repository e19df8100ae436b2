"""Where the simulator gets its time from, so that tests can step it instead of sleeping.

A clock gives two readings: `now()`, monotonic seconds for cadence and deadlines, and
`wall_us()`, the wall clock in microseconds for what goes on the wire (timestamps, the session
epoch). `wait()` is how the loop idles between ticks; a stop event ends any wait at once.

`SystemClock` is the real one. `ManualClock` moves only when `advance()` is called, and
`settle()` tells its caller when the loop has served the latest instant and gone back to
waiting: a test steps time and then waits on that condition, never on the wall clock.
"""

from __future__ import annotations

import threading
import time
from typing import Protocol

NS_PER_S = 1_000_000_000


class Clock(Protocol):
    """What the loop and the node need of time."""

    def now(self) -> float:
        """Monotonic seconds."""
        ...

    def wall_us(self) -> int:
        """Wall-clock microseconds since the Unix epoch (for timestamps on the wire)."""
        ...

    def wait(self, seconds: float, stop: threading.Event) -> None:
        """Idle for `seconds` of this clock's time, or until `stop` is set."""
        ...

    def wake(self) -> None:
        """End every wait now, so that a waiter can notice its stop event."""
        ...


class SystemClock:
    """The machine's clocks; waiting is waiting on the stop event."""

    def now(self) -> float:
        return time.monotonic()

    def wall_us(self) -> int:
        return time.time_ns() // 1000

    def wait(self, seconds: float, stop: threading.Event) -> None:
        stop.wait(seconds)

    def wake(self) -> None:
        """Nothing to do: `wait` already returns when the stop event is set."""


class ManualClock:
    """Time that moves only when `advance()` is called (in whole nanoseconds, so that steps
    add up exactly); the wall reading is the wall clock at creation plus the time advanced."""

    def __init__(self, start_s: float = 0.0, wall_start_us: int | None = None) -> None:
        self._ns = round(start_s * NS_PER_S)
        self._start_ns = self._ns
        self._wall_start_us = time.time_ns() // 1000 if wall_start_us is None else wall_start_us
        self._changed = threading.Condition()
        self._wake_at_ns: int | None = None  # when the waiter (if any) wants to wake

    def now(self) -> float:
        with self._changed:
            return self._ns / NS_PER_S

    def wall_us(self) -> int:
        with self._changed:
            return self._wall_start_us + (self._ns - self._start_ns) // 1000

    def advance(self, seconds: float) -> None:
        """Move time forward and wake the waiter if its time has come."""
        if seconds < 0:
            raise ValueError("time does not run backwards")
        with self._changed:
            self._ns += round(seconds * NS_PER_S)
            self._changed.notify_all()

    def wait(self, seconds: float, stop: threading.Event) -> None:
        with self._changed:
            wake_at = self._ns + round(seconds * NS_PER_S)
            self._wake_at_ns = wake_at
            self._changed.notify_all()  # a settle() may be waiting for this
            while self._ns < wake_at and not stop.is_set():
                self._changed.wait()
            self._wake_at_ns = None

    def wake(self) -> None:
        with self._changed:
            self._changed.notify_all()

    def settle(self, timeout_s: float = 5.0) -> None:
        """Return once a waiter is idle and its wake-up lies after the current instant, i.e.
        the loop has served everything due until now; TimeoutError after `timeout_s` real
        seconds (a loop that is not running, or is stuck)."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while self._wake_at_ns is None or self._wake_at_ns <= self._ns:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("the simulation loop did not catch up with the clock")
                self._changed.wait(remaining)
