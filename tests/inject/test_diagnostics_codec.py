"""The hmi/ channel codec: round trips, and garbage refused with DecodeError only."""

from __future__ import annotations

import msgpack
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from protocols import DecodeError, EncodeError
from protocols.diagnostics import (
    MAX_DISPLAY_BYTES,
    PNG_MAGIC,
    decode_display,
    decode_request,
    decode_screenshot,
    encode_display,
    encode_request,
    encode_screenshot,
)


def display() -> dict:
    return {"screen": "drive", "banner": {"visible": False, "text": ""},
            "telltales": [{"name": "ready", "label": "READY", "colour": "green"}],
            "terrain_tiles": {"AUTO": {"state": "active", "detail": "Active"}},
            "readouts": {"drive.speed": {"signal": "Vehicle.Speed", "text": "43",
                                         "unit": "km/h", "stale": False, "state": "fresh",
                                         "age": ""}}}


def envelope(**overrides) -> bytes:
    data = {"v": 1, "seq": 1, "ts": 2, "rid": "", "display": display()}
    data.update(overrides)
    return msgpack.packb({k: v for k, v in data.items() if v is not ...})


def test_display_round_trip() -> None:
    report = decode_display(encode_display(display(), seq=7, rid="r1"))
    assert (report.seq, report.rid) == (7, "r1")
    assert report.readout("drive.speed")["text"] == "43"
    assert report.telltale_names() == ["ready"]


@pytest.mark.parametrize("payload", [
    b"", b"\xc1", b"\x90", msgpack.packb([1, 2]), envelope(v=2), envelope(extra=1),
    envelope(rid=...), envelope(seq=-1), envelope(seq=True), envelope(display=[]),
    envelope(display={**display(), "readouts": {"x": {"text": 1, "unit": "", "stale": False}}}),
    envelope(display={**display(), "telltales": [1]}),
    envelope(display={**display(), "banner": {"visible": "yes"}}),
    envelope(display={**display(), "screen": None}),
    msgpack.packb({"v": 1, "seq": 1, "ts": 2, "rid": "", "display": {"a": b"\x00"}}),
    msgpack.packb({"v": 1, "seq": 1, "ts": 2, "rid": "", "display": msgpack.ExtType(1, b"")}),
    msgpack.packb({"v": 1, "seq": 1, "ts": 2, "rid": "", "display": {"t": list(range(100))}}),
    msgpack.packb({"v": 1, "seq": 1, "ts": 2, "rid": "", "display": {"s": "x" * 2000}}),
    b"\x85" + b"\x00" * (MAX_DISPLAY_BYTES + 1),
], ids=lambda p: f"{len(p)}B")
def test_display_garbage_is_refused(payload: bytes) -> None:
    with pytest.raises(DecodeError):
        decode_display(payload)


@settings(max_examples=300, deadline=None)
@given(st.binary(max_size=512))
def test_display_decoder_raises_only_decode_error(payload: bytes) -> None:
    try:
        decode_display(payload)
    except DecodeError:
        pass


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=256))
def test_request_and_screenshot_decoders_raise_only_decode_error(payload: bytes) -> None:
    for decode in (decode_request, decode_screenshot):
        try:
            decode(payload)
        except DecodeError:
            pass


def test_request_round_trip_and_refusals() -> None:
    request = decode_request(encode_request("tap", "r9", 3, target="terrain.SAND"))
    assert (request.what, request.target, request.rid) == ("tap", "terrain.SAND", "r9")
    with pytest.raises(EncodeError):
        encode_request("reboot", "r1", 1)
    bad = msgpack.packb({"v": 1, "seq": 1, "ts": 1, "rid": "r", "what": "reboot", "target": ""})
    with pytest.raises(DecodeError):
        decode_request(bad)


def test_screenshot_round_trip_and_refusals() -> None:
    png = PNG_MAGIC + b"rest"
    reply = decode_screenshot(encode_screenshot(png, "r2", 4))
    assert reply.png == png and reply.error == ""
    failed = decode_screenshot(encode_screenshot(b"", "r3", 5, error="no window"))
    assert failed.png == b"" and failed.error == "no window"
    with pytest.raises(DecodeError):
        decode_screenshot(encode_screenshot(b"", "r3", 5))
    with pytest.raises(DecodeError):
        decode_screenshot(msgpack.packb({"v": 1, "seq": 1, "ts": 1, "rid": "r", "png": b"GIF8",
                                         "error": ""}, use_bin_type=True))
