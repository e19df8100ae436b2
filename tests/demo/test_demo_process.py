"""`ema-demo` as a user runs it: one command, live values, and nothing left behind."""

from __future__ import annotations

import os
import re
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from tests.support.cockpit import CockpitProbe
from tests.support.processes import alive, children_of
from tests.support.wait import wait_until

BROKER_LINE = re.compile(r"embedded broker on (mqtt://127\.0\.0\.1:(\d+))")


def port_is_free(port: int) -> bool:
    """Nothing listens there any more (TIME_WAIT leftovers of closed connections don't count)."""
    with socket.socket() as sock:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            sock.bind(("127.0.0.1", port))
            return True
        except OSError:
            return False


@contextmanager
def interruptible_children() -> Iterator[None]:
    """Children started here take Ctrl-C (SIGINT) even where this test run does not.

    A runner started in the background by a non-interactive shell ignores SIGINT, and an
    ignored signal stays ignored across exec: ema-demo would then never see the test's SIGINT
    (test_interrupt_stops_everything[SIGINT] failed so, twice). A handled signal is reset to
    its default on exec, so a handler here for the moment of the start is enough."""
    before = signal.getsignal(signal.SIGINT)
    if before == signal.SIG_IGN:
        signal.signal(signal.SIGINT, signal.default_int_handler)
    try:
        yield
    finally:
        if before == signal.SIG_IGN:
            signal.signal(signal.SIGINT, signal.SIG_IGN)


def start_demo(tmp_path: Path, vehicle: str, *extra: str) -> tuple[subprocess.Popen, str, int]:
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen", "XDG_STATE_HOME": str(tmp_path / "state")}
    with interruptible_children():
        process = subprocess.Popen([sys.executable, "-m", "hmi.demo.cli", "--vehicle", vehicle,
                                    "--log-level", "WARNING", *extra],
                                   stderr=subprocess.PIPE, text=True, env=env)
    seen = []
    for line in process.stderr:
        seen.append(line)
        match = BROKER_LINE.search(line)
        if match:
            return process, match.group(1), int(match.group(2))
    raise AssertionError(f"no broker line in {seen!r}")


def test_headless_demo_shows_live_values_and_leaves_nothing(tmp_path: Path,
                                                          vehicle_id: str) -> None:
    started = time.monotonic()
    shot = tmp_path / "demo.png"
    process, url, port = start_demo(tmp_path, vehicle_id, "--screenshot", str(shot), "--after", "6")
    probe = CockpitProbe(url, vehicle_id).start()
    try:
        probe.wait_for(lambda c: c.online and c.frames_seen.get("drive", 0) > 5,
                       timeout_s=max(0.1, 5 - (time.monotonic() - started)))
        children = children_of(process.pid)
        assert children, "the simulator should run as a child process"
    finally:
        probe.close()
    assert process.wait(30) == 0
    assert shot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
    wait_until(lambda: not [pid for pid in children if alive(pid)], 5, "the children gone")
    assert not [pid for pid in children if alive(pid)]
    assert port_is_free(port)


@pytest.mark.parametrize("how", [signal.SIGINT, signal.SIGTERM])
def test_interrupt_stops_everything(tmp_path: Path, vehicle_id: str, how: int) -> None:
    process, url, port = start_demo(tmp_path, vehicle_id, "--screenshot",
                                    str(tmp_path / "never.png"), "--after", "60")
    probe = CockpitProbe(url, vehicle_id).start()
    try:
        probe.wait_for(lambda c: c.online is True, timeout_s=15)
    finally:
        probe.close()
    children = children_of(process.pid)
    process.send_signal(how)
    process.wait(15)
    wait_until(lambda: not [pid for pid in children if alive(pid)], 5, "the children gone")
    assert not [pid for pid in children if alive(pid)]
    assert port_is_free(port)


def test_killed_demo_takes_the_simulator_with_it(tmp_path: Path, vehicle_id: str) -> None:
    process, url, _port = start_demo(tmp_path, vehicle_id, "--screenshot",
                                     str(tmp_path / "never.png"), "--after", "60")
    probe = CockpitProbe(url, vehicle_id).start()
    try:
        probe.wait_for(lambda c: c.online is True, timeout_s=15)
    finally:
        probe.close()
    children = children_of(process.pid)
    process.kill()
    process.wait(5)
    wait_until(lambda: not [pid for pid in children if alive(pid)], 5, "the children gone")
    assert not [pid for pid in children if alive(pid)]


def test_existing_broker_is_used_instead_of_the_embedded_one(mosquitto, tmp_path: Path,
                                                             vehicle_id: str) -> None:
    env = {**os.environ, "SDL_VIDEODRIVER": "offscreen", "XDG_STATE_HOME": str(tmp_path / "state")}
    probe = CockpitProbe(mosquitto.url, vehicle_id).start()
    process = subprocess.Popen([sys.executable, "-m", "hmi.demo.cli", "--broker", mosquitto.url,
                                "--vehicle", vehicle_id, "--screenshot", str(tmp_path / "d.png"),
                                "--after", "3"], stderr=subprocess.PIPE, text=True, env=env)
    try:
        # The demo's simulator publishes to the given broker for as long as the demo lives: wait
        # for its frames or for its end (a loaded machine starts it late), then judge.
        probe.wait_for(lambda c: c.frames_seen.get("drive", 0) > 3 or process.poll() is not None,
                       timeout_s=30)
        assert process.wait(30) == 0
        probe.wait_for(lambda c: c.frames_seen.get("drive", 0) > 0, timeout_s=5)
        assert "embedded broker" not in process.stderr.read()
    finally:
        process.kill()
        probe.close()
