"""Session epochs: rising across restarts, with or without a clock that can be trusted."""

from __future__ import annotations

import pytest

from protocols.freshness import session_epoch


def test_without_a_file_the_epoch_is_the_clock() -> None:
    assert session_epoch(clock_us=1_800_000_000_000_000) == 1_800_000_000_000_000


def test_with_a_file_the_epoch_rises_even_when_the_clock_stepped_back(tmp_path) -> None:
    path = tmp_path / "state" / "epoch"
    first = session_epoch(str(path), clock_us=2_000)
    after_step_back = session_epoch(str(path), clock_us=1_000)
    assert (first, after_step_back) == (2_000, 2_001)
    assert session_epoch(str(path), clock_us=5_000) == 5_000
    assert path.read_text().strip() == "5000"


def test_a_corrupt_epoch_file_is_an_error_not_a_reset(tmp_path) -> None:
    path = tmp_path / "epoch"
    path.write_text("not a number")
    with pytest.raises(ValueError, match="does not hold an integer"):
        session_epoch(str(path))
