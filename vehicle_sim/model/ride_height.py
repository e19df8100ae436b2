"""Air-suspension ride height: levels, the actuator and the request rules.

Height changes are slow (compressor/valves move the body ~10-20 mm/s), so the HMI
shows a target and an actual height and a pending state until the target is
reached.  Raised heights are for low speed only: above ~45 km/h they drop back to
NORMAL, and requests for them are refused at speed.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

from .rules import Rule


class RideHeightLevel(enum.Enum):
    """Ride height levels; the value is the ground clearance in m."""

    ACCESS = 0.20
    NORMAL = 0.22
    OFF_ROAD = 0.28
    EXTENDED = 0.31

    @property
    def clearance_m(self) -> float:
        """Ground clearance at this level."""
        return float(self.value)

    @property
    def is_raised(self) -> bool:
        """True for levels above NORMAL (speed-limited)."""
        return self.value > RideHeightLevel.NORMAL.value

    @property
    def title(self) -> str:
        """The level's name in the vehicle's English messages, spelt as the cabin spells it
        ("Off-road", never "Off Road"; hmi/labels.py)."""
        return _TITLES[self.name]


_TITLES = {"ACCESS": "Access", "NORMAL": "Normal", "OFF_ROAD": "Off-road", "EXTENDED": "Extended"}


RIDE_HEIGHT_ORDER = (
    RideHeightLevel.ACCESS,
    RideHeightLevel.NORMAL,
    RideHeightLevel.OFF_ROAD,
    RideHeightLevel.EXTENDED,
)

SETTLED_TOLERANCE_M = 0.0005
"""Distance to target below which the height counts as reached."""


def nearest_level(clearance_m: float) -> RideHeightLevel:
    """Level whose clearance is closest to a measured clearance."""
    return min(RIDE_HEIGHT_ORDER, key=lambda lvl: abs(lvl.clearance_m - clearance_m))


class RideHeightActuator:
    """Moves the actual ride height toward a target level at a fixed rate.

    Raising is slower than lowering, as on real air suspension where the
    compressor has to fill the springs but lowering only vents them.
    """

    __slots__ = ("actual_m", "level", "lower_rate_mps", "raise_rate_mps", "target")

    def __init__(
        self,
        level: RideHeightLevel = RideHeightLevel.NORMAL,
        raise_rate_mps: float = 0.015,
        lower_rate_mps: float = 0.020,
    ) -> None:
        self.target = level
        self.level = level
        self.actual_m = level.clearance_m
        self.raise_rate_mps = raise_rate_mps
        self.lower_rate_mps = lower_rate_mps

    @property
    def settled(self) -> bool:
        """True once the actual height is at the target."""
        return abs(self.actual_m - self.target.clearance_m) <= SETTLED_TOLERANCE_M

    def step(self, dt_s: float, target: RideHeightLevel) -> None:
        """Advance the height toward target by one step."""
        self.target = target
        goal = target.clearance_m
        diff = goal - self.actual_m
        if diff > 0.0:
            move = self.raise_rate_mps * dt_s
            self.actual_m = goal if diff <= move else self.actual_m + move
        elif diff < 0.0:
            move = self.lower_rate_mps * dt_s
            self.actual_m = goal if -diff <= move else self.actual_m - move
        if abs(self.actual_m - goal) <= SETTLED_TOLERANCE_M:
            self.level = target


@dataclass(frozen=True, slots=True)
class RideHeightRequestContext:
    """What the ride-height rules look at."""

    level: RideHeightLevel
    speed_mps: float
    ready: bool
    charger_connected: bool
    program_minimum: RideHeightLevel
    raised_max_speed_mps: float
    access_max_speed_mps: float


RIDE_HEIGHT_RULES: tuple[Rule[RideHeightRequestContext], ...] = (
    Rule("not_ready", "Switch the vehicle on to change the ride height.", lambda c: not c.ready),
    Rule(
        "vehicle_charging",
        "Ride height is locked while a charging cable is connected.",
        lambda c: c.charger_connected,
    ),
    Rule(
        "speed_too_high",
        "{level} height is only available below {raised_limit_kmh:.0f} km/h.",
        lambda c: c.level.is_raised and c.speed_mps > c.raised_max_speed_mps,
    ),
    Rule(
        "speed_too_high",
        "Access height is only available below {access_limit_kmh:.0f} km/h.",
        lambda c: c.level is RideHeightLevel.ACCESS and c.speed_mps > c.access_max_speed_mps,
    ),
    Rule(
        "program_requires_height",
        "The current terrain program needs at least {minimum} height.",
        lambda c: c.level.value < c.program_minimum.value,
    ),
)
"""Checked in order; the first violated rule gives the refusal reason."""
