"""Play the HMI's side of the bus in tests: watch decoded state, send commands, await results."""

from __future__ import annotations

import queue
import threading
import time
import uuid
from collections.abc import Callable
from typing import Any

import msgpack

from protocols import (
    Codec,
    Command,
    CommandResult,
    DecodeError,
    ResultStatus,
    TopicKind,
    Value,
    VehicleTopics,
    now_us,
    parse_topic,
)
from protocols.auth import CommandSigner, compute_mac, load_command_key
from protocols.bus import Message, parse_broker_url
from protocols.bus.mqtt import MqttTransport


class CockpitProbe:
    """Subscribes to one vehicle, keeps the latest value of every signal, collects results."""

    def __init__(self, broker_url: str, vehicle: str) -> None:
        self.codec = Codec()
        self.signer = CommandSigner(load_command_key(), vehicle)  # signs send() and control()
        self.sealer = self.signer.key.sealer(vehicle)  # verifies what the vehicle publishes
        self.topics = VehicleTopics(vehicle)
        self.transport = MqttTransport(parse_broker_url(broker_url))
        self.values: dict[str, Value | None] = {}
        self.frames_seen: dict[str, int] = {}
        self.online: bool | None = None
        self.results: queue.Queue[CommandResult] = queue.Queue()
        self.decode_errors: list[str] = []
        self._changed = threading.Condition()
        self.transport.add_listener(self._on_message)
        self.transport.subscribe(self.topics.everything, qos=1)

    def start(self, timeout_s: float = 5.0) -> CockpitProbe:
        self.transport.start()
        if not self.transport.wait_connected(timeout_s):
            raise TimeoutError("probe could not reach the broker")
        return self

    def close(self) -> None:
        self.transport.close()

    def send(self, name: str, rid: str | None = None, **args: Any) -> Command:
        command = self.signer.sign(Command(name, rid or uuid.uuid4().hex[:12], args))
        self.transport.publish(self.topics.command(name), self.codec.encode_command(command), qos=1)
        return command

    def control(self, name: str, rid: str | None = None, **args: Any) -> Command:
        """A simulator-control command (sim/ topic), as the designer's panel sends it."""
        command = self.signer.sign(Command(name, rid or uuid.uuid4().hex[:12], args))
        self.transport.publish(self.topics.sim(name), self.codec.encode_command(command), qos=1)
        return command

    def send_raw(self, name: str, payload: bytes) -> None:
        self.transport.publish(self.topics.command(name), payload, qos=1)

    def signed_payload(self, name: str, rid: str, args: dict[str, Any],
                       mac: bytes | None = None) -> bytes:
        """A command envelope signed with our key over `args` as they are, unchecked: what an
        authentic but careless sender (or, with `mac`, a forger) puts on the wire."""
        ctr = self.signer.next_counter()
        if mac is None:
            mac = compute_mac(self.signer.key.secret, self.topics.vehicle, name, rid, ctr, args)
        return msgpack.packb({"v": self.codec.schema_version, "seq": 1, "ts": now_us(),
                              "rid": rid, "args": args, "ctr": ctr, "mac": mac})

    def result_for(self, rid: str, status: ResultStatus | None = None,
                   timeout_s: float = 5.0) -> CommandResult:
        deadline = time.monotonic() + timeout_s
        while True:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no {status or 'result'} for {rid}")
            result = self.results.get(timeout=remaining)
            if result.rid == rid and (status is None or result.status is status):
                return result

    def wait_for(self, condition: Callable[[CockpitProbe], bool], timeout_s: float = 5.0) -> None:
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while not condition(self):
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise TimeoutError("condition not met in time")
                self._changed.wait(remaining)

    def _on_message(self, message: Message) -> None:
        try:
            topic = parse_topic(message.topic)
            if topic.kind is TopicKind.STATE and topic.name:
                frame = self.codec.decode_state(topic.name, message.payload, self.sealer)
                self.values.update(frame.values)
                self.frames_seen[topic.name] = self.frames_seen.get(topic.name, 0) + 1
            elif topic.kind is TopicKind.STATUS:
                self.online = self.codec.decode_status(message.payload, self.sealer).online
            elif topic.kind is TopicKind.RESULT:
                self.results.put(self.codec.decode_result(message.payload, self.sealer))
        except DecodeError as error:
            self.decode_errors.append(f"{message.topic}: {error.reason}")
        with self._changed:
            self._changed.notify_all()
