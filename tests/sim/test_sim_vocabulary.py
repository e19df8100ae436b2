"""The simulator speaks the catalogue's vocabularies, not copies of them."""

from __future__ import annotations

from protocols import load_catalogue
from vehicle_sim.model import TerrainProgram
from vehicle_sim.signals import PROGRAM_PATH_NAMES, SOURCES
from vehicle_sim.simulated import PROTOCOL_REASONS, REASONS

CATALOGUE = load_catalogue()


def test_model_programs_are_the_catalogues() -> None:
    assert tuple(p.value for p in TerrainProgram) == CATALOGUE.enum_values("TerrainProgram")


def test_every_program_has_its_availability_and_projection_signals() -> None:
    assert tuple(PROGRAM_PATH_NAMES) == CATALOGUE.enum_values("TerrainProgram")
    for program, leaf in PROGRAM_PATH_NAMES.items():
        assert f"Vehicle.Ema.TerrainResponse.Availability.{leaf}" in SOURCES
        if program != "AUTO":
            assert f"Vehicle.Ema.Range.Projected.{leaf}" in SOURCES


def test_reasons_are_the_catalogues() -> None:
    assert set(PROTOCOL_REASONS) == set(CATALOGUE.result_reasons)
    assert set(REASONS.values()) <= PROTOCOL_REASONS
