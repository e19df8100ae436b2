"""When the frame applier runs: as soon as something arrives, not on every frame.

Ticking the applier on every frame costs CPU on an idle bus and, worse, makes a frame that
arrives just after a tick wait for the next one (half a frame on average). Instead the link
thread wakes the pacer when the store goes from empty to holding data, and Kivy's interrupt
clock (KIVY_CLOCK=interrupt, set by hmi.cli) ends the main loop's sleep at once. Wake-ups are
coalesced (one tick per drain, however many messages came), and a `LoadGovernor` spaces the
ticks, from a frame up to `MAX_INTERVAL_S`, while the process uses more than its CPU budget (a
flood on a Pi), so a flood is never one redraw per message; the spacing goes again when the
load drops.
Between arrivals the applier still runs when it is next due: a live value going stale, ages,
command time-outs (FrameApplier.next_due_s).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import Any

FRAME_S = 1 / 60
MAX_INTERVAL_S = 0.04   # under load, still 25 updates a second
CPU_BUDGET = 0.4        # of one core, for the whole process (link, applier, rendering)
DUE_MARGIN_S = 0.01     # tick just after a deadline, so the value has gone stale by then


class LoadGovernor:
    """The spacing of applier ticks: none while the process is within its CPU budget (a frame
    that arrives just after another is shown at once, not a frame later), then a frame, and
    longer (each step x1.25, up to `max_interval_s`) while it stays over; shorter again below
    80 % of it. Load is process CPU time over wall time, measured over at least `window_s`.
    """

    def __init__(self, budget: float = CPU_BUDGET, min_interval_s: float = 0.0,
                 max_interval_s: float = MAX_INTERVAL_S, first_step_s: float = FRAME_S,
                 window_s: float = 0.25,
                 cpu_clock: Callable[[], float] = time.process_time,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.budget = budget
        self.min_interval_s = min_interval_s
        self.max_interval_s = max_interval_s
        self.first_step_s = first_step_s
        self.window_s = window_s
        self.interval_s = min_interval_s
        self.load = 0.0
        self._cpu_clock = cpu_clock
        self._clock = clock
        self._since = (clock(), cpu_clock())

    def update(self) -> float:
        """Call once per tick; returns the spacing to keep before the next one."""
        now, cpu = self._clock(), self._cpu_clock()
        wall = now - self._since[0]
        if wall < self.window_s:
            return self.interval_s
        self.load = (cpu - self._since[1]) / wall
        self._since = (now, cpu)
        if self.load > self.budget:
            self.interval_s = min(self.max_interval_s,
                                  max(self.first_step_s, self.interval_s * 1.25))
        elif self.load < 0.8 * self.budget:
            shorter = self.interval_s / 1.25
            self.interval_s = shorter if shorter >= self.first_step_s else self.min_interval_s
        return self.interval_s


class ApplyPacer:
    """Schedules `tick` on the Kivy clock: on `wake()` (any thread) and when `due()` says."""

    def __init__(self, tick: Callable[[], None], due: Callable[[], float],
                 governor: LoadGovernor | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.tick = tick  # what runs; a test may wrap it
        self._due = due
        self.governor = governor or LoadGovernor(clock=clock)
        self._interval_s = self.governor.interval_s
        self._clock = clock
        self._lock = threading.Lock()
        self._woken = False
        self._last_s = float("-inf")
        self._timer: Any = None
        self._running = False
        self._wanted = threading.Event()
        self._delay_s = 0.0
        self._delayer: threading.Thread | None = None
        self._now_pending = False
        self.ticks = 0

    def start(self) -> None:
        """Apply once now (retained values, the first banner state) and from then on as due."""
        self._running = True
        if self._delayer is None or not self._delayer.is_alive():
            self._delayer = threading.Thread(target=self._delay, name="ema-apply-pacer",
                                              daemon=True)
            self._delayer.start()
        self.wake()

    @property
    def running(self) -> bool:
        return self._running

    def stop(self) -> None:
        self._running = False
        self._wanted.set()  # lets the delaying thread end
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def wake(self, *_: Any) -> None:
        """Something changed: apply it now, or one interval after the last tick."""
        from kivy.clock import Clock

        with self._lock:
            if self._woken or not self._running:
                return
            self._woken = True
            self._delay_s = max(0.0, self._last_s + self._interval_s - self._clock())
        if self._delay_s == 0.0:
            Clock.schedule_once(self._run, 0)  # a zero timeout ends Kivy's sleep at once
        else:
            self._wanted.set()

    def wake_now(self, *_: Any) -> None:
        """An event the driver waits for (a command's answer, the link or the vehicle going
        away): tick in the next frame, whatever the governor's spacing. Events are few (the link
        queues edges and answers to our own requests), so this never turns a flood into one
        redraw per message; spacing them like frames made an answer wait a frame or more under
        load."""
        from kivy.clock import Clock
        with self._lock:
            if self._now_pending or not self._running:
                return
            self._now_pending = True
        Clock.schedule_once(self._run, 0)

    def _delay(self) -> None:
        """Waits out the governor's spacing off the main thread, then asks for a tick at once:
        a non-zero timeout scheduled from another thread did not reliably end the interrupt
        clock's sleep (measured: publish-to-screen rose by about a frame)."""
        from kivy.clock import Clock

        while True:
            self._wanted.wait()
            self._wanted.clear()
            if not self._running:
                return
            time.sleep(self._delay_s)
            Clock.schedule_once(self._run, 0)

    def _run(self, _dt: float = 0.0) -> None:
        if not self._running:
            return
        with self._lock:
            self._woken = False
            self._now_pending = False
            self._last_s = self._clock()
        self.tick()
        self.ticks += 1
        self._interval_s = self.governor.update()
        self._schedule_due()

    def _schedule_due(self) -> None:
        from kivy.clock import Clock

        if self._timer is not None:
            self._timer.cancel()
        # Kivy may run a timer a few ms early (it counts from the frame's start); should the
        # deadline then come back unchanged, wait an interval rather than spin on it.
        delay = max(self._interval_s, self._due() - self._clock() + DUE_MARGIN_S)
        self._timer = Clock.schedule_once(self._run, delay)
