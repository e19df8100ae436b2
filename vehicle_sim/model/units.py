"""Physical constants and unit conversions.

The model works in SI units throughout (m, s, m/s, W, J, N, N*m, kg, Pa, rad) with
temperatures in degC.  Conversions to display units live here so that every other
module can stay free of magic numbers like 3.6 or 1609.344.
"""

from __future__ import annotations

import math

GRAVITY_MPS2 = 9.80665
"""Standard gravity."""

KMH_TO_MPS = 1.0 / 3.6
"""Multiply km/h by this to get m/s."""

MPS_TO_KMH = 3.6
"""Multiply m/s by this to get km/h."""

METRES_PER_MILE = 1609.344
JOULES_PER_KWH = 3.6e6
JOULES_PER_WH = 3600.0

WATER_DENSITY_KG_M3 = 1000.0
ATMOSPHERIC_PRESSURE_PA = 101_325.0
ABSOLUTE_ZERO_C = -273.15
DRY_AIR_GAS_CONSTANT = 287.05
"""Specific gas constant of dry air, J/(kg*K)."""


def kmh(speed_kmh: float) -> float:
    """km/h -> m/s; lets tables be written in the unit people think in."""
    return speed_kmh * KMH_TO_MPS


def kelvin(temperature_c: float) -> float:
    """degC -> K for gas-law calculations."""
    return temperature_c - ABSOLUTE_ZERO_C


def grade_pct_to_rad(grade_pct: float) -> float:
    """Road grade in percent (rise over run) -> angle in rad."""
    return math.atan(grade_pct / 100.0)


def clamp(value: float, low: float, high: float) -> float:
    """Bound value to [low, high]."""
    if value < low:
        return low
    if value > high:
        return high
    return value
