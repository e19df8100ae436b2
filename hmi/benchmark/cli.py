"""`ema-bench`: measure latency, throughput, CPU, memory, startup, wire and simulator cost.

    ema-bench [--quick] [--json PATH] [--skip-sim]

Starts its own Mosquitto, records real simulator frames, then runs each measured program
(ours, the bare window, the JSON peer, a raw paho subscriber) as a headless subprocess fed by
a generator that replays those frames at 1x, 10x and 100x their nominal rates and beyond.
Prints a table (figure, baseline, ratio, peer, target) and writes the same as JSON.
`--quick` is a ~30 s smoke run with short windows: its figures are noisy.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, cast

import msgpack

from protocols import Codec, DecodeError, StateFrame, load_catalogue
from protocols.codec import unpack
from protocols.auth import load_command_key
from protocols.seal import Sealer

from . import frames as framesets
from .broker import BenchBroker
from .procstat import CpuWindow, rss_mb, thread_cpu

VEHICLE = "ema-01"
FRAME_BUDGET_MS = 1000.0 / 60.0
GROUPS = ("latency", "throughput", "resources", "wire", "simulator")


@dataclass(frozen=True)
class Plan:
    record_s: float
    settle_s: float
    idle_s: float
    rate_s: dict[int, float]
    ramp: tuple[int, ...]
    ramp_s: float
    fleet: tuple[int, ...]
    fleet_s: float
    rss_at_s: float
    tail_s: float


FULL = Plan(record_s=10, settle_s=7, idle_s=10, rate_s={1: 20, 10: 15, 100: 20},
            ramp=(1850, 3000, 5000, 8000, 12000), ramp_s=6,
            fleet=(20, 60, 120, 200, 300, 400), fleet_s=5, rss_at_s=60, tail_s=1.0)
QUICK = Plan(record_s=2, settle_s=0.5, idle_s=1.5, rate_s={1: 2, 10: 1.5, 100: 1.5},
             ramp=(4000,), ramp_s=1.5, fleet=(3,), fleet_s=1.5, rss_at_s=0, tail_s=0.6)


def pct(values: list[float], q: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def _env(workdir: Path) -> dict[str, str]:
    root = str(Path(__file__).resolve().parents[2])
    env = dict(os.environ)
    env["PYTHONPATH"] = root + (os.pathsep + env["PYTHONPATH"] if env.get("PYTHONPATH") else "")
    env.setdefault("SDL_VIDEODRIVER", "offscreen")
    env["KIVY_HOME"] = str(workdir / "kivy")
    env["XDG_STATE_HOME"] = str(workdir / "state")
    return env


class Subject:
    """A measured program in its own process; collects its JSON-line reports."""

    def __init__(self, kind: str, broker: BenchBroker, workdir: Path) -> None:
        self.kind = kind
        self.workdir = workdir / kind
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.batches: list[dict[str, Any]] = []
        self.events: dict[str, float] = {}
        self._cond = threading.Condition()
        self.t0 = time.time()
        self._stderr = open(self.workdir / "stderr.log", "wb")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "hmi.benchmark.subject", kind, "--broker", broker.url,
             "--vehicle", VEHICLE, "--workdir", str(self.workdir)],
            env=_env(self.workdir), stdout=subprocess.PIPE,
            stderr=self._stderr, text=True)
        self.pid = self.proc.pid
        threading.Thread(target=self._read, daemon=True).start()

    def _read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            try:
                item = json.loads(line)
            except ValueError:
                continue
            with self._cond:
                if "event" in item:
                    self.events[item["event"]] = item["t"]
                else:
                    self.batches.append(item)
                self._cond.notify_all()

    def wait_event(self, name: str, timeout_s: float = 20.0) -> float:
        deadline = time.monotonic() + timeout_s
        with self._cond:
            while name not in self.events:
                left = deadline - time.monotonic()
                if left <= 0 or self.proc.poll() is not None:
                    log = (self.workdir / "stderr.log").read_text(errors="replace")[-2000:]
                    raise RuntimeError(f"{self.kind}: no {name} event\n{log}")
                self._cond.wait(min(left, 0.2))
            return self.events[name]

    def window(self, t1: float, t2: float) -> dict[str, list[float]]:
        out: dict[str, list[float]] = {"lat": [], "flip": [], "tick": []}
        with self._cond:
            for batch in self.batches:
                if t1 < batch["t"] <= t2:
                    for key, values in out.items():
                        values.extend(batch[key])
        return out

    def received_at(self, t: float) -> int:
        """The receive counter of the first report after `t`."""
        deadline = time.monotonic() + 2.0
        while time.monotonic() < deadline:
            with self._cond:
                for batch in self.batches:
                    if batch["t"] >= t:
                        return int(batch["recv"])
            time.sleep(0.05)
        with self._cond:
            return int(self.batches[-1]["recv"]) if self.batches else 0

    def stop(self) -> None:
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(5)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(5)
        self._stderr.close()


def feed_command(broker: BenchBroker, frames_file: Path, scale: float, duration_s: float,
                 fmt: str, prime: bool = False) -> list[str]:
    return [sys.executable, "-m", "hmi.benchmark.feed", "--broker", broker.url, "--vehicle",
            VEHICLE, "--frames", str(frames_file), "--scale", f"{scale:g}", "--duration",
            f"{duration_s:g}", "--format", fmt] + (["--prime"] if prime else [])


def run_feed(broker: BenchBroker, frames_file: Path, workdir: Path, scale: float,
             duration_s: float, fmt: str, prime: bool = False) -> dict[str, Any]:
    command = feed_command(broker, frames_file, scale, duration_s, fmt, prime)
    done = subprocess.run(command, check=False, env=_env(workdir), capture_output=True, text=True,
                          timeout=duration_s + 30)
    if done.returncode != 0:
        raise RuntimeError(f"feed failed: {done.stderr[-1500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@dataclass
class Step:
    scale: float
    target_rate: float
    sent: int = 0
    received: int = 0
    rate: float = 0.0
    cpu_pct: float = 0.0
    rss_start: float = 0.0
    rss_end: float = 0.0
    lat: list[float] = field(default_factory=list)
    flip: list[float] = field(default_factory=list)
    tick: list[float] = field(default_factory=list)
    threads: dict[str, float] = field(default_factory=dict)

    @property
    def backlog_flat(self) -> bool:
        if self.sent == 0 or self.received < 0.98 * self.sent:
            return False
        if len(self.lat) < 9:
            return True
        third = len(self.lat) // 3
        return pct(self.lat[-third:], 0.5) <= pct(self.lat[:third], 0.5) + FRAME_BUDGET_MS

    @property
    def memory_flat(self) -> bool:
        return self.rss_end - self.rss_start <= 5.0

    def summary(self) -> dict[str, Any]:
        return {"scale": self.scale, "target_rate": self.target_rate, "sent": self.sent,
                "received": self.received, "rate": self.rate, "cpu_pct": self.cpu_pct,
                "rss_start_mb": self.rss_start, "rss_end_mb": self.rss_end,
                "lat_p50": pct(self.lat, 0.5), "lat_p99": pct(self.lat, 0.99),
                "lat_max": max(self.lat) if self.lat else float("nan"),
                "lat_n": len(self.lat), "flip_p50": pct(self.flip, 0.5),
                "flip_p99": pct(self.flip, 0.99), "tick_p99": pct(self.tick, 0.99),
                "backlog_flat": self.backlog_flat, "memory_flat": self.memory_flat,
                "cpu_by_thread_pct": self.threads}


def measure_step(subject: Subject, broker: BenchBroker, frames_file: Path, workdir: Path,
                 scale: float, duration_s: float, fmt: str, nominal_rate: float,
                 tail_s: float = 1.0) -> Step:
    step = Step(scale, scale * nominal_rate)
    step.rss_start = rss_mb(subject.pid)
    t1 = time.time()
    recv0 = subject.received_at(t1 - 0.3)
    cpu = CpuWindow(subject.pid).start()
    threads0 = thread_cpu(subject.pid)
    feed = run_feed(broker, frames_file, workdir, scale, duration_s, fmt)
    wall = time.time() - t1
    step.cpu_pct = cpu.stop() * wall / max(feed["elapsed_s"], 1e-9)
    threads1 = thread_cpu(subject.pid)
    step.threads = {k: 100.0 * (threads1.get(k, 0.0) - threads0.get(k, 0.0))
                    / max(feed["elapsed_s"], 1e-9) for k in threads1}
    t2 = time.time()
    time.sleep(tail_s)
    step.rss_end = rss_mb(subject.pid)
    step.received = subject.received_at(t2 + tail_s - 0.1) - recv0
    step.sent, step.rate = feed["sent"], feed["rate"]
    data = subject.window(t1, t2 + 0.5)
    step.lat, step.flip, step.tick = data["lat"], data["flip"], data["tick"]
    return step


def measure_program(kind: str, broker: BenchBroker, frames_file: Path, workdir: Path,
                    plan: Plan, nominal_rate: float, keep_alive: list[Subject]) -> dict[str, Any]:
    fmt = "json" if kind == "peer" else "msgpack"
    vehicle = None
    if kind != "bare":
        run_feed(broker, frames_file, workdir, 1, 0, fmt, prime=True)
        # A running vehicle while the program starts: the HMI refuses retained frames stamped
        # more than 2 s before it reads them (protocols.freshness), so the primed copies alone
        # would leave it without values; stopped once it is live (idle means no traffic).
        vehicle = subprocess.Popen(feed_command(broker, frames_file, 1, 120, fmt),
                                   env=_env(workdir), stdout=subprocess.DEVNULL,
                                   stderr=subprocess.DEVNULL)
    subject = Subject(kind, broker, workdir)
    result: dict[str, Any] = {"kind": kind}
    rss_sample: dict[str, float] = {}
    timer = None
    if plan.rss_at_s:
        timer = threading.Timer(plan.rss_at_s - (time.time() - subject.t0),
                                lambda: rss_sample.setdefault("rss", rss_mb(subject.pid)))
        timer.start()
    try:
        try:
            result["startup_s"] = subject.wait_event("live") - subject.t0
        finally:
            if vehicle is not None:
                vehicle.terminate()
                vehicle.wait(10)
        time.sleep(plan.settle_s)
        cpu = CpuWindow(subject.pid).start()
        threads0 = thread_cpu(subject.pid)
        time.sleep(plan.idle_s)
        result["idle_cpu_pct"] = cpu.stop()
        threads1 = thread_cpu(subject.pid)
        result["idle_cpu_by_thread_pct"] = {k: 100.0 * (threads1[k] - threads0[k]) / plan.idle_s
                                            for k in threads1}
        if kind != "bare":
            result["rates"] = {
                str(scale): measure_step(subject, broker, frames_file, workdir, scale, seconds,
                                         fmt, nominal_rate, plan.tail_s).summary()
                for scale, seconds in plan.rate_s.items()}
            ramp = []
            for rate in plan.ramp:
                step = measure_step(subject, broker, frames_file, workdir, rate / nominal_rate,
                                    plan.ramp_s, fmt, nominal_rate, plan.tail_s)
                ramp.append(step.summary())
                if not (step.backlog_flat and step.memory_flat):
                    break
            result["ramp"] = ramp
        if kind == "bare" and plan.rss_at_s:
            keep_alive.append(subject)
            result["_timer"] = timer
            result["_rss"] = rss_sample
            result["_subject"] = subject
            return result
        if timer is not None:
            timer.join(max(0.0, plan.rss_at_s - (time.time() - subject.t0)) + 1)
        result["rss_mb"] = rss_sample.get("rss") or rss_mb(subject.pid)
        result["rss_at_s"] = plan.rss_at_s if "rss" in rss_sample else time.time() - subject.t0
    finally:
        if kind != "bare" or not plan.rss_at_s:
            subject.stop()
            if timer is not None:
                timer.cancel()
    return result


def finish_bare(result: dict[str, Any], plan: Plan) -> None:
    subject: Subject = result.pop("_subject")
    timer = result.pop("_timer")
    rss_sample = result.pop("_rss")
    timer.join(max(0.0, plan.rss_at_s - (time.time() - subject.t0)) + 1)
    result["rss_mb"] = rss_sample.get("rss") or rss_mb(subject.pid)
    result["rss_at_s"] = plan.rss_at_s
    subject.stop()


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


def decode_limits(frames: framesets.FrameSet, seconds: float) -> dict[str, float]:
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


def measure_simulator(broker: BenchBroker, plan: Plan) -> dict[str, Any]:
    warm = min(1.5, plan.record_s / 2)
    one = framesets.run_simulator(broker.url, VEHICLE, plan.record_s, warmup_s=warm)
    catalogue = load_catalogue()
    nominal = sum(f.rate_hz for f in catalogue.frames.values())
    json_wire = 0
    for name, payloads in one["frames"].items():
        topic = len(f"ema/v1/{VEHICLE}/state/{name}")
        for payload in payloads:
            remaining = 2 + topic + len(framesets.json_twin(name, payload))
            json_wire += 1 + (1 if remaining < 128 else 2) + remaining
    fleet = []
    for count in plan.fleet:
        run = framesets.run_simulator(broker.url, "fleet", plan.fleet_s, vehicles=count,
                                      pin_core=(os.cpu_count() or 1) - 1, warmup_s=warm)
        expected = count * nominal * run["window_s"]
        fleet.append({"vehicles": count, "cpu_pct": run["cpu_pct"],
                      "messages": run["messages"], "expected": expected,
                      "real_time": run["messages"] >= 0.95 * expected and run["cpu_pct"] < 95})
        if not fleet[-1]["real_time"]:
            break
    return {"one": {k: v for k, v in one.items() if k != "frames"}, "frames": one["frames"],
            "nominal_rate": nominal, "json_wire_bytes": json_wire, "fleet": fleet}


def row(group: str, name: str, unit: str, value: float, baseline: float, baseline_name: str,
        peer: float | None = None, target: str = "", met: bool | None = None,
        ratio: float | None = None) -> dict[str, Any]:
    if ratio is None:
        ratio = value / baseline if baseline else float("nan")
    return {"group": group, "name": name, "unit": unit, "value": value, "baseline": baseline,
            "baseline_name": baseline_name, "ratio": ratio, "peer": peer, "target": target,
            "met": met}


def build_rows(sim: dict[str, Any], decode: dict[str, float], progs: dict[str, Any]) -> list:
    ours, peer, raw, bare = progs["ours"], progs["peer"], progs["raw"], progs["bare"]
    rows = []
    for scale in ("1", "10", "100"):
        o, p, r = ours["rates"][scale], peer["rates"][scale], raw["rates"][scale]
        label = "nominal" if scale == "1" else f"{scale}x"
        rate = f"{o['rate']:.0f} msg/s"
        for stat in ("p50", "p99", "max"):
            target, met = "", None
            if scale == "1" and stat == "p50":
                target, met = "< 5 ms", o["lat_p50"] < 5
            if scale == "1" and stat == "p99":
                target, met = "<= raw p99 + 16.7 ms", o["lat_p99"] <= r["lat_p99"] + FRAME_BUDGET_MS
            if scale == "100" and stat == "p99":
                target, met = "< 50 ms", o["lat_p99"] < 50
            rows.append(row("latency", f"publish-to-screen {stat}, {label} ({rate})", "ms",
                            o[f"lat_{stat}"], r[f"lat_{stat}"], "raw paho round",
                            p[f"lat_{stat}"], target, met))
    o100, p100 = ours["rates"]["100"], peer["rates"]["100"]
    rows.append(row("throughput", "backlog and memory flat at 100x", "bool",
                    float(o100["backlog_flat"] and o100["memory_flat"]), 1.0, "expected",
                    float(p100["backlog_flat"] and p100["memory_flat"]), "flat",
                    o100["backlog_flat"] and o100["memory_flat"]))
    best = {kind: max([s for s in progs[kind]["ramp"] if s["backlog_flat"] and s["memory_flat"]],
                      key=lambda s: s["rate"], default=None) for kind in ("ours", "peer", "raw")}
    rate_of = {kind: (step["rate"] if step else 0.0) for kind, step in best.items()}
    tested = max(s["rate"] for s in ours["ramp"])
    rows.append(row("throughput", f"max sustained ingest (tested up to {tested:.0f} msg/s)",
                    "msg/s", rate_of["ours"], decode["unpackb"], "bare msgpack.unpackb loop",
                    rate_of["peer"]))
    rows.append(row("throughput", "max sustained ingest vs a raw paho subscriber",
                    "msg/s", rate_of["ours"], rate_of["raw"] or float("nan"), "raw paho round"))
    rows.append(row("throughput", "strict decoder (Codec.decode_state), frames/s", "msg/s",
                    decode["decode_state"], decode["unpackb"], "bare msgpack.unpackb loop"))
    verify_cost = decode["decode_unverified"] / decode["decode_state"]
    rows.append(row("throughput", "decode + MAC verify, frames/s (cost x"
                    f"{verify_cost:.2f} of the decode alone)", "msg/s", decode["decode_state"],
                    decode["decode_unverified"], "same decoder, MAC check skipped"))
    v1_cost = decode["decode_v1"] / decode["decode_state"]
    rows.append(row("throughput", f"decode + MAC verify, frames/s (cost x{v1_cost:.2f} of v1)",
                    "msg/s", decode["decode_state"], decode["decode_v1"],
                    "v1 decoder, same frames without ep/mac", None, "cost <= 2x v1 decode",
                    v1_cost <= 2.0))
    if best["ours"]:
        rows.append(row("throughput", f"frame interval p99 at {rate_of['ours']:.0f} msg/s", "ms",
                        best["ours"]["flip_p99"], FRAME_BUDGET_MS, "one frame at 60 fps",
                        best["peer"]["flip_p99"] if best["peer"] else None))
        rows.append(row("throughput", f"applier tick p99 at {rate_of['ours']:.0f} msg/s", "ms",
                        best["ours"]["tick_p99"], FRAME_BUDGET_MS, "one frame at 60 fps"))
    rows.append(row("resources", "idle CPU (no bus traffic)", "% core", ours["idle_cpu_pct"],
                    bare["idle_cpu_pct"], "bare window", peer["idle_cpu_pct"], "<= 1.2x bare",
                    ours["idle_cpu_pct"] <= 1.2 * max(bare["idle_cpu_pct"], 0.1)))
    for scale in ("1", "10", "100"):
        o, p = ours["rates"][scale], peer["rates"][scale]
        target, met = ("< 50 %", o["cpu_pct"] < 50) if scale == "100" else ("", None)
        rows.append(row("resources", f"loaded CPU at {scale}x ({o['rate']:.0f} msg/s)", "% core",
                        o["cpu_pct"], p["cpu_pct"], "peer (JSON, per message)", p["cpu_pct"],
                        target, met))
    rows.append(row("resources", f"RSS after {ours['rss_at_s']:.0f} s", "MB", ours["rss_mb"],
                    bare["rss_mb"], "bare window", peer["rss_mb"], "<= 1.2x bare",
                    ours["rss_mb"] <= 1.2 * bare["rss_mb"]))
    rows.append(row("resources", "startup to live values", "s", ours["startup_s"],
                    bare["startup_s"], "bare window (first frame)", peer["startup_s"], "< 1 s",
                    ours["startup_s"] < 1.0))
    one = sim["one"]
    wire_bps = one["wire_bytes"] / one["window_s"]
    json_bps = sim["json_wire_bytes"] / one["window_s"]
    rows.append(row("wire", "bus bytes/s at nominal rates (MQTT frames)", "B/s", wire_bps,
                    json_bps, "same data as compact JSON", None, "<= 50 % of JSON",
                    wire_bps <= 0.5 * json_bps))
    rows.append(row("wire", "payload bytes/s at nominal rates", "B/s",
                    one["payload_bytes"] / one["window_s"],
                    sum(len(framesets.json_twin(n, p)) for n, ps in sim["frames"].items()
                        for p in ps) / one["window_s"], "same data as compact JSON"))
    rows.append(row("wire", "messages/s at nominal rates", "msg/s",
                    one["messages"] / one["window_s"], sim["nominal_rate"], "catalogue rates"))
    rows.append(row("simulator", "CPU per simulated vehicle (one vehicle)", "% core",
                    one["cpu_pct"], 100.0, "one core", None, "<= 2 %", one["cpu_pct"] <= 2.0))
    good = [f for f in sim["fleet"] if f["real_time"]]
    if good:
        top = good[-1]
        per = top["cpu_pct"] / top["vehicles"]
        rows.append(row("simulator", f"CPU per vehicle in fleet mode ({top['vehicles']} vehicles)",
                        "% core", per, 100.0, "one core", None, "<= 2 %", per <= 2.0))
    tested_fleet = sim["fleet"][-1]["vehicles"]
    most = good[-1]["vehicles"] if good else 0
    rows.append(row("simulator", f"most vehicles in real time on one core (tested up to "
                    f"{tested_fleet})", "vehicles", float(most),
                    float(100.0 / max(one["cpu_pct"], 1e-3)), "1 core / CPU of one vehicle"))
    return rows


def machine() -> dict[str, Any]:
    info = {"platform": platform.platform(), "machine": platform.machine(),
            "python": platform.python_version(), "cpus": os.cpu_count()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return info


def fmt_num(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and not math.isfinite(value):
        return "n/a"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"


def print_table(rows: list[dict[str, Any]], info: dict[str, Any], mode: str) -> None:
    print(f"\nema-bench ({mode}) on {info.get('cpu', '?')}, {info['cpus']} CPUs, "
          f"Python {info['python']}, {info['platform']}")
    head = ("figure", "unit", "ours", "baseline", "ratio", "peer", "target", "met")
    body = [(r["name"], r["unit"], fmt_num(r["value"]),
             f"{fmt_num(r['baseline'])} ({r['baseline_name']})", fmt_num(r["ratio"]),
             fmt_num(r["peer"]), r["target"], "" if r["met"] is None else
             ("met" if r["met"] else "MISSED")) for r in rows]
    widths = [max(len(h), *(len(b[i]) for b in body)) for i, h in enumerate(head)]
    group = None
    for r, line in zip(rows, body):
        if r["group"] != group:
            group = r["group"]
            print(f"\n[{group}]")
            print("  ".join(h.ljust(w) for h, w in zip(head, widths)))
        print("  ".join(c.ljust(w) for c, w in zip(line, widths)))


def _finite(obj: Any) -> Any:
    """JSON without NaN: a missing figure becomes null."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [_finite(v) for v in obj]
    return obj


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="ema-bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="~30 s smoke run, short windows")
    parser.add_argument("--json", metavar="PATH", type=Path, help="also write the figures here")
    args = parser.parse_args(argv)
    plan = QUICK if args.quick else FULL
    mode = "quick" if args.quick else "full"
    started = time.monotonic()
    workdir = Path(tempfile.mkdtemp(prefix="ema-bench-"))
    keep_alive: list[Subject] = []
    with BenchBroker(workdir / "broker") as broker:
        try:
            print("recording simulator frames, wire and simulator cost ...", file=sys.stderr)
            sim = measure_simulator(broker, plan)
            frames_file = workdir / "frames.msgpack"
            framesets.save(sim["frames"], frames_file)
            decode = decode_limits(sim["frames"], 0.3 if args.quick else 1.0)
            progs: dict[str, Any] = {}
            for kind in ("bare", "raw", "ours", "peer"):
                print(f"measuring {kind} ...", file=sys.stderr)
                progs[kind] = measure_program(kind, broker, frames_file, workdir, plan,
                                              sim["nominal_rate"], keep_alive)
                if kind == "raw" and "_subject" in progs["bare"]:
                    finish_bare(progs["bare"], plan)
        finally:
            for subject in keep_alive:
                subject.stop()
    rows = build_rows(sim, decode, progs)
    info = machine()
    print_table(rows, info, mode)
    elapsed = time.monotonic() - started
    print(f"\n{mode} run took {elapsed:.0f} s; rates are replayed simulator frames "
          f"(nominal {sim['nominal_rate']:g} msg/s) from one generator process.")
    if args.json:
        groups = {g: [r for r in rows if r["group"] == g] for g in GROUPS}
        details = {"simulator": {k: v for k, v in sim.items() if k != "frames"},
                   "decode_limits": decode, "programs": progs}
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(_finite({"mode": mode, "machine": info,
                                                 "elapsed_s": elapsed, "groups": groups,
                                                 "details": details}), indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
