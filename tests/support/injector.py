"""Play the vehicle's side of the bus in tests: publish state, status and results; see commands.

Built on the real protocol pieces (Codec, VehicleTopics, MqttTransport), so what it sends is
exactly what a vehicle would send, and it can also send what a broken one would. It holds the
vehicle's key (the development key unless given one), so it speaks as a vehicle session of its
own: one epoch (`epoch`, from the clock at creation) and a seq per topic.
"""

from __future__ import annotations

import itertools
import queue
import threading
import time
from collections.abc import Mapping
from typing import Any

import msgpack

from protocols import (
    Codec,
    Command,
    CommandResult,
    ResultStatus,
    VehicleTopics,
    now_us,
    parse_topic,
)
from protocols.auth import CommandKey, load_command_key
from protocols.bus import Message, parse_broker_url
from protocols.bus.mqtt import MqttTransport
from protocols.freshness import session_epoch
from protocols.seal import frame_body


class VehicleInjector:
    """A fake vehicle on a real broker."""

    def __init__(self, broker_url: str, vehicle: str, codec: Codec | None = None,
                 key: CommandKey | None = None, epoch: int | None = None,
                 client_id: str | None = None) -> None:
        self.codec = codec or Codec()
        self.topics = VehicleTopics(vehicle)
        self.key = key or load_command_key()
        self.sealer = self.key.sealer(vehicle)
        self.epoch = epoch or session_epoch()
        self.transport = MqttTransport(parse_broker_url(broker_url),
                                       client_id=client_id or f"inj-{vehicle}")
        self.commands: queue.Queue[Command] = queue.Queue()
        self._seq: dict[str, itertools.count] = {}
        self._lock = threading.Lock()
        self.current: dict[str, dict[str, Any]] = {}   # what the cycle keeps publishing
        self._cycle: threading.Thread | None = None
        self._stop = threading.Event()
        self.transport.add_listener(self._on_message)
        self.transport.subscribe(self.topics.command_filter, qos=1)

    def start(self, timeout_s: float = 5.0) -> VehicleInjector:
        self.transport.start()
        if not self.transport.wait_connected(timeout_s):
            raise TimeoutError("injector could not reach the broker")
        return self

    def close(self) -> None:
        self.stop_cycle()
        self.transport.close()

    def next_seq(self, topic: str) -> int:
        with self._lock:
            return next(self._seq.setdefault(topic, itertools.count(1)))

    def state(self, frame: str, values: Mapping[str, Any], seq: int | None = None,
              retain: bool = True, ts_us: int | None = None, epoch: int | None = None) -> None:
        """Publish now; while cycling, the values also join what is republished."""
        with self._lock:
            if self._cycle is not None:
                self.current.setdefault(frame, {}).update(values)
        self._publish_state(frame, values, seq, retain, ts_us, epoch)

    def state_payload(self, frame: str, values: Mapping[str, Any], seq: int | None = None,
                      ts_us: int | None = None, epoch: int | None = None) -> bytes:
        """A signed frame of this injector's session (or of `epoch`), not published."""
        topic = self.topics.state(frame)
        return self.codec.encode_state(frame, values, self.next_seq(topic) if seq is None
                                       else seq, ts_us, epoch=epoch or self.epoch,
                                       sealer=self.sealer)

    def sealed_wire_state(self, frame: str, sig: Mapping[int, Any], seq: int | None = None,
                          ts_us: int | None = None) -> bytes:
        """A frame of wire values as given (out of range, wrong type), signed with our key: what
        a vehicle with a broken sensor sends. Refused for its values, not for its MAC."""
        seq = self.next_seq(self.topics.state(frame)) if seq is None else seq
        ts_us = now_us() if ts_us is None else ts_us
        mac = self.sealer.mac(f"state/{frame}", self.epoch, seq, ts_us, frame_body(sig))
        return msgpack.packb({"v": self.codec.schema_version, "ep": self.epoch, "seq": seq,
                              "ts": ts_us, "sig": dict(sig), "mac": mac})

    def _publish_state(self, frame: str, values: Mapping[str, Any], seq: int | None = None,
                       retain: bool = True, ts_us: int | None = None,
                       epoch: int | None = None) -> None:
        payload = self.state_payload(frame, values, seq, ts_us, epoch)
        self.transport.publish(self.topics.state(frame), payload, qos=0, retain=retain)

    def start_cycle(self, values: Mapping[str, Mapping[str, Any]]) -> None:
        """Publish `values` at each frame's catalogue rate from now on, like a live vehicle."""
        with self._lock:
            self.current = {frame: dict(v) for frame, v in values.items()}
        if self._cycle is None:
            self._stop.clear()
            self._cycle = threading.Thread(target=self._run_cycle, daemon=True)
            self._cycle.start()

    def stop_cycle(self) -> None:
        """Go quiet (values already published stay retained on the broker)."""
        if self._cycle is not None:
            self._stop.set()
            self._cycle.join(2.0)
            self._cycle = None

    def _run_cycle(self) -> None:
        frames = self.codec.catalogue.frames
        due = {name: 0.0 for name in frames}
        while not self._stop.is_set():
            now = time.monotonic()
            for name, spec in frames.items():
                if now >= due[name]:
                    due[name] = now + spec.period_s
                    with self._lock:
                        values = dict(self.current.get(name, {}))
                    if values:
                        self._publish_state(name, values)
            self._stop.wait(0.01)

    def status_payload(self, online: bool, seq: int | None = None,
                       epoch: int | None = None, will_seq: int = 0) -> bytes:
        return self.codec.encode_status(
            online, self.next_seq(self.topics.status) if seq is None else seq,
            epoch=epoch or self.epoch, sealer=self.sealer, will_seq=will_seq)

    def status(self, online: bool, seq: int | None = None, epoch: int | None = None,
               will_seq: int = 0) -> None:
        payload = self.status_payload(online, seq, epoch, will_seq)
        self.transport.publish(self.topics.status, payload, qos=1, retain=True)

    def result(self, command: Command, status: ResultStatus, reason: str | None = None,
               text: str = "") -> None:
        result = CommandResult(command.rid, command.name, status, reason, text,
                               self.next_seq(self.topics.result), epoch=self.epoch)
        payload = self.codec.encode_result(result, sealer=self.sealer)
        self.transport.publish(self.topics.result, payload, qos=1)

    def raw(self, topic: str, payload: bytes, retain: bool = False) -> None:
        self.transport.publish(topic, payload, qos=0, retain=retain)

    def clear_retained(self) -> None:
        """Remove every retained message this vehicle left on the broker."""
        for frame in self.codec.catalogue.frames:
            self.transport.publish(self.topics.state(frame), b"", qos=1, retain=True)
        self.transport.publish(self.topics.status, b"", qos=1, retain=True)

    def next_command(self, timeout_s: float = 5.0) -> Command:
        return self.commands.get(timeout=timeout_s)

    def _on_message(self, message: Message) -> None:
        parsed = parse_topic(message.topic)
        if parsed.name is not None:
            self.commands.put(self.codec.decode_command(parsed.name, message.payload))
