"""The vehicle link: MQTT in, decoded values into the store, commands out.

Runs on the transport's network thread and never touches Kivy. Every payload is decoded in
full by the strict codec; anything malformed or out of range is counted and dropped whole,
so a bad publisher can neither crash the app nor put half a frame on screen.
"""

from __future__ import annotations

import itertools
import logging
import threading
import time
import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field

from protocols import (
    Codec,
    Command,
    DecodeError,
    EncodeError,
    ResultStatus,
    TopicKind,
    VehicleTopics,
    now_us,
    parse_topic,
)
from protocols.auth import CommandSigner, load_command_key, warn_if_development
from protocols.bus import Message, Transport
from protocols.catalogue import Value
from protocols.errors import AuthenticationError

from .store import CommandFailed, ConnectionChanged, ResultReceived, SignalStore

LOG = logging.getLogger(__name__)

COMMAND_QOS = 1
# Everything the link tracks about the commands it sent lives in one table with one bound. A
# command that would not fit is refused at once ("busy") rather than pushing out one in flight,
# whose result would then be dropped: a command applied while the driver is told nothing.
MAX_TRACKED_COMMANDS = 256
# A command not yet accepted is published again (the same bytes: same rid, counter and MAC, so
# the vehicle de-duplicates it) every RETRY_INTERVAL_S for RETRY_WINDOW_S: it may have died with
# the broker, or reached it before the vehicle had subscribed again. The window stays below the
# vehicle's replay window (protocols.auth) and the tracker's "no response" timeout.
# Every command still waiting for its final result when either end comes back (we reconnect, or
# the vehicle announces a new connection with an online status) is published again in the
# RETRY_WINDOW_S after that: a vehicle that took it repeats its answers without executing it
# again; one that never saw it executes it if it is still within the vehicle's replay window
# (2 s by the vehicle's clock since it was signed) and refuses it as "replayed" after. Either way
# the command ends in an answer that says what happened, never in "no response" for a command
# that was applied, and never late.
RETRY_INTERVAL_S = 0.25
RETRY_WINDOW_S = 1.9  # under the vehicle's 2 s replay window and the 3 s "no response"
# How long a command is followed for its final result while connected: unanswered, and once
# accepted (the vehicle gives up on completing a command after 30 s and says so). Then it ends
# visibly as "no_response". While the broker is away nothing expires: new commands are refused
# as "offline" and those in flight get their answers repeated when it is back.
ANSWER_WINDOW_S = 10.0
COMPLETION_WINDOW_S = 35.0


@dataclass(slots=True)
class _Tracked:
    """A command sent whose final result has not come yet."""

    name: str
    topic: str
    payload: bytes
    sent_s: float
    statuses: set[str] = field(default_factory=set)  # statuses already forwarded

    @property
    def accepted(self) -> bool:
        return ResultStatus.ACCEPTED.value in self.statuses

    def expired(self, now_s: float, back_at_s: float) -> bool:
        """Out of its window, counted from when it was sent or, if later, from when the link or
        the vehicle last came back (its answer may only then be repeated)."""
        window = COMPLETION_WINDOW_S if self.accepted else ANSWER_WINDOW_S
        return now_s - max(self.sent_s, back_at_s) > window


class VehicleLink:
    """Subscribes to one vehicle's state, status and results; publishes its commands."""

    def __init__(self, transport: Transport, topics: VehicleTopics, store: SignalStore,
                 codec: Codec | None = None, broker_url: str = "",
                 signer: CommandSigner | None = None) -> None:
        self.transport = transport
        self.topics = topics
        self.store = store
        self.codec = codec or Codec()
        self.broker_url = broker_url
        if signer is None:  # the key from $EMA_COMMAND_KEY_FILE, else the development key
            key = load_command_key()
            warn_if_development(key, LOG)
            signer = CommandSigner(key, topics.vehicle)
        self.signer = signer
        self.sealer = signer.key.sealer(topics.vehicle)
        self._command_seq = itertools.count(1)
        self._pending_lock = threading.Lock()
        self._tracked: dict[str, _Tracked] = {}  # rid -> command, oldest first
        self._back_at = 0.0  # time.monotonic when we or the vehicle last (re)connected
        self._retrying: threading.Thread | None = None
        self.resent = 0
        # Only the link's own topics: the diagnostics reporter shares this transport.
        transport.add_listener(self._handle_message, topics.status, topics.result,
                               topics.state_filter)
        transport.add_connection_listener(self._handle_connection)
        # Status first, so a (re)connect learns whether the vehicle is online before its
        # retained frames arrive; the order gate does not depend on it.
        transport.subscribe(topics.status, qos=1)
        transport.subscribe(topics.result, qos=1)
        transport.subscribe(topics.state_filter, qos=0)

    @property
    def connected(self) -> bool:
        return self.transport.connected

    def start(self) -> None:
        self.transport.start()

    def close(self) -> None:
        self.transport.close()

    # --- commands (main thread) ---------------------------------------------------------------
    def send_command(self, name: str, args: Mapping[str, Value]) -> str:
        """Publish a command with a fresh request id and return that id.

        If the command cannot go out now, a CommandFailed event follows instead of a result:
        a command queued while offline and delivered minutes later would surprise the driver.
        """
        rid = uuid.uuid4().hex[:16]
        command = Command(name, rid, dict(args), next(self._command_seq), now_us())
        try:
            payload = self.codec.encode_command(self.signer.sign(command))
        except EncodeError as error:
            LOG.warning("command %s not sent: %s", name, error)
            self.store.put_event(CommandFailed(rid, name, "invalid_argument"))
            return rid
        if not self.transport.connected:
            self.store.put_event(CommandFailed(rid, name, "offline"))
            return rid
        topic = self.topics.command(name)
        with self._pending_lock:
            if len(self._tracked) >= MAX_TRACKED_COMMANDS:
                busy = True
            else:
                busy = False
                self._tracked[rid] = _Tracked(name, topic, payload, time.monotonic())
                if self._retrying is None:
                    self._retrying = threading.Thread(target=self._retry, name="command-retry",
                                                      daemon=True)
                    self._retrying.start()
        if busy:
            LOG.warning("command %s not sent: %d commands in flight", name, MAX_TRACKED_COMMANDS)
            self.store.put_event(CommandFailed(rid, name, "busy"))
            return rid
        self.transport.publish(topic, payload, qos=COMMAND_QOS)
        LOG.info("sent %s %s rid=%s", name, dict(args), rid)
        return rid

    @property
    def tracked_commands(self) -> int:
        """How many commands wait for their final result."""
        with self._pending_lock:
            return len(self._tracked)

    def _retry(self) -> None:
        """Publish unanswered commands again until answered or out of their window; end the
        ones that outlive their window visibly."""
        while True:
            time.sleep(RETRY_INTERVAL_S)
            now = time.monotonic()
            with self._pending_lock:
                expired = [(rid, t.name) for rid, t in self._tracked.items()
                           if self.transport.connected and t.expired(now, self._back_at)]
                for rid, _ in expired:
                    del self._tracked[rid]
                due = self._due(now) if self.transport.connected else []
                done = not self._tracked
                if done:  # a command sent from now on starts a new thread
                    self._retrying = None
            for rid, name in expired:
                self.store.put_event(CommandFailed(rid, name, "no_response"))
            for topic, payload in due:
                self.transport.publish(topic, payload, qos=COMMAND_QOS)
                self.resent += 1
            if done:
                return

    def _due(self, now: float) -> list[tuple[str, bytes]]:
        """The commands to publish again now (under the lock)."""
        after_return = now - self._back_at <= RETRY_WINDOW_S
        return [(t.topic, t.payload) for t in self._tracked.values()
                if (after_return and t.sent_s < self._back_at)
                or (not t.accepted and RETRY_INTERVAL_S <= now - t.sent_s <= RETRY_WINDOW_S)]

    def _came_back(self) -> None:
        with self._pending_lock:
            self._back_at = time.monotonic()
            if self._tracked and self._retrying is None:
                self._retrying = threading.Thread(target=self._retry, name="command-retry",
                                                  daemon=True)
                self._retrying.start()

    # --- link thread --------------------------------------------------------------------------
    def _handle_connection(self, connected: bool) -> None:
        if connected:
            self._came_back()
        self.store.put_event(ConnectionChanged(connected))

    def _handle_message(self, message: Message) -> None:
        received_s = time.monotonic()
        self.store.count_message()
        channel = message.topic.rsplit("/", 1)[-1]
        if not message.payload:  # a retained copy being cleared, or a careless publisher
            self.store.reject(f"{channel}: empty payload")
            return
        try:
            parsed = parse_topic(message.topic)
            if parsed.vehicle != self.topics.vehicle:
                raise DecodeError(f"topic {message.topic!r} is for another vehicle")
            if parsed.kind is TopicKind.STATE:
                frame = self.codec.decode_state(parsed.name or "", message.payload, self.sealer)
                self.store.put_frame(frame, received_s, message.retain)
            elif parsed.kind is TopicKind.STATUS:
                status = self.codec.decode_status(message.payload, self.sealer)
                if self.store.put_status(status, received_s, message.retain) and status.online:
                    self._came_back()  # a new connection of the vehicle
            elif parsed.kind is TopicKind.RESULT:
                self._forward_result(message.payload)
        except AuthenticationError as error:
            LOG.debug("refused %s: %s", message.topic, error.reason)
            self.store.reject_unauthenticated(f"{channel}: {error.reason}")
        except DecodeError as error:
            LOG.debug("dropped %s: %s", message.topic, error.reason)
            self.store.reject(f"{channel}: {error.reason}")
        except Exception:  # never let a payload kill the network thread
            LOG.exception("unexpected error handling %s", message.topic)
            self.store.reject(f"{message.topic}: internal error")

    def _forward_result(self, payload: bytes) -> None:
        """Every new status of a command we sent reaches the store; the final one ends its
        tracking. Results for other senders' commands, and repeats, are not ours to show."""
        result = self.codec.decode_result(payload, self.sealer)
        with self._pending_lock:
            tracked = self._tracked.get(result.rid)
            if tracked is None or result.status.value in tracked.statuses:
                return
            tracked.statuses.add(result.status.value)
            if result.status is not ResultStatus.ACCEPTED:
                del self._tracked[result.rid]
        self.store.put_event(ResultReceived(result))
