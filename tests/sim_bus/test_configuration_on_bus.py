"""The configuration frame on a real Mosquitto: retained, sent on change and every 5 s, and taken
by the HMI's link like any frame, with staleness, order and authentication.

The vehicle is a small fake whose `execute` changes its configuration, so that these tests
check the bus (the node's on-change rule, the HMI's rules), not the simulator's model. Its time
is a ManualClock: nothing is published unless the test steps it. The HMI's staleness is judged
at times the test gives its SignalTable (tests/support/hmi_side.py), never by waiting.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import msgpack
import pytest

from hmi.store import VehicleOnlineChanged
from protocols import (
    Command,
    DecodeError,
    ResultStatus,
    StateFrame,
    Value,
    load_catalogue,
)
from protocols.auth import CommandKey, development_key
from protocols.bus import Message
from tests.sim_bus.conftest import BusProbe, RunningSim
from tests.support.hmi_side import HmiSide
from tests.support.injector import VehicleInjector
from tests.support.recorder import Recorder
from tests.support.sample_vehicle import TYPICAL
from vehicle_sim.clock import ManualClock
from vehicle_sim.node import CommandDecision

CATALOGUE = load_catalogue()
FRAME = CATALOGUE.frames["configuration"]
PATHS = [s.path for s in FRAME.signals   # the car; the simulation notices are not the fake's
         if not s.path.startswith("Vehicle.Ema.Simulation.")]
WHEELS = "Vehicle.Ema.Chassis.WheelPackage"
RACK = "Vehicle.Ema.Body.RoofRack"
JUMP_SEAT = "Vehicle.Ema.Cabin.JumpSeat.IsFitted"
PACK = "Vehicle.Powertrain.TractionBattery.NetCapacity"

EXPEDITION: dict[str, Value | None] = dict(TYPICAL["configuration"])
ROAD: dict[str, Value | None] = {**EXPEDITION, **{
    "Vehicle.CurbWeight": 2390.0,
    "Vehicle.Body.BodyColor": "TASMAN_BLUE",
    "Vehicle.Ema.Body.Roof.Color": "BODY_COLOUR",
    WHEELS: "ROAD_22",
    "Vehicle.Chassis.Axle.Row1.WheelDiameter": 0.559,
    "Vehicle.Chassis.Axle.Row1.TireDiameter": 0.81,
    "Vehicle.Chassis.Axle.Row2.WheelDiameter": 0.559,
    "Vehicle.Chassis.Axle.Row2.TireDiameter": 0.81,
    "Vehicle.Ema.Body.WheelArchExtensions.IsFitted": False,
    RACK: "NONE",
    "Vehicle.Ema.Body.Tailgate.SpareWheel.IsFitted": False,
    JUMP_SEAT: False,
    "Vehicle.Ema.Configuration.RatedRange": 468_000.0,
    "Vehicle.Ema.Configuration.RangeCost.Wheels": 9_000.0,
    "Vehicle.Ema.Configuration.RangeCost.RoofRack": 0.0,
    "Vehicle.Ema.Configuration.RangeCost.WheelArchExtensions": 0.0,
    "Vehicle.Ema.Configuration.RangeCost.SpareWheel": 0.0,
    "Vehicle.Ema.Configuration.RangeCost.JumpSeat": 0.0,
}}
FITTINGS = {"expedition": EXPEDITION, "road": ROAD}


class FittedVehicle:
    """A SimulatedVehicle that is only its configuration: `sim_set_configuration` refits it,
    every other command is accepted and changes nothing."""

    def __init__(self, fitted: str = "expedition") -> None:
        self.values = dict(FITTINGS[fitted])
        self.executed: list[str] = []

    def advance(self, dt_s: float) -> None:
        """Nothing moves: the configuration changes only by command."""

    def signal_values(self) -> dict[str, Value | None]:
        return dict(self.values)

    def execute(self, command: Command) -> CommandDecision:
        self.executed.append(command.name)
        if command.name == "sim_set_configuration":
            fitting = FITTINGS.get(str(command.args["configuration"]))
            if fitting is None:
                return CommandDecision(False, "not_available", "Not fitted in this test.")
            self.values = dict(fitting)
        return CommandDecision(True)

    def is_complete(self, command: Command) -> bool:
        return True


class ConfigurationProbe(BusProbe):
    """A bus probe that also keeps every configuration frame it decoded, in arrival order."""

    def __init__(self, broker_url: str, vehicle: str) -> None:
        super().__init__(broker_url, vehicle)
        self.configurations: list[StateFrame] = []

    def _on_message(self, message: Message) -> None:
        if message.topic == self.topics.state("configuration"):
            try:
                self.configurations.append(self.codec.decode_state(
                    "configuration", message.payload, self.sealer))
            except DecodeError:
                pass  # the probe's decode_errors keep it
        super()._on_message(message)  # notifies waiters last


@pytest.fixture
def fitted_sim(mosquitto, vehicle_id) -> Iterator[RunningSim]:
    """The fake vehicle on a ManualClock: its first tick has published every frame."""
    sim = RunningSim(mosquitto.url, vehicle_id, None, clock=ManualClock(),
                     vehicle=FittedVehicle()).start()
    yield sim
    sim.stop()


@pytest.fixture
def probe(mosquitto, vehicle_id) -> Iterator[ConfigurationProbe]:
    watcher = ConfigurationProbe(mosquitto.url, vehicle_id).start()
    yield watcher
    watcher.close()


@pytest.fixture
def hmi_side(mosquitto, vehicle_id) -> Iterator[Any]:
    """Factory: the HMI's link, store and table, subscribed when the test calls it."""
    sides: list[HmiSide] = []

    def make() -> HmiSide:
        side = HmiSide(mosquitto.url, vehicle_id).start()
        sides.append(side)
        return side

    yield make
    for side in sides:
        side.close()


def live_configuration(side: HmiSide, now_s: float) -> dict[str, Value | None]:
    """The configuration as the HMI would show it live at `now_s` (None: not live)."""
    return {path: side.state(path, now_s).live for path in PATHS}


def has_configuration(side: HmiSide, values: dict[str, Value | None]) -> bool:
    return all(side.table.state(path).value == value for path, value in values.items())


# --- (a) retained --------------------------------------------------------------------------------
def test_a_late_hmi_gets_the_retained_configuration_at_once_and_live(fitted_sim, probe,
                                                                    hmi_side) -> None:
    """The sim's clock stands still after its first tick, so the late HMI can only have the
    configuration from the broker's retained copy."""
    probe.wait_for(lambda p: len(p.configurations) == 1)  # on the broker before the HMI comes
    sent = probe.configurations[0]
    side = hmi_side()
    side.wait_for(lambda: has_configuration(side, EXPEDITION), timeout_s=0.5,
                  what="the retained configuration")
    assert {s.ts_us for s in side.arrivals if s.frame == "configuration"} == {sent.ts_us}
    arrived = side.received_at(PACK)
    assert live_configuration(side, arrived) == EXPEDITION
    assert side.state(JUMP_SEAT, arrived).live is True  # a fact of the frame, not a default
    assert side.counters().refused == 0


# --- (b) on change -------------------------------------------------------------------------------
def test_a_change_goes_out_at_once_and_a_command_that_changes_nothing_sends_nothing(
        fitted_sim, probe) -> None:
    probe.wait_for(lambda p: len(p.configurations) == 1)
    first = probe.configurations[0]
    assert first.values == EXPEDITION

    # A command that changes no configuration value: no configuration frame until the heartbeat.
    noop = probe.send("set_charge_limit", percent=80)
    fitted_sim.answer(probe, noop.rid, ResultStatus.COMPLETED)
    fitted_sim.barrier(probe)
    assert fitted_sim.node.vehicle.executed == ["set_charge_limit"]
    assert len(probe.configurations) == 1
    # Refitting the car as it already is changes nothing either.
    same = probe.control("sim_set_configuration", configuration="expedition")
    fitted_sim.answer(probe, same.rid, ResultStatus.COMPLETED)
    fitted_sim.barrier(probe)
    assert len(probe.configurations) == 1

    # The heartbeat: the same values again, 5 s of the vehicle's clock after the first.
    fitted_sim.step_until(probe, lambda p: len(p.configurations) == 2, max_s=5.5)
    heartbeat = probe.configurations[1]
    assert heartbeat.values == EXPEDITION and heartbeat.seq > first.seq
    assert 5_000_000 <= heartbeat.ts_us - first.ts_us <= 5_020_000

    # A change goes out in the tick that executed the command, not at the next heartbeat.
    change = probe.control("sim_set_configuration", configuration="road")
    fitted_sim.answer(probe, change.rid, ResultStatus.ACCEPTED)
    fitted_sim.step_until(probe, lambda p: len(p.configurations) == 3, max_s=0.1)
    changed = probe.configurations[2]
    accepted = next(r for r in probe.kept.seen
                    if r.rid == change.rid and r.status is ResultStatus.ACCEPTED)
    assert changed.values == ROAD
    assert changed.ts_us == accepted.ts_us  # the same tick: the same instant of its clock
    assert changed.ts_us - heartbeat.ts_us < 1_000_000  # the next heartbeat was 5 s away
    assert probe.decode_errors == []


# --- (c) staleness -------------------------------------------------------------------------------
def test_configuration_goes_stale_15_s_after_the_heartbeat_stops(fitted_sim, probe,
                                                                hmi_side) -> None:
    side = hmi_side()
    side.wait_for(lambda: has_configuration(side, EXPEDITION), what="the configuration")
    # The vehicle goes offline: it says so and its heartbeat stops; twenty seconds of its
    # clock bring no configuration frame.
    offline = probe.control("sim_fault", fault="VEHICLE_OFFLINE", active=True)
    fitted_sim.answer(probe, offline.rid, ResultStatus.COMPLETED)
    frames = len(probe.configurations)
    fitted_sim.step(20.0)
    fitted_sim.barrier(probe)
    assert len(probe.configurations) == frames
    side.wait_for(lambda: any(isinstance(e, VehicleOnlineChanged) and not e.online
                              for e in side.events), what="the offline status")

    last = side.received_at(PACK)
    stale_after = FRAME.stale_after_s
    assert stale_after == 15.0
    for path in PATHS:  # the same rule as every frame, with this frame's timeout
        assert CATALOGUE.signal(path).stale_after_s == stale_after
        assert side.received_at(path) == last
        assert side.state(path, last + stale_after - 0.01).fresh
        assert side.state(path, last + stale_after).fresh
        stale = side.state(path, last + stale_after + 0.01)
        assert not stale.fresh and stale.live is None
        assert stale.value == EXPEDITION[path]  # kept as a memory, never shown as live
    assert side.counters().refused == 0


# --- (d) forged, replayed, earlier session -------------------------------------------------------
def test_forged_replayed_and_old_session_configurations_are_refused_and_counted(
        mosquitto, vehicle_id, fitted_sim, probe, hmi_side) -> None:
    topic = fitted_sim.node.topics.state("configuration")
    recorder = Recorder(mosquitto.url, topic).start()
    forger = VehicleInjector(mosquitto.url, vehicle_id, key=CommandKey(b"not-the-vehicle-key" * 2),
                             epoch=fitted_sim.node.epoch, client_id=f"forger-{vehicle_id}").start()
    old_session = VehicleInjector(mosquitto.url, vehicle_id, key=development_key(),
                                  epoch=fitted_sim.node.epoch - 1,
                                  client_id=f"old-{vehicle_id}").start()
    try:
        side = hmi_side()
        side.wait_for(lambda: has_configuration(side, EXPEDITION), what="the configuration")
        captured = recorder.wait_for(1)[0]  # the expedition frame, as an eavesdropper has it
        change = probe.control("sim_set_configuration", configuration="road")
        fitted_sim.answer(probe, change.rid, ResultStatus.COMPLETED)
        side.wait_for(lambda: has_configuration(side, ROAD), what="the road configuration")
        good = probe.configurations[-1]
        applied = len(side.arrivals)

        # Forged: a higher seq and the expedition fittings, and a MAC that cannot verify.
        tampered = msgpack.unpackb(captured, strict_map_key=False)
        tampered["seq"] = good.seq + 1000
        tampered["sig"][CATALOGUE.signal(RACK).id] = 2  # RACK_LOADED
        forger.raw(topic, msgpack.packb(tampered), retain=True)
        forger.state("configuration", EXPEDITION, seq=good.seq + 2000)  # signed, wrong key
        side.wait_for(lambda: side.counters().unauthenticated == 2, what="forgeries refused")
        assert "MAC does not verify" in side.counters().last_reject_reason

        # Replayed: the vehicle's own earlier frame, byte for byte (a lower seq).
        forger.raw(topic, captured)
        side.wait_for(lambda: side.counters().out_of_order == 1, what="the replay refused")
        assert "out of order" in side.counters().last_reject_reason

        # An earlier session: signed with the vehicle's key, its epoch below the vehicle's.
        old_session.state("configuration", EXPEDITION, seq=2**62)
        side.wait_for(lambda: side.counters().out_of_order == 2, what="the old session refused")
        assert "earlier session" in side.counters().last_reject_reason

        side.pump()
        assert len(side.arrivals) == applied  # none of them was applied
        counters = side.counters()
        assert (counters.unauthenticated, counters.out_of_order, counters.rejected) == (2, 2, 0)
        now = side.received_at(PACK)
        assert live_configuration(side, now) == ROAD  # the last good configuration stays
    finally:
        old_session.close()
        forger.close()
        recorder.close()


# --- (e) a reconnect -----------------------------------------------------------------------------
def test_the_retained_configuration_after_a_reconnect_is_a_duplicate_not_a_refusal(
        mosquitto, vehicle_id, fitted_sim, probe, hmi_side) -> None:
    topic = fitted_sim.node.topics.state("configuration")
    recorder = Recorder(mosquitto.url, topic).start()
    replayer = VehicleInjector(mosquitto.url, vehicle_id, client_id=f"replay-{vehicle_id}").start()
    try:
        probe.wait_for(lambda p: len(p.configurations) == 1 and p.online is True)
        side = hmi_side()
        retained_topics = len(CATALOGUE.frames) + 1  # every frame and the status
        side.wait_for(lambda: has_configuration(side, EXPEDITION)
                      and side.counters().received == retained_topics, what="the retained copies")
        applied = len(side.arrivals)
        side.force_reconnect()
        side.wait_for(lambda: side.counters().received == 2 * retained_topics,
                      what="the retained copies again")
        side.pump()
        counters = side.counters()
        assert (counters.refused, len(side.arrivals)) == (0, applied)  # dropped, not counted
        assert live_configuration(side, side.received_at(PACK)) == EXPEDITION

        # The same bytes again live are a repeat, and that is counted.
        replayer.raw(topic, recorder.wait_for(1)[0])
        side.wait_for(lambda: side.counters().out_of_order == 1, what="the live repeat refused")
        assert side.counters().last_reject_reason == (
            "configuration: a repeat of the message last applied")
    finally:
        replayer.close()
        recorder.close()


def test_the_fake_vehicle_fits_only_valid_frames() -> None:
    """Both fittings encode: the fake sends nothing the codec would refuse."""
    from protocols import Codec
    codec, sealer = Codec(), development_key().sealer("v")
    for values in (EXPEDITION, ROAD):
        payload = codec.encode_state("configuration", values, 1, epoch=1, sealer=sealer)
        assert codec.decode_state("configuration", payload, sealer).values == values
    assert set(EXPEDITION) == set(ROAD) == set(PATHS)
    assert ROAD != EXPEDITION
