"""ReadoutLabel: a figure and its unit side by side, sized apart, dimmed with its age when stale,
and in amber without a unit when the source marks the signal invalid.

The unit is smaller than the figure and sits on its baseline; both shrink together until they
fit. Its place in the box mirrors in right-to-left languages, but "62 %" itself reads the same.
"""

from kivy.clock import Clock
from kivy.properties import BooleanProperty, ObjectProperty, OptionProperty, StringProperty
from kivy.uix.label import Label
from kivy.uix.widget import Widget

from ..i18n import tr
from .controls import ROLES, SMALLEST, Themed, natural_size


class ReadoutLabel(Themed, Widget):
    """A value and its unit side by side (the unit smaller), dimmed with its age when stale."""

    theme = ObjectProperty(None, allownone=True)
    metrics = ObjectProperty(None, allownone=True)
    readout = ObjectProperty(None, allownone=True)
    role = OptionProperty("value", options=ROLES)
    unit_role = OptionProperty("label", options=ROLES)
    tone = StringProperty("text")
    halign = OptionProperty("left", options=("left", "center", "right"))
    show_unit = BooleanProperty(True)
    keep_direction = BooleanProperty(False)   # in a row that keeps its order: no mirroring

    def __init__(self, **kwargs):
        self._value = Label(halign="left", valign="bottom")
        self._unit = Label(halign="left", valign="bottom")
        super().__init__(**kwargs)
        self.add_widget(self._value)
        self.add_widget(self._unit)
        self._bound_readout = None
        self._layout_trigger = Clock.create_trigger(self._layout, -1)
        self._watch_style()
        for name in ("readout", "role", "unit_role", "tone", "halign", "show_unit",
                     "keep_direction"):
            self.fbind(name, self._style_trigger)
        self.fbind("readout", self._rebind_readout)
        self.fbind("pos", self._layout_trigger)
        self.fbind("size", self._style_trigger)
        self._value.fbind("texture_size", self._layout_trigger)
        self._unit.fbind("texture_size", self._layout_trigger)
        self._upload_trigger = Clock.create_trigger(self._upload, -1)
        self._value.fbind("texture", self._upload_trigger)
        self._unit.fbind("texture", self._upload_trigger)
        self._rebind_readout()

    @property
    def shown_text(self):
        """The figure as drawn now (tests and snapshots read this)."""
        return self._value.text

    @property
    def shown_unit(self):
        return self._unit.text

    @property
    def shown_colour(self):
        return list(self._value.color)

    def _rebind_readout(self, *args):
        if self._bound_readout is not None:
            for name in ("text", "unit", "available", "age_text", "invalid"):
                self._bound_readout.funbind(name, self._style_trigger)
        self._bound_readout = self.readout
        if self.readout is not None:
            for name in ("text", "unit", "available", "age_text", "invalid"):
                self.readout.fbind(name, self._style_trigger)
        self._style_trigger()

    def restyle(self):
        readout = self.readout
        if readout is None or self.metrics is None:
            return
        live, invalid = readout.available, readout.invalid
        colour = self.tone_colour(self.tone if live else "amber" if invalid else "dim")
        self._value.text = readout.text
        unit = tr(readout.unit) if self.show_unit and not invalid else ""   # units are msgids
        if readout.age_text:
            unit = f"{unit} · {readout.age_text}" if unit else readout.age_text
        self._unit.text = unit
        self._value.color = colour
        self._unit.color = self.tone_colour("dim")
        self._value.font_size, self._unit.font_size = self._fitted_sizes(readout.text, unit)
        self._layout_trigger()

    def _fitted_sizes(self, text, unit):
        """Font sizes of value and unit: the roles' sizes, shrunk together until both fit.

        Measured from the font's extents, not by rendering: each label then renders once per
        change (a figure updated ten times a second on a software-GL desktop adds up)."""
        value_size = getattr(self.metrics, self.role)
        unit_size = getattr(self.metrics, self.unit_role)
        gap = self.metrics.gap * 0.6 if unit else 0

        def needs(value_px, unit_px):
            vw, vh = natural_size(text, value_px) if text else (0, 0)
            uw, uh = natural_size(unit, unit_px) if unit else (0, 0)
            return vw + gap + uw, max(vh, uh)

        total, tallest = needs(value_size, unit_size)
        scale = min(1.0, self.width / total if total else 1.0,
                    self.height / tallest if tallest else 1.0)
        if scale >= 0.99:
            return value_size, unit_size
        scale *= 0.97
        while True:   # rounded glyph advances: check the estimate, step down until it fits
            sizes = (max(SMALLEST, int(value_size * scale)), max(SMALLEST, int(unit_size * scale)))
            total, tallest = needs(*sizes)
            if (total <= self.width and tallest <= self.height) or sizes == (SMALLEST, SMALLEST):
                return sizes
            scale *= 0.95

    def _upload(self, *args):
        """Render new text into its texture now, before the frame is drawn.

        Kivy fills a label's texture when it is first bound while drawing; the GL driver must
        then finish whatever the frame has drawn so far before the upload (software GL does
        so in plain sight: 10 ms of a 12 ms frame). Binding it here, between frames, costs
        nothing extra."""
        for label in (self._value, self._unit):
            if label.texture is not None:
                label.texture.bind()

    def _layout(self, *args):
        value, unit = self._value, self._unit
        vw, vh = value.texture_size
        uw, uh = unit.texture_size if unit.text else (0, 0)
        gap = (self.metrics.gap * 0.6) if unit.text and self.metrics else 0
        total = vw + gap + uw
        # the figure stays "62 %": only its place mirrors, unless its row keeps its order
        halign = self.halign if self.keep_direction else tr.align(self.halign)
        if halign == "left":
            x = self.x
        elif halign == "right":
            x = self.right - total
        else:
            x = self.center_x - total / 2
        base = self.center_y - vh / 2
        value.size = (vw, vh)
        value.pos = (x, base)
        unit.size = (uw, uh)
        # sit the unit on the value's baseline (descender heights are about equal shares)
        unit.pos = (x + vw + gap, base + vh * 0.12)
