"""What both tool CLIs need: stop cleanly on Ctrl-C and SIGTERM, and leave the handlers as found."""

from __future__ import annotations

import signal
import threading
from contextlib import contextmanager
from typing import Callable, Iterator

STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@contextmanager
def stop_on_signals(stop: Callable[[], None]) -> Iterator[None]:
    """Call `stop` on SIGINT/SIGTERM inside the block; restore the old handlers afterwards.

    Restoring matters when a CLI's main() runs inside another program (a test runner). Off the
    main thread Python cannot install handlers, so there the block runs without them.
    """
    if threading.current_thread() is not threading.main_thread():
        yield
        return
    # A parent may have left the stop signals blocked in the mask we inherited; a tool told to
    # stop must hear it.
    signal.pthread_sigmask(signal.SIG_UNBLOCK, STOP_SIGNALS)
    previous = {signum: signal.signal(signum, lambda *_: stop()) for signum in STOP_SIGNALS}
    try:
        yield
    finally:
        for signum, handler in previous.items():
            signal.signal(signum, handler)
