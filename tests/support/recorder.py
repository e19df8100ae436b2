"""Capture what is published on a topic filter, byte for byte, as an eavesdropper would: the raw
material of replay attacks (a stolen tool password, a bench script left recording)."""

from __future__ import annotations

import threading
import time
import uuid

from protocols.bus import Message, parse_broker_url
from protocols.bus.mqtt import MqttTransport


class Recorder:
    """Keeps every non-empty message on `topic_filter` in arrival order."""

    def __init__(self, broker_url: str, topic_filter: str) -> None:
        self.transport = MqttTransport(parse_broker_url(broker_url),
                                       client_id=f"rec-{uuid.uuid4().hex[:8]}")
        self.messages: list[Message] = []
        self._changed = threading.Condition()
        self.transport.add_listener(self._on_message)
        self.transport.subscribe(topic_filter, qos=1)

    @property
    def payloads(self) -> list[bytes]:
        with self._changed:
            return [m.payload for m in self.messages]

    def start(self, timeout_s: float = 5.0) -> Recorder:
        self.transport.start()
        if not self.transport.wait_connected(timeout_s):
            raise TimeoutError("recorder could not reach the broker")
        return self

    def close(self) -> None:
        self.transport.close()

    def wait_for(self, count: int, timeout_s: float = 5.0) -> list[bytes]:
        """The first `count` payloads, once that many have arrived."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while len(self.messages) < count:
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"recorded {len(self.messages)} of {count} messages")
                self._changed.wait(left)
            return [m.payload for m in self.messages[:count]]

    def wait_for_topics(self, *suffixes: str, timeout_s: float = 5.0) -> list[Message]:
        """The first message on each topic ending in one of `suffixes`, in arrival order, once
        each has come."""
        deadline = time.monotonic() + timeout_s
        with self._changed:
            while True:
                first: dict[str, Message] = {}
                for message in self.messages:
                    suffix = next((s for s in suffixes if message.topic.endswith(s)), None)
                    if suffix is not None:
                        first.setdefault(suffix, message)
                if len(first) == len(suffixes):
                    return sorted(first.values(), key=self.messages.index)
                left = deadline - time.monotonic()
                if left <= 0:
                    raise TimeoutError(f"recorded only {sorted(first)} of {suffixes}")
                self._changed.wait(left)

    def _on_message(self, message: Message) -> None:
        if message.payload:
            with self._changed:
                self.messages.append(message)
                self._changed.notify_all()
