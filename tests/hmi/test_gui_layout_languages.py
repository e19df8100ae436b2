"""Nothing clips, in any language: every screen of the 800x480 and 720x1280 profiles, in all
twelve shipped languages, with the widest values the catalogue allows.

One live HMI per profile switches language between tests (`preferences.choose`, as the
Settings picker does), with the market's own units (a US car in mph and °F). Each screen,
with the shell around it (status bar, rail), gets every check of test_gui_layout.py and a
stricter one for every Kivy Label with text, not only the TextLabels that fit themselves:

- what the core label laid out (`_internal_size`) fits inside its text_size, where set, and
  inside the widget, so no text spills over its box;
- no line was dropped: every character of the text is in the laid-out lines (a label with a
  text_size height silently drops the lines that do not fit), and a line of Latin or Arabic
  breaks only between words, never inside one (CJK may break between any two characters);
- the text is not shortened, except under THE ELLIPSIS RULE: a label may end in "..." only
  if it says so (`shorten: True`, `shorten_from: 'right'`, `fit: False`), which only a
  free-form text from outside the catalogue does (the last refusal's wording, on Settings):
  its start stays and its end gives way, at the end of the reading direction;
- a line in the Arabic font draws only characters that font has (no box for a missing glyph:
  it has no Latin letters and no "+");
- nothing is shrunk below legibility: no label of the cabin (TextLabel, chip, readout) is
  drawn smaller than 0.75 x the caption size of its profile.

The Settings language picker and the demo's simulation control panel are checked the same way
in en-GB, de, pl, ja and ar. The desktop and pi7 profiles share a size; pi7 is checked in en-GB
only, to hold the suite's time.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator
from typing import Any

import pytest

from hmi.i18n import LANGUAGES
from hmi.i18n.script import ARABIC, CJK, shaped_logical
from hmi.profiles import PROFILES
from hmi.screens import SCREEN_NAMES
from hmi.widgets import TextLabel
from hmi.widgets.controls import natural_size
from tests.hmi.conftest import WINDOW_SIZE, advance_frames, publish_all, start_hmi, stop_hmi
from tests.support.injector import VehicleInjector
from tests.support.layout import drawn_leaves as labels_and_instruments
from tests.support.layout import overlapping_pairs, rect, visible
from tests.support.sample_vehicle import widest

TOLERANCE = 1.0
TAGS = [language.tag for language in LANGUAGES]
SAMPLE_TAGS = ("en-GB", "de", "pl", "ja", "ar")   # picker and control panel
# In this order, with the picker's profiles reversed, the module starts four HMIs in all.
CASES = [("pi7", "en-GB")] + [("desktop", tag) for tag in TAGS] + \
    [("pi-touch2", tag) for tag in TAGS]
LEGIBLE = 0.75   # x the profile's caption size


@pytest.fixture(scope="module")
def cabins(window, mosquitto) -> Iterator[dict[str, Any]]:
    """One HMI per profile, started when first asked for; the one before is stopped then."""
    live: dict[str, Any] = {}
    vehicles: dict[str, VehicleInjector] = {}

    def cabin(profile_name: str) -> Any:
        if profile_name in live:
            return live[profile_name]
        for name in list(live):
            stop_hmi(live.pop(name))
        profile = PROFILES[profile_name]
        window.size = profile.size
        vehicle_id = f"layout-lang-{profile_name}"
        if profile_name not in vehicles:
            vehicles[profile_name] = VehicleInjector(mosquitto.url, vehicle_id).start()
            publish_all(vehicles[profile_name], widest())
        harness = start_hmi(window, mosquitto.url, vehicle_id, profile.name, metric=False)
        harness.wait(lambda: harness.models.energy.range_rated.available
                     and harness.models.terrain.program_available, what="widest data shown")
        # One refused frame, so that Settings shows the last refusal's wording: the one
        # label the ellipsis rule lets shorten.
        vehicle = vehicles[profile_name]
        vehicle.raw(vehicle.topics.state("drive"),
                    vehicle.sealed_wire_state("drive", {1: 500.0, 2: 1}, seq=10**6))
        harness.wait(lambda: harness.models.link.last_reject_text, what="a refusal shown")
        live[profile_name] = harness
        return harness

    yield {"get": cabin}
    from hmi.i18n import SOURCE_LANGUAGE, tr

    for name in list(live):
        harness = live.pop(name)
        harness.models.preferences.choose("language", SOURCE_LANGUAGE)
        stop_hmi(harness)
    tr.switch(SOURCE_LANGUAGE)   # the translator is the process's: leave it as found
    for vehicle in vehicles.values():
        vehicle.clear_retained()
        vehicle.close()
    window.size = WINDOW_SIZE
    advance_frames(2)


def in_language(harness: Any, tag: str) -> Any:
    if harness.models.preferences.language != tag:
        harness.models.preferences.choose("language", tag)
        advance_frames(3)
    return harness


# --- what is on the glass ---------------------------------------------------------------------









def describe(widget: Any) -> str:
    label = getattr(widget, "text", "") or type(widget).__name__
    return f"{type(widget).__name__}({label!r}) at {tuple(round(v) for v in rect(widget))}"


# --- the checks -------------------------------------------------------------------------------

def overlaps(items: list[Any]) -> list[str]:
    return [f"{describe(a)} overlaps {describe(b)}"
            for a, b in overlapping_pairs(items, TOLERANCE)]


def outside(items: list[Any], window: Any) -> list[str]:
    found = []
    for widget in items:
        x0, y0, x1, y1 = rect(widget)
        px0, py0, px1, py1 = rect(widget.parent)
        if (x0 < -TOLERANCE or y0 < -TOLERANCE or x1 > window.width + TOLERANCE
                or y1 > window.height + TOLERANCE
                or x0 < px0 - TOLERANCE or y0 < py0 - TOLERANCE
                or x1 > px1 + TOLERANCE or y1 > py1 + TOLERANCE):
            found.append(f"{describe(widget)} outside its parent or the window")
    return found


def unfitted(items: list[Any]) -> list[str]:
    """A fitting TextLabel's text, unwrapped, fits its box (test_gui_layout's check); one
    that may wrap takes no more than its `max_lines` (the strict check sees the box)."""
    found = []
    for widget in items:
        if not isinstance(widget, TextLabel) or not widget.fit:
            continue
        if widget.max_lines > 1:
            lines = len(widget._label._cached_lines)
            if lines > widget.max_lines:
                found.append(f"{describe(widget)} takes {lines} lines, more than "
                             f"{widget.max_lines}")
            continue
        width, height = natural_size(widget.text, widget.font_size, widget.bold)
        if width > widget.width + TOLERANCE or height > widget.height + TOLERANCE:
            found.append(f"{describe(widget)} needs {width}x{height} at "
                         f"{widget.font_size} px")
    return found


def small_targets(root: Any, extra: list[Any], minimum: float) -> list[str]:
    from kivy.uix.behaviors import ButtonBehavior

    targets = [w for w in root.walk(restrict=True) if isinstance(w, ButtonBehavior)] + extra
    return [f"{describe(w)} is a touch target under 12 mm" for w in targets
            if visible(w) and min(w.size) < minimum - TOLERANCE]


def ellipsis_allowed(label: Any) -> bool:
    """THE ELLIPSIS RULE (module docstring): shortening is declared, at the end, on a label
    that does not fit itself."""
    return bool(label.shorten and label.shorten_from == "right"
                and not getattr(label, "fit", False))


def _words(text: str) -> Counter[str]:
    """The pieces a line may not break inside, as sets of characters (a right-to-left run
    is drawn reversed; that splits nothing): words, and the parts of a compound name after
    each slash ("Gras/Schotter/" + "Schnee")."""
    return Counter("".join(sorted(piece)) for word in text.split()
                   for piece in re.split(r"(?<=/)(?=.)", word))


def clipped(items: list[Any]) -> list[str]:
    """The strict check, for every Label with text (see the module docstring)."""
    from kivy.uix.label import Label

    found = []
    for label in items:
        if not isinstance(label, Label):
            continue
        core = label._label
        if core.text != label.text:   # not laid out since its text changed
            label.texture_update()
        content_w, content_h = core._internal_size
        box_w, box_h = label.text_size
        what = describe(label)
        if box_w is not None and content_w > box_w + TOLERANCE or \
                box_h is not None and content_h > box_h + TOLERANCE:
            found.append(f"{what}: text {content_w:.0f}x{content_h:.0f} wider or taller than "
                         f"its text_size {box_w}x{box_h}")
        if content_w > label.width + TOLERANCE or content_h > label.height + TOLERANCE:
            found.append(f"{what}: text {content_w:.0f}x{content_h:.0f} wider or taller than "
                         f"the label {label.width:.0f}x{label.height:.0f}")
        if core.is_shortened:
            if not ellipsis_allowed(label):
                found.append(f"{what}: shortened to {laid_out_text(core)!r} without the "
                             "ellipsis rule")
            continue
        text = label.text.strip() if core.options.get("strip") else label.text
        drawn = shaped_logical(text) if ARABIC.search(text) else text
        missing = {c for c in drawn if ARABIC.search(text) and not c.isspace()
                   and ord(c) not in arabic_font()}
        if missing:
            found.append(f"{what}: the Arabic font has no {''.join(sorted(missing))!r}")
        lines = [word.text for line in core._cached_lines for word in line.words]
        if sum(len(re.sub(r"\s", "", t)) for t in lines) < len(re.sub(r"\s", "", drawn)):
            found.append(f"{what}: lines dropped, only {laid_out_text(core)!r} drawn")
        elif not CJK.search(text) and _words(" ".join(lines)) != _words(drawn):
            found.append(f"{what}: a word is broken across lines: {lines!r}")
    return found


def arabic_font() -> frozenset[int]:
    from tests.support.fonts import codepoints, font_path

    return codepoints(font_path("arabic"))


def laid_out_text(core: Any) -> str:
    return " / ".join(word.text for line in core._cached_lines for word in line.words)


def illegible(items: list[Any], caption: float) -> list[str]:
    from kivy.uix.label import Label

    return [f"{describe(w)} shrunk to {w.font_size} px (under {LEGIBLE} x {caption})"
            for w in items if isinstance(w, Label) and w.font_size < caption * LEGIBLE]


def problems(root: Any, window: Any, minimum_touch: float, caption: float | None,
             extra_targets: list[Any] | None = None) -> list[str]:
    """Everything wrong with what `root` draws; `caption` None skips the legibility check
    (the designer's panel is set in fixed desktop sizes)."""
    items = labels_and_instruments(root)
    found = overlaps(items) + outside(items, window) + unfitted(items) + clipped(items)
    found += small_targets(root, extra_targets or [], minimum_touch)
    if caption is not None:
        found += illegible(items, caption)
    return found


# --- the tests --------------------------------------------------------------------------------

@pytest.mark.parametrize(("profile", "tag", "name"),
                         [(p, t, n) for p, t in CASES for n in SCREEN_NAMES])
def test_every_screen_in_every_language_lays_out_without_clipping(cabins, profile, tag,
                                                                  name) -> None:
    harness = in_language(cabins["get"](profile), tag)
    harness.screen(name)
    advance_frames(2)
    metrics = harness.hmi.metrics
    found = problems(harness.root, harness.window, metrics.touch, metrics.caption,
                     list(harness.root.nav_buttons.values()))
    assert not found, "\n".join(found)


@pytest.mark.parametrize(("profile", "tag"),
                         [(p, t) for p in ("pi-touch2", "desktop") for t in SAMPLE_TAGS])
def test_the_language_picker_fits_in_every_sample_language(cabins, profile, tag) -> None:
    harness = in_language(cabins["get"](profile), tag)
    screen = harness.screen("settings")
    picker = screen.open_language_picker()
    try:
        advance_frames(3)
        metrics = harness.hmi.metrics
        found = problems(picker, harness.window, metrics.touch, metrics.caption)
    finally:
        picker.dismiss(animation=False)
        advance_frames(1)
    assert not found, "\n".join(found)


@pytest.fixture(scope="module")
def control_panel(cabins) -> Iterator[Any]:
    """The demo's panel at its desktop place and size (hmi.demo.app), on top of the cabin,
    with its longest texts: driving by keyboard, and a refusal."""
    from kivy.uix.floatlayout import FloatLayout

    from hmi.demo.controller import SimController
    from hmi.demo.keyboard import KEY_PAGE_UP, KEY_UP
    from hmi.demo.panel import SimControlPanel
    from hmi.demo.panel_layout import PANEL_WIDTH
    from hmi.demo.panel_model import SimPanelModel
    from protocols.bus import InProcessBroker, InProcessTransport

    harness = cabins["get"]("desktop")
    controller = SimController(InProcessTransport(InProcessBroker()), "panel-layout")
    controller.start()
    model = SimPanelModel(controller, "showcase")
    model.key_down(KEY_UP)
    model.key_down(KEY_PAGE_UP)
    holder = FloatLayout(size=harness.window.size)
    panel = SimControlPanel(model=model, theme=harness.hmi.theme, size_hint=(None, None),
                            size=(PANEL_WIDTH, harness.window.height),
                            pos=(harness.window.width - PANEL_WIDTH, 0))
    holder.add_widget(panel)
    harness.window.add_widget(holder)
    yield harness, panel, model
    harness.window.remove_widget(holder)
    controller.close()
    advance_frames(1)


@pytest.mark.parametrize("tag", SAMPLE_TAGS)
def test_the_demo_control_panel_fits_in_every_sample_language(control_panel, tag) -> None:
    from hmi.demo.keyboard import KEY_UP
    from hmi.i18n import tr
    from hmi.labels import program_text, reason_text

    harness, panel, model = control_panel
    in_language(harness, tag)
    model.key_up(KEY_UP)     # the "by hand" text again, in this language
    model.key_down(KEY_UP)
    model.status_text = tr("Refused: {reason}").format(
        reason=reason_text("superseded"))
    advance_frames(3)
    found = problems(panel, harness.window, 0, None)
    model.scenario_text = tr("Scenario overrode your {yours}: {what}").format(   # the newer line
        yours=program_text("GRASS_GRAVEL_SNOW"), what=program_text("MUD_RUTS"))
    advance_frames(3)
    found += problems(panel, harness.window, 0, None)
    assert not found, "\n".join(found)
