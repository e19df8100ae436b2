"""Display formatting: SI value in, (text, unit) out, ready for a label.

One function per kind of figure, each choosing the precision a driver can read at a glance
(no jittering decimals on big numerals). `NOT_AVAILABLE` is the one text for "no value".
"""

from __future__ import annotations

import math
from typing import NamedTuple

from . import units as u
from .i18n import N_, tr
from .i18n import numbers as locale_numbers
from .units import UnitPreferences

NOT_AVAILABLE = "--"
MI_PER_KWH_CAP = 99.9


# The display names of units (hmi.units names them in SI-adjacent English): msgids, so a
# market that writes them in its own script ("كم/س") can; most keep the symbols.
UNIT_NAMES = (N_("km/h"), N_("mph"), N_("km"), N_("mi"), N_("mm"), N_("in"), N_("°C"), N_("°F"),
              N_("bar"), N_("psi"), N_("kWh/100 km"), N_("mi/kWh"), N_("km/kWh"), N_("Wh/mi"),
              N_("Wh/km"), N_("mi/h"), N_("kW"), N_("kWh"), N_("N·m"), N_("F : R"), N_("kg"))
MINUS = "\u2212"   # a real minus sign, not the hyphen, where a figure is a loss


class Shown(NamedTuple):
    """What a label shows: the figure and its unit, kept apart so they can be sized apart."""

    text: str
    unit: str


def _shown(text: str, unit: str) -> Shown:
    """A figure with its unit's display name in the current language."""
    return Shown(text, tr(unit))


def _integer(value: float) -> str:
    """Whole number in the current locale; never "-0"."""
    return locale_numbers.decimal(round(value) + 0.0)


def _grouped(value: float) -> str:
    """Whole number with the locale's thousands separator (12,345 / 12.345 / 12 345)."""
    return locale_numbers.decimal(round(value) + 0.0, grouped=True)


def _one_decimal(value: float) -> str:
    """One decimal with the locale's decimal sign (12.3 / 12,3); never "-0.0"."""
    return locale_numbers.decimal(round(value, 1) + 0.0, digits=1)


def speed(value: float, units: UnitPreferences) -> Shown:
    """Vehicle.Speed is signed (negative = backwards); a speedometer shows how fast, and the
    drive screen says which way where it matters (rolling against the gear)."""
    number, unit = u.speed(abs(value), units)
    return _shown(_integer(number), unit)


def range_distance(value: float, units: UnitPreferences) -> Shown:
    number, unit = u.distance(value, units)
    return _shown(_integer(number), unit)


def range_cost(value: float, units: UnitPreferences) -> Shown:
    """Rated range an option costs, as the loss it is: "−18 mi"; a gain reads "+3 mi", and
    what rounds to nothing "0 mi" (no sign: it neither costs nor gains)."""
    number, unit = u.distance(value, units)
    whole = round(number)
    sign = MINUS if whole > 0 else "+" if whole < 0 else ""
    return _shown(f"{sign}{_integer(abs(whole))}", unit)


def pack_energy(value: float, units: UnitPreferences | None = None) -> Shown:
    """A pack's usable energy as the maker names its sizes: "85 kWh"."""
    number, unit = u.energy(value)
    return _shown(_integer(number), unit)


def mass(value: float, units: UnitPreferences | None = None) -> Shown:
    """Kerb weight in kilograms, grouped ("2,545 kg"), as registration documents give it."""
    return _shown(_grouped(value), "kg")


def odometer(value: float, units: UnitPreferences) -> Shown:
    number, unit = u.distance(value, units)
    return _shown(_grouped(math.floor(number)), unit)


def trip(value: float, units: UnitPreferences) -> Shown:
    """Truncated like the odometer, so it never shows distance not yet driven."""
    number, unit = u.distance(value, units)
    return _shown(_one_decimal(math.floor(number * 10.0) / 10.0), unit)


def consumption(value: float, units: UnitPreferences) -> Shown:
    number, unit = u.consumption(value, units)
    if number > MI_PER_KWH_CAP:
        return _shown(f"> {_integer(MI_PER_KWH_CAP)}", unit)
    return _shown(_one_decimal(number), unit)


def temperature(value: float, units: UnitPreferences) -> Shown:
    number, unit = u.temperature(value, units)
    return _shown(_integer(number), unit)


def pressure(value: float, units: UnitPreferences) -> Shown:
    number, unit = u.pressure(value, units)
    return _shown(_integer(number) if units.imperial else _one_decimal(number), unit)


def short_length(value: float, units: UnitPreferences) -> Shown:
    number, unit = u.short_length(value, units)
    return _shown(_one_decimal(number) if units.imperial else _integer(number), unit)


def power(value: float, units: UnitPreferences | None = None) -> Shown:
    number, unit = u.power(value)
    return _shown(_integer(number), unit)


def drive_power(battery_w: float, units: UnitPreferences | None = None) -> Shown:
    """Power at the wheels' side of the pack, signed the way the driver reads it: positive
    while driving, negative while regenerating ("-30 kW"), as EV power readouts do. The
    figure must say which on its own (in the report, to a colour-blind driver), not only
    through the meter's side and colour. VSS counts power into the battery as positive."""
    number, unit = u.power(-battery_w)
    return _shown(_integer(number), unit)


def energy(value: float, units: UnitPreferences | None = None) -> Shown:
    number, unit = u.energy(value)
    return _shown(_one_decimal(number), unit)


def percent(value: float, units: UnitPreferences | None = None) -> Shown:
    return _shown(_integer(value), "%")


def angle(value: float, units: UnitPreferences | None = None) -> Shown:
    """Degrees written without a space ("8°"), as on inclinometers."""
    number, unit = u.angle(value)
    return _shown(f"{_integer(number)}{unit}", "")


def range_rate(value: float, units: UnitPreferences) -> Shown:
    number, unit = u.range_rate(value, units)
    return _shown(f"+{_integer(number)}", unit)


def duration(seconds: float, units: UnitPreferences | None = None) -> Shown:
    """Time to a charge limit in the locale's short units: "45 min", "1 h 05 min", "< 1 min"."""
    if seconds < 60.0:
        figure, unit = locale_numbers.duration_parts(1, "duration-minute")
        return Shown(f"< {figure}", unit)
    minutes = int(round(seconds / 60.0))
    hours, minutes = divmod(minutes, 60)
    if hours == 0:
        return Shown(*locale_numbers.duration_parts(minutes, "duration-minute"))
    return Shown(*locale_numbers.hours_and_minutes(hours, minutes))


def torque(value: float, units: UnitPreferences | None = None) -> Shown:
    return _shown(_integer(value), "N·m")


def torque_split(value: float, units: UnitPreferences | None = None) -> Shown:
    """VSS distribution -100 (all front) .. +100 (all rear) as "front : rear" percentages."""
    rear = (value + 100.0) / 2.0
    front = 100.0 - rear
    return _shown(f"{_integer(front)} : {_integer(rear)}", "F : R")


def age(seconds: float) -> str:
    """How old a stale value is, coarse on purpose: "<10 s ago", "30 s ago", "3 min ago", "2 h ago".

    Seconds count in tens: a counter ticking every second in the corner of the eye is motion
    the driver does not need, and would cost a redraw a second while the value stays stale."""
    if seconds < 10.0:
        return tr("<10 s ago")
    if seconds < 60.0:
        return tr("{seconds} s ago").format(seconds=int(seconds // 10) * 10)
    if seconds < 3600.0:
        return tr("{minutes} min ago").format(minutes=int(seconds // 60))
    return tr("{hours} h ago").format(hours=int(seconds // 3600))

