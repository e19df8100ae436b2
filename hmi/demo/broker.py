"""An MQTT broker inside the demo process (amqtt), so a laptop needs nothing but pip.

Bound to 127.0.0.1 only: anonymous clients are accepted because nothing beyond this machine
can reach the port. amqtt runs on its own asyncio loop in a daemon thread.
"""

from __future__ import annotations

import asyncio
import logging
import socket
import threading
from typing import Any

LOG = logging.getLogger(__name__)
LOOPBACK = "127.0.0.1"


def free_loopback_port() -> int:
    with socket.socket() as sock:
        sock.bind((LOOPBACK, 0))
        return sock.getsockname()[1]


class EmbeddedBroker:
    """Start, serve and stop an amqtt broker on a loopback port."""

    def __init__(self, port: int | None = None) -> None:
        self.port = port or free_loopback_port()
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._serve, name="embedded-broker", daemon=True)
        self._ready = threading.Event()
        self._broker: Any = None
        self._error: BaseException | None = None

    @property
    def url(self) -> str:
        return f"mqtt://{LOOPBACK}:{self.port}"

    def config(self) -> dict[str, Any]:
        return {
            "listeners": {"default": {"type": "tcp", "bind": f"{LOOPBACK}:{self.port}"}},
            "plugins": {
                "amqtt.plugins.authentication.AnonymousAuthPlugin": {"allow_anonymous": True},
            },
        }

    def start(self, timeout_s: float = 10.0) -> EmbeddedBroker:
        self._thread.start()
        if not self._ready.wait(timeout_s):
            raise TimeoutError("the embedded broker did not start")
        if self._error is not None:
            raise RuntimeError(f"the embedded broker failed: {self._error}") from self._error
        LOG.info("embedded broker listening on %s", self.url)
        return self

    def stop(self, timeout_s: float = 5.0) -> None:
        if self._broker is None or not self._thread.is_alive():
            return
        future = asyncio.run_coroutine_threadsafe(self._broker.shutdown(), self._loop)
        try:
            future.result(timeout_s)
        except Exception as error:  # shutting down: log and go on releasing the port
            LOG.warning("embedded broker shutdown: %s", error)
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout_s)
        self._broker = None

    def _serve(self) -> None:
        asyncio.set_event_loop(self._loop)
        try:
            self._loop.run_until_complete(self._start_broker())
        except BaseException as error:  # reported to start() on the caller's thread
            self._error = error
            self._ready.set()
            return
        self._ready.set()
        self._loop.run_forever()
        self._loop.close()

    async def _start_broker(self) -> None:
        from amqtt.broker import Broker  # imported here: only the demo needs amqtt

        for name in ("amqtt", "transitions"):
            logging.getLogger(name).setLevel(logging.WARNING)
        self._broker = Broker(self.config(), loop=self._loop)
        await self._broker.start()

    def __enter__(self) -> EmbeddedBroker:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()
