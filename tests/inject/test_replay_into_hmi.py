"""Record a real simulator session, replay it into a fresh HMI, and check what the HMI shows
matches what the recorded frames imply."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

import pytest

from hmi import formatting as fmt
from hmi.units import UnitPreferences
from protocols import Codec, MqttTransport, parse_broker_url, parse_topic
from protocols.tools import Player, RecordWriter, read_records

pytestmark = [pytest.mark.broker, pytest.mark.gui]

REPO = Path(__file__).resolve().parents[2]
SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"
ODOMETER = "Vehicle.TraveledDistance"


def record_simulator(broker_url: str, vehicle: str, path: Path, seconds: float) -> None:
    transport = MqttTransport(parse_broker_url(broker_url), client_id=f"rec-{vehicle}")
    with RecordWriter(path, vehicle=vehicle, filters=(f"ema/v1/{vehicle}/#",)) as writer:
        transport.on_message = writer.on_message
        transport.subscribe(f"ema/v1/{vehicle}/#", qos=1)
        transport.start()
        assert transport.wait_connected(5)
        env = {**os.environ, "PYTHONPATH": str(REPO)}
        subprocess.run([sys.executable, "-m", "vehicle_sim.cli", "--broker", broker_url,
                        "--vehicle", vehicle, "--speed", "5", "--duration", str(seconds),
                        "--log-level", "WARNING"], env=env, cwd=REPO, check=True, timeout=30)
        time.sleep(0.2)
        transport.close()


def last_recorded(path: Path) -> dict[str, object]:
    codec = Codec()
    values: dict[str, object] = {}
    for record in read_records(path):
        parsed = parse_topic(record.topic)
        if parsed.kind.value == "state" and record.payload:
            values.update(codec.decode_state(parsed.name or "", record.payload).values)
    return values


def test_replayed_session_shows_the_recorded_values(ema_broker, ema_hmi_factory,
                                                    tmp_path: Path) -> None:
    recording = tmp_path / "sim.emarec"
    record_simulator(ema_broker.url, "rec-sim", recording, 3.0)
    recorded = last_recorded(recording)
    assert isinstance(recorded.get(SOC), float), "the simulator published no SoC"

    hmi = ema_hmi_factory("replay-hmi")
    transport = MqttTransport(parse_broker_url(ema_broker.url), client_id="replayer")
    transport.start()
    assert transport.wait_connected(5)
    try:
        summary = Player(transport, speed=2.0, vehicle_rename=hmi.vehicle).play(
            read_records(recording))
    finally:
        time.sleep(0.2)
        transport.close()
    assert summary.messages > 20

    expected_soc = fmt.percent(recorded[SOC]).text
    shown = hmi.wait_display(lambda d: d["readouts"]["energy.soc"]["text"] == expected_soc,
                             what=f"SoC {expected_soc}")
    assert shown["readouts"]["energy.soc"]["unit"] == "%"
    if isinstance(recorded.get(ODOMETER), float):
        odometer = fmt.odometer(recorded[ODOMETER], UnitPreferences())
        assert (shown["readouts"]["body.odometer"]["text"],
                shown["readouts"]["body.odometer"]["unit"]) == (odometer.text, odometer.unit)
