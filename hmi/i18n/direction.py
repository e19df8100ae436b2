"""Right-to-left layout: rows read from the right in Arabic, as the reader expects.

Kivy lays every horizontal BoxLayout and GridLayout out left to right and has no reading
direction of its own. Rather than a mirrored twin of every layout in every kv file, the two
layout classes are taught to mirror their children's places once laid out: in a
right-to-left language a row's first child stands at its right end, a grid's first column
at the right. What is drawn inside each child is untouched, so a gauge, the torque
diagram or the Terrain tile icons keep their physical orientation.

A row whose order is itself physical (the P R N D selector, the power meter from regen to
drive) sets `keep_direction: True` in kv and is left as it is.
"""

from __future__ import annotations

from typing import Any

from kivy.uix.boxlayout import BoxLayout
from kivy.uix.gridlayout import GridLayout

_installed = False


def _mirror_children(layout: Any) -> None:
    """Reflect each child's x about the layout's vertical centre line."""
    for child in layout.children:
        child.x = layout.x + (layout.right - child.right)


def _mirroring(original: Any, horizontal_only: bool) -> Any:
    def do_layout(self: Any, *args: Any, **kwargs: Any) -> None:
        original(self, *args, **kwargs)
        from . import tr

        if not tr.right_to_left or getattr(self, "keep_direction", False):
            return
        if horizontal_only and self.orientation not in ("horizontal", "lr", "rl"):
            return
        _mirror_children(self)

    do_layout.__doc__ = original.__doc__
    return do_layout


def install() -> None:
    """Mirror BoxLayout rows and GridLayout columns while the language reads right to left."""
    global _installed
    if _installed:
        return
    _installed = True
    BoxLayout.do_layout = _mirroring(BoxLayout.do_layout, horizontal_only=True)
    GridLayout.do_layout = _mirroring(GridLayout.do_layout, horizontal_only=False)
