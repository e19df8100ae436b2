"""Traction battery: SoC bookkeeping, losses, pack temperature."""

from __future__ import annotations

import pytest

from vehicle_sim.model.battery import TractionBattery, internal_resistance_ohm


def test_soc_is_energy_over_usable_capacity(spec):
    battery = TractionBattery(spec, soc=0.42)
    assert battery.soc == pytest.approx(0.42)
    assert battery.energy_J == pytest.approx(0.42 * spec.usable_energy_J)


def test_discharge_costs_more_than_delivered_and_charge_stores_less(spec):
    battery = TractionBattery(spec, soc=0.5, temperature_c=25.0)
    start = battery.energy_J
    battery.step(-100e3, 10.0, 25.0)
    assert start - battery.energy_J > 100e3 * 10.0
    mid = battery.energy_J
    battery.step(100e3, 10.0, 25.0)
    assert battery.energy_J - mid < 100e3 * 10.0


def test_loss_is_current_squared_times_resistance(spec):
    battery = TractionBattery(spec, soc=0.5, temperature_c=25.0)
    loss_J = battery.step(-150e3, 1.0, 25.0)
    current = 150e3 / battery.open_circuit_voltage_V  # SoC barely moved
    assert loss_J == pytest.approx(current**2 * spec.pack_resistance_ohm, rel=1e-3)


def test_resistance_rises_in_the_cold(spec):
    assert internal_resistance_ohm(spec, -10.0) > 1.5 * internal_resistance_ohm(spec, 25.0)


def test_pack_heats_under_sustained_load(spec):
    battery = TractionBattery(spec, soc=0.8, temperature_c=25.0)
    for _ in range(600):
        battery.step(-200e3, 1.0, 25.0)
    assert battery.temperature_c > 30.0


def test_pack_cools_toward_ambient_at_rest(spec):
    battery = TractionBattery(spec, soc=0.8, temperature_c=40.0)
    for _ in range(3600):
        battery.step(0.0, 1.0, 10.0)
    assert 10.0 < battery.temperature_c < 35.0


def test_chiller_engages_only_above_its_threshold(spec):
    cool = TractionBattery(spec, temperature_c=spec.pack_active_cooling_threshold_c - 1.0)
    hot = TractionBattery(spec, temperature_c=spec.pack_active_cooling_threshold_c + 5.0)
    assert cool.thermal_management_power_W() == 0.0
    assert hot.thermal_management_power_W() == pytest.approx(
        spec.pack_active_cooling_max_W / spec.pack_cooling_cop
    )


def test_displayed_soc_is_clamped_while_the_reserve_is_used(spec):
    battery = TractionBattery(spec, soc=0.0)
    battery.step(-1000.0, 60.0, 25.0)
    assert battery.energy_J < 0.0
    assert battery.soc == 0.0 and battery.displayed_energy_J == 0.0
