"""Base for canvas-drawn widgets: redraw once per frame when data, size or theme change, and
only while on screen: a gauge on a screen nobody looks at is redrawn when that screen opens."""

from kivy.clock import Clock
from kivy.properties import ObjectProperty
from kivy.uix.widget import Widget


class CanvasWidget(Widget):
    """Subclasses list the properties that change the drawing in `redraw_on` and draw in
    `draw()` (called inside `with self.canvas`); all redraw requests of a frame coalesce."""

    theme = ObjectProperty(None, allownone=True)
    redraw_on: tuple[str, ...] = ()
    pending = False  # a redraw was skipped while off screen (HmiScreen catches up on entry)

    def __init__(self, **kwargs):
        self._trigger = Clock.create_trigger(self._redraw, -1)
        self._theme_bound = None
        super().__init__(**kwargs)
        self.fbind("pos", self._trigger)
        self.fbind("size", self._trigger)
        self.fbind("theme", self._theme_changed)
        for name in self.redraw_on:
            self.fbind(name, self._trigger)
        self._theme_changed()

    def _theme_changed(self, *args):
        if self._theme_bound is not None:
            self._theme_bound.funbind("name", self._trigger)
            self._theme_bound.funbind("accent_name", self._trigger)
        self._theme_bound = self.theme
        if self.theme is not None:
            self.theme.fbind("name", self._trigger)
            self.theme.fbind("accent_name", self._trigger)
        self._trigger()

    def _redraw(self, *args):
        if self.get_root_window() is None:  # on a screen not shown: draw when it is
            self.pending = True
            return
        self.pending = False
        self.canvas.clear()
        if self.theme is None or self.width < 2 or self.height < 2:
            return
        with self.canvas:
            self.draw()

    def draw(self):
        raise NotImplementedError
