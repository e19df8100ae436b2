"""What a Terrain Response tile or a locker button says, from the vehicle's state and our request.

Pure functions so the rules can be tested as a table. The driver's own request wins while it
is in flight (the tile answers the tap at once); once the vehicle has answered, its published
program state decides, so several screens and the vehicle always agree. While that state is not
live (never received, stale, vehicle offline) no tile claims to know: each is "unavailable".

A refusal says what would make the request possible ("Below 30 km/h", with the vehicle's own
limit in the driver's units) and stays only while its cause does (`Circumstances`): it clears
as soon as the speed is under the limit, the charger is unplugged, the program has changed or
the vehicle is back, and after REFUSED_HOLD_S at the latest. A tile the vehicle says cannot be
selected says why before it is tapped (the catalogue's ProgramAvailability).
"""

from __future__ import annotations

from dataclasses import dataclass

from .commands import OFFLINE, REFUSAL_SEEN_S, CommandPhase, TrackedCommand
from .formatting import NOT_AVAILABLE
from .i18n import N_, tr
from .labels import enum_text

AVAILABLE = "AVAILABLE"         # the catalogue's ProgramAvailability value for "may be selected"
SPEED_TOO_HIGH = "speed_too_high"

REFUSED_HOLD_S = 6.0     # how long a refusal stays on the tile at most
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


@dataclass(frozen=True, slots=True)
class Circumstances:
    """What a refusal's cause is judged by now; None where not live."""

    connected: bool = True             # the vehicle hears us (hmi/commands.py's reachable)
    speed_mps: float | None = None
    limit_mps: float | None = None     # the program's speed limit, as the vehicle publishes it
    limit_text: str = ""               # that limit in the driver's units: "30 km/h"
    availability: str | None = None    # the program's ProgramAvailability (AVAILABLE, ...)
    program_changed: bool = False      # the program in force is not the one refused in


NOW = Circumstances()


def cause_holds(reason: str | None, now: Circumstances) -> bool:
    """Whether what refused a request still stands. Unknown or not live: it may (the refusal
    then ends with its hold time)."""
    if reason == OFFLINE:
        return not now.connected
    if reason == SPEED_TOO_HIGH and now.speed_mps is not None and now.limit_mps is not None:
        return now.speed_mps > now.limit_mps
    if reason == "not_allowed_in_program":
        return not now.program_changed
    if reason is not None and now.availability is not None and reason.upper() in (
            "VEHICLE_CHARGING", "NOT_READY"):
        return now.availability == reason.upper()
    return True


def refusal_text(reason: str | None, now: Circumstances, fallback: str) -> str:
    """The refusal as the driver reads it: the limit where there is one."""
    if reason == SPEED_TOO_HIGH and now.limit_text:
        return tr("Below {speed}").format(speed=now.limit_text)
    return fallback


def unavailable_tile(availability: str, now: Circumstances) -> TileState:
    """A tile the vehicle says cannot be selected now, with why ("While charging")."""
    if availability == SPEED_TOO_HIGH.upper() and now.limit_text:
        return TileState("unavailable", refusal_text(SPEED_TOO_HIGH, now, ""))
    text = enum_text("ProgramAvailability", availability, "")
    return TileState("unavailable", text or tr(DETAIL["not_available"]))


def _shown(tile: TileState) -> TileState:
    """`tile` with its detail in the driver's language (hmi.i18n.tr)."""
    return TileState(tile.state, tr(tile.detail), tile.key)


def terrain_tile(program: str, active: str | None, requested: str | None,
                 change: str | None, available: bool | str | None,
                 command: TrackedCommand | None, now_s: float,
                 now: Circumstances = NOW) -> TileState:
    """State of the tile for `program`; None means the signal is not live. `available` is the
    program's ProgramAvailability (True: AVAILABLE)."""
    if command is not None and command.args.get("program") == program:
        mine = _from_command(program, active, requested, change, command, now_s, now)
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
    if available is not True and available != AVAILABLE:
        return unavailable_tile(str(available), now)
    return IDLE


def _refused(command: TrackedCommand, now_s: float, now: Circumstances) -> TileState | None:
    """The refusal while it stands: held REFUSED_HOLD_S at most, and only while its cause is."""
    age = now_s - command.changed_s
    if age >= REFUSED_HOLD_S or (age >= REFUSAL_SEEN_S and not cause_holds(command.reason, now)):
        return None
    return TileState("refused", refusal_text(command.reason, now, command.reason_text),
                     command.reason)


def _from_command(program: str, active: str | None, requested: str | None, change: str | None,
                  command: TrackedCommand, now_s: float,
                  now: Circumstances) -> TileState | None:
    age = now_s - command.changed_s
    if command.phase is CommandPhase.PENDING:
        return _shown(REQUESTED)
    if command.phase is CommandPhase.REFUSED:
        return _refused(command, now_s, now)
    if age >= ACCEPTED_HOLD_S:
        return None
    if active == program and change not in ("REQUESTED", "ENGAGING"):
        return _shown(ACTIVE)
    if change == "REFUSED" and requested == program:
        return _shown(REFUSED_BY_VEHICLE)
    return _shown(ENGAGING)


def locker_state(requested: bool | None, engagement: float | None,
                 command: TrackedCommand | None, now_s: float,
                 now: Circumstances = NOW) -> TileState:
    """State of one axle locker button: open, locking, locked, unlocking, or our request."""
    if command is not None:
        if command.phase is CommandPhase.PENDING:
            return _shown(REQUESTED)
        if command.phase is CommandPhase.REFUSED:
            refused = _refused(command, now_s, now)
            if refused is not None:
                return refused
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
