"""Processes as Linux's /proc shows them: a program's children, and whether one still runs.

For tests that check what a program leaves behind (the demo's simulator, the simulator's
rating child); a zombie waiting to be reaped has ended.
"""

from __future__ import annotations

from pathlib import Path


def _stat_fields(pid: int | str) -> list[str]:
    """/proc/PID/stat after the command name (which may hold spaces and parentheses)."""
    return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()


def children_of(pid: int) -> set[int]:
    """The pids whose parent is `pid` now."""
    found = set()
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                fields = _stat_fields(entry.name)
            except OSError:
                continue
            if int(fields[1]) == pid:
                found.add(int(entry.name))
    return found


def alive(pid: int) -> bool:
    """True while `pid` is a process that has not ended (a zombie has)."""
    try:
        return _stat_fields(pid)[0] != "Z"
    except OSError:
        return False
