"""100,000 random and mutated payloads (CI; a million in the soak) on every topic the HMI and the
simulator subscribe to, through a real Mosquitto: msgpack bombs, oversize payloads, wrong types,
NaN/inf, out-of-range values, unknown ids and names, non-ASCII topics, forged MACs. Both stay alive
and serving, memory stays bounded, and every refusal is counted (the HMI's shows on its
diagnostics page) exactly as the protocol's rules predict."""

from __future__ import annotations

import json
import logging
import subprocess
import sys
import time

import pytest

from tests.reliability.conftest import ROOT, advance_until, figure, soak
from tests.reliability.test_flood import rss_mb


@pytest.mark.timeout(soak(120, 1200))
def test_fuzz_every_subscribed_topic(mosquitto, vehicle_id, hmi_on, parked_sim_on,
                                     caplog) -> None:
    from kivy.base import EventLoop

    # The product logs at INFO (`--log-level`): keep pytest from holding 100k DEBUG records,
    # which would be the test's memory, not the HMI's.
    caplog.set_level(logging.INFO, logger="hmi.link")
    sim = parked_sim_on(mosquitto.url, vehicle_id)
    harness = hmi_on(mosquitto.url, vehicle_id)
    store, link = harness.hmi.store, harness.models.link
    advance_until(lambda: link.vehicle_online, 5, "the simulator")
    count = soak(100_000, 1_000_000)
    rss_before = rss_mb()
    started = time.monotonic()
    fuzzer = subprocess.Popen([sys.executable, "-m", "tests.reliability.fuzz", mosquitto.url,
                               vehicle_id, str(count), "20261126"], cwd=ROOT,
                              stdout=subprocess.PIPE, text=True)
    rss_peak = rss_before
    try:
        while fuzzer.poll() is None:
            EventLoop.idle()
            rss_peak = max(rss_peak, rss_mb())
        expected = json.loads(fuzzer.stdout.read())
    finally:
        fuzzer.kill()
    counters = sim.node.counters
    advance_until(lambda: store.counters().refused >= expected["hmi_refused"]
                  and counters.malformed + counters.unauthorised
                  >= expected["sim_malformed"] + expected["sim_unauthorised"], 20, "all refusals")
    advance_until(lambda: True)
    elapsed = time.monotonic() - started
    hmi = store.counters()
    assert expected["sent"] == count and expected["sim_valid"] == 0
    assert hmi.rejected + hmi.unauthenticated == expected["hmi_refused"]
    assert hmi.out_of_order == 0 and hmi.unauthenticated > 0  # nothing forged got that far
    assert (counters.malformed, counters.unauthorised) == (expected["sim_malformed"],
                                                           expected["sim_unauthorised"])
    assert counters.commands == 0  # nothing the fuzzer sent was executed
    # Visible on the diagnostics page, with the last reason.
    advance_until(lambda: link.rejected_text == str(hmi.refused)
                  and link.forged_text == str(hmi.unauthenticated), 2, "diagnostics")
    # Both still alive and serving: a genuine command goes through the HMI and is completed.
    assert sim.thread.is_alive() and link.broker_connected
    tracker = harness.hmi.commands
    tracker.send("set_charge_limit", {"percent": 77}, time.monotonic())
    advance_until(lambda: tracker.latest("set_charge_limit").phase.value == "completed", 5,
                  "a genuine command after the fuzz")
    growth = rss_peak - rss_before
    figure(f"fuzz: {expected['sent']} payloads in {elapsed:.1f} s ({expected['bombs']} msgpack "
           f"bombs, {expected['oversize']} oversize); HMI refused {hmi.rejected} malformed + "
           f"{hmi.unauthenticated} unauthenticated (= oracle), "
           f"accepted {expected['hmi_accepted']}; simulator refused {counters.malformed} "
           f"malformed + {counters.unauthorised} unauthorised (= oracle), executed 0; "
           f"RSS {rss_before:.0f} -> peak {rss_peak:.0f} MB; last HMI reason: "
           f"{hmi.last_reject_reason[:80]!r}")
    assert growth < 48


def _mqtt_packet(kind: int, body: bytes) -> bytes:
    length, encoded = len(body), bytearray()
    while True:
        byte, length = length % 128, length // 128
        encoded.append(byte | (0x80 if length else 0))
        if not length:
            return bytes([kind]) + bytes(encoded) + body


def test_invalid_utf8_topics_never_reach_the_programs(mosquitto, vehicle_id, parked_sim_on,
                                                      hmi_on) -> None:
    """MQTT requires UTF-8 topics: Mosquitto drops a client that publishes another one, so such a
    topic never reaches the HMI or the simulator; should one arrive anyway, the transport drops
    it (MqttTransport._handle_message) instead of raising on the network thread."""
    import socket

    sim = parked_sim_on(mosquitto.url, vehicle_id)
    harness = hmi_on(mosquitto.url, vehicle_id)
    store = harness.hmi.store
    port = int(mosquitto.url.rsplit(":", 1)[1])
    dropped = 0
    for topic in (f"ema/v1/{vehicle_id}/state/".encode() + b"\xff\xfe",
                  f"ema/v1/{vehicle_id}/cmd/".encode() + b"\xc3\x28",
                  f"ema/v1/{vehicle_id}/status".encode() + b"\xed\xa0\x80"):
        with socket.create_connection(("127.0.0.1", port), timeout=2) as raw:
            raw.sendall(_mqtt_packet(0x10, b"\x00\x04MQTT\x04\x02\x00\x3c\x00\x02zz"))
            assert raw.recv(4)[:1] == b"\x20"  # CONNACK
            raw.sendall(_mqtt_packet(0x30, len(topic).to_bytes(2, "big") + topic + b"\x80"))
            try:
                dropped += raw.recv(1) == b""  # the broker closes the connection
            except ConnectionResetError:
                dropped += 1
    advance_until(lambda: True)
    assert dropped == 3
    assert store.counters().rejected == 0 and sim.node.counters.malformed == 0
    # The transport's own guard, for a broker that would forward one.
    transport = harness.hmi.link.transport
    class BadTopic:
        payload, qos, retain = b"\x80", 0, False

        @property
        def topic(self) -> str:
            return b"\xff".decode("utf-8")  # what paho raises for a non-UTF-8 topic

    transport._handle_message(None, None, BadTopic())
    assert sim.thread.is_alive() and harness.models.link.broker_connected
    figure("invalid UTF-8 topics: 3 of 3 publishers disconnected by Mosquitto; nothing reached "
           "the HMI or the simulator")
