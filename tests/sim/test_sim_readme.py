"""The README's table of shipped configurations is the computed one, so it cannot go stale.

It drives every shipped car's breakdown (13 WLTC drives, ~25 s, shared through the rating's
cache with tests/sim/test_sim_option_range.py)."""

from __future__ import annotations

from pathlib import Path

from vehicle_sim.cli import configurations_table
from vehicle_sim.model import list_configurations

README = Path(__file__).resolve().parents[2] / "README.md"


def test_the_readme_table_is_the_computed_one():
    table = configurations_table()
    assert len(table.splitlines()) == 2 + len(list_configurations())
    assert table in README.read_text(encoding="utf-8"), (
        "README.md's configuration table is stale; replace it with `ema-sim configs --table`:\n"
        + table)
