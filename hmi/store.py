"""Hand-over point between the link thread and the Kivy main thread.

The link thread only decodes and stores here; the main thread drains once per frame.
State signals are coalesced to their latest value (memory is bounded by the catalogue, not
by the message rate: a flood only overwrites). Events that must not be lost (connection
changes, vehicle online/offline, command results) go to a FIFO that the main thread empties
completely every frame; the link only enqueues edges and answers to our own requests, so it
stays small however fast the bus is.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field

from protocols import CommandResult, FrameValue, StateFrame, VehicleStatus, now_us
from protocols.freshness import DEFAULT_CLOCK_TOLERANCE_S, DUPLICATE, OrderGate


@dataclass(frozen=True, slots=True)
class Sample:
    """The latest value of one signal and when it arrived (time.monotonic, frame timestamp);
    None: not available, INVALID: the source marked it wrong."""

    value: FrameValue
    received_s: float
    ts_us: int
    frame: str


@dataclass(frozen=True, slots=True)
class ConnectionChanged:
    connected: bool


@dataclass(frozen=True, slots=True)
class VehicleOnlineChanged:
    online: bool
    received_s: float


@dataclass(frozen=True, slots=True)
class ResultReceived:
    result: CommandResult


@dataclass(frozen=True, slots=True)
class CommandFailed:
    """A command that never reached the vehicle (link down, refused by our own encoder)."""

    rid: str
    command: str
    reason: str


LinkEvent = ConnectionChanged | VehicleOnlineChanged | ResultReceived | CommandFailed


@dataclass(frozen=True, slots=True)
class LinkCounters:
    """Totals since start, for the diagnostics page."""

    received: int = 0
    rejected: int = 0         # malformed: not a valid message of the protocol (empty included)
    out_of_order: int = 0     # valid and authentic, but not newer than what was applied
    unauthenticated: int = 0  # MAC missing or wrong: forged, another vehicle's, or keyless
    last_reject_reason: str = ""

    @property
    def refused(self) -> int:
        """Every message not applied, whatever the reason."""
        return self.rejected + self.out_of_order + self.unauthenticated


@dataclass(slots=True)
class Drained:
    """Everything that changed since the previous drain."""

    samples: dict[str, Sample] = field(default_factory=dict)
    events: list[LinkEvent] = field(default_factory=list)
    frame_ts_us: dict[str, int] = field(default_factory=dict)


class SignalStore:
    """Thread-safe latest-value table plus lossless event queue."""

    def __init__(self, clock_tolerance_s: float = DEFAULT_CLOCK_TOLERANCE_S) -> None:
        self._lock = threading.Lock()
        self._changed: dict[str, Sample] = {}
        self._frame_ts_us: dict[str, int] = {}
        self._events: deque[LinkEvent] = deque()
        self._order = OrderGate(int(clock_tolerance_s * 1e6))
        self._online: bool | None = None
        self._received = 0
        self._rejected = 0
        self._out_of_order = 0
        self._unauthenticated = 0
        self._last_reject_reason = ""
        self._waker: Callable[[], None] | None = None
        self._urgent: Callable[[], None] | None = None
        self._armed = True

    def set_waker(self, waker: Callable[[], None] | None,
                  urgent: Callable[[], None] | None = None) -> None:
        """Call `waker` (on the link thread, under the store's lock, so it must not take it) when
        data arrives and nothing has been waiting since the last drain: one wake-up per drain
        however many arrive. Events (answers, connection and online changes) call `urgent`
        instead, every time: the driver is waiting for them, and they are few."""
        self._waker = waker
        self._urgent = urgent

    def _wake(self) -> None:
        waker = self._waker
        if waker is not None:
            waker()

    # --- link thread ------------------------------------------------------------------------
    def count_message(self) -> None:
        with self._lock:
            self._received += 1

    def put_frame(self, frame: StateFrame, received_s: float, retained: bool = False) -> bool:
        """Store a decoded frame's values; False if it is not newer than the last one applied
        on its topic, from an earlier session, or from our future (dropped whole, counted).

        A frame older than the clock tolerance (a retained copy kept by the broker, a backlog
        behind a flood, a recording), and any retained copy, counts as received when the vehicle
        sent it (`ts`): one of an hour ago is shown stale with its age, never live. Retained
        copies stay out of the latency statistics (`frame_ts_us`).
        """
        with self._lock:
            now = now_us()
            refusal = self._order.admit_frame(frame.frame, frame.epoch, frame.seq, frame.ts_us,
                                              now)
            if refusal is not None:
                self._count_refusal(refusal, frame.frame, retained)
                return False
            age_us = now - frame.ts_us
            if retained or age_us > self._order.clock_tolerance_us:
                received_s -= max(0, age_us) / 1e6
            for path, value in frame.values.items():
                self._changed[path] = Sample(value, received_s, frame.ts_us, frame.frame)
            if not retained:
                self._frame_ts_us[frame.frame] = frame.ts_us
            self._wake_once()
        return True

    def put_status(self, status: VehicleStatus, received_s: float,
                   retained: bool = False) -> bool:
        """Apply a status in (epoch, seq) order; False if refused. Nothing here resets the
        order of frames: a restarted vehicle is recognised by the newer epoch of its messages."""
        with self._lock:
            refusal = self._order.admit_status(status.online, status.epoch, status.seq,
                                               status.will_seq)
            if refusal is not None:
                self._count_refusal(refusal, "status", retained)
                return False
            if self._online != status.online:
                self._online = status.online
                self._events.append(VehicleOnlineChanged(status.online, received_s))
                self._wake_for_event()
        return True

    def put_event(self, event: LinkEvent) -> None:
        with self._lock:
            self._events.append(event)
            self._wake_for_event()

    def reject(self, reason: str) -> None:
        with self._lock:
            self._rejected += 1
            self._last_reject_reason = reason

    def reject_unauthenticated(self, reason: str) -> None:
        with self._lock:
            self._unauthenticated += 1
            self._last_reject_reason = reason

    def _count_refusal(self, refusal: str, topic: str, retained: bool) -> None:
        """Count a refusal of order. The broker's retained copy of what was last applied comes
        again after every reconnect: that is no refusal. Sent again live, it is one."""
        if refusal == DUPLICATE:
            if retained:
                return
            refusal = f"{topic}: a repeat of the message last applied"
        self._out_of_order += 1
        self._last_reject_reason = refusal

    def _wake_for_event(self) -> None:
        if self._urgent is None:
            self._wake_once()
        else:
            self._armed = False
            self._urgent()

    def _wake_once(self) -> None:
        """Wake the pacer once per drain; called under the lock, so whoever sees the data
        also sees the wake-up."""
        if self._armed:
            self._armed = False
            self._wake()

    # --- main thread ------------------------------------------------------------------------
    def drain(self) -> Drained:
        with self._lock:
            drained = Drained(self._changed, list(self._events), self._frame_ts_us)
            self._changed = {}
            self._frame_ts_us = {}
            self._events.clear()
            self._armed = True
        return drained

    def counters(self) -> LinkCounters:
        with self._lock:
            return LinkCounters(self._received, self._rejected, self._out_of_order,
                                self._unauthenticated, self._last_reject_reason)

    @property
    def pending_events(self) -> int:
        """How many events wait for the next drain."""
        with self._lock:
            return len(self._events)

    @property
    def pending_samples(self) -> int:
        """How many signals wait for the next drain (bounded by the catalogue)."""
        with self._lock:
            return len(self._changed)
