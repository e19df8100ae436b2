"""What each option costs in WLTC rated range, found by driving the cycle (~2 s a drive, each
spec once per session: the rating's lru_cache; the README test reuses the same drives).

Bounds come from the share of WLTC wheel energy each resistance takes for this car (roughly
aero 40-50 %, rolling 25-35 %, the rest inertia net of regen): a drag-area increment dA costs
about share_aero * dA / CdA of the range, a Crr factor f about share_rolling * (f - 1), and a
mass increment dm about (share_rolling + a little inertia) * dm / m.
"""

from __future__ import annotations

import dataclasses
from functools import cache

import pytest

from vehicle_sim.model import (
    DEFAULT_CONFIGURATION,
    RangeBreakdown,
    RoofRack,
    VehicleConfiguration,
    load_configuration,
    range_breakdown,
    spec_for,
    wltc_consumption_J_per_m,
    wltc_rated_range_m,
)
from vehicle_sim.model.units import METRES_PER_MILE


@cache
def breakdown(config: VehicleConfiguration) -> RangeBreakdown:
    return range_breakdown(config, wltc_consumption_J_per_m)


def share(config: VehicleConfiguration, option: str) -> float:
    """An option's cost as a share of the car's rated range."""
    result = breakdown(config)
    return dict(result.option_cost_m)[option] / result.rated_range_m


EXPEDITION = load_configuration("expedition")


def test_the_default_car_rates_within_the_brief():
    miles = breakdown(DEFAULT_CONFIGURATION).rated_range_m / METRES_PER_MILE
    assert 300.0 <= miles <= 320.0


@pytest.mark.parametrize("option,low,high", [
    ("Wheels", 0.04, 0.14),  # AT tyres: Crr +30 % x rolling share 25-35 %, +32 kg
    ("RoofRack", 0.05, 0.16),  # loaded rack: +0.2 m2 on ~1.0 m2 x aero share 40-50 %, +100 kg
    ("WheelArchExtensions", 0.003, 0.02),  # +0.02 m2: ~1 %
    ("SpareWheel", 0.005, 0.025),  # +0.015 m2 and 43 kg
    ("JumpSeat", 0.0005, 0.005),  # 14 kg of 2.6 t: mass share ~0.5 % x ~40 %
])
def test_each_expedition_option_costs_range_and_a_plausible_amount(option, low, high):
    assert low <= share(EXPEDITION, option) <= high


def test_road_wheels_cost_a_little():
    assert 0.005 <= share(load_configuration("road"), "Wheels") <= 0.04  # Crr +5 %, +14 kg


def test_an_empty_rack_costs_less_than_a_loaded_one_but_real_range():
    rack = dataclasses.replace(DEFAULT_CONFIGURATION, roof_rack=RoofRack.RACK)
    assert 0.01 <= share(rack, "RoofRack") <= 0.05  # +0.07 m2 on 0.94 m2 x 40-50 %
    loaded = dataclasses.replace(DEFAULT_CONFIGURATION, roof_rack=RoofRack.RACK_LOADED)
    assert wltc_rated_range_m(spec_for(loaded)) < wltc_rated_range_m(spec_for(rack))


def test_a_bigger_pack_goes_further_but_carries_its_mass():
    big = dataclasses.replace(DEFAULT_CONFIGURATION, pack_kWh=90.0)
    ratio = wltc_rated_range_m(spec_for(big)) / wltc_rated_range_m(spec_for(DEFAULT_CONFIGURATION))
    assert 1.0 < ratio < 90.0 / 85.0


def test_options_that_are_not_fitted_cost_nothing_and_the_rest_add_up():
    road = breakdown(load_configuration("road"))
    assert dict(road.option_cost_m)["RoofRack"] == 0.0
    assert road.interaction_m == pytest.approx(0.0, abs=1e-6)  # one option: nothing to share
    exp = breakdown(EXPEDITION)
    gap = exp.unoptioned_range_m - exp.rated_range_m
    # Range is energy over consumption: the same resistance costs less range on a car that
    # already uses more, so each option's cost on the full car undercounts its share a little.
    assert 0.0 < exp.interaction_m < 0.15 * gap


def test_the_figures_are_computed_not_constants():
    spec = spec_for(EXPEDITION)
    draggier = dataclasses.replace(spec, drag_area_increment_m2=spec.drag_area_increment_m2 + 0.1)
    assert wltc_consumption_J_per_m(draggier) > wltc_consumption_J_per_m(spec) * 1.03
