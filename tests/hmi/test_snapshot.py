"""display_snapshot(): what the driver sees, as plain data built from the view-models."""

from __future__ import annotations

import json
from typing import Any

from hmi.models.readout import READOUT_KEYS
from tests.hmi.conftest import publish_all
from tests.support.sample_vehicle import typical


def test_snapshot_is_plain_json_data(hmi, vehicle) -> None:
    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.drive.speed.available)
    snapshot = hmi.snapshot()
    assert json.loads(json.dumps(snapshot)) == snapshot


def test_snapshot_has_every_part(hmi) -> None:
    assert set(hmi.snapshot()) == {"screen", "profile", "language", "theme", "accent", "units",
                                   "link", "banner", "telltales", "terrain_tiles", "lockers",
                                   "ride_height", "charge_limit", "readouts", "vehicle"}


def test_snapshot_has_the_ride_height_control(hmi, vehicle) -> None:
    """Typical: Off-road aimed for, 270 of 290 mm: moving, nothing requested by the driver."""
    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.terrain.ride_status.available)
    ride = hmi.snapshot()["ride_height"]
    assert {k: ride[k] for k in ("requested", "state", "key", "target", "detail")} == {
        "requested": None, "state": "moving", "key": None, "target": "OFF_ROAD",
        "detail": "Rising to Off-road"}
    assert {level: c["state"] for level, c in ride["levels"].items()} == {
        "ACCESS": "idle", "NORMAL": "idle", "OFF_ROAD": "moving", "EXTENDED": "idle"}


def test_every_readout_has_the_same_keys(hmi, vehicle) -> None:
    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.drive.speed.available)
    readouts = hmi.snapshot()["readouts"]
    assert {name: tuple(r) for name, r in readouts.items()} == {
        name: READOUT_KEYS for name in readouts}


def test_snapshot_reports_text_unit_and_freshness_per_signal(hmi, vehicle) -> None:
    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.drive.speed.available)
    speed = hmi.snapshot()["readouts"]["drive.speed"]
    assert (speed["signal"], speed["text"], speed["unit"], speed["stale"]) == (
        "Vehicle.Speed", "23", "km/h", False)


def test_snapshot_reports_values_and_keys_as_the_catalogue_has_them(hmi, vehicle) -> None:
    """value: SI as published, whatever the units shown; key: an enum's value, a seat's word."""
    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.body.seat_row1_driver.available)
    readouts = hmi.snapshot()["readouts"]
    seen = {name: (readouts[name]["value"], readouts[name]["key"]) for name in (
        "drive.speed", "drive.gear", "terrain.active", "body.door_front_left",
        "charging.soc_to_limit", "body.seat_row1_driver", "terrain.program_detail")}
    assert seen == {"drive.speed": (6.4, None), "drive.gear": ("D", "D"),
                    "terrain.active": ("MUD_RUTS", "MUD_RUTS"),
                    "body.door_front_left": (False, None),
                    "charging.soc_to_limit": (None, None),
                    "body.seat_row1_driver": (None, "belted"),
                    "terrain.program_detail": (None, "ACTIVE")}
    charge_limit = hmi.snapshot()["charge_limit"]
    assert (charge_limit["value"], charge_limit["state"], charge_limit["key"]) == (
        80, "idle", None)


def test_values_do_not_follow_the_units_shown(hmi, vehicle) -> None:
    from hmi.units import IMPERIAL

    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.drive.speed.available)
    hmi.models.preferences.set_units(IMPERIAL)
    hmi.wait(lambda: hmi.snapshot()["readouts"]["drive.speed"]["unit"] == "mph")
    speed = hmi.snapshot()["readouts"]["drive.speed"]
    assert (speed["text"], speed["value"]) == ("14", 6.4)


def test_a_value_not_shown_is_null(hmi, vehicle) -> None:
    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.drive.speed.available)
    vehicle.status(False)
    hmi.wait(lambda: not hmi.models.drive.speed.available)
    readouts = hmi.snapshot()["readouts"]
    assert (readouts["drive.speed"]["text"], readouts["drive.speed"]["value"]) == ("--", None)
    assert (readouts["drive.gear"]["value"], readouts["drive.gear"]["key"]) == (None, None)
    # a slow figure kept dimmed keeps the value it shows
    odometer = readouts["body.odometer"]
    assert odometer["state"] == "stale" and odometer["text"] != "--"
    assert odometer["value"] == typical()["body"]["Vehicle.TraveledDistance"]


def test_snapshot_marks_stale_signals(hmi, vehicle) -> None:
    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.drive.speed.available)
    vehicle.status(False)
    hmi.wait(lambda: not hmi.models.drive.speed.available)
    snapshot = hmi.snapshot()
    assert snapshot["readouts"]["drive.speed"]["stale"] is True
    assert snapshot["banner"] == {"visible": True, "text": "Vehicle offline · data not live",
                                  "key": "vehicle_offline"}


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


def language_independent(snapshot: dict[str, Any]) -> dict[str, Any]:
    return {"readouts": {name: (r["signal"], r["value"], r["key"], r["state"])
                         for name, r in snapshot["readouts"].items()},
            "tiles": {p: (t["state"], t["key"]) for p, t in snapshot["terrain_tiles"].items()},
            "lockers": {a: (lk["state"], lk["key"], lk["engaged"])
                        for a, lk in snapshot["lockers"].items()},
            "telltales": [t["name"] for t in snapshot["telltales"]],
            "charge_limit": {k: snapshot["charge_limit"][k] for k in ("value", "state", "key")},
            "ride_height": {level: (c["state"], c["key"])
                            for level, c in snapshot["ride_height"]["levels"].items()},
            "banner": (snapshot["banner"]["visible"], snapshot["banner"]["key"])}


def test_texts_follow_the_language_and_values_do_not(hmi, vehicle) -> None:
    """Switched to German, the report's texts are the German ones the screen shows; values,
    keys, states and names stay exactly as they were (the vehicle keeps sending the same)."""
    from hmi.i18n import tr

    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.body.seat_row1_driver.available
             and hmi.models.terrain.program_available
             and hmi.snapshot()["vehicle"]["state"] == "fresh")   # every frame in, the last too
    english = hmi.snapshot()
    hmi.models.preferences.choose("language", "de")
    hmi.wait(lambda: hmi.snapshot()["language"] == "de"
             and hmi.snapshot()["terrain_tiles"]["MUD_RUTS"]["detail"] != "Active")
    german = hmi.snapshot()
    assert tr("Active") != "Active", "the German catalogue is loaded"
    assert german["terrain_tiles"]["MUD_RUTS"]["detail"] == tr("Active")
    assert german["readouts"]["body.seat_row1_driver"]["text"] == tr("Belted") != "Belted"
    assert german["readouts"]["terrain.active"]["text"] == tr("Mud & Ruts")
    assert [t["label"] for t in german["telltales"]] == [
        tr(t.msgid) for t in hmi.models.drive.telltales if t.visible]
    assert language_independent(german) == language_independent(english)
