"""Property-based fuzzing of the decoder: anything in, a valid message or DecodeError out."""

from __future__ import annotations

import msgpack
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from protocols import INVALID, Codec, DecodeError, load_catalogue
from protocols.auth import development_key
from protocols.messages import StateFrame
from protocols.seal import frame_body

CODEC = Codec()
SEALER = development_key().sealer("ema-01")
CATALOGUE = load_catalogue()
FRAMES = sorted(CATALOGUE.frames)
FUZZ = settings(max_examples=3500, deadline=None, suppress_health_check=list(HealthCheck))

# Extension values: the invalid marker (type 1, empty) among others that must all be refused.
ext_values = st.builds(msgpack.ExtType, st.integers(0, 127), st.binary(max_size=3)) | st.just(
    msgpack.ExtType(1, b""))
msgpack_values = st.recursive(
    st.none() | st.booleans() | st.integers(-(2**64), 2**64) | st.floats(allow_nan=True)
    | st.text(max_size=20) | st.binary(max_size=20) | ext_values,
    lambda inner: st.lists(inner, max_size=5)
    | st.dictionaries(st.integers(0, 200) | st.text(max_size=4), inner, max_size=5),
    max_leaves=20,
)


def check(frame: str, payload: bytes) -> None:
    try:
        decoded = CODEC.decode_state(frame, payload, SEALER)
    except DecodeError as error:
        assert error.reason
        return
    assert isinstance(decoded, StateFrame)
    for path, value in decoded.values.items():
        spec = CATALOGUE.signal(path)
        assert spec.frame == frame
        assert value is None or value is INVALID or spec.value.check(value) == value


def valid_payload(frame: str, seed: int) -> bytes:
    signals = CATALOGUE.frames[frame].signals
    values = {s.path: s.default for s in signals[: 1 + seed % len(signals)]}
    return CODEC.encode_state(frame, values, seq=seed, epoch=1 + seed, sealer=SEALER)


@FUZZ
@given(frame=st.sampled_from(FRAMES), payload=st.binary(max_size=300))
def test_random_bytes(frame: str, payload: bytes) -> None:
    check(frame, payload)


@FUZZ
@given(frame=st.sampled_from(FRAMES), seed=st.integers(0, 10_000),
       flips=st.lists(st.tuples(st.integers(0, 10_000), st.integers(0, 255)), min_size=1,
                      max_size=6),
       cut=st.integers(0, 10_000))
def test_mutated_valid_frames(frame: str, seed: int, flips: list, cut: int) -> None:
    payload = bytearray(valid_payload(frame, seed))
    for position, byte in flips:
        payload[position % len(payload)] = byte
    check(frame, bytes(payload[: max(1, cut % (len(payload) + 1))]))


@FUZZ
@given(frame=st.sampled_from(FRAMES), v=msgpack_values, seq=msgpack_values, ts=msgpack_values,
       sig=msgpack_values)
def test_structured_envelopes(frame: str, v, seq, ts, sig) -> None:
    """Sealed with the right key wherever the fields allow a MAC, so that whatever the MAC lets
    through still meets every check of the values."""
    data = {"v": v, "ep": 7, "seq": seq, "ts": ts, "sig": sig}
    try:
        data["mac"] = SEALER.mac(f"state/{frame}", 7, seq, ts, frame_body(sig))
    except Exception:  # fields no MAC can be computed over: the decoder refuses them earlier
        data["mac"] = b"\0" * 16
    check(frame, msgpack.packb(data, use_bin_type=True)
          if _packable(v, seq, ts, sig) else b"\xc1")


def _packable(*values) -> bool:
    try:
        msgpack.packb(list(values), use_bin_type=True)
        return True
    except (OverflowError, TypeError, ValueError):
        return False
