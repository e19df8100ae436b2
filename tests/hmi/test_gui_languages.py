"""Languages on the glass: a switch through the Settings picker, in a real window against a real
Mosquitto with live data.

A switch re-derives every text in the frame that follows the tap: the kv rules bound to
`tr._`, the view-models' texts (the applier ticks at once on a language change) and the
shell's rail. Widgets of hidden screens that restyle themselves (terrain tiles, choice
buttons) catch up when their screen is entered, before its first frame (hmi.screens.base):
those are checked in that first frame.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from kivy.uix.label import Label

from hmi.cli import parse_args, startup_language
from hmi.i18n import BY_TAG, script, tr
from hmi.i18n.catalogues import translations
from tests.hmi.conftest import (
    HmiHarness,
    advance_frames,
    advance_until,
    publish_all,
    start_hmi,
    stop_hmi,
    tap,
)

SCREENS = ("drive", "terrain", "energy", "charging", "vehicle", "settings")


# --- helpers ------------------------------------------------------------------------------------
def shown(widget: Any) -> bool:
    """Whether `widget` can be seen where it stands: no ancestor collapsed or transparent."""
    while widget is not None:
        if widget.opacity == 0 or widget.width <= 0 or widget.height <= 0:
            return False
        parent = widget.parent
        widget = None if parent is widget else parent
    return True


def screen_of(widget: Any) -> Any:
    """The screen `widget` is on (None for the shell's own widgets)."""
    from kivy.uix.screenmanager import Screen

    while widget is not None and not isinstance(widget, Screen):
        parent = widget.parent
        widget = None if parent is widget else parent
    return widget


def deferred(widget: Any) -> bool:
    """Whether the widget that sets `widget`'s text waits for its screen to be entered to
    restyle (hmi.screens.base): a tile's or a readout's inner label, or anything on a hidden
    screen the switch left for its entry (`language_pending`). A label's own pending
    restyle (its font size) does not count: kv has set its text already."""
    from hmi.screens.base import HmiScreen

    if isinstance(screen_of(widget), HmiScreen) and screen_of(widget).language_pending \
            and widget.parent is not None and not isinstance(widget.parent, HmiScreen) \
            and hasattr(widget.parent, "_style_trigger"):
        return True
    widget = widget.parent
    while widget is not None:
        if getattr(widget, "style_pending", False):
            return True
        parent = widget.parent
        widget = None if parent is widget else parent
    return False


def labels(hmi: HmiHarness, roots: Iterator[Any] | None = None) -> list[tuple[str, Label]]:
    """(where, label) for every Label of the shell and of every screen, hidden ones included."""
    found: dict[int, tuple[str, Label]] = {}
    for where, root in roots or [("shell", hmi.root), *hmi.root.screens.items()]:
        for widget in root.walk(restrict=True):
            if isinstance(widget, Label) and id(widget) not in found:
                found[id(widget)] = (where, widget)
    return list(found.values())


def visit_every_screen(hmi: HmiHarness) -> None:
    """Show each screen once, so that every widget has been styled (and holds its text)."""
    for name in SCREENS:
        hmi.screen(name)


def picker_choice(hmi: HmiHarness, tag: str) -> Any:
    """The picker's button for `tag`, laid out on the window and ready for a tap."""
    settings = hmi.screen("settings")
    button = settings.open_language_picker().choices[tag]
    advance_until(lambda: button.get_root_window() is not None and button.width > 1
                  and 0 < button.to_window(*button.center)[0] < hmi.window.width,
                  what=f"the picker's {tag} button")
    advance_frames(2)
    return button


def tap_and_draw(hmi: HmiHarness, widget: Any) -> float:
    """Press `widget`, release it, and run ONE frame; the seconds from the release (where a
    Button acts) until that frame has been drawn."""
    from kivy.tests.common import UnitTestTouch

    flips: list[int] = []
    count = lambda *_: flips.append(1)   # noqa: E731
    hmi.window.fbind("on_flip", count)
    x, y = widget.to_window(*widget.center)
    touch = UnitTestTouch(x, y)
    touch.touch_down()
    advance_frames(1)
    flips.clear()
    started = time.perf_counter()
    touch.touch_up()
    advance_frames(1)
    elapsed = time.perf_counter() - started
    hmi.window.funbind("on_flip", count)
    assert flips, "the frame after the tap was not drawn"
    return elapsed


def switch_language(hmi: HmiHarness, tag: str) -> float:
    """Pick `tag` in the Settings picker; the seconds from the tap to the drawn frame."""
    elapsed = tap_and_draw(hmi, picker_choice(hmi, tag))
    assert hmi.models.preferences.language == tag and tr.language == tag
    return elapsed


def untranslated(before: list[tuple[str, Label, str]], texts: dict[str, str],
                 check: Any = lambda where, label: True) -> list[str]:
    """Labels that showed an English msgid whose translation differs and do not show it now."""
    return [f"{where}: {type(label.parent).__name__}/{type(label).__name__} {english!r} "
            f"shows {label.text!r}, not {texts[english]!r}"
            for where, label, english in before
            if texts.get(english, english) != english and check(where, label)
            and label.text != texts[english]]


# --- the switch ---------------------------------------------------------------------------------
@pytest.mark.parametrize("tag", ["de", "ja"])
def test_a_switch_changes_every_text_in_the_frame_after_the_tap(window, mosquitto, vehicle_id,
                                                                vehicle, tag,
                                                                record_property) -> None:
    texts = translations(BY_TAG[tag].catalogue)
    publish_all(vehicle)
    hmi = start_hmi(window, mosquitto.url, vehicle_id)
    try:
        hmi.wait(lambda: hmi.models.energy.range_rated.available
                 and hmi.models.terrain.active.available, what="live data")
        visit_every_screen(hmi)
        picker_choice(hmi, tag)
        before = [(where, label, label.text) for where, label in labels(hmi)
                  if shown(label)]
        translatable = [item for item in before if texts.get(item[2], item[2]) != item[2]]
        assert len(translatable) > 60, "hardly any translatable text on the screens"

        elapsed = switch_language(hmi, tag)
        print(f"\nlanguage switch: {elapsed * 1000:.0f} ms (en-GB -> {tag}, tap to drawn frame)")
        record_property(f"language_switch_ms_{tag}", round(elapsed * 1000))

        # In that frame: the shell and the Settings screen the driver looks at, and every
        # label of the hidden screens that does not wait for its screen to be entered.
        waiting = [(where, label) for where, label, _ in before if deferred(label)]
        assert all(where not in ("shell", "settings") for where, _ in waiting)
        assert untranslated(before, texts, lambda where, label: not deferred(label)) == []
        # The rest in the first frame of their screen.
        for name in SCREENS:
            hmi.hmi.show(name)
            advance_frames(1)
            assert untranslated(before, texts, lambda where, label, n=name: where == n) == [], name
        assert hmi.snapshot()["language"] == tag
    finally:
        stop_hmi(hmi)


def test_every_screen_shows_the_new_language_in_its_first_frame(window, mosquitto, vehicle_id,
                                                                vehicle) -> None:
    """Back and forth: German, then English again, leaves no German behind."""
    publish_all(vehicle)
    hmi = start_hmi(window, mosquitto.url, vehicle_id)
    try:
        hmi.wait(lambda: hmi.models.energy.range_rated.available, what="live data")
        visit_every_screen(hmi)
        picker_choice(hmi, "de")
        texts = translations("de")
        english = [(where, label, label.text) for where, label in labels(hmi) if shown(label)
                   if texts.get(label.text, label.text) != label.text]
        switch_language(hmi, "de")
        visit_every_screen(hmi)
        assert [text for _, label, text in english if label.text != texts[text]] == []
        picker_choice(hmi, "en-GB")
        switch_language(hmi, "en-GB")
        visit_every_screen(hmi)
        assert [f"{where}: {label.text!r}, not {text!r}" for where, label, text in english
                if label.text != text] == []
    finally:
        stop_hmi(hmi)


def test_the_rail_moves_right_in_arabic_landscape_and_back(window, mosquitto, vehicle_id) -> None:
    hmi = start_hmi(window, mosquitto.url, vehicle_id)
    try:
        rail, column = hmi.root.ids.rail, hmi.root.ids.column
        assert not hmi.hmi.metrics.portrait
        hmi.wait(lambda: rail.x == 0 and column.x >= rail.right - 1, what="rail on the left")
        switch_language(hmi, "ar")
        advance_until(lambda: rail.right >= window.width - 1 and column.right <= rail.x + 1,
                      what="rail on the right")
        settings_button = hmi.root.nav_buttons["settings"]
        assert settings_button.text == translations("ar")["Settings"]
        assert settings_button._label._label.options["font_name"] == script.font_for("arabic")
        switch_language(hmi, "en-GB")
        advance_until(lambda: rail.x == 0 and column.x >= rail.right - 1,
                      what="rail on the left again")
        assert settings_button.text == "Settings"
        assert settings_button._label._label.options["font_name"] == script.DEFAULT_FONT
    finally:
        stop_hmi(hmi)


def test_the_choice_persists(window, mosquitto, vehicle_id, tmp_path: Path) -> None:
    path = tmp_path / "preferences.json"
    first = start_hmi(window, mosquitto.url, vehicle_id, language=None, metric=False,
                      preferences_path=path)
    try:
        switch_language(first, "ja")
    finally:
        stop_hmi(first)
    tr.switch("en-GB")   # the next HMI must get the language from the file, not the translator
    second = start_hmi(window, mosquitto.url, vehicle_id, language=None, metric=False,
                       preferences_path=path)
    try:
        advance_frames(2)
        assert second.models.preferences.language == "ja" and tr.language == "ja"
        assert second.root.nav_buttons["settings"].text == translations("ja")["Settings"]
        assert second.snapshot()["units"]["consumption"] == "km/kWh"   # Japan's market
    finally:
        stop_hmi(second)


@pytest.mark.parametrize("flag, environ_language, saved, expected", [
    (["--language", "ar"], "ja", "de", "ar"),   # the flag beats $EMA_LANGUAGE and the file
    ([], "ja", "de", "ja"),                     # $EMA_LANGUAGE beats the file
    ([], None, "de", "de"),                     # the driver's saved choice beats the locale
    ([], None, None, "fr"),                     # nothing else: the system locale (LANG)
])
def test_startup_language_precedence(window, mosquitto, vehicle_id, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch, flag: list[str],
                                     environ_language: str | None, saved: str | None,
                                     expected: str) -> None:
    path = tmp_path / "preferences.json"
    if saved:
        path.write_text(f'{{"language": "{saved}"}}', encoding="utf-8")
    if environ_language:
        monkeypatch.setenv("EMA_LANGUAGE", environ_language)
    else:
        monkeypatch.delenv("EMA_LANGUAGE", raising=False)
    run, default = startup_language(parse_args(flag).language, {"LANG": "fr_FR.UTF-8"})
    hmi = start_hmi(window, mosquitto.url, vehicle_id, language=run, default_language=default,
                    metric=False, preferences_path=path)
    try:
        assert hmi.models.preferences.language == expected and tr.language == expected
        assert hmi.snapshot()["language"] == expected
        shown_title = hmi.root.nav_buttons["settings"].text
        assert shown_title == translations(BY_TAG[expected].catalogue).get("Settings",
                                                                           "Settings")
        if saved:   # a run language is not saved over the driver's choice
            assert f'"language": "{saved}"' in path.read_text(encoding="utf-8")
    finally:
        stop_hmi(hmi)


# --- units follow the market --------------------------------------------------------------------
def speed_unit_on_screen(hmi: HmiHarness) -> str:
    drive = hmi.root.screens["drive"]
    unit_label = next(label for _, label in labels(hmi, iter([("drive", drive)]))
                      if label.text in ("mph", "km/h"))
    assert unit_label.text == hmi.snapshot()["readouts"]["drive.speed"]["unit"]
    return str(unit_label.text)


def test_units_on_screen_follow_the_market(window, mosquitto, vehicle_id, vehicle) -> None:
    publish_all(vehicle)
    hmi = start_hmi(window, mosquitto.url, vehicle_id, metric=False)
    try:
        hmi.wait(lambda: hmi.models.drive.speed.available, what="speed")
        assert hmi.models.preferences.unit_source == "market"
        assert speed_unit_on_screen(hmi) == "mph"        # en-GB: a British car reads mph
        switch_language(hmi, "de")
        assert speed_unit_on_screen(hmi) == "km/h"       # in the frame after the tap
        assert hmi.snapshot()["units"] == {"distance": "km", "temperature": "C",
                                           "consumption": "kWh/100km"}
        switch_language(hmi, "en-US")
        assert speed_unit_on_screen(hmi) == "mph"
        assert hmi.snapshot()["units"]["temperature"] == "F"
    finally:
        stop_hmi(hmi)


def test_a_driver_choice_stays_until_market_units(window, mosquitto, vehicle_id, vehicle) -> None:
    publish_all(vehicle)
    hmi = start_hmi(window, mosquitto.url, vehicle_id, metric=False)
    try:
        hmi.wait(lambda: hmi.models.drive.speed.available, what="speed")
        settings = hmi.screen("settings")
        tap(settings.ids.distance_km)                     # a British driver who reads km
        assert hmi.models.preferences.unit_source == "driver"
        switch_language(hmi, "en-US")
        assert speed_unit_on_screen(hmi) == "km/h"
        assert hmi.snapshot()["units"]["temperature"] == "F"   # the rest: the US market
        tap(hmi.screen("settings").ids.units_market)
        assert hmi.models.preferences.unit_source == "market"
        # the figures follow at the applier's next run (spaced up to 40 ms while the process is
        # busy: hmi.pacing), not always in the very next frame
        advance_until(lambda: speed_unit_on_screen(hmi) == "mph", what="mph on screen")
    finally:
        stop_hmi(hmi)
