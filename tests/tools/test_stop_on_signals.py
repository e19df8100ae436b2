"""SIGTERM stops a tool whatever its main thread is doing, even inside `Event.wait()`.

A handler that calls `Event.set()` itself deadlocks when the signal lands while the main thread
holds the Event's lock; with a busy `wait(0)` loop that happened in more than half of the tries.
"""

from __future__ import annotations

import signal
import subprocess
import sys

from .conftest import REPO

TRIES = 30
BUSY_WAITER = r'''
import threading
from protocols.bus.lifecycle import stop_on_signals
stop = threading.Event()
with stop_on_signals(stop.set):
    print("ready", flush=True)
    while not stop.wait(0):
        pass
print("stopped", flush=True)
'''


def test_sigterm_always_stops_a_loop_waiting_on_an_event() -> None:
    hung = 0
    for _ in range(TRIES):
        process = subprocess.Popen([sys.executable, "-c", BUSY_WAITER], cwd=REPO,
                                   stdout=subprocess.PIPE)
        assert process.stdout is not None
        assert process.stdout.readline() == b"ready\n"
        process.send_signal(signal.SIGTERM)
        try:
            out, _ = process.communicate(timeout=10)
        except subprocess.TimeoutExpired:
            hung += 1
            process.kill()
            process.communicate()
            continue
        assert out == b"stopped\n" and process.returncode == 0
    assert hung == 0, f"{hung} of {TRIES} processes did not stop on SIGTERM"


def test_the_old_handlers_come_back_after_the_block() -> None:
    from protocols.bus.lifecycle import stop_on_signals

    before = signal.getsignal(signal.SIGTERM)
    with stop_on_signals(lambda: None):
        assert signal.getsignal(signal.SIGTERM) is not before
    assert signal.getsignal(signal.SIGTERM) is before
