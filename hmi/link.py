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
from dataclasses import dataclass
from typing import Mapping

from protocols import (Codec, Command, DecodeError, EncodeError, Message, ResultStatus,
                       TopicKind, Transport, VehicleTopics, now_us, parse_topic)
from protocols.auth import CommandSigner, load_command_key, warn_if_development
from protocols.catalogue import Value

from .store import CommandFailed, ConnectionChanged, ResultReceived, SignalStore

LOG = logging.getLogger(__name__)

COMMAND_QOS = 1
MAX_PENDING_COMMANDS = 64
# A command not yet accepted is published again (the same bytes: same rid, counter and MAC, so
# the vehicle de-duplicates it) every RETRY_INTERVAL_S for RETRY_WINDOW_S: it may have died with
# the broker, or reached it before the vehicle had subscribed again. The window stays below the
# vehicle's replay window (protocols.auth) and the tracker's "no response" timeout. An accepted
# command whose final result has not come is published again in the RETRY_WINDOW_S after a
# reconnect, up to FINAL_RESULT_WINDOW_S after it was sent: the vehicle does not execute it again but repeats its results, so a
# "completed" lost with the broker is not lost for the driver.
RETRY_INTERVAL_S = 0.25
RETRY_WINDOW_S = 1.9  # under the vehicle's 2 s replay window and the 3 s "no response"
FINAL_RESULT_WINDOW_S = 10.0


@dataclass(slots=True)
class _Unanswered:
    """A command sent whose final result has not come yet."""

    topic: str
    payload: bytes
    sent_s: float
    accepted: bool = False


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
        self._command_seq = itertools.count(1)
        self._pending_lock = threading.Lock()
        self._pending: dict[str, set[str]] = {}  # rid -> statuses already forwarded
        self._unanswered: dict[str, _Unanswered] = {}
        self._connected_at = 0.0  # time.monotonic of the latest (re)connection
        self._retrying: threading.Thread | None = None
        self.resent = 0
        transport.on_message = self._handle_message
        transport.on_connection = self._handle_connection
        transport.subscribe(topics.state_filter, qos=0)
        transport.subscribe(topics.status, qos=1)
        transport.subscribe(topics.result, qos=1)

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
            if len(self._pending) >= MAX_PENDING_COMMANDS:
                self._pending.pop(next(iter(self._pending)))
            self._pending[rid] = set()
            self._unanswered[rid] = _Unanswered(topic, payload, time.monotonic())
            if self._retrying is None:
                self._retrying = threading.Thread(target=self._retry, name="command-retry",
                                                  daemon=True)
                self._retrying.start()
        self.transport.publish(topic, payload, qos=COMMAND_QOS)
        LOG.info("sent %s %s rid=%s", name, dict(args), rid)
        return rid

    def _retry(self) -> None:
        """Publish unanswered commands again until answered or out of their window."""
        while True:
            time.sleep(RETRY_INTERVAL_S)
            now = time.monotonic()
            with self._pending_lock:
                for rid in [r for r, u in self._unanswered.items() if now - u.sent_s > (
                        FINAL_RESULT_WINDOW_S if u.accepted else RETRY_WINDOW_S)]:
                    del self._unanswered[rid]
                due = []
                for unanswered in self._unanswered.values() if self.transport.connected else ():
                    if unanswered.accepted:
                        if (unanswered.sent_s < self._connected_at
                                and now - self._connected_at <= RETRY_WINDOW_S):
                            due.append((unanswered.topic, unanswered.payload))
                    elif now - unanswered.sent_s >= RETRY_INTERVAL_S:
                        due.append((unanswered.topic, unanswered.payload))
                if not self._unanswered:
                    self._retrying = None
                    return
            if self.transport.connected:
                for topic, payload in due:
                    self.transport.publish(topic, payload, qos=COMMAND_QOS)
                    self.resent += 1

    # --- link thread --------------------------------------------------------------------------
    def _handle_connection(self, connected: bool) -> None:
        if connected:
            self.store.restart_order()
            with self._pending_lock:
                self._connected_at = time.monotonic()
        self.store.put_event(ConnectionChanged(connected))

    def _handle_message(self, message: Message) -> None:
        received_s = time.monotonic()
        self.store.count_message()
        if not message.payload:
            return  # a retained message being cleared: nothing to show, nothing wrong
        try:
            parsed = parse_topic(message.topic)
            if parsed.vehicle != self.topics.vehicle:
                raise DecodeError(f"topic {message.topic!r} is for another vehicle")
            if parsed.kind is TopicKind.STATE:
                self.store.put_frame(self.codec.decode_state(parsed.name or "", message.payload),
                                     received_s, message.retain)
            elif parsed.kind is TopicKind.STATUS:
                self.store.put_status(self.codec.decode_status(message.payload), received_s)
            elif parsed.kind is TopicKind.RESULT:
                self._forward_result(message.payload)
        except DecodeError as error:
            LOG.debug("dropped %s: %s", message.topic, error.reason)
            self.store.reject(f"{message.topic.rsplit('/', 1)[-1]}: {error.reason}")
        except Exception:  # never let a payload kill the network thread
            LOG.exception("unexpected error handling %s", message.topic)
            self.store.reject(f"{message.topic}: internal error")

    def _forward_result(self, payload: bytes) -> None:
        result = self.codec.decode_result(payload)
        with self._pending_lock:
            if result.status is ResultStatus.ACCEPTED:
                if result.rid in self._unanswered:
                    self._unanswered[result.rid].accepted = True
            else:
                self._unanswered.pop(result.rid, None)
            seen = self._pending.get(result.rid)
            if seen is None or result.status.value in seen:
                return  # another HMI's request, or a repeat: nothing new to show
            seen.add(result.status.value)
            if result.status is not ResultStatus.ACCEPTED:
                del self._pending[result.rid]
        self.store.put_event(ResultReceived(result))
