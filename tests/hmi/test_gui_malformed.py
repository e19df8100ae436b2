"""Malformed or out-of-range payloads are counted and dropped; the app keeps running."""

from __future__ import annotations

import msgpack
import pytest

from tests.hmi.conftest import publish_all

GARBAGE = [
    ("state/drive", lambda v: b"\x00\xff\xfe"),
    ("state/drive", lambda v: v.sealed_wire_state("drive", {1: 500.0}, seq=10**6)),
    ("state/drive", lambda v: v.sealed_wire_state("drive", {1: "fast"}, seq=10**6)),
    ("state/drive", lambda v: msgpack.packb({"v": 1, "seq": 999, "ts": 1, "sig": {1: 5.0}})),
    ("state/drive", lambda v: b""),
    ("state/battery", lambda v: b"x" * 5000),
    ("state/unknown", lambda v: v.state_payload("drive", {})),
    ("status", lambda v: msgpack.packb({"v": 3, "ep": 1, "seq": 1, "ts": 1, "online": "yes",
                                        "mac": b"\0" * 16})),
    ("result", lambda v: msgpack.packb({"nonsense": True})),
]


@pytest.mark.parametrize("suffix, make", GARBAGE)
def test_garbage_is_counted_and_the_app_keeps_going(hmi, vehicle, suffix, make) -> None:
    payload = make(vehicle)
    publish_all(vehicle)
    speed = hmi.screen("drive").ids.speed
    hmi.wait(lambda: speed.shown_text == "23", what="valid speed")
    vehicle.raw(f"{vehicle.topics.base}/{suffix}", payload)
    rejected = hmi.screen("settings").ids.diag_rejected_text
    hmi.wait(lambda: rejected.text == "1", what="rejected count on the diagnostics page")
    vehicle.state("drive", {"Vehicle.Speed": 20.0})
    hmi.wait(lambda: hmi.models.drive.speed.text == "72", what="next valid frame applied")


def test_out_of_range_frame_leaves_the_last_good_value(hmi, vehicle) -> None:
    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.drive.speed.text == "23")
    vehicle.raw(vehicle.topics.state("drive"),
                vehicle.sealed_wire_state("drive", {1: 500.0, 2: 1}, seq=10**6))
    hmi.wait(lambda: hmi.hmi.store.counters().rejected == 1)
    assert (hmi.models.drive.speed.text, hmi.models.drive.gear.text) == ("23", "D")
    assert "above the maximum" in hmi.hmi.store.counters().last_reject_reason
