"""End to end: record the simulator on a real broker, replay it under another id, compare."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest

from hmi.testbench import Record, read_records
from hmi.testbench.replay_cli import main as replay_main
from protocols import Codec, DecodeError, TopicKind, Value, parse_topic
from protocols.auth import load_command_key
from tests.support.cockpit import CockpitProbe

from .conftest import REPO, start_recorder

CODEC = Codec()
KEY = load_command_key()  # the simulator's: the same environment


class PayloadProbe(CockpitProbe):
    """A cockpit probe that also keeps the raw payload of everything it receives."""

    def __init__(self, broker_url: str, vehicle: str) -> None:
        super().__init__(broker_url, vehicle)
        self.payloads: list[bytes] = []

    def _on_message(self, message) -> None:
        self.payloads.append(bytes(message.payload))
        super()._on_message(message)  # notifies waiters last


def sealer_of(record: Record):
    return KEY.sealer(parse_topic(record.topic).vehicle)


@dataclass(frozen=True)
class Session:
    path: Path
    records: list[Record]


def final_values(records: list[Record], retained_only: bool = False) -> dict[str, Value | None]:
    """The signal values a subscriber ends with: live (every frame) or late (retained copies)."""
    states = [r for r in records if parse_topic(r.topic).kind is TopicKind.STATE]
    if retained_only:
        states = list({r.topic: r for r in states if r.retain}.values())  # last copy per topic
    values: dict[str, Value | None] = {}
    for record in states:
        frame = parse_topic(record.topic).name
        assert frame is not None
        values.update(CODEC.decode_state(frame, record.payload, sealer_of(record)).values)
    return values


def last_status(records: list[Record]) -> bool:
    statuses = [r for r in records if parse_topic(r.topic).kind is TopicKind.STATUS]
    return CODEC.decode_status(statuses[-1].payload, sealer_of(statuses[-1])).online


@pytest.fixture(scope="module")
def session(mosquitto, tmp_path_factory) -> Session:
    """Three seconds of the simulator at --speed 5, recorded by ema-record."""
    vehicle = "t-recorded-session"
    path = tmp_path_factory.mktemp("session") / "session.emarec"
    recorder = start_recorder("-o", str(path), "--broker", mosquitto.url, "--vehicle", vehicle)
    try:
        simulator = subprocess.run(
            [sys.executable, "-m", "vehicle_sim.cli", "--broker", mosquitto.url, "--vehicle",
             vehicle, "--scenario", "showcase", "--speed", "5", "--duration", "3"],
            cwd=REPO, capture_output=True, timeout=30)
        assert simulator.returncode == 0, simulator.stderr.decode()
    finally:
        recorder.terminate()
        recorder.communicate(timeout=10)
    records = read_records(path)
    assert records, "the recorder caught nothing"
    return Session(path, records)


def test_session_recording_decodes_cleanly(session) -> None:
    for record in session.records:
        topic = parse_topic(record.topic)
        try:
            if topic.kind is TopicKind.STATE and topic.name:
                CODEC.decode_state(topic.name, record.payload, sealer_of(record))
            elif topic.kind is TopicKind.STATUS and record.payload:
                CODEC.decode_status(record.payload, sealer_of(record))
        except DecodeError as error:
            pytest.fail(f"{record.topic}: {error}")
    assert any(r.retain for r in session.records), "retain flags were lost when recording"


def test_replay_under_a_new_id_ends_with_the_recorded_values(session, mosquitto,
                                                             vehicle_id, capsys) -> None:
    """Re-sealed for the new id (the probe verifies every message), as a new session."""
    probe = CockpitProbe(mosquitto.url, vehicle_id).start()
    try:
        assert replay_main([str(session.path), "--broker", mosquitto.url,
                            "--vehicle-rename", vehicle_id, "--speed", "2"]) == 0
        expected = final_values(session.records)
        online = last_status(session.records)
        probe.wait_for(lambda p: p.values == expected and p.online == online)
        assert probe.decode_errors == []
    finally:
        probe.close()
    out = capsys.readouterr().out
    assert f"re-sealed {len(session.records)} vehicle messages as session epoch" in out
    assert "sent as recorded" not in out


def test_verbatim_replay_under_a_new_id_is_refused(session, mosquitto, vehicle_id) -> None:
    """The recorded bytes name the recorded vehicle in their MAC: nothing of them is taken."""
    probe = PayloadProbe(mosquitto.url, vehicle_id).start()
    try:
        assert replay_main([str(session.path), "--broker", mosquitto.url, "--verbatim",
                            "--vehicle-rename", vehicle_id, "--speed", "4"]) == 0
        # the probe may have subscribed after the first ones left; the retained copies reach it
        retained = {r.topic for r in session.records if r.retain}
        probe.wait_for(lambda p: len(p.decode_errors) >= len(retained))
        # Barrier: the replay's last message (retained, so it reaches even a late subscriber)
        # has arrived, and everything the replay sent before it came ahead of it.
        last = session.records[-1]
        assert last.retain, last.topic
        probe.wait_for(lambda p: last.payload in p.payloads)
        assert probe.values == {} and probe.online is None
        assert all("MAC does not verify" in error for error in probe.decode_errors)
    finally:
        probe.close()


def test_replay_leaves_the_retained_frames_for_a_late_subscriber(session, mosquitto,
                                                                 vehicle_id) -> None:
    assert replay_main([str(session.path), "--broker", mosquitto.url,
                        "--vehicle-rename", vehicle_id, "--speed", "4"]) == 0
    late = CockpitProbe(mosquitto.url, vehicle_id).start()
    try:
        expected = final_values(session.records, retained_only=True)
        recorded_frames = {parse_topic(r.topic).name for r in session.records if r.retain
                           and parse_topic(r.topic).kind is TopicKind.STATE}
        assert recorded_frames == set(CODEC.catalogue.frames)
        late.wait_for(lambda p: set(p.frames_seen) == recorded_frames and p.online is not None)
        assert late.values == expected
        assert late.online == last_status(session.records)
    finally:
        late.close()

