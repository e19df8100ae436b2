"""A unit switch in Settings converts every displayed figure."""

from __future__ import annotations

import re

from hmi.widgets import ReadoutLabel, TextLabel
from tests.hmi.conftest import advance_frames, find, publish_all, tap

METRIC_UNITS = re.compile(r"(km/h|\bkm\b|°C|kWh/100 km|\bbar\b|\bmm\b)")
IMPERIAL_UNITS = {"mph", "mi", "°F", "mi/kWh", "psi", "in", "mi/h", "Wh/mi"}


def shown_texts(hmi) -> list[str]:
    """Every text on every screen, as drawn when the screen is open (off-screen widgets catch
    up on entry: HmiScreen); settings choice labels excluded."""
    texts = []
    for name in list(hmi.root.screens):
        if name == "settings":
            continue
        screen = hmi.screen(name)
        for widget in find(screen, lambda w: isinstance(w, (ReadoutLabel, TextLabel))):
            if isinstance(widget, ReadoutLabel):
                texts.append(f"{widget.shown_text} {widget.shown_unit}")
            else:
                texts.append(widget.text)
    return texts


def switch_to_imperial(hmi) -> None:
    settings = hmi.screen("settings")
    for choice in ("distance_mi", "temperature_F", "consumption_mi_kWh"):
        tap(settings.ids[choice])
    advance_frames(3)


def test_choices_update_the_preferences(hmi, vehicle) -> None:
    switch_to_imperial(hmi)
    assert hmi.models.preferences.units.as_dict() == {
        "distance": "mi", "temperature": "F", "consumption": "mi/kWh"}


def test_no_metric_unit_left_on_any_screen_after_the_switch(hmi, vehicle) -> None:
    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.energy.range_rated.available, what="data")
    assert any(METRIC_UNITS.search(text) for text in shown_texts(hmi))
    switch_to_imperial(hmi)
    assert [t for t in shown_texts(hmi) if METRIC_UNITS.search(t)] == []


def test_every_converted_figure_changes_unit_and_value(hmi, vehicle) -> None:
    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.energy.range_rated.available, what="data")
    before = hmi.snapshot()["readouts"]
    switch_to_imperial(hmi)
    after = hmi.snapshot()["readouts"]
    converted = {name: (before[name]["text"], after[name]["text"], after[name]["unit"])
                 for name in before if METRIC_UNITS.search(before[name]["unit"])}
    assert converted and all(unit in IMPERIAL_UNITS for _, _, unit in converted.values())
    unchanged = [name for name, (old, new, _) in converted.items()
                 if old == new and old.lstrip("+") not in ("--", "0")]
    assert unchanged == []
