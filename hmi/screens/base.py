"""Base screen: carries the view-models, theme and metrics that its .kv binds to."""

from kivy.properties import ObjectProperty
from kivy.uix.label import Label
from kivy.uix.screenmanager import Screen

from .. import widgets  # noqa: F401  (registers the widget classes the .kv files use)


def refresh_for_language(root):
    """Restyle, re-lay out and redraw everything under `root` (on the tree) in the new
    language: a label whose text is the same in both ("62", "km/h") still redraws, for its
    font and alignment, and rows re-lay out for the reading direction."""
    for widget in root.walk(restrict=True):
        for trigger in ("_style_trigger", "_trigger_layout"):
            if hasattr(widget, trigger):
                getattr(widget, trigger)()
        if isinstance(widget, Label):
            widget._trigger_texture()


class HmiScreen(Screen):
    """A screen gets everything it shows through its constructor (see hmi.composition).

    Off screen its widgets skip restyling and redrawing (the models keep changing: a flood
    would otherwise re-lay out five hidden screens each frame); entering catches them up
    before the screen's first frame."""

    models = ObjectProperty(None)
    theme = ObjectProperty(None)
    metrics = ObjectProperty(None)
    title = ""   # a msgid: the shell shows it through hmi.i18n.tr
    icon = ""
    language_pending = False   # the language changed while this screen was hidden

    def on_pre_enter(self, *args):
        if self.language_pending:
            self.language_pending = False
            refresh_for_language(self)
        for widget in self.walk(restrict=True):
            if getattr(widget, "style_pending", False):
                widget._style_trigger()
            if getattr(widget, "pending", False):
                widget._trigger()
