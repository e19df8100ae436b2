"""The measured programs: start one as its own process, feed it, and read its reports.

Every wait here is on a condition (a readiness event, a report after a moment, the feed's
exit) with a bound scaled by `Pace`; a program that misses one raises, and the step that
measured it is reported as not measured (hmi.benchmark.steps).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .broker import BenchBroker
from .pace import Pace, WaitTimeout, pythonpath, stop_process, wait_until
from .plan import FRAME_BUDGET_MS, VEHICLE, Plan, pct
from .procstat import CpuWindow, rss_mb, thread_cpu

# Nominal bounds on the reference machine, scaled by Pace.
LIVE_S = 20.0  # a program's start to live values (a cold Kivy start is the long part)
REPORT_S = 2.0  # the next 0.25 s report of a running subject
FEED_S = 30.0  # the feed beyond its own duration: start, connect, flush
STOP_S = 5.0  # a measured program's exit after SIGTERM


def _env(workdir: Path) -> dict[str, str]:
    env = dict(os.environ)
    env["PYTHONPATH"] = pythonpath()
    env.setdefault("SDL_VIDEODRIVER", "offscreen")
    env["KIVY_HOME"] = str(workdir / "kivy")
    env["XDG_STATE_HOME"] = str(workdir / "state")
    return env


class Subject:
    """A measured program in its own process; collects its JSON-line reports."""

    def __init__(self, kind: str, broker: BenchBroker, workdir: Path, pace: Pace) -> None:
        self.kind = kind
        self.pace = pace
        self.workdir = workdir / kind
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.batches: list[dict[str, Any]] = []
        self.events: dict[str, float] = {}
        self._cond = threading.Condition()
        self.t0 = time.time()
        self._stderr = open(self.workdir / "stderr.log", "wb")  # noqa: SIM115 (closed in stop)
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "hmi.benchmark.subject", kind, "--broker", broker.url,
             "--vehicle", VEHICLE, "--workdir", str(self.workdir), "--pace", f"{pace.scale:.3g}"],
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

    def wait_event(self, name: str, nominal_s: float = LIVE_S) -> float:
        """The time of the subject's `name` event, waiting for it up to the scaled bound."""
        try:
            wait_until(self._cond, lambda: name in self.events, self.pace.bound(nominal_s),
                       f"{self.kind}: no {name} event", alive=lambda: self.proc.poll() is None)
        except WaitTimeout as timeout:
            log = (self.workdir / "stderr.log").read_text(errors="replace")[-2000:]
            raise WaitTimeout(f"{timeout}\n{log}") from None
        with self._cond:
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
        """The receive counter of the first report after `t` (waiting for that report); the
        last report's if none comes within the scaled bound."""
        def after() -> dict[str, Any] | None:
            return next((b for b in self.batches if b["t"] >= t), None)

        try:
            wait_until(self._cond, lambda: after() is not None, self.pace.bound(REPORT_S),
                       f"{self.kind}: a report after t={t:.2f}",
                       alive=lambda: self.proc.poll() is None)
        except WaitTimeout:
            pass
        with self._cond:
            batch = after() or (self.batches[-1] if self.batches else None)
            return int(batch["recv"]) if batch else 0

    def stop(self) -> None:
        stop_process(self.proc, self.pace.bound(STOP_S))
        self._stderr.close()


@dataclass(frozen=True)
class Rig:
    """What every measured program shares: the broker, the recorded frames, where to write,
    and this machine's pace."""

    broker: BenchBroker
    frames_file: Path
    workdir: Path
    pace: Pace


def feed_command(rig: Rig, scale: float, duration_s: float, fmt: str,
                 prime: bool = False) -> list[str]:
    return [sys.executable, "-m", "hmi.benchmark.feed", "--broker", rig.broker.url, "--vehicle",
            VEHICLE, "--frames", str(rig.frames_file), "--scale", f"{scale:g}", "--duration",
            f"{duration_s:g}", "--format", fmt, "--pace", f"{rig.pace.scale:.3g}"] + (
                ["--prime"] if prime else [])


def run_feed(rig: Rig, scale: float, duration_s: float, fmt: str,
             prime: bool = False) -> dict[str, Any]:
    """Run the feed to its end (a bounded wait) and return its closing figures."""
    command = feed_command(rig, scale, duration_s, fmt, prime)
    done = subprocess.run(command, check=False, env=_env(rig.workdir), capture_output=True,
                          text=True, timeout=duration_s + rig.pace.bound(FEED_S))
    if done.returncode != 0:
        raise RuntimeError(f"feed failed: {done.stderr[-1500:]}")
    return json.loads(done.stdout.strip().splitlines()[-1])


@dataclass
class RateStep:
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


def measure_step(subject: Subject, rig: Rig, scale: float, duration_s: float, fmt: str,
                 nominal_rate: float, tail_s: float = 1.0) -> RateStep:
    step = RateStep(scale, scale * nominal_rate)
    step.rss_start = rss_mb(subject.pid)
    t1 = time.time()
    recv0 = subject.received_at(t1 - 0.3)
    cpu = CpuWindow(subject.pid).start()
    threads0 = thread_cpu(subject.pid)
    feed = run_feed(rig, scale, duration_s, fmt)
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


def start_program(kind: str, rig: Rig, fmt: str) -> tuple[Subject, dict[str, Any]]:
    """Start `kind` with a vehicle on the bus and wait until it shows live values."""
    vehicle = None
    if kind != "bare":
        run_feed(rig, 1, 0, fmt, prime=True)
        # A running vehicle while the program starts: the HMI refuses retained frames stamped
        # more than 2 s before it reads them (protocols.freshness), so the primed copies alone
        # would leave it without values; stopped once it is live (idle means no traffic).
        outlive = rig.pace.bound(LIVE_S) + rig.pace.bound(FEED_S)
        vehicle = subprocess.Popen(feed_command(rig, 1, outlive, fmt), env=_env(rig.workdir),
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    subject = Subject(kind, rig.broker, rig.workdir, rig.pace)
    try:
        startup = subject.wait_event("live") - subject.t0
    except BaseException:
        subject.stop()
        raise
    finally:
        if vehicle is not None:
            stop_process(vehicle, rig.pace.bound(STOP_S))
    return subject, {"kind": kind, "startup_s": startup}


def measure_idle(subject: Subject, plan: Plan, result: dict[str, Any]) -> None:
    """CPU with no bus traffic, after the program settled.

    The settle is the tail of start-up (a cold GL start compiles shaders after the first
    values), so it scales with the machine like every wait: under emulation a fixed 0.5 s put
    the idle window inside that tail and llvmpipe's threads showed as idle CPU.
    """
    time.sleep(subject.pace.bound(plan.settle_s))
    cpu = CpuWindow(subject.pid).start()
    threads0 = thread_cpu(subject.pid)
    time.sleep(plan.idle_s)
    result["idle_cpu_pct"] = cpu.stop()
    threads1 = thread_cpu(subject.pid)
    result["idle_cpu_by_thread_pct"] = {k: 100.0 * (threads1[k] - threads0.get(k, 0.0))
                                        / plan.idle_s for k in threads1}


def measure_rates(subject: Subject, rig: Rig, plan: Plan, fmt: str, nominal_rate: float,
                  result: dict[str, Any]) -> None:
    """The fixed scales (1x, 10x, 100x), then the ramp until backlog or memory grows."""
    result["rates"] = {
        str(scale): measure_step(subject, rig, scale, seconds, fmt, nominal_rate,
                                 plan.tail_s).summary()
        for scale, seconds in plan.rate_s.items()}
    ramp = []
    for rate in plan.ramp:
        step = measure_step(subject, rig, rate / nominal_rate, plan.ramp_s, fmt, nominal_rate,
                            plan.tail_s)
        ramp.append(step.summary())
        if not (step.backlog_flat and step.memory_flat):
            break
    result["ramp"] = ramp


class RssAt:
    """The program's RSS `at_s` after its start, sampled by a timer while other work runs."""

    def __init__(self, subject: Subject, at_s: float) -> None:
        self.subject = subject
        self.at_s = at_s
        self.sample: dict[str, float] = {}
        self._timer: threading.Timer | None = None
        if at_s:
            self._timer = threading.Timer(at_s - (time.time() - subject.t0), self._take)
            self._timer.start()

    def _take(self) -> None:
        self.sample.setdefault("rss", rss_mb(self.subject.pid))

    def result(self) -> dict[str, float]:
        """Wait for the sample time (if any) and return {"rss_mb", "rss_at_s"}."""
        if self._timer is not None:
            self._timer.join(max(0.0, self.at_s - (time.time() - self.subject.t0)) + 1)
        if "rss" in self.sample:
            return {"rss_mb": self.sample["rss"], "rss_at_s": self.at_s}
        return {"rss_mb": rss_mb(self.subject.pid), "rss_at_s": time.time() - self.subject.t0}

    def cancel(self) -> None:
        if self._timer is not None:
            self._timer.cancel()


@dataclass
class Running:
    """A measured program left running so that its RSS is sampled later (the bare window
    in a full run, while raw is measured); `finish` completes its figures and stops it."""

    subject: Subject
    rss: RssAt
    result: dict[str, Any]

    def finish(self) -> dict[str, Any]:
        try:
            self.result.update(self.rss.result())
            return self.result
        finally:
            self.stop()

    def stop(self) -> None:
        self.rss.cancel()
        self.subject.stop()


def measure_program(kind: str, rig: Rig, plan: Plan, nominal_rate: float,
                    keep_running: bool = False) -> dict[str, Any] | Running:
    """Startup, idle CPU, rates and RSS of one program. With `keep_running` (and an RSS
    sample time in the plan) returns it still running, to be finished later."""
    fmt = "json" if kind == "peer" else "msgpack"
    subject, result = start_program(kind, rig, fmt)
    rss = RssAt(subject, plan.rss_at_s)
    running = Running(subject, rss, result)
    try:
        measure_idle(subject, plan, result)
        if kind != "bare":
            measure_rates(subject, rig, plan, fmt, nominal_rate, result)
    except BaseException:
        running.stop()
        raise
    if keep_running and plan.rss_at_s:
        return running
    return running.finish()
