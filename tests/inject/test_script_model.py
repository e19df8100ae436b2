"""The script format without a broker: validation (exit 2 material), invalid payloads, and what a
session sends, on the in-process broker."""

from __future__ import annotations

import pytest

from protocols import Codec, DecodeError, InProcessBroker, InProcessTransport, Message
from protocols.tools.inject import (INVALID_KINDS, InjectSession, ScriptError, invalid_payload,
                                    parse_script)

HEAD = 'name = "t"\n'


def script(step: str) -> str:
    return f"{HEAD}[[steps]]\n{step}\n"


@pytest.mark.parametrize("text, message", [
    ("name = 'x'", "at least one [[steps]]"),
    ("steps = 3", "at least one [[steps]]"),
    ("this is not toml", "not valid TOML"),
    ("colour = 'red'\n[[steps]]\nwait = 1", "unknown top-level key"),
    (script("wait = -1"), "step 1: wait = seconds"),
    (script("wait = 1\npublish = { signals = { 'Vehicle.Speed' = 1.0 } }"), "exactly one action"),
    (script("jump = 1"), "unknown key(s) ['jump']"),
    (script("publish = { signals = { 'Vehicle.Speed' = 700.0 } }"), "Vehicle.Speed"),
    (script("publish = { signals = { 'Vehicle.Powertrain.Transmission.SelectedGear' = 'Z' } }"),
     "SelectedGear"),
    (script("invalid = 'gibberish'"), "invalid = one of"),
    (script("vehicle = 'sleeping'"), 'vehicle = "online" or "offline"'),
    (script("expect = { display = 'drive.speed' }"), "needs text, unit, stale"),
    (script("expect = { display = 'drive.speed', colour = 'red', text = '1' }"),
     "unknown option(s) ['colour']"),
    (script("expect = { banner = 'yes' }"), "banner = true or false"),
    (script("expect = { command = 'self_destruct' }"), "unknown command 'self_destruct'"),
    (script("ramp = { signal = 'Vehicle.Powertrain.Transmission.SelectedGear', from = 0, "
            "to = 1, over_s = 1 }"), "numeric signal"),
    (script("repeat = { times = 2, steps = [ { jump = 1 } ] }"), "step 1.1: unknown key"),
    (script("sim = { command = 'set_terrain_program', args = { program = 'SAND' } }"),
     "unknown simulator command"),
    (script("tap = 'ejector_seat'"), 'tap = "terrain.PROGRAM"'),
])
def test_bad_scripts_are_refused_with_the_step_named(text: str, message: str) -> None:
    with pytest.raises(ScriptError) as caught:
        parse_script(text, "bad.toml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("bad.toml")


def test_a_good_script_parses_with_labels() -> None:
    parsed = parse_script(
        'name = "ok"\nvehicle = "v-1"\n[[steps]]\nname = "go"\n'
        'publish = { signals = { "Vehicle.Speed" = 3.0 }, '
        'unavailable = ["Vehicle.Ema.Chassis.Pitch"] }\n'
        '[[steps]]\nat = 1.0\nexpect = { tile = "SAND", state = "active" }\n')
    assert parsed.vehicle == "v-1" and parsed.name == "ok"
    assert [s.label for s in parsed.steps] == ["go", "expect tile 'SAND' state='active'"]
    assert parsed.steps[1].at_s == 1.0 and parsed.steps[1].spec["within_s"] == 2.0


@pytest.mark.parametrize("kind", INVALID_KINDS)
@pytest.mark.parametrize("frame", ["drive", "battery", "terrain"])
def test_every_invalid_kind_is_refused_by_the_codec(kind: str, frame: str) -> None:
    codec = Codec()
    with pytest.raises(DecodeError):
        codec.decode_state(frame, invalid_payload(kind, frame, codec, seq=5))


def test_session_publishes_frames_status_and_sim_commands() -> None:
    broker = InProcessBroker()
    seen: list[Message] = []
    listener = InProcessTransport(broker)
    listener.on_message = seen.append
    listener.subscribe("ema/v1/s-1/#")
    listener.start()
    session = InjectSession(InProcessTransport(broker), "s-1").start()
    session.publish_signals({"Vehicle.Speed": 4.0,
                             "Vehicle.Powertrain.TractionBattery.Range": None,
                             "Vehicle.Powertrain.Transmission.SelectedGear": "D"})
    session.status(False)
    session.sim("sim_fault", {"fault": "LOW_BATTERY", "active": True})
    codec = Codec()
    by_topic = {m.topic: m for m in seen}
    drive = codec.decode_state("drive", by_topic["ema/v1/s-1/state/drive"].payload)
    battery = codec.decode_state("battery", by_topic["ema/v1/s-1/state/battery"].payload)
    assert drive.values == {"Vehicle.Speed": 4.0,
                            "Vehicle.Powertrain.Transmission.SelectedGear": "D"}
    assert battery.values == {"Vehicle.Powertrain.TractionBattery.Range": None}
    assert battery.seq > drive.seq > 10**15, "seq is the clock in microseconds, rising"
    assert codec.decode_status(by_topic["ema/v1/s-1/status"].payload).online is False
    command = codec.decode_command("sim_fault", by_topic["ema/v1/s-1/sim/sim_fault"].payload)
    assert command.args == {"fault": "LOW_BATTERY", "active": True}
    session.close()
