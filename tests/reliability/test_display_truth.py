"""Never stale shown as live, judged from outside: the HMI's own display reports are checked
against when the simulator actually published each frame (its sequence-numbered frames, seen
by an independent subscriber on the same broker and clock). Every readout the report calls
fresh, figure or derived text alike, must come from a frame younger than its stale timeout."""

from __future__ import annotations

import threading
import time
from pathlib import Path

from hmi.models.readout import READOUT_STATES  # PROTOCOL.md §10 (tests/hmi checks they agree)
from hmi.testbench.pytest_plugin import ema_broker, ema_hmi_factory  # noqa: F401
from protocols import Codec, DecodeError, TopicKind, VehicleTopics, load_catalogue, parse_topic
from protocols.auth import load_command_key
from protocols.bus import Message, parse_broker_url
from protocols.bus.mqtt import MqttTransport
from protocols.diagnostics import decode_display
from tests.reliability.conftest import figure
from tests.sim_bus.conftest import PARKED, RunningSim

CATALOGUE = load_catalogue()
CODEC = Codec()
SLACK_S = 0.35  # report building, a rendered frame and the report's own publish


class Witness:
    """Records when each frame (with its seq) left the simulator, and every display report."""

    def __init__(self, broker_url: str, vehicle: str) -> None:
        self.topics = VehicleTopics(vehicle)
        self.sealer = load_command_key().sealer(vehicle)  # verifies the vehicle's frames
        self.frames: dict[str, list[tuple[float, int]]] = {name: [] for name in CATALOGUE.frames}
        self.reports: list[tuple[float, dict]] = []
        self.lock = threading.Lock()
        self.transport = MqttTransport(parse_broker_url(broker_url))
        self.transport.add_listener(self._on_message)
        self.transport.subscribe(self.topics.state_filter)
        self.transport.subscribe(self.topics.hmi("display"), qos=1)

    def _on_message(self, message: Message) -> None:
        try:
            topic = parse_topic(message.topic)
            if topic.kind is TopicKind.STATE and not message.retain:
                frame = CODEC.decode_state(topic.name or "", message.payload, self.sealer)
                with self.lock:
                    self.frames[frame.frame].append((frame.ts_us / 1e6, frame.seq))
            elif topic.kind is TopicKind.HMI and topic.name == "display":
                report = decode_display(message.payload)
                with self.lock:
                    self.reports.append((report.ts / 1e6, report.display))
        except DecodeError:
            pass

    def last_publish_before(self, frame: str, at_s: float) -> float | None:
        with self.lock:
            times = [t for t, _seq in self.frames[frame] if t <= at_s]
        return max(times) if times else None


def test_no_report_ever_shows_a_stale_value_as_live(ema_broker, ema_hmi_factory,  # noqa: F811
                                                   tmp_path: Path) -> None:
    vehicle = f"truth-{int(time.time() * 1000) % 10**8}"
    scenario = tmp_path / "parked.toml"
    scenario.write_text(PARKED)
    witness = Witness(ema_broker.url, vehicle)
    witness.transport.start()
    assert witness.transport.wait_connected(5)
    sim = RunningSim(ema_broker.url, vehicle, scenario).start()
    hmi = ema_hmi_factory(vehicle)
    asking = threading.Event()

    def ask_for_reports() -> None:  # reports come on change, and on request: ask 4 times a second
        while not asking.wait(0.25):
            hmi.session.request("display")

    asker = threading.Thread(target=ask_for_reports, daemon=True)
    asker.start()
    try:
        control = sim.node
        time.sleep(1.5)
        control.faults.add("SIGNAL_DROPOUT")      # the battery frame stops
        time.sleep(4.0)
        control.faults.discard("SIGNAL_DROPOUT")
        time.sleep(1.5)
        control._set_fault("VEHICLE_OFFLINE", True)  # everything stops, status offline
        time.sleep(2.0)
        control._set_fault("VEHICLE_OFFLINE", False)
        time.sleep(1.5)
    finally:
        asking.set()
        asker.join(2)
        sim.stop()
    hmi.stop()
    witness.transport.close()

    checked = violations = 0
    inconsistent = []
    for report_s, display in witness.reports:
        for name, readout in display.get("readouts", {}).items():
            path = readout.get("signal")
            # Judged by what the report claims (state and stale agree), not by the text: a
            # derived text such as a seat's "Not fitted" is as much a claim as a number.
            live = readout.get("state") == "fresh"
            if live == readout.get("stale") or readout.get("state") not in READOUT_STATES:
                inconsistent.append((name, readout.get("state"), readout.get("stale")))
            if not path or path not in CATALOGUE.signals or not live:
                continue
            spec = CATALOGUE.signals[path]
            published = witness.last_publish_before(spec.frame, report_s)
            checked += 1
            if published is None or report_s - published > spec.stale_after_s + SLACK_S:
                violations += 1
    figure(f"display truth: {len(witness.reports)} reports, {checked} live readouts checked "
           f"against the simulator's frames, {violations} older than their stale timeout")
    assert len(witness.reports) >= 30
    assert checked > 1000
    assert violations == 0
    assert inconsistent == []
