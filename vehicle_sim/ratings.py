"""WLTC ratings driven off the simulation thread, so that frames keep flowing meanwhile.

One rating drive is ~18 000 model steps (~2 s). A car's own rating is needed before it can
drive (Range.Rated counts on it); what each fitted option costs needs one more drive per
option, and a refit to another configuration needs that car's drive. `RatingService` runs
those on one daemon thread, each spec once per process (the model's lru_cache and the table
here), in the order asked, a refit's drive ahead of the queue. Readers ask without waiting
(`consumption` answers None until known) or wait on a condition (`wait_for`), never a sleep.

The drives run in one spawned child process (a pure function of a picklable frozen spec), so
that they do not compete with the simulation thread for the GIL: measured on the 50 Hz loop,
a drive on a thread of the same process stretches the median tick from 21 to 26-31 ms and the
worst to ~110 ms; in a child process the median stays at 21 ms (figures in issue 15's report).

A single thread serves every vehicle of a fleet: the same spec is driven once for all of them.
"""

from __future__ import annotations

import ctypes
import logging
import multiprocessing
import os
import signal
import sys
import threading
from collections import deque
from collections.abc import Iterable
from concurrent.futures import CancelledError, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool

from .model import VehicleSpec, wltc_consumption_J_per_m

LOG = logging.getLogger(__name__)
CHILD_NICENESS = 15
PR_SET_PDEATHSIG = 1
"""prctl(2) option: the signal a Linux process gets when the thread that started it ends."""


class _Exiting(Exception):
    """The process is shutting down: the drives left are not needed any more."""


class RatingService:
    """Background WLTC drives with a cache of their consumption (J/m) per spec."""

    def __init__(self, child_process: bool = True) -> None:
        self.child_process = child_process
        self._known: dict[VehicleSpec, float] = {}
        self._queue: deque[VehicleSpec] = deque()
        self._changed = threading.Condition()
        self._thread: threading.Thread | None = None
        self._pool: ProcessPoolExecutor | None = None   # the drive child's, while it works
        self._closed = False
        self.completed = 0
        """Drives finished so far: a reader that saw this number knows nothing new came."""

    def consumption(self, spec: VehicleSpec) -> float | None:
        """The spec's WLTC consumption if it is known; never waits."""
        with self._changed:
            return self._known.get(spec)

    def consumption_now(self, spec: VehicleSpec) -> float:
        """The consumption, driven here on the caller's thread if nobody has yet."""
        known = self.consumption(spec)
        if known is None:
            known = wltc_consumption_J_per_m(spec)
            self._store(spec, known)
        return known

    def request(self, specs: Iterable[VehicleSpec], urgent: bool = False) -> None:
        """Have these specs driven in the background (first ones first; urgent: before all)."""
        with self._changed:
            if self._closed:
                return
            wanted = [s for s in dict.fromkeys(specs)
                      if s not in self._known and s not in self._queue]
            if urgent:
                self._queue.extendleft(reversed(wanted))
            else:
                self._queue.extend(wanted)
            if wanted and (self._thread is None or not self._thread.is_alive()):
                self._thread = threading.Thread(target=self._work, name="wltc-ratings",
                                                daemon=True)
                self._thread.start()

    def drop_queued(self) -> None:
        """Forget the drives not yet started (the one under way still finishes)."""
        with self._changed:
            self._queue.clear()

    def close(self) -> None:
        """Stop for good: queued drives are dropped and a drive under way is abandoned, its
        child killed (a pure computation: nothing in it to save).

        A program that stops calls this (ema-sim does), so that its exit does not wait for a
        background drive: at the interpreter's exit concurrent.futures joins the pool, which
        waits for the drive in hand, and at niceness 15 on a loaded machine one drive took
        17 s (measured), longer than the demo waits for its simulator."""
        with self._changed:
            self._closed = True
            self._queue.clear()
            pool = self._pool
        if pool is not None:
            # ProcessPoolExecutor.kill_workers() from Python 3.14; until then its table of
            # workers, taken before shutdown() lets go of it
            workers = list((getattr(pool, "_processes", None) or {}).values())
            pool.shutdown(wait=False, cancel_futures=True)
            for process in workers:
                process.kill()

    def wait_for(self, specs: Iterable[VehicleSpec], timeout_s: float | None = None) -> bool:
        """Block until every spec is rated (True), or the timeout passed (False)."""
        wanted = list(specs)
        self.request(wanted)
        with self._changed:
            return self._changed.wait_for(lambda: all(s in self._known for s in wanted),
                                          timeout_s)

    def _store(self, spec: VehicleSpec, consumption: float) -> None:
        with self._changed:
            if spec not in self._known:
                self._known[spec] = consumption
                self.completed += 1
            self._changed.notify_all()

    def _work(self) -> None:
        """Drive the queue, in a child process where one can start: there the drives take
        neither the simulation thread's GIL nor its core. Where none can (a main module that
        spawning cannot import again, a sandbox), the drives run on this thread instead."""
        pool = self._start_pool() if self.child_process else None
        with self._changed:
            self._pool = pool
        try:
            while True:
                with self._changed:
                    if not self._queue:
                        self._thread = None
                        return
                    spec = self._queue.popleft()
                try:
                    self._store(spec, self._drive(spec, pool))
                except _Exiting:
                    LOG.debug("process exiting: WLTC drives left undone")
                    with self._changed:
                        self._thread = None
                    return
                except Exception:  # a model bug must not stop the queue for every other car
                    LOG.exception("WLTC rating drive failed")
        finally:
            with self._changed:
                self._pool = None
            if pool is not None:
                pool.shutdown(wait=False)

    def _drive(self, spec: VehicleSpec, pool: ProcessPoolExecutor | None) -> float:
        if pool is not None:
            try:
                future = pool.submit(wltc_consumption_J_per_m, spec)
            except RuntimeError:
                # The pool is shut down: the interpreter is exiting (its atexit hook shuts
                # every executor). Driving here instead would only hold the exit up.
                raise _Exiting from None
            try:
                return future.result()
            except (BrokenProcessPool, CancelledError, OSError) as error:
                if self._closed:   # its child killed by close(): nothing more to drive
                    raise _Exiting from None
                LOG.warning("WLTC drive in a child process failed (%s); driving here", error)
        return wltc_consumption_J_per_m(spec)

    @staticmethod
    def _start_pool() -> ProcessPoolExecutor | None:
        try:
            return ProcessPoolExecutor(1, mp_context=multiprocessing.get_context("spawn"),
                                       initializer=_start_child, initargs=(os.getpid(),))
        except (OSError, ValueError) as error:  # no process can start here
            LOG.warning("no child process for WLTC drives (%s); driving on a thread", error)
            return None


def _start_child(parent_pid: int) -> None:
    """Ready the drive child: it ends with the simulator and yields the cores to it."""
    _end_with_parent(parent_pid)
    _lower_priority()


def _end_with_parent(parent_pid: int) -> None:
    """Ask Linux to end this child when its parent ends, however the parent ends.

    A simulator that exits cleanly shuts its pool down, but one that is killed (SIGKILL, an
    out-of-memory kill, a test bench's teardown) cannot: the child holds its own end of the
    pool's queue, never sees the queue close, and waits on it for ever, one orphan per run.
    The death signal is tied to the thread that started the child, the rating thread, which
    only ends once the pool has nothing left to drive. Elsewhere (not Linux, no libc) the
    child keeps the old behaviour. A parent already gone before the request took effect
    would never send the signal, so that case is checked once afterwards.
    """
    if not sys.platform.startswith("linux"):
        return
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        if libc.prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0) != 0:
            return
    except (OSError, AttributeError):
        return
    if os.getppid() != parent_pid:
        os._exit(0)


def _lower_priority() -> None:
    """The drives are background work: at a low priority they take the cores only when the
    simulation loop, the broker and a cabin HMI on the same machine (the demo, a Pi) leave
    them idle, so a start or a refit does not slow the frames."""
    try:
        os.nice(CHILD_NICENESS)
    except OSError:  # not allowed here: the drives still run, at normal priority
        pass


SHARED = RatingService()
"""The process's service: every ScenarioVehicle uses it unless given its own."""
