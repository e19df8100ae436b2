"""One simulated vehicle on the bus: publishes its frames at their rates and answers commands.

The node is transport-agnostic (MQTT or in-process). Messages arrive on the transport's thread
and are only queued there; the simulation thread decodes and applies them, so the model is
never touched by two threads.
"""

from __future__ import annotations

import logging
import queue
import time
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Protocol

from protocols import (Codec, now_us, Command, CommandResult, DecodeError, EncodeError, Message,
                       ResultStatus, TopicKind, Transport, Value, VehicleTopics, parse_topic)

LOG = logging.getLogger(__name__)
REMEMBERED_REQUESTS = 4096


@dataclass(frozen=True, slots=True)
class CommandDecision:
    """What the vehicle says to a command at once."""

    accepted: bool
    reason: str | None = None
    text: str = ""


class SimulatedVehicle(Protocol):
    """What the bus needs of a vehicle model."""

    def advance(self, dt_s: float) -> None: ...

    def signal_values(self) -> dict[str, Value | None]: ...

    def execute(self, command: Command) -> CommandDecision: ...

    def is_complete(self, command: Command) -> bool: ...


@dataclass
class NodeCounters:
    published: int = 0
    commands: int = 0
    rejected: int = 0
    malformed: int = 0
    duplicates: int = 0


@dataclass
class _Pending:
    command: Command
    deadline_s: float


@dataclass
class VehicleNode:
    """Bridges a SimulatedVehicle and a Transport."""

    vehicle: SimulatedVehicle
    transport: Transport
    topics: VehicleTopics
    codec: Codec = field(default_factory=Codec)
    completion_timeout_s: float = 30.0

    def __post_init__(self) -> None:
        self.counters = NodeCounters()
        # Counting from the clock keeps seq rising across restarts of the simulator.
        self._seq = now_us()
        self._inbox: queue.SimpleQueue[Message] = queue.SimpleQueue()
        self._answers: OrderedDict[str, list[bytes]] = OrderedDict()
        self._pending: list[_Pending] = []
        self._next_due: dict[str, float] = {}
        self._republish = True
        self.transport.on_message = self._inbox.put
        self.transport.on_connection = self._on_connection
        self.transport.subscribe(self.topics.command_filter, qos=1)

    # --- called on the transport's thread -----------------------------------------------------
    def _on_connection(self, connected: bool) -> None:
        if connected:
            self._republish = True

    # --- called on the simulation thread ------------------------------------------------------
    def service(self, now_s: float) -> None:
        """Answer queued commands, finish pending ones, and publish frames that are due."""
        if self._republish and self.transport.connected:
            self._republish = False
            self._publish_status(True)
            self._next_due.clear()
        while True:
            try:
                self._handle(self._inbox.get_nowait(), now_s)
            except queue.Empty:
                break
        self._finish_pending(now_s)
        self._publish_due(now_s)

    def announce_offline(self) -> None:
        """A clean goodbye: the same retained status the will would leave."""
        self._publish_status(False)

    def _publish_due(self, now_s: float) -> None:
        due = [name for name, frame in self.codec.catalogue.frames.items()
               if now_s >= self._next_due.get(name, 0.0)]
        if not due:
            return
        values = self.vehicle.signal_values()
        for name in due:
            frame = self.codec.catalogue.frames[name]
            self._next_due[name] = max(self._next_due.get(name, now_s) + frame.period_s,
                                       now_s + frame.period_s * 0.5)
            frame_values = {s.path: values[s.path] for s in frame.signals if s.path in values}
            try:
                payload = self.codec.encode_state(name, frame_values, self._next_seq())
            except EncodeError as error:
                LOG.error("model produced an invalid %s frame: %s", name, error)
                continue
            self.transport.publish(self.topics.state(name), payload, qos=0, retain=True)
            self.counters.published += 1

    def _handle(self, message: Message, now_s: float) -> None:
        try:
            topic = parse_topic(message.topic)
        except DecodeError as error:
            self.counters.malformed += 1
            LOG.warning("ignored message on %s: %s", message.topic, error.reason)
            return
        if topic.kind is not TopicKind.COMMAND or topic.vehicle != self.topics.vehicle:
            return
        name = topic.name or ""
        try:
            command = self.codec.decode_command(name, message.payload)
        except DecodeError as error:
            self._refuse_malformed(name, message.payload, error)
            return
        self.counters.commands += 1
        if command.rid in self._answers:
            self.counters.duplicates += 1
            for payload in self._answers[command.rid]:
                self.transport.publish(self.topics.result, payload, qos=1)
            return
        decision = self.vehicle.execute(command)
        if decision.accepted:
            self._answer(command, ResultStatus.ACCEPTED, None, decision.text)
            self._pending.append(_Pending(command, now_s + self.completion_timeout_s))
        else:
            self.counters.rejected += 1
            self._answer(command, ResultStatus.REJECTED, decision.reason or "internal_error",
                         decision.text)

    def _refuse_malformed(self, name: str, payload: bytes, error: DecodeError) -> None:
        self.counters.malformed += 1
        rid = self.codec.command_rid(payload)
        LOG.warning("refused command %s (rid %s): %s", name, rid, error.reason)
        if rid is None or rid in self._answers:
            return
        reason = "unknown_command" if name not in self.codec.catalogue.commands else "invalid_argument"
        self._answer(Command(name[:64] or "?", rid), ResultStatus.REJECTED, reason,
                     error.reason[:200])

    def _finish_pending(self, now_s: float) -> None:
        still: list[_Pending] = []
        for pending in self._pending:
            if self.vehicle.is_complete(pending.command):
                self._answer(pending.command, ResultStatus.COMPLETED, None, "Done.")
            elif now_s > pending.deadline_s:
                self._answer(pending.command, ResultStatus.REJECTED, "internal_error",
                             "The vehicle did not complete the request in time.")
            else:
                still.append(pending)
        self._pending = still

    def _answer(self, command: Command, status: ResultStatus, reason: str | None, text: str) -> None:
        result = CommandResult(command.rid, command.name, status, reason, text, self._next_seq())
        payload = self.codec.encode_result(result)
        self._answers.setdefault(command.rid, []).append(payload)
        self._answers.move_to_end(command.rid)
        while len(self._answers) > REMEMBERED_REQUESTS:
            self._answers.popitem(last=False)
        self.transport.publish(self.topics.result, payload, qos=1)

    def _publish_status(self, online: bool) -> None:
        self.transport.publish(self.topics.status, self.codec.encode_status(online, self._next_seq()),
                               qos=1, retain=True)

    def _next_seq(self) -> int:
        self._seq += 1
        return self._seq


def monotonic_s() -> float:
    return time.monotonic()
