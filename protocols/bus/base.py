"""What every transport is: publish, subscribe, and fan messages out to listeners.

Like python-can's Bus with its Notifier: a `Transport` delivers each message to every listener
added with `add_listener` (a callable, or an object with `on_message`), and each connection
change to every `add_connection_listener`. Nobody swaps a single callback slot, so a reporter, a
recorder and the link can all hear the same transport. Listeners run on the transport's own
thread: they must only store, never touch a UI.
"""

from __future__ import annotations

import logging
import threading
from abc import ABC, abstractmethod
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar, runtime_checkable

from ..topics import topic_matches

LOG = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class Message:
    topic: str
    payload: bytes
    qos: int = 0
    retain: bool = False


@dataclass(frozen=True, slots=True)
class Will:
    topic: str
    payload: bytes
    qos: int = 1
    retain: bool = True


MessageHandler = Callable[[Message], None]
ConnectionHandler = Callable[[bool], None]
# A will composed anew for every connection attempt, so that its seq is above everything the
# publisher sent before that connection and below what it sends on it (protocols.freshness).
WillSource = Will | Callable[[], Will]


@runtime_checkable
class Listener(Protocol):
    """An object that hears messages (python-can's Listener); a plain callable does as well."""

    def on_message(self, message: Message) -> None: ...


def compose_will(source: WillSource | None) -> Will | None:
    return source() if callable(source) else source


class _Fanout(Generic[T]):
    """Callbacks kept as an immutable tuple: delivery reads it without a lock, and a listener
    added or removed during a delivery takes effect from the next one. An entry with topic
    filters hears only the messages that match one of them."""

    def __init__(self, kind: str) -> None:
        self._kind = kind
        self._lock = threading.Lock()
        self._entries: tuple[tuple[object, Callable[[T], None], tuple[str, ...]], ...] = ()

    def add(self, key: object, callback: Callable[[T], None],
            topic_filters: tuple[str, ...] = ()) -> None:
        with self._lock:
            self._entries = (*self._entries, (key, callback, topic_filters))

    def remove(self, key: object) -> None:
        """Remove the first entry added under `key` (equal, as bound methods are); else nothing."""
        with self._lock:
            for index, (known, _, _) in enumerate(self._entries):
                if known == key:
                    self._entries = self._entries[:index] + self._entries[index + 1:]
                    return

    def __call__(self, value: T, topic: str | None = None) -> None:
        """Call each (that wants `topic`); one that raises is logged, the others still hear it."""
        for _, callback, topic_filters in self._entries:
            if topic is not None and topic_filters and not _matches_any(topic_filters, topic):
                continue
            try:
                callback(value)
            except Exception:
                LOG.exception("a %s listener failed", self._kind)


def _matches_any(topic_filters: tuple[str, ...], topic: str) -> bool:
    return any(f == topic or (("+" in f or "#" in f) and topic_matches(f, topic))
               for f in topic_filters)


class Transport(ABC):
    """Publish, subscribe, and tell the listeners about messages and connection changes."""

    def __init__(self) -> None:
        self._message_listeners: _Fanout[Message] = _Fanout("message")
        self._connection_listeners: _Fanout[bool] = _Fanout("connection")
        self._subscriptions: dict[str, int] = {}
        self._will_source: WillSource | None = None
        self._connected = False
        self._state = threading.Condition()

    def add_listener(self, listener: MessageHandler | Listener, *topic_filters: str) -> None:
        """Deliver every message from now on to `listener` too (its `on_message` if it has
        one, else the listener itself); given topic filters, only the messages matching one.

        Filters let listeners share a transport without seeing each other's subscriptions (the
        HMI's link and its diagnostics reporter do). They do not subscribe: `subscribe` does.
        """
        callback = listener.on_message if isinstance(listener, Listener) else listener
        self._message_listeners.add(listener, callback, topic_filters)

    def remove_listener(self, listener: MessageHandler | Listener) -> None:
        self._message_listeners.remove(listener)

    def add_connection_listener(self, listener: ConnectionHandler) -> None:
        """Call `listener(True)` on every connect and `listener(False)` on every loss or close."""
        self._connection_listeners.add(listener, listener)

    def remove_connection_listener(self, listener: ConnectionHandler) -> None:
        self._connection_listeners.remove(listener)

    def set_will(self, source: WillSource | None) -> None:
        """The will for the connections from now on: a Will, or a function that composes one
        at each connection attempt. Takes effect at the next connect."""
        self._will_source = source

    def subscribe(self, topic_filter: str, qos: int = 0) -> None:
        """Subscribe now and again after every reconnect."""
        self._subscriptions[topic_filter] = qos
        self._subscribe(topic_filter, qos)

    @abstractmethod
    def publish(self, topic: str, payload: bytes, qos: int = 0, retain: bool = False) -> None: ...

    @abstractmethod
    def _subscribe(self, topic_filter: str, qos: int) -> None: ...

    @abstractmethod
    def start(self) -> None:
        """Begin connecting; returns at once, the connection listeners hear `True` later."""

    @abstractmethod
    def close(self) -> None: ...

    @property
    def connected(self) -> bool:
        return self._connected

    def wait_connected(self, timeout_s: float = 5.0) -> bool:
        """True once connected (at once if already), False if `timeout_s` passed first."""
        with self._state:
            return self._state.wait_for(lambda: self._connected, timeout_s)

    def _deliver(self, message: Message) -> None:
        """Hand a received message to every listener (for implementations)."""
        self._message_listeners(message, message.topic)

    def _announce(self, connected: bool) -> None:
        """Record a connection change, wake `wait_connected`, then tell the listeners."""
        with self._state:
            self._connected = connected
            self._state.notify_all()
        self._connection_listeners(connected)

    def __enter__(self) -> Transport:
        self.start()
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
