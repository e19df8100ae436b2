"""The WLTC rating child neither outlives the simulator nor holds its exit up.

- Killed (SIGKILL from a bench's teardown, the out-of-memory killer), a simulator cannot shut
  its drive pool down; before the child asked Linux for a death signal it then waited on the
  pool's queue for ever, one orphan per killed run.
- Stopped (SIGTERM, as the demo stops it), a simulator used to wait at its exit for the drive
  in hand: at niceness 15 on a loaded machine that took 17 s, and the demo gave up on it.

A child frozen with SIGSTOP stands for a drive that would take for ever: the exit must not
wait for it. Every wait is on a condition, with a bound.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.support.processes import alive, children_of
from tests.support.wait import wait_until

ROOT = Path(__file__).resolve().parents[2]
BOUND_S = 10.0   # bound on a condition: each comes at once once the code is right

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"),
                                reason="the death signal and /proc are Linux's")

# A stand-in simulator: three drives queued, the child's pid printed once it exists; a line
# on stdin closes the service and exits. It runs as `-c` under a main guard, as a spawned
# child imports the main module again.
SIMULATOR = """
import dataclasses, multiprocessing, sys, time
from vehicle_sim.model import VehicleSpec
from vehicle_sim.ratings import RatingService
if __name__ == "__main__":
    base = VehicleSpec()
    service = RatingService()
    service.request(
        [dataclasses.replace(base, mass_kg=base.mass_kg + extra) for extra in (1, 2, 3)])
    while not multiprocessing.active_children():
        time.sleep(0.01)
    print(*[child.pid for child in multiprocessing.active_children()], flush=True)
    sys.stdin.readline()
    service.close()
"""


@pytest.fixture
def simulator() -> Iterator[tuple[subprocess.Popen[str], list[int]]]:
    process = subprocess.Popen([sys.executable, "-c", SIMULATOR], cwd=ROOT, text=True,
                               stdin=subprocess.PIPE, stdout=subprocess.PIPE)
    assert process.stdout is not None
    children = [int(pid) for pid in process.stdout.readline().split()]
    try:
        assert children, "the simulator started no rating child"
        yield process, children
    finally:
        process.kill()
        process.wait()
        for pid in children:
            if alive(pid):
                os.kill(pid, signal.SIGKILL)


def test_a_killed_simulator_leaves_no_rating_child(simulator) -> None:
    process, children = simulator
    process.send_signal(signal.SIGKILL)
    process.wait()
    wait_until(lambda: not any(alive(pid) for pid in children), BOUND_S,
               "the rating child ending with its killed simulator")


def test_a_closed_service_abandons_the_drive_under_way(simulator) -> None:
    process, children = simulator
    for pid in children:
        os.kill(pid, signal.SIGSTOP)   # a drive that would never end
    assert process.stdin is not None
    process.stdin.write("close\n")
    process.stdin.flush()
    assert process.wait(BOUND_S) == 0
    wait_until(lambda: not any(alive(pid) for pid in children), BOUND_S, "the child gone")


def _rating_child(pid: int) -> int | None:
    """ema-sim's spawned drive child, once it has one (its resource tracker is the other)."""
    for child in children_of(pid):
        try:
            command = Path(f"/proc/{child}/cmdline").read_bytes()
        except OSError:
            continue
        if b"spawn_main" in command:
            return child
    return None


def test_a_stopped_ema_sim_does_not_wait_for_its_rating_drive(mosquitto) -> None:
    """SIGTERM, as the demo and systemd stop it, with every shipped car queued for rating."""
    process = subprocess.Popen(
        [sys.executable, "-m", "vehicle_sim.cli", "--broker", mosquitto.url,
         "--vehicle", "rating-exit", "--loop", "--rate-shipped", "--log-level", "ERROR"],
        cwd=ROOT, stdin=subprocess.DEVNULL)
    child: int | None = None
    try:
        wait_until(lambda: _rating_child(process.pid) is not None, BOUND_S, "a rating child")
        child = _rating_child(process.pid)
        assert child is not None
        os.kill(child, signal.SIGSTOP)   # a drive that would never end
        process.send_signal(signal.SIGTERM)
        assert process.wait(BOUND_S) == 0
        wait_until(lambda: not alive(child), BOUND_S, "the child gone")
    finally:
        process.kill()
        process.wait()
        if child is not None and alive(child):
            os.kill(child, signal.SIGKILL)
