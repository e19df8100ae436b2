"""Sequence gate: apply a state frame only if it is newer than the last one of its topic.

MQTT can hand us an old retained frame after a reconnect, or a replay; showing it would put
old data on screen as new. A publisher restart starts its sequence again, which the owner
signals by calling `reset()` when the vehicle's status is published anew.
"""

from __future__ import annotations


class SeqGate:
    """Remembers the last admitted seq per frame topic."""

    def __init__(self) -> None:
        self._last: dict[str, int] = {}

    def admit(self, frame: str, seq: int) -> bool:
        last = self._last.get(frame)
        if last is not None and seq <= last:
            return False
        self._last[frame] = seq
        return True

    def reset(self) -> None:
        self._last.clear()

    def last(self, frame: str) -> int | None:
        return self._last.get(frame)
