"""A simulated vehicle serving a real Mosquitto, and a cockpit probe watching it."""

from __future__ import annotations

import threading
from pathlib import Path

import pytest

from protocols import Codec, VehicleTopics
from protocols.bus import parse_broker_url
from protocols.bus.mqtt import MqttTransport
from tests.support.cockpit import CockpitProbe
from vehicle_sim.node import VehicleNode
from vehicle_sim.runner import SimulationLoop
from vehicle_sim.simulated import ScenarioVehicle

PARKED = """
name = "parked"
[initial]
soc_pct = 60
program = "COMFORT"
gear = "D"
ready = true
[[segments]]
name = "Standstill"
speed_kmh = 0
duration_s = 3600
surface = "GRAVEL"
"""

CRUISING = PARKED.replace('speed_kmh = 0', 'speed_kmh = 90\naccel_mps2 = 50').replace(
    'surface = "GRAVEL"', 'surface = "TARMAC"')


class RunningSim:
    """A VehicleNode on a real broker, its loop on a thread of its own."""

    def __init__(self, broker_url: str, vehicle_id: str, scenario: Path, speed: float = 1.0) -> None:
        codec = Codec()
        topics = VehicleTopics(vehicle_id)
        self.transport = MqttTransport(parse_broker_url(broker_url), min_backoff_s=0.1,
                                       max_backoff_s=0.5)
        self.node = VehicleNode(ScenarioVehicle(scenario, seed=3), self.transport, topics, codec)
        self.loop = SimulationLoop([self.node], speed=speed)
        self.thread = threading.Thread(target=self.loop.run, daemon=True)

    def start(self) -> "RunningSim":
        self.transport.start()
        assert self.transport.wait_connected(5)
        self.thread.start()
        return self

    def stop(self) -> None:
        self.loop.stop()
        self.thread.join(5)
        self.transport.close()


def _scenario(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "scenario.toml"
    path.write_text(text)
    return path


@pytest.fixture
def parked_sim(mosquitto, vehicle_id, tmp_path):
    sim = RunningSim(mosquitto.url, vehicle_id, _scenario(tmp_path, PARKED)).start()
    yield sim
    sim.stop()


@pytest.fixture
def cruising_sim(mosquitto, vehicle_id, tmp_path):
    sim = RunningSim(mosquitto.url, vehicle_id, _scenario(tmp_path, CRUISING), speed=5.0).start()
    yield sim
    sim.stop()


@pytest.fixture
def cockpit(mosquitto, vehicle_id):
    probe = CockpitProbe(mosquitto.url, vehicle_id).start()
    yield probe
    probe.close()
