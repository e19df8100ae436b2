"""The WLTC rating child ends with the simulator, however the simulator ends.

A simulator that is killed (SIGKILL from a bench's teardown, the out-of-memory killer) cannot
shut its drive pool down; before the child asked Linux for a death signal it then waited on
the pool's queue for ever, one orphan per killed run. This kills a real process that has a
drive in flight and waits (on the condition, with a bound) for its child to be gone.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.wait import wait_until

ROOT = Path(__file__).resolve().parents[2]
GONE_WITHIN_S = 10.0  # bound on a condition: the death signal arrives at once

# A stand-in simulator: three drives queued, the child's pid printed once it exists. It runs
# as `-c` under a main guard, as a spawned child re-imports the main module.
SIMULATOR = """
import dataclasses, multiprocessing, time
from vehicle_sim.model import VehicleSpec
from vehicle_sim.ratings import RatingService
if __name__ == "__main__":
    base = VehicleSpec()
    RatingService().request(
        [dataclasses.replace(base, mass_kg=base.mass_kg + extra) for extra in (1, 2, 3)])
    while not multiprocessing.active_children():
        time.sleep(0.01)
    print(*[child.pid for child in multiprocessing.active_children()], flush=True)
    time.sleep(600)
"""


def _running(pid: int) -> bool:
    """True while `pid` is a live process (a zombie waiting to be reaped has ended)."""
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except (FileNotFoundError, ProcessLookupError):
        return False
    return state != "Z"


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the death signal is Linux's")
def test_a_killed_simulator_leaves_no_rating_child() -> None:
    simulator = subprocess.Popen([sys.executable, "-c", SIMULATOR], cwd=ROOT,
                                 stdout=subprocess.PIPE, text=True)
    children: list[int] = []
    try:
        assert simulator.stdout is not None
        children = [int(pid) for pid in simulator.stdout.readline().split()]
        assert children, "the simulator started no rating child"
        simulator.send_signal(signal.SIGKILL)
        simulator.wait()
        wait_until(lambda: not any(_running(pid) for pid in children), GONE_WITHIN_S,
                   "the rating child ending with its killed simulator")
    finally:
        simulator.kill()
        simulator.wait()
        for pid in children:
            if _running(pid):
                os.kill(pid, signal.SIGKILL)
