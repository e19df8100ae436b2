"""Consumption history over recent distance."""

from __future__ import annotations

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
