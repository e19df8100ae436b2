"""Colour arithmetic for the theme: WCAG contrast, ink choice, mixing, CIEDE2000.

Pure functions on RGB(A) tuples of 0..1 floats (no Kivy), so the theme can pick the text
colour on a fill by contrast instead of by hand, and the tests can check every pairing the
screens use against WCAG 2.2 AA (4.5:1 for text, 3:1 for meaningful graphics) and keep the
buyer accents apart from the warning colours.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

TEXT_MIN_RATIO = 4.5      # WCAG 2.2 SC 1.4.3, normal-size text
GRAPHIC_MIN_RATIO = 3.0   # WCAG 2.2 SC 1.4.11, non-text contrast
Colour = Sequence[float]


def hex_rgb(text: str) -> tuple[float, float, float]:
    text = text.lstrip("#")
    r, g, b = (int(text[i:i + 2], 16) / 255.0 for i in (0, 2, 4))
    return (r, g, b)


def _linear(channel: float) -> float:
    """sRGB transfer function undone (WCAG 2.2's definition, threshold 0.04045)."""
    return channel / 12.92 if channel <= 0.04045 else ((channel + 0.055) / 1.055) ** 2.4


def relative_luminance(colour: Colour) -> float:
    r, g, b = (_linear(c) for c in colour[:3])
    return 0.2126 * r + 0.7152 * g + 0.0722 * b


def contrast_ratio(first: Colour, second: Colour) -> float:
    """WCAG contrast ratio (1..21) of two opaque colours, in either order."""
    high, low = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (high + 0.05) / (low + 0.05)


def mix(colour: Colour, base: Colour, share: float) -> tuple[float, float, float, float]:
    """`share` of `colour` over opaque `base`, as one opaque colour: what a translucent fill
    looks like, drawn without transparency (software GL shades every pixel of a shape)."""
    r, g, b = (share * c + (1.0 - share) * d for c, d in zip(colour[:3], base[:3], strict=True))
    return (r, g, b, 1.0)


def best_ink(fill: Colour, inks: Iterable[Colour]) -> Colour:
    """Of the candidate text colours, the one that reads best on `fill`."""
    return max(inks, key=lambda ink: contrast_ratio(ink, fill))


def cielab(colour: Colour) -> tuple[float, float, float]:
    """CIE L*a*b* (D65) of an sRGB colour."""
    r, g, b = (_linear(c) for c in colour[:3])
    x = (0.4124 * r + 0.3576 * g + 0.1805 * b) / 0.95047
    y = 0.2126 * r + 0.7152 * g + 0.0722 * b
    z = (0.0193 * r + 0.1192 * g + 0.9505 * b) / 1.08883

    def f(t: float) -> float:
        return t ** (1 / 3) if t > 216 / 24389 else (24389 / 27 * t + 16) / 116

    fx, fy, fz = f(x), f(y), f(z)
    return (116 * fy - 16, 500 * (fx - fy), 200 * (fy - fz))


def delta_e2000(lab1: Sequence[float], lab2: Sequence[float]) -> float:
    """CIEDE2000 colour difference of two L*a*b* colours (Sharma, Wu, Dalal 2005)."""
    l1, a1, b1 = lab1
    l2, a2, b2 = lab2
    c_mean = (math.hypot(a1, b1) + math.hypot(a2, b2)) / 2
    g = 0.5 * (1 - math.sqrt(c_mean ** 7 / (c_mean ** 7 + 25 ** 7)))
    a1p, a2p = (1 + g) * a1, (1 + g) * a2
    c1p, c2p = math.hypot(a1p, b1), math.hypot(a2p, b2)
    h1p = math.degrees(math.atan2(b1, a1p)) % 360 if c1p else 0.0
    h2p = math.degrees(math.atan2(b2, a2p)) % 360 if c2p else 0.0
    dhp = h2p - h1p
    if c1p * c2p == 0:
        dhp = 0.0
    elif dhp > 180:
        dhp -= 360
    elif dhp < -180:
        dhp += 360
    d_h = 2 * math.sqrt(c1p * c2p) * math.sin(math.radians(dhp / 2))
    l_mean, cp_mean = (l1 + l2) / 2, (c1p + c2p) / 2
    if c1p * c2p == 0:
        h_mean = h1p + h2p
    elif abs(h1p - h2p) <= 180:
        h_mean = (h1p + h2p) / 2
    else:
        h_mean = (h1p + h2p + 360) / 2 if h1p + h2p < 360 else (h1p + h2p - 360) / 2
    t = (1 - 0.17 * math.cos(math.radians(h_mean - 30)) + 0.24 * math.cos(math.radians(2 * h_mean))
         + 0.32 * math.cos(math.radians(3 * h_mean + 6))
         - 0.20 * math.cos(math.radians(4 * h_mean - 63)))
    rotation = 30 * math.exp(-(((h_mean - 275) / 25) ** 2))
    r_c = 2 * math.sqrt(cp_mean ** 7 / (cp_mean ** 7 + 25 ** 7))
    s_l = 1 + 0.015 * (l_mean - 50) ** 2 / math.sqrt(20 + (l_mean - 50) ** 2)
    s_c = 1 + 0.045 * cp_mean
    s_h = 1 + 0.015 * cp_mean * t
    r_t = -math.sin(math.radians(2 * rotation)) * r_c
    dl, dc, dh = (l2 - l1) / s_l, (c2p - c1p) / s_c, d_h / s_h
    return math.sqrt(dl ** 2 + dc ** 2 + dh ** 2 + r_t * dc * dh)


def colour_difference(first: Colour, second: Colour) -> float:
    """CIEDE2000 between two sRGB colours."""
    return delta_e2000(cielab(first), cielab(second))
