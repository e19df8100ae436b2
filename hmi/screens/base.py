"""Base screen: carries the view-models, theme and metrics that its .kv binds to."""

from kivy.properties import ObjectProperty
from kivy.uix.screenmanager import Screen

from .. import widgets  # noqa: F401  (registers the widget classes the .kv files use)


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

    def on_pre_enter(self, *args):
        for widget in self.walk(restrict=True):
            if getattr(widget, "style_pending", False):
                widget._style_trigger()
            if getattr(widget, "pending", False):
                widget._trigger()
