"""The car as it is built, seen from above, front up: the Vehicle screen's picture.

Drawn in its paint with its roof colour and decals, with the wheels, wheelarch extensions,
roof rack (and load) and tailgate spare wheel it is fitted with; the cabin is cut away so the
six seats (belt colours) show, and the doors and the side-hinged tailgate open on the picture.
Everything it draws comes from properties bound in kv to the body and configuration models;
`parts` says what the last draw put on the glass, so tests can assert on the picture itself.
With no configuration to draw (`drawn` False) it draws nothing at all: the screen says why.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from kivy.graphics import Color, Ellipse, Line, PopMatrix, PushMatrix, Rotate
from kivy.properties import BooleanProperty, ColorProperty, ListProperty, StringProperty

from .base import CanvasWidget
from .shapes import RoundedBox

TYRE = (0.08, 0.085, 0.09, 1.0)
TREAD = (0.2, 0.21, 0.22, 1.0)
RIM = (0.72, 0.74, 0.77, 1.0)
TRIM = (0.1, 0.105, 0.11, 1.0)       # unpainted plastic: arches, rack
GLASS = (0.05, 0.07, 0.09, 1.0)
INTERIOR = (0.11, 0.12, 0.13, 1.0)
LOAD = (0.55, 0.47, 0.33, 1.0)       # canvas roof bag
# Wheels as the package makes them look from above: (tread width, tyre length) as shares of
# the car's width and length; all-terrain tyres are wide and blocky, 22-inch road wheels long
# and slim with a bright rim edge.
WHEEL_SHAPES = {"STANDARD_20": (0.19, 0.155), "ROAD_22": (0.16, 0.175),
                "ALL_TERRAIN_20": (0.245, 0.165)}
JUMP_SEAT = 1   # index of the front-row middle seat


def shade(rgba: Sequence[float], factor: float) -> tuple[float, float, float, float]:
    """`rgba` darker (factor < 1) or lighter (> 1), alpha kept."""
    if factor <= 1:
        return (rgba[0] * factor, rgba[1] * factor, rgba[2] * factor, rgba[3])
    return tuple(min(1.0, c + (1 - c) * (factor - 1)) for c in rgba[:3]) + (rgba[3],)  # type: ignore[return-value]


def contrast_ink(rgba: Sequence[float]) -> tuple[float, float, float, float]:
    """A decal colour that reads on `rgba`: near-black on light paint, near-white on dark."""
    luminance = 0.2126 * rgba[0] + 0.7152 * rgba[1] + 0.0722 * rgba[2]
    return (0.1, 0.11, 0.12, 1.0) if luminance > 0.5 else (0.93, 0.94, 0.92, 1.0)


def _seat(pos: Sequence[float], w: float, h: float, rgba: Sequence[float]) -> None:
    """A seat from above, facing up: cushion, then the backrest and headrest behind it, in
    the belt colour (the backrest a shade darker so the seat reads as one)."""
    x, y = pos
    Color(*rgba)
    RoundedBox(pos=(x, y + h * 0.3), size=(w, h * 0.7), radius=[w * 0.22])
    Color(*shade(rgba, 0.72))
    RoundedBox(pos=(x + w * 0.04, y + h * 0.06), size=(w * 0.92, h * 0.3), radius=[w * 0.14])
    RoundedBox(pos=(x + w * 0.3, y - h * 0.04), size=(w * 0.4, h * 0.14), radius=[w * 0.06])


class VehicleDiagram(CanvasWidget):
    """Top view, front up: the configured car, its doors, tailgate, six seats and four tyres."""

    doors_open = ListProperty([False] * 5)        # FL, FR, RL, RR, tailgate
    seat_roles = ListProperty(["dim"] * 6)        # colour role names from the body model
    seat_fitted = ListProperty([True] * 6)
    tyres_low = ListProperty([False] * 4)         # FL, FR, RL, RR
    available = BooleanProperty(False)            # the doors are known
    drawn = BooleanProperty(True)                 # a configuration to draw
    live = BooleanProperty(True)                  # False: the configuration is stale (dimmed)
    paint = ColorProperty([0.46, 0.49, 0.51, 1])
    roof = ColorProperty([0.46, 0.49, 0.51, 1])
    decals = StringProperty("NONE")
    wheels = StringProperty("STANDARD_20")
    roof_rack = StringProperty("NONE")
    arches = BooleanProperty(False)
    spare_wheel = BooleanProperty(False)
    jump_seat = StringProperty("fitted")          # fitted / not_fitted / unknown
    parts = ListProperty()                        # what the last draw put on the glass
    redraw_on = ("doors_open", "seat_roles", "seat_fitted", "tyres_low", "available", "drawn",
                 "live", "paint", "roof", "decals", "wheels", "roof_rack", "arches",
                 "spare_wheel", "jump_seat")

    def draw(self) -> None:
        if not self.drawn:
            self.parts = []
            return
        h = min(self.height * 0.8, self.width * 1.4)
        w = min(self.width * 0.64, h * 0.46)
        # at the top: the room below is where the side-hinged tailgate swings open
        x, y = self.center_x - w / 2, self.y + (self.height - h) * 0.8
        parts: list[str] = []
        self._shadow(x, y, w, h)
        if self.arches:   # under the tyres: the flare shows ahead of and behind each one
            self._arches(x, y, w, h)
            parts.append("arches")
        self._wheels(x, y, w, h, parts)
        self._body(x, y, w, h)
        self._decals(x, y, w, h, parts)
        self._cabin(x, y, w, h, parts)
        if self.roof_rack in ("RACK", "RACK_LOADED"):
            self._rack(x, y, w, h, loaded=self.roof_rack == "RACK_LOADED")
            parts.append("roof_rack")
            if self.roof_rack == "RACK_LOADED":
                parts.append("rack_load")
        self._doors(x, y, w, h)
        self._tailgate(x, y, w, h, parts)
        if not self.live:   # stale: the last car known, dimmed (never shown as live)
            Color(*self.theme.background[:3], 0.55)
            RoundedBox(pos=(x - w * 0.4, y - h * 0.2), size=(w * 1.8, h * 1.3), radius=[w * 0.2])
        self.parts = parts

    # --- parts ----------------------------------------------------------------------------------
    def _shadow(self, x: float, y: float, w: float, h: float) -> None:
        Color(0, 0, 0, 0.35)
        RoundedBox(pos=(x - w * 0.1, y - h * 0.03), size=(w * 1.2, h * 1.05), radius=[w * 0.3])

    def _wheels(self, x: float, y: float, w: float, h: float, parts: list[str]) -> None:
        tread, length = WHEEL_SHAPES.get(self.wheels, WHEEL_SHAPES["STANDARD_20"])
        tw, tl = w * tread, h * length
        parts.append(f"wheels:{self.wheels}")
        centres = ((y + h * 0.8), (y + h * 0.8), (y + h * 0.2), (y + h * 0.2))
        for index, cy in enumerate(centres):
            left = index in (0, 2)
            tx = x - tw * 0.45 if left else x + w - tw * 0.55
            ty = cy - tl / 2
            Color(*(self.theme.amber if self.tyres_low[index] else TYRE))
            RoundedBox(pos=(tx, ty), size=(tw, tl), radius=[tw * 0.3])
            if self.wheels == "ALL_TERRAIN_20":   # chunky blocks across the tread
                Color(*TREAD)
                blocks = 7
                for b in range(blocks):
                    by = ty + tl * (0.08 + 0.84 * b / (blocks - 1)) - tl * 0.03
                    inset = tw * (0.12 if b % 2 else 0.28)
                    RoundedBox(pos=(tx + inset, by), size=(tw - 2 * inset, tl * 0.06),
                               radius=[tl * 0.01])
            elif self.wheels == "ROAD_22":        # thin sidewall: the rim's edge shows
                Color(*RIM)
                rim_x = tx + (tw * 0.08 if left else tw * 0.72)
                RoundedBox(pos=(rim_x, ty + tl * 0.12), size=(tw * 0.2, tl * 0.76),
                           radius=[tw * 0.08])
            else:
                Color(*TREAD)
                Line(points=[tx + tw / 2, ty + tl * 0.15, tx + tw / 2, ty + tl * 0.85],
                     width=max(1.0, tw * 0.06))

    def _arches(self, x: float, y: float, w: float, h: float) -> None:
        Color(*TRIM)
        for cy in (y + h * 0.8, y + h * 0.2):
            for left in (True, False):
                ax = x - w * 0.09 if left else x + w - w * 0.07
                RoundedBox(pos=(ax, cy - h * 0.12), size=(w * 0.16, h * 0.24), radius=[w * 0.07])

    def _body(self, x: float, y: float, w: float, h: float) -> None:
        paint = self.paint
        Color(*shade(paint, 0.62))
        RoundedBox(pos=(x - 1, y - 1), size=(w + 2, h + 2), radius=[w * 0.17])
        Color(*paint)
        RoundedBox(pos=(x, y), size=(w, h), radius=[w * 0.16])
        Color(*shade(paint, 0.8))    # bonnet shut lines
        Line(points=[x + w * 0.16, y + h * 0.77, x + w * 0.2, y + h * 0.97], width=1.2)
        Line(points=[x + w * 0.84, y + h * 0.77, x + w * 0.8, y + h * 0.97], width=1.2)
        # bumpers: unpainted on the rugged cars, body-coloured with the road-biased wheels
        Color(*(shade(paint, 0.85) if self.wheels == "ROAD_22" else TRIM))
        RoundedBox(pos=(x + w * 0.1, y + h * 0.985), size=(w * 0.8, h * 0.03), radius=[h * 0.01])
        RoundedBox(pos=(x + w * 0.1, y - h * 0.015), size=(w * 0.8, h * 0.03), radius=[h * 0.01])
        Color(0.95, 0.96, 0.9, 1)    # headlamps
        for lx in (x + w * 0.07, x + w * 0.79):
            RoundedBox(pos=(lx, y + h * 0.955), size=(w * 0.14, h * 0.028), radius=[h * 0.01])
        Color(0.75, 0.12, 0.1, 1)    # tail lamps
        for lx in (x + w * 0.03, x + w * 0.91):
            RoundedBox(pos=(lx, y + h * 0.03), size=(w * 0.06, h * 0.09), radius=[w * 0.02])

    def _decals(self, x: float, y: float, w: float, h: float, parts: list[str]) -> None:
        if self.decals in ("", "NONE"):
            return
        parts.append(f"decals:{self.decals}")
        ink = contrast_ink(self.paint)
        Color(*ink)
        if self.decals == "TRAIL_STRIPE":      # twin stripes over the bonnet and the rear roof
            for sx in (x + w * 0.36, x + w * 0.54):
                RoundedBox(pos=(sx, y + h * 0.78), size=(w * 0.1, h * 0.2), radius=[1])
        elif self.decals == "TOPO_LINES":      # contour lines over the bonnet
            for i in range(4):
                cy = y + h * (0.8 + 0.045 * i)
                points = []
                for s in range(13):
                    px = x + w * (0.12 + 0.76 * s / 12)
                    points += [px, cy + h * 0.012 * math.sin(s * 0.9 + i * 1.3)]
                Line(points=points, width=max(1.0, w / 90))
        elif self.decals == "HERITAGE_NUMERAL":  # a roundel with a numeral on the bonnet
            r = w * 0.17
            cx, cy = x + w * 0.5, y + h * 0.875
            Ellipse(pos=(cx - r, cy - r), size=(2 * r, 2 * r))
            Color(*self.paint)
            lw = max(1.5, r * 0.16)
            Line(points=[cx - r * 0.35, cy + r * 0.45, cx + r * 0.35, cy + r * 0.45,
                         cx - r * 0.1, cy - r * 0.55], width=lw, joint="miter")   # "7"
            Color(*ink)
            Line(points=[x + w * 0.08, y + h * 0.72, x + w * 0.08, y + h * 0.28],
                 width=max(1.5, w * 0.025))   # coachline along each flank
            Line(points=[x + w * 0.92, y + h * 0.72, x + w * 0.92, y + h * 0.28],
                 width=max(1.5, w * 0.025))

    def _cabin(self, x: float, y: float, w: float, h: float, parts: list[str]) -> None:
        """Windscreen, the roof in its colour around a cut-away cabin, the seats inside."""
        t = self.theme
        Color(*GLASS)
        RoundedBox(pos=(x + w * 0.1, y + h * 0.68), size=(w * 0.8, h * 0.08), radius=[w * 0.05])
        Color(*self.roof)
        RoundedBox(pos=(x + w * 0.08, y + h * 0.06), size=(w * 0.84, h * 0.63), radius=[w * 0.08])
        Color(*shade(self.roof, 0.75))
        Line(rounded_rectangle=(x + w * 0.08, y + h * 0.06, w * 0.84, h * 0.63, w * 0.08),
             width=1.2)
        if self.decals == "TRAIL_STRIPE":
            Color(*contrast_ink(self.roof))
            for sx in (x + w * 0.36, x + w * 0.54):
                RoundedBox(pos=(sx, y + h * 0.08), size=(w * 0.1, h * 0.14), radius=[1])
        Color(*INTERIOR)
        RoundedBox(pos=(x + w * 0.15, y + h * 0.25), size=(w * 0.7, h * 0.42), radius=[w * 0.06])
        seat_w, seat_h = w * 0.19, h * 0.12
        rows = (y + h * 0.52, y + h * 0.29)
        columns = (x + w * 0.17, x + w * 0.405, x + w * 0.64)
        for index in range(6):
            row, column = divmod(index, 3)
            pos = (columns[column], rows[row])
            if index == JUMP_SEAT:
                if self.jump_seat == "not_fitted":
                    continue
                if self.jump_seat == "unknown":   # not known to be there, nor to be missing
                    Color(*t.text_dim)
                    Line(rounded_rectangle=(*pos, seat_w, seat_h, seat_w * 0.25),
                         width=1, dash_length=4, dash_offset=3)
                    parts.append("jump_seat:unknown")
                    continue
                parts.append("jump_seat")
            elif not self.seat_fitted[index]:
                continue
            _seat(pos, seat_w, seat_h, t.role(self.seat_roles[index]))

    def _rack(self, x: float, y: float, w: float, h: float, loaded: bool) -> None:
        Color(*TRIM)
        rail = max(2.0, w * 0.045)
        for rx in (x + w * 0.1, x + w * 0.9 - rail):
            RoundedBox(pos=(rx, y + h * 0.07), size=(rail, h * 0.6), radius=[rail / 2])
        for by in (0.08, 0.15, 0.22, 0.64):
            RoundedBox(pos=(x + w * 0.1, y + h * by), size=(w * 0.8, rail * 0.8), radius=[1])
        if loaded:   # a strapped roof bag on the rear of the rack, clear of the cabin
            Color(*LOAD)
            RoundedBox(pos=(x + w * 0.16, y + h * 0.085), size=(w * 0.68, h * 0.15),
                       radius=[w * 0.06])
            Color(*shade(LOAD, 0.6))
            for sx in (0.33, 0.62):
                Line(points=[x + w * sx, y + h * 0.085, x + w * sx, y + h * 0.235], width=1.5)
            Line(rounded_rectangle=(x + w * 0.16, y + h * 0.085, w * 0.68, h * 0.15, w * 0.06),
                 width=1.1)

    def _doors(self, x: float, y: float, w: float, h: float) -> None:
        t = self.theme
        lw = max(1.5, h / 160)
        spans = ((y + h * 0.5, y + h * 0.68), (y + h * 0.5, y + h * 0.68),
                 (y + h * 0.27, y + h * 0.48), (y + h * 0.27, y + h * 0.48))
        for index, (y0, y1) in enumerate(spans):
            left = index in (0, 2)
            edge = x if left else x + w
            opened = self.available and self.doors_open[index]
            if opened:  # swung open about the front hinge
                Color(*t.amber)
                dx = -(y1 - y0) * 0.7 if left else (y1 - y0) * 0.7
                Line(points=[edge, y1, edge + dx, y1 - (y1 - y0) * 0.7], width=lw * 2)
            else:
                Color(*shade(self.paint, 0.55))
                Line(points=[edge, y0, edge, y1], width=lw)

    def _tailgate(self, x: float, y: float, w: float, h: float, parts: list[str]) -> None:
        """The side-hinged tailgate (hinge on the right, kerb side) and its spare wheel; open,
        both swing out together about the hinge."""
        t = self.theme
        lw = max(1.5, h / 160)
        opened = self.available and self.doors_open[4]
        hinge = (x + w * 0.88, y)
        PushMatrix()
        if opened:
            Rotate(angle=32, origin=hinge)   # swung back about its kerb-side hinge
        Color(*(t.amber if opened else shade(self.paint, 0.55)))
        Line(points=[x + w * 0.12, y, hinge[0], y], width=lw * (2 if opened else 1))
        if self.spare_wheel:
            sw, sd = w * 0.52, h * 0.07
            sx, sy = x + w * 0.24, y - sd * 0.9
            Color(*TYRE)
            RoundedBox(pos=(sx, sy), size=(sw, sd), radius=[sd * 0.45])
            Color(*TREAD)
            for b in range(6):
                RoundedBox(pos=(sx + sw * (0.1 + 0.14 * b), sy + sd * 0.2),
                           size=(sw * 0.07, sd * 0.6), radius=[1])
            Color(*shade(self.paint, 0.8))   # the cover's hub, body colour
            RoundedBox(pos=(sx + sw * 0.38, sy + sd * 0.25), size=(sw * 0.24, sd * 0.5),
                       radius=[sd * 0.2])
            parts.append("spare_wheel")
        PopMatrix()
