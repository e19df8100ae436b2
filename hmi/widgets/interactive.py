"""Widgets that show one view-model object and turn a tap into one model method call.

They take the model object itself (a tile, a locker control, a telltale, the preferences)
and map its state names to colours here, so .kv files only say which object goes where.
"""

from kivy.properties import BooleanProperty, ListProperty, ObjectProperty, StringProperty
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout

from ..labels import enum_text, enum_values
from .controls import Chip, Panel, TextLabel, Themed
from .icons import Icon


def _watch(widget, source_name, names, callback):
    """Bind `callback` to `names` of the object in property `source_name`, following changes."""
    state = {"obj": None}

    def rebind(*args):
        if state["obj"] is not None:
            for name in names:
                state["obj"].funbind(name, callback)
        state["obj"] = getattr(widget, source_name)
        if state["obj"] is not None:
            for name in names:
                state["obj"].fbind(name, callback)
        callback()

    widget.fbind(source_name, rebind)
    rebind()


class StatefulButton(Themed, ButtonBehavior, Panel):
    """A panel-shaped touch target whose colours follow a state name."""

    theme = ObjectProperty(None, allownone=True)
    metrics = ObjectProperty(None, allownone=True)

    def on_state(self, instance, value):
        self.opacity = 0.72 if value == "down" else 1.0

    def paint(self, state):
        """Colours for a state: (fill, outline, text tone, detail tone)."""
        t = self.theme
        if state == "active":
            return t.accent, t.accent, "accent_ink", "accent_ink"
        if state in ("requested", "engaging"):
            return t.accent_soft, t.accent, "text", "accent"
        if state == "refused":
            return t.surface, t.amber, "text", "amber"
        if state == "unavailable":
            return t.surface, t.divider, "dim", "dim"
        return t.surface, t.divider, "text", "dim"


class TerrainTileButton(StatefulButton):
    """A Terrain Response tile: icon, program name and where a change to it stands."""

    tile = ObjectProperty(None, allownone=True)

    def __init__(self, **kwargs):
        super().__init__(orientation="vertical", **kwargs)
        self._icon = Icon(size_hint_y=0.4)
        # a long program name wraps onto two lines (after a slash) before it shrinks
        # ... and every tile's name is drawn at the size the longest one needs (fit_group)
        self._label = TextLabel(role="label", halign="center", bold=True, size_hint_y=0.36,
                                max_lines=2, fit_group="terrain_tiles")
        self._detail = TextLabel(role="caption", halign="center", size_hint_y=0.24)
        for child in (self._icon, self._label, self._detail):
            self.add_widget(child)
        self._watch_style()
        _watch(self, "tile", ("state", "detail"), self._style_trigger)

    @property
    def detail_text(self):
        """The state line as drawn on the tile."""
        return self._detail.text

    def restyle(self):
        if self.theme is None or self.metrics is None or self.tile is None:
            return
        pad = self.metrics.gap * 0.75
        self.padding = [pad, pad, pad, pad * 0.5]
        self.radius = self.metrics.radius
        fill, outline, text, detail = self.paint(self.tile.state)
        self.fill, self.outline = fill, outline
        for child in (self._label, self._detail):
            child.theme, child.metrics = self.theme, self.metrics
        self._icon.name = self.tile.program
        self._icon.color = self.tone_colour(text)
        self._label.text = self.tile.label
        self._label.tone = text
        self._detail.text = self.tile.detail
        self._detail.tone = detail


class LockerButton(StatefulButton):
    """An axle locker toggle: name and state (open, locking, locked, requested, refused)."""

    control = ObjectProperty(None, allownone=True)

    def __init__(self, **kwargs):
        super().__init__(orientation="vertical", **kwargs)
        self._label = TextLabel(role="label", halign="center", bold=True)
        self._detail = TextLabel(role="caption", halign="center")
        self.add_widget(self._label)
        self.add_widget(self._detail)
        self._watch_style()
        _watch(self, "control", ("state", "detail", "engaged"), self._style_trigger)

    def restyle(self):
        if self.theme is None or self.metrics is None or self.control is None:
            return
        pad = self.metrics.gap * 0.5
        self.padding = [pad, pad, pad, pad]
        self.radius = self.metrics.radius
        state = self.control.state
        fill, outline, text, detail = self.paint(state)
        if state == "active":  # a locked axle is a caution, not the accent
            fill, outline = self.theme.amber, self.theme.amber
            text, detail = "accent_ink", "accent_ink"
        self.fill, self.outline = fill, outline
        for child in (self._label, self._detail):
            child.theme, child.metrics = self.theme, self.metrics
        self._label.text = self.control.label
        self._label.tone = text
        self._detail.text = self.control.detail
        self._detail.tone = detail


class RideHeightButton(StatefulButton):
    """One ride-height level: its name and where a change to it stands (pending, moving,
    reached, refused with the vehicle's reason, unavailable)."""

    control = ObjectProperty(None, allownone=True)
    # the control's states, in the tiles' colours: reached is lit, on its way is soft
    LOOK = {"reached": "active", "pending": "requested", "moving": "engaging"}

    def __init__(self, **kwargs):
        super().__init__(orientation="vertical", **kwargs)
        self._label = TextLabel(role="label", halign="center", bold=True)
        self._detail = TextLabel(role="caption", halign="center")
        self.add_widget(self._label)
        self.add_widget(self._detail)
        self._watch_style()
        _watch(self, "control", ("state", "detail"), self._style_trigger)

    @property
    def detail_text(self):
        """The state line as drawn on the control."""
        return self._detail.text

    def restyle(self):
        if self.theme is None or self.metrics is None or self.control is None:
            return
        pad = self.metrics.gap * 0.5
        self.padding = [pad, pad, pad, pad]
        self.radius = self.metrics.radius
        state = self.control.state
        fill, outline, text, detail = self.paint(self.LOOK.get(state, state))
        self.fill, self.outline = fill, outline
        for child in (self._label, self._detail):
            child.theme, child.metrics = self.theme, self.metrics
        self._label.text = self.control.label
        self._label.tone = text
        self._detail.text = self.control.detail
        self._detail.tone = detail
        # nothing to say (an idle level): the name takes the whole button, centred
        self._detail.size_hint_y = 1 if self.control.detail else None
        self._detail.height = 0 if not self.control.detail else self._detail.height


class ChoiceButton(StatefulButton):
    """One option of a settings choice; lit when the preference holds `value`."""

    preferences = ObjectProperty(None, allownone=True)
    kind = StringProperty("")
    value = StringProperty("")
    text = StringProperty("")
    swatch = ListProperty([])   # accent choices are painted in their own colour
    selected = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._label = TextLabel(role="label", halign="center", bold=True)
        self.add_widget(self._label)
        self._watch_style()
        for name in ("kind", "value", "text", "swatch"):
            self.fbind(name, self._style_trigger)
        self._bound = None
        self.fbind("preferences", self._rebind)
        self.fbind("kind", self._rebind)
        self._rebind()

    def _rebind(self, *args):
        if self._bound is not None:
            self._bound[0].funbind(self._bound[1], self._style_trigger)
        self._bound = None
        if self.preferences is not None and self.kind:
            self.preferences.fbind(self.kind, self._style_trigger)
            self._bound = (self.preferences, self.kind)
        self._style_trigger()

    def on_release(self):
        if self.preferences is not None:
            self.preferences.choose(self.kind, self.value)

    def restyle(self):
        if self.theme is None or self.metrics is None or self.preferences is None:
            return
        self.selected = getattr(self.preferences, self.kind, None) == self.value
        self.radius = self.metrics.radius
        self._label.theme, self._label.metrics = self.theme, self.metrics
        if self.swatch:
            self.fill = self.swatch
            self.outline = self.theme.text if self.selected else self.swatch
            self.outline_width = self.metrics.line * 1.5 if self.selected else 1.5
            self._label.text = self.text
            self._label.tone = "accent_ink"
            return
        self.fill = self.theme.accent_soft if self.selected else self.theme.surface
        self.outline = self.theme.accent if self.selected else self.theme.divider
        self._label.text = self.text
        self._label.tone = "accent" if self.selected else "text"


class GearSelector(Themed, BoxLayout):
    """P R N D, the selected gear lit in the accent colour."""

    keep_direction = True   # the shifter's order, in every language (hmi.i18n.direction)

    theme = ObjectProperty(None, allownone=True)
    metrics = ObjectProperty(None, allownone=True)
    selected = ListProperty([False, False, False, False])
    gears = ListProperty(list(enum_values("Gear")))  # catalogue values, in its order

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self._labels = [TextLabel(role="title", halign="center", bold=True) for _ in self.gears]
        for label in self._labels:
            self.add_widget(label)
        self._watch_style()
        self.fbind("selected", self._style_trigger)

    def restyle(self):
        for label, gear, lit in zip(self._labels, self.gears, self.selected, strict=False):
            label.theme, label.metrics = self.theme, self.metrics
            label.text = enum_text("Gear", gear)
            label.tone = "accent" if lit else "dim"
            label.role = "title"


class TelltaleChip(Chip):
    """A Chip fed by a Telltale view-model."""

    telltale = ObjectProperty(None, allownone=True)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        _watch(self, "telltale", ("visible", "label", "colour"), self._follow)

    def _follow(self, *args):
        if self.telltale is None:
            return
        self.text = self.telltale.label
        self.colour_role = self.telltale.colour
        self.lit = self.telltale.visible
