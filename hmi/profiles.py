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


@dataclass(frozen=True, slots=True)
class ContentBox:
    """Where the cabin is drawn in an area of the window: its size, its orientation and the
    zoom its metrics are scaled by (1 on a fixed display)."""

    width: int
    height: int
    portrait: bool
    zoom: float


def content_box(profile: Profile, width: float, height: float) -> ContentBox:
    """The cabin's box in a `width` x `height` area.

    A fixed display (fullscreen profiles) is drawn as it is. A resizable window keeps the
    design's proportions (the profile's size, turned on its side when the window is taller
    than wide) and zooms it to the largest box that fits, centred: every size above the
    minimum then lays out as the design does, never stretched nor cut off."""
    portrait = height > width
    if not profile.resizable:
        return ContentBox(round(width), round(height), portrait, 1.0)
    long_side, short_side = max(profile.size), min(profile.size)
    design_w, design_h = (short_side, long_side) if portrait else (long_side, short_side)
    # in steps of 1/20: a window being dragged re-derives the sizes a few times, not per pixel
    zoom = max(1.0, math.floor(min(width / design_w, height / design_h) * 20) / 20)
    return ContentBox(min(round(design_w * zoom), round(width)),
                      min(round(design_h * zoom), round(height)), portrait, zoom)


def minimum_window(profile: Profile, beside: int = 0) -> tuple[int, int]:
    """The smallest window a resizable profile allows (`beside`: a panel's width next to
    the cabin): the design size in landscape, so nothing is ever laid out smaller."""
    return (max(profile.size) + beside, min(profile.size))
