"""Colours: night (default) and day palettes, buyer accent colours, telltale colours.

All colours live here; .kv files bind to a `Theme` instance, so a theme or accent change
repaints everything with no widget knowing why. Telltale colours follow ISO 2575 / UNECE R121
(red act now, amber caution, green/blue status) and do not change with the accent.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from kivy.event import EventDispatcher
from kivy.properties import ColorProperty, DictProperty, StringProperty

RGBA = tuple[float, float, float, float]


def hex_colour(text: str, alpha: float = 1.0) -> RGBA:
    text = text.lstrip("#")
    r, g, b = (int(text[i:i + 2], 16) / 255.0 for i in (0, 2, 4))
    return (r, g, b, alpha)


def paint_colour(paint: str | None) -> RGBA | None:
    """The drawn shade of a catalogue Paint value (None: unknown paint, nothing to draw)."""
    code = PAINTS.get(paint or "")
    return hex_colour(code) if code else None


def roof_colour(roof: str | None, paint: str | None) -> RGBA | None:
    """The drawn shade of a RoofColour value; BODY_COLOUR is the paint's."""
    if roof == BODY_COLOUR_ROOF:
        return paint_colour(paint)
    code = ROOF_COLOURS.get(roof or "")
    return hex_colour(code) if code else None


@dataclass(frozen=True, slots=True)
class Palette:
    background: str
    surface: str
    surface_high: str
    text: str
    text_dim: str
    divider: str


PALETTES = {
    "night": Palette("#0A0D11", "#141A21", "#1E2630", "#E9EEF3", "#7F8A96", "#2A333E"),
    "day": Palette("#E9ECEF", "#FFFFFF", "#F3F5F7", "#11161C", "#5A6470", "#C9CFD6"),
}
ACCENTS = {  # buyer colours, named like paint options
    "Glacier": "#4FA3FF",
    "Tasman": "#22C1B0",
    "Sedona": "#FF8A3D",
    "Bronze": "#C9A26B",
    "Pangea": "#8CC63F",
}
# The maker's palette (catalogue enums Paint and RoofColour), as the car is drawn: the paint
# shade of each, and the accent of its colour family, which the HMI takes until the driver picks
# one. BODY_COLOUR is not a colour of its own: the roof is the paint.
PAINTS = {
    "GLACIER_WHITE": "#E6EAEC", "EIGER_GREY": "#767D83", "SANTORINI_BLACK": "#1B1D21",
    "KESWICK_GREEN": "#34513F", "PANGEA_GREEN": "#7BA540", "TASMAN_BLUE": "#23648F",
    "SEDONA_ORANGE": "#DA6A2C", "GONDWANA_STONE": "#B7A487",
}
ROOF_COLOURS = {"NARVIK_BLACK": "#141618", "GLACIER_WHITE": PAINTS["GLACIER_WHITE"],
                "EIGER_GREY": PAINTS["EIGER_GREY"]}
BODY_COLOUR_ROOF = "BODY_COLOUR"
PAINT_ACCENTS = {   # paint -> the accent of its family (one of ACCENTS)
    "GLACIER_WHITE": "Glacier", "EIGER_GREY": "Glacier", "SANTORINI_BLACK": "Glacier",
    "KESWICK_GREEN": "Pangea", "PANGEA_GREEN": "Pangea", "TASMAN_BLUE": "Tasman",
    "SEDONA_ORANGE": "Sedona", "GONDWANA_STONE": "Bronze",
}
TELLTALE = {"red": "#E5484D", "amber": "#FFB224", "green": "#30A46C", "blue": "#3E8EF7"}
DEFAULT_THEME = "night"
DEFAULT_ACCENT = "Glacier"


class Theme(EventDispatcher):
    """The colours in force; every property is an RGBA list ready for kv."""

    name = StringProperty(DEFAULT_THEME)
    accent_name = StringProperty(DEFAULT_ACCENT)
    background = ColorProperty()
    surface = ColorProperty()
    surface_high = ColorProperty()
    text = ColorProperty()
    text_dim = ColorProperty()
    divider = ColorProperty()
    accent = ColorProperty()
    accent_soft = ColorProperty()
    accent_ink = ColorProperty()
    alert_ink = ColorProperty(hex_colour("#FFFFFF"))  # text on the red banner, day or night
    red = ColorProperty(hex_colour(TELLTALE["red"]))
    amber = ColorProperty(hex_colour(TELLTALE["amber"]))
    green = ColorProperty(hex_colour(TELLTALE["green"]))
    blue = ColorProperty(hex_colour(TELLTALE["blue"]))
    accent_swatches = DictProperty({name: list(hex_colour(code)) for name, code in ACCENTS.items()})
    roles = DictProperty()  # role name (red, amber, green, blue, dim, text, accent) -> RGBA

    def __init__(self, name: str = DEFAULT_THEME, accent: str = DEFAULT_ACCENT,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.apply(name, accent)

    def apply(self, name: str, accent: str) -> None:
        palette = PALETTES.get(name, PALETTES[DEFAULT_THEME])
        self.name = name if name in PALETTES else DEFAULT_THEME
        self.accent_name = accent if accent in ACCENTS else DEFAULT_ACCENT
        self.background = hex_colour(palette.background)
        self.surface = hex_colour(palette.surface)
        self.surface_high = hex_colour(palette.surface_high)
        self.text = hex_colour(palette.text)
        self.text_dim = hex_colour(palette.text_dim)
        self.divider = hex_colour(palette.divider)
        self.accent = hex_colour(ACCENTS[self.accent_name])
        self.accent_soft = hex_colour(ACCENTS[self.accent_name], 0.22)
        self.accent_ink = hex_colour("#0A0D11")
        self.roles = {**{name: list(hex_colour(code)) for name, code in TELLTALE.items()},
                      "dim": list(self.text_dim), "text": list(self.text),
                      "accent": list(self.accent)}

    def role(self, role: str) -> list[float]:
        """Colour for a role name used by view-models (red, amber, green, blue, dim, accent)."""
        return self.roles.get(role, self.roles["text"])
