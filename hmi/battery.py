"""The battery's levels, in one place: when the state of charge is low or critical, and the
colour a state-of-charge figure's bar takes (the telltale, the Drive and Charging bars).

The thresholds are the HMI's, not the catalogue's: the vehicle sends the state of charge as a
figure, and when to warn is a cabin decision. Colours are the theme's telltale roles (ISO
2575: amber caution, red act now), so a low battery looks the same on the bar and the lamp.
"""

from __future__ import annotations

LOW_BATTERY_PERCENT = 15.0       # the LOW BATTERY telltale lights, the bar turns amber
CRITICAL_BATTERY_PERCENT = 5.0   # the telltale and the bar turn red


def level_tone(soc_percent: float) -> str:
    """The role of a live state of charge: red when critical, amber when low, else green."""
    if soc_percent < CRITICAL_BATTERY_PERCENT:
        return "red"
    if soc_percent < LOW_BATTERY_PERCENT:
        return "amber"
    return "green"


def bar_tone(soc_percent: float | None, live: bool, live_tone: str | None = None) -> str:
    """The role of a bar showing a figure: its live colour (`live_tone`, else the battery
    level's), dim for a kept stale value (a bar never looks live where its number does not)."""
    if soc_percent is None or not live:
        return "dim"
    return live_tone or level_tone(soc_percent)
