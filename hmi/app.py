"""The Kivy App: a thin shell around an `Hmi` built by the composition root."""

from __future__ import annotations

import logging
from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.graphics.opengl import glFlush
from kivy.uix.anchorlayout import AnchorLayout

from .composition import Hmi
from .profiles import Profile, minimum_window
from .theme import Theme

LOG = logging.getLogger(__name__)
CLOCK_RESOLUTION_S = 0.002


def submit_frame(*_: Any) -> None:
    """Hand the frame to the GL driver as the window flips.

    Swapping an offscreen (pbuffer) surface does not flush, so software GL (Mesa llvmpipe,
    headless runs and the benchmark) would rasterise each frame only when the next one first
    uploads a texture, inside that frame's drawing: every update then waited for the whole
    previous frame. Flushing here lets the rasteriser work while the main loop sleeps. On a
    real display the swap flushes anyway, and a second flush costs nothing.
    """
    glFlush()


def prepare_window(theme: Theme) -> None:
    """The window's clear colour is the theme's background (the screen draws none of its
    own: a full-window fill is the dearest thing software GL draws) and frames are flushed."""
    Window.clearcolor = theme.background
    theme.fbind("background", lambda _theme, colour: setattr(Window, "clearcolor", colour))
    Window.fbind("on_flip", submit_frame)
    # Kivy runs a timer once it is within this of due instead of sleeping; its default (a third
    # of a frame at 60 fps) kept the interrupt clock's loop spinning for much of each frame.
    Clock.clock_resolution = CLOCK_RESOLUTION_S


class CabinFrame(AnchorLayout):
    """The cabin's part of the window: the shell sits in it at the box its metrics chose
    (hmi.profiles.content_box), centred; the margin is the window's clear colour, the
    theme's background, so it costs no drawing."""

    def __init__(self, hmi: Hmi, **kwargs: Any) -> None:
        super().__init__(anchor_x="center", anchor_y="center", **kwargs)
        self.hmi = hmi
        self.shell = hmi.root if hmi.root is not None else hmi.build_root()
        self.shell.size_hint = (None, None)
        self.add_widget(self.shell)
        self.fbind("size", self._follow)
        self._follow()

    def _follow(self, *_: Any) -> None:
        metrics = self.hmi.metrics
        metrics.follow_window(*self.size)
        self.shell.size = (metrics.box_width, metrics.box_height)


def set_minimum_window(profile: Profile, beside: int = 0) -> tuple[int, int]:
    """A resizable window cannot be made smaller than the layout's design size (the window
    manager enforces it); a fixed display has no minimum to set."""
    if not profile.resizable:
        return (0, 0)
    Window.minimum_width, Window.minimum_height = minimum_window(profile, beside)
    return (Window.minimum_width, Window.minimum_height)


class HmiApp(App):
    """Shows `hmi.root` in the window; starts and stops the link with the app."""

    title = "EMA cabin"

    def __init__(self, hmi: Hmi, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.hmi = hmi

    def build(self) -> Any:
        prepare_window(self.hmi.theme)
        set_minimum_window(self.hmi.profile)
        return CabinFrame(self.hmi)

    def on_start(self) -> None:
        self.hmi.start()

    def on_stop(self) -> None:
        self.hmi.stop()  # idempotent: Kivy calls on_stop twice

    def display_snapshot(self) -> dict[str, Any]:
        """What the driver sees now, as a plain dict (see Hmi.display_snapshot)."""
        return self.hmi.display_snapshot()
