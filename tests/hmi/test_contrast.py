"""Contrast of every colour pairing the screens use, in both themes and with every accent,
computed from the theme tables (hmi.theme) by WCAG 2.2's relative luminance: text 4.5:1
(SC 1.4.3), meaningful graphics 3:1 (SC 1.4.11). And the buyer accents stay apart from the
warning colours.

The pairs below are where each colour stands, read from the kv files and widgets (the place
is named with each). tests/hmi/test_gui_contrast.py walks the running screens and fails on a
text whose (colour, backdrop) is not one of TEXT_PAIRS, so this table cannot fall behind.
"""

from __future__ import annotations

import itertools

import pytest

from hmi.colour import (
    GRAPHIC_MIN_RATIO,
    TEXT_MIN_RATIO,
    cielab,
    colour_difference,
    contrast_ratio,
    delta_e2000,
    hex_rgb,
)
from hmi.theme import ACCENTS, PALETTES, TELLTALE, Theme

THEME_ACCENTS = list(itertools.product(PALETTES, ACCENTS))
HUES = ("red", "amber", "green", "blue")

# (foreground, background): text. Role names are Theme attributes, or "lamp:<hue>",
# "lamp_ink:<hue>", "swatch:<accent>", "swatch_ink:<accent>".
TEXT_PAIRS = [
    # on the window's background: status bar (title, temperature, link status), Drive's speed,
    # unit, gears (selected: accent), REGEN (green) / DRIVE (accent) and the power figure
    # (text, green while regenerating), screen captions, charge-limit status (dim, amber)
    *[(fg, "background") for fg in ("text", "text_dim", "accent", *HUES)],
    # on panels and unselected controls: readouts, captions, effects, ride and wade tones,
    # charging state (green, blue, red), seat belts (green, red), doors and tyres (amber),
    # refusal details (amber), unavailable tiles (dim), pending ride height (accent)
    *[(fg, "surface") for fg in ("text", "text_dim", "accent", *HUES)],
    # the charge-limit buttons' - and +
    ("text", "surface_high"), ("text_dim", "surface_high"),
    # selected segmented choices, the selected rail entry, pending tiles and ride heights
    ("accent", "accent_soft"), ("text", "accent_soft"),
    # the active terrain tile and reached ride height: text on the accent fill
    ("accent_ink", "accent"),
    # a locked locker (amber lamp), the offline banner (red)
    ("amber_ink", "amber_lamp"), ("alert_ink", "lamp:red"),
    # lit telltale chips
    *[(f"lamp_ink:{hue}", f"lamp:{hue}") for hue in HUES],
    # Settings' accent swatches, each in its own colour
    *[(f"swatch_ink:{name}", f"swatch:{name}") for name in ACCENTS],
]
# (foreground, background): meaningful graphics.
GRAPHIC_PAIRS = [
    # power meter, battery / charge / wade level bars, torque bars: fill on the track, and
    # the track's fill end against the screen (the track itself is barely lighter)
    *[(fg, "surface_high") for fg in ("accent", "text", "text_dim", *HUES)],
    ("accent", "background"), ("green", "background"),
    # torque diagram motors, wheels and padlocks, consumption line, Drive's program icon,
    # the car's low tyres
    *[(fg, "surface") for fg in ("accent", "text_dim", "green", "amber")],
    # outline of a selected or pending control (accent) and of a refused one (amber), on
    # the background the tiles stand on; the power meter's zero line (text)
    ("accent", "background"), ("amber", "background"), ("text", "background"),
    # the rail's icons: unselected dim on the rail, selected accent on its tint
    ("text_dim", "surface"), ("accent", "accent_soft"),
]


def resolve(theme: Theme, role: str) -> list[float]:
    kind, _, name = role.partition(":")
    if kind == "lamp":
        return list(theme.lamps[name])
    if kind == "lamp_ink":
        return list(theme.lamp_inks[name])
    if kind == "swatch":
        return list(theme.accent_swatches[name])
    if kind == "swatch_ink":
        return list(theme.swatch_inks[name])
    return list(getattr(theme, role))


def failures(pairs: list[tuple[str, str]], minimum: float) -> list[str]:
    found = []
    for theme_name, accent in THEME_ACCENTS:
        theme = Theme(theme_name, accent)
        for fg, bg in pairs:
            ratio = contrast_ratio(resolve(theme, fg), resolve(theme, bg))
            if ratio < minimum:
                found.append(f"{theme_name}/{accent}: {fg} on {bg} {ratio:.2f}:1")
    return found


def test_wcag_arithmetic() -> None:
    """WCAG's own end points and a well-known grey (#767676 is the lightest grey for 4.5:1
    on white), and CIEDE2000 on Sharma, Wu and Dalal's test pairs 1, 7 and 17."""
    assert contrast_ratio(hex_rgb("#000000"), hex_rgb("#FFFFFF")) == pytest.approx(21.0)
    assert contrast_ratio(hex_rgb("#767676"), hex_rgb("#FFFFFF")) == pytest.approx(4.54, abs=0.01)
    assert delta_e2000((50, 2.6772, -79.7751), (50, 0, -82.7485)) == pytest.approx(2.0425, abs=1e-4)
    assert delta_e2000((50, 0, 0), (50, -1, 2)) == pytest.approx(2.3669, abs=1e-4)
    assert delta_e2000((50, 2.5, 0), (73, 25, -18)) == pytest.approx(27.1492, abs=1e-4)
    assert cielab(hex_rgb("#FFFFFF"))[0] == pytest.approx(100.0, abs=0.01)


def test_every_text_reads_at_4_5_to_1_in_both_themes_and_every_accent() -> None:
    assert failures(TEXT_PAIRS, TEXT_MIN_RATIO) == []


def test_every_meaningful_graphic_reaches_3_to_1() -> None:
    assert failures(GRAPHIC_PAIRS, GRAPHIC_MIN_RATIO) == []


@pytest.mark.parametrize(("theme_name", "accent"), THEME_ACCENTS)
def test_the_selected_gear_stands_out_more_than_the_others(theme_name: str, accent: str) -> None:
    """P R N D: the lit one (accent) must not be fainter than the unlit ones (dim)."""
    theme = Theme(theme_name, accent)
    lit = contrast_ratio(theme.accent, theme.background)
    unlit = contrast_ratio(theme.text_dim, theme.background)
    assert lit >= unlit, f"selected {lit:.2f}:1, unselected {unlit:.2f}:1"


# CIEDE2000 of about 1 is the smallest difference seen side by side, and 2 to 5 is "close"; a
# refused tile (amber) and the active one (accent) are told apart at a glance, and a lone
# amber refusal must not be read as "selected": the pairs must be far apart, in a category of
# their own (>= 15; today's closest, Sedona to the amber lamp at night, is 17).
DISTINCT_DELTA_E = 15.0


@pytest.mark.parametrize(("theme_name", "accent"), THEME_ACCENTS)
def test_accents_are_not_taken_for_warning_colours(theme_name: str, accent: str) -> None:
    theme = Theme(theme_name, accent)
    warnings = {"amber": theme.amber, "amber lamp": theme.lamps["amber"], "red": theme.red,
                "red lamp": theme.lamps["red"]}
    close = {name: round(colour_difference(theme.accent, colour), 1)
             for name, colour in warnings.items()
             if colour_difference(theme.accent, colour) < DISTINCT_DELTA_E}
    assert close == {}


def test_the_lamps_stay_iso_2575_like() -> None:
    """The telltale lamps are the same bright red, amber, green and blue day and night."""
    assert TELLTALE == {"red": "#E5484D", "amber": "#FFB224", "green": "#30A46C",
                        "blue": "#3E8EF7"}
    for theme_name in PALETTES:
        assert Theme(theme_name).lamps["amber"] == pytest.approx([*hex_rgb("#FFB224"), 1.0])
