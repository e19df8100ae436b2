"""Codec: every message type round-trips; every bad payload is one DecodeError with a reason."""

from __future__ import annotations

import json
import math
from dataclasses import replace

import msgpack
import pytest

from protocols import (
    Codec,
    Command,
    CommandResult,
    DataType,
    DecodeError,
    EncodeError,
    ResultStatus,
    load_catalogue,
)
from protocols.auth import development_key
from protocols.errors import AuthenticationError
from protocols.seal import Sealer, frame_body

CODEC = Codec()
SEALER = development_key().sealer("ema-01")
EPOCH = 1_790_000_000_000_000
CATALOGUE = load_catalogue()
SPEED = "Vehicle.Speed"
GEAR = "Vehicle.Powertrain.Transmission.SelectedGear"


def sample_value(spec, pick: str):
    """A valid value per signal (or argument): the minimum, the maximum, or the default."""
    value = getattr(spec, "value", spec)
    if value.type is DataType.BOOL:
        return pick != "min"
    if value.type is DataType.ENUM:
        return value.choices[0 if pick == "min" else -1]
    return {"min": value.min, "max": value.max}.get(pick, getattr(spec, "default", value.min))


@pytest.mark.parametrize("pick", ["min", "max", "default"])
@pytest.mark.parametrize("frame", sorted(CATALOGUE.frames))
def test_state_frame_round_trips(frame: str, pick: str) -> None:
    values = {s.path: sample_value(s, pick) for s in CATALOGUE.frames[frame].signals}
    encoded = CODEC.encode_state(frame, values, seq=7, ts_us=123, epoch=EPOCH, sealer=SEALER)
    decoded = CODEC.decode_state(frame, encoded, SEALER)
    assert (decoded.frame, decoded.seq, decoded.ts_us) == (frame, 7, 123)
    assert decoded.values == values


def test_not_available_travels_as_nil() -> None:
    encoded = CODEC.encode_state("drive", {SPEED: None}, seq=1, epoch=EPOCH, sealer=SEALER)
    decoded = CODEC.decode_state("drive", encoded, SEALER)
    assert decoded.values == {SPEED: None}


@pytest.mark.parametrize("name", sorted(CATALOGUE.commands))
def test_command_round_trips(name: str) -> None:
    spec = CATALOGUE.commands[name]
    args = {a: sample_value(v, "max") for a, v in spec.args.items()}
    command = Command(name, "req-1", args, seq=3, ts_us=99)
    assert CODEC.decode_command(name, CODEC.encode_command(command)) == command


@pytest.mark.parametrize("status,reason", [(ResultStatus.ACCEPTED, None),
                                           (ResultStatus.COMPLETED, None),
                                           (ResultStatus.REJECTED, "speed_too_high")])
def test_result_round_trips(status: ResultStatus, reason: str | None) -> None:
    result = CommandResult("req-1", "set_terrain_program", status, reason, "Slow down first.",
                           seq=4, ts_us=5, epoch=EPOCH)
    assert CODEC.decode_result(CODEC.encode_result(result, sealer=SEALER), SEALER) == result


@pytest.mark.parametrize("online", [True, False])
def test_status_round_trips(online: bool) -> None:
    status = CODEC.decode_status(CODEC.encode_status(online, seq=2, ts_us=8, epoch=EPOCH,
                                                     sealer=SEALER), SEALER)
    assert (status.online, status.seq, status.ts_us, status.epoch) == (online, 2, 8, EPOCH)


ENCODE_ERRORS = [
    ("unknown signal", {"Vehicle.Nope": 1.0}, "unknown signal"),
    ("signal of another frame", {"Vehicle.TraveledDistance": 1.0}, "belongs to frame"),
    ("above max", {SPEED: 71.0}, "above the maximum"),
    ("below min", {SPEED: -71.0}, "below the minimum"),
    ("NaN", {SPEED: math.nan}, "finite"),
    ("string for float", {SPEED: "fast"}, "expected float"),
    ("bool for float", {SPEED: True}, "expected float"),
    ("unknown enum name", {GEAR: "S"}, "not one of"),
]


@pytest.mark.parametrize("case,values,message", ENCODE_ERRORS, ids=[c[0] for c in ENCODE_ERRORS])
def test_encode_refuses(case: str, values: dict, message: str) -> None:
    with pytest.raises(EncodeError, match=message):
        CODEC.encode_state("drive", values, seq=1, epoch=EPOCH, sealer=SEALER)


def test_encode_refuses_out_of_range_command() -> None:
    with pytest.raises(EncodeError, match="below the minimum"):
        CODEC.encode_command(Command("set_charge_limit", "r", {"percent": 20}))


def envelope(**changes):
    """A drive frame as a dict, sealed over its fields (after `changes`) where they allow it, so
    that a bad value is refused for the value, not for the MAC."""
    data = {"v": 3, "ep": EPOCH, "seq": 1, "ts": 1, "sig": {1: 3.5}}
    data.update(changes)
    try:
        data["mac"] = SEALER.mac("state/drive", data["ep"], data["seq"], data["ts"],
                                 frame_body(data["sig"]))
    except (KeyError, TypeError, AttributeError):
        data["mac"] = b"\0" * 16
    data.update({k: v for k, v in changes.items() if k == "mac"})
    return {k: v for k, v in data.items() if v is not ...}


DECODE_ERRORS = [
    ("not msgpack", b"\xc1", "not valid msgpack"),
    ("truncated", msgpack.packb(envelope())[:-3], "not valid msgpack"),
    ("trailing bytes", msgpack.packb(envelope()) + b"\x00", "not valid msgpack"),
    ("empty", b"", "not valid msgpack"),
    ("array not map", msgpack.packb([1, 2]), "max_array_len"),
    ("string not map", msgpack.packb("hello"), "must be a msgpack map"),
    ("huge declared map", b"\xdf\xff\xff\xff\xff", "max_map_len"),
    ("huge declared string", b"\xdb\xff\xff\xff\xff", "not valid msgpack"),
    ("bin payload", msgpack.packb(envelope(sig={1: b"x" * 17}), use_bin_type=True), "max_bin_len"),
    ("ext type", msgpack.packb(msgpack.ExtType(5, b"x")), "max_ext_len"),
    ("oversize payload", b"\x00" * 5000, "exceeds"),
    ("invalid utf-8 key", b"\x81\xa1\xff\x01", "not valid msgpack"),
    ("missing seq", msgpack.packb(envelope(seq=...)), "missing \\['seq'\\]"),
    ("extra key", msgpack.packb({**envelope(), "x": 1}), "unexpected"),
    ("wrong schema version", msgpack.packb(envelope(v=2)), "schema version"),
    ("version 1", msgpack.packb({"v": 1, "seq": 1, "ts": 1, "sig": {}}), "schema version 1 is not"),
    ("missing epoch", msgpack.packb(envelope(ep=...)), "missing \\['ep'\\]"),
    ("zero epoch", msgpack.packb(envelope(ep=0)), "'ep'"),
    ("bool schema version", msgpack.packb(envelope(v=True)), "schema version"),
    ("float schema version", msgpack.packb(envelope(v=3.0)), "schema version"),
    ("negative seq", msgpack.packb(envelope(seq=-1)), "'seq'"),
    ("float timestamp", msgpack.packb(envelope(ts=1.5)), "'ts'"),
    ("sig not a map", msgpack.packb(envelope(sig=5)), "'sig' must be a map"),
    ("unknown signal id", msgpack.packb(envelope(sig={999: 1.0})), "not in frame"),
    ("string signal id", msgpack.packb(envelope(sig={"1": 1.0})), "signal id \\(int\\)"),
    ("mixed signal ids", msgpack.packb(envelope(sig={"1": 1.0, 2: 0})), "signal id \\(int\\)"),
    ("signal of another frame", msgpack.packb(envelope(sig={152: 1.0})), "not in frame"),
    ("NaN", msgpack.packb(envelope(sig={1: math.nan})), "finite"),
    ("infinity", msgpack.packb(envelope(sig={1: math.inf})), "finite"),
    ("out of range", msgpack.packb(envelope(sig={1: 500.0})), "above the maximum"),
    ("wrong type", msgpack.packb(envelope(sig={1: "fast"})), "expected float"),
    ("bool for enum", msgpack.packb(envelope(sig={2: True})), "expected enum index"),
    ("enum index out of range", msgpack.packb(envelope(sig={2: 9})), "outside"),
    ("int for bool", msgpack.packb(envelope(sig={9: 1})), "expected bool"),
]


@pytest.mark.parametrize("case,payload,message", DECODE_ERRORS, ids=[c[0] for c in DECODE_ERRORS])
def test_decode_refuses(case: str, payload: bytes, message: str) -> None:
    with pytest.raises(DecodeError, match=message):
        CODEC.decode_state("drive", payload, SEALER)


def test_one_bad_value_refuses_the_whole_frame() -> None:
    payload = msgpack.packb(envelope(sig={1: 10.0, 3: 1e9}))
    with pytest.raises(DecodeError, match="CurrentPower"):
        CODEC.decode_state("drive", payload, SEALER)


COMMAND_ERRORS = [
    ("unknown program", {"program": "TURBO"}, "not one of"),
    ("missing argument", {}, "exactly"),
    ("extra argument", {"program": "SAND", "force": True}, "exactly"),
    ("enum index instead of name", {"program": 5}, "expected one of"),
]


@pytest.mark.parametrize("case,args,message", COMMAND_ERRORS, ids=[c[0] for c in COMMAND_ERRORS])
def test_decode_command_refuses(case: str, args: dict, message: str) -> None:
    payload = msgpack.packb({"v": 3, "seq": 1, "ts": 1, "rid": "r", "args": args})
    with pytest.raises(DecodeError, match=message):
        CODEC.decode_command("set_terrain_program", payload)


def test_decode_command_refuses_unknown_command() -> None:
    payload = msgpack.packb({"v": 3, "seq": 1, "ts": 1, "rid": "r", "args": {}})
    with pytest.raises(DecodeError, match="unknown command"):
        CODEC.decode_command("self_destruct", payload)


def test_rejected_result_needs_reason() -> None:
    body = ["r", "set_charge_limit", "rejected", None, ""]
    payload = msgpack.packb({"v": 3, "ep": EPOCH, "seq": 1, "ts": 1, "rid": "r",
                             "cmd": "set_charge_limit", "status": "rejected", "reason": None,
                             "text": "", "mac": SEALER.mac("result", EPOCH, 1, 1, body)})
    with pytest.raises(DecodeError, match="needs a reason"):
        CODEC.decode_result(payload, SEALER)


def full_frame_values(frame: str) -> dict:
    """Every signal of the frame, floats at an arbitrary point of their range (full precision)."""
    def value(spec):
        if spec.type is DataType.FLOAT:
            return spec.value.min + (spec.value.max - spec.value.min) * 0.3719
        return sample_value(spec, "default")
    return {s.path: value(s) for s in CATALOGUE.frames[frame].signals}


@pytest.mark.parametrize("frame", sorted(CATALOGUE.frames))
def test_frame_is_at_most_half_of_json(frame: str) -> None:
    """The wire promise: compact keys make a frame at most 50 % of full-path JSON."""
    values = full_frame_values(frame)
    wire = CODEC.encode_state(frame, values, seq=123456, ts_us=1_790_000_000_000_000,
                              epoch=EPOCH, sealer=SEALER)
    as_json = json.dumps({"v": 3, "ep": EPOCH, "seq": 123456, "ts": 1_790_000_000_000_000,
                          "sig": values, "mac": "00" * 16}, separators=(",", ":")).encode()
    assert len(wire) <= 0.5 * len(as_json)


def test_longest_result_text_in_any_script_decodes() -> None:
    text = "é" * 200
    result = CommandResult("r", "set_charge_limit", ResultStatus.COMPLETED, None, text)
    payload = CODEC.encode_result(replace(result, epoch=EPOCH), sealer=SEALER)
    assert CODEC.decode_result(payload, SEALER).text == text


# --- authenticity (protocols.seal) ------------------------------------------------------------
def signed_drive(sealer: Sealer = SEALER, **fields) -> bytes:
    header = {"seq": 5, "ts": 6, "epoch": EPOCH, **fields}
    return CODEC.encode_state("drive", {SPEED: 13.0}, header["seq"], header["ts"],
                              epoch=header["epoch"], sealer=sealer)


def test_unsigned_frame_is_refused_as_unauthenticated() -> None:
    data = msgpack.unpackb(signed_drive(), strict_map_key=False)
    del data["mac"]
    with pytest.raises(AuthenticationError, match="not signed"):
        CODEC.decode_state("drive", msgpack.packb(data), SEALER)


@pytest.mark.parametrize("field,value", [("seq", 2**63 - 1), ("ts", 7), ("ep", EPOCH + 1),
                                         ("sig", {1: 14.0})])
def test_any_covered_field_changed_breaks_the_mac(field: str, value) -> None:
    data = msgpack.unpackb(signed_drive(), strict_map_key=False)
    data[field] = value
    with pytest.raises(AuthenticationError, match="does not verify"):
        CODEC.decode_state("drive", msgpack.packb(data), SEALER)


def test_frame_signed_for_another_vehicle_or_topic_or_key_is_refused() -> None:
    other_vehicle = development_key().sealer("ema-02")
    with pytest.raises(AuthenticationError):
        CODEC.decode_state("drive", signed_drive(other_vehicle), SEALER)
    other_key = Sealer(b"k" * 32, "ema-01")
    with pytest.raises(AuthenticationError):
        CODEC.decode_state("drive", signed_drive(other_key), SEALER)
    data = msgpack.unpackb(CODEC.encode_state("energy", {}, 1, 1, epoch=EPOCH, sealer=SEALER),
                           strict_map_key=False)
    with pytest.raises(AuthenticationError):  # an energy frame moved to the drive topic
        CODEC.decode_state("drive", msgpack.packb(data), SEALER)


def test_status_and_result_macs_cover_their_fields() -> None:
    for field, value in (("online", True), ("will", 2)):
        status = msgpack.unpackb(CODEC.encode_status(False, 3, 4, epoch=EPOCH, sealer=SEALER,
                                                     will_seq=3))
        status[field] = value
        with pytest.raises(AuthenticationError):
            CODEC.decode_status(msgpack.packb(status), SEALER)
    result = CommandResult("r", "set_charge_limit", ResultStatus.COMPLETED, None, "Done.", 1, 2,
                           EPOCH)
    data = msgpack.unpackb(CODEC.encode_result(result, sealer=SEALER))
    data["rid"] = "someone-else"
    with pytest.raises(AuthenticationError):
        CODEC.decode_result(msgpack.packb(data), SEALER)


def test_mac_input_is_canonical_msgpack_with_smallest_integers() -> None:
    """The documented recipe (PROTOCOL.md) computed by hand matches the codec."""
    import hashlib
    import hmac as hmac_module
    secret = development_key().secret
    data = msgpack.unpackb(signed_drive(), strict_map_key=False)
    recipe = msgpack.packb(["ema-veh-v2", "ema-01", "state/drive", EPOCH, 5, 6, [[1, 13.0]]])
    assert recipe[:12] == b"\x97\xaaema-veh-v2"  # array of 7, str of 10
    assert hmac_module.new(secret, recipe, hashlib.sha256).digest()[:16] == data["mac"]
