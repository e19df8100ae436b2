"""The script format without a broker: validation (exit 2 material), invalid payloads, and what a
session sends, on the in-process broker."""

from __future__ import annotations

import msgpack
import pytest

from hmi.testbench.inject import (
    INVALID_KINDS,
    InjectSession,
    ScriptError,
    check_display_expectation,
    invalid_payload,
    parse_script,
)
from protocols import Codec, DecodeError
from protocols.auth import CommandKey, CommandSigner, development_key
from protocols.bus import InProcessBroker, InProcessTransport, Message
from protocols.errors import AuthenticationError
from protocols.messages import Command
from protocols.seal import frame_body

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
    (script("expect = { display = 'drive.speed', value = [15.0] }"),
     "step 1: value = the value as the catalogue has it"),
    (script("expect = { display = 'drive.speed', value = '' }"), "value = the value"),
    (script("expect = { display = 'drive.speed', value = nan }"), "value = the value"),
    (script("expect = { display = 'drive.speed', value = 15.0, tolerance = -1 }"),
     "tolerance = a number >= 0"),
    (script("expect = { display = 'drive.speed', value = 15.0, tolerance = 'a bit' }"),
     "tolerance = a number >= 0"),
    (script("expect = { display = 'drive.gear', value = 'D', tolerance = 0.1 }"),
     "tolerance goes with a numeric value, not 'D'"),
    (script("expect = { display = 'drive.speed', tolerance = 0.1 }"),
     "tolerance goes with a numeric value"),
    (script("expect = { display = 'drive.gear', key = 3 }"), "key = a language-independent"),
    (script("expect = { display = 'drive.gear', key = 'Rock Crawl' }"),
     "not 'Rock Crawl'"),
    (script("expect = { tile = 'ROCK_CRAWL', key = '' }"), "key = a language-independent"),
    (script("expect = { banner = true, key = 'offline!' }"), "key = a language-independent"),
    (script("expect = { display = 'drive.speed', text = 54 }"), 'text = a string, not 54'),
    (script("expect = { telltale = 'ready', key = 'x' }"), "unknown option(s) ['key']"),
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


def test_value_and_key_expectations_parse() -> None:
    parsed = parse_script(script(
        "expect = { display = 'drive.speed', value = 15, tolerance = 0.01 }\n"
        "[[steps]]\nexpect = { display = 'drive.gear', value = 'D', key = 'D' }\n"
        "[[steps]]\nexpect = { display = 'body.door_front_left', value = false }\n"
        "[[steps]]\nexpect = { tile = 'ROCK_CRAWL', state = 'refused', key = 'speed_too_high' }\n"
        "[[steps]]\nexpect = { banner = true, key = 'vehicle_offline' }"))
    assert [step.spec.get("key") for step in parsed.steps] == [
        None, "D", None, "speed_too_high", "vehicle_offline"]
    assert parsed.steps[0].label == "expect display 'drive.speed' value=15 tolerance=0.01"


READOUT = {"signal": "Vehicle.Speed", "text": "34", "unit": "mph", "value": 15.0, "key": None,
           "stale": False, "state": "fresh", "age": "", "screen": "drive"}


@pytest.mark.parametrize("expected, ok", [
    ({"value": 15.0}, True),
    ({"value": 15}, True),                          # an int is the same number
    ({"value": 15.0 * (1 + 5e-7)}, True),           # within 1e-6 of it
    ({"value": 15.0001}, False),
    ({"value": 15.0001, "tolerance": 0.001}, True),
    ({"value": 14.9, "tolerance": 0.05}, False),
    ({"value": True}, False),                       # a bool is not a number
    ({"value": "15.0"}, False),
    ({"value": 15.0, "unit": "mph", "stale": False}, True),
    ({"key": "AUTO"}, False),                       # the speed has no key
])
def test_a_display_value_matches_within_its_tolerance(expected: dict[str, object],
                                                      ok: bool) -> None:
    spec = {"display": "drive.speed", **expected}
    passed, seen = check_display_expectation("display", spec, {"readouts": {
        "drive.speed": READOUT}})
    assert passed is ok, seen
    assert "last seen text '34' unit 'mph' value 15.0 stale False" in seen


def test_enum_keys_bools_and_nulls_match_exactly() -> None:
    gear = {**READOUT, "signal": "Vehicle.Powertrain.Transmission.SelectedGear", "text": "D",
            "unit": "", "value": "D", "key": "D"}
    door = {**READOUT, "text": "Closed", "unit": "", "value": False}
    gone = {**READOUT, "text": "--", "value": None, "stale": True, "state": "stale"}
    display = {"readouts": {"drive.gear": gear, "body.door_front_left": door,
                            "drive.speed": gone}}

    def check(name: str, **expected: object) -> bool:
        return check_display_expectation("display", {"display": name, **expected}, display)[0]

    assert check("drive.gear", value="D", key="D") and not check("drive.gear", key="R")
    assert check("body.door_front_left", value=False)
    assert not check("body.door_front_left", value=0)   # 0 is not false
    assert not check("drive.speed", value=0.0)          # nothing shown is no number at all
    assert "key 'D'" in check_display_expectation("display", {"display": "drive.gear",
                                                               "key": "R"}, display)[1]


def test_tile_and_banner_keys_are_checked() -> None:
    display = {"terrain_tiles": {"ROCK_CRAWL": {"state": "refused", "detail": "Langsamer fahren",
                                                "key": "speed_too_high"}},
               "banner": {"visible": True, "text": "車両オフライン", "key": "vehicle_offline"}}
    assert check_display_expectation("tile", {"tile": "ROCK_CRAWL", "state": "refused",
                                              "key": "speed_too_high"}, display)[0]
    ok, seen = check_display_expectation("tile", {"tile": "ROCK_CRAWL", "key": "not_ready"},
                                         display)
    assert not ok and "key='speed_too_high'" in seen
    assert check_display_expectation("banner", {"banner": True, "key": "vehicle_offline"},
                                     display)[0]
    ok, seen = check_display_expectation("banner", {"banner": True, "key": "no_data"}, display)
    assert not ok and "key='vehicle_offline'" in seen


def test_ride_height_controls_are_checked_by_level() -> None:
    display = {"ride_height": {"requested": "EXTENDED", "state": "refused",
                               "key": "speed_too_high", "target": "NORMAL", "detail": "Normal",
                               "levels": {"NORMAL": {"state": "reached", "detail": "Aktiv",
                                                     "key": None},
                                          "EXTENDED": {"state": "refused",
                                                       "detail": "Langsamer fahren",
                                                       "key": "speed_too_high"}}}}
    assert check_display_expectation("ride_height", {"ride_height": "EXTENDED",
                                                     "state": "refused",
                                                     "key": "speed_too_high"}, display)[0]
    ok, seen = check_display_expectation("ride_height", {"ride_height": "NORMAL",
                                                         "state": "moving"}, display)
    assert not ok and "state='reached'" in seen
    ok, seen = check_display_expectation("ride_height", {"ride_height": "HOVER"}, display)
    assert not ok and "no ride-height control 'HOVER'" in seen


def test_a_ride_height_tap_parses() -> None:
    steps = parse_script(script("tap = 'ride.OFF_ROAD'"), "ride.toml").steps
    assert (steps[0].action, steps[0].spec) == ("tap", "ride.OFF_ROAD")


REFUSED_FOR = {"truncated": "not valid msgpack", "not_msgpack": "not valid msgpack",
               "out_of_range": "above the maximum", "wrong_type": "expected",
               "unknown_signal": "signal id 65000 is not in frame", "oversize": "exceeds 4096"}


@pytest.mark.parametrize("kind", INVALID_KINDS)
@pytest.mark.parametrize("frame", ["drive", "battery", "terrain"])
def test_every_invalid_kind_is_refused_by_the_codec_for_its_own_reason(kind: str,
                                                                     frame: str) -> None:
    """Sealed with the key the receiver holds: refused for the value, never as a forgery."""
    codec = Codec()
    sealer = development_key().sealer("v-1")
    payload = invalid_payload(kind, frame, codec, seq=5, epoch=42, sealer=sealer)
    with pytest.raises(DecodeError) as refused:
        codec.decode_state(frame, payload, sealer)
    assert not isinstance(refused.value, AuthenticationError), refused.value.reason
    assert REFUSED_FOR[kind] in refused.value.reason


@pytest.mark.parametrize("kind", ["out_of_range", "wrong_type", "unknown_signal", "oversize"])
def test_invalid_payloads_with_a_whole_envelope_carry_a_mac_that_verifies(kind: str) -> None:
    codec = Codec()
    sealer = development_key().sealer("v-1")
    data = msgpack.unpackb(invalid_payload(kind, "drive", codec, 5, epoch=42, sealer=sealer),
                           strict_map_key=False)
    assert (data["v"], data["ep"], data["seq"]) == (codec.schema_version, 42, 5)
    assert sealer.verify(data["mac"], "state/drive", 42, 5, data["ts"], frame_body(data["sig"]))


def test_session_publishes_frames_status_and_sim_commands() -> None:
    broker = InProcessBroker()
    seen: list[Message] = []
    listener = InProcessTransport(broker)
    listener.add_listener(seen.append)
    listener.subscribe("ema/v1/s-1/#")
    listener.start()
    session = InjectSession(InProcessTransport(broker), "s-1").start()
    session.publish_signals({"Vehicle.Speed": 4.0,
                             "Vehicle.Powertrain.TractionBattery.Range": None,
                             "Vehicle.Powertrain.Transmission.SelectedGear": "D"})
    session.status(False)
    session.sim("sim_fault", {"fault": "LOW_BATTERY", "active": True})
    codec = Codec()
    sealer = development_key().sealer("s-1")  # what a receiver without a key file holds
    by_topic = {m.topic: m for m in seen}
    drive = codec.decode_state("drive", by_topic["ema/v1/s-1/state/drive"].payload, sealer)
    battery = codec.decode_state("battery", by_topic["ema/v1/s-1/state/battery"].payload,
                                 sealer)
    status = codec.decode_status(by_topic["ema/v1/s-1/status"].payload, sealer)
    assert drive.values == {"Vehicle.Speed": 4.0,
                            "Vehicle.Powertrain.Transmission.SelectedGear": "D"}
    assert battery.values == {"Vehicle.Powertrain.TractionBattery.Range": None}
    assert drive.epoch == battery.epoch == status.epoch == session.epoch > 10**15, \
        "one session epoch, from the clock in microseconds"
    assert 0 < drive.seq < battery.seq < status.seq, "seq rises over the session"
    assert status.online is False
    command = codec.decode_command("sim_fault", by_topic["ema/v1/s-1/sim/sim_fault"].payload)
    assert command.args == {"fault": "LOW_BATTERY", "active": True}
    session.close()


def test_session_seals_with_its_key_and_keeps_one_epoch() -> None:
    broker = InProcessBroker()
    seen: list[Message] = []
    listener = InProcessTransport(broker)
    listener.add_listener(seen.append)
    listener.subscribe("ema/v1/s-2/#")
    listener.start()
    key = CommandKey(b"k" * 32, False, "test")
    session = InjectSession(InProcessTransport(broker), "s-2", key=key).start()
    earlier = session.epoch
    session.publish_signals({"Vehicle.Speed": 1.0})
    session.publish_signals({"Vehicle.Speed": 2.0})
    session.invalid("out_of_range", "drive")
    codec = Codec()
    frames = [m.payload for m in seen if m.topic == "ema/v1/s-2/state/drive"]
    assert len(frames) == 3
    good = [codec.decode_state("drive", p, key.sealer("s-2")) for p in frames[:2]]
    assert [f.epoch for f in good] == [earlier, earlier] and good[0].seq < good[1].seq
    with pytest.raises(AuthenticationError):  # not the development key's
        codec.decode_state("drive", frames[0], development_key().sealer("s-2"))
    with pytest.raises(DecodeError) as refused:
        codec.decode_state("drive", frames[2], key.sealer("s-2"))
    assert not isinstance(refused.value, AuthenticationError)
    session.close()
    later = InjectSession(InProcessTransport(broker), "s-2", key=key)
    assert later.epoch > earlier, "a later session speaks as a newer vehicle session"


def test_session_keeps_only_authentic_commands_from_the_hmi() -> None:
    broker = InProcessBroker()
    key = CommandKey(b"k" * 32, False, "test")
    session = InjectSession(InProcessTransport(broker), "s-3", key=key).start()
    hmi = InProcessTransport(broker)
    hmi.start()
    codec = Codec()
    good = CommandSigner(key, "s-3").sign(Command("set_ride_height", "r-good",
                                                  {"level": "OFF_ROAD"}))
    forged = CommandSigner(development_key(), "s-3").sign(
        Command("set_ride_height", "r-forged", {"level": "OFF_ROAD"}))
    unsigned = Command("set_ride_height", "r-unsigned", {"level": "OFF_ROAD"})
    for command in (forged, unsigned, good):
        hmi.publish("ema/v1/s-3/cmd/set_ride_height", codec.encode_command(command), qos=1)
    assert [c.rid for _at, c in session.commands] == ["r-good"]
    assert [why.split(":")[1].strip() for _at, why in session.unauthentic] == [
        "MAC does not verify", "unsigned"]
    session.close()
