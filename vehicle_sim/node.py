"""One simulated vehicle on the bus: publishes its frames at their rates and answers commands.

The node is transport-agnostic (MQTT or in-process). Messages arrive on the transport's thread
and are only queued there; the simulation thread decodes and applies them, so the model is
never touched by two threads. Everything it does by time comes from its clock
(`vehicle_sim.clock`): the refusal log's window and the wire timestamps.
"""

from __future__ import annotations

import itertools
import logging
import queue
from collections import OrderedDict
from dataclasses import dataclass, field
from typing import Protocol

from protocols import (
    INVALID,
    Codec,
    Command,
    CommandResult,
    DecodeError,
    EncodeError,
    FrameValue,
    ResultStatus,
    TopicKind,
    Value,
    VehicleTopics,
    parse_topic,
)
from protocols.auth import CommandVerifier, development_key
from protocols.bus import Message, Transport, Will
from protocols.catalogue import FrameSpec
from protocols.freshness import session_epoch

from .clock import Clock, SystemClock

LOG = logging.getLogger(__name__)
REFUSALS_LOGGED_PER_WINDOW = 10   # a fuzzer or an attacker must not flood the log
REFUSAL_LOG_WINDOW_S = 10.0
REMEMBERED_REQUESTS = 4096
SCOPES = {TopicKind.COMMAND: "vehicle", TopicKind.SIM: "sim"}
OFFLINE = "VEHICLE_OFFLINE"
DROPOUT = "SIGNAL_DROPOUT"
DROPOUT_FRAME = "battery"
# A pitch sensor reading far outside its range. The vehicle's gateway does what a real one does
# (KUKSA's INVALID_VALUE, a DBC signal's SNA): it sends the signal marked invalid, and the rest
# of the frame as measured, instead of a value no receiver may accept (which would cost the
# whole frame: the program, the ride height, a command's outcome).
OUT_OF_RANGE = "SENSOR_OUT_OF_RANGE"
OUT_OF_RANGE_FRAME = "terrain"
OUT_OF_RANGE_SIGNAL = "Vehicle.Ema.Chassis.Pitch"


@dataclass(frozen=True, slots=True)
class CommandDecision:
    """What the vehicle says to a command at once."""

    accepted: bool
    reason: str | None = None
    text: str = ""


class SimulatedVehicle(Protocol):
    """What the bus needs of a vehicle model.

    `execute` gets both the driver's commands and the simulator-control commands that act on
    the vehicle itself (scenario, driving by hand, low battery); the node keeps the rest.
    """

    def advance(self, dt_s: float) -> None: ...

    def signal_values(self) -> dict[str, Value | None]: ...

    def execute(self, command: Command) -> CommandDecision: ...

    def is_complete(self, command: Command) -> bool: ...

    # Optional: `change_generation: int`, rising whenever an on-change frame may have changed
    # other than by a command; read with getattr, so a vehicle without it is still one.


@dataclass
class NodeCounters:
    published: int = 0
    commands: int = 0
    rejected: int = 0
    malformed: int = 0
    duplicates: int = 0
    unauthorised: int = 0
    replayed: int = 0


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
    speed: float = 1.0
    paused: bool = False
    verifier: CommandVerifier | None = None
    epoch: int = 0  # this session's epoch; 0: the clock now (protocols.freshness)
    clock: Clock = field(default_factory=SystemClock)

    def __post_init__(self) -> None:
        if self.verifier is None:
            self.verifier = CommandVerifier(development_key(), self.topics.vehicle)
        key = self.verifier.key
        self.sealer = key.sealer(self.topics.vehicle)
        self.epoch = self.epoch or session_epoch(clock_us=self.clock.wall_us())
        self.counters = NodeCounters()
        # One counter for every message of the session; next() on it is atomic, and the will
        # takes its number on the transport's thread.
        self._seq = itertools.count(1)
        self._will_seq = 0
        self._inbox: queue.SimpleQueue[Message] = queue.SimpleQueue()
        self._answers: OrderedDict[str, list[bytes]] = OrderedDict()
        self._rid_counters: dict[str, int | None] = {}  # the counter each rid was signed with
        self._pending: list[_Pending] = []
        self._next_due: dict[str, float] = {}
        self._last_sent: dict[str, dict[str, FrameValue]] = {}  # on-change frames only
        self._republish = True
        self._seen_generation = getattr(self.vehicle, "change_generation", 0)
        self._debt_s = 0.0
        self.faults: set[str] = set()
        self._refusal_window = (0.0, 0, 0)  # window start, logged in it, suppressed in it
        self.transport.add_listener(self._inbox.put)
        self.transport.add_connection_listener(self._on_connection)
        self.transport.set_will(self.compose_will)
        self.transport.subscribe(self.topics.command_filter, qos=1)
        self.transport.subscribe(self.topics.sim_filter, qos=1)

    # --- called on the transport's thread -----------------------------------------------------
    def compose_will(self) -> Will:
        """The will of the connection about to be made: offline, numbered below everything the
        vehicle sends on that connection and above everything it sent before."""
        seq = self._next_seq()
        self._will_seq = seq  # named by every status sent on this connection
        payload = self.codec.encode_status(False, seq, self.clock.wall_us(), epoch=self.epoch,
                                           sealer=self.sealer, will_seq=seq)
        return Will(self.topics.status, payload, qos=1, retain=True)

    def _on_connection(self, connected: bool) -> None:
        if connected:
            self._republish = True

    # --- called on the simulation thread ------------------------------------------------------
    def advance_wall(self, wall_elapsed_s: float) -> None:
        """Advance the vehicle by the wall time elapsed times this node's speed."""
        if not self.paused:
            self.vehicle.advance(wall_elapsed_s * self.speed)

    def service(self, now_s: float) -> None:
        """Answer queued commands, finish pending ones, and publish frames that are due."""
        if self._republish and self.transport.connected and OFFLINE not in self.faults:
            self._republish = False
            self._publish_status(True)
            self._next_due.clear()
        handled = False
        while True:
            try:
                self._handle(self._inbox.get_nowait(), now_s)
            except queue.Empty:
                break
            handled = True
        generation = getattr(self.vehicle, "change_generation", 0)
        if handled or generation != self._seen_generation:
            self._seen_generation = generation
            self._bring_forward_changed()
        done = self._finish_pending(now_s)
        if any(self._scope(command) == "vehicle" for command in done):
            # The frames first, then "completed": a receiver that shows "done" must already
            # have (or get with it) the state the command produced, never the old value
            # beside it. Every periodic frame goes out now (driver commands are rare; which
            # frames a command touched is the vehicle model's business); an on-change frame
            # went out already if the command changed it (_bring_forward_changed).
            for name, frame in self.codec.catalogue.frames.items():
                if not frame.on_change:
                    self._next_due[name] = 0.0
        if OFFLINE not in self.faults:
            self._publish_due(now_s)
        for command in done:
            self._answer(command, ResultStatus.COMPLETED, None, "Done.")

    def announce_offline(self) -> None:
        """A clean goodbye: the same retained status the will would leave."""
        self._publish_status(False)

    def _bring_forward_changed(self) -> None:
        """An on-change frame whose values changed (the configuration) goes out now instead of
        at its next heartbeat. Only commands change such frames, or the vehicle itself when its
        optional `change_generation` counter rises (a refit finished, a rating drive done off
        the simulation thread), so this runs after those, not on every tick."""
        values = self.vehicle.signal_values()
        for name, frame in self.codec.catalogue.frames.items():
            last = self._last_sent.get(name)
            if frame.on_change and last is not None and last != _frame_values(frame, values):
                self._next_due[name] = 0.0

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
            if name == DROPOUT_FRAME and DROPOUT in self.faults:
                continue
            frame_values = _frame_values(frame, values)
            if name == OUT_OF_RANGE_FRAME and OUT_OF_RANGE in self.faults:
                frame_values[OUT_OF_RANGE_SIGNAL] = INVALID  # what a gateway makes of it
            if frame.on_change:
                self._last_sent[name] = frame_values
            try:
                payload = self.codec.encode_state(name, frame_values, self._next_seq(),
                                                  self.clock.wall_us(), epoch=self.epoch,
                                                  sealer=self.sealer)
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
            self._log_refusal("ignored message on %s: %s", message.topic, error.reason)
            return
        if topic.kind not in SCOPES or topic.vehicle != self.topics.vehicle:
            return
        name = topic.name or ""
        try:
            command = self.codec.decode_command_unchecked(name, message.payload)
        except DecodeError as error:
            self._refuse_unverifiable(name, message.payload, error)
            return
        spec = self.codec.catalogue.commands.get(name)
        if OFFLINE in self.faults and (spec is None or spec.scope == "vehicle"):
            return  # an offline vehicle hears nothing
        assert self.verifier is not None
        if not self.verifier.authentic(command):  # first: forged input learns nothing more
            self.counters.unauthorised += 1
            self._refuse_unremembered(command, "unauthorised", "The command is not authentic.")
            return
        if spec is None or spec.scope != SCOPES[topic.kind]:
            self._refuse_malformed(command, "unknown_command", f"unknown command {name!r}")
            return
        try:
            command = self.codec.check_command(command)
        except DecodeError as error:
            self._refuse_malformed(command, "invalid_argument", error.reason)
            return
        self.counters.commands += 1
        if command.rid in self._answers:
            if self._rid_counters.get(command.rid, command.ctr) != command.ctr:
                # The same request id on a different command: refused, and the original
                # request keeps its id and its answers.
                self.counters.duplicates += 1
                self._refuse_unremembered(command, "duplicate_request",
                                          "This request id was already used for another command.")
                return
            # A QoS 1 redelivery or a replay of the same bytes: answer again with what was
            # answered then; apply nothing.
            self.counters.duplicates += 1
            for payload in self._answers[command.rid]:
                self.transport.publish(self.topics.result, payload, qos=1)
            return
        if not self.verifier.fresh(command):
            self.counters.replayed += 1
            self._refuse_unremembered(command, "replayed", "The command is older than the replay "
                                      "window or was used before.")
            return
        self.verifier.commit(command)
        decision = self._execute_here(command) or self.vehicle.execute(command)
        if decision.accepted:
            self._answer(command, ResultStatus.ACCEPTED, None, decision.text)
            self._pending.append(_Pending(command, now_s + self.completion_timeout_s))
        else:
            self.counters.rejected += 1
            self._answer(command, ResultStatus.REJECTED, decision.reason or "internal_error",
                         decision.text)

    def _execute_here(self, command: Command) -> CommandDecision | None:
        """Simulator controls that belong to the node rather than the vehicle model."""
        args = command.args
        if command.name == "sim_set_speed":
            self.speed = float(args["factor"])  # type: ignore[arg-type]
            return CommandDecision(True, None, f"Time runs at {self.speed:g}x.")
        if command.name == "sim_pause":
            self.paused = bool(args["paused"])
            return CommandDecision(True, None, "Paused." if self.paused else "Running.")
        if command.name == "sim_fault" and args["fault"] != "LOW_BATTERY":
            return self._set_fault(str(args["fault"]), bool(args["active"]))
        return None

    def _set_fault(self, fault: str, active: bool) -> CommandDecision:
        if active:
            self.faults.add(fault)
        else:
            self.faults.discard(fault)
        if fault == OFFLINE:
            if active:
                self._publish_status(False)
            else:
                self._republish = True
        LOG.info("fault %s %s", fault, "on" if active else "off")
        return CommandDecision(True, None, f"{fault} {'on' if active else 'off'}.")

    def _refuse_unverifiable(self, name: str, payload: bytes, error: DecodeError) -> None:
        """A payload that is not a command envelope cannot be authenticated: whatever is wrong
        with it, the answer (where it has a request id to answer) is "unauthorised"."""
        self.counters.malformed += 1
        rid = self.codec.command_rid(payload)
        self._log_refusal("refused command %s (rid %s): %s", name, rid, error.reason)
        if rid is None or rid in self._answers:
            return
        self._refuse_unremembered(Command(name[:64] or "?", rid), "unauthorised",
                                  "The command is not authentic.")

    def _refuse_malformed(self, command: Command, reason: str, text: str) -> None:
        """An authentic command that names no command of this topic or has wrong arguments."""
        self.counters.malformed += 1
        self._log_refusal("refused command %s (rid %s): %s", command.name, command.rid, text)
        if command.rid in self._answers:
            return
        self._answer(command, ResultStatus.REJECTED, reason, text[:200])

    def _refuse_unremembered(self, command: Command, reason: str, text: str) -> None:
        """Refuse without remembering the rid: a forged or replayed command must not take a
        request id away from the genuine sender."""
        self.counters.rejected += 1
        self._log_refusal("refused command %s (rid %s): %s", command.name, command.rid, reason)
        result = CommandResult(command.rid, command.name, ResultStatus.REJECTED, reason, text,
                               self._next_seq(), self.clock.wall_us(), epoch=self.epoch)
        payload = self.codec.encode_result(result, sealer=self.sealer)
        self.transport.publish(self.topics.result, payload, qos=1)

    def _log_refusal(self, text: str, *args: object) -> None:
        """At most REFUSALS_LOGGED_PER_WINDOW warnings per window, then one line of how many
        were left out; the counters keep the full count."""
        now = self.clock.now()
        start, logged, suppressed = self._refusal_window
        if now - start > REFUSAL_LOG_WINDOW_S:
            if suppressed:
                LOG.warning("%d more refusals not logged in the last %.0f s", suppressed,
                            REFUSAL_LOG_WINDOW_S)
            start, logged, suppressed = now, 0, 0
        if logged < REFUSALS_LOGGED_PER_WINDOW:
            LOG.warning(text, *args)
            logged += 1
        else:
            suppressed += 1
        self._refusal_window = (start, logged, suppressed)

    def _scope(self, command: Command) -> str:
        spec = self.codec.catalogue.commands.get(command.name)
        return spec.scope if spec is not None else ""

    def _finish_pending(self, now_s: float) -> list[Command]:
        """The commands completed now (answered by the caller, after the frames); answers
        those that ran out of time."""
        still: list[_Pending] = []
        done: list[Command] = []
        for pending in self._pending:
            if self.vehicle.is_complete(pending.command):
                done.append(pending.command)
            elif now_s > pending.deadline_s:
                self._answer(pending.command, ResultStatus.REJECTED, "internal_error",
                             "The vehicle did not complete the request in time.")
            else:
                still.append(pending)
        self._pending = still
        return done

    def _answer(self, command: Command, status: ResultStatus, reason: str | None,
                text: str) -> None:
        result = CommandResult(command.rid, command.name, status, reason, text, self._next_seq(),
                               self.clock.wall_us(), epoch=self.epoch)
        payload = self.codec.encode_result(result, sealer=self.sealer)
        self._answers.setdefault(command.rid, []).append(payload)
        self._answers.move_to_end(command.rid)
        self._rid_counters.setdefault(command.rid, command.ctr)
        while len(self._answers) > REMEMBERED_REQUESTS:
            forgotten, _ = self._answers.popitem(last=False)
            self._rid_counters.pop(forgotten, None)
        self.transport.publish(self.topics.result, payload, qos=1)

    def _publish_status(self, online: bool) -> None:
        payload = self.codec.encode_status(online, self._next_seq(), self.clock.wall_us(),
                                           epoch=self.epoch, sealer=self.sealer,
                                           will_seq=self._will_seq)
        self.transport.publish(self.topics.status, payload, qos=1, retain=True)

    def _next_seq(self) -> int:
        return next(self._seq)


def _frame_values(frame: FrameSpec, values: dict[str, Value | None]) -> dict[str, FrameValue]:
    return {s.path: values[s.path] for s in frame.signals if s.path in values}
