"""`ema-record` and `ema-replay` on both brokers the project meets, within their --duration.

Mosquitto speaks MQTT 5, so the recorder keeps live retain flags; the demo's embedded amqtt speaks
only 3.1.1 (it refuses 5 with "Unsupported protocol version"), so the tools fall back to 3.1.1 and
the recorder says what that costs. Before: against amqtt the recorder retried MQTT 5 forever,
recorded nothing and ignored --duration, and the player gave up after 10 s as "cannot reach".

Wall-time bounds: each tool runs as a process and is timed from Popen to its exit, waited on with
`wait(timeout=...)` (the condition), never slept for. EXIT_BOUND_S is what may come on top of
--duration: the interpreter and its imports (about 0.5 s idle here, seconds on a loaded 2-core
CI machine) plus closing paho (at most its CLOSE_TIMEOUT_S of 3 s, normally milliseconds). The
bug it guards against is unbounded (the recorder never stopped), so a generous bound still tells.
"""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path

import pytest

from hmi.demo.broker import EmbeddedBroker
from hmi.testbench import Record, RecordReader, read_records
from protocols import Codec
from protocols.auth import development_key
from protocols.bus import parse_broker_url
from protocols.bus.mqtt import MqttTransport
from tests.support.wait import wait_until

from .conftest import REPO, start_recorder, tool_command, write_recording

EXIT_BOUND_S = 6.0
DURATION_S = 2.0
CODEC = Codec()
EPOCH = 1_790_000_000_000_000


@pytest.fixture(scope="module")
def amqtt_broker():
    """The demo's own embedded broker (amqtt, MQTT 3.1.1 only), as `ema-demo` starts it."""
    broker = EmbeddedBroker().start()
    yield broker
    broker.stop()


@pytest.fixture(params=["mosquitto", "amqtt"])
def broker_url(request) -> str:
    return request.getfixturevalue("mosquitto" if request.param == "mosquitto"
                                   else "amqtt_broker").url


def publisher(url: str) -> MqttTransport:
    """An ordinary MQTT 3.1.1 client, as the vehicle uses."""
    transport = MqttTransport(parse_broker_url(url))
    transport.start()
    assert transport.wait_connected(5)
    return transport


def drive_frame(seq: int, vehicle: str) -> bytes:
    return CODEC.encode_state("drive", {"Vehicle.Speed": 12.5}, seq=seq, ts_us=EPOCH + seq,
                              epoch=EPOCH, sealer=development_key().sealer(vehicle))


def dead_port() -> int:
    """A loopback port nothing listens on (bound, then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def run_timed(args: list[str], duration_s: float) -> tuple[subprocess.CompletedProcess, float]:
    began = time.monotonic()
    process = subprocess.Popen(args, cwd=REPO, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                               text=True)
    try:
        out, err = process.communicate(timeout=duration_s + EXIT_BOUND_S)
    except subprocess.TimeoutExpired:
        process.kill()
        out, err = process.communicate()
        raise AssertionError(f"still running {duration_s + EXIT_BOUND_S:g} s after its start "
                             f"(--duration {duration_s:g}): {err[-2000:]}") from None
    return subprocess.CompletedProcess(args, process.returncode, out, err), \
        time.monotonic() - began


def test_recorder_records_frames_from_either_broker(tmp_path, broker_url, vehicle_id) -> None:
    """A frame retained before the start and live frames during it, from Mosquitto and amqtt."""
    base = f"ema/v1/{vehicle_id}"
    vehicle = publisher(broker_url)
    try:
        vehicle.publish(f"{base}/state/drive", drive_frame(1, vehicle_id), qos=1, retain=True)
        assert vehicle.drain(5)
        path = tmp_path / "r.emarec"
        began = time.monotonic()
        recorder = start_recorder("-o", str(path), "--broker", broker_url, "--vehicle",
                                  vehicle_id, "--duration", str(DURATION_S))
        for seq in (2, 3):
            vehicle.publish(f"{base}/state/drive", drive_frame(seq, vehicle_id), qos=1,
                            retain=True)
        _, stderr = recorder.communicate(timeout=DURATION_S + EXIT_BOUND_S)
        elapsed_s = time.monotonic() - began
    finally:
        vehicle.close()
    assert recorder.returncode == 0, stderr
    assert elapsed_s < DURATION_S + EXIT_BOUND_S
    all_records = read_records(path)
    foreign = [(r.topic, r.payload) for r in all_records if r.topic != f"{base}/state/drive"]
    assert not foreign, f"recorded what it did not subscribe to: {foreign!r}"
    records = [(r.payload, r.retain) for r in all_records]
    frames = [drive_frame(s, vehicle_id) for s in (1, 2, 3)]
    with RecordReader(path) as reader:
        header = reader.header
    assert records[0] == (frames[0], True), "sent on subscribe: keeps its retain flag"
    live_retain = header.mqtt == "5"   # 3.1.1: the broker clears it on live messages
    assert header.mqtt in ("5", "3.1.1")
    if header.mqtt == "5":
        assert records == [(frames[0], True), (frames[1], True), (frames[2], True)]
    else:
        # amqtt now and then sends a retained copy again (twice on subscribe, or the newest
        # one after the live ones): the recorder records what the broker sent, duplicates too.
        live = [record for record in records if record[1] is live_retain]
        assert live == [(frames[1], False), (frames[2], False)]
        assert {payload for payload, _ in records} == set(frames)


def test_recorder_uses_mqtt5_on_mosquitto_and_311_on_amqtt(tmp_path, mosquitto, amqtt_broker,
                                                           vehicle_id) -> None:
    """And says what 3.1.1 costs, on stderr and in `--print`'s header line."""
    versions, warned = {}, {}
    for name, url in (("mosquitto", mosquitto.url), ("amqtt", amqtt_broker.url)):
        path = tmp_path / f"{name}.emarec"
        result, _ = run_timed(tool_command("record_cli", "-o", str(path), "--broker", url,
                                           "--vehicle", vehicle_id, "--duration", "1"), 1.0)
        assert result.returncode == 0, result.stderr
        with RecordReader(path) as reader:
            versions[name] = reader.header.mqtt
        warned[name] = "does not speak MQTT 5" in result.stderr and \
            "clears the retain flag" in result.stderr
    assert versions == {"mosquitto": "5", "amqtt": "3.1.1"}
    assert warned == {"mosquitto": False, "amqtt": True}
    printed = subprocess.run(tool_command("record_cli", "--print", str(tmp_path / "amqtt.emarec")),
                             cwd=REPO, capture_output=True, text=True, timeout=30)
    assert "over MQTT 3.1.1 (retain flags only on what the broker sent on subscribe)" in \
        printed.stdout.splitlines()[0]


@pytest.mark.parametrize("duration_s", [0.5, DURATION_S])
def test_recorder_on_amqtt_exits_within_its_duration(tmp_path, amqtt_broker, vehicle_id,
                                                     duration_s) -> None:
    result, elapsed_s = run_timed(
        tool_command("record_cli", "-o", str(tmp_path / "r.emarec"), "--broker",
                     amqtt_broker.url, "--vehicle", vehicle_id, "--duration", str(duration_s)),
        duration_s)
    assert result.returncode == 0, result.stderr
    assert duration_s <= elapsed_s < duration_s + EXIT_BOUND_S


def test_recorder_that_reaches_no_broker_fails_within_its_duration(tmp_path) -> None:
    path = tmp_path / "r.emarec"
    result, elapsed_s = run_timed(
        tool_command("record_cli", "-o", str(path), "--broker", f"mqtt://127.0.0.1:{dead_port()}",
                     "--duration", str(DURATION_S)), DURATION_S)
    assert result.returncode == 2
    assert "could not reach the broker" in result.stderr
    assert "recorded nothing" in result.stderr
    assert elapsed_s < DURATION_S + EXIT_BOUND_S
    assert not path.exists(), "no file that looks like a recording of nothing"


def test_player_replays_onto_amqtt_keeping_retain_flags(tmp_path, amqtt_broker,
                                                        vehicle_id) -> None:
    """ema-replay over 3.1.1: a subscriber arriving later finds the replayed frame retained."""
    topic = f"ema/v1/{vehicle_id}/state/drive"
    path = write_recording(tmp_path / "r.emarec",
                           [Record(0, topic, drive_frame(1, vehicle_id), 1, True)])
    result, _ = run_timed(tool_command("replay_cli", str(path), "--broker", amqtt_broker.url,
                                       "--verbatim", "--duration", str(DURATION_S)), DURATION_S)
    assert result.returncode == 0, result.stderr
    assert "replayed 1 messages" in result.stdout
    later = MqttTransport(parse_broker_url(amqtt_broker.url))
    got: list = []
    later.add_listener(got.append, topic)   # amqtt also sends other topics' retained copies
    later.subscribe(topic, qos=1)
    later.start()
    try:
        assert later.wait_subscribed(5)
        wait_until(lambda: got, 5, "the retained frame")
    finally:
        later.close()
    # (amqtt sometimes sends a retained copy twice on subscribe: each is the replayed frame)
    assert {(m.payload, m.retain) for m in got} == {(drive_frame(1, vehicle_id), True)}, \
        [CODEC.decode_state("drive", m.payload, development_key().sealer(vehicle_id)).seq
         if m.payload == drive_frame(1, vehicle_id) else m.payload.hex() for m in got]


def test_player_that_reaches_no_broker_fails_within_its_duration(tmp_path) -> None:
    path = write_recording(tmp_path / "r.emarec", [Record(0, "ema/v1/x/status", b"", 1, True)])
    result, elapsed_s = run_timed(
        tool_command("replay_cli", str(path), "--broker", f"mqtt://127.0.0.1:{dead_port()}",
                     "--duration", "1"), 1.0)
    assert result.returncode == 2
    assert "could not reach the broker" in result.stderr
    assert elapsed_s < 1.0 + EXIT_BOUND_S


def test_injector_speaks_to_amqtt(tmp_path: Path, amqtt_broker, vehicle_id) -> None:
    """ema-inject speaks the product's 3.1.1, so it needs no fallback: checked, not assumed."""
    script = tmp_path / "s.toml"
    script.write_text('name = "on amqtt"\nrequire_hmi = false\n[[steps]]\nvehicle = "online"\n'
                      '[[steps]]\npublish = { signals = { "Vehicle.Speed" = 3.0 } }\n')
    result, _ = run_timed(tool_command("inject_cli", str(script), "--broker", amqtt_broker.url,
                                       "--vehicle", vehicle_id, "--progress", "never"), 5.0)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASSED" in result.stdout or "passed" in result.stdout
