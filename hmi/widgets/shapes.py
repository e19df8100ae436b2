"""Shapes that stay cheap on software GL (Mesa llvmpipe on a desktop, the bench, CI).

Kivy's RoundedRectangle is a fan of thin triangles from its centre: every tile of the shape is
crossed by several of them, so the rasteriser takes its slow, partly-covered path over the whole
area. `RoundedBox` covers the straight middle with two triangles across the full width and
leaves thin slivers only in the corner rows. Same arguments and attributes (`pos`, `size`,
`radius`), so it is a drop-in replacement.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

from kivy.graphics import Mesh

CORNER_SEGMENTS = 8


def rounded_box(x: float, y: float, w: float, h: float, radii: Sequence[float],
                segments: int = CORNER_SEGMENTS) -> tuple[list[float], list[int]]:
    """Vertices (x, y, u, v) and triangle indices of a rounded rectangle.

    `radii` are the corners in Kivy's order: top-left, top-right, bottom-right, bottom-left.
    The outline's left and right chains are zipped bottom to top, so the straight middle is two
    triangles across the whole width and only the corner rows are slivers.
    """
    limit = min(w, h) / 2
    tl, tr, br, bl = (max(0.0, min(float(r), limit)) for r in radii)

    def arc(cx: float, cy: float, r: float, start: float, stop: float) -> list[tuple[float, float]]:
        if r <= 0:
            return [(cx, cy)]
        steps = [start + (stop - start) * i / segments for i in range(segments + 1)]
        return [(cx + r * math.cos(a), cy + r * math.sin(a)) for a in steps]

    half = 0.5 * math.pi
    left = (arc(x + bl, y + bl, bl, 3 * half, 2 * half)
            + arc(x + tl, y + h - tl, tl, 2 * half, half))
    right = (arc(x + w - br, y + br, br, 3 * half, 4 * half)
             + arc(x + w - tr, y + h - tr, tr, 0.0, half))
    points = left + right
    vertices = [c for px, py in points for c in (px, py, 0.0, 0.0)]
    indices: list[int] = []
    i, j, offset = 0, 0, len(left)
    while i < len(left) - 1 or j < len(right) - 1:
        advance_left = j >= len(right) - 1 or (
            i < len(left) - 1 and left[i + 1][1] <= right[j + 1][1])
        if advance_left:
            indices.extend((i, offset + j, i + 1))
            i += 1
        else:
            indices.extend((i, offset + j, offset + j + 1))
            j += 1
    return vertices, indices


class RoundedBox(Mesh):
    """A filled rounded rectangle; `RoundedRectangle(pos=, size=, radius=[r])` semantics."""

    def __init__(self, pos: Sequence[float] = (0, 0), size: Sequence[float] = (100, 100),
                 radius: Sequence[Any] = (0,), **kwargs: Any) -> None:
        super().__init__(mode="triangles", **kwargs)
        self._pos = tuple(pos)
        self._size = tuple(size)
        self._radii = _corner_radii(radius)
        self._rebuild()

    @property
    def pos(self) -> tuple[float, float]:
        return self._pos  # type: ignore[return-value]

    @pos.setter
    def pos(self, value: Sequence[float]) -> None:
        self._pos = tuple(value)
        self._rebuild()

    @property
    def size(self) -> tuple[float, float]:
        return self._size  # type: ignore[return-value]

    @size.setter
    def size(self, value: Sequence[float]) -> None:
        self._size = tuple(value)
        self._rebuild()

    @property
    def radius(self) -> list[float]:
        return list(self._radii)

    @radius.setter
    def radius(self, value: Sequence[Any]) -> None:
        self._radii = _corner_radii(value)
        self._rebuild()

    def _rebuild(self) -> None:
        (x, y), (w, h) = self._pos, self._size
        if w <= 0 or h <= 0:
            empty: tuple[list[float], list[int]] = ([], [])
            self.vertices, self.indices = empty
            return
        self.vertices, self.indices = rounded_box(x, y, w, h, self._radii)


def _corner_radii(radius: Sequence[Any]) -> tuple[float, float, float, float]:
    """RoundedRectangle's forms: [r] for all corners or four, each r or (rx, ry) (rx used)."""
    values = [float(r[0] if isinstance(r, (tuple, list)) else r) for r in radius] or [0.0]
    if len(values) < 4:
        values = [values[0]] * 4
    return values[0], values[1], values[2], values[3]
