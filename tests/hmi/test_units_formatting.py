"""Conversion and formatting table: SI in, what the driver reads out (in en-GB, the source
language: Babel's CLDR formats; other locales are in test_languages.py)."""

from __future__ import annotations

import math

import pytest

from hmi import formatting as fmt
from hmi import units as u
from hmi.units import IMPERIAL, METRIC

CASES = [
    # formatter, SI value, units, text, unit
    (fmt.speed, 27.7778, METRIC, "100", "km/h"),
    (fmt.speed, 26.8224, IMPERIAL, "60", "mph"),
    (fmt.speed, 0.1, METRIC, "0", "km/h"),
    (fmt.range_distance, 312_000.0, METRIC, "312", "km"),
    (fmt.range_distance, 312_000.0, IMPERIAL, "194", "mi"),
    (fmt.odometer, 12_845_300.0, METRIC, "12,845", "km"),
    (fmt.odometer, 12_845_300.0, IMPERIAL, "7,981", "mi"),
    (fmt.trip, 84_250.0, METRIC, "84.2", "km"),
    (fmt.trip, 84_250.0, IMPERIAL, "52.3", "mi"),
    (fmt.consumption, 720.0, METRIC, "20.0", "kWh/100 km"),
    (fmt.consumption, 720.0, IMPERIAL, "3.1", "mi/kWh"),
    (fmt.consumption, -100.0, IMPERIAL, "> 100", "mi/kWh"),
    (fmt.consumption, -100.0, METRIC, "-2.8", "kWh/100 km"),
    (fmt.temperature, 20.0, METRIC, "20", "°C"),
    (fmt.temperature, 20.0, IMPERIAL, "68", "°F"),
    (fmt.temperature, -0.2, METRIC, "0", "°C"),
    (fmt.pressure, 250_000.0, METRIC, "2.5", "bar"),
    (fmt.pressure, 250_000.0, IMPERIAL, "36", "psi"),
    (fmt.short_length, 0.29, METRIC, "290", "mm"),
    (fmt.short_length, 0.29, IMPERIAL, "11.4", "in"),
    (fmt.power, -48_000.0, METRIC, "-48", "kW"),
    (fmt.drive_power, -48_000.0, METRIC, "48", "kW"),
    (fmt.drive_power, 30_000.0, METRIC, "-30", "kW"),
    (fmt.drive_power, 300.0, METRIC, "0", "kW"),
    (fmt.percent, 61.6, METRIC, "62", "%"),
    (fmt.angle, 0.14, METRIC, "8°", ""),
    (fmt.range_rate, 180.0, METRIC, "+648", "km/h"),
    (fmt.range_rate, 180.0, IMPERIAL, "+403", "mi/h"),
    (fmt.duration, 30.0, METRIC, "< 1", "min"),
    (fmt.duration, 1_260.0, METRIC, "21", "mins"),   # CLDR en-GB short forms
    (fmt.duration, 4_500.0, METRIC, "1 hr 15", "mins"),
    (fmt.torque_split, 10.0, METRIC, "45 : 55", "F : R"),
    (fmt.energy, 178_000_000.0, METRIC, "49.4", "kWh"),
]


@pytest.mark.parametrize("formatter, value, units, text, unit", CASES)
def test_format_table(formatter, value, units, text, unit) -> None:
    assert formatter(value, units) == fmt.Shown(text, unit)


def test_mi_per_kwh_is_infinite_at_or_below_zero() -> None:
    assert u.consumption(0.0, IMPERIAL)[0] == math.inf


def test_with_choice_changes_one_preference() -> None:
    changed = METRIC.with_choice("temperature", "F")
    assert (changed.distance.value, changed.temperature.value) == ("km", "F")


@pytest.mark.parametrize("seconds, text", [(0.6, "<10 s ago"), (9.9, "<10 s ago"), (10, "10 s ago"),
                                           (37, "30 s ago"), (59.9, "50 s ago"), (125, "2 min ago"),
                                           (7300, "2 h ago")])
def test_age_is_coarse(seconds, text) -> None:
    assert fmt.age(seconds) == text


@pytest.mark.parametrize("metres, units, shown", [
    (29_000.0, METRIC, ("\u221229", "km")),        # a cost, with a real minus sign
    (29_000.0, IMPERIAL, ("\u221218", "mi")),
    (-4_900.0, IMPERIAL, ("+3", "mi")),            # an option that gains range
    (300.0, METRIC, ("0", "km")),                  # rounds to nothing: no sign
])
def test_range_cost_reads_as_a_loss_in_the_drivers_units(metres, units, shown) -> None:
    assert fmt.range_cost(metres, units) == shown


def test_pack_and_kerb_weight_read_as_the_maker_gives_them() -> None:
    assert fmt.pack_energy(306_000_000.0) == ("85", "kWh")
    assert fmt.mass(2545.0) == ("2,545", "kg")
