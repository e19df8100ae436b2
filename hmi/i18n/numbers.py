"""Numbers as the current language writes them, through Babel's CLDR data.

Decimal comma in de, fr, es, it, nl, pl and pt; the locale's thousands separator; Western
digits everywhere, Arabic included (Babel's default numbering system, and what Gulf-market
cabins show). Durations use CLDR's short unit names ("21 min", "21 Min.", "21 分").
"""

from __future__ import annotations

from functools import cache

from babel import Locale
from babel.numbers import format_decimal
from babel.units import format_unit

from . import tr

# CLDR writes French thousands with U+202F and marks direction in Arabic with U+200E/U+200F/
# U+061C; Roboto has none of them (a box would show), and python-bidi orders digits without
# them, so they become a no-break space or go.
_DRAWABLE = str.maketrans({"\u202f": "\u00a0", "\u200e": None, "\u200f": None, "\u061c": None})


@cache
def _locale(name: str) -> Locale:
    return Locale.parse(name)


def current_locale() -> Locale:
    return _locale(tr.current.babel_locale)


def decimal(value: float, digits: int = 0, grouped: bool = False) -> str:
    """`value` with `digits` decimals in the current locale ("12,3" in German); never "-0"."""
    pattern = ("#,##0" if grouped else "0") + ("." + "0" * digits if digits else "")
    if round(value, digits) == 0.0:
        value = 0.0
    return str(format_decimal(value, format=pattern, locale=current_locale())).translate(_DRAWABLE)


def duration_parts(count: int, unit: str) -> tuple[str, str]:
    """("21", "min"): CLDR's short form of `count` `unit` ("duration-minute"), split into the
    figure and the unit so the screen can size them apart; where the locale writes no
    space ("21分钟") the unit is what follows the figure."""
    text = format_unit(count, unit, length="short", locale=current_locale()).translate(_DRAWABLE)
    figure = format_decimal(count, format="0", locale=current_locale()).translate(_DRAWABLE)
    before, _, after = text.partition(figure)
    return figure, (before + after).strip(" \u00a0\u202f")


def hours_and_minutes(hours: int, minutes: int) -> tuple[str, str]:
    """("1 h 05", "min") in the locale's short units, minutes two-digit after an hour."""
    _, minute_unit = duration_parts(minutes, "duration-minute")
    hour_text = format_unit(hours, "duration-hour", length="short",
                            locale=current_locale()).translate(_DRAWABLE)
    return f"{hour_text} {minutes:02d}", minute_unit
