"""Every character the app draws exists in Roboto (a missing glyph renders as a box)."""

from __future__ import annotations

import struct
from pathlib import Path

import pytest

from tests.hmi.conftest import find, publish_all
from tests.support.sample_vehicle import widest


def roboto_codepoints() -> set[int]:
    """Code points of the cmap (format 4 and 12 subtables) of Kivy's Roboto-Regular."""
    import kivy

    data = (Path(kivy.__file__).parent / "data" / "fonts" / "Roboto-Regular.ttf").read_bytes()
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
