"""Every text on every screen, as drawn, against what it stands on: 4.5:1 in both themes and
with every accent, and each (colour, backdrop) one of test_contrast's TEXT_PAIRS, so the
table that test checks for every state is the one the screens really use.

The backdrop of a label is the nearest thing under it that paints: a lit lamp, the selected
rail entry's tint, a panel or button fill, the rail, else the window's background. Controls
drawn at reduced opacity are disabled (inactive components, exempt in WCAG 2.2 SC 1.4.3).
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest

from hmi.colour import TEXT_MIN_RATIO, contrast_ratio
from hmi.screens import SCREEN_NAMES
from hmi.theme import ACCENTS, PALETTES
from hmi.widgets.controls import Chip, NavButton, Panel, visible
from tests.hmi.conftest import advance_frames, publish_all, start_hmi, stop_hmi
from tests.hmi.test_contrast import TEXT_PAIRS, resolve
from tests.support.injector import VehicleInjector
from tests.support.layout import drawn_leaves
from tests.support.sample_vehicle import charging_session, ride_moving, typical

VALUE_SETS = {"typical": typical, "charging": charging_session, "ride_moving": ride_moving,
              "offline": typical}
# Every accent in both themes where the most texts are drawn (typical); the other states, whose
# extra texts are what they add, in both themes with the first accent. An accent changes colours,
# not which pairs are drawn, and test_contrast checks every listed pair with every accent.
CASES = [(state, theme, accent) for state in sorted(VALUE_SETS) for theme in PALETTES
         for accent in (list(ACCENTS) if state == "typical" else list(ACCENTS)[:1])]


@pytest.fixture(scope="module")
def cabin(request, window, mosquitto) -> Iterator[Any]:
    vehicle_id = f"contrast-{request.param}"
    vehicle = VehicleInjector(mosquitto.url, vehicle_id).start()
    publish_all(vehicle, VALUE_SETS[request.param]())
    harness = start_hmi(window, mosquitto.url, vehicle_id)
    harness.wait(lambda: harness.models.energy.range_rated.available, what="live data")
    if request.param == "offline":   # the banner, the OFFLINE lamp, stale values dimmed
        vehicle.stop_cycle()
        vehicle.status(False)
        harness.wait(lambda: harness.models.link.banner_visible, what="offline banner")
    yield harness
    stop_hmi(harness)
    vehicle.clear_retained()
    vehicle.close()


def backdrop(widget: Any, harness: Any) -> list[float] | None:
    """What `widget` is drawn on; None where it is drawn faded (a disabled control)."""
    theme = harness.hmi.theme
    node = widget
    while node is not None and node is not node.parent:
        if getattr(node, "opacity", 1) < 1:
            return None
        if node is not widget or isinstance(node, Chip):
            if isinstance(node, Chip) and node.lit:
                return list(node._bg_colour.rgba)
            if isinstance(node, NavButton) and node.selected:
                return list(node._bg_colour.rgba)
            if isinstance(node, Panel) and visible(node.fill):
                return list(node.fill)
            if node is harness.root.ids.rail:
                return list(theme.surface)
        node = node.parent
    return list(theme.background)


def role_names(theme: Any) -> dict[tuple[float, ...], set[str]]:
    roles = {role for pair in TEXT_PAIRS for role in pair}
    names: dict[tuple[float, ...], set[str]] = {}
    for role in roles:
        names.setdefault(key(resolve(theme, role)), set()).add(role)
    return names


def key(colour: Any) -> tuple[float, ...]:
    return tuple(round(c, 3) for c in list(colour)[:3])


def texts(harness: Any, name: str) -> list[Any]:
    """The labels drawn with `name` shown: the screen's, the rail's and the status bar's."""
    from kivy.uix.label import Label

    harness.screen(name)
    advance_frames(3)
    return [w for w in drawn_leaves(harness.root)
            if isinstance(w, Label) and (len(w.color) < 4 or w.color[3] > 0)]


@pytest.mark.parametrize(("cabin", "theme_name", "accent"), CASES, indirect=["cabin"])
def test_every_drawn_text_reads_and_is_a_listed_pair(cabin, theme_name, accent) -> None:
    preferences = cabin.hmi.models.preferences
    preferences.choose("theme", theme_name)
    preferences.choose("accent", accent)
    advance_frames(3)
    theme = cabin.hmi.theme
    names = role_names(theme)
    listed = set(TEXT_PAIRS)
    faint, unlisted, seen = [], [], 0
    for screen in SCREEN_NAMES:
        for label in texts(cabin, screen):
            ground = backdrop(label, cabin)
            if ground is None:
                continue
            seen += 1
            what = f"{screen}: {label.text!r}"
            ratio = contrast_ratio(label.color, ground)
            if ratio < TEXT_MIN_RATIO:
                faint.append(f"{what} {ratio:.2f}:1")
            pairs = {(fg, bg) for fg in names.get(key(label.color), ())
                     for bg in names.get(key(ground), ())}
            if not pairs & listed:
                unlisted.append(f"{what} colour {key(label.color)} on {key(ground)}")
    assert seen > 100
    assert faint == []
    assert unlisted == []
