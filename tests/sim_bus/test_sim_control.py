"""Simulator control on the sim/ topics: time, driving by hand, scenarios and injected faults."""

from __future__ import annotations

from protocols import INVALID, Command, ResultStatus, load_catalogue
from vehicle_sim.model import list_scenarios

ODOMETER = "Vehicle.TraveledDistance"
SPEED = "Vehicle.Speed"
PITCH = "Vehicle.Ema.Chassis.Pitch"
ROLL = "Vehicle.Ema.Chassis.Roll"
PROGRAM = "Vehicle.Ema.TerrainResponse.Program.Active"
SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"


def done(cockpit, command: Command) -> None:
    cockpit.result_for(command.rid, ResultStatus.ACCEPTED)


def stepped(sim, cockpit, command: Command) -> None:
    """done() for a sim on a ManualClock: step its time until the command is accepted."""
    sim.answer(cockpit, command.rid, ResultStatus.ACCEPTED)
    done(cockpit, command)


def test_catalogue_names_every_shipped_scenario() -> None:
    catalogue = load_catalogue()
    assert set(catalogue.enums.get("Scenario", ())) | set(
        catalogue.commands["sim_set_scenario"].args["scenario"].choices) == set(list_scenarios())


def test_driving_by_hand_moves_the_car_and_tilts_it(stepped_sim, cockpit) -> None:
    sim = stepped_sim
    stepped(sim, cockpit, cockpit.control("sim_drive", accelerator=0.6, brake=0.0,
                                          grade_pct=20.0, side_slope_pct=0.0))
    sim.step_until(cockpit, lambda c: (c.values.get(SPEED) or 0) > 3
                   and (c.values.get(PITCH) or 0) > 0.15, max_s=5)
    stepped(sim, cockpit, cockpit.control("sim_drive", accelerator=0.0, brake=1.0,
                                          grade_pct=0.0, side_slope_pct=0.0))
    sim.step_until(cockpit, lambda c: (c.values.get(SPEED) or 0) < 0.1, max_s=8)


def test_pause_freezes_simulated_time(stepped_sim, cockpit) -> None:
    sim = stepped_sim
    stepped(sim, cockpit, cockpit.control("sim_drive", accelerator=0.4, brake=0.0,
                                          grade_pct=0.0, side_slope_pct=0.0))
    sim.step_until(cockpit, lambda c: (c.values.get(SPEED) or 0) > 2, max_s=5)
    stepped(sim, cockpit, cockpit.control("sim_pause", paused=True))
    sim.step(1.5)  # body frame is 1 Hz: one paused copy is sent ...
    sim.barrier(cockpit)  # ... and has arrived
    frozen = cockpit.values[ODOMETER]
    sim.step(2.2)
    sim.barrier(cockpit)
    assert cockpit.values[ODOMETER] == frozen
    stepped(sim, cockpit, cockpit.control("sim_pause", paused=False))
    sim.step_until(cockpit, lambda c: c.values[ODOMETER] > frozen, max_s=3)


def test_vehicle_offline_fault_goes_quiet_and_comes_back(stepped_sim, cockpit) -> None:
    sim = stepped_sim
    cockpit.wait_for(lambda c: c.online is True)
    stepped(sim, cockpit, cockpit.control("sim_fault", fault="VEHICLE_OFFLINE", active=True))
    cockpit.wait_for(lambda c: c.online is False, timeout_s=2)
    count = cockpit.frames_seen.get("drive", 0)
    sim.step(0.5)
    sim.barrier(cockpit)  # an offline vehicle still answers simulator control
    assert cockpit.frames_seen.get("drive", 0) <= count + 1
    stepped(sim, cockpit, cockpit.control("sim_fault", fault="VEHICLE_OFFLINE", active=False))
    sim.step_until(cockpit, lambda c: c.online is True and c.frames_seen["drive"] > count + 3,
                   max_s=3)


def test_signal_dropout_stops_the_battery_frame_only(stepped_sim, cockpit) -> None:
    sim = stepped_sim
    cockpit.wait_for(lambda c: c.frames_seen.get("battery", 0) > 0)
    stepped(sim, cockpit, cockpit.control("sim_fault", fault="SIGNAL_DROPOUT", active=True))
    sim.step(1.2)
    sim.barrier(cockpit)
    battery, drive = cockpit.frames_seen["battery"], cockpit.frames_seen["drive"]
    sim.step(2.0)
    sim.barrier(cockpit)
    assert cockpit.frames_seen["battery"] == battery
    assert cockpit.frames_seen["drive"] >= drive + 15


def test_sensor_out_of_range_marks_only_that_signal_invalid(parked_sim, cockpit) -> None:
    """A gateway's answer to a broken sensor: the signal marked invalid, the frame still valid
    (it used to carry an out-of-range value, and a strict receiver lost the whole frame)."""
    cockpit.wait_for(lambda c: isinstance(c.values.get(PITCH), float), timeout_s=3)
    done(cockpit, cockpit.control("sim_fault", fault="SENSOR_OUT_OF_RANGE", active=True))
    cockpit.wait_for(lambda c: c.values.get(PITCH) is INVALID, timeout_s=3)
    seen = cockpit.frames_seen["terrain"]
    cockpit.wait_for(lambda c: c.frames_seen["terrain"] >= seen + 3, timeout_s=3)
    assert cockpit.decode_errors == []
    assert cockpit.values[PROGRAM] in load_catalogue().enums["TerrainProgram"]
    assert isinstance(cockpit.values[ROLL], float)
    done(cockpit, cockpit.control("sim_fault", fault="SENSOR_OUT_OF_RANGE", active=False))
    cockpit.wait_for(lambda c: isinstance(c.values.get(PITCH), float), timeout_s=3)


def test_low_battery_fault_drops_the_charge(stepped_sim, cockpit) -> None:
    stepped(stepped_sim, cockpit, cockpit.control("sim_fault", fault="LOW_BATTERY", active=True))
    stepped_sim.step_until(cockpit, lambda c: (c.values.get(SOC) or 100) < 7, max_s=3)


def test_scenario_switch_restarts_from_its_beginning(stepped_sim, cockpit) -> None:
    stepped(stepped_sim, cockpit, cockpit.control("sim_set_scenario", scenario="low-battery"))
    stepped_sim.step_until(cockpit, lambda c: (c.values.get(SOC) or 100) < 15, max_s=4)


def test_simulator_control_is_refused_on_the_driver_command_topic(parked_sim, cockpit) -> None:
    cockpit.send_raw("sim_pause", cockpit.signed_payload("sim_pause", "sneaky", {"paused": True}))
    assert cockpit.result_for("sneaky").reason == "unknown_command"
    assert parked_sim.node.paused is False


def test_inject_scripts_sim_step_reaches_the_real_simulator(parked_sim, cockpit, mosquitto,
                                                            vehicle_id) -> None:
    from hmi.testbench.inject_session import InjectSession
    from protocols.bus import parse_broker_url
    from protocols.bus.mqtt import MqttTransport

    session = InjectSession(MqttTransport(parse_broker_url(mosquitto.url)), vehicle_id).start()
    try:
        rid = session.sim("sim_fault", {"fault": "LOW_BATTERY", "active": True})
        assert cockpit.result_for(rid).status is ResultStatus.ACCEPTED
        cockpit.wait_for(lambda c: (c.values.get(SOC) or 100) < 7, timeout_s=3)
    finally:
        session.close()
