"""The bus side of `ema-inject`: one MQTT client that plays the vehicle and watches the HMI.

It speaks as a vehicle session of its own (schema v2, PROTOCOL.md and protocols.seal): one epoch
for the whole session (`protocols.freshness.session_epoch()` when it is made, so above any
vehicle session that started before it), one seq rising over everything it publishes, a current
`ts`, and a MAC with the vehicle's key on every state frame, status and result. A running HMI
therefore takes its frames, and from then on refuses the older session's (that is the point: the
tool is the newer vehicle). It keeps the frames alive at their catalogue rates like a running
vehicle, and keeps what the HMI sends: its display reports, screenshots and commands (commands
only when their MAC verifies with the same key).
"""

from __future__ import annotations

import logging
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import msgpack

from protocols.auth import CommandKey, CommandSigner, CommandVerifier, load_command_key
from protocols.bus import Message, Transport
from protocols.codec import Codec, now_us
from protocols.diagnostics import (
    CHANNEL_DISPLAY,
    CHANNEL_REQUEST,
    CHANNEL_SCREENSHOT,
    DisplayReport,
    ScreenshotReply,
    decode_display,
    decode_screenshot,
    encode_request,
)
from protocols.errors import DecodeError
from protocols.freshness import session_epoch
from protocols.messages import Command, CommandResult, ResultStatus
from protocols.seal import Sealer, frame_body
from protocols.topics import ROOT, TopicKind, VehicleTopics, parse_topic

LOG = logging.getLogger(__name__)

MAX_LOG = 20_000


# --- the bus side -------------------------------------------------------------------------------
@dataclass
class Seen:
    at_s: float
    message: Message


class InjectSession:
    """One MQTT client on one vehicle's topics: plays the vehicle, watches the HMI.

    `key` is the vehicle's key (default: $EMA_COMMAND_KEY_FILE, else the development key): it
    seals what the session publishes as the vehicle, signs its sim/ commands and verifies the
    HMI's commands. `epoch` is the session's (default: a new one, from the clock).
    """

    def __init__(self, transport: Transport, vehicle: str, codec: Codec | None = None,
                 key: CommandKey | None = None, epoch: int | None = None) -> None:
        self.transport = transport
        self.codec = codec or Codec()
        self.topics = VehicleTopics(vehicle)
        self.key = key or load_command_key()
        self.sealer: Sealer = self.key.sealer(vehicle)
        self.signer = CommandSigner(self.key, vehicle)  # sim/ commands are signed
        self._verifier = CommandVerifier(self.key, vehicle)  # the HMI's commands, MAC only
        self.epoch = epoch or session_epoch()
        self._lock = threading.Condition()
        # Taking a seq and publishing happen under one lock, so the cycle and a script step never
        # put two frames on the wire in the other order than their seq (the HMI would refuse the
        # lower one as out of order).
        self._publishing = threading.Lock()
        self._last_seq = 0
        self.log: list[Seen] = []
        self.display: DisplayReport | None = None
        self.display_count = 0
        self.replies: dict[str, int] = {}          # request id -> display_count when answered
        self.screenshots: dict[str, ScreenshotReply] = {}
        self.commands: list[tuple[float, Command]] = []
        self.unauthentic: list[tuple[float, str]] = []  # commands refused: (when, why)
        self.consumed: set[int] = set()
        self.current: dict[str, dict[str, Any]] = {}  # what the cycle keeps publishing
        self.silenced: set[str] = set()
        self.offline = False
        self._cycle: threading.Thread | None = None
        self._stop = threading.Event()
        transport.add_listener(self._on_message)
        transport.subscribe(self.topics.everything, qos=1)

    # connection
    def start(self, timeout_s: float = 5.0) -> InjectSession:
        self.transport.start()
        if not self.transport.wait_connected(timeout_s):
            raise ConnectionError("could not reach the broker")
        return self

    def close(self) -> None:
        self.stop_cycle()
        self.transport.close()

    def next_seq(self) -> int:
        """The session's next seq: 1, 2, 3, ... over everything it sends (its epoch orders it
        above the vehicle sessions before it)."""
        with self._lock:
            self._last_seq += 1
            return self._last_seq

    # publishing as the vehicle
    def publish_signals(self, values: Mapping[str, Any]) -> None:
        by_frame: dict[str, dict[str, Any]] = {}
        for path, value in values.items():
            by_frame.setdefault(self.codec.catalogue.signals[path].frame, {})[path] = value
        with self._lock:
            for frame, frame_values in by_frame.items():
                self.current.setdefault(frame, {}).update(frame_values)
                self.silenced.discard(frame)
        for frame, frame_values in by_frame.items():
            self._publish_frame(frame, frame_values)

    def _publish_frame(self, frame: str, values: Mapping[str, Any]) -> None:
        with self._publishing:
            payload = self.codec.encode_state(frame, values, self.next_seq(), epoch=self.epoch,
                                              sealer=self.sealer)
            self.transport.publish(self.topics.state(frame), payload, qos=0, retain=True)

    def status(self, online: bool) -> None:
        self.offline = not online
        with self._publishing:
            payload = self.codec.encode_status(online, self.next_seq(), epoch=self.epoch,
                                               sealer=self.sealer)
            self.transport.publish(self.topics.status, payload, qos=1, retain=True)

    def invalid(self, kind: str, frame: str) -> None:
        """One payload of `kind` (INVALID_KINDS) on `state/{frame}` that the HMI must refuse,
        for that reason: sealed by this session like its good frames (see `invalid_payload`)."""
        with self._publishing:
            payload = invalid_payload(kind, frame, self.codec, self.next_seq(),
                                      epoch=self.epoch, sealer=self.sealer)
            self.transport.publish(self.topics.state(frame), payload, qos=0, retain=False)

    def raw(self, topic: str, payload: bytes, retain: bool = False) -> None:
        self.transport.publish(self.full_topic(topic), payload, qos=0, retain=retain)

    def full_topic(self, topic: str) -> str:
        return topic if topic.startswith((f"{ROOT}/", "$")) else f"{self.topics.base}/{topic}"

    def sim(self, command: str, args: Mapping[str, Any]) -> str:
        rid = f"inj-{uuid.uuid4().hex[:12]}"
        signed = self.signer.sign(Command(command, rid, dict(args), self.next_seq()))
        self.transport.publish(self.topics.sim(command), self.codec.encode_command(signed), qos=1)
        return rid

    def reply(self, command: Command, status: str, reason: str | None, text: str) -> None:
        with self._publishing:
            result = CommandResult(command.rid, command.name, ResultStatus(status), reason, text,
                                   self.next_seq(), epoch=self.epoch)
            payload = self.codec.encode_result(result, sealer=self.sealer)
            self.transport.publish(self.topics.result, payload, qos=1)

    def request(self, what: str, target: str = "") -> str:
        rid = f"inj-{uuid.uuid4().hex[:12]}"
        self.transport.publish(self.topics.hmi(CHANNEL_REQUEST),
                               encode_request(what, rid, self.next_seq(), target), qos=1)
        return rid

    # the live cycle: republish every frame at its catalogue rate, like a running vehicle
    def start_cycle(self) -> None:
        if self._cycle is None:
            self._stop.clear()
            self._cycle = threading.Thread(target=self._run_cycle, name="inject-cycle",
                                           daemon=True)
            self._cycle.start()

    def stop_cycle(self) -> None:
        if self._cycle is not None:
            self._stop.set()
            self._cycle.join(2.0)
            self._cycle = None

    def _run_cycle(self) -> None:
        frames = self.codec.catalogue.frames
        due = {name: time.monotonic() + spec.period_s for name, spec in frames.items()}
        while not self._stop.is_set():
            now = time.monotonic()
            for name, spec in frames.items():
                if now < due[name]:
                    continue
                due[name] = now + spec.period_s
                with self._lock:
                    values = dict(self.current.get(name, {}))
                    quiet = self.offline or name in self.silenced
                if values and not quiet:
                    try:
                        self._publish_frame(name, values)
                    except Exception:  # never let the cycle die silently mid-script
                        LOG.exception("cycle publish of %s failed", name)
            self._stop.wait(0.01)

    # receiving
    def _on_message(self, message: Message) -> None:
        now = time.monotonic()
        with self._lock:
            if len(self.log) < MAX_LOG:
                self.log.append(Seen(now, message))
        try:
            parsed = parse_topic(message.topic)
            if parsed.kind is TopicKind.HMI and parsed.name == CHANNEL_DISPLAY and message.payload:
                report = decode_display(message.payload)
                with self._lock:
                    self.display = report
                    self.display_count += 1
                    if report.rid:
                        self.replies[report.rid] = self.display_count
                    self._lock.notify_all()
            elif parsed.kind is TopicKind.HMI and parsed.name == CHANNEL_SCREENSHOT:
                shot = decode_screenshot(message.payload)
                with self._lock:
                    self.screenshots[shot.rid] = shot
                    self._lock.notify_all()
            elif parsed.kind is TopicKind.COMMAND and parsed.name:
                # as the vehicle does: the MAC first, then the arguments
                command = self.codec.decode_command_unchecked(parsed.name, message.payload)
                if not self._verifier.authentic(command):
                    why = (f"{parsed.name} rid={command.rid}: "
                           f"{'unsigned' if command.mac is None else 'MAC does not verify'}")
                    with self._lock:
                        if len(self.unauthentic) < MAX_LOG:
                            self.unauthentic.append((now, why))
                        self._lock.notify_all()
                    LOG.warning("refused a command that is not authentic: %s", why)
                    return
                command = self.codec.check_command(command)
                with self._lock:
                    self.commands.append((now, command))
                    self._lock.notify_all()
        except DecodeError as error:
            LOG.debug("ignored %s: %s", message.topic, error.reason)

    def wait_reply(self, rid: str, timeout_s: float) -> bool:
        deadline = time.monotonic() + timeout_s
        with self._lock:
            while rid not in self.replies:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return False
                self._lock.wait(min(remaining, 0.05))
        return True

    def screenshot(self, timeout_s: float = 5.0) -> ScreenshotReply | None:
        rid = self.request("screenshot")
        deadline = time.monotonic() + timeout_s
        with self._lock:
            while rid not in self.screenshots:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    return None
                self._lock.wait(min(remaining, 0.05))
            return self.screenshots.pop(rid)


# --- invalid payloads ---------------------------------------------------------------------------
def invalid_payload(kind: str, frame: str, codec: Codec, seq: int, *, epoch: int,
                    sealer: Sealer, ts_us: int | None = None) -> bytes:
    """A payload for `state/{frame}` that a strict decoder must refuse, for the reason `kind`
    names, and for no other.

    So every kind whose envelope is whole carries the session's epoch, seq, a current ts and a
    MAC that verifies over what it carries: an out-of-range value, a wrong type or an unknown
    signal is refused for the value, as a broken sensor's would be, not as a forgery. "truncated"
    is a sealed frame cut short, "not_msgpack" garbage, "oversize" a sealed envelope padded past
    the size limit (refused for its size before anything else is read).
    """
    signals = codec.catalogue.frames[frame].signals
    numeric = next(s for s in signals if s.value.type.value in ("float", "int")
                   and s.value.max is not None)
    ts = now_us() if ts_us is None else ts_us
    if kind == "truncated":
        whole = codec.encode_state(frame, {numeric.path: numeric.value.min or 0}, seq, ts,
                                   epoch=epoch, sealer=sealer)
        return whole[:-3]
    if kind == "not_msgpack":
        return b"\xc1\xc1 this is not msgpack"
    if kind == "out_of_range":
        assert numeric.value.max is not None  # chosen so above
        sig: dict[int, Any] = {numeric.id: float(numeric.value.max) * 10 + 1}
    elif kind == "wrong_type":
        sig = {numeric.id: "fast"}
    elif kind == "unknown_signal":
        sig = {65000: 1.0}
    elif kind == "oversize":
        sig = {}
    else:
        raise ValueError(f"unknown invalid kind {kind!r}")
    mac = sealer.mac(f"state/{frame}", epoch, seq, ts, frame_body(sig))
    envelope = {"v": codec.schema_version, "ep": epoch, "seq": seq, "ts": ts, "sig": sig,
                "mac": mac}
    if kind == "oversize":
        envelope["pad"] = "x" * 5000
    return msgpack.packb(envelope, use_bin_type=True)
