"""Fonts per script, and Arabic shaped and ordered for a text renderer that does neither.

Kivy's SDL2 text provider draws each code point as the font's glyph in memory order: it
neither joins Arabic letters (shaping) nor lays right-to-left runs out right to left (bidi).
Kivy's pango provider does both, but pango is not in Kivy's wheels and not on every Pi
image, so the cabin shapes with `arabic-reshaper` and orders with `python-bidi` (the UBA,
UAX #9) itself, in the one core label class every Label renders through. Widgets keep the
logical text (the display report, tests and translators see real Arabic); only the texture
is drawn from the shaped form. Lines are broken on the shaped logical text first and each
line is then reordered on its own, which is what the bidi algorithm prescribes for wrapped
paragraphs (reordering a whole paragraph first would put its last words on the first line).

The font follows the text, not only the language: Settings lists "日本語" and "العربية"
in every language, so a label whose text holds Han/Kana or Arabic letters renders in Noto
Sans CJK or Noto Sans Arabic, and everything else in Kivy's bundled Roboto (Latin, Greek,
Cyrillic). A missing font is logged once and the label falls back to Roboto.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path
from typing import Any

from kivy.core.text import DEFAULT_FONT, LabelBase
from kivy.core.text import Label as ProviderLabel

LOG = logging.getLogger(__name__)

ARABIC = re.compile("[\u0600-\u06ff\u0750-\u077f\u08a0-\u08ff\ufb50-\ufdff\ufe70-\ufeff]")
SLASH_BREAK = re.compile("(?<=/)(?=.)")   # a line may break after a slash
CJK = re.compile("[\u3000-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff00-\uffef]")

# Debian's fonts-noto-cjk and fonts-noto-core (the same paths on Raspberry Pi OS).
FONT_FILES = {
    "cjk": ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
            "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc", "fonts-noto-cjk"),
    "arabic": ("/usr/share/fonts/truetype/noto/NotoSansArabic-Regular.ttf",
               "/usr/share/fonts/truetype/noto/NotoSansArabic-Bold.ttf", "fonts-noto-core"),
}
FONT_NAMES = {"cjk": "EmaNotoSansCJK", "arabic": "EmaNotoSansArabic"}
_available: dict[str, bool] = {}


def script_of(text: str) -> str:
    """"arabic", "cjk" or "latin": which font `text` needs (Arabic wins in mixed text)."""
    if ARABIC.search(text):
        return "arabic"
    if CJK.search(text):
        return "cjk"
    return "latin"


def font_for(script: str) -> str:
    """The registered font name for `script`, registering it on first use; Roboto (Kivy's
    default) when the script needs no other font or its font is not installed."""
    if script not in FONT_FILES:
        return DEFAULT_FONT
    if script not in _available:
        regular, bold, package = FONT_FILES[script]
        found = Path(regular).is_file()
        if found:
            LabelBase.register(FONT_NAMES[script], regular,
                               fn_bold=bold if Path(bold).is_file() else regular)
        else:
            LOG.warning("font for %s text not found (%s; install the Debian package %s): "
                        "falling back to %s, which cannot draw that script", script, regular,
                        package, DEFAULT_FONT)
        _available[script] = found
    return FONT_NAMES[script] if _available[script] else DEFAULT_FONT


# Noto Sans Arabic has the Arabic script, digits and a little punctuation, but no Latin
# letters and few symbols: in a line with Arabic letters these become their Arabic forms.
# (tests/hmi/test_catalogues.py keeps Latin letters and other symbols out of the Arabic
# catalogue, so nothing else is left for the font to miss.)
ARABIC_PUNCTUATION = str.maketrans({"%": "\u066a", "·": "\u060c", "…": "...", "?": "\u061f",
                                    ";": "\u061b", "−": "-", "–": "-", "—": "-"})


# Nor has it a plus sign, which a figure put into an Arabic line can carry ("+5" for a grade
# in the designer's panel): there the number stands unsigned, as a positive one reads.
PLUS_OF_A_NUMBER = re.compile(r"\+(?=\d)")


def shaped_logical(text: str) -> str:
    """Arabic letters joined into their contextual forms, still in logical order, with the
    punctuation Noto Sans Arabic lacks in its Arabic form (٪ for %)."""
    import arabic_reshaper

    text = PLUS_OF_A_NUMBER.sub("", text)
    return str(arabic_reshaper.reshape(text.translate(ARABIC_PUNCTUATION)))


def visual_line(line: str) -> str:
    """One line of shaped text in display order (right-to-left runs reversed, digits and
    Latin runs kept left to right), for a paragraph whose base direction is right to left."""
    from bidi.algorithm import get_display

    return str(get_display(line, base_dir="R"))


def mirrored(halign: str) -> str:
    """Where text sits in its box in the current reading direction: a right-to-left
    language reads from the right, so what the layout calls "left" is drawn right."""
    from . import tr

    return tr.align(halign)


def measure(text: str, font_size: float, bold: bool = False) -> tuple[int, int]:
    """Width and height of one line of `text` in the font, shaped form and line box it
    renders in (ScriptLabel)."""
    label = ScriptLabel(font_size=font_size, bold=bold, font_name=DEFAULT_FONT, text=text)
    label.resolve_font_name()
    width, height = label.get_extents(shaped_logical(text) if ARABIC.search(text) else text)
    return int(width), int(height)


def measure_wrapped(text: str, font_size: float, bold: bool,
                    width: float) -> tuple[int, int, int]:
    """Width, height and line count of `text` wrapped to `width`, laid out exactly as a
    label with that text_size width lays it out (no texture is drawn)."""
    label = ScriptLabel(font_size=font_size, bold=bold, font_name=DEFAULT_FONT, text=text,
                        text_size=(width, None), halign="left")
    label.resolve_font_name()
    label.render()
    content_w, content_h = label._internal_size
    return int(content_w), int(content_h), len(label._cached_lines)


# Noto Sans Arabic's line box is 2.1 em (ascent 1.37, descent 0.74), sized for the stacked
# vowel marks of fully vocalised text; Roboto's is 1.17 em. Drawn in its own box, an Arabic
# label would need 1.8 times a Latin label's height at the same size, and shrink to fit
# where the Latin one does not. The cabin's Arabic has no stacked marks: the ink of every
# catalogue text lies within 1.0 em above the baseline and 0.46 em below it (alef with
# hamza at the top, yeh and meem at the bottom; tests/hmi/test_gui_glyphs.py measures the
# whole catalogue), so Arabic lines are laid out on this box instead, in em above and below
# the baseline:
ARABIC_LINE_BOX = (1.05, 0.5)


class ScriptLabel(ProviderLabel):  # type: ignore[misc, valid-type]
    """Kivy's core label with a font per script, Arabic shaped and ordered per line, and
    Arabic lines laid out on ARABIC_LINE_BOX rather than the font's much taller own box."""

    _text: str
    _box: tuple[int, int] | None = None   # (rows above the box in the font's, box height)
    keep_direction = False   # set by a label in a row that keeps its order (TextLabel)

    def resolve_font_name(self) -> None:
        options = self.options
        if options.get("font_name") in (DEFAULT_FONT, *FONT_NAMES.values()):
            options["font_name"] = font_for(script_of(self.text or ""))
        super().resolve_font_name()
        self._box = None
        if options["font_name"] == FONT_NAMES["arabic"]:
            above, below = ARABIC_LINE_BOX
            size = float(options["font_size"])
            top = max(0, int(self.get_ascent() - above * size))
            self._box = (top, min(int(round((above + below) * size)),
                                  super().get_extents(" ")[1] - top))

    def get_extents(self, text: str) -> tuple[int, int]:
        width, height = super().get_extents(text)
        return (width, self._box[1]) if self._box is not None else (width, height)

    def render(self, real: bool = False) -> Any:
        if real:
            return super().render(real)
        halign = self.options["halign"]
        if not self.keep_direction:
            self.options["halign"] = mirrored(halign)
        logical = self._text
        try:
            self._text = self._break_after_slashes(logical or "")
            if not ARABIC.search(logical or ""):
                return super().render(real)
            self._text = shaped_logical(self._text)
            size = super().render(real)
        finally:
            self._text = logical
            self.options["halign"] = halign
        for line in self._cached_lines:
            for word in line.words:
                word.text = visual_line(word.text)
        return size

    def _break_after_slashes(self, text: str) -> str:
        """Kivy wraps lines at spaces only, and splits a word too long for a line between
        any two letters. A compound name ("Gras/Schotter/Schnee") breaks after a slash
        instead, as typesetters break it; text that fits its width is left alone."""
        width = self._text_size[0]
        if width is None or "/" not in text:
            return text
        lines = []
        for line in text.split("\n"):
            words = []
            for word in line.split(" "):
                if "/" in word and self.get_extents(word)[0] > width:
                    word = self._pack_after_slashes(word, width)
                words.append(word)
            lines.append(" ".join(words))
        return "\n".join(lines)

    def _pack_after_slashes(self, word: str, width: float) -> str:
        pieces = SLASH_BREAK.split(word)
        packed = [pieces[0]]
        for piece in pieces[1:]:
            if self.get_extents(packed[-1] + piece)[0] <= width:
                packed[-1] += piece
            else:
                packed.append(piece)
        return "\n".join(packed)

    # Drawing on the tighter box: each line is rendered into a surface of the font's own
    # height, and only the box's rows of it are copied into the label's texture, so the
    # empty rows above and below a line never overwrite its neighbour's ink.
    def _render_begin(self) -> None:
        if self._box is None:
            super()._render_begin()
            return
        width, height = self._size
        self._pixels = bytearray(width * height * 4)

    def _render_text(self, text: str, x: int, y: int) -> None:
        if self._box is None:
            super()._render_text(text, x, y)
            return
        from kivy.core.text._text_sdl2 import _SurfaceContainer

        width, height = self._size
        top, rows = self._box
        full = super().get_extents(" ")[1]
        line = _SurfaceContainer(width, full)
        line.render(self, text, x, 0)
        data = line.get_data().data
        stride = width * 4
        for row in range(rows):
            target = y + row
            if 0 <= target < height and top + row < full:
                self._pixels[target * stride:(target + 1) * stride] = \
                    data[(top + row) * stride:(top + row + 1) * stride]

    def _render_end(self) -> Any:
        if self._box is None:
            return super()._render_end()
        from kivy.core.image import ImageData

        width, height = self._size
        return ImageData(width, height, "rgba", bytes(self._pixels))


def install() -> None:
    """Make every Kivy Label render through ScriptLabel (before any Label is created), and
    layouts mirror in right-to-left languages (hmi.i18n.direction).

    kivy.uix.label binds its core class at import; this swaps that one name, which is the
    hook Kivy's provider selection itself uses, and leaves markup labels to Kivy."""
    import kivy.uix.label as uix_label

    from . import direction

    uix_label.CoreLabel = ScriptLabel  # type: ignore[misc]
    direction.install()
