"""Dual-motor torque split, traction limits and axle lockers.

There is no centre differential: each axle has its own motor, so the front/rear
split is whatever the controller commands.  It starts from the program's bias and
moves torque away from an axle that has reached its grip limit (detected slip) to
the axle that still has grip.  Within an axle an open differential can only use
part of the grip on uneven ground; a locker restores it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .environment import SurfaceGrip
from .rules import Rule
from .units import GRAVITY_MPS2


class Axle(enum.Enum):
    """Axle rows (VSS Row1 = front, Row2 = rear)."""

    FRONT = "FRONT"
    REAR = "REAR"


class LockerState(enum.Enum):
    """Axle differential lock state."""

    DISENGAGED = "DISENGAGED"
    ENGAGING = "ENGAGING"
    ENGAGED = "ENGAGED"


def torque_distribution(front: float, rear: float, default: float = 0.0) -> float:
    """VSS TorqueDistribution from axle torques: -100 all front .. +100 all rear."""
    total = abs(front) + abs(rear)
    if total <= 1e-9:
        return default
    return 100.0 * (abs(rear) - abs(front)) / total


def split_axle_forces(
    demand_N: float, rear_fraction: float, front_cap_N: float, rear_cap_N: float
) -> tuple[float, float]:
    """Split a (signed) wheel-force demand between the axles.

    Each axle first gets its share by the bias; what an axle cannot carry (cap =
    its motor or grip limit, a magnitude) moves to the other axle up to that
    axle's cap.  What neither can carry is not delivered.
    """
    sign = 1.0 if demand_N >= 0.0 else -1.0
    demand = abs(demand_N)
    front = demand * (1.0 - rear_fraction)
    rear = demand * rear_fraction
    if front > front_cap_N:
        spare = front - front_cap_N
        front = front_cap_N
        rear = min(rear + spare, rear_cap_N)
    elif rear > rear_cap_N:
        spare = rear - rear_cap_N
        rear = rear_cap_N
        front = min(front + spare, front_cap_N)
    return sign * front, sign * rear


def axle_normal_loads_N(
    mass_kg: float,
    front_load_fraction: float,
    cg_height_m: float,
    wheelbase_m: float,
    cos_grade: float,
    sin_grade: float,
    accel_mps2: float,
) -> tuple[float, float]:
    """Front and rear axle loads including slope and acceleration weight transfer.

    Climbing or accelerating moves load to the rear axle, which is why a bias
    toward the rear (and shifting torque rearward on slip) pays off uphill.
    """
    weight = mass_kg * GRAVITY_MPS2
    static_front = weight * cos_grade * front_load_fraction
    transfer = mass_kg * (GRAVITY_MPS2 * sin_grade + accel_mps2) * cg_height_m / wheelbase_m
    front = static_front - transfer
    total = weight * cos_grade
    if front < 0.0:
        front = 0.0
    elif front > total:
        front = total
    return front, total - front


def traction_limit_N(
    normal_load_N: float,
    grip: SurfaceGrip,
    grip_multiplier: float,
    locked: bool,
    slip_allowance: float,
) -> float:
    """Largest force an axle can put down before its wheels spin away.

    Traction control that allows slip near the surface's optimal slip gets the
    most out of it: relaxed slip on sand and mud helps, too much slip on tarmac
    hurts.
    """
    mismatch = abs(slip_allowance - grip.optimal_slip)
    gain = 1.0 - mismatch
    gain = max(gain, 0.7)
    diff = 1.0 if locked else grip.open_diff_factor
    return grip.peak_friction * grip_multiplier * normal_load_N * diff * gain


# --- Lockers ---------------------------------------------------------------


class AxleLocker:
    """One axle's locking differential: request -> engaging -> engaged.

    Auto-releases above its speed limit or when the program stops allowing it.
    """

    __slots__ = ("_timer", "engage_s", "released_reason", "requested", "state")

    def __init__(self, engage_s: float = 0.8) -> None:
        self.requested = False
        self.state = LockerState.DISENGAGED
        self.engage_s = engage_s
        self._timer = 0.0
        self.released_reason: str | None = None

    @property
    def engaged(self) -> bool:
        """True when the lock is fully in."""
        return self.state is LockerState.ENGAGED

    @property
    def engagement_pct(self) -> float:
        """0..100 % like VSS DiffLock*Engagement (ramps while engaging)."""
        if self.state is LockerState.ENGAGED:
            return 100.0
        if self.state is LockerState.ENGAGING:
            return min(99.0, 100.0 * self._timer / self.engage_s)
        return 0.0

    def set_requested(self, engage: bool) -> None:
        """Record an accepted driver request."""
        self.requested = engage
        self.released_reason = None
        if engage and self.state is LockerState.DISENGAGED:
            self.state = LockerState.ENGAGING
            self._timer = 0.0
        elif not engage:
            self.state = LockerState.DISENGAGED
            self._timer = 0.0

    def step(self, dt_s: float, allowed: bool, speed_mps: float, max_speed_mps: float) -> None:
        """Advance engagement; release automatically when no longer allowed."""
        if self.requested:
            if not allowed:
                self._release("program_disallows_lockers")
                return
            if speed_mps > max_speed_mps:
                self._release("speed_too_high")
                return
        if self.state is LockerState.ENGAGING:
            self._timer += dt_s
            if self._timer >= self.engage_s:
                self.state = LockerState.ENGAGED

    def _release(self, reason: str) -> None:
        self.requested = False
        self.state = LockerState.DISENGAGED
        self._timer = 0.0
        self.released_reason = reason


@dataclass(frozen=True, slots=True)
class LockerRequestContext:
    """What the locker rules look at."""

    engage: bool
    speed_mps: float
    ready: bool
    program_allows: bool
    max_speed_mps: float


LOCKER_RULES: tuple[Rule[LockerRequestContext], ...] = (
    Rule(
        "not_ready",
        "Switch the vehicle on to use the axle lockers.",
        lambda c: c.engage and not c.ready,
    ),
    Rule(
        "program_disallows_lockers",
        "Axle lockers aren't available in {program}. Choose an off-road program.",
        lambda c: c.engage and not c.program_allows,
    ),
    Rule(
        "speed_too_high",
        "Axle lockers engage only below {limit_kmh:.0f} km/h.",
        lambda c: c.engage and c.speed_mps > c.max_speed_mps,
    ),
)
"""Releasing a locker is always allowed; engaging is checked in this order."""
