"""The HMI reports about itself: what the screen shows, and a screenshot on request.

Publishes `Hmi.display_snapshot()` on `ema/v1/{vehicle}/hmi/display` (retained) at most every
REPORT_PERIOD_S when it changed, and at once when a tool asks on `hmi/request`. Requests arrive
on the transport's thread and only queue; everything else runs on the Kivy main thread, which is
where the snapshot and the screenshot must be taken. Publishing goes through the transport the
link already uses; widgets never see MQTT.

`tap` and `show` requests press a Terrain Response tile / locker or change screen as if the driver
had: a test control, obeyed only when REMOTE_CONTROL_ENV is set to 1 (the pytest fixtures do).
"""

from __future__ import annotations

import itertools
import logging
import os
import tempfile
import threading
import time
from collections import deque
from collections.abc import Callable
from pathlib import Path
from typing import Any

from protocols import DecodeError, EncodeError, VehicleTopics, now_us
from protocols.bus import Message, Transport
from protocols.diagnostics import (
    CHANNEL_DISPLAY,
    CHANNEL_REQUEST,
    CHANNEL_SCREENSHOT,
    HmiRequest,
    decode_request,
    encode_display,
    encode_screenshot,
)

LOG = logging.getLogger(__name__)

REPORT_PERIOD_S = 0.1
SCREENSHOT_MIN_INTERVAL_S = 0.25
MAX_ANSWERS_PER_TICK = 8
MAX_QUEUED_REQUESTS = 32
REMOTE_CONTROL_ENV = "EMA_HMI_REMOTE_CONTROL"
VOLATILE_READOUT_KEYS = ("age",)


def remote_control_enabled() -> bool:
    return os.environ.get(REMOTE_CONTROL_ENV, "") == "1"


def comparable(snapshot: dict[str, Any]) -> dict[str, Any]:
    """The snapshot without what changes by itself every second (the age of dimmed values)."""
    stable = dict(snapshot)
    stable["readouts"] = {name: {k: v for k, v in readout.items()
                                 if k not in VOLATILE_READOUT_KEYS}
                          for name, readout in snapshot.get("readouts", {}).items()}
    if isinstance(snapshot.get("vehicle"), dict):   # the stale car's age, likewise
        stable["vehicle"] = {k: v for k, v in snapshot["vehicle"].items()
                             if k not in VOLATILE_READOUT_KEYS}
    return stable


class DisplayReporter:
    """Publishes the display snapshot on change and on request; answers screenshot requests."""

    def __init__(self, transport: Transport, topics: VehicleTopics,
                 snapshot: Callable[[], dict[str, Any]],
                 actions: dict[str, Callable[[str], bool]] | None = None,
                 window: Callable[[], Any] | None = None,
                 clock: Callable[[], float] = time.monotonic,
                 allow_control: bool | None = None,
                 revision: Callable[[], object] | None = None) -> None:
        self.transport = transport
        # Something that changes whenever the display may have: while it does not, no snapshot
        # is taken (an idle HMI then costs the reporter almost nothing).
        self.revision = revision
        self._last_revision: object = None
        self.topics = topics
        self.snapshot = snapshot
        self.actions = actions or {}
        self.window = window or _kivy_window
        self.clock = clock
        self.allow_control = remote_control_enabled() if allow_control is None else allow_control
        self._requests: deque[HmiRequest] = deque(maxlen=MAX_QUEUED_REQUESTS)
        self._lock = threading.Lock()
        self._seq = itertools.count(now_us())
        self._last: dict[str, Any] | None = None
        self._last_sent_s = -1e9
        self._last_shot_s = -1e9
        self._was_connected = False
        self._scheduled: Any = None
        self.published = 0
        request_topic = topics.hmi(CHANNEL_REQUEST)
        transport.add_listener(self._receive, request_topic)  # beside the link's listener
        transport.subscribe(request_topic, qos=1)

    # --- transport thread ------------------------------------------------------------------------
    def _receive(self, message: Message) -> None:
        if not message.payload:
            return
        try:
            request = decode_request(message.payload)
        except DecodeError as error:
            LOG.info("refused hmi request: %s", error.reason)
            return
        with self._lock:
            self._requests.append(request)
        if self._scheduled is not None:
            from kivy.clock import Clock

            Clock.schedule_once(self.tick)  # answer now, not at the next period

    # --- main thread -----------------------------------------------------------------------------
    def start(self) -> None:
        from kivy.clock import Clock

        if self._scheduled is None:
            self._scheduled = Clock.schedule_interval(self.tick, REPORT_PERIOD_S)

    def stop(self) -> None:
        """Stop reporting and clear the retained report (a closed HMI shows nothing)."""
        if self._scheduled is not None:
            self._scheduled.cancel()
            self._scheduled = None
            if self.transport.connected:
                self.transport.publish(self.topics.hmi(CHANNEL_DISPLAY), b"", qos=1, retain=True)

    def tick(self, _dt: float = 0.0) -> None:
        try:
            self._tick()
        except Exception:  # diagnostics must never take the HMI down
            LOG.exception("display report failed")

    def _tick(self) -> None:
        connected = self.transport.connected
        reconnected, self._was_connected = connected and not self._was_connected, connected
        if not connected:
            return
        with self._lock:
            requests = list(self._requests)
            self._requests.clear()
        answer: list[str] = []          # request ids to answer with a report, in order
        for request in requests:
            if request.what == "display":
                if request.rid not in answer and len(answer) < MAX_ANSWERS_PER_TICK:
                    answer.append(request.rid)
            elif request.what == "screenshot":
                self._screenshot(request.rid)
            else:
                self._control(request)
        now = self.clock()
        if not answer and not reconnected and now - self._last_sent_s < REPORT_PERIOD_S:
            return
        revision = self.revision() if self.revision is not None else None
        if not answer and not reconnected and revision is not None \
                and revision == self._last_revision:
            return
        self._last_revision = revision
        snapshot = self.snapshot()
        stable = comparable(snapshot)
        if not answer and (reconnected or stable != self._last):
            answer.append("")
        for rid in answer:
            self._publish(snapshot, rid)
        if answer:
            self._last = stable
            self._last_sent_s = now

    def _publish(self, snapshot: dict[str, Any], rid: str) -> None:
        try:
            payload = encode_display(snapshot, next(self._seq), rid)
        except (EncodeError, TypeError, ValueError) as error:
            LOG.warning("display report not sent: %s", error)
            return
        self.transport.publish(self.topics.hmi(CHANNEL_DISPLAY), payload, qos=0, retain=True)
        self.published += 1

    def _control(self, request: HmiRequest) -> None:
        if not self.allow_control:
            LOG.warning("ignored test control %s %s: set %s=1 to allow it", request.what,
                        request.target, REMOTE_CONTROL_ENV)
            return
        action = self.actions.get(request.what)
        try:
            done = action is not None and action(request.target)
        except Exception:  # a bad target must never take the HMI down
            LOG.exception("test control %s %s failed", request.what, request.target)
            done = False
        LOG.info("test control %s %s: %s", request.what, request.target,
                 "done" if done else "unknown target")

    def _screenshot(self, rid: str) -> None:
        """At most one capture per SCREENSHOT_MIN_INTERVAL_S: a capture stalls the UI briefly."""
        now = self.clock()
        if now - self._last_shot_s < SCREENSHOT_MIN_INTERVAL_S:
            self.transport.publish(self.topics.hmi(CHANNEL_SCREENSHOT), encode_screenshot(
                b"", rid, next(self._seq), "busy: one screenshot per "
                f"{SCREENSHOT_MIN_INTERVAL_S:g} s"), qos=1)
            return
        self._last_shot_s = now
        self._send_screenshot(rid)

    def _send_screenshot(self, rid: str) -> None:
        png, error = b"", ""
        try:
            png = capture_png(self.window())
        except Exception as failure:  # report the failure to the requester instead of hanging
            LOG.exception("screenshot failed")
            error = f"{type(failure).__name__}: {failure}"
        try:
            payload = encode_screenshot(png, rid, next(self._seq), error)
        except EncodeError as failure:
            payload = encode_screenshot(b"", rid, next(self._seq), str(failure))
        self.transport.publish(self.topics.hmi(CHANNEL_SCREENSHOT), payload, qos=1)


def _kivy_window() -> Any:
    from kivy.core.window import Window

    return Window


def capture_png(window: Any) -> bytes:
    """The current screen as PNG bytes (Window.screenshot writes a file: use a scratch dir)."""
    with tempfile.TemporaryDirectory(prefix="ema-shot-") as scratch:
        written = window.screenshot(name=str(Path(scratch) / "shot.png"))
        if not written or not Path(written).exists():
            raise RuntimeError("the window produced no screenshot")
        return Path(written).read_bytes()
