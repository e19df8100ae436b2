"""HMI test fixtures: one headless Kivy window per process, an HMI wired to a real Mosquitto,
and a fake vehicle on the same broker. Frames are advanced until a condition holds; nothing
sleeps for a fixed time where a condition can be polled."""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from protocols.bus import parse_broker_url
from protocols.bus.mqtt import MqttTransport
from tests.support.injector import VehicleInjector
from tests.support.sample_vehicle import typical

WINDOW_SIZE = (800, 480)


@pytest.fixture(scope="session")
def window() -> Any:
    """The process's one Kivy window (Config must be set before it exists)."""
    from kivy.config import Config

    Config.set("graphics", "width", str(WINDOW_SIZE[0]))
    Config.set("graphics", "height", str(WINDOW_SIZE[1]))
    Config.set("graphics", "maxfps", "60")
    Config.set("graphics", "resizable", "1")
    from kivy.base import EventLoop

    EventLoop.ensure_window()
    return EventLoop.window


def advance_until(condition: Callable[[], Any], timeout_s: float = 3.0,
                  what: str = "condition") -> Any:
    """Run Kivy frames until `condition()` is truthy; fail after `timeout_s`."""
    from kivy.base import EventLoop

    deadline = time.monotonic() + timeout_s
    while True:
        EventLoop.idle()
        value = condition()
        if value:
            return value
        if time.monotonic() > deadline:
            raise AssertionError(f"timed out after {timeout_s} s waiting for {what}")


def advance_frames(count: int = 2) -> None:
    from kivy.base import EventLoop

    for _ in range(count):
        EventLoop.idle()


def tap(widget: Any) -> None:
    """Press and release a real touch at the widget's centre, through the window."""
    from kivy.tests.common import UnitTestTouch

    x, y = widget.to_window(*widget.center)
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    advance_frames(1)
    touch.touch_up()
    advance_frames(1)


def find(root: Any, predicate: Callable[[Any], bool]) -> list[Any]:
    return [w for w in root.walk(restrict=True) if predicate(w)]


class HmiHarness:
    """An HMI in the shared window, plus helpers to look at it."""

    def __init__(self, hmi: Any, window: Any) -> None:
        self.hmi = hmi
        self.window = window
        self.top = hmi.root   # what was added to the window: the shell, or its frame

    @property
    def root(self) -> Any:
        return self.hmi.root

    @property
    def models(self) -> Any:
        return self.hmi.models

    def screen(self, name: str) -> Any:
        self.hmi.show(name)
        advance_frames(2)
        return self.root.screens[name]

    def wait(self, condition: Callable[[], Any], timeout_s: float = 3.0, what: str = "") -> Any:
        return advance_until(condition, timeout_s, what or "condition")

    def snapshot(self) -> dict[str, Any]:
        return self.hmi.display_snapshot()


def start_hmi(window: Any, broker_url: str, vehicle: str, profile: str = "desktop",
              screen: str = "drive", language: str | None = "en-GB",
              metric: bool = True, preferences_path: Path | None = None,
              default_language: str = "en-GB", framed: bool = False) -> HmiHarness:
    """An HMI in `language` for this run (None: the saved choice in `preferences_path`, else
    `default_language`, as hmi.cli passes them); with `metric` the driver has picked metric
    units (most tests read km/h; the market's own defaults are tested in
    test_gui_languages.py). `framed`: in the app's frame (hmi.app.CabinFrame), which zooms a
    resizable profile's layout to the window and centres it, as the app shows it."""
    from hmi.composition import build_hmi
    from hmi.units import METRIC

    transport = MqttTransport(parse_broker_url(broker_url), client_id=f"hmi-{vehicle}",
                              min_backoff_s=0.05, max_backoff_s=0.3)
    hmi = build_hmi(transport, vehicle, profile, screen, broker_url,
                    preferences_path=preferences_path, language=language,
                    default_language=default_language)
    if metric:
        hmi.models.preferences.set_units(METRIC)
    root = hmi.build_root()
    if framed:
        from hmi.app import CabinFrame

        root = CabinFrame(hmi)
    else:
        hmi.metrics.follow_window(*window.size)
    window.add_widget(root)
    hmi.start()
    harness = HmiHarness(hmi, window)
    harness.top = root
    advance_until(lambda: hmi.models.link.broker_connected, 5.0, "broker connection")
    return harness


def stop_hmi(harness: HmiHarness) -> None:
    harness.hmi.stop()
    harness.window.remove_widget(harness.top)
    advance_frames(1)


@pytest.fixture
def vehicle(mosquitto: Any, vehicle_id: str) -> Iterator[VehicleInjector]:
    injector = VehicleInjector(mosquitto.url, vehicle_id).start()
    yield injector
    injector.clear_retained()
    injector.close()


@pytest.fixture
def hmi(window: Any, mosquitto: Any, vehicle_id: str) -> Iterator[HmiHarness]:
    harness = start_hmi(window, mosquitto.url, vehicle_id)
    yield harness
    stop_hmi(harness)


def publish_all(vehicle: VehicleInjector, values: dict[str, dict[str, Any]] | None = None,
                online: bool = True) -> None:
    """Status online, then every frame at its rate from now on, like a live vehicle.

    Tests that need a signal to go quiet call `vehicle.stop_cycle()`.
    """
    vehicle.status(online)
    vehicle.start_cycle(values or typical())
