"""`ema-bench --quick` runs end to end and writes well-formed figures (no timing assertions)."""

from __future__ import annotations

import json
import math
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
GROUPS = {"latency", "throughput", "resources", "wire", "simulator"}

pytestmark = [
    pytest.mark.broker, pytest.mark.gui, pytest.mark.timeout(240),
    pytest.mark.skipif(not (shutil.which("mosquitto") or Path("/usr/sbin/mosquitto").exists()),
                       reason="needs mosquitto"),
]


def test_quick_bench_emits_valid_json(tmp_path: Path) -> None:
    out = tmp_path / "bench.json"
    env = dict(os.environ, SDL_VIDEODRIVER="offscreen",
               PYTHONPATH=str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", ""))
    done = subprocess.run([sys.executable, "-m", "hmi.benchmark.cli", "--quick", "--json",
                           str(out)], check=False, cwd=tmp_path, env=env, capture_output=True,
                          text=True, timeout=220)
    assert done.returncode == 0, done.stderr[-3000:]
    assert "[latency]" in done.stdout and "ratio" in done.stdout

    report = json.loads(out.read_text())
    assert report["mode"] == "quick"
    assert set(report["groups"]) == GROUPS
    for group, rows in report["groups"].items():
        assert rows, f"group {group} is empty"
        for row in rows:
            assert row["group"] == group
            assert row["name"] and row["baseline_name"]
            for key in ("value", "baseline", "ratio"):
                assert isinstance(row[key], (int, float)), (group, row["name"], key, row[key])
                assert math.isfinite(row[key]), (group, row["name"], key)
            assert row["peer"] is None or math.isfinite(row["peer"])
            assert row["met"] in (True, False, None)
    names = " ".join(r["name"] for rows in report["groups"].values() for r in rows)
    for phrase in ("publish-to-screen p99, nominal", "100x", "idle CPU", "RSS", "startup",
                   "bus bytes/s", "CPU per simulated vehicle"):
        assert phrase in names
