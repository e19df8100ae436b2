"""Where widgets are on the glass, for the layout tests: visibility, window rectangles and
the widgets that draw something (labels with text, canvas instruments and icons)."""

from __future__ import annotations

from typing import Any


def visible(widget: Any) -> bool:
    """Drawn at all: no ancestor is transparent, and it has an area."""
    node = widget
    while node is not None and node is not node.parent:
        if getattr(node, "opacity", 1) == 0:
            return False
        node = node.parent
    return widget.width > 0.5 and widget.height > 0.5


def rect(widget: Any) -> tuple[float, float, float, float]:
    """(x0, y0, x1, y1) in window coordinates."""
    x0, y0 = widget.to_window(widget.x, widget.y)
    return (x0, y0, x0 + widget.width, y0 + widget.height)


def drawn_leaves(root: Any) -> list[Any]:
    """Things that draw under `root`: labels with text, canvas instruments and icons."""
    from kivy.uix.label import Label

    from hmi.widgets import CanvasWidget

    found = []
    for widget in root.walk(restrict=True):
        drawn = (isinstance(widget, Label) and widget.text.strip()) or \
            isinstance(widget, CanvasWidget)
        if drawn and visible(widget):
            found.append(widget)
    return found


def is_ancestor(a: Any, b: Any) -> bool:
    node = b.parent
    while node is not None and node is not node.parent:
        if node is a:
            return True
        node = node.parent
    return False


def overlapping_pairs(items: list[Any], tolerance: float) -> list[tuple[Any, Any]]:
    """Pairs of drawn widgets whose window rectangles overlap by more than `tolerance` in both
    directions, neither containing the other."""
    boxes = [(w, rect(w)) for w in items]
    found = []
    for i, (a, ra) in enumerate(boxes):
        for b, rb in boxes[i + 1:]:
            dx = min(ra[2], rb[2]) - max(ra[0], rb[0])
            dy = min(ra[3], rb[3]) - max(ra[1], rb[1])
            if dx > tolerance and dy > tolerance and not is_ancestor(a, b) \
                    and not is_ancestor(b, a):
                found.append((a, b))
    return found
