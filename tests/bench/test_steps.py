"""The benchmark never crashes: a step that raises or times out is reported as not measured,
with its reason, and the rest of the table still prints; its waits are on conditions."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from hmi.benchmark import cli
from hmi.benchmark.pace import Pace, WaitTimeout, calibrate, stop_process, wait_until
from hmi.benchmark.steps import STEPS, BenchStep, Context

needs_mosquitto = pytest.mark.skipif(
    not (shutil.which("mosquitto") or Path("/usr/sbin/mosquitto").exists()),
    reason="needs mosquitto")


def failing(ctx: Context) -> None:
    raise RuntimeError("injected failure\nsecond line of the message")


def never_ready(ctx: Context) -> None:
    """Waits for a condition nobody makes true, with a short bound: what a step past the
    machine's capacity does."""
    cond = threading.Condition()
    wait_until(cond, lambda: False, ctx.pace.bound(0.2), "first frames of the injected step")


def replace(steps: tuple[BenchStep, ...], **by_name: object) -> list[BenchStep]:
    out = []
    for step in steps:
        run = by_name.get(step.name)
        out.append(BenchStep(step.name, step.label, run) if callable(run) else step)
    return out


def run_main(tmp_path: Path, steps: list[BenchStep],
             capsys: pytest.CaptureFixture[str]) -> tuple[int, str, dict]:
    out = tmp_path / "bench.json"
    status = cli.main(["--quick", "--json", str(out)], steps=steps)
    return status, capsys.readouterr().out, json.loads(out.read_text())


@needs_mosquitto
@pytest.mark.broker
def test_a_failing_step_is_not_measured_and_the_table_still_prints(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    steps = replace(STEPS, simulator=failing, fleet=never_ready)
    status, out, report = run_main(tmp_path, steps, capsys)

    assert status == 0
    for group in ("latency", "throughput", "resources", "wire", "simulator"):
        assert f"[{group}]" in out
    assert "not measured" in out
    assert report["not_measured"]["simulator"] == "RuntimeError: injected failure"
    assert report["not_measured"]["fleet"].startswith("WaitTimeout: first frames of the injected")
    # the bound is the nominal 0.2 s scaled by this machine's calibration (slower when loaded)
    scale = report["details"]["calibration"]["scale"]
    assert f"within {0.2 * scale:.1f} s" in report["not_measured"]["fleet"]
    # every step that needs the recorded frames says so, and none ran half way
    for name in ("decode", "bare", "raw", "ours", "peer"):
        assert report["not_measured"][name].startswith("NotMeasured: needs simulator"), name
    assert report["not_measured"]["bare_rss"].startswith("NotMeasured: needs bare")
    assert "calibration" not in report["not_measured"]  # the step that works is measured
    assert report["details"]["calibration"]["scale"] >= 1.0
    rows = [r for rows in report["groups"].values() for r in rows]
    assert rows and all(r["not_measured"] for r in rows)
    wire = report["groups"]["wire"][0]
    assert "needs simulator, not measured (RuntimeError: injected failure)" in wire["not_measured"]


@needs_mosquitto
@pytest.mark.broker
@pytest.mark.timeout(120)
def test_measured_steps_print_their_figures_beside_the_ones_not_measured(
        tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The real simulator and decode steps run; the fleet and every program fail."""
    steps = replace(STEPS, fleet=never_ready, bare=failing, raw=failing, ours=failing,
                    peer=failing)
    status, out, report = run_main(tmp_path, steps, capsys)

    assert status == 0
    assert set(report["not_measured"]) == {"fleet", "bare", "raw", "bare_rss", "ours", "peer"}
    wire = {r["name"]: r for r in report["groups"]["wire"]}
    messages = wire["messages/s at nominal rates"]
    assert "not_measured" not in messages and messages["value"] > 0
    decode = [r for r in report["groups"]["throughput"] if r["name"].startswith("strict decoder")]
    assert decode and decode[0]["value"] > 0
    sim = report["groups"]["simulator"]
    assert sim[0]["name"] == "CPU per simulated vehicle (one vehicle)" and sim[0]["value"] >= 0
    assert sim[1]["name"] == "fleet mode on one core" and "WaitTimeout" in sim[1]["not_measured"]
    latency = report["groups"]["latency"]
    assert len(latency) == 1 and "needs ours" in latency[0]["not_measured"]
    assert "messages/s at nominal rates" in out and "not measured" in out
    # the one-vehicle run waited for its first frames, not a fixed warm-up
    assert report["details"]["simulator"]["one"]["ready_s"] > 0


def test_wait_until_returns_as_soon_as_the_condition_holds() -> None:
    cond = threading.Condition()
    state = {"ready": False}

    def make_ready() -> None:
        with cond:
            state["ready"] = True
            cond.notify_all()

    threading.Timer(0.05, make_ready).start()
    t0 = time.monotonic()
    wait_until(cond, lambda: state["ready"], 60.0, "ready")
    assert time.monotonic() - t0 < 30.0  # woken by the condition, far inside its bound


def test_wait_until_gives_up_at_once_when_the_process_is_gone() -> None:
    cond = threading.Condition()
    t0 = time.monotonic()
    with pytest.raises(WaitTimeout, match="the process ended first"):
        wait_until(cond, lambda: False, 60.0, "frames", alive=lambda: False)
    assert time.monotonic() - t0 < 30.0


def test_wait_until_raises_after_its_bound() -> None:
    with pytest.raises(WaitTimeout, match="within 0.1 s"):
        wait_until(threading.Condition(), lambda: False, 0.1, "nothing")


def test_bounds_scale_with_the_machine() -> None:
    assert Pace(scale=4.0).bound(2.5) == 10.0
    pace = calibrate(runs=1)
    assert pace.scale >= 1.0 and pace.calibration_s > 0
    assert pace.bound(10.0) >= 10.0


def test_a_process_that_ignores_sigterm_is_killed_after_the_bound() -> None:
    code = ("import signal, sys; signal.signal(signal.SIGTERM, signal.SIG_IGN); "
            "print('ready', flush=True); sys.stdin.read()")
    proc = subprocess.Popen([sys.executable, "-c", code], stdin=subprocess.PIPE,
                            stdout=subprocess.PIPE, text=True)
    try:
        assert proc.stdout is not None and proc.stdout.readline().strip() == "ready"
        assert stop_process(proc, 0.3) is False
        assert proc.returncode is not None
    finally:
        if proc.poll() is None:
            proc.kill()
        proc.wait()


def test_a_process_that_stops_on_sigterm_ends_cleanly() -> None:
    proc = subprocess.Popen([sys.executable, "-c", "import sys; sys.stdin.read()"],
                            stdin=subprocess.PIPE)
    assert stop_process(proc, 30.0) is True


@needs_mosquitto
@pytest.mark.broker
def test_a_fleet_size_that_does_not_start_within_its_bound_ends_the_series_as_not_measured(
        tmp_path: Path) -> None:
    """The real fleet step on a machine far slower than its pace says (scale 1/1000): the
    simulator is launched, misses its first-frames bound, and is reported, not raised."""
    from hmi.benchmark.broker import BenchBroker
    from hmi.benchmark.plan import QUICK
    from hmi.benchmark.steps import fleet_step

    with BenchBroker(tmp_path / "broker") as broker:
        ctx = Context(QUICK, broker, tmp_path, quick=True, pace=Pace(scale=0.001))
        runs = fleet_step(ctx)
    assert len(runs) == 1
    assert runs[0]["vehicles"] == QUICK.fleet[0] and runs[0]["real_time"] is False
    assert runs[0]["not_measured"].startswith("WaitTimeout: ")


def test_fleet_expectation_is_what_any_window_must_hold() -> None:
    """A 2 s window holds every frame a whole number of times (the slowest is 0.5 Hz): the
    mean rate. A 1.5 s window may hold the 0.5 Hz frame not at all: the expectation says so."""
    from hmi.benchmark.steps import frames_due_in, nominal_rate

    assert frames_due_in(2.0) == round(nominal_rate() * 2.0)
    assert frames_due_in(1.5) < nominal_rate() * 1.5 * 0.95
    assert frames_due_in(0.0) == 0


def test_the_replayed_frames_cover_a_frame_slower_than_the_window() -> None:
    """The configuration comes every 5 s, so a short window may hold none of it; the feed must
    still replay it, or the broker keeps the recording simulator's msgpack copy and the JSON
    peer receives that (it did, and stopped)."""
    from hmi.benchmark.frames import Recorder
    from protocols.bus import Message

    recorder = Recorder("ema-01")
    start_up = {name: f"{name}-0".encode() for name in ("drive", "configuration")}
    for name, payload in start_up.items():  # the start-up burst, before the window
        recorder.on_message(Message(f"ema/v1/ema-01/state/{name}", payload))
    recorder.set_recording(True)
    recorder.on_message(Message("ema/v1/ema-01/state/drive", b"drive-1"))
    recorder.on_message(Message("ema/v1/ema-02/state/configuration", b"another vehicle"))
    recorder.set_recording(False)
    assert recorder.frames == {"drive": [b"drive-1"]}  # the window alone, as measured
    assert recorder.replay() == {"drive": [b"drive-1"], "configuration": [b"configuration-0"]}
