"""Traffic generator: replays recorded simulator frames at `scale` times their nominal rates.

    python -m hmi.benchmark.feed --broker URL --vehicle ID --frames FILE --scale S --duration D
                             [--format msgpack|json] [--prime] [--pace SCALE]
                             [--command-key-file PATH]

`--prime` publishes the retained status (online) and one retained message per frame, then exits.

Each frame topic is published at scale x its catalogue rate, cycling through that frame's
recorded payloads, re-stamped and retained, as the simulator does: each run of the feed is one
vehicle session (the catalogue's schema version) with its own epoch, a seq rising from 1,
`ts` = time.time_ns()//1000 just before the publish, and a MAC with the vehicle's key
(--command-key-file, else $EMA_COMMAND_KEY_FILE, else the development key), so an HMI verifies
and takes every frame. To
keep the feed fast the MAC input is precomputed but for seq and ts (see `FrameSealer`). Every
drive frame carries a marker speed that differs from the previous one by 1.8 km/h, so the speed
readout changes and the window redraws for every drive frame applied. `--format json` publishes
the JSON twin (full paths, enum names; its MAC field is the recorded one, as the JSON peer
verifies nothing). Prints one JSON line at the end: {"sent", "elapsed_s", "rate"}.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import json
import sys
import time
from typing import Any

import msgpack

from protocols import load_catalogue
from protocols.auth import add_auth_arguments, load_command_key
from protocols.codec import MAC_LEN
from protocols.freshness import session_epoch
from protocols.seal import DOMAIN, Sealer, frame_body

from . import frames as framesets
from .pace import Pace

SPEED_ID = 1
SPEED_PATH = "Vehicle.Speed"
MARKERS = 120
FLUSH_S = 5.0  # nominal bound for the broker to echo the feed's marker (hmi.benchmark.pace)


def marker_speed(count: int) -> float:
    return 0.5 * (count % MARKERS + 1)


class FrameSealer:
    """The MAC of a state frame (protocols.seal) with everything but seq and ts precomputed.

    The MAC covers the msgpack of [DOMAIN, vehicle, channel, ep, seq, ts, body]; msgpack of an
    array is its header followed by its items' msgpack, so the head up to the epoch is packed
    once per frame, each body once per recorded payload (and marker speed), and only seq and ts
    per message. `check` compares it with protocols.seal once, so the two cannot drift apart.
    """

    def __init__(self, secret: bytes, vehicle: str, epoch: int) -> None:
        self.secret = secret
        self.vehicle = vehicle
        self.epoch = epoch
        self._heads: dict[str, bytes] = {}
        self._bodies: dict[Any, bytes] = {}

    def mac(self, frame: str, seq: int, ts: int, sig: dict[int, Any], body_key: Any) -> bytes:
        head = self._heads.get(frame)
        if head is None:
            head = self._heads[frame] = b"\x97" + b"".join(
                msgpack.packb(item) for item in (DOMAIN, self.vehicle, f"state/{frame}",
                                                 self.epoch))
        body = self._bodies.get(body_key)
        if body is None:
            body = self._bodies[body_key] = msgpack.packb(frame_body(sig))
        data = b"".join((head, msgpack.packb(seq), msgpack.packb(ts), body))
        return hmac.digest(self.secret, data, hashlib.sha256)[:MAC_LEN]

    def check(self, sealer: Sealer, frame: str, sig: dict[int, Any]) -> None:
        mine = self.mac(frame, 7, 1_790_000_000_000_000, sig, ("check", frame))
        if mine != sealer.mac(f"state/{frame}", self.epoch, 7, 1_790_000_000_000_000,
                              frame_body(sig)):
            raise RuntimeError("the feed's precomputed MAC differs from protocols.seal")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hmi.benchmark.feed")
    parser.add_argument("--broker", required=True)
    parser.add_argument("--vehicle", default="ema-01")
    parser.add_argument("--frames", required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--format", choices=("msgpack", "json"), default="msgpack")
    parser.add_argument("--prime", action="store_true", help="one retained message per frame")
    parser.add_argument("--pace", type=float, default=1.0,
                        help="this machine's slowness (hmi.benchmark.pace): scales the waits")
    add_auth_arguments(parser)
    args = parser.parse_args(argv)

    key = load_command_key(args.command_key_file)
    epoch = session_epoch()
    sealer = key.sealer(args.vehicle)
    fast = FrameSealer(key.secret, args.vehicle, epoch)
    catalogue = load_catalogue()
    recorded = framesets.load(args.frames)
    as_json = args.format == "json"
    bodies: dict[str, list[dict]] = {}
    for name, payloads in recorded.items():
        if as_json:
            bodies[name] = [json.loads(framesets.json_twin(name, p)) for p in payloads]
        else:
            bodies[name] = [msgpack.unpackb(p, strict_map_key=False) for p in payloads]
    topics = {name: f"ema/v1/{args.vehicle}/state/{name}" for name in bodies}
    speed_key = SPEED_PATH if as_json else SPEED_ID
    dumps = (lambda d: json.dumps(d, separators=(",", ":")).encode()) if as_json \
        else (lambda d: msgpack.packb(d, use_bin_type=True))
    if not as_json:
        for name, items in bodies.items():
            fast.check(sealer, name, items[0]["sig"])
    pace = Pace(scale=args.pace)
    c = framesets.client(args.broker, f"bench-feed-{time.monotonic_ns()}", pace)
    seq = 0
    index = dict.fromkeys(bodies, 0)
    drive_count = 0
    sent = 0

    def publish(name: str) -> None:
        nonlocal seq, drive_count, sent
        items = bodies[name]
        at = index[name] % len(items)
        body = items[at]
        index[name] += 1
        seq += 1
        body["ep"] = epoch
        body["seq"] = seq
        body_key: Any = (name, at)
        if name == "drive":
            drive_count += 1
            body["sig"][speed_key] = marker_speed(drive_count)
            body_key = (name, at, drive_count % MARKERS)
        ts = body["ts"] = time.time_ns() // 1000
        if not as_json:
            body["mac"] = fast.mac(name, seq, ts, body["sig"], body_key)
        c.publish(topics[name], dumps(body), qos=0, retain=True)
        sent += 1

    start = time.monotonic()
    if args.prime:
        # the vehicle says it is online (a recorded simulator leaves a retained "offline")
        seq += 1
        ts = time.time_ns() // 1000
        status_mac = sealer.mac("status", epoch, seq, ts, [True, 0])  # the feed has no will
        status = {"v": catalogue.schema_version, "ep": epoch, "seq": seq, "ts": ts,
                  "online": True, "will": 0,
                  "mac": status_mac.hex() if as_json else status_mac}
        c.publish(f"ema/v1/{args.vehicle}/status", dumps(status), qos=1, retain=True)
        for name in bodies:
            publish(name)
    else:
        periods = {name: catalogue.frames[name].period_s / args.scale for name in bodies}
        due = {name: start + periods[name] * i / len(bodies) for i, name in enumerate(bodies)}
        end = start + args.duration
        while True:
            now = time.monotonic()
            if now >= end:
                break
            for name, at in due.items():
                if at <= now:
                    while at <= now:
                        publish(name)
                        at += periods[name]
                    due[name] = at
            wait = min(min(due.values()), end) - time.monotonic()
            if wait > 0:
                time.sleep(min(wait, 0.5))
    elapsed = time.monotonic() - start
    framesets.flush(c, pace.bound(FLUSH_S))  # everything sent has reached the broker
    framesets.close(c)
    print(json.dumps({"sent": sent, "elapsed_s": elapsed, "rate": sent / max(elapsed, 1e-9)}),
          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
