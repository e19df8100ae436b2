"""Every character the app draws exists in the font it renders in (a missing glyph renders as
a box): Roboto for Latin text, Noto Sans CJK and Noto Sans Arabic for those scripts."""

from __future__ import annotations

import pytest

from tests.hmi.conftest import advance_frames, find, publish_all
from tests.support.fonts import codepoints, roboto_path, undrawable
from tests.support.sample_vehicle import widest


def roboto_codepoints() -> set[int]:
    return set(codepoints(roboto_path()))


def test_the_checker_knows_a_missing_glyph() -> None:
    assert ord("→") not in roboto_codepoints() and ord("°") in roboto_codepoints()


@pytest.mark.parametrize("imperial", [False, True])
def test_every_drawn_character_is_in_roboto(hmi, vehicle, imperial) -> None:
    from kivy.uix.label import Label

    if imperial:
        for kind, value in (("distance", "mi"), ("temperature", "F"), ("consumption", "mi/kWh")):
            hmi.models.preferences.choose(kind, value)
    publish_all(vehicle, widest())
    hmi.wait(lambda: hmi.models.energy.range_rated.available)
    known = roboto_codepoints()
    missing = set()
    for name in hmi.root.screens:
        screen = hmi.screen(name)
        for label in find(screen, lambda w: isinstance(w, Label)):
            missing.update(c for c in label.text if ord(c) not in known and not c.isspace())
    assert missing == set()


def test_the_checker_knows_each_script_font() -> None:
    assert undrawable("草・砂利・雪 62 %") == set() and undrawable("الوحل 62 %") == set()
    assert undrawable("Recuperación 12\u00a0845") == set()
    assert undrawable("12\u202f845") == {"\u202f"}      # CLDR's French separator: not in Roboto
    assert undrawable("الوحل (km)") == {"(", ")", "k", "m"}   # Latin inside an Arabic text


@pytest.mark.parametrize("language", ["de", "fr", "pl", "ja", "zh-Hans", "ar"])
def test_every_drawn_character_is_in_its_font_in_every_script(hmi, vehicle, language) -> None:
    from kivy.uix.label import Label

    publish_all(vehicle, widest())
    hmi.wait(lambda: hmi.models.energy.range_rated.available)
    hmi.models.preferences.choose("language", language)
    advance_frames(2)
    missing: dict[str, set[str]] = {}
    for name in hmi.root.screens:
        screen = hmi.screen(name)
        for label in find(screen, lambda w: isinstance(w, Label)):
            if gaps := undrawable(label.text):
                missing[label.text] = gaps
    assert missing == {}
