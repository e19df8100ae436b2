"""Driving the simulated car from the keyboard: keys held become pedals and slopes.

Up accelerates, Down brakes, Page Up/Down tilt the ground nose up/down, Left/Right tilt it
sideways, R hands the car back to the scenario, Space pauses. Pure state, no Kivy: the panel
feeds it key codes and sends what it returns.
"""

from __future__ import annotations

from dataclasses import dataclass

KEY_UP, KEY_DOWN, KEY_LEFT, KEY_RIGHT = 273, 274, 276, 275
KEY_PAGE_UP, KEY_PAGE_DOWN = 280, 281
KEY_SPACE, KEY_R = 32, ord("r")
ACCELERATOR_HELD = 0.6
BRAKE_HELD = 0.8
SLOPE_STEP_PCT = 5.0
SLOPE_LIMIT_PCT = 45.0


@dataclass(frozen=True, slots=True)
class DriveInput:
    accelerator: float = 0.0
    brake: float = 0.0
    grade_pct: float = 0.0
    side_slope_pct: float = 0.0


class KeyboardDriver:
    """Turns key presses and releases into the next DriveInput (None when nothing changed)."""

    def __init__(self) -> None:
        self.held: set[int] = set()
        self.grade_pct = 0.0
        self.side_slope_pct = 0.0
        self.current = DriveInput()

    def key_down(self, key: int) -> DriveInput | None:
        if key in (KEY_PAGE_UP, KEY_PAGE_DOWN):
            step = SLOPE_STEP_PCT if key == KEY_PAGE_UP else -SLOPE_STEP_PCT
            self.grade_pct = _clamp(self.grade_pct + step)
        elif key in (KEY_LEFT, KEY_RIGHT):
            step = SLOPE_STEP_PCT if key == KEY_RIGHT else -SLOPE_STEP_PCT
            self.side_slope_pct = _clamp(self.side_slope_pct + step)
        elif key in (KEY_UP, KEY_DOWN):
            self.held.add(key)
        else:
            return None
        return self._update()

    def key_up(self, key: int) -> DriveInput | None:
        if key not in self.held:
            return None
        self.held.discard(key)
        return self._update()

    def reset(self) -> None:
        self.held.clear()
        self.grade_pct = self.side_slope_pct = 0.0
        self.current = DriveInput()

    def _update(self) -> DriveInput | None:
        wanted = DriveInput(ACCELERATOR_HELD if KEY_UP in self.held else 0.0,
                            BRAKE_HELD if KEY_DOWN in self.held else 0.0,
                            self.grade_pct, self.side_slope_pct)
        if wanted == self.current:
            return None
        self.current = wanted
        return wanted


def _clamp(value: float) -> float:
    return max(-SLOPE_LIMIT_PCT, min(SLOPE_LIMIT_PCT, value))
