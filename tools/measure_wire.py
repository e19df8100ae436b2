#!/usr/bin/env python3
"""Measure the wire: size of each full state frame against compact full-path JSON, and decode cost.

    python tools/measure_wire.py [--decodes N] [--repeats R]

For every frame, all its signals are encoded twice:
  mid-range  every float at min + 0.3719 * (max - min) (full float64 precision, the worst case for
             JSON's decimal text), bool/enum/int at the catalogue default;
  defaults   every signal at its catalogue default (mostly 0.0 / false: JSON's best case).
The msgpack frame is sealed (since schema 2: `ep` and a 16-byte `mac`, protocols.seal) with
the development key. The JSON twin is {"v":3,"ep":…,"seq":…,"ts":…,"sig":{FULL.PATH: value},"mac":…}
with enums as their names and the MAC as unpadded base64url (22 characters: JSON has no bytes),
json.dumps(separators=(",", ":")), UTF-8. Both use ep=1789999999000000, seq=123456 and
ts=1790000000000000.
Decode cost: Codec.decode_state (every check and the MAC verified), the same decode with the MAC
check skipped (a sealer that accepts any MAC: what decoding cost before the MAC), and a bare
msgpack.unpackb of the same mid-range bytes, N decodes timed with time.perf_counter, repeated R
times; the median run is reported in µs per frame.
"""

from __future__ import annotations

import argparse
import base64
import json
import os
import platform
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import msgpack  # noqa: E402

from protocols import Codec, DataType, load_catalogue  # noqa: E402
from protocols.auth import development_key  # noqa: E402

EPOCH = 1_789_999_999_000_000
SEQ = 123_456
TS_US = 1_790_000_000_000_000
VEHICLE = "ema-01"


class AnyMac:
    """A sealer that accepts every MAC: the decode without its verification, for comparison."""

    vehicle = VEHICLE

    @staticmethod
    def verify(*_args) -> bool:
        return True


def mid_range(spec):
    if spec.type is DataType.FLOAT:
        return spec.value.min + (spec.value.max - spec.value.min) * 0.3719
    return spec.default


def frame_values(frame, pick) -> dict:
    return {s.path: pick(s) for s in frame.signals}


def as_json(values: dict, mac: bytes, version: int) -> bytes:
    return json.dumps({"v": version, "ep": EPOCH, "seq": SEQ, "ts": TS_US, "sig": values,
                       "mac": base64.urlsafe_b64encode(mac).rstrip(b"=").decode()},
                      separators=(",", ":")).encode()


def per_call_us(function, argument, count: int, repeats: int) -> float:
    runs = []
    for _ in range(repeats):
        start = time.perf_counter()
        for _ in range(count):
            function(argument)
        runs.append((time.perf_counter() - start) / count * 1e6)
    return statistics.median(runs)


def row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--decodes", type=int, default=100_000)
    parser.add_argument("--repeats", type=int, default=3)
    args = parser.parse_args()
    catalogue = load_catalogue()
    codec = Codec(catalogue)
    sealer = development_key().sealer(VEHICLE)

    def timed(function, argument) -> float:
        return per_call_us(function, argument, args.decodes, args.repeats)

    print(f"machine: {platform.machine()}, Python {platform.python_version()}, msgpack "
          f"{'.'.join(map(str, msgpack.version))}, {len(os.sched_getaffinity(0))} CPUs")
    print()
    print(row("frame", "signals", "rate Hz", "msgpack B (mid)", "JSON B (mid)", "ratio (mid)",
              "msgpack B (defaults)", "JSON B (defaults)", "ratio (defaults)",
              "decode_state µs", "MAC unchecked µs", "bare unpackb µs", "json.loads µs"))
    print("| --- |" + " ---: |" * 12)
    wire_mid_total = json_mid_total = wire_def_total = json_def_total = 0
    wire_per_s = json_per_s = 0.0
    for name, frame in catalogue.frames.items():
        mid = frame_values(frame, mid_range)
        defaults = frame_values(frame, lambda s: s.default)
        wire_mid = codec.encode_state(name, mid, seq=SEQ, ts_us=TS_US, epoch=EPOCH,
                                      sealer=sealer)
        wire_def = codec.encode_state(name, defaults, seq=SEQ, ts_us=TS_US, epoch=EPOCH,
                                      sealer=sealer)
        json_mid = as_json(mid, msgpack.unpackb(wire_mid, strict_map_key=False)["mac"],
                           catalogue.schema_version)
        json_def = as_json(defaults, msgpack.unpackb(wire_def, strict_map_key=False)["mac"],
                           catalogue.schema_version)
        assert codec.decode_state(name, wire_mid, sealer).values == mid
        decode = timed(lambda p, name=name: codec.decode_state(name, p, sealer), wire_mid)
        unchecked = timed(lambda p, name=name: codec.decode_state(name, p, AnyMac), wire_mid)
        bare = timed(lambda p: msgpack.unpackb(p, strict_map_key=False), wire_mid)
        loads = timed(json.loads, json_mid)
        wire_mid_total += len(wire_mid)
        json_mid_total += len(json_mid)
        wire_def_total += len(wire_def)
        json_def_total += len(json_def)
        wire_per_s += len(wire_mid) * frame.rate_hz
        json_per_s += len(json_mid) * frame.rate_hz
        print(row(name, len(frame.signals), f"{frame.rate_hz:g}", len(wire_mid), len(json_mid),
                  f"{len(wire_mid) / len(json_mid):.2f}", len(wire_def), len(json_def),
                  f"{len(wire_def) / len(json_def):.2f}", f"{decode:.1f}", f"{unchecked:.1f}",
                  f"{bare:.2f}", f"{loads:.2f}"))
    print(row("all frames, one each", len(catalogue.signals), "", wire_mid_total, json_mid_total,
              f"{wire_mid_total / json_mid_total:.2f}", wire_def_total, json_def_total,
              f"{wire_def_total / json_def_total:.2f}", "", "", "", ""))
    print(row("all frames at their rates, B/s", "", "", f"{wire_per_s:.0f}", f"{json_per_s:.0f}",
              f"{wire_per_s / json_per_s:.2f}", "", "", "", "", "", "", ""))
    print()
    print(f"decodes per run: {args.decodes}, runs: {args.repeats} (median shown); "
          "decode timings use the mid-range bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
