"""How long this machine may take: bounds for the benchmark's waits, scaled to the machine.

Every wait of the benchmark waits on a condition (first frames, a readiness event, a process
ending) and gives up after a bound. A fixed bound is either too short for a slow board (the
Raspberry Pi's arm64 userland takes 7-17x longer than a 2-core x86 VM) or too long for a
failure on a fast one, so every bound is a nominal time on a reference machine times this
machine's `scale`, measured once by `calibrate` from a step every run needs anyway: starting
a Python child that imports what the simulator, the feed and the subjects import.
"""

from __future__ import annotations

import os
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

# The calibration child's wall time on the reference machine (2-core x86_64 VM, warm caches).
REFERENCE_S = 0.25
CALIBRATION_CODE = "import msgpack, paho.mqtt.client, protocols, protocols.bus.mqtt"
# Never give up on the calibration itself before this: it bounds a machine we know nothing of.
CALIBRATION_BOUND_S = 300.0


class WaitTimeout(RuntimeError):
    """A condition did not hold within its scaled bound (the step is then not measured)."""


@dataclass(frozen=True)
class Pace:
    """This machine's slowness against the reference machine (>= 1: never shorter bounds)."""

    scale: float = 1.0
    calibration_s: float = REFERENCE_S

    def bound(self, nominal_s: float) -> float:
        """The time a wait that takes up to `nominal_s` on the reference machine may take."""
        return nominal_s * self.scale


def pythonpath() -> str:
    """The PYTHONPATH that makes children import this checkout, whatever the caller's cwd."""
    root = str(Path(__file__).resolve().parents[2])
    existing = os.environ.get("PYTHONPATH")
    return root + (os.pathsep + existing if existing else "")


def calibrate(runs: int = 2) -> Pace:
    """Time a Python child importing the bus stack; the best of `runs` against REFERENCE_S."""
    env = dict(os.environ, PYTHONPATH=pythonpath())
    best = float("inf")
    for _ in range(runs):
        t0 = time.monotonic()
        subprocess.run([sys.executable, "-c", CALIBRATION_CODE], env=env, check=True,
                       timeout=CALIBRATION_BOUND_S, stdout=subprocess.DEVNULL)
        best = min(best, time.monotonic() - t0)
    return Pace(scale=max(1.0, best / REFERENCE_S), calibration_s=best)


def wait_until(cond: threading.Condition, predicate: Callable[[], bool], timeout_s: float,
               what: str, alive: Callable[[], bool] = lambda: True) -> None:
    """Wait on `cond` until `predicate()` holds; raise WaitTimeout after `timeout_s`, or at
    once when `alive()` turns false (the process that would make it true has died)."""
    deadline = time.monotonic() + timeout_s
    with cond:
        while not predicate():
            left = deadline - time.monotonic()
            if left <= 0:
                raise WaitTimeout(f"{what} within {timeout_s:.1f} s")
            if not alive():
                raise WaitTimeout(f"{what}: the process ended first")
            cond.wait(min(left, 0.2))


def stop_process(proc: subprocess.Popen[bytes] | subprocess.Popen[str],
                 timeout_s: float) -> bool:
    """Terminate `proc` and wait up to `timeout_s` for it; kill it if it is still there.
    True when it ended on its own terms: a process past its machine's capacity can be slow
    to stop, and that must not bring the run down (its figures were taken already)."""
    if proc.poll() is not None:
        return True
    proc.terminate()
    try:
        proc.wait(timeout_s)
        return True
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()
        return False
