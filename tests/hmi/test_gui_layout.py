"""Each profile lays out every screen without overlap, clipping or undersized touch targets.

Checked on the real widget tree with the widest values the catalogue allows, by comparing
widget rectangles in window coordinates.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hmi.profiles import PROFILES
from hmi.screens import SCREEN_NAMES
from hmi.widgets import TextLabel
from hmi.widgets.controls import natural_size
from tests.hmi.conftest import WINDOW_SIZE, advance_frames, publish_all, start_hmi, stop_hmi
from tests.support.injector import VehicleInjector
from tests.support.layout import drawn_leaves as leaves
from tests.support.layout import overlapping_pairs, rect, visible
from tests.support.sample_vehicle import widest

TOLERANCE = 1.0


# A desktop window resized by hand (the demo's 800x480 profile): the smallest it allows, a
# wide low one, a big one, a tall narrow one and full HD. A size below the minimum is what the
# window manager gives for it (the offscreen driver does not enforce a minimum itself).
RESIZED = [(0, 0), (900, 400), (1270, 790), (700, 1000), (1920, 1080), (1000, 1000)]
LAYOUTS = [(name, PROFILES[name].size) for name in sorted(PROFILES)] + \
    [("desktop", size) for size in RESIZED]


def granted(window: Any, profile: Any, asked: tuple[int, int]) -> tuple[int, int]:
    """The window size a window manager grants for `asked`, with the app's minimum set."""
    from hmi.app import set_minimum_window

    minimum = set_minimum_window(profile)
    return (max(asked[0], minimum[0]), max(asked[1], minimum[1]))


@pytest.fixture(scope="module", params=LAYOUTS, ids=lambda p: f"{p[0]}-{p[1][0]}x{p[1][1]}")
def laid_out(request, window, mosquitto) -> Iterator[Any]:
    name, asked = request.param
    profile = PROFILES[name]
    window.size = granted(window, profile, asked)
    vehicle_id = f"layout-{name}-{asked[0]}x{asked[1]}"
    vehicle = VehicleInjector(mosquitto.url, vehicle_id).start()
    publish_all(vehicle, widest())
    harness = start_hmi(window, mosquitto.url, vehicle_id, profile.name, framed=True)
    harness.wait(lambda: harness.models.energy.range_rated.available
                 and harness.models.terrain.program_available, what="widest data shown")
    yield harness
    stop_hmi(harness)
    vehicle.clear_retained()
    vehicle.close()
    window.minimum_width, window.minimum_height = 0, 0
    window.size = WINDOW_SIZE
    advance_frames(2)


def test_a_resizable_window_keeps_a_minimum_size(window) -> None:
    """Below its design size the cabin would overlap or be cut off: the window stops there
    (with the demo's panel beside it, that much wider)."""
    from hmi.app import set_minimum_window
    from hmi.demo.panel_layout import PANEL_WIDTH

    try:
        assert set_minimum_window(PROFILES["desktop"]) == (800, 480)
        assert (window.minimum_width, window.minimum_height) == (800, 480)
        assert set_minimum_window(PROFILES["desktop"], PANEL_WIDTH) == (800 + PANEL_WIDTH, 480)
    finally:
        window.minimum_width, window.minimum_height = 0, 0


def test_the_cabin_keeps_its_proportions_at_any_window_size(laid_out) -> None:
    """Not stretched: the shell is the design's shape (5:3, or 3:5 in a tall window), as
    large as fits, centred, and its type grows with it."""
    shell, window = laid_out.root, laid_out.window
    metrics = laid_out.hmi.metrics
    x0, y0, x1, y1 = rect(shell)
    assert x0 >= -TOLERANCE and y0 >= -TOLERANCE
    assert x1 <= window.width + TOLERANCE and y1 <= window.height + TOLERANCE
    if laid_out.hmi.profile.resizable:
        design = 5 / 3 if shell.width >= shell.height else 3 / 5
        assert shell.width / shell.height == pytest.approx(design, rel=0.01)
        # it fills the window one way (up to the zoom's step of 1/20)
        assert min(window.width - shell.width, window.height - shell.height) \
            <= max(window.size) * 0.05 + TOLERANCE
        assert metrics.caption >= 13 * metrics.zoom - 1


def shown(harness: Any, name: str) -> Any:
    screen = harness.screen(name)
    advance_frames(3)
    return screen


@pytest.mark.parametrize("name", SCREEN_NAMES)
def test_no_two_drawn_widgets_overlap(laid_out, name) -> None:
    pairs = overlapping_pairs(leaves(shown(laid_out, name)), TOLERANCE)
    assert [(describe(a), describe(b)) for a, b in pairs] == []


@pytest.mark.parametrize("name", SCREEN_NAMES)
def test_everything_stays_inside_its_parent_and_the_window(laid_out, name) -> None:
    window = laid_out.window
    outside = []
    for widget in leaves(shown(laid_out, name)):
        x0, y0, x1, y1 = rect(widget)
        px0, py0, px1, py1 = rect(widget.parent)
        if (x0 < -TOLERANCE or y0 < -TOLERANCE or x1 > window.width + TOLERANCE
                or y1 > window.height + TOLERANCE
                or x0 < px0 - TOLERANCE or y0 < py0 - TOLERANCE
                or x1 > px1 + TOLERANCE or y1 > py1 + TOLERANCE):
            outside.append(describe(widget))
    assert outside == []


@pytest.mark.parametrize("name", SCREEN_NAMES)
def test_text_fits_its_box(laid_out, name) -> None:
    """One line that fits; or, where a TextLabel may wrap (`max_lines`), no more lines than
    that, all inside the box (test_gui_layout_languages checks every label more strictly)."""
    clipped = []
    for widget in leaves(shown(laid_out, name)):
        if not isinstance(widget, TextLabel) or not widget.fit:
            continue
        if widget.max_lines > 1:
            width, height = widget._label._internal_size
            if len(widget._label._cached_lines) > widget.max_lines:
                clipped.append(describe(widget))
        else:
            width, height = natural_size(widget.text, widget.font_size, widget.bold)
        if width > widget.width + TOLERANCE or height > widget.height + TOLERANCE:
            clipped.append(describe(widget))
    assert clipped == []


@pytest.mark.parametrize("name", SCREEN_NAMES)
def test_touch_targets_are_at_least_12_mm(laid_out, name) -> None:
    from kivy.uix.behaviors import ButtonBehavior

    screen = shown(laid_out, name)
    minimum = laid_out.hmi.metrics.touch - TOLERANCE
    targets = [w for w in screen.walk(restrict=True) if isinstance(w, ButtonBehavior)]
    targets += list(laid_out.root.nav_buttons.values())
    small = [describe(w) for w in targets if visible(w) and min(w.size) < minimum]
    assert small == []


def test_nothing_on_screen_is_shrunk_below_legibility(laid_out) -> None:
    tiny = []
    for name in SCREEN_NAMES:
        for widget in leaves(shown(laid_out, name)):
            if (isinstance(widget, TextLabel)
                    and widget.font_size < laid_out.hmi.metrics.caption * 0.75):
                tiny.append(describe(widget))
    assert tiny == []


def describe(widget: Any) -> str:
    label = getattr(widget, "text", "") or type(widget).__name__
    return f"{type(widget).__name__}({label!r}) at {tuple(round(v) for v in rect(widget))}"
