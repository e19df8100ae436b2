"""Duplicate, reordered and replayed state frames: old data never overwrites newer data on the
screen of the real HMI (link, store, applier, widgets) fed through a real Mosquitto."""

from __future__ import annotations

from tests.reliability.conftest import advance_until, figure
from tests.support.injector import VehicleInjector
from tests.support.recorder import Recorder

SPEED = "Vehicle.Speed"


def shown_speed(harness) -> str:
    return harness.snapshot()["readouts"]["drive.speed"]["text"]


def test_old_frames_never_overwrite_newer_ones(mosquitto, vehicle_id, hmi_on) -> None:
    vehicle = VehicleInjector(mosquitto.url, vehicle_id).start()
    harness = hmi_on(mosquitto.url, vehicle_id)
    store, table = harness.hmi.store, harness.hmi.table
    try:
        vehicle.status(True)
        topic = vehicle.topics.state("drive")
        captured: list[bytes] = []
        bad = 0
        for step in range(1, 41):
            seq = 100 + step * 10
            good = 10.0 + step * 0.25          # m/s, rising: every good frame is newer
            payload = vehicle.state_payload("drive", {SPEED: good}, seq)
            captured.append(payload)
            vehicle.raw(topic, payload, retain=True)
            # the same seq again with another value (a duplicate), an older seq (reordered),
            # and the bytes of an earlier frame (replayed): all signed with the vehicle's key
            vehicle.raw(topic, vehicle.state_payload("drive", {SPEED: 1.0}, seq))
            vehicle.raw(topic, vehicle.state_payload("drive", {SPEED: 2.0}, seq - 5))
            vehicle.raw(topic, captured[max(0, step - 3)] if step > 1
                        else vehicle.state_payload("drive", {SPEED: 3.0}, 100))
            bad += 3
            # MQTT keeps the order of one publisher: the good frame arrives first, the bad ones
            # after it; had any of them been applied, the newest value would not be shown.
            advance_until(lambda bad=bad, good=good: store.counters().out_of_order >= bad
                          and table.live_float(SPEED) == good, 3, f"step {step}")
            advance_until(lambda: True)
            assert table.live_float(SPEED) == good, step
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
    """Frames of the running vehicle recorded a moment ago, played back byte for byte (valid
    MAC, current epoch, old seq), and frames signed with the key but claiming an older session:
    none is shown. The order was reset by any status and by every reconnect before; now nothing
    resets it, so this does not depend on which retained message the HMI received first."""
    sim = parked_sim_on(mosquitto.url, vehicle_id)
    harness = hmi_on(mosquitto.url, vehicle_id)
    store, table = harness.hmi.store, harness.hmi.table
    advance_until(lambda: table.live_float(SPEED) == 0.0, 5, "the simulator's speed")
    recorder = Recorder(mosquitto.url, sim.node.topics.state("drive")).start()
    old_session = VehicleInjector(mosquitto.url, vehicle_id, epoch=sim.node.epoch - 1,
                                  client_id=f"old-{vehicle_id}").start()
    try:
        recorded = recorder.wait_for(3)
        applied = store.counters().out_of_order
        advance_until(lambda: len(recorder.payloads) >= 6, 5, "newer frames of the vehicle")
        for payload in recorded:
            old_session.raw(sim.node.topics.state("drive"), payload, retain=True)
        for seq in range(2**62, 2**62 + 5):  # signed, current ts, huge seq, an older epoch
            old_session.state("drive", {SPEED: 30.0}, seq=seq)
        advance_until(lambda: store.counters().out_of_order >= applied + len(recorded) + 5, 5,
                      "every replay refused")
        for _ in range(30):
            advance_until(lambda: True)
            assert table.live_float(SPEED) == 0.0
        reason = store.counters().last_reject_reason
        assert "earlier session" in reason or "out of order" in reason
    finally:
        old_session.close()
        recorder.close()
