"""What the ride-height controls say: pending, moving, reached or refused, and why.

Pure functions, as hmi/tiles.py is for the program tiles, and the same rules: the driver's own
request wins while it is in flight (the control answers the tap at once); a refusal stays on
its level's control with the vehicle's reason, naming the limit where it is one ("Below
45 km/h"), while its cause does and for REFUSED_HOLD_S at most; once the vehicle has accepted,
its published ride height decides. While the vehicle moves, the controls and the readout name
the level it is going to (the TARGET), never the level it is leaving as if it were done. While
the ride height is not live (never received, stale, vehicle offline) no control claims to know.

The vehicle's state is three signals of the terrain frame: `RideHeight.Level` (the level the
suspension is aiming for), `Target` and `Actual` (ground clearance, m). Air suspension moves
at 10-20 mm/s, so "moving" lasts seconds.
"""

from __future__ import annotations

from dataclasses import dataclass

from .commands import REFUSAL_SEEN_S, CommandPhase, TrackedCommand
from .i18n import N_, tr
from .labels import enum_text, enum_values
from .tiles import (
    ACCEPTED_HOLD_S,
    DETAIL,
    IDLE,
    NOW,
    REFUSED_HOLD_S,
    UNKNOWN,
    Circumstances,
    TileState,
    cause_holds,
    refusal_text,
)

COMMAND = "set_ride_height"
LEVELS: tuple[str, ...] = enum_values("RideHeightLevel")   # catalogue order, lowest first
SETTLED_M = 0.005   # closer than this to its target, the body counts as there (HMI tolerance)
# A control's states (the display report's words, PROTOCOL.md §10).
STATES = ("idle", "pending", "moving", "reached", "refused", "unavailable")
MOVING_DETAIL = {"rising": N_("Rising…"), "lowering": N_("Lowering…")}
MOVING_STATUS = {"rising": N_("Rising to {level}"), "lowering": N_("Lowering to {level}")}


@dataclass(frozen=True, slots=True)
class RideHeightState:
    """The vehicle's ride height as the terrain frame has it; None where not live."""

    level: str | None       # the level the suspension is aiming for
    target_m: float | None
    actual_m: float | None

    @property
    def live(self) -> bool:
        return None not in (self.level, self.target_m, self.actual_m)

    @property
    def gap_m(self) -> float:
        """How far the body still has to go (positive: up); 0 while not live."""
        if self.target_m is None or self.actual_m is None:
            return 0.0
        return self.target_m - self.actual_m

    @property
    def moving(self) -> bool:
        return self.live and abs(self.gap_m) > SETTLED_M

    def at(self, level: str) -> bool:
        """Settled at `level`."""
        return self.live and self.level == level and not self.moving

    def direction(self, toward: str) -> str:
        """"rising" or "lowering" on the way to `toward`: from the heights while the vehicle
        already aims there, else from the order of the levels (its frame has not caught up)."""
        if self.level == toward and self.live and self.moving:
            return "rising" if self.gap_m > 0 else "lowering"
        here = LEVELS.index(self.level) if self.level in LEVELS else -1
        there = LEVELS.index(toward) if toward in LEVELS else -1
        return "lowering" if there < here else "rising"


@dataclass(frozen=True, slots=True)
class RideStatus:
    """The whole control: where the driver's request stands, and the readout's text."""

    state: str                # pending, moving, reached, refused, unavailable
    requested: str | None     # the level of the driver's request while it is followed
    key: str | None           # the reason code while refused
    target: str | None        # the level the readout names (where it is going or is)
    text: str                 # the readout's text: "Rising to Off-road", "Normal"


def _following(command: TrackedCommand | None, now_s: float,
               now: Circumstances) -> TrackedCommand | None:
    """The driver's request while it still speaks for the control, else None. A refusal
    speaks while its cause holds (`now`: the circumstances of the level refused) and, once
    seen, no longer than REFUSED_HOLD_S."""
    if command is None:
        return None
    age = now_s - command.changed_s
    if command.phase is CommandPhase.PENDING:
        return command
    if command.phase is CommandPhase.REFUSED:
        seen = age >= REFUSAL_SEEN_S
        gone = age >= REFUSED_HOLD_S or (seen and not cause_holds(command.reason, now))
        return None if gone else command
    return command if age < ACCEPTED_HOLD_S else None


def _moving(vehicle: RideHeightState, level: str) -> TileState:
    return TileState("moving", tr(MOVING_DETAIL[vehicle.direction(level)]))


def level_control(level: str, vehicle: RideHeightState, command: TrackedCommand | None,
                  now_s: float, now: Circumstances = NOW) -> TileState:
    """State of the control for `level`; `now`: the circumstances of the requested level."""
    mine = _following(command, now_s, now)
    requested = str(mine.args.get("level")) if mine is not None else None
    if mine is not None and requested == level:
        if mine.phase is CommandPhase.PENDING:
            return TileState("pending", tr(DETAIL["requested"]))
        if mine.phase is CommandPhase.REFUSED:
            return TileState("refused", refusal_text(mine.reason, now, mine.reason_text),
                             mine.reason)
        if vehicle.live:
            return TileState("reached", tr(DETAIL["active"])) if vehicle.at(level) \
                else _moving(vehicle, level)
    if not vehicle.live:
        return UNKNOWN
    accepted_elsewhere = (mine is not None and requested != level
                          and mine.phase in (CommandPhase.ACCEPTED, CommandPhase.COMPLETED)
                          and not vehicle.at(str(requested)))
    if vehicle.level == level and not accepted_elsewhere:
        return _moving(vehicle, level) if vehicle.moving else TileState("reached",
                                                                        tr(DETAIL["active"]))
    return IDLE


def ride_status(vehicle: RideHeightState, command: TrackedCommand | None,
                now_s: float, now: Circumstances = NOW) -> RideStatus:
    """The control as a whole, and what the readout says: the target while moving."""
    mine = _following(command, now_s, now)
    requested = str(mine.args.get("level")) if mine is not None else None
    if not vehicle.live:
        phase = mine.phase if mine is not None else None
        state = {CommandPhase.REFUSED: "refused", CommandPhase.PENDING: "pending"}.get(
            phase, "unavailable") if phase is not None else "unavailable"
        reason = mine.reason if mine is not None and state == "refused" else None
        return RideStatus(state, requested, reason, None, "")
    target = str(vehicle.level)
    if mine is not None and mine.phase in (CommandPhase.ACCEPTED, CommandPhase.COMPLETED):
        target = str(requested)
    if vehicle.at(target):
        text, moving = enum_text("RideHeightLevel", target), False
    else:
        text = tr(MOVING_STATUS[vehicle.direction(target)]).format(
            level=enum_text("RideHeightLevel", target))
        moving = True
    if mine is not None and mine.phase is CommandPhase.PENDING:
        state = "pending"
    elif mine is not None and mine.phase is CommandPhase.REFUSED:
        state = "refused"
    else:
        state = "moving" if moving else "reached"
    return RideStatus(state, requested, mine.reason if state == "refused" and mine else None,
                      target, text)
