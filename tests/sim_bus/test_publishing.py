"""What the simulator puts on the bus: every frame, retained, at its rate; status and will."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from protocols import load_catalogue
from tests.support.cockpit import CockpitProbe

CATALOGUE = load_catalogue()


def test_every_frame_arrives_and_decodes(parked_sim, cockpit) -> None:
    cockpit.wait_for(lambda c: set(c.frames_seen) == set(CATALOGUE.frames), timeout_s=5)
    assert cockpit.decode_errors == []
    assert cockpit.online is True
    assert set(cockpit.values) == set(CATALOGUE.signals)


def test_drive_frame_rate_is_nominal(stepped_sim, cockpit) -> None:
    """Two seconds of the sim's clock, counted by the frames' own timestamps once a later
    message has arrived (so every frame of the window is in)."""
    cockpit.wait_for(lambda c: c.frames_seen.get("drive", 0) > 0)
    start_us = stepped_sim.clock.wall_us()
    stepped_sim.step(2.0)
    end_us = stepped_sim.clock.wall_us()
    stepped_sim.barrier(cockpit)
    drive = [ts for topic, ts in cockpit.stamps
             if topic.endswith("/state/drive") and start_us < ts <= end_us]
    rate = len(drive) / 2.0
    assert 8.0 <= rate <= 12.0


def test_late_joiner_gets_every_frame_at_once(stepped_sim, cockpit, mosquitto,
                                              vehicle_id) -> None:
    """The sim's clock stands still after its first tick, so the late joiner can only have
    the frames from the broker's retained copies."""
    cockpit.wait_for(lambda c: set(c.frames_seen) == set(CATALOGUE.frames) and c.online)
    late = CockpitProbe(mosquitto.url, vehicle_id).start()
    try:
        late.wait_for(lambda c: set(c.frames_seen) == set(CATALOGUE.frames) and c.online,
                      timeout_s=0.5)
    finally:
        late.close()


def sim_command(*args: str) -> list[str]:
    return [sys.executable, "-m", "vehicle_sim.cli", *args]


def test_killed_simulator_is_marked_offline_by_its_will(mosquitto, vehicle_id, cockpit) -> None:
    process = subprocess.Popen(sim_command("--broker", mosquitto.url, "--vehicle", vehicle_id,
                                           "--scenario", "motorway"))
    try:
        cockpit.wait_for(lambda c: c.online is True, timeout_s=10)
        process.send_signal(signal.SIGKILL)
        process.wait(5)
        # keepalive is 5 s; the broker sends the will within 1.5 x keepalive
        cockpit.wait_for(lambda c: c.online is False, timeout_s=9)
    finally:
        process.kill()


def test_clean_stop_says_offline(mosquitto, vehicle_id, cockpit) -> None:
    process = subprocess.Popen(sim_command("--broker", mosquitto.url, "--vehicle", vehicle_id))
    cockpit.wait_for(lambda c: c.online is True, timeout_s=10)
    process.send_signal(signal.SIGTERM)
    assert process.wait(10) == 0
    cockpit.wait_for(lambda c: c.online is False, timeout_s=2)


def test_reconnects_and_republishes_after_broker_restart(private_mosquitto, vehicle_id,
                                                         tmp_path) -> None:
    from tests.sim_bus.conftest import PARKED, RunningSim
    scenario = tmp_path / "parked.toml"
    scenario.write_text(PARKED)
    sim = RunningSim(private_mosquitto.url, vehicle_id, scenario).start()
    try:
        private_mosquitto.restart()  # no persistence: every retained message is gone
        started = time.monotonic()
        probe = CockpitProbe(private_mosquitto.url, vehicle_id).start()
        try:
            probe.wait_for(lambda c: c.online is True
                           and set(c.frames_seen) == set(CATALOGUE.frames), timeout_s=5)
            assert time.monotonic() - started < 5
        finally:
            probe.close()
    finally:
        sim.stop()


def test_fleet_mode_publishes_distinct_vehicles(mosquitto, vehicle_id) -> None:
    base = vehicle_id[:20]
    probes = [CockpitProbe(mosquitto.url, f"{base}-{i:03d}").start() for i in (1, 2, 3)]
    process = subprocess.Popen(sim_command("--broker", mosquitto.url, "--vehicle", base,
                                           "--vehicles", "3", "--duration", "8"))
    try:
        for probe in probes:
            probe.wait_for(lambda c: c.frames_seen.get("drive", 0) > 3, timeout_s=8)
    finally:
        process.terminate()
        process.wait(10)
        for probe in probes:
            probe.close()


def test_spec_json_reports_wltc_range() -> None:
    import json
    output = subprocess.run(sim_command("spec", "--json"), capture_output=True, text=True,
                            check=True, env={**os.environ}).stdout
    summary = json.loads(output)
    assert 300 <= summary["rated_range_miles"] <= 320
    assert 70 <= summary["usable_energy_kWh"] <= 90
