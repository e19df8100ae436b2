"""PROTOCOL.md carries the catalogue's tables as they are now, not as they were."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


def test_protocol_tables_match_the_catalogue() -> None:
    check = subprocess.run([sys.executable, "tools/gen_protocol_tables.py", "--check",
                            "PROTOCOL.md"],
                           cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
