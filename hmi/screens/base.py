"""Base screen: carries the view-models, theme and metrics that its .kv binds to."""

from kivy.properties import ObjectProperty
from kivy.uix.screenmanager import Screen

from .. import widgets  # noqa: F401  (registers the widget classes the .kv files use)


class HmiScreen(Screen):
    """A screen gets everything it shows through its constructor (see hmi.composition)."""

    models = ObjectProperty(None)
    theme = ObjectProperty(None)
    metrics = ObjectProperty(None)
    title = ""
    icon = ""
