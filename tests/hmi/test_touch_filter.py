"""On a Pi touchscreen one finger arrives twice (hidinput and SDL's mouse): one tap, one press."""

from __future__ import annotations

from typing import Any

import pytest

from hmi.touch import DuplicateTouchFilter, configure_input


def finger(window: Any, x: float, y: float, device: str) -> Any:
    from kivy.tests.common import UnitTestTouch

    touch = UnitTestTouch(x, y)
    touch.device = device
    return touch


def press_through_event_loop(window: Any, touches: list[Any], filters: list[Any]) -> int:
    """Feed begin/end events through Kivy's real input pipeline; count button presses."""
    from kivy.base import EventLoop
    from kivy.uix.button import Button

    button = Button(size=(200, 120), pos=(300, 180))
    presses: list[int] = []
    button.bind(on_press=lambda *_: presses.append(1))
    window.add_widget(button)
    added = [f for f in filters if f not in EventLoop.postproc_modules]
    for module in added:
        EventLoop.add_postproc_module(module)
    try:
        for touch in touches:
            EventLoop._dispatch_input("begin", touch)
        EventLoop.dispatch_input()
        for touch in touches:
            EventLoop._dispatch_input("end", touch)
        EventLoop.dispatch_input()
    finally:
        for module in added:
            EventLoop.remove_postproc_module(module)
        window.remove_widget(button)
    return len(presses)


def test_echo_of_a_tap_from_a_second_provider_is_one_press(window) -> None:
    touches = [finger(window, 400, 240, "hidinput"), finger(window, 401, 241, "mouse")]
    assert press_through_event_loop(window, touches, [DuplicateTouchFilter()]) == 1


def test_without_the_filter_the_same_tap_presses_twice(window) -> None:
    touches = [finger(window, 400, 240, "hidinput"), finger(window, 401, 241, "mouse")]
    assert press_through_event_loop(window, touches, []) == 2


def test_two_fingers_far_apart_stay_two_touches() -> None:
    class Touch:
        def __init__(self, device: str, sx: float, sy: float) -> None:
            self.device, self.sx, self.sy, self.ud = device, sx, sy, {}

    kept = DuplicateTouchFilter().process([("begin", Touch("hidinput", 0.2, 0.5)),
                                           ("begin", Touch("mouse", 0.8, 0.5))])
    assert len(kept) == 2


def test_a_second_tap_after_the_window_is_a_new_press() -> None:
    now = [0.0]

    class Touch:
        def __init__(self, device: str) -> None:
            self.device, self.sx, self.sy, self.ud = device, 0.5, 0.5, {}

    touch_filter = DuplicateTouchFilter(clock=lambda: now[0])
    assert len(touch_filter.process([("begin", Touch("hidinput"))])) == 1
    now[0] = 0.5
    assert len(touch_filter.process([("begin", Touch("mouse"))])) == 1


@pytest.mark.parametrize("profile,expected", [("pi7", "disable_on_activity"),
                                              ("pi-touch2", "disable_on_activity"),
                                              ("desktop", "disable_multitouch")])
def test_pi_profiles_quiet_the_mouse_while_touching(profile: str, expected: str) -> None:
    from kivy.config import Config

    previous = Config.get("input", "mouse")
    try:
        configure_input(profile)
        assert expected in Config.get("input", "mouse")
    finally:
        Config.set("input", "mouse", previous)
