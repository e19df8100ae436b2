"""`ema-record`: recording from a real broker, stopping, and printing a recording decoded."""

from __future__ import annotations

import signal
from pathlib import Path

import pytest

from hmi.testbench import Record, read_records
from hmi.testbench.record_cli import main as record_main
from hmi.testbench.recording import RecordingError, encode_record
from protocols import Codec, Command, CommandResult, ResultStatus
from protocols.auth import CommandKey, CommandSigner, development_key
from protocols.bus import parse_broker_url
from protocols.bus.mqtt import MqttTransport
from tests.support.wait import wait_until

from .conftest import start_recorder, write_recording

CODEC = Codec()
EPOCH = 1_790_000_000_000_000
SEALER = development_key().sealer("ema-01")  # what --print verifies with, given no key file
SIGNER = CommandSigner(development_key(), "ema-01")


@pytest.fixture
def publisher(mosquitto):
    """An ordinary MQTT 3.1.1 client, as the vehicle and the HMI use."""
    transport = MqttTransport(parse_broker_url(mosquitto.url))
    transport.start()
    assert transport.wait_connected(5)
    yield transport
    transport.close()


def print_lines(path: Path, capsys: pytest.CaptureFixture[str], *flags: str) -> list[str]:
    assert record_main(["--print", str(path), *flags]) == 0
    return capsys.readouterr().out.splitlines()


def drive_frame(sealer=SEALER) -> bytes:
    return CODEC.encode_state("drive", {"Vehicle.Speed": 12.5,
                                        "Vehicle.Powertrain.Transmission.SelectedGear": "D",
                                        "Vehicle.Ema.Energy.Consumption.Instant": None}, seq=7,
                              ts_us=EPOCH + 5, epoch=EPOCH, sealer=sealer)


def test_print_shows_state_signals_with_path_value_and_unit(tmp_path, capsys) -> None:
    path = write_recording(tmp_path / "r.emarec",
                           [Record(250_000, "ema/v1/ema-01/state/drive", drive_frame(), 0, True)])
    lines = [line.strip() for line in print_lines(path, capsys)]
    assert "Vehicle.Speed = 12.5 m/s" in lines
    assert "Vehicle.Powertrain.Transmission.SelectedGear = D" in lines
    assert "Vehicle.Ema.Energy.Consumption.Instant = n/a" in lines
    assert f"state drive ep={EPOCH} seq=7 ts={EPOCH + 5}" in lines
    assert any(line.startswith("0.250000 ema/v1/ema-01/state/drive [q0 R]") for line in lines)


def test_print_shows_status_command_and_result(tmp_path, capsys) -> None:
    command = SIGNER.sign(Command("set_terrain_program", "r-1", {"program": "SAND"}, seq=3))
    result = CommandResult("r-1", "set_terrain_program", ResultStatus.REJECTED,
                           "not_available", "too fast", seq=4, epoch=EPOCH)
    path = write_recording(tmp_path / "r.emarec", [
        Record(0, "ema/v1/ema-01/status",
               CODEC.encode_status(True, seq=1, epoch=EPOCH, sealer=SEALER), 1, True),
        Record(1, "ema/v1/ema-01/cmd/set_terrain_program", CODEC.encode_command(command), 1),
        Record(2, "ema/v1/ema-01/result", CODEC.encode_result(result, sealer=SEALER), 1),
    ])
    text = "\n".join(print_lines(path, capsys))
    assert f"status online=true ep={EPOCH} seq=1" in text
    assert "command set_terrain_program rid=r-1 args(program=SAND)" in text
    assert ("result set_terrain_program rid=r-1 rejected reason=not_available text='too fast' "
            f"ep={EPOCH} seq=4" in text)


def test_print_shows_what_does_not_verify_as_refused(tmp_path, capsys) -> None:
    """Sealed for another vehicle, with another key, unsigned: each shown as not authentic."""
    other_key = CommandKey(b"another vehicle key!" * 2, False, "test")
    unsigned = Command("set_terrain_program", "r-2", {"program": "SAND"}, seq=3)
    path = write_recording(tmp_path / "r.emarec", [
        Record(0, "ema/v1/ema-02/state/drive", drive_frame(), 0, True),
        Record(1, "ema/v1/ema-01/state/drive", drive_frame(other_key.sealer("ema-01")), 0, True),
        Record(2, "ema/v1/ema-01/cmd/set_terrain_program", CODEC.encode_command(unsigned), 1),
        Record(3, "ema/v1/ema-01/cmd/set_terrain_program",
               CODEC.encode_command(CommandSigner(other_key, "ema-01").sign(unsigned)), 1),
    ])
    text = "\n".join(print_lines(path, capsys))
    assert "Vehicle.Speed" not in text and "args(" not in text
    assert text.count("undecodable: AuthenticationError: MAC does not verify for vehicle") == 2
    assert "undecodable: AuthenticationError: the command is unsigned" in text
    assert "undecodable: AuthenticationError: command MAC does not verify" in text
    assert text.count("hex: ") == 4


def test_print_verifies_with_the_key_it_is_given(tmp_path, capsys) -> None:
    key_file = tmp_path / "vehicle.key"
    key_file.write_text("77" * 32)
    key = CommandKey(bytes.fromhex("77" * 32), False, "test")
    path = write_recording(tmp_path / "r.emarec", [
        Record(0, "ema/v1/ema-01/state/drive", drive_frame(key.sealer("ema-01")), 0, True)])
    lines = [line.strip() for line in print_lines(path, capsys, "--command-key-file",
                                                  str(key_file))]
    assert "Vehicle.Speed = 12.5 m/s" in lines
    assert any("AuthenticationError" in line for line in print_lines(path, capsys))


def test_print_shows_undecodable_payload_as_hex_with_the_reason(tmp_path, capsys) -> None:
    path = write_recording(tmp_path / "r.emarec",
                           [Record(0, "ema/v1/ema-01/state/drive", b"\x93\x01\x02\x03", 0, True)])
    text = "\n".join(print_lines(path, capsys))
    assert "undecodable: DecodeError: not valid msgpack" in text
    assert "hex: 93 01 02 03" in text


def test_print_reports_where_a_recording_is_cut(tmp_path, capsys) -> None:
    records = [Record(i, "ema/v1/ema-01/status",
                      CODEC.encode_status(True, seq=i, epoch=EPOCH, sealer=SEALER), 1, True)
               for i in range(3)]
    path = write_recording(tmp_path / "r.emarec", records)
    data = path.read_bytes()
    path.write_bytes(data[:-5])
    cut_at = len(data) - len(encode_record(records[-1]))
    lines = print_lines(path, capsys)
    assert f"# truncated at byte {cut_at}: the last record is incomplete" in lines
    assert "# 2 messages over 0.000 s" in lines


def test_recorder_keeps_live_retain_flags_and_qos(tmp_path, publisher, vehicle_id) -> None:
    """Under MQTT 3.1.1 a broker clears the retain flag of live messages; ours must not lose it."""
    path = tmp_path / "r.emarec"
    recorder = start_recorder("-o", str(path), "--broker", publisher.settings.url,
                              "--vehicle", vehicle_id, "--duration", "1.0")
    base = f"ema/v1/{vehicle_id}"
    publisher.publish(f"{base}/state/drive", b"frame", qos=0, retain=True)
    publisher.publish(f"{base}/result", b"answer", qos=1)
    publisher.publish(f"{base}/status", b"", qos=1, retain=True)  # clears the retained frame
    publisher.publish(f"{base}/state/drive", b"", qos=0, retain=True)
    assert recorder.wait(10) == 0
    assert [(r.topic, r.payload, r.qos, r.retain) for r in read_records(path)] == [
        (f"{base}/state/drive", b"frame", 0, True), (f"{base}/result", b"answer", 1, False),
        (f"{base}/status", b"", 1, True), (f"{base}/state/drive", b"", 0, True)]


def test_recorder_keeps_to_its_vehicle_by_default(tmp_path, publisher, vehicle_id) -> None:
    path = tmp_path / "r.emarec"
    recorder = start_recorder("-o", str(path), "--broker", publisher.settings.url,
                              "--vehicle", vehicle_id, "--duration", "0.5")
    publisher.publish(f"ema/v1/{vehicle_id}-other/result", b"not mine", qos=1)
    publisher.publish(f"ema/v1/{vehicle_id}/result", b"mine", qos=1)
    assert recorder.wait(10) == 0
    assert [r.payload for r in read_records(path)] == [b"mine"]


def test_all_vehicles_records_every_vehicle(tmp_path, publisher, vehicle_id) -> None:
    path = tmp_path / "r.emarec"
    recorder = start_recorder("-o", str(path), "--broker", publisher.settings.url,
                              "--all-vehicles", "--duration", "0.5")
    publisher.publish(f"ema/v1/{vehicle_id}-a/result", b"a", qos=1)
    publisher.publish(f"ema/v1/{vehicle_id}-b/result", b"b", qos=1)
    publisher.publish(f"elsewhere/{vehicle_id}", b"c", qos=1)
    assert recorder.wait(10) == 0
    mine = [r.payload for r in read_records(path) if vehicle_id in r.topic]
    assert mine == [b"a", b"b"]


def test_topics_override_the_default_filter(tmp_path, publisher, vehicle_id) -> None:
    path = tmp_path / "r.emarec"
    recorder = start_recorder("-o", str(path), "--broker", publisher.settings.url,
                              "--vehicle", vehicle_id, "--duration", "0.5",
                              "--topics", f"ema/v1/{vehicle_id}/cmd/+", f"lab/{vehicle_id}")
    publisher.publish(f"ema/v1/{vehicle_id}/result", b"no", qos=1)
    publisher.publish(f"ema/v1/{vehicle_id}/cmd/set_ride_height", b"yes", qos=1)
    publisher.publish(f"lab/{vehicle_id}", b"also", qos=1)
    assert recorder.wait(10) == 0
    assert [r.payload for r in read_records(path)] == [b"yes", b"also"]


def test_sigterm_stops_the_recorder_cleanly_with_everything_written(
        tmp_path, publisher, vehicle_id) -> None:
    path = tmp_path / "r.emarec"
    recorder = start_recorder("-o", str(path), "--broker", publisher.settings.url,
                              "--vehicle", vehicle_id)
    for index in range(20):
        publisher.publish(f"ema/v1/{vehicle_id}/result", str(index).encode(), qos=1)
    # All 20 have reached the recorder once its periodic flush has them on disk; the stop must
    # then lose nothing and leave a whole file (the final flush on close: the --duration tests).
    wait_until(lambda: len(read_records(path)) == 20, 10, "the recorder has all 20 on disk")
    recorder.send_signal(signal.SIGTERM)
    _, stderr = recorder.communicate(timeout=20)
    assert recorder.returncode == 0
    assert b"recorded 20 messages" in stderr
    assert [r.payload for r in read_records(path)] == [str(i).encode() for i in range(20)]


def test_a_killed_recorder_leaves_a_readable_file(tmp_path, publisher, vehicle_id) -> None:
    path = tmp_path / "r.emarec"
    recorder = start_recorder("-o", str(path), "--broker", publisher.settings.url,
                              "--vehicle", vehicle_id)
    for index in range(5):
        publisher.publish(f"ema/v1/{vehicle_id}/result", str(index).encode(), qos=1)
    def flushed() -> int:
        try:
            return len(read_records(path))
        except (OSError, RecordingError):  # not there yet, or its header not yet flushed
            return 0

    # the flush (every 0.5 s) has put all five on disk: then the kill
    wait_until(lambda: flushed() == 5, 10, "the five records flushed")
    recorder.kill()
    recorder.communicate(timeout=10)
    assert [r.payload for r in read_records(path)] == [str(i).encode() for i in range(5)]
