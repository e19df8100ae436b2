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
from typing import Mapping

from protocols import (Codec, Command, DecodeError, EncodeError, Message, ResultStatus,
                       TopicKind, Transport, VehicleTopics, now_us, parse_topic)
from protocols.catalogue import Value

from .store import CommandFailed, ConnectionChanged, ResultReceived, SignalStore

LOG = logging.getLogger(__name__)

COMMAND_QOS = 1
MAX_PENDING_COMMANDS = 64


class VehicleLink:
    """Subscribes to one vehicle's state, status and results; publishes its commands."""

    def __init__(self, transport: Transport, topics: VehicleTopics, store: SignalStore,
                 codec: Codec | None = None, broker_url: str = "") -> None:
        self.transport = transport
        self.topics = topics
        self.store = store
        self.codec = codec or Codec()
        self.broker_url = broker_url
        self._command_seq = itertools.count(1)
        self._pending_lock = threading.Lock()
        self._pending: dict[str, set[str]] = {}  # rid -> statuses already forwarded
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
            payload = self.codec.encode_command(command)
        except EncodeError as error:
            LOG.warning("command %s not sent: %s", name, error)
            self.store.put_event(CommandFailed(rid, name, "invalid_argument"))
            return rid
        if not self.transport.connected:
            self.store.put_event(CommandFailed(rid, name, "offline"))
            return rid
        with self._pending_lock:
            if len(self._pending) >= MAX_PENDING_COMMANDS:
                self._pending.pop(next(iter(self._pending)))
            self._pending[rid] = set()
        self.transport.publish(self.topics.command(name), payload, qos=COMMAND_QOS)
        LOG.info("sent %s %s rid=%s", name, dict(args), rid)
        return rid

    # --- link thread --------------------------------------------------------------------------
    def _handle_connection(self, connected: bool) -> None:
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
            seen = self._pending.get(result.rid)
            if seen is None or result.status.value in seen:
                return  # another HMI's request, or a repeat: nothing new to show
            seen.add(result.status.value)
            if result.status is not ResultStatus.ACCEPTED:
                del self._pending[result.rid]
        self.store.put_event(ResultReceived(result))
