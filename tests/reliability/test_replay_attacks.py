"""Replays, forgeries and a broker restart, tried from outside against the real HMI on a real
Mosquitto: what someone with publish rights on the vehicle's topics and no key (a stolen tool
password, a bench script pointed at the wrong vehicle) can make the cabin show, and whether a
command can be applied without the screen saying so.

Each of these was possible before vehicle messages carried an epoch and a MAC: a status reset
the order of frames, a reconnect did too, and nothing checked who had sent a frame.
"""

from __future__ import annotations

import collections
import time

import msgpack
import pytest

from protocols import ResultStatus
from protocols.auth import development_key
from protocols.freshness import session_epoch
from protocols.seal import Sealer
from tests.reliability.conftest import SimProcess, advance_until, figure, scenario_file
from tests.sim_bus.conftest import CRUISING
from tests.support.injector import VehicleInjector
from tests.support.recorder import Recorder

SPEED = "Vehicle.Speed"


def settle(frames: int = 30) -> None:
    for _ in range(frames):
        advance_until(lambda: True)


def test_replayed_status_of_an_earlier_session_then_old_frame_is_never_shown_live(
        mosquitto, vehicle_id, hmi_on) -> None:
    harness = hmi_on(mosquitto.url, vehicle_id)
    store, table = harness.hmi.store, harness.hmi.table
    recorder = Recorder(mosquitto.url, f"ema/v1/{vehicle_id}/#").start()
    earlier = VehicleInjector(mosquitto.url, vehicle_id, client_id=f"a-{vehicle_id}").start()
    try:
        earlier.status(True)
        earlier.state("drive", {SPEED: 13.4})            # 48 km/h, recorded by the eavesdropper
        advance_until(lambda: table.live_float(SPEED) == 13.4, 3, "the earlier session's speed")
        recorded = recorder.wait_for_topics("/status", "/state/drive")
        assert [m.topic.rsplit("/", 1)[-1] for m in recorded] == ["status", "drive"]
        earlier.close()
        current = VehicleInjector(mosquitto.url, vehicle_id, epoch=session_epoch(),
                                  client_id=f"b-{vehicle_id}").start()
        try:
            current.status(True)
            current.start_cycle({"drive": {SPEED: 2.5}})  # the restarted vehicle: 9 km/h
            advance_until(lambda: table.live_float(SPEED) == 2.5, 3, "the current session's speed")
            refused = store.counters().out_of_order
            for message in recorded:                      # status, then frame, byte for byte
                current.raw(message.topic, message.payload, retain=True)
            advance_until(lambda: store.counters().out_of_order >= refused + 2, 3, "refusals")
            for _ in range(30):
                advance_until(lambda: True)
                assert table.live_float(SPEED) != 13.4
            assert "earlier session" in store.counters().last_reject_reason
        finally:
            current.clear_retained()
            current.close()
    finally:
        recorder.close()
    figure("replay: an earlier session's status and frame played back after a restart were "
           "refused as 'from an earlier session'; the current speed stayed on screen")


def test_a_fresh_hmi_does_not_show_a_recording_as_live(mosquitto, vehicle_id, hmi_on) -> None:
    """An HMI that just started knows no epoch yet: a signed recording of an hour ago still is
    not live. Retained on the broker or sent live, its values are dated from its own timestamp:
    an hour old, stale."""
    old = VehicleInjector(mosquitto.url, vehicle_id).start()
    try:
        hour_ago = old.epoch - 3_600_000_000
        old.status(True, epoch=hour_ago)
        old.state("drive", {SPEED: 13.4}, ts_us=hour_ago + 1000, epoch=hour_ago)
        harness = hmi_on(mosquitto.url, vehicle_id)
        table = harness.hmi.table
        advance_until(lambda: table.received_at(SPEED) is not None, 3, "the recording")
        settle()
        assert table.live_float(SPEED) is None and not table.state(SPEED).fresh
        assert harness.models.link.banner_visible
        first = table.received_at(SPEED)
        old.raw(old.topics.state("drive"),  # the rest of the recording, sent live
                old.state_payload("drive", {SPEED: 13.4}, ts_us=hour_ago + 2000, epoch=hour_ago))
        advance_until(lambda: table.received_at(SPEED) != first, 3, "the live replay")
        settle()
        assert not table.state(SPEED).fresh and table.live_float(SPEED) is None
        assert time.monotonic() - table.received_at(SPEED) > 3_500
    finally:
        old.clear_retained()
        old.close()


@pytest.mark.timeout(60)
def test_replayed_online_status_after_the_will_keeps_the_banner(mosquitto, vehicle_id, hmi_on,
                                                                  tmp_path) -> None:
    sim = SimProcess(mosquitto.url, vehicle_id, scenario_file(tmp_path, CRUISING),
                     tmp_path / "sim.log").start()
    recorder = Recorder(mosquitto.url, f"ema/v1/{vehicle_id}/#").start()
    attacker = VehicleInjector(mosquitto.url, vehicle_id, client_id=f"x-{vehicle_id}").start()
    try:
        harness = hmi_on(mosquitto.url, vehicle_id)
        store, table, link = harness.hmi.store, harness.hmi.table, harness.models.link
        advance_until(lambda: link.vehicle_online and (table.live_float(SPEED) or 0) > 5, 15,
                      "the simulator cruising")
        recorder.wait_for_topics("/status", "/state/drive")
        sim.kill()                                        # SIGKILL: the broker sends its will
        advance_until(lambda: link.banner_visible and "offline" in link.banner_text.lower(), 10,
                      "the will's offline banner")
        advance_until(lambda: not table.state(SPEED).fresh, 3, "speed no longer live")
        captured = list(recorder.messages)
        online = [m for m in captured if m.topic.endswith("/status") and m.payload
                  and msgpack.unpackb(m.payload)["online"] is True]
        frames = [m for m in captured if m.topic.endswith("/state/drive")][-5:]
        assert online and frames
        refused = store.counters().out_of_order
        for message in online[-1:] + frames:
            attacker.raw(message.topic, message.payload, retain=True)
        advance_until(lambda: store.counters().out_of_order >= refused + 1 + len(frames), 3,
                      "the replay refused")
        for _ in range(30):
            advance_until(lambda: True)
            assert link.banner_visible and not table.state(SPEED).fresh
        figure(f"replay after the will: online status and {len(frames)} frames of the killed "
               f"vehicle refused; banner '{link.banner_text}' stayed")
    finally:
        attacker.clear_retained()
        attacker.close()
        recorder.close()
        sim.stop()


def test_forged_frames_are_refused_and_the_real_speed_keeps_showing(
        mosquitto, vehicle_id, hmi_on, parked_sim_on) -> None:
    sim = parked_sim_on(mosquitto.url, vehicle_id)
    harness = hmi_on(mosquitto.url, vehicle_id)
    store, table, link = harness.hmi.store, harness.hmi.table, harness.models.link
    advance_until(lambda: table.live_float(SPEED) == 0.0, 5, "the simulator's speed")
    keyless = VehicleInjector(mosquitto.url, vehicle_id, client_id=f"f-{vehicle_id}",
                              epoch=sim.node.epoch + 10**9).start()
    wrong = VehicleInjector(mosquitto.url, vehicle_id, client_id=f"w-{vehicle_id}").start()
    wrong.sealer = Sealer(b"a key the attacker guessed, wrong", vehicle_id)
    other = VehicleInjector(mosquitto.url, vehicle_id, client_id=f"o-{vehicle_id}").start()
    other.sealer = development_key().sealer(vehicle_id + "-other")  # another car's frame
    try:
        topic = sim.node.topics.state("drive")
        huge = msgpack.unpackb(keyless.state_payload("drive", {SPEED: 30.0}, seq=2**63 - 1),
                               strict_map_key=False)
        huge["mac"] = b"\0" * 16
        unsigned = dict(huge)
        del unsigned["mac"]
        forged = {"huge seq, forged MAC": msgpack.packb(huge),
                  "unsigned": msgpack.packb(unsigned),
                  "wrong key": wrong.state_payload("drive", {SPEED: 30.0}),
                  "signed for another vehicle": other.state_payload("drive", {SPEED: 30.0})}
        for payload in forged.values():
            keyless.raw(topic, payload, retain=True)
        advance_until(lambda: store.counters().unauthenticated >= len(forged), 3, "refusals")
        received = table.received_at(SPEED)
        advance_until(lambda: table.received_at(SPEED) > received, 3, "the real vehicle goes on")
        for _ in range(30):
            advance_until(lambda: True)
            assert table.live_float(SPEED) == 0.0 and table.state(SPEED).fresh
        counters = store.counters()
        assert counters.unauthenticated == len(forged) and counters.out_of_order == 0
        advance_until(lambda: link.forged_text == str(len(forged))
                      and "MAC" in link.last_reject_text, 2, "the diagnostics page")
        figure(f"forgery: {len(forged)} frames ({', '.join(forged)}) refused as not authentic; "
               f"the real speed kept showing")
    finally:
        for injector in (keyless, wrong, other):
            injector.close()


@pytest.mark.timeout(90)
def test_commands_in_flight_across_a_broker_restart_each_end_visibly(
        private_mosquitto, vehicle_id, hmi_on, parked_sim_on) -> None:
    """100 commands sent through the HMI's tracker, the broker killed under them and started
    again: each ends completed or refused with a reason, and none the vehicle applied is shown
    as refused."""
    broker = private_mosquitto
    sim = parked_sim_on(broker.url, vehicle_id)
    applied: collections.Counter[str] = collections.Counter()
    execute = sim.node.vehicle.execute

    def audited(command):
        applied[command.rid] += 1
        return execute(command)

    sim.node.vehicle.execute = audited
    harness = hmi_on(broker.url, vehicle_id)
    tracker, link = harness.hmi.commands, harness.hmi.link
    advance_until(lambda: harness.models.link.vehicle_online and tracker.reachable is not None
                  and tracker.reachable(), 5, "the simulator, live")
    slots = [f"audit-{i}" for i in range(100)]
    rids = [tracker.send("set_charge_limit", {"percent": 50 + i % 51}, time.monotonic(),
                         slot=slot).rid for i, slot in enumerate(slots)]
    broker.kill()
    broker.start()
    advance_until(lambda: link.tracked_commands == 0, 30, "every command followed to its end")
    settle(5)
    ends = {rid: tracker.latest(slot) for rid, slot in zip(rids, slots, strict=True)}
    outcomes = collections.Counter(f"{t.phase.value}:{t.reason or ''}" for t in ends.values())
    assert all(not t.open for t in ends.values()), outcomes
    applied_but_refused = [rid for rid, t in ends.items()
                           if applied[rid] and t.phase.value != "completed"]
    assert applied_but_refused == [], outcomes
    assert all(n == 1 for n in applied.values())
    assert all(t.phase.value == "completed" or t.reason for t in ends.values())
    figure(f"commands across a broker restart: 100 sent, {sum(1 for r in rids if applied[r])} "
           f"applied, outcomes {dict(outcomes)}; none applied without the screen saying so")
    assert ResultStatus.COMPLETED.value in " ".join(outcomes)
