"""`ema-replay` and the Player on a real broker: flags, windows, speed, loops, cuts, timing."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

from protocols import parse_broker_url
from protocols.tools import Mqtt5ToolTransport, Player, Record, rename_vehicle
from protocols.tools.recording import encode_record
from protocols.tools.replay_cli import main as replay_main

from .conftest import paced_records, write_recording


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
    transport = Mqtt5ToolTransport(parse_broker_url(mosquitto.url))
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
