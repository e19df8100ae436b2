"""Touch input on the Pi: one tap is one press.

On a Raspberry Pi touchscreen the same finger reaches Kivy twice: through the kernel touch
device (probesysfs -> hidinput provider) and through the mouse events SDL synthesises from it
(mouse provider). A button then sees two presses. Two measures, both needed:

- `configure_input`: the mouse provider ignores the mouse while a real touch is active
  (`disable_on_activity`) and never emulates multitouch circles.
- `DuplicateTouchFilter`: an input post-processor that drops a press reported by a second
  provider at (nearly) the same place within a short window, with its moves and release.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import Any

PI_PROFILES = ("pi7", "pi-touch2")
ECHO_WINDOW_S = 0.15
ECHO_DISTANCE = 0.04  # in window fractions: 4 % of the width or height
DUPLICATE_KEY = "ema_duplicate_touch"

Event = tuple[str, Any]


def configure_input(profile_name: str) -> None:
    """Kivy Config for the input providers; call before the window exists."""
    from kivy.config import Config

    if profile_name in PI_PROFILES:
        Config.set("input", "mouse", "mouse,disable_on_activity,disable_multitouch")
        if not Config.has_option("input", "%(name)s"):
            Config.set("input", "%(name)s", "probesysfs,provider=hidinput")
    else:
        Config.set("input", "mouse", "mouse,disable_multitouch")


class DuplicateTouchFilter:
    """Kivy postproc module: keeps the first report of a press, drops its echo."""

    def __init__(self, window_s: float = ECHO_WINDOW_S, distance: float = ECHO_DISTANCE,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.window_s = window_s
        self.distance = distance
        self.clock = clock
        self.dropped = 0
        self._recent: deque[tuple[float, str, float, float]] = deque(maxlen=32)

    def process(self, events: list[Event]) -> list[Event]:
        kept: list[Event] = []
        for etype, touch in events:
            if etype == "begin" and self._is_echo(touch):
                touch.ud[DUPLICATE_KEY] = True
                self.dropped += 1
            if touch.ud.get(DUPLICATE_KEY):
                continue
            if etype == "begin":
                self._recent.append((self.clock(), touch.device, touch.sx, touch.sy))
            kept.append((etype, touch))
        return kept

    def _is_echo(self, touch: Any) -> bool:
        now = self.clock()
        for when, device, sx, sy in self._recent:
            if (device != touch.device and now - when <= self.window_s
                    and abs(sx - touch.sx) <= self.distance
                    and abs(sy - touch.sy) <= self.distance):
                return True
        return False


def install_touch_filter() -> DuplicateTouchFilter:
    """Register the filter so the event loop applies it to every input event."""
    from kivy.input import kivy_postproc_modules

    module = kivy_postproc_modules.get("ema_duplicate_touch")
    if not isinstance(module, DuplicateTouchFilter):
        module = DuplicateTouchFilter()
        kivy_postproc_modules["ema_duplicate_touch"] = module
    return module
