"""Every catalogue value the HMI shows has a text, in one table (hmi/labels.py).

Table-driven from the catalogue itself: a terrain program, gear, ride height, charging state,
axle or reason code added to protocols/catalogue.toml without a text fails here."""

from __future__ import annotations

import tomllib

import pytest

from hmi.labels import (
    ENUM_LABELS,
    LOCAL_REASONS,
    REASON_TEXTS,
    enum_text,
    missing_texts,
    program_text,
    reason_text,
    shown_enums,
)
from hmi.programs import EFFECTS, PROGRAM_ORDER, PROGRAMS
from protocols import load_catalogue
from protocols.catalogue import build_catalogue, default_catalogue_path

CATALOGUE = load_catalogue()
SHOWN = [(enum, value) for enum in shown_enums() for value in CATALOGUE.enum_values(enum)]


def test_the_hmi_shows_the_vocabularies_of_the_issue() -> None:
    assert {"TerrainProgram", "Gear", "RideHeightLevel", "Axle", "ChargingState",
            "ProgramChangeState", "TractionControlMode", "ChargingType"} <= set(shown_enums())
    designer_panels = {"Scenario", "SimFault", "SimControl"}
    assert not designer_panels & set(shown_enums())


@pytest.mark.parametrize(("enum", "value"), SHOWN, ids=[f"{e}.{v}" for e, v in SHOWN])
def test_every_shown_enum_value_has_a_label(enum: str, value: str) -> None:
    assert value in ENUM_LABELS[enum]
    text = enum_text(enum, value)
    assert text == ENUM_LABELS[enum][value]
    # no charger, or a program that may be selected: nothing to say
    assert text or (enum, value) in (("ChargingType", "NONE"), ("ProgramAvailability", "AVAILABLE"))


@pytest.mark.parametrize("reason", CATALOGUE.result_reasons)
def test_every_catalogue_reason_has_a_text(reason: str) -> None:
    assert REASON_TEXTS.get(reason)
    assert reason_text(reason) == REASON_TEXTS[reason]


def test_vehicle_moving_has_a_text_of_its_own() -> None:
    assert reason_text("vehicle_moving") == "Stop the vehicle first"


def test_the_hmis_own_reasons_have_texts_and_no_text_is_for_an_unknown_code() -> None:
    assert all(REASON_TEXTS.get(r) for r in LOCAL_REASONS)
    assert set(REASON_TEXTS) == set(CATALOGUE.result_reasons) | set(LOCAL_REASONS)


def test_label_tables_hold_only_catalogue_values() -> None:
    for enum, labels in ENUM_LABELS.items():
        assert set(labels) == set(CATALOGUE.enum_values(enum)), enum


def test_the_real_catalogue_misses_no_text() -> None:
    assert missing_texts() == []


def _catalogue_with(edit) -> object:
    with open(default_catalogue_path(), "rb") as handle:
        data = tomllib.load(handle)
    edit(data)
    return build_catalogue(data)


def test_a_program_added_without_a_label_is_caught() -> None:
    catalogue = _catalogue_with(lambda d: d["enums"]["TerrainProgram"].append("SNOW_CHAINS"))
    assert missing_texts(catalogue) == ["TerrainProgram.SNOW_CHAINS"]


def test_a_command_enum_value_added_without_a_label_is_caught() -> None:
    catalogue = _catalogue_with(lambda d: d["command_enums"]["Axle"].append("CENTRE"))
    assert missing_texts(catalogue) == ["Axle.CENTRE"]


def test_a_reason_added_without_a_text_is_caught() -> None:
    catalogue = _catalogue_with(lambda d: d["results"]["reasons"].append("door_open"))
    assert missing_texts(catalogue) == ["reason door_open"]


def test_unknown_values_are_shown_readable_not_hidden() -> None:
    assert program_text("FUTURE_PROGRAM") == "FUTURE_PROGRAM"   # as before: the raw name
    assert enum_text("RideHeightLevel", "VERY_HIGH") == "Very high"
    assert reason_text("door_open") == "door open"
    assert program_text(None) == "" and reason_text(None, "x") == "x"


def test_programs_come_from_the_catalogue_in_its_order() -> None:
    assert PROGRAM_ORDER == CATALOGUE.enum_values("TerrainProgram")
    assert list(PROGRAMS) == list(PROGRAM_ORDER) and set(EFFECTS) == set(PROGRAM_ORDER)
    for program in PROGRAMS.values():
        assert program.availability_signal in CATALOGUE.signals
        if program.projected_range_signal is not None:
            assert program.projected_range_signal in CATALOGUE.signals
