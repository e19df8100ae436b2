"""Wait on a condition, never on the clock alone: poll until it holds, fail after a bound.

For conditions nobody notifies about (a process gone, a file written, a flag of another
thread); where a Condition or a queue can be waited on, wait on that instead.
"""

from __future__ import annotations

import time
from collections.abc import Callable

POLL_S = 0.01


def wait_until(condition: Callable[[], object], timeout_s: float = 5.0,
               what: str = "the condition") -> None:
    """Return as soon as `condition()` is true; AssertionError naming `what` after `timeout_s`."""
    deadline = time.monotonic() + timeout_s
    while not condition():
        if time.monotonic() >= deadline:
            raise AssertionError(f"{what} not met within {timeout_s:g} s")
        time.sleep(POLL_S)
