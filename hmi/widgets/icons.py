"""Simple vector icons drawn with canvas lines (no image files, no icon font).

`draw_icon` draws in a unit square mapped onto (x, y, size), inside `with canvas:`; the Icon
widget shows it from a texture rendered once per name and size.
"""

import math

from kivy.graphics import ClearBuffers, ClearColor, Color, Ellipse, Fbo, Line, Rectangle
from kivy.graphics.texture import Texture
from kivy.properties import ColorProperty, StringProperty

from .base import CanvasWidget


def _map(x, y, size, points):
    return [c for px, py in zip(points[0::2], points[1::2], strict=False)
            for c in (x + px * size, y + py * size)]


def _wave(x, y, size, y0, amplitude, width, lw, x0=0.1, x1=0.9, waves=2):
    steps = 24
    points = []
    for i in range(steps + 1):
        t = i / steps
        px = x0 + (x1 - x0) * t
        points += [px, y0 + amplitude * math.sin(t * waves * 2 * math.pi)]
    Line(points=_map(x, y, size, points), width=lw)


def draw_icon(name, x, y, size, lw):
    """Draw icon `name`; the caller has set the Color."""
    m = lambda *pts: _map(x, y, size, pts)  # noqa: E731
    if name == "drive":
        Line(circle=(x + size * 0.5, y + size * 0.42, size * 0.4, -120, 120), width=lw)
        Line(points=m(0.5, 0.42, 0.72, 0.66), width=lw)
        Ellipse(pos=(x + size * 0.45, y + size * 0.37), size=(size * 0.1, size * 0.1))
    elif name == "terrain":
        Line(points=m(0.05, 0.18, 0.35, 0.72, 0.5, 0.48, 0.65, 0.82, 0.95, 0.18, 0.05, 0.18),
             width=lw, joint="round")
    elif name == "energy":
        Line(points=m(0.58, 0.95, 0.25, 0.45, 0.5, 0.45, 0.42, 0.05, 0.75, 0.58, 0.5, 0.58,
                      0.58, 0.95), width=lw, joint="round")
    elif name == "charging":
        Line(rounded_rectangle=(x + size * 0.28, y + size * 0.38, size * 0.44, size * 0.3,
                                size * 0.06), width=lw)
        Line(points=m(0.4, 0.68, 0.4, 0.9), width=lw)
        Line(points=m(0.6, 0.68, 0.6, 0.9), width=lw)
        Line(bezier=m(0.5, 0.38, 0.5, 0.1, 0.8, 0.2, 0.85, 0.05), width=lw)
    elif name == "vehicle":
        Line(rounded_rectangle=(x + size * 0.28, y + size * 0.05, size * 0.44, size * 0.9,
                                size * 0.12), width=lw)
        Line(points=m(0.32, 0.66, 0.68, 0.66), width=lw)
        Line(points=m(0.32, 0.3, 0.68, 0.3), width=lw)
    elif name == "settings":
        cx, cy = x + size * 0.5, y + size * 0.5
        Line(circle=(cx, cy, size * 0.27), width=lw)
        Line(circle=(cx, cy, size * 0.1), width=lw)
        for i in range(8):
            a = i * math.pi / 4
            Line(points=[cx + math.cos(a) * size * 0.27, cy + math.sin(a) * size * 0.27,
                         cx + math.cos(a) * size * 0.43, cy + math.sin(a) * size * 0.43],
                 width=lw * 1.6, cap="none")
    elif name == "AUTO":
        Line(circle=(x + size * 0.5, y + size * 0.5, size * 0.44), width=lw)
        Line(points=m(0.3, 0.25, 0.5, 0.76, 0.7, 0.25), width=lw, joint="round")
        Line(points=m(0.38, 0.44, 0.62, 0.44), width=lw)
    elif name == "COMFORT":
        Line(points=m(0.1, 0.05, 0.4, 0.95), width=lw)
        Line(points=m(0.9, 0.05, 0.6, 0.95), width=lw)
        for y0, y1 in ((0.08, 0.28), (0.42, 0.58), (0.72, 0.86)):
            Line(points=m(0.5, y0, 0.5, y1), width=lw)
    elif name == "ECO":
        Line(bezier=m(0.15, 0.15, 0.1, 0.85, 0.7, 0.95, 0.9, 0.9), width=lw)
        Line(bezier=m(0.15, 0.15, 0.8, 0.1, 0.95, 0.6, 0.9, 0.9), width=lw)
        Line(points=m(0.15, 0.15, 0.65, 0.65), width=lw)
    elif name == "GRASS_GRAVEL_SNOW":
        for bx in (0.12, 0.3, 0.48):
            Line(bezier=m(bx, 0.08, bx + 0.02, 0.4, bx + 0.12, 0.55), width=lw)
        cx, cy, r = x + size * 0.72, y + size * 0.68, size * 0.2
        for i in range(3):
            a = i * math.pi / 3 + math.pi / 2
            Line(points=[cx - math.cos(a) * r, cy - math.sin(a) * r,
                         cx + math.cos(a) * r, cy + math.sin(a) * r], width=lw)
        Ellipse(pos=(x + size * 0.62, y + size * 0.1), size=(size * 0.1, size * 0.1))
        Ellipse(pos=(x + size * 0.8, y + size * 0.22), size=(size * 0.08, size * 0.08))
    elif name == "MUD_RUTS":
        for x0 in (0.18, 0.62):
            Line(bezier=m(x0, 0.05, x0 + 0.25, 0.35, x0 - 0.1, 0.65, x0 + 0.15, 0.95), width=lw)
            Line(bezier=m(x0 + 0.18, 0.05, x0 + 0.43, 0.35, x0 + 0.08, 0.65, x0 + 0.33, 0.95),
                 width=lw * 0.6)
    elif name == "SAND":
        Line(bezier=m(0.02, 0.3, 0.3, 0.75, 0.5, 0.75, 0.75, 0.3), width=lw)
        Line(bezier=m(0.4, 0.2, 0.65, 0.55, 0.8, 0.55, 0.98, 0.22), width=lw)
        Line(points=m(0.05, 0.12, 0.95, 0.12), width=lw)
    elif name == "ROCK_CRAWL":
        Line(points=m(0.05, 0.1, 0.15, 0.5, 0.35, 0.68, 0.55, 0.45, 0.6, 0.1), width=lw,
             joint="round")
        Line(points=m(0.5, 0.1, 0.62, 0.38, 0.8, 0.5, 0.95, 0.3, 0.95, 0.1), width=lw,
             joint="round")
        Line(points=m(0.02, 0.1, 0.98, 0.1), width=lw)
    elif name == "WADE":
        Line(rounded_rectangle=(x + size * 0.2, y + size * 0.5, size * 0.6, size * 0.3,
                                size * 0.06), width=lw)
        _wave(x, y, size, 0.42, 0.05, size, lw)
        _wave(x, y, size, 0.2, 0.05, size, lw)


class Icon(CanvasWidget):
    """A square icon centred in the widget, drawn as one textured square (see icon_texture)."""

    name = StringProperty("")
    color = ColorProperty([1, 1, 1, 1])
    redraw_on = ("name", "color")

    def _redraw(self, *args):
        # icons carry their own colour and need no theme
        self.canvas.clear()
        size = int(min(self.width, self.height))
        if not self.name or size < 2:
            return
        texture = icon_texture(self.name, size)  # outside `with canvas`: its Fbo is not drawn
        with self.canvas:
            Color(*self.color)
            Rectangle(texture=texture,
                      pos=(int(self.center_x - size / 2), int(self.center_y - size / 2)),
                      size=(size, size))


_TEXTURES: dict[tuple[str, int], Texture] = {}


def icon_texture(name, size):
    """The icon drawn once in white on transparent, `size` pixels square, and kept.

    Wide lines, arcs and curves are hundreds of small triangles each; drawn live they cost
    software GL more than the rest of a screen. As a texture an icon is two triangles, and the
    widget's Color tints the white.

    Only the pixels are kept, in a plain texture: the Fbo they were drawn in goes. Each Fbo has
    its own render context and shader program, and Mesa's llvmpipe keeps about 1.3 MB per
    linked program; kept Fbos made every icon name and size the HMI ever showed (a terrain
    program seen for the first time, say) cost that for the rest of the run.
    """
    key = (name, size)
    texture = _TEXTURES.get(key)
    if texture is None:
        fbo = Fbo(size=(size, size))
        with fbo:
            ClearColor(0, 0, 0, 0)
            ClearBuffers()
            Color(1, 1, 1, 1)
            draw_icon(name, 0, 0, size, max(1.2, size / 18))
        fbo.draw()
        pixels = fbo.pixels
        texture = Texture.create(size=(size, size), colorfmt="rgba")
        texture.blit_buffer(pixels, colorfmt="rgba", bufferfmt="ubyte")
        # a lost GL context (Android, some drivers) takes the texture's contents with it
        texture.add_reload_observer(
            lambda tex, data=pixels: tex.blit_buffer(data, colorfmt="rgba", bufferfmt="ubyte"))
        _TEXTURES[key] = texture
    return texture
