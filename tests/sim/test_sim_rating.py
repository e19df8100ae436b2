"""Rated figures: WLTC consumption and rated range computed by driving the model."""

from __future__ import annotations

import dataclasses
import json

import pytest

from vehicle_sim.model import spec_summary, wltc_rated_range_m
from vehicle_sim.model.rating import rating_drive, wltc_consumption_J_per_m, wltc_trace
from vehicle_sim.model.units import JOULES_PER_KWH, METRES_PER_MILE


def test_wltc_rated_range_is_between_300_and_320_miles(spec):
    miles = wltc_rated_range_m(spec) / METRES_PER_MILE
    assert 300.0 <= miles <= 320.0


def test_usable_energy_is_between_70_and_90_kwh(spec):
    assert 70.0 <= spec.usable_energy_J / JOULES_PER_KWH <= 90.0


def test_rated_range_is_computed_from_the_drive_not_a_constant(spec):
    heavier = dataclasses.replace(spec, mass_kg=spec.mass_kg + 400.0)
    assert wltc_consumption_J_per_m(heavier) > wltc_consumption_J_per_m(spec) * 1.03
    assert wltc_rated_range_m(heavier) < wltc_rated_range_m(spec)


def test_rated_range_is_usable_energy_over_wltc_consumption(spec):
    assert wltc_rated_range_m(spec) == pytest.approx(
        spec.usable_energy_J / wltc_consumption_J_per_m(spec)
    )


def test_wltc_trace_is_the_class_3b_cycle():
    trace = wltc_trace()
    assert trace.duration_s == pytest.approx(1800.0, abs=1.0)
    assert trace.distance_m() == pytest.approx(23_266.0, abs=30.0)
    assert max(trace.speeds_mps) * 3.6 == pytest.approx(131.3, abs=0.5)


def test_speed_follower_keeps_within_the_wltc_tolerance(spec):
    energy, distance, worst_error = rating_drive(spec)
    assert worst_error * 3.6 < 2.0  # the regulation allows +-2 km/h
    assert distance == pytest.approx(wltc_trace().distance_m(), rel=0.005)
    assert energy > 0.0


def test_spec_is_plausible_for_a_compact_boxy_electric_suv(spec):
    assert 2300.0 <= spec.mass_kg <= 2500.0
    assert 0.9 <= spec.cda_m2 <= 1.0
    assert spec.front_motor.peak_power_W > 0 and spec.rear_motor.peak_power_W > 0


def test_spec_summary_is_json_and_consistent(spec):
    summary = spec_summary(spec)
    text = json.dumps(summary)
    assert "rolling_resistance" in text
    assert summary["usable_energy_kWh"] == pytest.approx(spec.usable_energy_J / JOULES_PER_KWH)
    assert summary["rated_range_km"] * 1000.0 == pytest.approx(summary["rated_range_m"])
    assert summary["rated_range_miles"] == pytest.approx(summary["rated_range_m"] / METRES_PER_MILE)
    assert summary["spec"]["mass_kg"] == spec.mass_kg
    assert summary["spec"]["rolling_resistance"]["TARMAC"] == spec.crr(
        next(s for s, _ in spec.rolling_resistance)
    )
