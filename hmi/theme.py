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

from .colour import best_ink, mix

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
    """One theme's colours. The telltale hues come twice: as lamps (TELLTALE: the filled chips,
    the same bright ISO 2575 colours day and night, like a cluster's lit symbols) and here, as
    text and graphics on this palette's surfaces, where they must reach 4.5:1 (text) and 3:1
    (graphics) against every surface: the day shades are therefore deeper."""

    background: str
    surface: str
    surface_high: str
    text: str
    text_dim: str
    divider: str
    red: str
    amber: str
    green: str
    blue: str
    soft_share: float   # how much accent the tint of a selected or pending control carries


PALETTES = {
    "night": Palette("#0A0D11", "#141A21", "#1E2630", "#E9EEF3", "#8A95A1", "#2A333E",
                     red="#FF6B70", amber="#FFB224", green="#30A46C", blue="#3E8EF7",
                     soft_share=0.2),
    "day": Palette("#E9ECEF", "#FFFFFF", "#F3F5F7", "#11161C", "#5A6470", "#C9CFD6",
                   red="#BB1C2F", amber="#825701", green="#036E43", blue="#0560B4",
                   soft_share=0.12),
}
# Buyer colours, named like paint options, with a shade per theme: the night shade is the
# colour itself; the day shade is the same hue, deep enough for 4.5:1 on the day background
# (and more than the unselected grey, so a selected gear stands out). Bronze is kept low in
# chroma and Sedona leans to red, so that neither is taken for the amber of a warning
# (tests/hmi/test_contrast.py: CIEDE2000 >= 15 from amber and red).
ACCENTS = {
    "Glacier": {"night": "#4FA3FF", "day": "#0462A7"},
    "Tasman": {"night": "#22C1B0", "day": "#016C62"},
    "Sedona": {"night": "#FF8A3D", "day": "#A33F00"},
    "Bronze": {"night": "#C2A582", "day": "#6D4A3B"},
    "Pangea": {"night": "#8CC63F", "day": "#406B01"},
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
# Telltale lamps (ISO 2575 / UNECE R121: red act now, amber caution, green/blue status).
TELLTALE = {"red": "#E5484D", "amber": "#FFB224", "green": "#30A46C", "blue": "#3E8EF7"}
INKS = ("#0A0D11", "#FFFFFF")   # the text colours a filled shape may carry: the darker or white
DEFAULT_THEME = "night"
DEFAULT_ACCENT = "Glacier"


def ink_on(fill: RGBA | list[float]) -> RGBA:
    """The text colour for a filled shape: whichever of INKS has the higher contrast on it,
    so a selected chip, an active tile or a lit lamp reads in both themes and every accent."""
    return tuple(best_ink(fill, [hex_colour(code) for code in INKS]))  # type: ignore[return-value]


def accent_code(name: str, theme: str) -> str:
    """The hex of accent `name` in theme `theme` (defaults for unknown names)."""
    shades = ACCENTS.get(name, ACCENTS[DEFAULT_ACCENT])
    return shades.get(theme, shades[DEFAULT_THEME])


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
    accent_soft = ColorProperty()   # opaque tint: a selected or pending control's fill
    accent_ink = ColorProperty()    # text on an accent fill
    alert_ink = ColorProperty()     # text on the red banner (the red lamp)
    amber_lamp = ColorProperty(hex_colour(TELLTALE["amber"]))   # a locked locker's fill
    amber_ink = ColorProperty()     # text on it
    red = ColorProperty(hex_colour(TELLTALE["red"]))
    amber = ColorProperty(hex_colour(TELLTALE["amber"]))
    green = ColorProperty(hex_colour(TELLTALE["green"]))
    blue = ColorProperty(hex_colour(TELLTALE["blue"]))
    accent_swatches = DictProperty()   # accent name -> its shade in this theme
    swatch_inks = DictProperty()       # accent name -> text on its swatch
    lamps = DictProperty({name: list(hex_colour(code)) for name, code in TELLTALE.items()})
    lamp_inks = DictProperty()         # lamp role -> text on the lit lamp
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
        for role in TELLTALE:
            setattr(self, role, hex_colour(getattr(palette, role)))
        self.accent = hex_colour(accent_code(self.accent_name, self.name))
        self.accent_soft = mix(self.accent, self.surface, palette.soft_share)
        self.accent_ink = ink_on(self.accent)
        self.alert_ink = ink_on(hex_colour(TELLTALE["red"]))
        self.amber_ink = ink_on(self.amber_lamp)
        swatches = {n: hex_colour(accent_code(n, self.name)) for n in ACCENTS}
        self.accent_swatches = {n: list(c) for n, c in swatches.items()}
        self.swatch_inks = {n: list(ink_on(c)) for n, c in swatches.items()}
        self.lamp_inks = {n: list(ink_on(hex_colour(c))) for n, c in TELLTALE.items()}
        self.roles = {**{role: list(getattr(self, role)) for role in TELLTALE},
                      "dim": list(self.text_dim), "text": list(self.text),
                      "accent": list(self.accent)}

    def role(self, role: str) -> list[float]:
        """Colour for a role name used by view-models (red, amber, green, blue, dim, accent)."""
        return self.roles.get(role, self.roles["text"])
