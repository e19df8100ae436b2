"""`ema-replay` and the Player on a real broker: flags, windows, speed, loops, cuts, timing."""

from __future__ import annotations

import math
import time
from pathlib import Path

import msgpack
import pytest

from hmi.testbench import Player, Record, Restamper, rename_vehicle, tool_transport
from hmi.testbench.inject_session import invalid_payload
from hmi.testbench.recording import encode_record
from hmi.testbench.replay_cli import main as replay_main
from hmi.testbench.restamp import NOT_AUTHENTIC, NOT_V2, NOT_VEHICLE
from protocols import Codec, Command, CommandResult, ResultStatus
from protocols.auth import CommandKey, CommandSigner, development_key
from protocols.bus import parse_broker_url
from protocols.errors import AuthenticationError, DecodeError

from .conftest import paced_records, write_recording

CODEC = Codec()
DEV = development_key()
OLD_EPOCH = 1_700_000_000_000_000  # a recorded session, long ago
OLD_TS = OLD_EPOCH + 1_000_000


def recorded_session(vehicle: str, key: CommandKey = DEV) -> list[Record]:
    """What a vehicle of an old session published, sealed with `key`, and a command to it."""
    sealer, base = key.sealer(vehicle), f"ema/v1/{vehicle}"
    frames = [CODEC.encode_state("drive", {"Vehicle.Speed": 3.0 + i}, 100 + i, OLD_TS + i,
                                 epoch=OLD_EPOCH, sealer=sealer) for i in range(3)]
    result = CommandResult("r-1", "set_ride_height", ResultStatus.ACCEPTED, seq=104,
                           ts_us=OLD_TS + 4, epoch=OLD_EPOCH)
    command = CommandSigner(key, vehicle).sign(
        Command("set_ride_height", "r-1", {"level": "NORMAL"}))
    return [Record(0, f"{base}/status", CODEC.encode_status(True, 99, OLD_TS, epoch=OLD_EPOCH,
                                                            sealer=sealer), 1, True),
            *(Record(10_000 * (i + 1), f"{base}/state/drive", frame, 0, True)
              for i, frame in enumerate(frames)),
            Record(40_000, f"{base}/cmd/set_ride_height", CODEC.encode_command(command), 1),
            Record(50_000, f"{base}/result", CODEC.encode_result(result, sealer=sealer), 1)]


def replay(mosquitto, path: Path, *flags: str) -> int:
    return replay_main([str(path), "--broker", mosquitto.url, *flags])


def payloads(arrivals) -> list[bytes]:
    return [a.message.payload for a in arrivals]


def test_rename_rewrites_only_the_vehicle_level() -> None:
    assert rename_vehicle("ema/v1/ema-01/state/drive", "copy") == "ema/v1/copy/state/drive"
    assert rename_vehicle("ema/v1/ema-01/status", "copy") == "ema/v1/copy/status"
    assert rename_vehicle("lab/ema/v1/x", "copy") == "lab/ema/v1/x"


def test_replay_keeps_retain_flags_and_qos(tmp_path, mosquitto, subscribe, vehicle_id) -> None:
    base = f"ema/v1/{vehicle_id}"
    path = write_recording(tmp_path / "r.emarec", [
        Record(0, f"{base}/result", b"q2", 2, False), Record(10_000, f"{base}/result", b"q1", 1),
        Record(20_000, f"{base}/result", b"q0", 0), Record(30_000, f"{base}/status", b"r", 1, True),
    ])
    live = subscribe(f"{base}/#")
    assert replay(mosquitto, path) == 0
    # MQTT orders messages only within one QoS level: compare as a set.
    got = {(a.message.payload, a.message.qos, a.message.retain) for a in live.collect(4)}
    assert got == {(b"q2", 2, False), (b"q1", 1, False), (b"q0", 0, False), (b"r", 1, True)}
    late = subscribe(f"{base}/#")
    assert [(a.message.payload, a.message.retain) for a in late.collect(1)] == [(b"r", True)]


def test_vehicle_rename_publishes_under_the_new_id(tmp_path, mosquitto, subscribe,
                                                   vehicle_id) -> None:
    path = write_recording(tmp_path / "r.emarec",
                           paced_records(f"ema/v1/{vehicle_id}/result", 2, 0.01))
    renamed = subscribe(f"ema/v1/{vehicle_id}-r/#")
    original = subscribe(f"ema/v1/{vehicle_id}/#")
    assert replay(mosquitto, path, "--vehicle-rename", f"{vehicle_id}-r") == 0
    assert payloads(renamed.collect(2)) == [b"0", b"1"]
    assert original.collect(quiet_s=0.2) == []


def test_from_and_to_select_a_window(tmp_path, mosquitto, subscribe, vehicle_id) -> None:
    topic = f"ema/v1/{vehicle_id}/result"
    path = write_recording(tmp_path / "r.emarec", paced_records(topic, 13, 0.25))  # 0 .. 3 s
    live = subscribe(topic)
    assert replay(mosquitto, path, "--from", "1", "--to", "2", "--speed", "20") == 0
    assert payloads(live.collect(quiet_s=0.3)) == [b"4", b"5", b"6", b"7", b"8"]


def test_speed_ten_takes_about_a_tenth_of_the_time(tmp_path, mosquitto, subscribe,
                                                   vehicle_id) -> None:
    topic = f"ema/v1/{vehicle_id}/result"
    path = write_recording(tmp_path / "r.emarec", paced_records(topic, 11, 0.2))  # 2.0 s
    live = subscribe(topic)
    assert replay(mosquitto, path, "--speed", "10") == 0
    arrivals = live.collect(11)
    assert len(arrivals) == 11
    span_s = arrivals[-1].at_s - arrivals[0].at_s
    assert 0.1 < span_s < 0.5 * 2.0  # about 0.2 s: faster, yet still paced


def test_loop_plays_the_recording_again_until_stopped(tmp_path, mosquitto, subscribe,
                                                      vehicle_id, capsys) -> None:
    topic = f"ema/v1/{vehicle_id}/result"
    path = write_recording(tmp_path / "r.emarec", paced_records(topic, 3, 0.05))  # 0.1 s span
    live = subscribe(topic)
    assert replay(mosquitto, path, "--loop", "--duration", "0.7") == 0
    got = payloads(live.collect(quiet_s=0.3))
    assert len(got) >= 9
    assert got[:9] == [b"0", b"1", b"2"] * 3
    assert " passes)" in capsys.readouterr().out


def test_a_truncated_recording_replays_up_to_the_cut(tmp_path, mosquitto, subscribe,
                                                     vehicle_id, capsys) -> None:
    topic = f"ema/v1/{vehicle_id}/result"
    records = paced_records(topic, 10, 0.01)
    path = write_recording(tmp_path / "r.emarec", records)
    data = path.read_bytes()
    tail = sum(len(encode_record(r)) for r in records[6:])
    cut_at = len(data) - tail
    path.write_bytes(data[:cut_at + 9])  # in the middle of the seventh record's head
    live = subscribe(topic)
    assert replay(mosquitto, path) == 0
    assert payloads(live.collect(quiet_s=0.3)) == [str(i).encode() for i in range(6)]
    assert f"recording truncated at byte {cut_at}" in capsys.readouterr().out


def test_player_reports_lateness_for_every_message(mosquitto, vehicle_id) -> None:
    transport = tool_transport(parse_broker_url(mosquitto.url))
    transport.start()
    assert transport.wait_connected(5)
    try:
        summary = Player(transport).play(paced_records(f"ema/v1/{vehicle_id}/result", 40, 0.01))
    finally:
        transport.close()
    assert summary.messages == len(summary.lateness_s) == 40
    assert all(math.isfinite(late) and late >= 0 for late in summary.lateness_s)
    assert 0 <= summary.lateness_p50_s <= summary.lateness_p99_s <= summary.lateness_max_s < 1.0


def test_replay_summary_prints_the_timing_error(tmp_path, mosquitto, vehicle_id,
                                                capsys) -> None:
    path = write_recording(tmp_path / "r.emarec",
                           paced_records(f"ema/v1/{vehicle_id}/result", 5, 0.02))
    assert replay(mosquitto, path) == 0
    out = capsys.readouterr().out
    assert "replayed 5 messages in " in out
    p99_ms = float(out.split("p99 ")[1].split(" ms")[0])
    assert math.isfinite(p99_ms) and p99_ms >= 0


def test_replay_refuses_a_file_that_is_no_recording(tmp_path, mosquitto, capsys) -> None:
    path = tmp_path / "notes.txt"
    path.write_text("hello\n")
    assert replay(mosquitto, path) == 2
    assert "not an EMA recording" in capsys.readouterr().err


@pytest.mark.parametrize("flags", [["--speed", "0"], ["--from", "2", "--to", "1"]])
def test_replay_refuses_nonsense_options(tmp_path, mosquitto, flags) -> None:
    path = write_recording(tmp_path / "r.emarec", [])
    with pytest.raises(SystemExit) as exit_info:
        replay(mosquitto, path, *flags)
    assert exit_info.value.code == 2


def test_a_corrupt_recording_replays_up_to_the_damage_and_fails(tmp_path, mosquitto, subscribe,
                                                                vehicle_id, capsys) -> None:
    topic = f"ema/v1/{vehicle_id}/result"
    path = write_recording(tmp_path / "r.emarec", paced_records(topic, 3, 0.01))
    with open(path, "ab") as handle:
        handle.write(b"\xff" * 40)  # a record head with absurd lengths
    live = subscribe(topic)
    assert replay(mosquitto, path) == 1
    assert payloads(live.collect(quiet_s=0.3)) == [b"0", b"1", b"2"]
    assert "recording damaged: corrupt record at byte" in capsys.readouterr().out


# --- re-sealing: the replay speaks as a new session of the vehicle ------------------------------
def test_restamper_reseals_as_one_new_session_with_the_content_as_recorded() -> None:
    records = recorded_session("old-id")
    restamper = Restamper(DEV)
    before_us = time.time_ns() // 1000
    sent = [restamper(r, rename_vehicle(r.topic, "new-id")) for r in records]
    sealer = DEV.sealer("new-id")
    status = CODEC.decode_status(sent[0], sealer)
    frames = [CODEC.decode_state("drive", payload, sealer) for payload in sent[1:4]]
    result = CODEC.decode_result(sent[5], sealer)
    assert {status.epoch, result.epoch, *(f.epoch for f in frames)} == {restamper.epoch}
    assert restamper.epoch > OLD_EPOCH
    assert [status.seq, *(f.seq for f in frames), result.seq] == [1, 2, 3, 4, 5]
    assert all(abs(m.ts_us - before_us) < 2_000_000 for m in (status, *frames, result))
    assert [f.values["Vehicle.Speed"] for f in frames] == [3.0, 4.0, 5.0]
    assert (status.online, result.rid, result.status) == (True, "r-1", ResultStatus.ACCEPTED)
    assert sent[4] == records[4].payload, "a command is not the vehicle's to speak: as recorded"
    assert (restamper.restamped, dict(restamper.as_recorded)) == (5, {NOT_VEHICLE: 1})
    with pytest.raises(AuthenticationError):  # sealed for the id it is published under
        CODEC.decode_state("drive", sent[1], DEV.sealer("old-id"))


def test_restamper_keeps_a_broken_sensor_broken_and_a_forgery_forged() -> None:
    sealer = DEV.sealer("v")
    broken = invalid_payload("out_of_range", "drive", CODEC, 7, epoch=OLD_EPOCH, sealer=sealer,
                             ts_us=OLD_TS)
    forged = CODEC.encode_state("drive", {"Vehicle.Speed": 9.0}, 8, OLD_TS, epoch=OLD_EPOCH,
                                sealer=CommandKey(b"not the vehicle's key", False).sealer("v"))
    restamper = Restamper(DEV)
    resealed = restamper(Record(0, "ema/v1/v/state/drive", broken), "ema/v1/v/state/drive")
    with pytest.raises(DecodeError) as refused:
        CODEC.decode_state("drive", resealed, sealer)
    assert not isinstance(refused.value, AuthenticationError)
    assert "above the maximum" in refused.value.reason
    assert msgpack.unpackb(resealed, strict_map_key=False)["ep"] == restamper.epoch
    topic = "ema/v1/v/state/drive"
    assert restamper(Record(1, topic, forged), topic) == forged
    assert restamper(Record(2, topic, b"\xc1"), topic) == b"\xc1"
    assert restamper(Record(3, topic, b""), topic) == b""
    assert restamper.restamped == 1
    assert restamper.as_recorded[NOT_AUTHENTIC] == 1 and restamper.as_recorded[NOT_V2] == 1


def test_replay_reseals_recorded_vehicle_messages(tmp_path, mosquitto, subscribe, vehicle_id,
                                                  capsys) -> None:
    path = write_recording(tmp_path / "r.emarec", recorded_session(f"{vehicle_id}-rec"))
    live = subscribe(f"ema/v1/{vehicle_id}/#")
    assert replay(mosquitto, path, "--vehicle-rename", vehicle_id, "--loop",
                  "--duration", "0.25") == 0
    sealer = DEV.sealer(vehicle_id)
    arrived = [a.message for a in live.collect()]
    frames = [CODEC.decode_state("drive", m.payload, sealer) for m in arrived
              if m.topic.endswith("/state/drive")]
    assert len(frames) >= 6, "two passes at least"
    assert len({f.epoch for f in frames}) == 1 and frames[0].epoch > OLD_EPOCH
    assert [f.seq for f in frames] == sorted({f.seq for f in frames}), "rising, loops included"
    commands = sum("/cmd/" in m.topic for m in arrived)
    out = capsys.readouterr().out
    assert (f"re-sealed {len(arrived) - commands} vehicle messages as session epoch "
            f"{frames[0].epoch}") in out
    assert f"sent as recorded: {commands} {NOT_VEHICLE}" in out


def test_replay_reseals_with_the_key_it_is_given(tmp_path, mosquitto, subscribe,
                                                 vehicle_id, capsys) -> None:
    key_file = tmp_path / "vehicle.key"
    key_file.write_text("3c" * 32)
    key = CommandKey(bytes.fromhex("3c" * 32), False, "test")
    path = write_recording(tmp_path / "r.emarec", recorded_session(vehicle_id, key))
    live = subscribe(f"ema/v1/{vehicle_id}/state/drive")
    assert replay(mosquitto, path, "--command-key-file", str(key_file)) == 0
    frames = [CODEC.decode_state("drive", a.message.payload, key.sealer(vehicle_id))
              for a in live.collect(3)]
    assert [f.values["Vehicle.Speed"] for f in frames] == [3.0, 4.0, 5.0]
    capsys.readouterr()
    # the same recording replayed with the development key: it verifies nothing of it
    assert replay(mosquitto, path) == 0
    assert [a.message.payload for a in live.collect(3)] == [
        r.payload for r in recorded_session(vehicle_id, key)[1:4]]
    assert f"5 {NOT_AUTHENTIC}" in capsys.readouterr().out


def test_verbatim_sends_the_recorded_bytes(tmp_path, mosquitto, subscribe, vehicle_id,
                                           capsys) -> None:
    records = recorded_session(vehicle_id)
    path = write_recording(tmp_path / "r.emarec", records)
    live = subscribe(f"ema/v1/{vehicle_id}/state/drive")
    assert replay(mosquitto, path, "--verbatim") == 0
    assert [a.message.payload for a in live.collect(3)] == [r.payload for r in records[1:4]]
    assert "sent every message as recorded (--verbatim)" in capsys.readouterr().out
