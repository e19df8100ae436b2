"""Every shipped example script passes against the real HMI (a headless subprocess, on a real
Mosquitto) in British English (mph, miles), German (km/h) and Japanese (km/kWh, CJK texts): the
scripts assert what is the same in every language and unit (readout values and keys, tile
states and reason codes, banner keys, telltale names; PROTOCOL.md §10).

One HMI per language serves the module: `ema_language` is parametrised, so pytest runs every
test here for one language, then starts the next language's HMI (`ema_hmi` stops each one when
its language is done)."""

from __future__ import annotations

from pathlib import Path

import pytest

pytestmark = [pytest.mark.broker, pytest.mark.gui]

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((REPO / "scripts" / "inject").glob("*.toml"))
LANGUAGES = ("en-GB", "de", "ja")
# What the speed readout's unit is in each: the scripts pass whatever the screen shows it in.
SPEED_UNIT = {"en-GB": "mph", "de": "km/h", "ja": "km/h"}


@pytest.fixture(scope="module", params=LANGUAGES)
def ema_language(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def test_the_hmi_runs_in_the_language_asked_for(ema_hmi, ema_language: str) -> None:
    display = ema_hmi.display()
    assert display["language"] == ema_hmi.language == ema_language
    assert display["readouts"]["drive.speed"]["unit"] == SPEED_UNIT[ema_language]


@pytest.mark.parametrize("path", SCRIPTS, ids=lambda p: p.stem)
def test_shipped_script_passes(path: Path, ema_hmi, ema_injector, ema_language: str) -> None:
    outcome = ema_injector.run(path)
    assert outcome.passed, f"in {ema_language}:\n{ema_injector.last_report}"
    assert ema_hmi.alive, ema_hmi.log_tail()


def test_every_script_is_run_here() -> None:
    assert {path.stem for path in SCRIPTS} >= {"low_battery", "terrain_refused_speed",
                                               "signal_dropout", "vehicle_offline",
                                               "malformed_flood", "ride_height"}
