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


@pytest.mark.parametrize("bold", [False, True])
def test_arabic_ink_stays_inside_the_line_box_it_is_laid_out_on(window, bold) -> None:
    """hmi.i18n.script lays Arabic out on ARABIC_LINE_BOX, not on Noto Sans Arabic's own
    2.1 em box: rendered in the font's full box, the ink of every Arabic text of the
    catalogue (and the language's own name) must lie inside the tighter one."""
    from kivy.core.text import Label as ProviderLabel
    from kivy.core.text._text_sdl2 import _SurfaceContainer

    from hmi.i18n import BY_TAG
    from hmi.i18n.catalogues import translations
    from hmi.i18n.script import (
        ARABIC,
        ARABIC_LINE_BOX,
        font_for,
        shaped_logical,
        visual_line,
    )

    size = 40
    above, below = (round(em * size) for em in ARABIC_LINE_BOX)
    texts = [*translations("ar").values(), BY_TAG["ar"].native_name]
    outside = []
    for text in {t for t in texts if ARABIC.search(t)}:
        label = ProviderLabel(font_size=size, bold=bold, font_name=font_for("arabic"))
        label.resolve_font_name()
        drawn = visual_line(shaped_logical(text))
        width, height = label.get_extents(drawn)
        surface = _SurfaceContainer(width, height)
        surface.render(label, drawn, 0, 0)
        alpha = surface.get_data().data[3::4]
        rows = [row for row in range(height) if any(alpha[row * width:(row + 1) * width])]
        baseline = label.get_ascent()
        if rows and (baseline - rows[0] > above or rows[-1] + 1 - baseline > below):
            outside.append((text, baseline - rows[0], rows[-1] + 1 - baseline))
    assert outside == []
