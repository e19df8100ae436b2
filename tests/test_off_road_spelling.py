"""One spelling of "off-road" everywhere a person reads it: the cabin's msgids, the vehicle's
messages, the catalogue's descriptions, the scenarios and the docs. The cabin said "Off-road"
while the vehicle's ride-height messages said "Off Road" (and unknown enum values came out
as "Off road")."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from protocols import load_catalogue
from tests.hmi.test_catalogues import code_msgids
from vehicle_sim.model import Gear, InitialConditions, Vehicle
from vehicle_sim.model.rating import wltc_consumption_J_per_m
from vehicle_sim.model.ride_height import RIDE_HEIGHT_ORDER

ROOT = Path(__file__).resolve().parents[1]
WRONG = re.compile(r"\b[Oo]ff\s+[Rr]oad\b|\b[Oo]ff-Road\b")


def wrong_in(texts) -> list[str]:
    return [text for text in texts if WRONG.search(text)]


def test_the_cabins_msgids() -> None:
    assert wrong_in(code_msgids()) == []


def test_the_catalogues_descriptions() -> None:
    assert wrong_in(s.description for s in load_catalogue().signals.values()) == []


@pytest.mark.parametrize("pattern", ["*.md", "docs/*.md", "hmi/*.md", "vehicle_sim/**/*.md",
                                     "vehicle_sim/scenarios/*.toml", "scripts/inject/*.toml"])
def test_docs_and_scenarios(pattern: str) -> None:
    assert wrong_in(p.read_text(encoding="utf-8") for p in ROOT.glob(pattern)) == []


def test_the_vehicles_ride_height_messages() -> None:
    """Every level asked for at motorway speed (refused, named) and at a standstill (moving
    to it, named)."""
    rated = wltc_consumption_J_per_m()
    messages = []
    for speed_kmh in (0.0, 120.0):
        for level in RIDE_HEIGHT_ORDER:
            vehicle = Vehicle(initial=InitialConditions(gear=Gear.D),
                              rated_consumption_J_per_m=rated)
            vehicle.speed_mps = speed_kmh / 3.6
            messages.append(vehicle.request_ride_height(level.name).message)
    assert any("Off-road" in m for m in messages), messages
    assert wrong_in(messages) == []
