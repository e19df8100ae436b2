"""Display profiles: window size, fullscreen, pixel density of each target display.

Pure data (no Kivy import), so the CLI can read it before Kivy's environment is set.
A touch target must be at least 12 mm on the glass: pi7 5.2 px/mm -> 63 px,
Touch Display 2 8.2 px/mm -> 99 px (hmi.metrics turns this into pixel sizes).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

MIN_TOUCH_MM = 12.0


@dataclass(frozen=True, slots=True)
class Profile:
    name: str
    width: int
    height: int
    fullscreen: bool
    resizable: bool
    px_per_mm: float
    show_cursor: bool

    @property
    def size(self) -> tuple[int, int]:
        return (self.width, self.height)

    @property
    def min_touch_px(self) -> int:
        return math.ceil(MIN_TOUCH_MM * self.px_per_mm)


PROFILES = {p.name: p for p in (
    Profile("desktop", 800, 480, fullscreen=False, resizable=True, px_per_mm=5.2,
            show_cursor=True),
    Profile("pi7", 800, 480, fullscreen=True, resizable=False, px_per_mm=5.2, show_cursor=False),
    Profile("pi-touch2", 720, 1280, fullscreen=True, resizable=False, px_per_mm=8.2,
            show_cursor=False),
)}
DEFAULT_PROFILE = "desktop"
