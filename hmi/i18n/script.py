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


def shaped_logical(text: str) -> str:
    """Arabic letters joined into their contextual forms, still in logical order, with the
    punctuation Noto Sans Arabic lacks in its Arabic form (٪ for %)."""
    import arabic_reshaper

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
    """Width and height of one line of `text` in the font and shaped form it renders in."""
    label = ProviderLabel(font_size=font_size, bold=bold, font_name=font_for(script_of(text)))
    label.resolve_font_name()
    width, height = label.get_extents(shaped_logical(text) if ARABIC.search(text) else text)
    return int(width), int(height)


class ScriptLabel(ProviderLabel):  # type: ignore[misc, valid-type]
    """Kivy's core label with a font per script and Arabic shaped and ordered per line."""

    _text: str   # the text to draw (Kivy's; declared for the type checker only)

    def resolve_font_name(self) -> None:
        options = self.options
        if options.get("font_name") in (DEFAULT_FONT, *FONT_NAMES.values()):
            options["font_name"] = font_for(script_of(self.text or ""))
        super().resolve_font_name()

    def render(self, real: bool = False) -> Any:
        if real:
            return super().render(real)
        halign = self.options["halign"]
        self.options["halign"] = mirrored(halign)
        logical = str(getattr(self, "_text", ""))
        try:
            if not ARABIC.search(logical or ""):
                return super().render(real)
            self._text = shaped_logical(logical)
            size = super().render(real)
        finally:
            self._text = logical
            self.options["halign"] = halign
        for line in self._cached_lines:
            for word in line.words:
                word.text = visual_line(word.text)
        return size


def install() -> None:
    """Make every Kivy Label render through ScriptLabel (before any Label is created), and
    layouts mirror in right-to-left languages (hmi.i18n.direction).

    kivy.uix.label binds its core class at import; this swaps that one name, which is the
    hook Kivy's provider selection itself uses, and leaves markup labels to Kivy."""
    import kivy.uix.label as uix_label

    from . import direction

    uix_label.CoreLabel = ScriptLabel  # type: ignore[misc]
    direction.install()
