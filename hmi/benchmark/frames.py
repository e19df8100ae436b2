"""Real simulator frames: record them off the bus, save/load them, and their JSON twins."""

from __future__ import annotations

import base64
import json
import os
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlparse

import msgpack
import paho.mqtt.client as mqtt

from protocols import DataType, load_catalogue

from .procstat import CpuWindow

# frame name -> list of payloads, in arrival order
FrameSet = dict[str, list[bytes]]


def client(url: str, client_id: str = "") -> mqtt.Client:
    """A paho 2.x client with TCP_NODELAY, connected and looping on its own thread."""
    parts = urlparse(url)
    c = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, client_id=client_id)
    c.on_socket_open = lambda _c, _u, sock: sock.setsockopt(socket.IPPROTO_TCP,
                                                            socket.TCP_NODELAY, 1)
    c.max_queued_messages_set(0)
    c.max_inflight_messages_set(0)
    c.connect(parts.hostname or "127.0.0.1", parts.port or 1883, keepalive=30)
    c.loop_start()
    return c


def close(c: mqtt.Client) -> None:
    c.disconnect()  # before loop_stop: the other order takes ~0.7 s
    c.loop_stop()


def sim_command(url: str, vehicle: str, duration_s: float, vehicles: int = 1) -> list[str]:
    return [sys.executable, "-m", "vehicle_sim.cli", "--broker", url, "--vehicle", vehicle,
            "--scenario", "showcase", "--loop", "--duration", f"{duration_s:g}",
            "--vehicles", str(vehicles), "--log-level", "WARNING"]


def run_simulator(url: str, vehicle: str, duration_s: float, vehicles: int = 1,
                  pin_core: int | None = None, warmup_s: float = 1.5) -> dict[str, Any]:
    """Run the real simulator for `duration_s`, record its frames and measure bus and CPU.

    Returns {"frames": FrameSet (first vehicle only), "messages", "payload_bytes",
    "wire_bytes" (payload + MQTT PUBLISH header + topic), "window_s", "cpu_pct", "vehicles"}.
    The window skips the first second (imports, connecting).
    """
    frames: FrameSet = {}
    counts = {"messages": 0, "payload": 0, "wire": 0}
    lock = threading.Lock()
    recording = threading.Event()
    first = f"ema/v1/{vehicle}/state/" if vehicles == 1 else f"ema/v1/{vehicle[:27]}-001/state/"

    def on_message(_c: Any, _u: Any, msg: mqtt.MQTTMessage) -> None:
        if msg.retain or not recording.is_set():
            return
        size = len(msg.payload)
        with lock:
            counts["messages"] += 1
            counts["payload"] += size
            remaining = 2 + len(msg.topic) + size  # topic length + topic + payload (QoS 0)
            counts["wire"] += 1 + (1 if remaining < 128 else 2) + remaining
            if msg.topic.startswith(first):
                frames.setdefault(msg.topic.rsplit("/", 1)[1], []).append(bytes(msg.payload))

    sub = client(url, "bench-recorder")
    sub.on_message = on_message
    sub.subscribe("ema/v1/+/state/+", qos=0)
    command = sim_command(url, vehicle, duration_s + 2.0, vehicles)
    if pin_core is not None:
        command = ["taskset", "-c", str(pin_core)] + command
    env = dict(os.environ, PYTHONPATH=_pythonpath())
    proc = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        time.sleep(warmup_s)
        cpu = CpuWindow(proc.pid).start()
        recording.set()
        t0 = time.monotonic()
        time.sleep(duration_s)
        recording.clear()
        window = time.monotonic() - t0
        cpu_pct = cpu.stop()
    finally:
        proc.terminate()
        _, err = proc.communicate(timeout=10)
        close(sub)
    if not counts["messages"]:
        raise RuntimeError(f"simulator published nothing: {err.decode(errors='replace')[-500:]}")
    return {"frames": frames, "messages": counts["messages"], "payload_bytes": counts["payload"],
            "wire_bytes": counts["wire"], "window_s": window, "cpu_pct": cpu_pct,
            "vehicles": vehicles}


def _pythonpath() -> str:
    root = str(Path(__file__).resolve().parents[2])
    existing = os.environ.get("PYTHONPATH")
    return root + (os.pathsep + existing if existing else "")


def save(frames: FrameSet, path: Path) -> None:
    path.write_bytes(msgpack.packb(frames))


def load(path: Path) -> FrameSet:
    return msgpack.unpackb(Path(path).read_bytes(), strict_map_key=False)


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


def json_bytes_ratio(frames: FrameSet) -> tuple[int, int]:
    """Total msgpack and JSON bytes over every recorded frame."""
    packed = sum(len(p) for payloads in frames.values() for p in payloads)
    twin = sum(len(json_twin(name, p)) for name, payloads in frames.items() for p in payloads)
    return packed, twin
