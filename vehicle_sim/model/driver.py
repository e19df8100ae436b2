"""Driver side: gears, pedal inputs, the accelerator map and a speed-following driver.

The accelerator map is one-pedal style: the first part of the travel (up to
COAST_POINT) blends lift-off regen to zero, the rest asks for drive force with a
program-dependent progression.  SpeedFollower is a PI controller with road-load
feed-forward, so that speed traces such as the WLTC cycle can be driven and the
energy model exercised as a real driver would.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass

COAST_POINT = 0.12
"""Accelerator position giving neither drive nor lift-off regen."""


class Gear(enum.Enum):
    """Selector positions."""

    P = "P"
    R = "R"
    N = "N"
    D = "D"


@dataclass(frozen=True, slots=True)
class DriverInput:
    """What the driver does this step.

    Either pedals (accelerator and brake 0..1) or, when target_speed_mps is set,
    a target speed (m/s, magnitude in the selected direction) and its rate of
    change for the built-in speed follower, which then works the pedals.
    """

    accelerator: float = 0.0
    brake: float = 0.0
    gear: Gear = Gear.D
    target_speed_mps: float | None = None
    target_accel_mps2: float = 0.0


def accelerator_force_N(
    pedal: float, max_drive_N: float, coast_N: float, progression: float
) -> float:
    """Wheel force asked for by an accelerator position (negative = lift-off regen)."""
    if pedal <= COAST_POINT:
        return -coast_N * (1.0 - pedal / COAST_POINT)
    x = (pedal - COAST_POINT) / (1.0 - COAST_POINT)
    x = min(x, 1.0)
    force: float = max_drive_N * x**progression  # float ** float is typed Any
    return force


def pedals_for_force(
    force_N: float, max_drive_N: float, coast_N: float, progression: float, brake_max_N: float
) -> tuple[float, float]:
    """Inverse of the pedal maps: (accelerator, brake) that ask for force_N."""
    if force_N >= 0.0:
        if max_drive_N <= 0.0:
            return COAST_POINT, 0.0
        ratio = force_N / max_drive_N
        ratio = min(ratio, 1.0)
        return COAST_POINT + (1.0 - COAST_POINT) * ratio ** (1.0 / progression), 0.0
    if coast_N > 0.0 and force_N >= -coast_N:
        return COAST_POINT * (1.0 + force_N / coast_N), 0.0
    brake = (-force_N - coast_N) / brake_max_N
    return 0.0, (min(brake, 1.0))


class SpeedFollower:
    """PI speed controller with feed-forward, producing a wheel-force demand.

    Gains are in acceleration units (scaled by effective mass) so they do not need
    retuning when the vehicle mass changes.  Integration stops while the output is
    saturated (anti-windup).
    """

    __slots__ = ("integral_limit_mps2", "integral_mps2", "ki_per_s2", "kp_per_s")

    def __init__(
        self, kp_per_s: float = 1.5, ki_per_s2: float = 0.4, integral_limit_mps2: float = 1.5
    ) -> None:
        self.kp_per_s = kp_per_s
        self.ki_per_s2 = ki_per_s2
        self.integral_limit_mps2 = integral_limit_mps2
        self.integral_mps2 = 0.0

    def reset(self) -> None:
        """Forget the integral (e.g. after a gear change or a charge stop)."""
        self.integral_mps2 = 0.0

    def force_N(
        self,
        target_mps: float,
        target_accel_mps2: float,
        speed_mps: float,
        effective_mass_kg: float,
        feedforward_N: float,
        dt_s: float,
        max_force_N: float,
        min_force_N: float,
    ) -> float:
        """Wheel force (direction frame) to follow the target.

        feedforward_N is the force that would hold the current speed (road load
        plus the grade component), so the PI terms only correct model error.
        """
        error = target_mps - speed_mps
        if target_mps <= 0.01 and speed_mps < 0.3:
            # Stopped and meant to stay stopped: hold on the brake.
            self.integral_mps2 = 0.0
            return min_force_N * 0.3
        accel = target_accel_mps2 + self.kp_per_s * error + self.integral_mps2
        force = effective_mass_kg * accel + feedforward_N
        saturated_high = force >= max_force_N and error > 0.0
        saturated_low = force <= min_force_N and error < 0.0
        if not (saturated_high or saturated_low):
            i = self.integral_mps2 + self.ki_per_s2 * error * dt_s
            limit = self.integral_limit_mps2
            self.integral_mps2 = limit if i > limit else (max(i, -limit))
        return force
