"""display_snapshot(): what the driver sees, as plain data built from the view-models."""

from __future__ import annotations

import json

from tests.hmi.conftest import publish_all


def test_snapshot_is_plain_json_data(hmi, vehicle) -> None:
    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.drive.speed.available)
    snapshot = hmi.snapshot()
    assert json.loads(json.dumps(snapshot)) == snapshot


def test_snapshot_has_every_part(hmi) -> None:
    assert set(hmi.snapshot()) == {"screen", "profile", "language", "theme", "accent", "units",
                                   "link", "banner", "telltales", "terrain_tiles", "lockers",
                                   "charge_limit", "readouts"}


def test_snapshot_reports_text_unit_and_freshness_per_signal(hmi, vehicle) -> None:
    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.drive.speed.available)
    speed = hmi.snapshot()["readouts"]["drive.speed"]
    assert (speed["signal"], speed["text"], speed["unit"], speed["stale"]) == (
        "Vehicle.Speed", "23", "km/h", False)


def test_snapshot_marks_stale_signals(hmi, vehicle) -> None:
    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.drive.speed.available)
    vehicle.status(False)
    hmi.wait(lambda: not hmi.models.drive.speed.available)
    snapshot = hmi.snapshot()
    assert snapshot["readouts"]["drive.speed"]["stale"] is True
    assert snapshot["banner"] == {"visible": True, "text": "Vehicle offline · data not live"}


def test_snapshot_follows_the_screen_shown(hmi) -> None:
    hmi.screen("energy")
    assert hmi.snapshot()["screen"] == "energy"


def test_snapshot_lists_only_visible_telltales(hmi, vehicle) -> None:
    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.drive.ready_telltale.visible)
    names = [t["name"] for t in hmi.snapshot()["telltales"]]
    assert names == ["ready", "locker", "traction"]


def test_snapshot_has_every_terrain_tile(hmi, vehicle) -> None:
    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.terrain.program_available)
    tiles = hmi.snapshot()["terrain_tiles"]
    assert (len(tiles), tiles["MUD_RUTS"]["state"], tiles["WADE"]["state"]) == (
        8, "active", "unavailable")
