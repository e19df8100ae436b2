"""The demo window: the cabin HMI (zoomed to the room it has, never below its design size),
the control panel beside it at a fixed width."""

from __future__ import annotations

from typing import Any

from kivy.app import App
from kivy.clock import Clock
from kivy.core.window import Window
from kivy.uix.boxlayout import BoxLayout

from ..app import CabinFrame, prepare_window, set_minimum_window
from ..composition import Hmi
from .panel_model import SimPanelModel


def demo_layout(hmi: Hmi, panel: SimPanelModel) -> BoxLayout:
    """The cabin (zoomed to the room left, hmi.app.CabinFrame) with the panel beside it at
    its fixed width: a wider or taller window gives the cabin the room, never the panel."""
    from .panel import SimControlPanel
    from .panel_layout import PANEL_WIDTH

    root = BoxLayout(orientation="horizontal")
    root.add_widget(CabinFrame(hmi))
    root.add_widget(SimControlPanel(model=panel, theme=hmi.theme, size_hint_x=None,
                                    width=PANEL_WIDTH))
    return root


class DemoApp(App):
    title = "EMA cabin - desktop simulation"

    def __init__(self, hmi: Hmi, panel: SimPanelModel | None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.hmi = hmi
        self.panel_model = panel
        self._results = None

    def build(self) -> Any:
        from .panel_layout import PANEL_WIDTH

        profile = self.hmi.profile
        prepare_window(self.hmi.theme)
        if self.panel_model is None:
            set_minimum_window(profile)
            return CabinFrame(self.hmi)
        set_minimum_window(profile, PANEL_WIDTH)
        if tuple(Window.size) != (profile.width + PANEL_WIDTH, profile.height):
            Window.size = (profile.width + PANEL_WIDTH, profile.height)
        Window.bind(on_key_down=self._key_down, on_key_up=self._key_up)
        return demo_layout(self.hmi, self.panel_model)

    def on_start(self) -> None:
        self.hmi.start()
        if self.panel_model is not None:
            self._results = Clock.schedule_interval(self.panel_model.apply_results, 0.1)

    def on_stop(self) -> None:
        if self._results is not None:
            self._results.cancel()
            self._results = None
        self.hmi.stop()

    def _key_down(self, _window: Any, key: int, *_args: Any) -> bool:
        return bool(self.panel_model and self.panel_model.key_down(key))

    def _key_up(self, _window: Any, key: int, *_args: Any) -> bool:
        return bool(self.panel_model and self.panel_model.key_up(key))
