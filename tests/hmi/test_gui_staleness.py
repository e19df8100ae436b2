"""Never show stale data as fresh; show the vehicle offline within the stale timeout."""

from __future__ import annotations

import time

from protocols import load_catalogue
from tests.hmi.conftest import publish_all
from tests.hmi.test_gui_values import readout_widget

SPEED_STALE_S = 0.5


def test_quiet_signal_turns_not_available_after_its_timeout(hmi, vehicle) -> None:
    publish_all(vehicle)
    speed = hmi.screen("drive").ids.speed
    vehicle.state("drive", {"Vehicle.Speed": 10.0})
    hmi.wait(lambda: speed.shown_text == "36", what="speed shown")
    vehicle.stop_cycle()
    hmi.wait(lambda: speed.shown_text == "--", timeout_s=2.0, what="speed not available")
    quiet_for = time.monotonic() - hmi.hmi.table.received_at("Vehicle.Speed")
    assert SPEED_STALE_S <= quiet_for <= SPEED_STALE_S + 0.3


def test_none_from_the_source_shows_not_available(hmi, vehicle) -> None:
    publish_all(vehicle)
    widget = readout_widget(hmi.screen("drive"), hmi.models.drive.range_estimated)
    vehicle.state("battery", {"Vehicle.Powertrain.TractionBattery.Range": None})
    hmi.wait(lambda: widget.shown_text == "--", what="range not available")
    assert hmi.models.drive.range_estimated.available is False


def test_slow_figure_keeps_last_value_dimmed_with_its_age(hmi, vehicle) -> None:
    publish_all(vehicle)
    widget = readout_widget(hmi.screen("drive"), hmi.models.energy.soc)
    hmi.wait(lambda: widget.shown_text == "62" and hmi.models.energy.soc.available)
    vehicle.status(False)
    hmi.wait(lambda: not hmi.models.energy.soc.available, what="SoC stale")
    assert (widget.shown_text, widget.shown_colour) == ("62", list(hmi.hmi.theme.text_dim))
    assert "ago" in widget.shown_unit


def test_vehicle_offline_status_shows_the_banner(hmi, vehicle) -> None:
    publish_all(vehicle)
    banner = hmi.root.ids.banner
    hmi.wait(lambda: banner.height == 0, what="banner hidden while live")
    vehicle.status(False)  # what the vehicle's MQTT will publishes
    hmi.wait(lambda: banner.height > 0 and banner.opacity == 1, timeout_s=SPEED_STALE_S,
             what="offline banner")
    assert hmi.root.ids.banner_text.text == "Vehicle offline · data not live"


def test_all_frames_quiet_shows_the_banner(hmi, vehicle) -> None:
    publish_all(vehicle)
    banner = hmi.root.ids.banner
    hmi.wait(lambda: banner.height == 0, what="banner hidden while live")
    vehicle.stop_cycle()
    # every frame must go quiet, the slowest included (the configuration frame's 15 s)
    slowest_s = max(frame.stale_after_s for frame in load_catalogue().frames.values())
    hmi.wait(lambda: banner.height > 0, timeout_s=slowest_s + 3.0, what="no-data banner")
    assert hmi.root.ids.banner_text.text == "No data from vehicle"
