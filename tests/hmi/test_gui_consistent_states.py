"""One signal, one look, through the real link (Mosquitto + the headless window).

A signal the source marks invalid shows so where it stands while the rest of its frame stays
live; a stale state of charge looks the same on Drive, Energy and Charging (number, bar); the
battery bar takes the low and critical colours; "offline" is said once; refused frames make
the status degraded, with the reason in full.
"""

from __future__ import annotations

import msgpack
from kivy.uix.label import Label

from hmi.battery import CRITICAL_BATTERY_PERCENT, LOW_BATTERY_PERCENT
from hmi.widgets.gauges import Inclinometer, LevelBar
from protocols import INVALID, ResultStatus, load_catalogue
from tests.hmi.conftest import find, publish_all, tap
from tests.hmi.test_gui_terrain import received_command, tile_button
from tests.hmi.test_gui_values import readout_widget

CATALOGUE = load_catalogue()
PITCH, ROLL = "Vehicle.Ema.Chassis.Pitch", "Vehicle.Ema.Chassis.Roll"
ACTIVE = "Vehicle.Ema.TerrainResponse.Program.Active"
REQUESTED = "Vehicle.Ema.TerrainResponse.Program.Requested"
CHANGE = "Vehicle.Ema.TerrainResponse.Program.ChangeState"
SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"


def colour(hmi, role: str) -> list[float]:
    return list(hmi.hmi.theme.role(role))


def bars(screen) -> list[LevelBar]:
    return find(screen, lambda w: isinstance(w, LevelBar))


# --- item 8: a faulty sensor costs only itself ------------------------------------------------

def test_one_invalid_signal_shows_invalid_and_the_rest_of_its_frame_stays_live(hmi,
                                                                              vehicle) -> None:
    """An Eco tap whose outcome comes in the frame that also marks the pitch invalid: the
    program engages, pitch says "Invalid" in amber where it stands, roll stays live."""
    publish_all(vehicle)
    terrain = hmi.models.terrain
    hmi.wait(lambda: terrain.tile["MUD_RUTS"].state == "active", what="initial program")
    button = tile_button(hmi, "ECO")
    tap(button)
    command = received_command(vehicle)
    vehicle.result(command, ResultStatus.ACCEPTED)
    vehicle.state("terrain", {ACTIVE: "ECO", REQUESTED: "ECO", CHANGE: "ACTIVE", PITCH: INVALID})
    vehicle.result(command, ResultStatus.COMPLETED)
    hmi.wait(lambda: button.tile.state == "active", what="Eco active in the same frame")
    hmi.wait(lambda: terrain.pitch.state == "invalid", what="pitch invalid")
    screen = hmi.screen("terrain")
    pitch = readout_widget(screen, terrain.pitch)
    hmi.wait(lambda: pitch.shown_text == "Invalid", what="pitch widget says invalid")
    assert (pitch.shown_colour, pitch.shown_unit) == (colour(hmi, "amber"), "")
    roll = readout_widget(screen, terrain.roll)
    assert terrain.roll.available and roll.shown_colour == colour(hmi, "text")
    side, rear = sorted(find(screen, lambda w: isinstance(w, Inclinometer)),
                        key=lambda w: w.view != "side")
    assert (side.invalid, side.available) == (True, False)   # the pitch dial: an amber ring
    assert (rear.invalid, rear.available) == (False, True)   # the roll dial: live
    report = hmi.snapshot()
    assert report["readouts"]["terrain.pitch"]["state"] == "invalid"
    assert report["readouts"]["terrain.pitch"]["text"] == "Invalid"
    assert report["readouts"]["terrain.roll"]["state"] == "fresh"
    assert report["readouts"]["drive.terrain_program"]["key"] == "ECO"
    assert hmi.hmi.store.counters().refused == 0


def test_invalid_sent_by_hand_as_protocol_md_says_is_taken(hmi, vehicle) -> None:
    """The wire form an outsider sends (PROTOCOL.md §3, §7): msgpack ext type 1, empty."""
    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.terrain.pitch.available, what="pitch live")
    vehicle.stop_cycle()
    ids = {path: CATALOGUE.signal(path).id for path in (PITCH, ROLL)}
    vehicle.raw(vehicle.topics.state("terrain"), vehicle.sealed_wire_state(
        "terrain", {ids[PITCH]: msgpack.ExtType(1, b""), ids[ROLL]: 0.1}))
    hmi.wait(lambda: hmi.models.terrain.pitch.state == "invalid", what="pitch invalid")
    assert (hmi.models.terrain.roll.text, hmi.models.terrain.roll.state) == ("6°", "fresh")
    assert hmi.hmi.store.counters().rejected == 0


def test_hostile_out_of_range_is_still_refused_whole(hmi, vehicle) -> None:
    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.terrain.pitch.available, what="pitch live")
    ids = {path: CATALOGUE.signal(path).id for path in (PITCH, ROLL)}
    vehicle.raw(vehicle.topics.state("terrain"), vehicle.sealed_wire_state(
        "terrain", {ids[PITCH]: 10.0, ids[ROLL]: 0.3}, seq=10**6))
    hmi.wait(lambda: hmi.hmi.store.counters().rejected == 1, what="refused")
    assert hmi.models.terrain.roll.text != "17°"   # nothing of that frame was taken


def test_refused_frames_make_the_status_degraded_with_the_reason_in_full(hmi, vehicle) -> None:
    publish_all(vehicle)
    link = hmi.models.link
    status = hmi.root.ids.link_status
    hmi.wait(lambda: status.text == "Online", what="online")
    assert link.status_tone == "green"
    ids = {path: CATALOGUE.signal(path).id for path in (PITCH, ROLL)}
    vehicle.raw(vehicle.topics.state("terrain"), vehicle.sealed_wire_state(
        "terrain", {ids[PITCH]: 10.0, ids[ROLL]: 0.3}, seq=10**6))
    hmi.wait(lambda: status.text == "Online · data refused", what="degraded status")
    assert status.color == colour(hmi, "amber")
    reason = "terrain: Vehicle.Ema.Chassis.Pitch: 10.0 is above the maximum 1.0"
    shown = hmi.screen("settings").ids.diag_last_reject
    hmi.wait(lambda: shown.text == reason, what="the reason on the diagnostics page")
    assert not shown.shorten
    width, _ = shown.texture_size
    assert width <= shown.width + 1, "the reason is cut off"
    assert not link.banner_visible   # the figures are still live: no banner


# --- item 9: consistent states ------------------------------------------------------------------

def test_a_stale_state_of_charge_looks_the_same_on_drive_energy_and_charging(hmi,
                                                                            vehicle) -> None:
    publish_all(vehicle)
    hmi.wait(lambda: hmi.models.energy.soc.available, what="SoC live")
    vehicle.status(False)
    hmi.wait(lambda: not hmi.models.energy.soc.available, what="SoC stale")
    dim = colour(hmi, "dim")
    drive = hmi.screen("drive")
    number = readout_widget(drive, hmi.models.energy.soc)
    assert (number.shown_text, number.shown_colour) == ("62", dim)
    assert "ago" in number.shown_unit
    bar, = bars(drive)
    assert (bar.available, round(bar.fraction, 2), list(bar.fill_color)) == (True, 0.62, dim)
    charging = hmi.screen("charging")
    text = readout_widget(charging, hmi.models.charging.soc_to_limit)
    assert (text.shown_text, text.shown_colour) == ("62 % › 80 %", dim)
    assert "ago" in text.shown_unit
    bar, = bars(charging)
    assert (bar.available, round(bar.fraction, 2), list(bar.fill_color)) == (True, 0.62, dim)
    energy = hmi.screen("energy")
    ranges = bars(energy)
    assert ranges and all(b.available and b.fraction > 0 and list(b.fill_color) == dim
                          for b in ranges)
    eco = readout_widget(energy, hmi.models.energy.projected[1])
    assert eco.shown_colour == dim and "ago" in eco.shown_unit
    report = hmi.snapshot()["readouts"]
    assert report["charging.soc_to_limit"]["state"] == "stale"
    assert report["charging.soc_to_limit"]["age"]


def test_the_battery_bar_takes_the_low_and_critical_colours(hmi, vehicle) -> None:
    assert CRITICAL_BATTERY_PERCENT < 7.0 < LOW_BATTERY_PERCENT
    publish_all(vehicle)
    for soc, role in ((62.0, "green"), (7.0, "amber"), (4.0, "red")):
        vehicle.state("battery", {SOC: soc})
        hmi.wait(lambda soc=soc: hmi.models.energy.soc.value == soc, what=f"SoC {soc}")
        for name in ("drive", "charging"):
            bar, = bars(hmi.screen(name))
            assert list(bar.fill_color) == colour(hmi, role), (name, soc)
    telltale = hmi.models.drive.low_battery_telltale
    assert telltale.visible and telltale.colour == "red"


def test_offline_is_said_once(hmi, vehicle) -> None:
    publish_all(vehicle)
    banner = hmi.root.ids.banner
    hmi.wait(lambda: banner.height == 0, what="banner hidden while live")
    vehicle.status(False)
    hmi.wait(lambda: banner.height > 0, what="offline banner")
    for name in ("drive", "terrain", "charging", "energy"):
        hmi.screen(name)
        said = [w.text for w in hmi.root.walk(restrict=True)
                if isinstance(w, Label) and "offline" in w.text.lower()]
        assert said == ["Vehicle offline · data not live"], name
    assert hmi.root.ids.link_status.text == ""
    assert hmi.snapshot()["telltales"] == []
    assert hmi.models.link.status_tone == "red"   # the banner's colour, where it is named
