"""Themed building blocks the screens lay out: labels that fit, readouts, panels, buttons.

Each takes `theme` and `metrics` from the screen (passed down in .kv from the screen, which
got them from the composition root) and picks its colours and sizes from a role name, so the
.kv files say what a thing is ("caption", "value", "accent") and never carry numbers.
"""

import weakref

from kivy.clock import Clock
from kivy.graphics import Color, InstructionGroup, Line
from kivy.properties import (
    BooleanProperty,
    ColorProperty,
    NumericProperty,
    ObjectProperty,
    OptionProperty,
    StringProperty,
)
from kivy.uix.behaviors import ButtonBehavior
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.label import Label

from ..i18n.script import SLASH_BREAK, measure, measure_wrapped
from ..kvloader import load_kv_beside
from .icons import Icon
from .shapes import RoundedBox

ROLES = ("hero", "display", "title", "value", "body", "label", "caption")
TONES = ("text", "dim", "accent", "red", "amber", "green", "blue", "accent_ink")


def visible(rgba) -> bool:
    """Whether a colour shows at all. GL fills every pixel of a shape whatever its alpha, and
    Kivy draws a wide line of any alpha below 1 through a stencil pass (a stencil clear and a
    fill of its bounds: on software GL several milliseconds a frame each, empty or not), so
    what is transparent is left out, not drawn invisibly."""
    return len(rgba) < 4 or rgba[3] > 0


class Themed:
    """Mixin: re-style when the theme or metrics object, or any of their values, changes."""

    style_pending = False  # a restyle was skipped while off screen (HmiScreen catches up)

    def _watch_style(self):
        self._style_trigger = Clock.create_trigger(lambda *a: self._restyle_if_shown(), -1)
        self._watched = []
        self.fbind("theme", self._rewatch)
        self.fbind("metrics", self._rewatch)
        self._rewatch()

    def _rewatch(self, *args):
        for obj, uid_names in self._watched:
            for name, uid in uid_names:
                obj.unbind_uid(name, uid)
        self._watched = []
        for obj in (self.theme, self.metrics):
            if obj is None:
                continue
            uids = [(name, obj.fbind(name, self._style_trigger)) for name in obj.properties()]
            self._watched.append((obj, uids))
        self.restyle()

    def _restyle_if_shown(self):
        if self.get_root_window() is None:
            self.style_pending = True
            return
        self.style_pending = False
        self.restyle()

    def tone_colour(self, tone):
        if self.theme is None:
            return [1, 1, 1, 1]
        if tone == "dim":
            return list(self.theme.text_dim)
        if tone in ("accent_ink", "alert_ink"):
            return list(getattr(self.theme, tone))
        return list(getattr(self.theme, tone, self.theme.text))


class TextLabel(Themed, Label):
    """A label whose font size comes from `role` and shrinks until the text fits its box.

    With `max_lines` above 1 the text may wrap, between words, onto that many lines before
    it shrinks: a two-word caption in a narrow column reads better on two lines at its
    size than on one line a third smaller (German and Polish are the usual cases).

    Labels of one set (the program tiles, a list's names, a row's captions) name the same
    `fit_group`: each fits itself, and all draw at the smallest size any of them needed, so
    one long name ("Wasserdurchfahrt") is not the one smaller label among its siblings."""

    theme = ObjectProperty(None, allownone=True)
    metrics = ObjectProperty(None, allownone=True)
    role = OptionProperty("body", options=ROLES)
    tone = StringProperty("text")
    dimmed = BooleanProperty(False)   # stale or unavailable: draw in the dim colour
    fit = BooleanProperty(True)
    max_lines = NumericProperty(1)
    keep_direction = BooleanProperty(False)   # in a row that keeps its order: no mirroring
    fit_group = StringProperty("")   # siblings that share the smallest fitted size

    def __init__(self, **kwargs):
        kwargs.setdefault("halign", "left")
        kwargs.setdefault("valign", "middle")
        self.own_size = None   # the size this label's own text fits at (before its group)
        super().__init__(**kwargs)
        self._watch_style()
        for name in ("role", "tone", "dimmed", "text", "size", "bold", "valign", "max_lines",
                     "keep_direction", "fit_group"):
            self.fbind(name, self._style_trigger)

    def restyle(self):
        # The texture is as big as text_size: the widget's width (for halign) but only the
        # text's height when centred, so no empty rows are shaded every frame.
        centred = self.valign in ("middle", "center")
        self.text_size = (self.width, None) if centred else self.size
        self.color = self.tone_colour("dim" if self.dimmed else self.tone)
        if self._label.keep_direction != self.keep_direction:
            self._label.keep_direction = self.keep_direction
            self._trigger_texture()
        if self.metrics is None:
            return
        size = getattr(self.metrics, self.role)
        if self.fit and self.text and self.width > 1:
            size = fitted_size(self.text, size, self.bold, self.width, self.height,
                               int(self.max_lines))
        self.font_size = self._group_size(size)

    def _group_size(self, own):
        """`own`, or the smallest size a sibling of this label's fit group needs; a change
        of this label's own size restyles its siblings."""
        changed, self.own_size = own != self.own_size, own
        if not self.fit_group:
            return own
        members = FIT_GROUPS.setdefault((id(self.metrics), self.fit_group), weakref.WeakSet())
        members.add(self)
        if changed:
            for sibling in members:
                if sibling is not self:
                    sibling._style_trigger()
        return min((m.own_size for m in members if m.own_size and m.text), default=own)


FIT_GROUPS: dict = {}   # (metrics id, group name) -> the labels of that group


SMALLEST = 8   # px: no fitted text is drawn smaller (the layout tests ask for far more)


def natural_size(text, font_size, bold=False):
    """Width and height `text` needs on one line per paragraph, unwrapped, in the font and
    shaped form its script renders in (hmi.i18n.script)."""
    extents = [measure(line, font_size, bold) for line in text.split("\n")]
    return (max(w for w, _ in extents), sum(h for _, h in extents))


def breakable_words(text):
    """The pieces a line may not break inside: words, and the parts of a compound name
    after each slash (hmi.i18n.script breaks "Gras/Schotter/Schnee" there)."""
    return [piece for word in text.split() for piece in SLASH_BREAK.split(word)]


def wrapped_fits(text, font_size, bold, width, height, max_lines):
    """Whether `text` at `font_size`, wrapped between words to `width`, takes at most
    `max_lines` lines and `height`, with no word wider than a line (a word is never split
    between letters)."""
    if max(measure(word, font_size, bold)[0] for word in breakable_words(text)) > width:
        return False
    _, needed, lines = measure_wrapped(text, font_size, bold, width)
    return lines <= max_lines and needed <= height


def fitted_size(text, size, bold, width, height, max_lines=1):
    """The largest font size up to `size` at which `text` fits a `width` x `height` box:
    on one line (per paragraph), or wrapped onto up to `max_lines` lines.

    Glyph advances are rounded per size, so a text does not shrink in proportion to its
    size: the estimate from the extents is checked, and stepped down until it fits."""
    w, h = natural_size(text, size, bold)
    if w <= width and h <= height:
        return size
    if max_lines > 1 and text.split():
        low, high = SMALLEST, int(size)
        while low < high:   # the largest size that fits, by bisection
            middle = (low + high + 1) // 2
            if wrapped_fits(text, middle, bold, width, height, max_lines):
                low = middle
            else:
                high = middle - 1
        return low
    def fits(candidate: int) -> bool:
        w, h = natural_size(text, candidate, bold)
        return w <= width and h <= height

    limit = int(size)
    scale = min(width / w if w else 1.0, height / h if h else 1.0)
    size = max(SMALLEST, int(size * scale * 0.97))
    while size < limit - 1 and fits(size + 1):   # the estimate can fall short: step up too
        size += 1
    while size > SMALLEST and not fits(size):
        size -= 1
    return size


class Panel(BoxLayout):
    """A rounded surface that groups related figures."""

    fill = ColorProperty([0, 0, 0, 0])
    radius = NumericProperty(10)
    outline = ColorProperty([0, 0, 0, 0])
    outline_width = NumericProperty(1.5)

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.canvas.before:
            self._fill_colour = Color(*self.fill)
            self._fill_rect = RoundedBox(pos=self.pos, size=self.size, radius=[self.radius])
        self._outline = InstructionGroup()
        self.canvas.before.add(self._outline)
        self.fbind("pos", self._update)
        self.fbind("size", self._update)
        self.fbind("fill", self._update)
        self.fbind("outline", self._update)
        self.fbind("radius", self._update)
        self.fbind("outline_width", self._update)

    def _update(self, *args):
        self._fill_colour.rgba = self.fill
        self._fill_rect.pos = self.pos
        self._fill_rect.size = self.size if visible(self.fill) else (0, 0)
        self._fill_rect.radius = [self.radius]
        self._outline.clear()
        if visible(self.outline):  # Kivy clips a wide line with a stencil unless it is opaque
            self._outline.add(Color(*self.outline))
            self._outline.add(Line(rounded_rectangle=(self.x + 1, self.y + 1,
                                                      max(0, self.width - 2),
                                                      max(0, self.height - 2), self.radius),
                                   width=self.outline_width))


class TapButton(ButtonBehavior, Panel):
    """A touch target: a panel that darkens while pressed."""

    enabled = BooleanProperty(True)

    def on_state(self, instance, state):
        self.opacity = 0.72 if state == "down" else 1.0

    def on_touch_down(self, touch):
        if not self.enabled:
            return False
        return super().on_touch_down(touch)


class NavButton(Themed, ButtonBehavior, BoxLayout):
    """One entry of the navigation rail: icon and short name; lit when its screen is shown."""

    theme = ObjectProperty(None, allownone=True)
    metrics = ObjectProperty(None, allownone=True)
    icon = StringProperty("")
    text = StringProperty("")
    selected = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(orientation="vertical", **kwargs)
        self._icon = Icon(size_hint_y=0.58)
        self._label = TextLabel(role="caption", halign="center", size_hint_y=0.42)
        self.add_widget(self._icon)
        self.add_widget(self._label)
        with self.canvas.before:
            self._bg_colour = Color(0, 0, 0, 0)
            self._bg = RoundedBox(pos=self.pos, size=self.size, radius=[10])
        self._watch_style()
        for name in ("icon", "text", "selected", "pos", "size"):
            self.fbind(name, self._style_trigger)

    def restyle(self):
        if self.theme is None or self.metrics is None:
            return
        pad = self.metrics.gap
        # little room at the sides: a name like "Einstellungen" needs the button's width
        self.padding = [pad * 0.25, pad, pad * 0.25, pad * 0.5]
        self._icon.name = self.icon
        self._icon.color = self.theme.accent if self.selected else self.theme.text_dim
        self._label.theme, self._label.metrics = self.theme, self.metrics
        self._label.text = self.text
        self._label.tone = "accent" if self.selected else "dim"
        self._bg_colour.rgba = self.theme.accent_soft if self.selected else (0, 0, 0, 0)
        inset = self.metrics.gap * 0.5
        self._bg.pos = (self.x + inset, self.y + inset)
        self._bg.size = ((max(0, self.width - 2 * inset), max(0, self.height - 2 * inset))
                         if self.selected else (0, 0))
        self._bg.radius = [self.metrics.radius]

    def on_state(self, instance, state):
        self.opacity = 0.72 if state == "down" else 1.0


class Chip(Themed, Label):
    """A telltale lamp: coloured label on a rounded pill; keeps its place but draws nothing
    when off (controls.kv)."""

    theme = ObjectProperty(None, allownone=True)
    metrics = ObjectProperty(None, allownone=True)
    colour_role = StringProperty("amber")
    lit = BooleanProperty(False)

    def __init__(self, **kwargs):
        super().__init__(halign="center", valign="middle", bold=True, **kwargs)
        with self.canvas.before:
            self._bg_colour = Color(0, 0, 0, 0)
            self._bg = RoundedBox(pos=self.pos, size=self.size, radius=[8])
        self._watch_style()
        for name in ("colour_role", "lit", "pos", "size", "text"):
            self.fbind(name, self._style_trigger)

    def restyle(self):
        if self.theme is None or self.metrics is None:
            return
        size = self.metrics.label
        # A lamp's words wrap onto a second line before they shrink (the pill is as tall
        # as two lines on every profile): "BATTERIE FAIBLE" on a 12 mm lamp of the tall
        # display reads at its size on two lines, and not at all on one.
        self.text_size = (self.width * 0.92, None)
        if self.text and self.width > 0:
            size = fitted_size(self.text, size, True, self.width * 0.92, self.height * 0.9, 2)
        self.font_size = size
        colour = self.theme.role(self.colour_role)
        self._bg_colour.rgba = colour if self.lit else (0, 0, 0, 0)
        self._bg.pos, self._bg.size = self.pos, self.size if self.lit else (0, 0)
        self._bg.radius = [self.height / 2]
        self.color = self.theme.accent_ink if self.lit else (0, 0, 0, 0)


load_kv_beside(__file__)
