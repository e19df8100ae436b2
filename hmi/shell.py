"""The root widget: navigation rail, status bar, offline banner and the six screens.

The rail sits on the left in landscape and at the bottom in portrait (thumb reach on the tall
Touch Display 2); a desktop window switches between the two as it is resized.
"""

from kivy.clock import Clock
from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager

from .kvloader import load_kv_beside
from .screens import SCREENS
from .widgets import NavButton

PREBUILD_AFTER_S = 1.0     # after the first frames, when live values are already showing
PREBUILD_SPACING_S = 0.3   # one screen at a time, so no frame stalls for long


class ScreenDeck(ScreenManager):
    """A ScreenManager without the stencil clip (shell.kv): its two stencil passes over
    the whole screen area cost about a sixth of a Drive frame on software GL."""


class Shell(BoxLayout):
    """Everything on the glass. Built by hmi.composition with its models, theme and metrics."""

    models = ObjectProperty(None)
    theme = ObjectProperty(None)
    metrics = ObjectProperty(None)
    current = StringProperty("drive")
    title = StringProperty("")

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.manager = ScreenDeck(transition=NoTransition())
        self.screens = {}  # built so far (see screen())
        self.nav_buttons = {}
        for name, screen_class in SCREENS.items():
            button = NavButton(theme=self.theme, metrics=self.metrics, icon=screen_class.icon,
                               text=screen_class.title)
            button.bind(on_release=lambda _button, n=name: self.show(n))
            self.nav_buttons[name] = button
            self.ids.rail.add_widget(button)
        self.ids.content.add_widget(self.manager)
        self.metrics.fbind("portrait", self._arrange)
        self._arrange()
        self.show(self.current)
        Clock.schedule_once(self._build_next, PREBUILD_AFTER_S)

    def screen(self, name):
        """The screen called `name`, built the first time it is asked for.

        Only the first screen is built before the first frame (building all six cost a third
        of a second of startup); the others follow one at a time once the cabin is up, so a tap
        on the rail still answers within a frame or two rather than after a 200 ms build. The
        view-models are fed regardless, so a screen shows current values from its first frame.
        """
        if name not in SCREENS:
            raise ValueError(f"unknown screen {name!r}; one of {', '.join(SCREENS)}")
        screen = self.screens.get(name)
        if screen is None:
            screen = SCREENS[name](name=name, models=self.models, theme=self.theme,
                                   metrics=self.metrics)
            self.screens[name] = screen
            self.manager.add_widget(screen)
        return screen

    def show(self, name):
        """Switch screens; the rail button of the shown screen is lit."""
        self.screen(name)
        self.current = name
        self.manager.current = name
        self.title = SCREENS[name].title
        for screen_name, button in self.nav_buttons.items():
            button.selected = screen_name == name

    def _build_next(self, *_args):
        missing = [name for name in SCREENS if name not in self.screens]
        if missing:
            self.screen(missing[0])
            Clock.schedule_once(self._build_next, PREBUILD_SPACING_S)

    def _arrange(self, *args):
        rail, column = self.ids.rail, self.ids.column
        portrait = self.metrics.portrait
        self.clear_widgets()
        self.orientation = "vertical" if portrait else "horizontal"
        rail.orientation = "horizontal" if portrait else "vertical"
        rail.size_hint = (1, None) if portrait else (None, 1)
        rail.height = self.metrics.rail
        rail.width = self.metrics.rail
        if portrait:
            self.add_widget(column)
            self.add_widget(rail)
        else:
            self.add_widget(rail)
            self.add_widget(column)


load_kv_beside(__file__)
