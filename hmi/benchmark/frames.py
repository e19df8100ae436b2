"""Real simulator frames: record them off the bus, save/load them, and their JSON twins.

The benchmark is a declared exception to the import rule: it launches `vehicle_sim` by module
name (a process, never an import), to measure the simulator and to record real frames.
"""

from __future__ import annotations

import base64
import dataclasses
import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Any

import msgpack

from protocols import DataType, load_catalogue
from protocols.bus import Message, parse_broker_url
from protocols.bus.mqtt import MqttTransport

from .pace import Pace, WaitTimeout, pythonpath, stop_process, wait_until
from .procstat import CpuWindow

# frame name -> list of payloads, in arrival order
FrameSet = dict[str, list[bytes]]

# Nominal bounds on the reference machine (scaled by Pace): connecting to the local broker, the
# simulator's first frame from one vehicle, the extra start-up per fleet vehicle, and its stop.
CONNECT_S = 5.0
FIRST_FRAMES_S = 10.0
PER_VEHICLE_S = 0.05
STOP_S = 10.0


def client(url: str, client_id: str = "", pace: Pace | None = None) -> MqttTransport:
    """The project's MQTT transport, connected (a bounded wait), with a 30 s keepalive: a
    measured process that holds its main thread (a cold Kivy start on a slow board) must not
    be dropped by the broker meanwhile."""
    settings = dataclasses.replace(parse_broker_url(url), keepalive_s=30)
    transport = MqttTransport(settings, client_id=client_id)
    transport.start()
    bound = (pace or Pace()).bound(CONNECT_S)
    if not transport.wait_connected(bound):
        transport.close()
        raise WaitTimeout(f"no connection to {url} within {bound:.1f} s")
    return transport


def close(transport: MqttTransport) -> None:
    transport.close()


def flush(transport: MqttTransport, timeout_s: float) -> None:
    """Wait until the broker has handled everything published on `transport` so far: publish
    a marker to a topic of its own and wait for it to come back. A broker handles a
    connection's packets in order, so by then every earlier publish is routed and retained.
    Listens on the marker's topic only."""
    topic = f"ema-bench/flush/{time.monotonic_ns()}"
    cond = threading.Condition()
    back: list[bool] = []

    def on_message(msg: Message) -> None:
        if msg.topic == topic:
            with cond:
                back.append(True)
                cond.notify_all()

    transport.add_listener(on_message, topic)
    transport.subscribe(topic, qos=1)
    transport.publish(topic, b"1", qos=1)
    wait_until(cond, lambda: bool(back), timeout_s, "the broker's echo of the feed's marker")


def sim_command(url: str, vehicle: str, duration_s: float, vehicles: int = 1) -> list[str]:
    return [sys.executable, "-m", "vehicle_sim.cli", "--broker", url, "--vehicle", vehicle,
            "--scenario", "showcase", "--loop", "--duration", f"{duration_s:g}",
            "--vehicles", str(vehicles), "--log-level", "WARNING"]


class Recorder:
    """Counts every live state message, keeps the first vehicle's payloads while recording,
    and notes which vehicles publish steadily (the readiness the warm-up waits for): a
    vehicle that has sent some frame a second time is past its start-up burst (every frame
    once, retained), which would otherwise inflate the rates measured."""

    def __init__(self, first_vehicle: str) -> None:
        self.frames: FrameSet = {}
        # The first vehicle's first live payload of each frame, recording or not: a frame
        # slower than the window (the configuration, every 5 s) may have none in it.
        self.first: dict[str, bytes] = {}
        self.counts = {"messages": 0, "payload": 0, "wire": 0}
        self.topics: set[str] = set()
        self.steady: set[str] = set()
        self.cond = threading.Condition()
        self.recording = False
        self._first = f"ema/v1/{first_vehicle}/state/"

    def on_message(self, msg: Message) -> None:
        if msg.retain:
            return
        with self.cond:
            if msg.topic not in self.topics:
                self.topics.add(msg.topic)
            else:
                vehicle = msg.topic.split("/", 3)[2]
                if vehicle not in self.steady:
                    self.steady.add(vehicle)
                    self.cond.notify_all()
            if msg.topic.startswith(self._first):
                self.first.setdefault(msg.topic.rsplit("/", 1)[1], bytes(msg.payload))
            if not self.recording:
                return
            size = len(msg.payload)
            self.counts["messages"] += 1
            self.counts["payload"] += size
            remaining = 2 + len(msg.topic) + size  # topic length + topic + payload (QoS 0)
            self.counts["wire"] += 1 + (1 if remaining < 128 else 2) + remaining
            if msg.topic.startswith(self._first):
                self.frames.setdefault(msg.topic.rsplit("/", 1)[1], []).append(bytes(msg.payload))

    def set_recording(self, on: bool) -> None:
        with self.cond:
            self.recording = on

    def replay(self) -> FrameSet:
        """What the feed replays: the window's payloads, and the first payload of every frame
        that has none in the window, so that each frame's retained copy becomes the feed's."""
        with self.cond:
            return {**{name: [payload] for name, payload in self.first.items()}, **self.frames}


def run_simulator(url: str, vehicle: str, duration_s: float, vehicles: int = 1,
                  pin_core: int | None = None, pace: Pace | None = None,
                  settle_s: float = 1.0) -> dict[str, Any]:
    """Run the real simulator, wait until every vehicle publishes steadily, then record its
    frames and measure bus and CPU for `duration_s`. The window opens no earlier than
    `settle_s` after the launch (the tail of start-up: imports, connecting), as before
    readiness was waited for, so the figures compare with earlier runs.

    Returns {"frames": FrameSet (first vehicle only, in the window), "replay": the same with
    the first payload of every frame that has none in the window, "messages", "payload_bytes",
    "wire_bytes" (payload + MQTT PUBLISH header + topic), "window_s", "cpu_pct", "vehicles",
    "ready_s" (launch to every vehicle publishing steadily), "stopped_cleanly"}.
    """
    pace = pace or Pace()
    first = vehicle if vehicles == 1 else f"{vehicle[:27]}-001"
    recorder = Recorder(first)
    sub = client(url, f"bench-recorder-{time.monotonic_ns()}", pace)
    sub.add_listener(recorder)
    sub.subscribe("ema/v1/+/state/+", qos=0)
    ready_bound = pace.bound(FIRST_FRAMES_S + PER_VEHICLE_S * vehicles)
    command = sim_command(url, vehicle, ready_bound + duration_s + 2.0, vehicles)
    if pin_core is not None:
        command = ["taskset", "-c", str(pin_core), *command]
    env = dict(os.environ, PYTHONPATH=pythonpath())
    with tempfile.TemporaryFile() as err:
        launched = time.monotonic()
        proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=err)
        try:
            _wait_ready(recorder, vehicles, ready_bound, proc)
            ready_s = time.monotonic() - launched
            time.sleep(max(0.0, settle_s - ready_s))  # a minimum warm-up, not a readiness wait
            cpu = CpuWindow(proc.pid).start()
            recorder.set_recording(True)
            t0 = time.monotonic()
            time.sleep(duration_s)  # the measurement window itself, not a wait for anything
            recorder.set_recording(False)
            window = time.monotonic() - t0
            cpu_pct = cpu.stop()
        except WaitTimeout as timeout:
            err.seek(0)
            raise WaitTimeout(f"{timeout}: {err.read().decode(errors='replace')[-500:]}") from None
        finally:
            clean = stop_process(proc, pace.bound(STOP_S))
            close(sub)
    counts = recorder.counts
    return {"frames": recorder.frames, "replay": recorder.replay(), "messages": counts["messages"],
            "payload_bytes": counts["payload"], "wire_bytes": counts["wire"],
            "window_s": window, "cpu_pct": cpu_pct, "vehicles": vehicles, "ready_s": ready_s,
            "stopped_cleanly": clean}


def _wait_ready(recorder: Recorder, vehicles: int, bound: float,
                proc: subprocess.Popen[bytes]) -> None:
    wait_until(recorder.cond, lambda: len(recorder.steady) >= vehicles, bound,
               f"steady frames from {vehicles} simulated vehicle(s)",
               alive=lambda: proc.poll() is None)


def save(frames: FrameSet, path: Path) -> None:
    path.write_bytes(msgpack.packb(frames))


def load(path: Path | str) -> FrameSet:
    frames: FrameSet = msgpack.unpackb(Path(path).read_bytes(), strict_map_key=False)
    return frames


def json_twin(frame: str, payload: bytes) -> bytes:
    """The same message as compact JSON keyed by full path, enums as names (PROTOCOL.md §8),
    with its epoch and its MAC (unpadded base64url: JSON has no bytes), so both carry the same."""
    catalogue = load_catalogue()
    data = msgpack.unpackb(payload, strict_map_key=False)
    by_id = {spec.id: spec for spec in catalogue.frames[frame].signals}
    sig = {}
    for key, value in data["sig"].items():
        spec = by_id[key]
        if spec.type is DataType.ENUM and value is not None:
            value = spec.value.choices[value]
        sig[spec.path] = value
    twin = {"v": data["v"], "ep": data["ep"], "seq": data["seq"], "ts": data["ts"], "sig": sig,
            "mac": base64.urlsafe_b64encode(data["mac"]).rstrip(b"=").decode()}
    return json.dumps(twin, separators=(",", ":")).encode()
