"""What every long-running CLI needs: stop cleanly on Ctrl-C and SIGTERM, and leave the handlers
as found.

Why a relay thread: a Python signal handler runs on the main thread between two bytecodes,
possibly while that thread holds a lock. `threading.Event.set()` takes the Event's condition
lock, which the main thread holds for a moment inside every `Event.wait()`; a handler that calls
`set()` right then waits forever on a lock its own thread holds. A recorder was seen to hang on
SIGTERM exactly so. The handler here only writes a byte to a pipe (no Python lock), and a relay
thread calls `stop` outside the handler, where taking a lock is safe.
"""

from __future__ import annotations

import os
import signal
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)
RELAY_JOIN_S = 1.0


@contextmanager
def stop_on_signals(stop: Callable[[], None],
                    signals: tuple[int, ...] = STOP_SIGNALS) -> Iterator[None]:
    """Call `stop` (on a relay thread) on any of `signals` inside the block; restore the old
    handlers afterwards.

    Restoring matters when a CLI's main() runs inside another program (a test runner). Off the
    main thread Python cannot install handlers, so there the block runs without them.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    read_fd, write_fd = os.pipe()
    relay = threading.Thread(target=_relay, args=(read_fd, stop), name="stop-signal-relay",
                             daemon=True)
    relay.start()

    def on_signal(signum: int, frame: object) -> None:
        try:
            os.write(write_fd, b"\0")
        except OSError:  # the pipe is closing: the block is already over
            pass

    # A parent may have left the stop signals blocked in the mask we inherited; a tool told to
    # stop must hear it.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, signals)
    previous = {signum: signal.signal(signum, on_signal) for signum in signals}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
        os.close(write_fd)  # the relay reads end-of-file and ends
        relay.join(RELAY_JOIN_S)


def _relay(read_fd: int, stop: Callable[[], None]) -> None:
    """Call `stop` once per signal byte until the write end closes."""
    try:
        while os.read(read_fd, 64):
            stop()
    finally:
        os.close(read_fd)
