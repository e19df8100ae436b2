"""The root widget: navigation rail, status bar, offline banner and the six screens.

The rail sits on the left in landscape and at the bottom in portrait (thumb reach on the tall
Touch Display 2); a desktop window switches between the two as it is resized.
"""

from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.screenmanager import NoTransition, ScreenManager

from .i18n import tr
from .kvloader import load_kv_beside
from .screens import SCREENS
from .screens.base import refresh_for_language
from .widgets import NavButton


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
        self.screens = {}
        self.nav_buttons = {}
        for name, screen_class in SCREENS.items():
            screen = screen_class(name=name, models=self.models, theme=self.theme,
                                  metrics=self.metrics)
            self.screens[name] = screen
            self.manager.add_widget(screen)
            button = NavButton(theme=self.theme, metrics=self.metrics, icon=screen_class.icon,
                               text=tr(screen_class.title))
            button.bind(on_release=lambda _button, n=name: self.show(n))
            self.nav_buttons[name] = button
            self.ids.rail.add_widget(button)
        self.ids.content.add_widget(self.manager)
        self.metrics.fbind("portrait", self._arrange)
        self.metrics.fbind("rail", self._arrange)   # a zoomed window's rail is thicker
        # `bind`, not `fbind`: the translator lives as long as the process, and fbind would
        # hold this shell (and every model it shows) after the HMI stopped.
        tr.bind(language=self._follow_language)
        self._arrange()
        self.show(self.current)

    def _follow_language(self, *args):
        """A language switch, within the frame: names, layouts and labels of what is shown.

        kv rules and view-models re-derive their texts themselves. Redrawing the five hidden
        screens too would double the frame that applies the switch; each catches up as it
        is entered (HmiScreen.on_pre_enter), before its first frame."""
        for name, button in self.nav_buttons.items():
            button.text = tr(SCREENS[name].title)
        self.title = tr(SCREENS[self.current].title)
        refresh_for_language(self)   # the rail, the status bar and the screen shown
        for screen in self.screens.values():   # the others catch up when they are shown
            screen.language_pending = screen is not self.manager.current_screen

    def show(self, name):
        """Switch screens; the rail button of the shown screen is lit."""
        if name not in self.screens:
            raise ValueError(f"unknown screen {name!r}; one of {', '.join(self.screens)}")
        self.current = name
        self.manager.current = name
        self.title = tr(SCREENS[name].title)
        for screen_name, button in self.nav_buttons.items():
            button.selected = screen_name == name

    def _arrange(self, *args):
        rail, column = self.ids.rail, self.ids.column
        portrait = self.metrics.portrait
        self.clear_widgets()
        self.orientation = "vertical" if portrait else "horizontal"
        rail.orientation = "horizontal" if portrait else "vertical"
        rail.size_hint = (1, None) if portrait else (None, 1)
        rail.height = self.metrics.rail
        rail.width = self.metrics.rail
        # Right to left, the rail stands on the right and its buttons run from the right
        # (hmi.i18n.direction mirrors every row, this one included).
        if portrait:
            self.add_widget(column)
            self.add_widget(rail)
        else:
            self.add_widget(rail)
            self.add_widget(column)


load_kv_beside(__file__)
