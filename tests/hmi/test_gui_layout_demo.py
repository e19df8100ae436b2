"""The desktop demo's window (cabin and control panel side by side, hmi.demo.app) resized by
hand: above its minimum, nothing overlaps, nothing is cut off, the cabin keeps its shape and
the panel its width.

A size below the minimum is laid out at what the window manager grants for it (the offscreen
driver does not enforce Window.minimum_* itself).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hmi.profiles import PROFILES
from hmi.screens import SCREEN_NAMES
from tests.hmi.conftest import WINDOW_SIZE, advance_frames, publish_all, start_hmi, stop_hmi
from tests.hmi.test_gui_layout_languages import problems
from tests.support.injector import VehicleInjector
from tests.support.layout import rect
from tests.support.sample_vehicle import widest

SIZES = [(0, 0), (900, 400), (1270, 790), (700, 1000), (1920, 1080)]
TOLERANCE = 1.0


@pytest.fixture(scope="module")
def demo(window, mosquitto) -> Iterator[Any]:
    from hmi.demo.app import demo_layout
    from hmi.demo.controller import SimController
    from hmi.demo.keyboard import KEY_PAGE_UP, KEY_UP
    from hmi.demo.panel_model import SimPanelModel
    from protocols.bus import InProcessBroker, InProcessTransport

    vehicle = VehicleInjector(mosquitto.url, "layout-demo").start()
    publish_all(vehicle, widest())
    harness = start_hmi(window, mosquitto.url, "layout-demo", "desktop")
    harness.wait(lambda: harness.models.energy.range_rated.available, what="widest data")
    controller = SimController(InProcessTransport(InProcessBroker()), "layout-demo")
    controller.start()
    model = SimPanelModel(controller, "showcase")
    model.key_down(KEY_UP)     # the panel's longest texts: driving by keyboard
    model.key_down(KEY_PAGE_UP)
    # and the two message lines at once: a scenario notice and a toggle's result
    model.scenario_text = "Scenario overrode your Grass Gravel Snow: Rock Crawl"
    model.status_text = "Sensor out of range: on"
    window.remove_widget(harness.root)
    harness.top = demo_layout(harness.hmi, model)
    window.add_widget(harness.top)
    yield harness
    stop_hmi(harness)
    controller.close()
    vehicle.clear_retained()
    vehicle.close()
    window.minimum_width, window.minimum_height = 0, 0
    window.size = WINDOW_SIZE
    advance_frames(2)


def resize(harness: Any, asked: tuple[int, int]) -> tuple[int, int]:
    from hmi.app import set_minimum_window
    from hmi.demo.panel_layout import PANEL_WIDTH

    minimum = set_minimum_window(harness.hmi.profile, PANEL_WIDTH)
    harness.window.size = (max(asked[0], minimum[0]), max(asked[1], minimum[1]))
    advance_frames(4)
    return tuple(harness.window.size)


@pytest.mark.parametrize("asked", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_the_demo_window_lays_out_at_any_size_above_its_minimum(demo, asked) -> None:
    from hmi.demo.panel import SimControlPanel
    from hmi.demo.panel_layout import PANEL_WIDTH

    window_size = resize(demo, asked)
    assert window_size[0] >= PROFILES["desktop"].width + PANEL_WIDTH
    panel = next(w for w in demo.top.children if isinstance(w, SimControlPanel))
    assert panel.width == PANEL_WIDTH and panel.height == window_size[1]
    found = problems(panel, demo.window, 0, None)
    shell = demo.root
    x0, y0, x1, y1 = rect(shell)
    if x1 > panel.x + TOLERANCE or x0 < -TOLERANCE or y0 < -TOLERANCE \
            or y1 > window_size[1] + TOLERANCE:
        found.append(f"cabin {tuple(round(v) for v in (x0, y0, x1, y1))} outside its room")
    design = 5 / 3 if shell.width >= shell.height else 3 / 5
    if abs(shell.width / shell.height / design - 1) > 0.01:
        found.append(f"cabin stretched to {shell.width:.0f}x{shell.height:.0f}")
    metrics = demo.hmi.metrics
    for name in SCREEN_NAMES:
        demo.screen(name)
        advance_frames(2)
        found += [f"{name}: {p}" for p in problems(shell, demo.window, metrics.touch,
                                                   metrics.caption,
                                                   list(shell.nav_buttons.values()))]
    assert not found, "\n".join(found)
