"""Unit preferences and conversions from the catalogue's SI units to what the driver chose.

Everything inside the HMI stays SI (m, m/s, J/m, Pa, degC, rad, W, s) exactly as the catalogue
defines it; conversion happens here, at display time only, so a unit switch never touches
stored values and never loses precision.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace
from enum import StrEnum
from typing import Any

METRES_PER_MILE = 1609.344
METRES_PER_KM = 1000.0
JOULES_PER_KWH = 3.6e6
PASCALS_PER_BAR = 1e5
PASCALS_PER_PSI = 6894.757293168
METRES_PER_INCH = 0.0254


class DistanceUnit(StrEnum):
    KM = "km"
    MI = "mi"


class TemperatureUnit(StrEnum):
    CELSIUS = "C"
    FAHRENHEIT = "F"


class ConsumptionUnit(StrEnum):
    KWH_PER_100KM = "kWh/100km"
    MI_PER_KWH = "mi/kWh"
    KM_PER_KWH = "km/kWh"


@dataclass(frozen=True, slots=True)
class UnitPreferences:
    """What the driver picked in Settings. Distance also decides speed, height and pressure."""

    distance: DistanceUnit = DistanceUnit.KM
    temperature: TemperatureUnit = TemperatureUnit.CELSIUS
    consumption: ConsumptionUnit = ConsumptionUnit.KWH_PER_100KM

    @property
    def imperial(self) -> bool:
        return self.distance is DistanceUnit.MI

    def with_choice(self, kind: str, value: str) -> UnitPreferences:
        """A copy with one choice changed; `kind` is distance, temperature or consumption."""
        enum = {"distance": DistanceUnit, "temperature": TemperatureUnit,
                "consumption": ConsumptionUnit}[kind]
        change: dict[str, Any] = {kind: enum(value)}   # one field, chosen by name
        return replace(self, **change)

    def as_dict(self) -> dict[str, str]:
        return {"distance": self.distance.value, "temperature": self.temperature.value,
                "consumption": self.consumption.value}


METRIC = UnitPreferences()
IMPERIAL = UnitPreferences(DistanceUnit.MI, TemperatureUnit.FAHRENHEIT, ConsumptionUnit.MI_PER_KWH)


# --- conversions: SI in, display unit out ---------------------------------------------------------
def speed(metres_per_second: float, units: UnitPreferences) -> tuple[float, str]:
    if units.imperial:
        return metres_per_second * 3600.0 / METRES_PER_MILE, "mph"
    return metres_per_second * 3.6, "km/h"


def distance(metres: float, units: UnitPreferences) -> tuple[float, str]:
    if units.imperial:
        return metres / METRES_PER_MILE, "mi"
    return metres / METRES_PER_KM, "km"


def short_length(metres: float, units: UnitPreferences) -> tuple[float, str]:
    """Ride height, wade depth: millimetres or inches."""
    if units.imperial:
        return metres / METRES_PER_INCH, "in"
    return metres * 1000.0, "mm"


def temperature(celsius: float, units: UnitPreferences) -> tuple[float, str]:
    if units.temperature is TemperatureUnit.FAHRENHEIT:
        return celsius * 9.0 / 5.0 + 32.0, "°F"
    return celsius, "°C"


def pressure(pascals: float, units: UnitPreferences) -> tuple[float, str]:
    if units.imperial:
        return pascals / PASCALS_PER_PSI, "psi"
    return pascals / PASCALS_PER_BAR, "bar"


def consumption(joules_per_metre: float, units: UnitPreferences) -> tuple[float, str]:
    """kWh/100 km, or distance per energy, mi/kWh or km/kWh (infinite at or below zero:
    the caller shows that as text)."""
    if units.consumption is ConsumptionUnit.MI_PER_KWH:
        if joules_per_metre <= 0.0:
            return math.inf, "mi/kWh"
        return JOULES_PER_KWH / (joules_per_metre * METRES_PER_MILE), "mi/kWh"
    if units.consumption is ConsumptionUnit.KM_PER_KWH:
        if joules_per_metre <= 0.0:
            return math.inf, "km/kWh"
        return JOULES_PER_KWH / (joules_per_metre * METRES_PER_KM), "km/kWh"
    return joules_per_metre * 100_000.0 / JOULES_PER_KWH, "kWh/100 km"


def range_rate(metres_per_second: float, units: UnitPreferences) -> tuple[float, str]:
    """Range added per hour of charging."""
    per_hour = metres_per_second * 3600.0
    if units.imperial:
        return per_hour / METRES_PER_MILE, "mi/h"
    return per_hour / METRES_PER_KM, "km/h"


def power(watts: float) -> tuple[float, str]:
    return watts / 1000.0, "kW"


def energy(joules: float) -> tuple[float, str]:
    return joules / JOULES_PER_KWH, "kWh"


def angle(radians: float) -> tuple[float, str]:
    return math.degrees(radians), "°"
