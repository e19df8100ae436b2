"""Duplicate, reordered and replayed state frames: old data never overwrites newer data on the
screen of the real HMI (link, store, applier, widgets) fed through a real Mosquitto."""

from __future__ import annotations

import time

from protocols import Codec
from tests.reliability.conftest import advance_until, figure
from tests.support.injector import VehicleInjector

SPEED = "Vehicle.Speed"
CODEC = Codec()


def shown_speed(harness) -> str:
    return harness.snapshot()["readouts"]["drive.speed"]["text"]


def test_old_frames_never_overwrite_newer_ones(mosquitto, vehicle_id, hmi_on) -> None:
    vehicle = VehicleInjector(mosquitto.url, vehicle_id).start()
    harness = hmi_on(mosquitto.url, vehicle_id)
    store, table = harness.hmi.store, harness.hmi.table
    try:
        vehicle.status(True)
        topic = vehicle.topics.state("drive")
        base = time.time_ns() // 1000
        captured: list[bytes] = []
        bad = 0
        for step in range(1, 41):
            seq = base + step * 10
            good = 10.0 + step * 0.25          # m/s, rising: every good frame is newer
            payload = CODEC.encode_state("drive", {SPEED: good}, seq)
            captured.append(payload)
            vehicle.raw(topic, payload, retain=True)
            # the same seq again with another value (a duplicate), an older seq (reordered),
            # and the bytes of an earlier frame (replayed)
            vehicle.raw(topic, CODEC.encode_state("drive", {SPEED: 1.0}, seq))
            vehicle.raw(topic, CODEC.encode_state("drive", {SPEED: 2.0}, seq - 5))
            vehicle.raw(topic, captured[max(0, step - 3)] if step > 1
                        else CODEC.encode_state("drive", {SPEED: 3.0}, base))
            bad += 3
            # MQTT keeps the order of one publisher: the good frame arrives first, the bad ones
            # after it; had any of them been applied, the newest value would not be shown.
            advance_until(lambda: store.counters().out_of_order >= bad
                          and table.live(SPEED) == good, 3, f"step {step}")
            advance_until(lambda: True)
            assert table.live(SPEED) == good, step
        advance_until(lambda: shown_speed(harness) == f"{good * 3.6:.0f}", 2, "the newest speed")
        counters = store.counters()
        assert counters.out_of_order == bad and counters.rejected == 0
        figure(f"frame order: {bad} duplicate/reordered/replayed frames dropped, "
               f"newest value always shown")
    finally:
        vehicle.clear_retained()
        vehicle.close()


def test_replayed_frame_against_the_live_simulator_is_ignored(mosquitto, vehicle_id, hmi_on,
                                                              parked_sim_on) -> None:
    sim = parked_sim_on(mosquitto.url, vehicle_id)
    harness = hmi_on(mosquitto.url, vehicle_id)
    store, table = harness.hmi.store, harness.hmi.table
    advance_until(lambda: table.live(SPEED) == 0.0, 5, "the simulator's speed")
    attacker = VehicleInjector(mosquitto.url, vehicle_id + "x").start()
    try:
        # Frames with a plausible but old seq (as from a recording) claim 30 m/s.
        old_seq = sim.node._seq - 10_000_000
        deadline = time.monotonic() + 10.0
        while store.counters().out_of_order < 20:
            # Sent in batches until they are seen: now and then a first batch from a fresh
            # client does not reach the HMI here (cause not found); the claim under test is
            # only that none that arrives is shown.
            assert time.monotonic() < deadline, f"counters {store.counters()}"
            for index in range(20):
                attacker.transport.publish(sim.node.topics.state("drive"),
                                           CODEC.encode_state("drive", {SPEED: 30.0},
                                                              old_seq + index),
                                           qos=1, retain=True)
            batch_end = time.monotonic() + 0.5
            while time.monotonic() < batch_end and store.counters().out_of_order < 20:
                advance_until(lambda: True)
                assert table.live(SPEED) != 30.0
        deadline = time.monotonic() + 1.0
        while time.monotonic() < deadline:
            advance_until(lambda: True)
            assert table.live(SPEED) != 30.0
        assert table.live(SPEED) == 0.0
    finally:
        attacker.close()
