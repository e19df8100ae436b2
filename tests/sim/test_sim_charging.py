"""Charging: curve shape, states, the limit, time to limit."""

from __future__ import annotations

import math

import pytest

from vehicle_sim.model import ChargerType, ChargingState, Gear
from vehicle_sim.model.charging import (
    charge_efficiency,
    dc_temperature_factor,
    inlet_power_W,
    time_to_limit_s,
)


def dc(spec, soc, temp_c=25.0, charger_max_W=350e3):
    return inlet_power_W(spec, ChargerType.DC, soc, temp_c, charger_max_W)


def test_dc_peak_is_above_150_kw(spec):
    assert max(dc(spec, s / 100) for s in range(101)) > 150e3


@pytest.mark.parametrize("soc", [0.10, 0.20, 0.30, 0.40, 0.50])
def test_dc_stays_near_peak_up_to_about_half_charge(spec, soc):
    assert dc(spec, soc) >= 0.9 * spec.dc_peak_power_W


def test_dc_falls_steeply_above_80_percent(spec):
    slope_mid = (dc(spec, 0.55) - dc(spec, 0.80)) / 0.25
    slope_top = (dc(spec, 0.80) - dc(spec, 0.90)) / 0.10
    assert slope_top > 1.5 * slope_mid
    assert dc(spec, 0.95) < 0.3 * spec.dc_peak_power_W


@pytest.mark.parametrize("soc", [0.0, 0.25, 0.5, 0.8, 0.95, 0.99])
def test_ac_is_flat_at_11_kw(spec, soc):
    assert inlet_power_W(spec, ChargerType.AC, soc, 25.0, 22e3) == pytest.approx(11e3)


def test_charger_maximum_caps_the_power(spec):
    assert dc(spec, 0.3, charger_max_W=50e3) == pytest.approx(50e3)


@pytest.mark.parametrize(("cold_c", "warm_c"), [(0.0, 10.0), (5.0, 25.0)])
def test_cold_pack_charges_slower(cold_c, warm_c):
    assert dc_temperature_factor(cold_c) < dc_temperature_factor(warm_c)


def test_port_goes_connected_charging_complete_and_stops_at_the_limit(make_vehicle, drive, spec):
    vehicle = make_vehicle(soc=0.75, gear=Gear.P, charge_limit_pct=80)
    assert vehicle.snapshot().charging.charging_state == "DISCONNECTED"
    assert vehicle.connect_charger(ChargerType.DC, 350e3).accepted
    drive(vehicle, 1, gear=Gear.P)
    assert vehicle.snapshot().charging.charging_state == "CONNECTED"
    drive(vehicle, spec.charger_handshake_s, gear=Gear.P)
    assert vehicle.snapshot().charging.charging_state == "CHARGING"
    drive(vehicle, 600, gear=Gear.P)
    state = vehicle.snapshot()
    assert state.charging.charging_state == "COMPLETE"
    assert state.battery.soc_pct == pytest.approx(80.0, abs=0.05)
    assert vehicle.disconnect_charger().accepted
    assert vehicle.snapshot().charging.charging_state == "DISCONNECTED"


def test_time_to_limit_matches_the_simulated_charge(make_vehicle, drive):
    vehicle = make_vehicle(soc=0.2, gear=Gear.P, charge_limit_pct=80)
    vehicle.connect_charger(ChargerType.DC, 350e3)
    drive(vehicle, 5, gear=Gear.P)
    assert vehicle.charge_port.state is ChargingState.CHARGING
    predicted = vehicle.snapshot().charging.time_to_limit_s
    start = vehicle.time_s
    while vehicle.charge_port.state is ChargingState.CHARGING:
        drive(vehicle, 1, gear=Gear.P)
    assert vehicle.time_s - start == pytest.approx(predicted, rel=0.01)


def test_time_to_limit_equals_integral_of_energy_over_power(spec):
    """Independent trapezoid integration of dt = dE / P over the inlet curve."""
    soc, limit, aux = 0.1, 0.9, 500.0
    eff = charge_efficiency(spec, ChargerType.DC)
    n = 4000
    total = 0.0
    for i in range(n):
        s0 = soc + (limit - soc) * i / n
        s1 = soc + (limit - soc) * (i + 1) / n
        p0 = dc(spec, s0) * eff - aux
        p1 = dc(spec, s1) * eff - aux
        total += (s1 - s0) * spec.usable_energy_J * 0.5 * (1 / p0 + 1 / p1)
    predicted = time_to_limit_s(spec, ChargerType.DC, soc, limit, 25.0, 350e3, aux)
    # The model also loses I^2R heat in the pack, so it takes slightly longer (< 5 %).
    assert total < predicted < total * 1.05


def test_time_to_limit_is_longer_on_ac(spec):
    ac = time_to_limit_s(spec, ChargerType.AC, 0.2, 0.8, 25.0, 11e3, 300.0)
    fast = time_to_limit_s(spec, ChargerType.DC, 0.2, 0.8, 25.0, 350e3, 300.0)
    assert ac > 10 * fast
    assert ac == pytest.approx(0.6 * spec.usable_energy_J / (11e3 * 0.92 - 300.0), rel=0.03)


def test_time_to_limit_is_infinite_if_aux_outruns_the_charger(spec):
    assert math.isinf(time_to_limit_s(spec, ChargerType.AC, 0.2, 0.8, 25.0, 300.0, 2000.0))


@pytest.mark.parametrize(
    ("limit_pct", "accepted"),
    [
        (49.0, False),
        (50.0, True),
        (80.0, True),
        (100.0, True),
        (100.5, False),
        (float("nan"), False),
    ],
)
def test_charge_limit_rules(make_vehicle, limit_pct, accepted):
    vehicle = make_vehicle(charge_limit_pct=90)
    decision = vehicle.set_charge_limit_pct(limit_pct)
    assert decision.accepted is accepted
    if not accepted:
        assert decision.code == "limit_out_of_range"
        assert vehicle.charge_port.limit_pct == 90


def test_connecting_while_moving_is_refused(make_vehicle, drive):
    vehicle = make_vehicle()
    drive(vehicle, 5, target_kmh=30)
    decision = vehicle.connect_charger(ChargerType.AC)
    assert not decision.accepted and decision.code == "vehicle_moving"
    assert vehicle.snapshot().charging.charging_state == "DISCONNECTED"


def test_plugged_in_vehicle_cannot_drive_away(make_vehicle, drive):
    vehicle = make_vehicle(gear=Gear.P)
    vehicle.connect_charger(ChargerType.AC)
    drive(vehicle, 5, accelerator=1.0, gear=Gear.D)
    assert vehicle.gear is Gear.P
    assert vehicle.speed_mps == 0.0


def test_raising_the_limit_after_complete_resumes_charging(make_vehicle, drive):
    vehicle = make_vehicle(soc=0.8, gear=Gear.P, charge_limit_pct=80)
    vehicle.connect_charger(ChargerType.AC)
    drive(vehicle, 5, gear=Gear.P)
    assert vehicle.charge_port.state is ChargingState.COMPLETE
    assert vehicle.set_charge_limit_pct(90).accepted
    drive(vehicle, 1, gear=Gear.P)
    assert vehicle.charge_port.state is ChargingState.CHARGING
    assert vehicle.snapshot().charging.charging_power_W == pytest.approx(11e3)


def test_range_added_per_hour_follows_power_into_the_pack(make_vehicle, drive, rated_consumption):
    vehicle = make_vehicle(soc=0.3, gear=Gear.P)
    vehicle.connect_charger(ChargerType.DC, 350e3)
    drive(vehicle, 10, gear=Gear.P)
    state = vehicle.snapshot()
    stored_W = state.drive.battery_power_W - vehicle.battery.last_loss_W
    added_per_hour_m = state.charging.range_added_per_hour_m
    assert added_per_hour_m == pytest.approx(stored_W * 3600 / rated_consumption)
    assert added_per_hour_m > 800e3  # DC peak adds ~1000 km of rated range an hour
