"""Random and mutated payloads on every topic the HMI and the simulator subscribe to.

    python -m tests.reliability.fuzz URL VEHICLE COUNT SEED

Publishes COUNT messages (never empty: an empty retained publish is a legal delete) and prints
one JSON line: how many each side must refuse, by the protocol's own rules (the oracle below).
"""

from __future__ import annotations

import json
import math
import random
import sys
import time
from collections.abc import Callable
from typing import Any

import msgpack

from protocols import Codec, Command, DecodeError, TopicKind, VehicleTopics, now_us, parse_topic
from protocols.auth import DEVELOPMENT_KEY, compute_mac
from protocols.bus import parse_broker_url
from protocols.bus.mqtt import MqttTransport
from protocols.seal import Sealer

CODEC = Codec()
GUESSED_KEY = b"a key the fuzzer guessed, not the vehicle's"
EPOCH = now_us()
CAT = CODEC.catalogue

BOMBS = [
    b"\xdd\xff\xff\xff\xff",                  # array32 of 4 G elements
    b"\xdf\xff\xff\xff\xff",                  # map32 of 4 G entries
    b"\xdb\xff\xff\xff\xff" + b"a" * 16,      # str32 of 4 GB
    b"\xc6\xff\xff\xff\xff" + b"a" * 16,      # bin32 of 4 GB
    b"\xc9\xff\xff\xff\xff\x05",              # ext32 of 4 GB
    b"\x81\xa1a" * 1000 + b"\xc0",            # maps nested 1000 deep
    b"\x91" * 2000 + b"\xc0",                 # arrays nested 2000 deep
    b"\xde\xff\xff" + b"\xc0\xc0" * 10,       # map16 claiming 65535 entries
    b"\xd9\xff" + b"\xff" * 255,              # str8 of invalid UTF-8
    b"\xc1",                                  # never-used byte
]
ODD_VALUES = [math.nan, math.inf, -math.inf, 1e308, -1e308, 2**64, -2**63 - 1, 2**63, -1, None,
              True, False, "", "x" * 900, "\udcff".encode("utf-8", "surrogatepass"), b"\x00" * 16,
              {}, {"a": 1}, 1.5, 0, 255, "SAND", "TURBO", -0.0, 3]


END_MARKER_TOPIC = "ema-test/fuzz/end"
DRAIN_TIMEOUT_S = 30.0

def valid_samples(vehicle: str) -> list[tuple[str, bytes]]:
    topics = VehicleTopics(vehicle)
    guessed = Sealer(GUESSED_KEY, vehicle)  # no mutation of what it seals can be genuine
    out = []
    for name, frame in CAT.frames.items():
        values = {s.path: s.default for s in frame.signals if s.default is not None}
        out.append((topics.state(name), CODEC.encode_state(name, values, now_us(), epoch=EPOCH,
                                                           sealer=guessed)))
    out.append((topics.status, CODEC.encode_status(True, now_us(), epoch=EPOCH, sealer=guessed)))
    for name, spec in CAT.commands.items():
        args = {a: (v.choices[0] if getattr(v, "choices", None) else v.min if v.min is not None
                    else False) for a, v in spec.args.items()}
        try:
            CODEC.encode_command(Command(name, "fz", args))
        except Exception:
            continue
        topic = topics.sim(name) if spec.scope == "sim" else topics.command(name)
        ctr = now_us()
        # signed, but with a key the fuzzer guessed: no mutation of it can be genuine
        mac = compute_mac(GUESSED_KEY, vehicle, name, "fz", ctr, args)
        out.append((topic, CODEC.encode_command(Command(name, "fz", args, 1, 1, ctr, mac))))
    return out


def structured(rng: random.Random, topic: str) -> bytes:
    """A plausible envelope with one or more things wrong."""
    kind = topic.split("/")[3]
    data: dict[Any, Any] = {"v": 3, "seq": rng.randrange(2**63), "ts": now_us()}
    if kind in ("state", "status", "result"):
        data.update(ep=rng.choice([EPOCH, 0, 2**63, "e"]), mac=rng.choice(
            [rng.randbytes(16), rng.randbytes(15), b"", "mac"]))
    if kind == "state":
        frame = CAT.frames.get(topic.rsplit("/", 1)[-1]) or CAT.frames["drive"]
        ids = [s.id for s in frame.signals] + [0, 999, 40, 1]
        data["sig"] = {rng.choice(ids + ["1"]): rng.choice(ODD_VALUES)
                       for _ in range(rng.randint(1, 4))}
    elif kind == "status":
        data["online"] = rng.choice(ODD_VALUES)
    elif kind == "result":
        data.update(rid=rng.choice(["r", "", "x" * 65, 5]), cmd=rng.choice(["set_charge_limit", 3]),
                    status=rng.choice(["accepted", "rejected", "done", None]),
                    reason=rng.choice([None, "replayed", "bogus", 1]),
                    text=rng.choice(["", 0, "t" * 300]))
    else:
        data.update(rid=rng.choice(["r1", "", "x" * 65, 7, None]),
                    args={rng.choice(["percent", "program", "paused", "x"]):
                          rng.choice(ODD_VALUES)})
        if rng.random() < 0.5:
            data.update(ctr=rng.choice([now_us(), -1, 1.5, "c"]),
                        mac=rng.choice([rng.randbytes(16), rng.randbytes(15), b"", "mac"]))
    for _ in range(rng.randint(0, 2)):  # break the envelope too, now and then
        choice = rng.random()
        key = rng.choice(list(data))
        if choice < 0.3:
            data[key] = rng.choice(ODD_VALUES)
        elif choice < 0.5:
            del data[key]
        elif choice < 0.6:
            data["extra"] = 1
    try:
        return msgpack.packb(data, use_bin_type=rng.random() < 0.8)
    except (OverflowError, TypeError, ValueError):
        return msgpack.packb({"v": 3, "seq": "not an int"})


def mutate(rng: random.Random, payload: bytes) -> bytes:
    data = bytearray(payload)
    for _ in range(rng.randint(1, 4)):
        op = rng.random()
        if op < 0.5 and data:
            data[rng.randrange(len(data))] ^= 1 << rng.randrange(8)
        elif op < 0.7 and len(data) > 1:
            del data[rng.randrange(len(data)):]
        elif op < 0.9:
            data.insert(rng.randrange(len(data) + 1), rng.randrange(256))
        else:
            data[rng.randrange(len(data) + 1):] = rng.choice(BOMBS)
    return bytes(data) or b"\xc1"


def hmi_refuses(vehicle: str, topic: str, payload: bytes) -> bool | None:
    sealer = Sealer(DEVELOPMENT_KEY, vehicle)
    """None if the HMI does not subscribe to the topic, else whether it refuses the payload."""
    try:
        parsed = parse_topic(topic)
    except DecodeError:
        parts = topic.split("/")
        return True if len(parts) == 5 and parts[3] == "state" and parts[2] == vehicle else None
    if parsed.vehicle != vehicle or parsed.kind not in (TopicKind.STATE, TopicKind.STATUS,
                                                        TopicKind.RESULT):
        return None
    try:
        if parsed.kind is TopicKind.STATE:
            CODEC.decode_state(parsed.name or "", payload, sealer)
        elif parsed.kind is TopicKind.STATUS:
            CODEC.decode_status(payload, sealer)
        else:
            CODEC.decode_result(payload, sealer)
    except DecodeError:
        return True
    return False


def sim_outcome(vehicle: str, topic: str, payload: bytes) -> str | None:
    """None if the simulator does not subscribe, else 'malformed', 'unauthorised' or 'valid', in
    the vehicle's order: the envelope, then the MAC, then the command and its arguments."""
    parts = topic.split("/")
    if len(parts) != 5 or parts[2] != vehicle or parts[3] not in ("cmd", "sim"):
        return None
    try:
        parsed = parse_topic(topic)
        command = CODEC.decode_command_unchecked(parsed.name or "", payload)
    except DecodeError:
        return "malformed"
    expected = compute_mac(DEVELOPMENT_KEY, vehicle, command.name, command.rid, command.ctr,
                           command.args)
    if command.mac != expected:
        return "unauthorised"
    spec = CAT.commands.get(parsed.name or "")
    if spec is None or spec.scope != ("sim" if parsed.kind is TopicKind.SIM else "vehicle"):
        return "malformed"
    try:
        CODEC.check_command(command)
    except DecodeError:
        return "malformed"
    return "valid"


def main(url: str, vehicle: str, count: int, seed: int) -> int:
    rng = random.Random(seed)
    topics = VehicleTopics(vehicle)
    samples = valid_samples(vehicle)
    topic_pool = [t for t, _ in samples] + [topics.result, f"{topics.base}/state/nonsense",
                                            f"{topics.base}/state/N0PE",
                                            f"{topics.base}/cmd/self_destruct",
                                            f"{topics.base}/cmd/\u00e9t\u00e9",
                                            f"{topics.base}/sim/set_charge_limit"]
    makers: list[Callable[[str], bytes]] = [
        lambda t: rng.randbytes(rng.randint(1, 64)),
        lambda t: rng.choice(BOMBS),
        lambda t: structured(rng, t),
        lambda t: mutate(rng, next(p for s, p in samples if s == t)
                         if any(s == t for s, _ in samples) else rng.choice(samples)[1]),
        lambda t: rng.randbytes(rng.choice([4097, 5000, 65536])),
    ]
    weights = [20, 5, 35, 39, 1]
    transport = MqttTransport(parse_broker_url(url), client_id=f"fuzz-{vehicle}")
    transport.start()
    if not transport.wait_connected(5):
        raise SystemExit("fuzz: no broker")
    expected = {"sent": 0, "hmi_refused": 0, "hmi_accepted": 0, "sim_malformed": 0,
                "sim_unauthorised": 0, "sim_valid": 0, "bombs": 0, "oversize": 0}
    for index in range(count):
        topic = rng.choice(topic_pool)
        maker = rng.choices(range(len(makers)), weights)[0]
        payload = makers[maker](topic)
        expected["bombs"] += maker == 1
        expected["oversize"] += len(payload) > 4096
        refused = hmi_refuses(vehicle, topic, payload)
        if refused is not None:
            expected["hmi_refused" if refused else "hmi_accepted"] += 1
        outcome = sim_outcome(vehicle, topic, payload)
        if outcome is not None:
            expected[f"sim_{outcome}"] += 1
        transport.publish(topic, payload, qos=0)
        expected["sent"] += 1
        if index % 500 == 499:
            time.sleep(0.02)  # stay a fuzzer, not a flood
    # The payloads went out at QoS 0; a QoS 1 marker after them on the same connection, once
    # acknowledged, says the broker has them all. Its topic is outside every vehicle's.
    transport.publish(END_MARKER_TOPIC, b"end", qos=1)
    if not transport.drain(DRAIN_TIMEOUT_S):
        raise SystemExit("fuzz: the broker did not acknowledge the end marker")
    transport.close()
    print(json.dumps(expected), flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])))
