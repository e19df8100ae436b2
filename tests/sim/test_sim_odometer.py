"""The odometer is never less than the trip, on the wire and as the cabin shows them.

The demo showed an odometer of "1 km" beside a trip of "1.2 km": both counted the same metres
from zero, and the odometer is shown in whole units, the trip in tenths. The simulated car
now starts with distance on its odometer, and keeps it across scenario changes."""

from __future__ import annotations

import math

import pytest

from hmi import formatting as fmt
from hmi.units import IMPERIAL, METRIC
from protocols import Command
from vehicle_sim.simulated import ScenarioVehicle

ODOMETER, TRIP = "Vehicle.TraveledDistance", "Vehicle.Ema.Trip.Distance"


def shown_number(text: str) -> float:
    return float(text.replace(",", ""))


def check(values: dict) -> tuple[float, float]:
    odometer, trip = values[ODOMETER], values[TRIP]
    assert odometer >= trip, (odometer, trip)
    for units in (METRIC, IMPERIAL):
        shown_odometer = shown_number(fmt.odometer(odometer, units).text)
        shown_trip = shown_number(fmt.trip(trip, units).text)
        assert shown_odometer >= shown_trip, (units.distance, shown_odometer, shown_trip)
    return odometer, trip


@pytest.mark.parametrize("scenario", ["trail", "showcase"])
def test_odometer_never_below_trip_over_a_drive(scenario: str) -> None:
    """Sampled every 5 s of simulated time over 20 min, with the trip reset halfway and the
    scenario started again near the end: the odometer never falls behind, nor goes back."""
    sim = ScenarioVehicle(scenario)
    last_odometer = -math.inf
    trips = []
    for step in range(240):
        if step == 120:
            sim.runner.vehicle.reset_trip()
        if step == 200:
            assert sim.execute(Command("sim_set_scenario", "r1", {"scenario": scenario})).accepted
        sim.advance(5.0)
        odometer, trip = check(sim.signal_values())
        assert odometer >= last_odometer
        last_odometer = odometer
        trips.append(trip)
    assert max(trips) > 1_200.0, "the drive covered some distance"


def test_a_new_scenario_keeps_the_odometer_and_starts_a_trip() -> None:
    sim = ScenarioVehicle("trail")
    sim.advance(120.0)
    before = sim.signal_values()[ODOMETER]
    assert sim.execute(Command("sim_set_scenario", "r1", {"scenario": "motorway"})).accepted
    after = sim.signal_values()
    assert after[ODOMETER] >= before
    assert after[TRIP] == 0.0
