"""Staleness per signal from receive time against the catalogue's timeout."""

from __future__ import annotations

import pytest

from hmi.signals import Availability, SignalTable
from hmi.store import Sample
from protocols import load_catalogue

SPEED = "Vehicle.Speed"                                                     # 0.5 s
SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"          # 3 s


def table_with(path: str, value, received_s: float = 0.0) -> SignalTable:
    table = SignalTable(load_catalogue())
    table.apply({path: Sample(value, received_s, 0, "drive")})
    return table


def test_fresh_within_the_timeout() -> None:
    table = table_with(SPEED, 10.0)
    table.refresh(0.49)
    assert table.state(SPEED).availability is Availability.FRESH


def test_stale_after_the_timeout() -> None:
    table = table_with(SPEED, 10.0)
    table.refresh(0.51)
    assert table.state(SPEED).availability is Availability.STALE


def test_each_signal_has_its_own_timeout() -> None:
    table = table_with(SOC, 50.0)
    table.refresh(2.0)
    assert table.state(SOC).fresh


def test_stale_value_is_never_live() -> None:
    table = table_with(SPEED, 10.0)
    table.refresh(5.0)
    assert table.live_float(SPEED) is None


def test_none_from_source_is_not_available() -> None:
    table = table_with(SPEED, None)
    table.refresh(0.1)
    assert table.state(SPEED).availability is Availability.NOT_AVAILABLE


def test_never_received_is_never() -> None:
    table = SignalTable(load_catalogue())
    table.refresh(0.0)
    assert table.state(SPEED).availability is Availability.NEVER


def test_vehicle_offline_makes_everything_stale_at_once() -> None:
    table = table_with(SOC, 50.0)
    table.vehicle_offline = True
    table.refresh(0.1)
    assert table.state(SOC).availability is Availability.STALE


def test_refresh_reports_only_flips() -> None:
    table = table_with(SPEED, 10.0)
    assert table.refresh(0.1) == {SPEED}
    assert table.refresh(0.2) == set()
    assert table.refresh(0.6) == {SPEED}


def test_stale_count_counts_received_signals_gone_quiet() -> None:
    table = table_with(SPEED, 10.0)
    table.apply({SOC: Sample(50.0, 0.0, 0, "battery")})
    table.refresh(1.0)
    assert table.stale_count() == 1


def test_age_counts_from_the_frame_timestamp_when_older() -> None:
    table = SignalTable(load_catalogue())
    table.apply({SOC: Sample(50.0, 100.0, ts_us=1_000_000_000 * 1_000_000, frame="battery")})
    table.refresh(100.0, wall_s=1_000_000_000 + 7200.0)
    assert table.state(SOC).age_s == 7200.0


GEAR = "Vehicle.Powertrain.Transmission.SelectedGear"                        # enum
READY = "Vehicle.Ema.Powertrain.IsReady"                                     # bool
LIMIT = "Vehicle.Powertrain.TractionBattery.Charging.ChargeLimit"            # int


def test_typed_accessors_give_the_live_value_of_their_type() -> None:
    table = SignalTable(load_catalogue())
    table.apply({SPEED: Sample(10.0, 0.0, 0, "drive"), GEAR: Sample("D", 0.0, 0, "drive"),
                 READY: Sample(True, 0.0, 0, "drive"), LIMIT: Sample(80, 0.0, 0, "charging")})
    table.refresh(0.1)
    assert table.live_float(SPEED) == 10.0
    assert table.live_str(GEAR) == "D"
    assert table.live_bool(READY) is True
    assert table.live_int(LIMIT) == 80


def test_typed_accessors_give_none_when_not_live() -> None:
    table = table_with(SPEED, None)
    table.refresh(0.1)
    assert table.live_float(SPEED) is None          # not available
    assert table.live_str(GEAR) is None             # never received
    table = table_with(SPEED, 10.0)
    table.refresh(5.0)
    assert table.live_float(SPEED) is None          # stale


def test_typed_accessor_refuses_a_signal_of_another_type() -> None:
    table = table_with(SPEED, 10.0)
    table.refresh(0.1)
    with pytest.raises(TypeError, match="declared float"):
        table.live_str(SPEED)
    with pytest.raises(TypeError, match="declared int"):
        table.live_float(LIMIT)
    with pytest.raises(KeyError):
        table.live_float("Vehicle.NoSuchSignal")


def test_a_live_configuration_alone_is_no_live_data() -> None:
    """The configuration stays live 15 s after its last heartbeat; the measurements of a vehicle
    gone quiet are stale long before, and the "no data" banner must not wait for it."""
    pack = "Vehicle.Powertrain.TractionBattery.NetCapacity"
    table = table_with(SOC, 50.0)
    table.apply({pack: Sample(306e6, 0.0, 0, "configuration")})
    table.refresh(1.0)
    assert table.any_fresh()
    table.refresh(3.5)  # the battery frame is stale, the configuration still live
    assert table.state(pack).fresh and not table.state(SOC).fresh
    assert not table.any_fresh()


def test_invalid_is_its_own_state_never_live_and_old_news_of_it_is_no_value() -> None:
    from protocols import INVALID

    table = table_with(SPEED, INVALID)
    table.refresh(0.1)
    state = table.state(SPEED)
    assert (state.availability, state.value, state.live) == (Availability.INVALID, None, None)
    assert table.live_float(SPEED) is None
    table.refresh(0.6)
    assert table.state(SPEED).availability is Availability.NOT_AVAILABLE


def test_one_rule_for_what_a_figure_keeps() -> None:
    """kept_value: live always; stale only for a slow figure; never an invalid or no value."""
    from hmi.models.readout import kept_value
    from hmi.signals import SignalState

    assert kept_value(SignalState(Availability.FRESH, 3.0)) == 3.0
    assert kept_value(SignalState(Availability.STALE, 3.0)) == 3.0
    assert kept_value(SignalState(Availability.STALE, 3.0), keep_last=False) is None
    assert kept_value(SignalState(Availability.INVALID)) is None
    assert kept_value(SignalState(Availability.NOT_AVAILABLE)) is None
