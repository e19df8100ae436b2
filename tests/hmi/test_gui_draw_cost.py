"""What each screen hands the GL driver: nothing invisible, nothing that forces extra passes.

Software GL (Mesa llvmpipe: the desktop demo in a VM, CI, the bench) shades every pixel of every
shape whatever its alpha, Kivy draws a wide line of alpha below 1 through a stencil pass over its
bounds, and an Fbo inside the window's canvas splits the frame in two. Each of these once cost
more than the rest of a screen; these checks keep them out. (Speed itself is measured by
ema-bench, not asserted here.)
"""

from __future__ import annotations

from typing import Any

import pytest

from hmi.screens import SCREEN_NAMES
from tests.hmi.conftest import advance_frames, publish_all
from tests.support.injector import VehicleInjector

FORBIDDEN = ("StencilPush", "Fbo")


def drawn(window: Any) -> list[tuple[Any, float]]:
    """Every instruction the window draws, with the alpha of the Color in force for it."""
    from kivy.graphics import Color
    from kivy.graphics.instructions import InstructionGroup

    found: list[tuple[Any, float]] = []
    alpha = [1.0]

    def walk(group: Any) -> None:
        for instruction in group.children:
            if isinstance(instruction, Color):
                alpha[0] = instruction.a
            found.append((instruction, alpha[0]))
            if isinstance(instruction, InstructionGroup):
                walk(instruction)

    walk(window.canvas)
    return found


def area(instruction: Any) -> float:
    size = getattr(instruction, "size", None)
    return float(size[0] * size[1]) if size else 0.0


@pytest.fixture
def live(hmi: Any, mosquitto: Any, vehicle_id: str) -> Any:
    vehicle = VehicleInjector(mosquitto.url, vehicle_id).start()
    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.energy.soc.available, what="live values")
    yield hmi
    vehicle.clear_retained()
    vehicle.close()


@pytest.mark.parametrize("name", SCREEN_NAMES)
def test_screen_draws_no_stencil_fbo_or_translucent_wide_line(live: Any, name: str) -> None:
    from kivy.graphics import Line

    live.screen(name)
    advance_frames(3)
    for instruction, alpha in drawn(live.window):
        kind = type(instruction).__name__
        assert kind not in FORBIDDEN, f"{name}: {kind} in the window's canvas"
        if isinstance(instruction, Line) and instruction.width > 1:
            assert alpha == 1.0, f"{name}: wide line at alpha {alpha} (stencil pass)"


@pytest.mark.parametrize("name", SCREEN_NAMES)
def test_nothing_transparent_has_area(live: Any, name: str) -> None:
    live.screen(name)
    advance_frames(3)
    for instruction, alpha in drawn(live.window):
        if alpha == 0.0:
            assert area(instruction) == 0.0, (
                f"{name}: invisible {type(instruction).__name__} of {area(instruction):.0f} px²")


def test_window_background_is_the_clear_colour_not_a_shape(live: Any) -> None:
    """A full-window fill is the dearest shape there is; the clear colour paints it for free."""
    width, height = live.window.size
    for instruction, _alpha in drawn(live.window):
        assert area(instruction) < 0.9 * width * height, type(instruction).__name__
