"""Consumption history over recent distance."""

from __future__ import annotations

import math

import pytest

from hmi.consumption import ConsumptionHistory


def test_distance_weighted_average_within_a_bucket() -> None:
    history = ConsumptionHistory(window_m=1000, bucket_m=100)
    history.add(0.0, None)
    history.add(50.0, 100.0)
    history.add(100.0, 300.0)
    assert history.points()[-1][1] == pytest.approx(200.0)


def test_memory_bounded_by_the_window() -> None:
    history = ConsumptionHistory(window_m=1000, bucket_m=100)
    for metres in range(0, 100_000, 50):
        history.add(float(metres), 500.0)
    assert len(history) == 10


def test_jump_in_odometer_is_a_gap_not_driving() -> None:
    history = ConsumptionHistory(window_m=1000, bucket_m=100)
    history.add(0.0, 500.0)
    assert history.add(50_000.0, 500.0) is False


def test_points_are_behind_now() -> None:
    history = ConsumptionHistory(window_m=1000, bucket_m=100)
    for metres in range(0, 1000, 10):
        history.add(float(metres), 500.0)
    assert all(-1000 <= d <= 0 for d, _ in history.points())


# --- the graph's axis: in the driver's unit, round ends, a plausible band ------------------
from hmi.consumption import graph_axis, nice_ceiling  # noqa: E402
from hmi.units import IMPERIAL, METRIC, ConsumptionUnit, UnitPreferences  # noqa: E402

KM_PER_KWH = UnitPreferences(consumption=ConsumptionUnit.KM_PER_KWH)
ROUND = {1.0, 1.5, 2.0, 2.5, 3.0, 4.0, 5.0, 6.0, 8.0}
# what the demo drew: a 100 m climb at 2900 Wh/mi and a descent at -1177 Wh/mi, among
# ordinary figures around 20 kWh/100 km
SPIKY = [720.0, 650.0, 6_487.0, 700.0, -2_633.0, 800.0]


def is_round(value: float) -> bool:
    if value == 0:
        return True
    mantissa = abs(value) / 10 ** math.floor(math.log10(abs(value)))
    return any(math.isclose(mantissa, r) for r in ROUND)


@pytest.mark.parametrize("value, nice", [(0.3, 0.3), (31, 40), (40, 40), (41, 50), (3.1, 4.0),
                                         (9.9, 10.0), (172, 200), (1, 1)])
def test_nice_ceiling(value: float, nice: float) -> None:
    assert nice_ceiling(value) == pytest.approx(nice)


@pytest.mark.parametrize("units, unit", [(METRIC, "kWh/100 km"), (IMPERIAL, "mi/kWh"),
                                         (KM_PER_KWH, "km/kWh")])
@pytest.mark.parametrize("data", [[], [720.0, 650.0], SPIKY, [-300.0, 100.0, 50.0],
                                  [5_000.0, 6_000.0]])
def test_the_axis_is_in_the_chosen_unit_with_round_plausible_ends(units, unit, data) -> None:
    axis = graph_axis(data, units)
    assert axis.unit == unit
    assert is_round(axis.top) and is_round(axis.bottom), (axis.bottom, axis.top)
    if unit == "kWh/100 km":
        assert 30 <= axis.top <= 80 and -40 <= axis.bottom <= 0
        assert axis.bottom < 0 or min(data, default=0) >= 0, "regen below zero when there is"
    else:
        assert axis.bottom == 0 and axis.top <= (10 if unit == "mi/kWh" else 15)


def test_a_spike_is_held_at_the_edge_and_marked_not_stretching_the_axis() -> None:
    axis = graph_axis(SPIKY, METRIC)
    assert (axis.bottom, axis.top) == (-40, 80)   # the band's ends, not -263 and 648
    assert axis.y(6_487.0) == (1.0, True)
    assert axis.y(-2_633.0) == (0.0, True)
    y, clipped = axis.y(720.0)   # 20 kWh/100 km
    assert not clipped and y == pytest.approx(60 / 120)


def test_regen_has_no_distance_per_energy_and_is_off_the_top() -> None:
    axis = graph_axis(SPIKY, IMPERIAL)
    assert axis.y(-2_633.0) == (1.0, True)
    assert axis.y(6_487.0)[1] is False   # 0.35 mi/kWh: low on the axis, not clipped
    assert axis.zero_y == 0.0
