"""Every character the app draws exists in Roboto (a missing glyph renders as a box)."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from tests.hmi.conftest import find, publish_all
from tests.support.sample_vehicle import widest


def roboto_codepoints() -> set[int]:
    """Code points of Kivy's Roboto-Regular."""
    import kivy

    return font_codepoints(Path(kivy.__file__).parent / "data" / "fonts" / "Roboto-Regular.ttf")


def font_codepoints(path: Path) -> set[int]:
    """Code points of the cmap (format 4 and 12 subtables) of a TrueType font."""
    data = path.read_bytes()
    tables = {}
    for i in range(struct.unpack(">H", data[4:6])[0]):
        tag, _, offset, _ = struct.unpack(">4sIII", data[12 + 16 * i:28 + 16 * i])
        tables[tag] = offset
    cmap = tables[b"cmap"]
    points: set[int] = set()
    for i in range(struct.unpack(">H", data[cmap + 2:cmap + 4])[0]):
        _, _, sub = struct.unpack(">HHI", data[cmap + 4 + 8 * i:cmap + 12 + 8 * i])
        start = cmap + sub
        kind = struct.unpack(">H", data[start:start + 2])[0]
        if kind == 4:
            seg2 = struct.unpack(">H", data[start + 6:start + 8])[0]
            ends = struct.unpack(f">{seg2 // 2}H", data[start + 14:start + 14 + seg2])
            starts = struct.unpack(f">{seg2 // 2}H", data[start + 16 + seg2:start + 16 + 2 * seg2])
            for first, last in zip(starts, ends, strict=True):
                points.update(range(first, last + 1))
        elif kind == 12:
            for g in range(struct.unpack(">I", data[start + 12:start + 16])[0]):
                group = data[start + 16 + 12 * g:start + 28 + 12 * g]
                first, last, _ = struct.unpack(">III", group)
                points.update(range(first, last + 1))
    return points


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
