"""Commands the driver started and where each stands: pending, accepted, done or refused.

Main thread only. The link sends and reports; this keeps the story per request id so a tile
or a button can say "requested", "engaging" or "refused: slow down first" within a frame of
the answer, and gives up with "no response" if the vehicle stays silent.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping
from dataclasses import dataclass, replace
from enum import StrEnum

from protocols import CommandResult, ResultStatus
from protocols.catalogue import Value

from .labels import reason_text

LOG = logging.getLogger(__name__)

DEFAULT_TIMEOUT_S = 3.0
OFFLINE = "offline"   # the HMI's own reason code (hmi/labels.py LOCAL_REASONS)
# A refusal stays on its control at least this long, even if its cause is gone at once (the
# driver must see that the tap was refused); then only while its cause stands (hmi/tiles.py).
REFUSAL_SEEN_S = 1.0

# Reason codes come from the catalogue (and hmi/link.py's own); their texts are in hmi/labels.py.


class CommandPhase(StrEnum):
    PENDING = "pending"
    ACCEPTED = "accepted"
    COMPLETED = "completed"
    REFUSED = "refused"


@dataclass(frozen=True, slots=True)
class TrackedCommand:
    rid: str
    name: str
    args: Mapping[str, Value]
    sent_s: float
    phase: CommandPhase = CommandPhase.PENDING
    reason: str | None = None
    changed_s: float = 0.0

    @property
    def reason_text(self) -> str:
        return reason_text(self.reason)

    @property
    def open(self) -> bool:
        """Still waiting for the vehicle to finish or refuse."""
        return self.phase in (CommandPhase.PENDING, CommandPhase.ACCEPTED)


Sender = Callable[[str, Mapping[str, Value]], str]


class CommandTracker:
    """Sends through `sender` and follows each request id to its end."""

    def __init__(self, sender: Sender, timeout_s: float = DEFAULT_TIMEOUT_S) -> None:
        self._sender = sender
        self.timeout_s = timeout_s
        self._by_rid: dict[str, TrackedCommand] = {}
        self._latest: dict[str, str] = {}  # slot -> rid of the newest request
        self.revision = 0  # bumps on every change, so views know when to look again
        self.on_sent: Callable[[], None] | None = None  # the pacer's wake: show "pending" now
        # Whether the vehicle can hear us now (composition: the link model's "online"). A
        # command for a vehicle that is offline, or whose data has stopped, is not sent: it
        # ends at once as refused "offline", so the control says "Not connected" in the
        # frame of the tap instead of "Requested…" and, seconds later, "No response".
        self.reachable: Callable[[], bool] | None = None
        self._local = 0
        self._refusals_seen: list[float] = []   # when a refusal's minimum time ends

    def send(self, name: str, args: Mapping[str, Value], now_s: float,
             slot: str | None = None) -> TrackedCommand:
        """Send a command; `slot` (default: the name) groups requests that replace each other."""
        slot = slot or name
        if self.reachable is not None and not self.reachable():
            self._local += 1
            rid = f"local-{self._local}"   # never on the bus: no answer can ever match it
            tracked = TrackedCommand(rid, name, dict(args), now_s, CommandPhase.REFUSED,
                                     OFFLINE, now_s)
            self._refusals_seen.append(now_s + REFUSAL_SEEN_S)
            LOG.info("%s %s not sent: vehicle not connected", name, dict(args))
        else:
            rid = self._sender(name, args)
            tracked = TrackedCommand(rid, name, dict(args), now_s, changed_s=now_s)
        previous = self._latest.get(slot)
        if previous is not None:
            self._by_rid.pop(previous, None)  # only the newest request of a slot matters
        self._by_rid[rid] = tracked
        self._latest[slot] = rid
        self.revision += 1
        if self.on_sent is not None:
            self.on_sent()
        return tracked

    def on_result(self, result: CommandResult, now_s: float) -> TrackedCommand | None:
        tracked = self._by_rid.get(result.rid)
        if tracked is None:
            return None
        phase = {ResultStatus.ACCEPTED: CommandPhase.ACCEPTED,
                 ResultStatus.COMPLETED: CommandPhase.COMPLETED,
                 ResultStatus.REJECTED: CommandPhase.REFUSED}[result.status]
        if tracked.phase is CommandPhase.COMPLETED and phase is CommandPhase.ACCEPTED:
            return tracked  # a late "accepted" after "completed" changes nothing
        return self._update(tracked, phase, result.reason, now_s)

    def on_failed(self, rid: str, reason: str, now_s: float) -> TrackedCommand | None:
        tracked = self._by_rid.get(rid)
        if tracked is None:
            return None
        return self._update(tracked, CommandPhase.REFUSED, reason, now_s)

    def expire(self, now_s: float) -> list[TrackedCommand]:
        """Give up on requests the vehicle never answered; mark the end of each refusal's
        minimum time as a change, so that a refusal whose cause has gone clears then."""
        seen = [t for t in self._refusals_seen if t > now_s]
        if len(seen) != len(self._refusals_seen):
            self._refusals_seen = seen
            self.revision += 1
        expired = [t for t in self._by_rid.values()
                   if t.phase is CommandPhase.PENDING and now_s - t.sent_s > self.timeout_s]
        return [self._update(t, CommandPhase.REFUSED, "no_response", now_s) for t in expired]

    @property
    def next_expiry_s(self) -> float:
        """When the oldest unanswered request times out, or a refusal's minimum time ends
        (inf if neither)."""
        return min((*(t.sent_s + self.timeout_s for t in self._by_rid.values()
                      if t.phase is CommandPhase.PENDING), *self._refusals_seen),
                   default=float("inf"))

    def latest(self, slot: str) -> TrackedCommand | None:
        rid = self._latest.get(slot)
        return self._by_rid.get(rid) if rid else None

    def _update(self, tracked: TrackedCommand, phase: CommandPhase, reason: str | None,
                now_s: float) -> TrackedCommand:
        updated = replace(tracked, phase=phase, reason=reason, changed_s=now_s)
        self._by_rid[tracked.rid] = updated
        if phase is CommandPhase.REFUSED:
            self._refusals_seen.append(now_s + REFUSAL_SEEN_S)
        self.revision += 1
        LOG.info("%s rid=%s %s %s", tracked.name, tracked.rid, phase.value, reason or "")
        return updated
