"""Traffic generator: replays recorded simulator frames at `scale` times their nominal rates.

    python -m hmi.bench.feed --broker URL --vehicle ID --frames FILE --scale S --duration D
                             [--format msgpack|json] [--prime]

`--prime` publishes the retained status (online) and one retained message per frame, then exits.

Each frame topic is published at scale x its catalogue rate, cycling through that frame's
recorded payloads, re-stamped with a fresh seq and `ts` (time.time_ns()//1000 just before the
publish) and retained, as the simulator does. Every drive frame carries a marker speed that
differs from the previous one by 1.8 km/h, so the speed readout changes and the window redraws
for every drive frame applied. `--format json` publishes the JSON twin (full paths, enum names).
Prints one JSON line at the end: {"sent", "elapsed_s", "rate"}.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import msgpack

from protocols import load_catalogue

from . import frames as framesets

SPEED_ID = 1
SPEED_PATH = "Vehicle.Speed"


def marker_speed(count: int) -> float:
    return 0.5 * (count % 120 + 1)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hmi.bench.feed")
    parser.add_argument("--broker", required=True)
    parser.add_argument("--vehicle", default="ema-01")
    parser.add_argument("--frames", required=True)
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--duration", type=float, default=5.0)
    parser.add_argument("--format", choices=("msgpack", "json"), default="msgpack")
    parser.add_argument("--prime", action="store_true", help="one retained message per frame")
    args = parser.parse_args(argv)

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
        else msgpack.packb
    c = framesets.client(args.broker, f"bench-feed-{time.monotonic_ns()}")
    deadline = time.monotonic() + 5
    while not c.is_connected() and time.monotonic() < deadline:
        time.sleep(0.005)
    seq = time.time_ns() // 1000
    index = dict.fromkeys(bodies, 0)
    drive_count = 0
    sent = 0

    def publish(name: str) -> None:
        nonlocal seq, drive_count, sent
        items = bodies[name]
        body = items[index[name] % len(items)]
        index[name] += 1
        seq += 1
        body["seq"] = seq
        if name == "drive":
            drive_count += 1
            body["sig"][speed_key] = marker_speed(drive_count)
        body["ts"] = time.time_ns() // 1000
        c.publish(topics[name], dumps(body), qos=0, retain=True)
        sent += 1

    start = time.monotonic()
    if args.prime:
        # the vehicle says it is online (a recorded simulator leaves a retained "offline")
        status = {"v": 1, "seq": seq, "ts": time.time_ns() // 1000, "online": True}
        c.publish(f"ema/v1/{args.vehicle}/status",
                  dumps(status), qos=1, retain=True).wait_for_publish(5)
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
    time.sleep(0.05)
    framesets.close(c)
    print(json.dumps({"sent": sent, "elapsed_s": elapsed, "rate": sent / max(elapsed, 1e-9)}),
          flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
