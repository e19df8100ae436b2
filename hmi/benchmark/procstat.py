"""Per-process CPU time and resident memory from /proc (Linux), no psutil needed."""

from __future__ import annotations

import os
import time

_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU seconds of `pid` (all its threads)."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


def rss_mb(pid: int) -> float:
    """Resident set size of `pid` in MiB."""
    with open(f"/proc/{pid}/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024.0
    return float("nan")


class CpuWindow:
    """CPU share of one process between `start()` and `stop()`, in % of one core."""

    def __init__(self, pid: int) -> None:
        self.pid = pid
        self._cpu0 = self._t0 = 0.0

    def start(self) -> CpuWindow:
        self._cpu0, self._t0 = cpu_seconds(self.pid), time.monotonic()
        return self

    def stop(self) -> float:
        elapsed = time.monotonic() - self._t0
        return 100.0 * (cpu_seconds(self.pid) - self._cpu0) / max(elapsed, 1e-9)


def thread_cpu(pid: int) -> dict[str, float]:
    """CPU seconds by thread group: "main" (the Kivy/UI thread), "gl" (Mesa llvmpipe
    rasteriser threads), "other" (paho network thread and the rest)."""
    out = {"main": 0.0, "gl": 0.0, "other": 0.0}
    try:
        tids = os.listdir(f"/proc/{pid}/task")
    except OSError:
        return out
    for tid in tids:
        try:
            with open(f"/proc/{pid}/task/{tid}/stat") as stat:
                text = stat.read()
        except OSError:
            continue
        name = text[text.index("(") + 1:text.rindex(")")]
        fields = text.rsplit(")", 1)[1].split()
        seconds = (int(fields[11]) + int(fields[12])) / _TICKS
        key = "main" if int(tid) == pid else "gl" if name.startswith("llvmpipe") else "other"
        out[key] += seconds
    return out
