"""Decode cost over the recorded frames: our strict decoder against a bare unpack and schema v1."""

from __future__ import annotations

import time
from typing import Any, cast

import msgpack

from protocols import Codec, DecodeError, StateFrame, load_catalogue
from protocols.auth import load_command_key
from protocols.codec import unpack
from protocols.seal import Sealer

from .frames import FrameSet
from .plan import VEHICLE


class AnyMac:
    """A sealer that accepts every MAC: Codec.decode_state with its MAC check skipped (the HMAC
    and its input are not computed), the decode as it cost before the MAC, for comparison."""

    vehicle = VEHICLE

    @staticmethod
    def verify(*_args: Any) -> bool:
        return True


class V1Decoder:
    """The schema v1 state decoder as it was before the MAC (protocols/codec.py at 78c2f84^),
    kept as the baseline "today's decode": the same bounded unpack, envelope and value checks,
    on the same frames as v1 sent them (without `ep` and `mac`)."""

    KEYS = frozenset({"v", "seq", "ts", "sig"})
    MAX_SEQ = 2**63 - 1

    def __init__(self, codec: Codec) -> None:
        self.frame_ids = {name: {s.id: s for s in frame.signals}
                          for name, frame in codec.catalogue.frames.items()}

    @staticmethod
    def payload(v2_payload: bytes) -> bytes:
        data = msgpack.unpackb(v2_payload, strict_map_key=False)
        del data["ep"], data["mac"]
        data["v"] = 1
        return msgpack.packb(data, use_bin_type=True)

    def _envelope(self, payload: bytes) -> dict[str, Any]:
        data = unpack(payload, 0)
        if data.keys() != self.KEYS:
            raise DecodeError("envelope keys wrong")
        if type(data["v"]) is not int or data["v"] != 1:
            raise DecodeError(f"schema version {data['v']!r} is not 1")
        seq, ts = data["seq"], data["ts"]
        if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq <= self.MAX_SEQ:
            raise DecodeError("'seq' must be an int in 0..2**63-1")
        if isinstance(ts, bool) or not isinstance(ts, int) or not 0 <= ts <= self.MAX_SEQ:
            raise DecodeError("'ts' must be microseconds since the Unix epoch as an int")
        return data

    def decode_state(self, frame: str, payload: bytes) -> StateFrame:
        specs = self.frame_ids.get(frame)
        if specs is None:
            raise DecodeError(f"unknown frame {frame!r}")
        data = self._envelope(payload)
        sig = data["sig"]
        if not isinstance(sig, dict):
            raise DecodeError("'sig' must be a map of signal id to value")
        values: dict[str, Any] = {}
        for sid, wire in sig.items():
            spec = specs.get(sid) if isinstance(sid, int) and not isinstance(sid, bool) else None
            if spec is None:
                raise DecodeError(f"signal id {sid!r} is not in frame {frame!r}")
            if wire is None:
                values[spec.path] = None
                continue
            try:
                values[spec.path] = spec.value.from_wire(wire)
            except ValueError as error:
                raise DecodeError(f"{spec.path}: {error}") from None
        return StateFrame(frame, data["seq"], data["ts"], values)


DECODE_ROUNDS = 3


def decode_limits(frames: FrameSet, seconds: float) -> dict[str, float]:
    """Frames per second over the same recorded frames of: a bare msgpack.unpackb loop, our
    strict decoder with the MAC verified (what the HMI runs), the same decoder with the MAC
    check skipped, and the v1 decoder on the same frames as v1 sent them. They take turns,
    DECODE_ROUNDS rounds of seconds/DECODE_ROUNDS each, and each keeps its best round, so a busy
    moment of the machine hits them alike."""
    codec = Codec(load_catalogue())
    sealer = load_command_key().sealer(VEHICLE)  # the simulator's key: the same environment
    items = []
    for name, payloads in frames.items():
        for payload in payloads:
            try:
                codec.decode_state(name, payload, sealer)
            except DecodeError:  # a frame the HMI refuses too (an injected sensor fault)
                continue
            items.append((name, payload))
    if not items:
        raise RuntimeError("no recorded frame verifies with this environment's key")
    any_mac = cast(Sealer, AnyMac)
    v1 = V1Decoder(codec)
    v1_items = [(name, V1Decoder.payload(payload)) for name, payload in items]
    functions = {
        "unpackb": (items, lambda n, p: msgpack.unpackb(p, strict_map_key=False)),
        "decode_state": (items, lambda n, p: codec.decode_state(n, p, sealer)),
        "decode_unverified": (items, lambda n, p: codec.decode_state(n, p, any_mac)),
        "decode_v1": (v1_items, v1.decode_state),
    }
    out = dict.fromkeys(functions, 0.0)
    for _ in range(DECODE_ROUNDS):
        for label, (inputs, fn) in functions.items():
            count, t0 = 0, time.perf_counter()
            while time.perf_counter() - t0 < seconds / DECODE_ROUNDS:
                for name, payload in inputs:
                    fn(name, payload)
                count += len(inputs)
            out[label] = max(out[label], count / (time.perf_counter() - t0))
    return out

