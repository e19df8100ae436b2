"""The simulator as a child process of the demo, and sure to die with it.

The demo starts `ema-sim` by module name rather than importing it: the HMI package never
imports the simulator, and the simulator gets a core of its own.
"""

from __future__ import annotations

import ctypes
import logging
import signal
import subprocess
import sys

LOG = logging.getLogger(__name__)
PR_SET_PDEATHSIG = 1


def _die_with_parent() -> None:
    """Linux: the kernel sends SIGTERM to the child when the demo dies, even by SIGKILL."""
    try:
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    except OSError:
        pass


class SimulatorProcess:
    """`python -m vehicle_sim.cli` on the demo's broker, stopped and reaped on demand."""

    def __init__(self, broker_url: str, vehicle: str, scenario: str = "showcase",
                 loop: bool = True, speed: float = 1.0) -> None:
        self.command = [sys.executable, "-m", "vehicle_sim.cli", "--broker", broker_url,
                        "--vehicle", vehicle, "--scenario", scenario, "--speed", f"{speed:g}",
                        "--log-level", "WARNING", "--rate-shipped"] + (["--loop"] if loop else [])
        self.process: subprocess.Popen[bytes] | None = None

    def start(self) -> SimulatorProcess:
        self.process = subprocess.Popen(self.command, preexec_fn=_die_with_parent,
                                        stdin=subprocess.DEVNULL)
        LOG.info("simulator started (pid %d)", self.process.pid)
        return self

    @property
    def running(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def stop(self, timeout_s: float = 5.0) -> None:
        if self.process is None:
            return
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout_s)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout_s)
        LOG.info("simulator stopped (exit %s)", self.process.returncode)
