"""The Kivy App: a thin shell around an `Hmi` built by the composition root."""

from __future__ import annotations

import logging
from typing import Any

from kivy.app import App
from kivy.core.window import Window

from .composition import Hmi

LOG = logging.getLogger(__name__)


class HmiApp(App):
    """Shows `hmi.root` in the window; starts and stops the link with the app."""

    title = "EMA cabin"

    def __init__(self, hmi: Hmi, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.hmi = hmi

    def build(self) -> Any:
        Window.clearcolor = self.hmi.theme.background
        Window.bind(size=lambda _w, size: self.hmi.metrics.follow_window(*size))
        self.hmi.metrics.follow_window(*Window.size)
        return self.hmi.build_root()

    def on_start(self) -> None:
        self.hmi.start()

    def on_stop(self) -> None:
        self.hmi.stop()  # idempotent: Kivy calls on_stop twice

    def display_snapshot(self) -> dict[str, Any]:
        """What the driver sees now, as a plain dict (see Hmi.display_snapshot)."""
        return self.hmi.display_snapshot()
