"""Canvas-drawn gauges: power meter, level bar, torque diagram, inclinometer, graph (the car
itself is hmi.widgets.car)."""

import math

from kivy.graphics import (
    Color,
    Ellipse,
    Line,
    PopMatrix,
    PushMatrix,
    Rectangle,
    Rotate,
    Triangle,
)
from kivy.properties import (
    BooleanProperty,
    ColorProperty,
    ListProperty,
    NumericProperty,
    StringProperty,
)

from .base import CanvasWidget
from .shapes import RoundedBox

REGEN_SHARE = 1.0 / 3.0  # left third of the power meter is regen, the rest drive


class PowerMeter(CanvasWidget):
    """Horizontal meter: regen fills left of zero in green, drive fills right in the accent."""

    fraction = NumericProperty(0.0)
    available = BooleanProperty(False)
    redraw_on = ("fraction", "available")

    def draw(self):
        t = self.theme
        h = self.height
        radius = h / 2
        Color(*t.surface_high)
        RoundedBox(pos=self.pos, size=self.size, radius=[radius])
        zero_x = self.x + self.width * REGEN_SHARE
        if self.available and abs(self.fraction) > 0.002:
            if self.fraction > 0:
                Color(*t.accent)
                width = (self.width - (zero_x - self.x)) * self.fraction
                RoundedBox(pos=(zero_x, self.y), size=(max(width, h), h),
                                 radius=[0, radius, radius, 0])
            else:
                Color(*t.green)
                width = (zero_x - self.x) * -self.fraction
                RoundedBox(pos=(zero_x - max(width, h), self.y), size=(max(width, h), h),
                                 radius=[radius, 0, 0, radius])
        Color(*t.text_dim)
        for share in (0.25, 0.5, 0.75):
            x = zero_x + (self.right - zero_x) * share
            Rectangle(pos=(x - 1, self.y), size=(2, h * 0.3))
        Color(*t.text)
        Rectangle(pos=(zero_x - 1.5, self.y - 3), size=(3, h + 6))


class LevelBar(CanvasWidget):
    """A rounded bar filled to `fraction`, with an optional marker (e.g. charge limit)."""

    fraction = NumericProperty(0.0)
    marker = NumericProperty(-1.0)   # < 0: no marker
    fill_color = ColorProperty([1, 1, 1, 1])
    available = BooleanProperty(True)
    vertical = BooleanProperty(False)
    redraw_on = ("fraction", "marker", "fill_color", "available", "vertical")

    def draw(self):
        t = self.theme
        thick = self.width if self.vertical else self.height
        radius = min(thick / 2, 8)
        Color(*t.surface_high)
        RoundedBox(pos=self.pos, size=self.size, radius=[radius])
        if self.available and self.fraction > 0:
            Color(*self.fill_color)
            if self.vertical:
                size = (self.width, max(thick, self.height * min(1.0, self.fraction)))
            else:
                size = (max(thick, self.width * min(1.0, self.fraction)), self.height)
            RoundedBox(pos=self.pos, size=size, radius=[radius])
        if self.marker >= 0:
            Color(*t.text)
            if self.vertical:
                y = self.y + self.height * min(1.0, self.marker)
                Rectangle(pos=(self.x - 4, y - 1.5), size=(self.width + 8, 3))
            else:
                x = self.x + self.width * min(1.0, self.marker)
                Rectangle(pos=(x - 1.5, self.y - 4), size=(3, self.height + 8))


class TorqueDiagram(CanvasWidget):
    """Top view: body, two axles with a motor each, torque bars, padlocks for the lockers."""

    front = NumericProperty(0.0)   # bar length -1..1; negative is regen
    rear = NumericProperty(0.0)
    front_tone = StringProperty("idle")   # drive, regen or idle: the motor's light and its bar
    rear_tone = StringProperty("idle")
    available = BooleanProperty(False)
    front_locked = BooleanProperty(False)
    rear_locked = BooleanProperty(False)
    redraw_on = ("front", "rear", "front_tone", "rear_tone", "available", "front_locked",
                 "rear_locked")

    def draw(self):
        t = self.theme
        lw = max(1.5, self.height / 110)
        body_w = min(self.width * 0.34, self.height * 0.5)
        body_h = self.height * 0.94
        bx = self.x + self.width * 0.08
        by = self.y + (self.height - body_h) / 2
        Color(*t.divider)
        Line(rounded_rectangle=(bx, by, body_w, body_h, body_w * 0.22), width=lw)
        bar_x0 = bx + body_w + self.width * 0.06
        bar_span = self.right - bar_x0
        for fraction, tone, locked, axle_y in (
                (self.front, self.front_tone, self.front_locked, by + body_h * 0.78),
                (self.rear, self.rear_tone, self.rear_locked, by + body_h * 0.22)):
            wheel_w, wheel_h = body_w * 0.2, body_h * 0.2
            Color(*t.text_dim)
            for wx in (bx - wheel_w * 0.35, bx + body_w - wheel_w * 0.65):
                RoundedBox(pos=(wx, axle_y - wheel_h / 2), size=(wheel_w, wheel_h),
                                 radius=[wheel_w * 0.3])
            Color(*(t.amber if locked else t.divider))
            Line(points=[bx + wheel_w * 0.6, axle_y, bx + body_w - wheel_w * 0.6, axle_y],
                 width=lw * (2 if locked else 1))
            motor = body_w * 0.3
            colour = {"regen": t.green, "drive": t.accent}.get(tone, t.surface_high)
            Color(*(colour if self.available else t.surface_high))
            RoundedBox(pos=(bx + body_w / 2 - motor / 2, axle_y - motor / 2),
                             size=(motor, motor), radius=[motor * 0.2])
            self._padlock(bx + body_w / 2, axle_y + motor * 0.95, motor * 0.55, locked, lw)
            bar_h = max(8.0, self.height * 0.09)
            Color(*t.surface_high)
            RoundedBox(pos=(bar_x0, axle_y - bar_h / 2), size=(bar_span, bar_h),
                             radius=[bar_h / 2])
            if self.available and tone != "idle":   # lit motor, drawn bar: the same rule
                Color(*colour)
                RoundedBox(pos=(bar_x0, axle_y - bar_h / 2),
                                 size=(max(bar_h, bar_span * min(1.0, abs(fraction))), bar_h),
                                 radius=[bar_h / 2])

    def _padlock(self, cx, cy, size, locked, lw):
        t = self.theme
        Color(*(t.amber if locked else t.text_dim))
        RoundedBox(pos=(cx - size / 2, cy - size * 0.45), size=(size, size * 0.6),
                         radius=[size * 0.12])
        shackle_x = cx if locked else cx + size * 0.3
        Line(circle=(shackle_x, cy + size * 0.15, size * 0.3, -90, 90), width=lw)


class Inclinometer(CanvasWidget):
    """A dial with a fixed horizon and a vehicle silhouette tilted by `angle` degrees."""

    angle = NumericProperty(0.0)
    view = StringProperty("side")  # side: pitch (nose right); rear: roll
    available = BooleanProperty(False)
    redraw_on = ("angle", "view", "available")

    def draw(self):
        t = self.theme
        r = min(self.width, self.height) / 2 - 2
        cx, cy = self.center
        lw = max(1.5, r / 30)
        Color(*t.surface_high)
        Ellipse(pos=(cx - r, cy - r), size=(2 * r, 2 * r))
        Color(*t.divider)
        Line(points=[cx - r, cy, cx + r, cy], width=lw * 0.6)
        for mark in (-30, -15, 15, 30):
            a = math.radians(mark)
            Line(points=[cx + math.cos(a) * r * 0.86, cy + math.sin(a) * r * 0.86,
                         cx + math.cos(a) * r, cy + math.sin(a) * r], width=lw * 0.6)
            Line(points=[cx - math.cos(a) * r * 0.86, cy + math.sin(a) * r * 0.86,
                         cx - math.cos(a) * r, cy + math.sin(a) * r], width=lw * 0.6)
        if not self.available:
            return
        magnitude = abs(self.angle)
        Color(*(t.red if magnitude >= 35 else t.amber if magnitude >= 25 else t.text))
        angle = self.angle if self.view == "side" else -self.angle
        PushMatrix()
        Rotate(angle=angle, origin=(cx, cy))
        if self.view == "side":
            w, h = r * 1.3, r * 0.36
            Line(points=[cx - w / 2, cy - h / 2, cx - w / 2, cy + h / 2, cx + w * 0.2, cy + h / 2,
                         cx + w * 0.32, cy + h * 0.05, cx + w / 2, cy, cx + w / 2, cy - h / 2,
                         cx - w / 2, cy - h / 2], width=lw, joint="round")
            for wx in (cx - w * 0.3, cx + w * 0.3):
                Ellipse(pos=(wx - h * 0.32, cy - h / 2 - h * 0.32), size=(h * 0.64, h * 0.64))
        else:
            w, h = r * 0.95, r * 0.6
            Line(points=[cx - w / 2, cy - h * 0.3, cx - w / 2, cy + h * 0.15, cx - w * 0.38,
                         cy + h / 2, cx + w * 0.38, cy + h / 2, cx + w / 2, cy + h * 0.15,
                         cx + w / 2, cy - h * 0.3, cx - w / 2, cy - h * 0.3], width=lw,
                 joint="round")
            for wx in (cx - w * 0.36, cx + w * 0.36):
                Rectangle(pos=(wx - w * 0.09, cy - h * 0.58), size=(w * 0.18, h * 0.28))
        PopMatrix()


class LineGraph(CanvasWidget):
    """Consumption over distance: normalised points, zero line and rolling-average line.

    Time runs in the reading direction: the newest end is at the right, or at the left when
    `mirrored` (right-to-left languages), where the mirrored row beneath says "now"."""

    points = ListProperty()
    clipped = ListProperty()   # points held at an edge of the axis: marked, pointing off it
    zero_y = NumericProperty(0.2)
    average_y = NumericProperty(-1.0)
    available = BooleanProperty(False)
    live = BooleanProperty(True)   # False: the history is shown dimmed, its end is not live
    mirrored = BooleanProperty(False)
    redraw_on = ("points", "clipped", "zero_y", "average_y", "available", "live", "mirrored")

    def draw(self):
        t = self.theme
        Color(*t.divider)
        for share in (0.0, 0.5, 1.0):
            y = self.y + self.height * share
            Line(points=[self.x, y, self.right, y], width=1)
        Color(*t.text_dim)
        zero = self.y + self.height * self.zero_y
        Line(points=[self.x, zero, self.right, zero], width=1.5)
        if not self.available or len(self.points) < 4:
            return
        if self.average_y >= 0:
            Color(*t.text)
            y = self.y + self.height * self.average_y
            Line(points=[self.x, y, self.right, y], width=1, dash_length=6, dash_offset=4)
        Color(*(t.accent if self.live else t.text_dim))
        coords = self._coords(self.points)
        Line(points=coords, width=max(1.5, self.height / 90), joint="round")
        size = max(4.0, self.height / 40)
        for x, y in zip(*[iter(self._coords(self.clipped))] * 2, strict=False):
            tip = y + size if y > self.center_y else y - size   # points off the axis
            Triangle(points=[x - size, y, x + size, y, x, tip])

    def _coords(self, points):
        """Normalised (x, y) pairs to window coordinates, mirrored when the language is."""
        return [c for px, py in zip(points[0::2], points[1::2], strict=False)
                for c in (self.right - px * self.width if self.mirrored
                          else self.x + px * self.width, self.y + py * self.height)]
