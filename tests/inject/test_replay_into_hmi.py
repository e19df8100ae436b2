"""Record a real simulator session, replay it into a fresh HMI, and check what the HMI shows
matches what the recorded frames imply. The replay re-seals the recorded frames as a new
vehicle session (hmi.testbench.restamp); the recorded bytes themselves are refused."""

from __future__ import annotations

import os
import subprocess
import sys
import threading
from pathlib import Path

import msgpack
import pytest

from hmi import formatting as fmt
from hmi.i18n.languages import BY_TAG
from hmi.testbench import Player, Record, RecordWriter, Restamper, read_records
from hmi.testbench.pytest_plugin import Injector
from protocols import Codec, TopicKind, parse_topic
from protocols.auth import load_command_key
from protocols.bus import Message, parse_broker_url
from protocols.bus.mqtt import MqttTransport
from tests.support.wait import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.gui]

REPO = Path(__file__).resolve().parents[2]
SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"
ODOMETER = "Vehicle.TraveledDistance"


def record_simulator(broker_url: str, vehicle: str, path: Path, seconds: float) -> None:
    transport = MqttTransport(parse_broker_url(broker_url), client_id=f"rec-{vehicle}")
    gone = threading.Event()  # the simulator's goodbye, the last thing it sends, is recorded
    with RecordWriter(path, vehicle=vehicle, filters=(f"ema/v1/{vehicle}/#",)) as writer:
        def record(message: Message) -> None:
            writer.on_message(message)
            if (parse_topic(message.topic).kind is TopicKind.STATUS and message.payload
                    and msgpack.unpackb(message.payload, strict_map_key=False)["online"] is False):
                gone.set()

        transport.add_listener(record)
        transport.subscribe(f"ema/v1/{vehicle}/#", qos=1)
        transport.start()
        assert transport.wait_connected(5)
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        subprocess.run([sys.executable, "-m", "vehicle_sim.cli", "--broker", broker_url,
                        "--vehicle", vehicle, "--speed", "5", "--duration", str(seconds),
                        "--log-level", "WARNING"], env=env, cwd=REPO, check=True, timeout=30)
        assert gone.wait(5), "the simulator's offline status was not recorded"
        transport.close()


def last_recorded(path: Path) -> dict[str, object]:
    codec = Codec()
    values: dict[str, object] = {}
    for record in read_records(path):
        parsed = parse_topic(record.topic)
        if parsed.kind.value == "state" and record.payload:
            sealer = load_command_key().sealer(parsed.vehicle)  # the simulator's key
            values.update(codec.decode_state(parsed.name or "", record.payload, sealer).values)
    return values


def play(broker_url: str, records: list[Record], vehicle: str,
         restamper: Restamper | None) -> None:
    """Play and return once the broker has routed all of it: every message came back to the
    player's own subscription (so it is queued to the HMI ahead of anything sent later)."""
    transport = MqttTransport(parse_broker_url(broker_url), client_id=f"replayer-{vehicle}")
    echoed: list[str] = []
    transport.add_listener(lambda m: echoed.append(m.topic))
    transport.subscribe(f"ema/v1/{vehicle}/#", qos=1)
    transport.start()
    assert transport.wait_connected(5)
    try:
        summary = Player(transport, speed=2.0, vehicle_rename=vehicle,
                         restamp=restamper).play(records)
        wait_until(lambda: sum(parse_topic(t).kind is not TopicKind.HMI for t in echoed)
                   >= summary.messages, 10, "the played messages routed by the broker")
    finally:
        transport.close()
    assert summary.messages > 20


def test_replayed_session_shows_the_recorded_values(ema_broker, ema_hmi_factory,
                                                    tmp_path: Path) -> None:
    recording = tmp_path / "sim.emarec"
    record_simulator(ema_broker.url, "rec-sim", recording, 3.0)
    recorded = last_recorded(recording)
    assert isinstance(recorded.get(SOC), float), "the simulator published no SoC"

    hmi = ema_hmi_factory("replay-hmi")
    records = read_records(recording)
    restamper = Restamper(hmi.key)
    play(ema_broker.url, records, hmi.vehicle, restamper)
    assert restamper.restamped > 20 and restamper.as_recorded == {}, restamper.summary()

    shown = hmi.wait_display(lambda d: d["readouts"]["energy.soc"]["value"] == recorded[SOC],
                             what=f"SoC {recorded[SOC]}")
    soc = shown["readouts"]["energy.soc"]
    assert (soc["text"], soc["unit"]) == (fmt.percent(recorded[SOC]).text, "%")
    if isinstance(recorded.get(ODOMETER), float):
        # the value as recorded; the text in the HMI's units (en-GB: miles)
        odometer = fmt.odometer(recorded[ODOMETER], BY_TAG[hmi.language].units)
        assert (shown["readouts"]["body.odometer"]["value"],
                shown["readouts"]["body.odometer"]["text"],
                shown["readouts"]["body.odometer"]["unit"]) == (
            recorded[ODOMETER], odometer.text, odometer.unit)


def test_recorded_bytes_replayed_as_they_are_are_refused(ema_broker, ema_hmi_factory,
                                                        tmp_path: Path) -> None:
    """Verbatim (no restamp), renamed: the MAC names the recorded vehicle and the timestamps are
    old; the HMI shows nothing of it."""
    recording = tmp_path / "sim.emarec"
    record_simulator(ema_broker.url, "rec-sim-2", recording, 1.0)
    hmi = ema_hmi_factory("replay-hmi-2")
    play(ema_broker.url, read_records(recording), hmi.vehicle, None)
    # Barrier: a later frame, sealed with the HMI's key, shows; the replayed ones, queued to the
    # HMI ahead of it, have been taken (and refused) by then.
    injector = Injector(ema_broker.url, hmi.vehicle, key=hmi.key)
    try:
        injector.publish({"Vehicle.Speed": 12.0})
        hmi.wait_display(lambda d: d["readouts"]["drive.speed"]["state"] == "fresh")
    finally:
        injector.close()
    soc = hmi.display()["readouts"]["energy.soc"]
    assert (soc["text"], soc["state"]) == (fmt.NOT_AVAILABLE, "never"), soc
