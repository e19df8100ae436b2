"""The designer's control panel drives the real simulator over a real broker."""

from __future__ import annotations

import time
from pathlib import Path

import pytest

from hmi.demo.controller import SimController
from hmi.demo.keyboard import KEY_DOWN, KEY_LEFT, KEY_PAGE_UP, KEY_UP, DriveInput, KeyboardDriver
from hmi.demo.panel_model import FAULT_LABELS, SimPanelModel
from protocols import Codec, CommandResult, ResultStatus
from protocols.auth import CommandKey, development_key
from protocols.bus import InProcessBroker, InProcessTransport, parse_broker_url
from protocols.bus.mqtt import MqttTransport
from tests.sim_bus.conftest import PARKED, WHO_DRIVES, RunningSim
from tests.support.cockpit import CockpitProbe
from vehicle_sim.clock import ManualClock

SPEED = "Vehicle.Speed"
PITCH = "Vehicle.Ema.Chassis.Pitch"
REQUESTED = "Vehicle.Ema.TerrainResponse.Program.Requested"
CHANGE_STATE = "Vehicle.Ema.TerrainResponse.Program.ChangeState"


def test_keys_become_pedals_and_slopes() -> None:
    driver = KeyboardDriver()
    assert driver.key_down(KEY_UP) == DriveInput(accelerator=0.6)
    assert driver.key_down(KEY_UP) is None
    assert driver.key_down(KEY_PAGE_UP) == DriveInput(accelerator=0.6, grade_pct=5.0)
    assert driver.key_down(KEY_LEFT).side_slope_pct == -5.0
    assert driver.key_up(KEY_UP).accelerator == 0.0
    assert driver.key_down(KEY_DOWN).brake > 0.5
    assert driver.key_down(ord("x")) is None


def test_slopes_stop_at_their_limit() -> None:
    driver = KeyboardDriver()
    for _ in range(30):
        driver.key_down(KEY_PAGE_UP)
    assert driver.current.grade_pct == 45.0


def test_the_controller_takes_only_results_sealed_with_its_key() -> None:
    broker = InProcessBroker()
    controller = SimController(InProcessTransport(broker), "panel-1")
    controller.start()
    vehicle = InProcessTransport(broker)
    vehicle.start()
    rid = controller.pause(True)
    codec = Codec()
    for key in (CommandKey(b"somebody else's key", False), development_key()):
        result = CommandResult(rid, "sim_pause", ResultStatus.COMPLETED, text="Paused.", seq=1,
                               epoch=7)
        vehicle.publish("ema/v1/panel-1/result",
                        codec.encode_result(result, sealer=key.sealer("panel-1")), qos=1)
    taken = controller.results.get(timeout=1)
    assert (taken.rid, taken.epoch) == (rid, 7)
    assert controller.results.empty(), "the forged one was not queued"
    controller.close()


@pytest.fixture
def stack(mosquitto, vehicle_id, tmp_path: Path):
    scenario = tmp_path / "parked.toml"
    scenario.write_text(PARKED)
    sim = RunningSim(mosquitto.url, vehicle_id, scenario).start()
    controller = SimController(MqttTransport(parse_broker_url(mosquitto.url)), vehicle_id)
    controller.start()
    assert controller.transport.wait_connected(5)
    probe = CockpitProbe(mosquitto.url, vehicle_id).start()
    yield SimPanelModel(controller, "showcase"), sim, probe
    probe.close()
    controller.close()
    sim.stop()


def settle(model: SimPanelModel, status_text: str, timeout_s: float = 5.0) -> None:
    """Hand results to the model, as the frame clock does, until it shows `status_text`."""
    deadline = time.monotonic() + timeout_s
    while model.status_text != status_text:
        assert time.monotonic() < deadline, f"panel still says {model.status_text!r}"
        model.apply_results()
        time.sleep(0.02)


def test_keyboard_drives_the_simulated_car_up_a_slope(stack) -> None:
    model, _sim, probe = stack
    for _ in range(4):
        model.key_down(KEY_PAGE_UP)
    model.key_down(KEY_UP)
    assert model.manual
    probe.wait_for(lambda c: (c.values.get(SPEED) or 0) > 2 and (c.values.get(PITCH) or 0) > 0.15,
                   timeout_s=6)


def test_speed_and_pause_reach_the_simulator(stack) -> None:
    model, sim, probe = stack
    model.choose_speed(5.0)
    model.toggle_pause()
    settle(model, "Paused")
    assert (sim.node.speed, sim.node.paused) == (5.0, True)


def test_fault_toggle_takes_the_vehicle_offline_and_back(stack) -> None:
    model, _sim, probe = stack
    probe.wait_for(lambda c: c.online is True)
    model.toggle_fault("VEHICLE_OFFLINE")
    probe.wait_for(lambda c: c.online is False, timeout_s=3)
    model.toggle_fault("VEHICLE_OFFLINE")
    probe.wait_for(lambda c: c.online is True, timeout_s=3)
    assert model.faults["VEHICLE_OFFLINE"] is False


@pytest.mark.parametrize("language", ["en-GB", "de"])
def test_every_fault_message_names_the_fault_by_its_label(stack, language: str) -> None:
    """"VEHICLE_OFFLINE on." beside "Low battery on.": every toggle is told in one form, with
    the label its button carries, in the panel's language, never the enum name."""
    from hmi.i18n import tr

    tr.switch(language)
    model, _sim, _probe = stack
    for fault, label in FAULT_LABELS.items():
        for state in ("on", "off"):
            model.toggle_fault(fault)
            expected = tr(f"{{fault}}: {state}").format(fault=tr(label))
            settle(model, expected)
            assert fault not in model.status_text


def test_configuration_picker_sends_each_shipped_configuration(mosquitto, vehicle_id) -> None:
    """The panel offers the catalogue's VehicleConfiguration values and sends the chosen one as
    a signed sim_set_configuration command on the simulator's topic (the simulator's side is
    tested in tests/sim_bus)."""
    from protocols import VehicleTopics, load_catalogue

    catalogue = load_catalogue()
    shipped = catalogue.enum_values("VehicleConfiguration")
    topics = VehicleTopics(vehicle_id)
    heard: list = []
    listener = MqttTransport(parse_broker_url(mosquitto.url))
    listener.add_listener(heard.append)
    listener.subscribe(topics.sim_filter, qos=1)
    listener.start()
    assert listener.wait_subscribed(5)
    controller = SimController(MqttTransport(parse_broker_url(mosquitto.url)), vehicle_id)
    controller.start()
    assert controller.transport.wait_connected(5)
    model = SimPanelModel(controller, "showcase")
    try:
        assert model.configurations == list(shipped)
        assert model.configuration == "default"   # the car the demo's simulator starts as
        model.manual = True
        for name in shipped:
            model.choose_configuration(name)
            assert model.configuration == name
            assert not model.manual   # the refit restarts the scenario: it drives again
        deadline = time.monotonic() + 5
        while len(heard) < len(shipped):
            assert time.monotonic() < deadline, f"heard {len(heard)} commands"
            time.sleep(0.02)
        codec = Codec(catalogue)
        commands = [codec.decode_command("sim_set_configuration", m.payload) for m in heard]
        assert {m.topic for m in heard} == {topics.sim("sim_set_configuration")}
        assert [c.args for c in commands] == [{"configuration": name} for name in shipped]
        assert model.scenario == "showcase", "the scenario carries on"
    finally:
        controller.close()
        listener.close()


def test_panel_says_what_the_scenario_set_and_whose_choice_it_overrode(
        mosquitto, vehicle_id, tmp_path: Path) -> None:
    """Issue 16 item 6: the trail turned the driver's Mud & Ruts into Grass Gravel Snow without
    a word. Now the panel says each program the scenario sets, and when it overrode the driver."""
    scenario = tmp_path / "who.toml"
    scenario.write_text(WHO_DRIVES)
    controller = SimController(MqttTransport(parse_broker_url(mosquitto.url)), vehicle_id)
    controller.start()
    assert controller.transport.wait_subscribed(5)
    model = SimPanelModel(controller, "trail")
    probe = CockpitProbe(mosquitto.url, vehicle_id).start()
    sim = RunningSim(mosquitto.url, vehicle_id, scenario, clock=ManualClock()).start()
    try:
        assert model.scenario_text == ""

        def shows(text: str) -> bool:
            model.apply_results()   # as the panel's clock does every 0.1 s
            return model.scenario_text == text

        sim.step_until(probe, lambda c: shows("Scenario: Grass Gravel Snow"), max_s=5)
        probe.send("set_terrain_program", program="MUD_RUTS")   # the driver's tap
        sim.step_until(probe, lambda c: c.values.get(REQUESTED) == "MUD_RUTS"
                       and c.values.get(CHANGE_STATE) == "ACTIVE", max_s=10)
        sim.step_until(probe, lambda c: shows("Scenario overrode your Mud & Ruts: Sand"),
                       max_s=25)   # the next segment's event, 20 s after the first
        sim.step_until(probe, lambda c: shows("Scenario: Rear locker engaged"), max_s=5)
    finally:
        sim.stop()
        probe.close()
        controller.close()


def test_notice_texts_for_refusals_lockers_and_new_sessions() -> None:
    from hmi.demo.panel_model import notice_text
    n = "Vehicle.Ema.Simulation.Notice."
    assert notice_text({n + "Control": "TERRAIN_PROGRAM", n + "Program": "ROCK_CRAWL",
                        n + "Accepted": False}) == "Scenario asked for Rock Crawl: refused"
    assert notice_text({n + "Control": "FRONT_LOCKER", n + "LockerEngaged": False,
                        n + "Accepted": True, n + "OverrodeDriver": True}) == (
        "Scenario overrode your Front locker: released")
    assert notice_text({n + "Count": 0, n + "Control": None}) == ""
