"""The benchmark as a list of steps, each of which may fail without bringing the run down.

A step is a name and a function of the shared `Context`; what it returns is its result, kept
under its name for the table (hmi.benchmark.table). A step that raises (a process that did not
become ready within its scaled bound, a simulator past the machine's capacity, anything) is
recorded as not measured with the reason, and so is every step that needs its result; the
other steps still run, and the table still prints.
"""

from __future__ import annotations

import math
import os
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from protocols import load_catalogue

from . import frames as framesets
from .broker import BenchBroker
from .decode import decode_limits
from .pace import Pace, calibrate
from .plan import VEHICLE, Plan
from .programs import Rig, Running, measure_program


class NotMeasured(Exception):
    """A result a step needs was not measured; carries that step's name and reason."""

    def __init__(self, step: str, reason: str) -> None:
        super().__init__(f"needs {step}, not measured ({reason})")
        self.step = step
        self.reason = reason


@dataclass
class Context:
    """What the steps share: the plan, the broker and work folder, this machine's pace, the
    results so far, the reasons of the steps not measured, and programs left running."""

    plan: Plan
    broker: BenchBroker
    workdir: Path
    quick: bool = False
    pace: Pace = field(default_factory=Pace)
    results: dict[str, Any] = field(default_factory=dict)
    not_measured: dict[str, str] = field(default_factory=dict)
    running: dict[str, Running] = field(default_factory=dict)

    def need(self, name: str) -> Any:
        """The result of step `name`, or NotMeasured (so the caller is not measured either)."""
        if name in self.results:
            return self.results[name]
        raise NotMeasured(name, self.not_measured.get(name, "did not run"))

    def rig(self) -> Rig:
        return Rig(self.broker, self.frames_file, self.workdir, self.pace)

    @property
    def frames_file(self) -> Path:
        return self.workdir / "frames.msgpack"

    def stop_running(self) -> None:
        for running in self.running.values():
            running.stop()
        self.running.clear()


@dataclass(frozen=True)
class BenchStep:
    name: str
    label: str  # what the run says on stderr while the step runs
    run: Callable[[Context], Any]


def reason(error: BaseException) -> str:
    """One line for the table: the exception's type and the first line of its message."""
    text = str(error).strip().splitlines()
    return f"{type(error).__name__}: {text[0]}" if text else type(error).__name__


def run_steps(steps: Iterable[BenchStep], ctx: Context) -> None:
    """Run every step; a failure is recorded in ctx.not_measured and the next step runs."""
    try:
        for step in steps:
            print(f"{step.label} ...", file=sys.stderr)
            try:
                ctx.results[step.name] = step.run(ctx)
            except Exception as error:  # noqa: BLE001 - a step that fails is reported, not fatal
                ctx.not_measured[step.name] = reason(error)
                print(f"  {step.name}: not measured: {ctx.not_measured[step.name]}",
                      file=sys.stderr)
    finally:
        ctx.stop_running()


def nominal_rate() -> float:
    """Messages per second of one vehicle at the catalogue's rates."""
    return sum(f.rate_hz for f in load_catalogue().frames.values())


def frames_due_in(window_s: float) -> int:
    """The fewest messages one vehicle keeping the catalogue's rates publishes in any window
    of `window_s`: a frame at r Hz lands at least floor(r * window) times. The mean rate times
    the window is more than that for windows short against a 0.5 Hz frame (the quick run's
    1.5 s), and counted a fleet that kept its rates as late."""
    return sum(math.floor(f.rate_hz * window_s) for f in load_catalogue().frames.values())


def warmup_s(plan: Plan) -> float:
    """The least time from the simulator's launch to its measurement window."""
    return min(1.5, plan.record_s / 2)


def calibration_step(ctx: Context) -> dict[str, float]:
    ctx.pace = calibrate()
    return {"scale": ctx.pace.scale, "calibration_s": ctx.pace.calibration_s}


def simulator_step(ctx: Context) -> dict[str, Any]:
    """One simulated vehicle: its frames (saved for the feed), bus bytes, and CPU."""
    one = framesets.run_simulator(ctx.broker.url, VEHICLE, ctx.plan.record_s, pace=ctx.pace,
                                  settle_s=warmup_s(ctx.plan))
    # The feed replays every frame, one slower than the window included (its retained copy
    # must be the feed's, not the recording simulator's msgpack one, for the JSON peer).
    framesets.save(one["replay"], ctx.frames_file)
    json_wire = json_payload = 0
    for name, payloads in one["frames"].items():
        topic = len(f"ema/v1/{VEHICLE}/state/{name}")
        for payload in payloads:
            size = len(framesets.json_twin(name, payload))
            json_payload += size
            remaining = 2 + topic + size
            json_wire += 1 + (1 if remaining < 128 else 2) + remaining
    return {"one": {k: v for k, v in one.items() if k not in ("frames", "replay")},
            "frames": one["frames"],
            "nominal_rate": nominal_rate(), "json_wire_bytes": json_wire,
            "json_payload_bytes": json_payload}


def fleet_step(ctx: Context) -> list[dict[str, Any]]:
    """Fleet mode pinned to one core at rising vehicle counts, until one is not real time. A
    count the machine cannot even start within its bound ends the series as not measured."""
    fleet: list[dict[str, Any]] = []
    for count in ctx.plan.fleet:
        try:
            run = framesets.run_simulator(ctx.broker.url, "fleet", ctx.plan.fleet_s,
                                          vehicles=count, pin_core=(os.cpu_count() or 1) - 1,
                                          pace=ctx.pace, settle_s=warmup_s(ctx.plan))
        except Exception as error:  # noqa: BLE001 - past the machine's capacity: reported
            fleet.append({"vehicles": count, "real_time": False, "not_measured": reason(error)})
            break
        expected = count * frames_due_in(run["window_s"])
        fleet.append({"vehicles": count, "cpu_pct": run["cpu_pct"], "messages": run["messages"],
                      "expected": expected, "ready_s": run["ready_s"],
                      "stopped_cleanly": run["stopped_cleanly"],
                      "real_time": run["messages"] >= 0.95 * expected and run["cpu_pct"] < 95})
        if not fleet[-1]["real_time"]:
            break
    return fleet


def decode_step(ctx: Context) -> dict[str, float]:
    return decode_limits(ctx.need("simulator")["frames"], 0.3 if ctx.quick else 1.0)


def program_step(kind: str) -> Callable[[Context], dict[str, Any]]:
    def run(ctx: Context) -> dict[str, Any]:
        ctx.need("simulator")  # the recorded frames the feed replays
        measured = measure_program(kind, ctx.rig(), ctx.plan, ctx.need("simulator")[
            "nominal_rate"], keep_running=kind == "bare")
        if isinstance(measured, Running):
            ctx.running[kind] = measured
            return measured.result
        return measured
    return run


def bare_rss_step(ctx: Context) -> dict[str, float]:
    """The bare window's RSS: sampled at the plan's time while raw was measured, or already
    taken when the plan samples at the end of the program's run (quick)."""
    bare = ctx.need("bare")
    running = ctx.running.pop("bare", None)
    if running is not None:
        running.finish()
    return {"rss_mb": bare["rss_mb"], "rss_at_s": bare["rss_at_s"]}


STEPS = (
    BenchStep("calibration", "calibrating this machine's pace", calibration_step),
    BenchStep("simulator", "recording simulator frames, wire and simulator cost",
              simulator_step),
    BenchStep("fleet", "measuring the simulator's fleet mode on one core", fleet_step),
    BenchStep("decode", "measuring decode cost", decode_step),
    BenchStep("bare", "measuring bare", program_step("bare")),
    BenchStep("raw", "measuring raw", program_step("raw")),
    BenchStep("bare_rss", "sampling bare's RSS", bare_rss_step),
    BenchStep("ours", "measuring ours", program_step("ours")),
    BenchStep("peer", "measuring peer", program_step("peer")),
)
