"""What a Terrain Response tile or a locker button says, from the vehicle's state and our request.

Pure functions so the rules can be tested as a table. The driver's own request wins while it
is in flight (the tile answers the tap at once); once the vehicle has answered, its published
program state decides, so several screens and the vehicle always agree. While that state is not
live (never received, stale, vehicle offline) no tile claims to know: each is "unavailable".
"""

from __future__ import annotations

from dataclasses import dataclass

from .commands import CommandPhase, TrackedCommand
from .formatting import NOT_AVAILABLE
from .i18n import N_, tr

REFUSED_HOLD_S = 6.0     # how long a refusal stays on the tile
ACCEPTED_HOLD_S = 10.0   # how long we wait for the vehicle's state to confirm an accepted change
LOCKED_PERCENT = 95.0
OPEN_PERCENT = 5.0


@dataclass(frozen=True, slots=True)
class TileState:
    state: str    # idle, requested, engaging, active, refused, unavailable
    detail: str   # short text under the tile label
    key: str | None = None   # refused by a command's answer: its reason code (the report's)


# The texts under a tile or locker label; a refusal says the vehicle's reason instead.
# Msgids: a TileState's detail is translated where the state is returned (`_shown`).
DETAIL = {"active": N_("Active"), "requested": N_("Requested…"), "engaging": N_("Engaging…"),
          "refused": N_("Refused by vehicle"), "not_available": N_("Not available"),
          "locked": N_("Locked"), "unlocking": N_("Unlocking"), "open": N_("Unlocked")}
IDLE = TileState("idle", "")
# The vehicle's state is not live (never received, stale, offline): a tile or locker that
# said "idle" or "Unlocked" would claim to know, so it says nothing but that it cannot tell.
UNKNOWN = TileState("unavailable", NOT_AVAILABLE)
ACTIVE = TileState("active", DETAIL["active"])
REQUESTED = TileState("requested", DETAIL["requested"])
ENGAGING = TileState("engaging", DETAIL["engaging"])
REFUSED_BY_VEHICLE = TileState("refused", DETAIL["refused"])


def _shown(tile: TileState) -> TileState:
    """`tile` with its detail in the driver's language (hmi.i18n.tr)."""
    return TileState(tile.state, tr(tile.detail), tile.key)


def terrain_tile(program: str, active: str | None, requested: str | None,
                 change: str | None, available: bool | None,
                 command: TrackedCommand | None, now_s: float) -> TileState:
    """State of the tile for `program`; None means the signal is not live."""
    if command is not None and command.args.get("program") == program:
        mine = _from_command(program, active, requested, change, command, now_s)
        if mine is not None:
            return mine
    if active is None:
        return UNKNOWN
    if active == program:
        if change == "ENGAGING" and requested == program:
            return _shown(ENGAGING)
        return _shown(ACTIVE)
    if requested == program:
        if change == "REQUESTED":
            return _shown(REQUESTED)
        if change == "ENGAGING":
            return _shown(ENGAGING)
        if change == "REFUSED":
            return _shown(REFUSED_BY_VEHICLE)
    if available is None:
        return UNKNOWN
    if available is False:
        return TileState("unavailable", tr(DETAIL["not_available"]))
    return IDLE


def _from_command(program: str, active: str | None, requested: str | None, change: str | None,
                  command: TrackedCommand, now_s: float) -> TileState | None:
    age = now_s - command.changed_s
    if command.phase is CommandPhase.PENDING:
        return _shown(REQUESTED)
    if command.phase is CommandPhase.REFUSED:
        return (TileState("refused", command.reason_text, command.reason)
                if age < REFUSED_HOLD_S else None)
    if age >= ACCEPTED_HOLD_S:
        return None
    if active == program and change not in ("REQUESTED", "ENGAGING"):
        return _shown(ACTIVE)
    if change == "REFUSED" and requested == program:
        return _shown(REFUSED_BY_VEHICLE)
    return _shown(ENGAGING)


def locker_state(requested: bool | None, engagement: float | None,
                 command: TrackedCommand | None, now_s: float) -> TileState:
    """State of one axle locker button: open, locking, locked, unlocking, or our request."""
    if command is not None:
        age = now_s - command.changed_s
        if command.phase is CommandPhase.PENDING:
            return _shown(REQUESTED)
        if command.phase is CommandPhase.REFUSED and age < REFUSED_HOLD_S:
            return TileState("refused", command.reason_text, command.reason)
    if engagement is None or requested is None:
        return UNKNOWN
    if engagement >= LOCKED_PERCENT:
        return TileState("active", tr(DETAIL["locked"]))
    if requested:
        return TileState("engaging",
                         tr("Locking {percent} %").format(percent=f"{engagement:.0f}"))
    if engagement > OPEN_PERCENT:
        return TileState("engaging", tr(DETAIL["unlocking"]))
    return TileState("idle", tr(DETAIL["open"]))
