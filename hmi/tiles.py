"""What a Terrain Response tile or a locker button says, from the vehicle's state and our request.

Pure functions so the rules can be tested as a table. The driver's own request wins while it
is in flight (the tile answers the tap at once); once the vehicle has answered, its published
program state decides, so several screens and the vehicle always agree.
"""

from __future__ import annotations

from dataclasses import dataclass

from .commands import CommandPhase, TrackedCommand

REFUSED_HOLD_S = 6.0     # how long a refusal stays on the tile
ACCEPTED_HOLD_S = 10.0   # how long we wait for the vehicle's state to confirm an accepted change
LOCKED_PERCENT = 95.0
OPEN_PERCENT = 5.0


@dataclass(frozen=True, slots=True)
class TileState:
    state: str    # idle, requested, engaging, active, refused, unavailable
    detail: str   # short text under the tile label


IDLE = TileState("idle", "")


def terrain_tile(program: str, active: str | None, requested: str | None,
                 change: str | None, available: bool | None,
                 command: TrackedCommand | None, now_s: float) -> TileState:
    """State of the tile for `program`; None means the signal is not live."""
    if command is not None and command.args.get("program") == program:
        mine = _from_command(program, active, requested, change, command, now_s)
        if mine is not None:
            return mine
    if active == program:
        if change == "ENGAGING" and requested == program:
            return TileState("engaging", "Engaging…")
        return TileState("active", "Active")
    if requested == program:
        if change == "REQUESTED":
            return TileState("requested", "Requested…")
        if change == "ENGAGING":
            return TileState("engaging", "Engaging…")
        if change == "REFUSED":
            return TileState("refused", "Refused by vehicle")
    if available is False:
        return TileState("unavailable", "Not available")
    return IDLE


def _from_command(program: str, active: str | None, requested: str | None, change: str | None,
                  command: TrackedCommand, now_s: float) -> TileState | None:
    age = now_s - command.changed_s
    if command.phase is CommandPhase.PENDING:
        return TileState("requested", "Requested…")
    if command.phase is CommandPhase.REFUSED:
        return TileState("refused", command.reason_text) if age < REFUSED_HOLD_S else None
    if age >= ACCEPTED_HOLD_S:
        return None
    if active == program and change not in ("REQUESTED", "ENGAGING"):
        return TileState("active", "Active")
    if change == "REFUSED" and requested == program:
        return TileState("refused", "Refused by vehicle")
    return TileState("engaging", "Engaging…")


def locker_state(requested: bool | None, engagement: float | None,
                 command: TrackedCommand | None, now_s: float) -> TileState:
    """State of one axle locker button: open, locking, locked, unlocking, or our request."""
    if command is not None:
        age = now_s - command.changed_s
        if command.phase is CommandPhase.PENDING:
            return TileState("requested", "Requested…")
        if command.phase is CommandPhase.REFUSED and age < REFUSED_HOLD_S:
            return TileState("refused", command.reason_text)
    if engagement is None or requested is None:
        return TileState("unavailable", "--")
    if engagement >= LOCKED_PERCENT:
        return TileState("active", "Locked")
    if requested:
        return TileState("engaging", f"Locking {engagement:.0f} %")
    if engagement > OPEN_PERCENT:
        return TileState("engaging", "Unlocking")
    return TileState("idle", "Open")
