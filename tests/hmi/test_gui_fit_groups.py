"""Shrink-to-fit labels no smaller than their siblings, at the real fonts.

A long name shrank alone and came out smaller than its neighbours: "Wasserdurchfahrt" among
the German program tiles, "Schräglage" beside "Neigung", "Gras/Schotter/Schnee" in the
range list. Siblings now share the size the longest of them fits at, and a list's names wrap
onto a second line, where the row has room, before they shrink."""

from __future__ import annotations

import pytest

from hmi.widgets import TerrainTileButton, TextLabel
from tests.hmi.conftest import advance_frames, find, publish_all, start_hmi, stop_hmi


@pytest.fixture(params=["en-GB", "de", "ar"])
def language(request, window, mosquitto, vehicle_id, vehicle):
    harness = start_hmi(window, mosquitto.url, vehicle_id, language=request.param)
    publish_all(vehicle)
    harness.wait(lambda: harness.models.energy.range_rated.available, 5.0, "live data")
    yield harness
    stop_hmi(harness)


def sizes(labels) -> dict[str, float]:
    return {label.text: label.font_size for label in labels}


def test_the_program_tiles_share_one_size(language) -> None:
    screen = language.screen("terrain")
    advance_frames(4)
    names = sizes(t._label for t in find(screen, lambda w: isinstance(w, TerrainTileButton)))
    assert len(names) == 8 and len(set(names.values())) == 1, names


def test_pitch_and_roll_share_one_size(language) -> None:
    screen = language.screen("terrain")
    advance_frames(4)
    captions = sizes(find(screen, lambda w: isinstance(w, TextLabel)
                          and w.fit_group == "attitude"))
    assert len(captions) == 2 and len(set(captions.values())) == 1, captions


def test_the_range_list_names_wrap_rather_than_shrink(language) -> None:
    screen = language.screen("energy")
    advance_frames(4)
    caption = language.hmi.metrics.caption
    names = sizes(find(screen, lambda w: isinstance(w, TextLabel)
                       and w.text in language.models.energy.projected_labels))
    assert len(names) == 7 and len(set(names.values())) == 1, names
    # Arabic's taller line box: its two lines need a size less, the same for all seven
    if language.models.preferences.language != "ar":
        assert set(names.values()) == {caption}, names
