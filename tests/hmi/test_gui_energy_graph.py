"""The Energy screen's consumption graph follows the driver's unit, on a sane axis.

The demo's graph stayed in Wh/mi after mi/kWh was chosen, with axis ends of -1177 and 2900
(one steep 100 m each way stretched it). A real HMI, a real broker, a drive fed bucket by
bucket; the axis is read as the screen draws it."""

from __future__ import annotations

from tests.hmi.conftest import advance_frames, publish_all, tap

ODOMETER = "Vehicle.TraveledDistance"
INSTANT = "Vehicle.Ema.Energy.Consumption.Instant"
# J/m per 100 m: ordinary driving around 20 kWh/100 km, one climb at 650 kWh/100 km
# (2900 Wh/mi) and one regen descent at -263 kWh/100 km (-1177 Wh/mi)
DRIVE = [720.0, 650.0, 700.0, 6_487.0, 760.0, -2_633.0, 800.0, 690.0]


def drive(hmi, vehicle, start_m: float = 20_000.0) -> None:
    energy = hmi.models.energy
    odometer = start_m
    for consumption in [DRIVE[0], *DRIVE]:
        vehicle.state("drive", {INSTANT: consumption})
        hmi.wait(lambda c=consumption: hmi.hmi.table.live_float(INSTANT) == c,
                 what="the consumption")
        vehicle.state("body", {ODOMETER: odometer})
        hmi.wait(lambda o=odometer: energy.history._last_odometer == o, what=f"odometer {odometer}")
        odometer += 100.0
    hmi.wait(lambda: energy.graph_available, what="a line")


def shown_axis(hmi) -> tuple[str, str, str]:
    hmi.screen("energy")
    advance_frames(3)
    energy = hmi.models.energy
    return energy.graph_bottom_text, energy.graph_top_text, energy.graph_unit_text


def drawn_clipped(hmi) -> list[float]:
    """The marked points as the graph widget has them."""
    return list(hmi.screen("energy").ids.graph.clipped)


def test_the_axis_is_round_and_plausible_and_spikes_are_marked(hmi, vehicle) -> None:
    publish_all(vehicle)
    drive(hmi, vehicle)
    assert shown_axis(hmi) == ("\u221240", "80", "kWh/100 km")
    clipped = drawn_clipped(hmi)
    assert sorted(clipped[1::2]) == [0.0, 1.0], "the climb at the top, the descent at the foot"


def test_the_graph_follows_a_switch_to_miles_per_kwh(hmi, vehicle) -> None:
    publish_all(vehicle)
    drive(hmi, vehicle)
    settings = hmi.screen("settings")
    tap(settings.ids["consumption_mi_kWh"])
    advance_frames(3)
    bottom, top, unit = shown_axis(hmi)
    assert (bottom, unit) == ("0", "mi/kWh")
    assert 1.0 <= float(top) <= 10.0
    # regen has no miles per kWh: off the top, marked; the climb (0.35 mi/kWh) is on the axis
    assert drawn_clipped(hmi)[1::2] == [1.0]
