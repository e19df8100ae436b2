"""The one place where sizes are decided, per display profile.

Sizes derive from the profile's pixel density so a touch target is at least 12 mm on the
glass and type scales with it. Orientation follows the window's shape, so a resized desktop
window re-lays out as landscape or portrait.
"""

from __future__ import annotations

import math
from typing import Any

from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, NumericProperty

from .profiles import MIN_TOUCH_MM, Profile, content_box


class Metrics(EventDispatcher):
    """Pixel sizes for the current profile; kv binds to these and never hard-codes a size."""

    touch = NumericProperty(63)      # minimum touch target edge
    rail = NumericProperty(92)       # navigation rail thickness
    status_bar = NumericProperty(36)
    banner = NumericProperty(34)
    gap = NumericProperty(8)
    pad = NumericProperty(10)
    radius = NumericProperty(10)
    line = NumericProperty(2)
    hero = NumericProperty(120)      # speed numerals
    display = NumericProperty(52)    # SoC, range
    title = NumericProperty(28)
    value = NumericProperty(24)
    body = NumericProperty(18)
    label = NumericProperty(15)
    caption = NumericProperty(13)
    portrait = BooleanProperty(False)

    zoom = NumericProperty(1.0)      # a resizable window's box over the design size
    box_width = NumericProperty(0)   # the cabin's box in the window (hmi.profiles.content_box)
    box_height = NumericProperty(0)

    def __init__(self, profile: Profile, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.profile = profile
        self.box_width, self.box_height = profile.size
        self.portrait = profile.height > profile.width
        self._derive(1.0)

    def _derive(self, zoom: float) -> None:
        """Every size from the profile's density, times the window's zoom: a bigger desktop
        window shows the same layout larger, never the same type on stretched panels."""
        self.zoom = zoom
        scale = self.profile.px_per_mm / 5.2 * zoom
        self.touch = math.ceil(MIN_TOUCH_MM * self.profile.px_per_mm * zoom)
        self.rail = max(round(92 * scale), self.touch + 16)
        self.status_bar = round(36 * scale)
        self.banner = round(34 * scale)
        self.gap = round(8 * scale)
        self.pad = round(10 * scale)
        self.radius = round(10 * scale)
        self.line = max(2, round(2 * scale))
        self.hero = round(150 * scale)
        self.display = round(50 * scale)
        self.title = round(26 * scale)
        self.value = round(22 * scale)
        self.body = round(17 * scale)
        self.label = round(14 * scale)
        self.caption = round(13 * scale)

    def follow_window(self, width: float, height: float) -> None:
        """Lay out for an area of `width` x `height`: orientation by its shape, and on a
        resizable window the design's proportions zoomed to fit (hmi.profiles.content_box)."""
        box = content_box(self.profile, width, height)
        if abs(box.zoom - self.zoom) > 1e-6:
            self._derive(box.zoom)
        self.box_width, self.box_height = box.width, box.height
        self.portrait = box.portrait
