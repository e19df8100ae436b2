"""Which characters a font file can draw: the code points of its cmap, read with struct.

A missing glyph renders as a box (tofu), and nothing at run time says so; the tests compare
every text the HMI can show against the font it renders in (hmi.i18n.script picks it).
Reads TrueType/OpenType files and, for Noto Sans CJK, TrueType collections (face 0, the one
Kivy's SDL2 provider opens).
"""

from __future__ import annotations

import struct
from functools import cache
from pathlib import Path


def _cmap_points(data: bytes, font_offset: int) -> set[int]:
    tables = {}
    for i in range(struct.unpack(">H", data[font_offset + 4:font_offset + 6])[0]):
        entry = font_offset + 12 + 16 * i
        tag, _, offset, _ = struct.unpack(">4sIII", data[entry:entry + 16])
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


@cache
def codepoints(path: str) -> frozenset[int]:
    """Code points font file `path` has glyphs for (face 0 of a collection)."""
    data = Path(path).read_bytes()
    offset = struct.unpack(">I", data[12:16])[0] if data[:4] == b"ttcf" else 0
    return frozenset(_cmap_points(data, offset))


def roboto_path() -> str:
    import kivy

    return str(Path(kivy.__file__).parent / "data" / "fonts" / "Roboto-Regular.ttf")


def font_path(script: str) -> str:
    """The regular font file the HMI renders `script` ("latin", "cjk", "arabic") in."""
    from hmi.i18n.script import FONT_FILES

    return FONT_FILES[script][0] if script in FONT_FILES else roboto_path()


def undrawable(text: str) -> set[str]:
    """Characters of `text` that the font it renders in has no glyph for (spaces aside)."""
    from hmi.i18n.script import ARABIC, ARABIC_PUNCTUATION, script_of

    script = script_of(text)
    drawn = text.translate(ARABIC_PUNCTUATION) if ARABIC.search(text) else text
    known = codepoints(font_path(script))
    return {c for c in drawn if ord(c) not in known and c not in " \n"}
