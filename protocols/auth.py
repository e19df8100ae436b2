"""Command authentication: an HMAC over each command, and the vehicle's replay check.

A command's `mac` is HMAC-SHA256, truncated to 16 bytes, over the msgpack of the fixed-order
array ["ema-cmd-v1", vehicle, command name, rid, ctr, [[arg, value], ...] sorted by arg name],
with the key provisioned for the vehicle. `ctr` is a counter that rises with every command a
sender signs; ours is the clock in microseconds, so it keeps rising across restarts.

The vehicle (`CommandVerifier`) refuses a command whose MAC does not verify ("unauthorised") and
one whose counter it has seen, or that is older than its replay window by its own clock
("replayed"). Senders
sharing one key may reach the vehicle slightly out of order, so the verifier keeps every counter
of the last `window_us` (IPsec-style sliding window) rather than the highest alone.

Key: `--command-key-file PATH` or $EMA_COMMAND_KEY_FILE; the file holds the key as hex (at least
32 hex digits) or as raw text of at least 16 bytes. Without one, the DEVELOPMENT key below is
used: it is public, so it authenticates nothing; the demo and the tests use it, and the programs
warn when they do. See SECURITY.md.
"""

from __future__ import annotations

import argparse
import hashlib
import hmac
import logging
import os
import threading
from collections.abc import Mapping
from dataclasses import dataclass, replace
from typing import Any

import msgpack

from .codec import MAC_LEN, now_us
from .messages import Command
from .seal import Sealer

LOG = logging.getLogger(__name__)

ENV_KEY_FILE = "EMA_COMMAND_KEY_FILE"
DEVELOPMENT_KEY = b"ema-development-command-key--INSECURE--public-in-the-repo"
DOMAIN = "ema-cmd-v1"
MIN_KEY_BYTES = 16
DEFAULT_WINDOW_US = 2_000_000        # how far out of order two senders' commands may arrive
MAX_REMEMBERED_COUNTERS = 4096


@dataclass(frozen=True)
class CommandKey:
    """A vehicle's command key; `development` marks the public one. Never printed."""

    secret: bytes
    development: bool = False
    source: str = ""

    def __repr__(self) -> str:
        return f"CommandKey(source={self.source!r}, development={self.development})"

    def sealer(self, vehicle: str) -> Sealer:
        """The vehicle-message MACs (protocols.seal) with this key, for `vehicle`."""
        return Sealer(self.secret, vehicle, self.development)


def development_key() -> CommandKey:
    return CommandKey(DEVELOPMENT_KEY, True, "built-in development key")


def read_key_file(path: str) -> CommandKey:
    with open(path, "rb") as handle:
        raw = handle.read().strip()
    try:
        text = raw.decode("ascii")
        secret = bytes.fromhex(text) if len(text) >= 2 * MIN_KEY_BYTES else raw
    except (UnicodeDecodeError, ValueError):
        secret = raw
    if len(secret) < MIN_KEY_BYTES:
        raise ValueError(f"command key in {path} is shorter than {MIN_KEY_BYTES} bytes")
    return CommandKey(secret, secret == DEVELOPMENT_KEY, path)


def load_command_key(path: str | None = None,
                     environ: Mapping[str, str] | None = None) -> CommandKey:
    """The key from `path`, else $EMA_COMMAND_KEY_FILE, else the development key."""
    environ = os.environ if environ is None else environ
    path = path or environ.get(ENV_KEY_FILE)
    return read_key_file(path) if path else development_key()


def add_auth_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--command-key-file", default=None, metavar="PATH",
                        help=f"file holding the vehicle's command key (or ${ENV_KEY_FILE}); "
                             "without one an insecure development key is used")


def key_from_args(args: argparse.Namespace, log: logging.Logger = LOG) -> CommandKey:
    key = load_command_key(getattr(args, "command_key_file", None))
    warn_if_development(key, log)
    return key


def warn_if_development(key: CommandKey, log: logging.Logger = LOG) -> None:
    if key.development:
        log.warning("using the INSECURE development command key: anyone can command this "
                    "vehicle; provision a key with --command-key-file or $%s", ENV_KEY_FILE)


def mac_input(vehicle: str, name: str, rid: str, ctr: int, args: Mapping[str, Any]) -> bytes:
    """The canonical bytes the MAC covers."""
    pairs = [[key, args[key]] for key in sorted(args)]
    packed: bytes = msgpack.packb([DOMAIN, vehicle, name, rid, ctr, pairs], use_bin_type=True)
    return packed


def compute_mac(secret: bytes, vehicle: str, name: str, rid: str, ctr: int,
                args: Mapping[str, Any]) -> bytes:
    digest = hmac.new(secret, mac_input(vehicle, name, rid, ctr, args), hashlib.sha256).digest()
    return digest[:MAC_LEN]


class CommandSigner:
    """Gives each command a rising counter and its MAC. Thread-safe."""

    def __init__(self, key: CommandKey, vehicle: str) -> None:
        self.key = key
        self.vehicle = vehicle
        self._last = 0
        self._lock = threading.Lock()

    def next_counter(self) -> int:
        with self._lock:
            self._last = max(now_us(), self._last + 1)
            return self._last

    def sign(self, command: Command, vehicle: str | None = None) -> Command:
        ctr = self.next_counter()
        mac = compute_mac(self.key.secret, vehicle or self.vehicle, command.name, command.rid,
                          ctr, command.args)
        return replace(command, ctr=ctr, mac=mac)


class CommandVerifier:
    """The vehicle's side: MAC check, then the counter against the replay window.

    `authentic` and `fresh` only look (the node refuses "unauthorised", then "replayed");
    `commit` records the counter once the command is taken. Not thread-safe: the simulation
    thread owns it.
    """

    def __init__(self, key: CommandKey, vehicle: str, window_us: int = DEFAULT_WINDOW_US) -> None:
        self.key = key
        self.vehicle = vehicle
        self.window_us = window_us
        self.floor = 0  # counters at or below it are replays (besides those out of the window)
        self._seen: set[int] = set()
        self._highest = self.floor

    def authentic(self, command: Command) -> bool:
        if command.mac is None:
            return False
        expected = compute_mac(self.key.secret, self.vehicle, command.name, command.rid,
                               command.ctr, command.args)
        return hmac.compare_digest(expected, command.mac)

    def fresh(self, command: Command) -> bool:
        """Not seen, and signed within the window of now: the counter is the sender's clock, so
        a command held back (lost with a broker, resent after a reconnect, replayed) is refused
        once older than the window instead of taking effect late. Needs the sender's clock to
        agree with ours within the window (NTP), as frames do (protocols.freshness)."""
        floor = max(self.floor, now_us() - self.window_us)
        return command.ctr > floor and command.ctr not in self._seen

    def commit(self, command: Command) -> None:
        self._seen.add(command.ctr)
        self._highest = max(self._highest, command.ctr)
        floor = max(self.floor, self._highest - self.window_us)
        if len(self._seen) > MAX_REMEMBERED_COUNTERS:
            floor = max(floor, sorted(self._seen)[len(self._seen) - MAX_REMEMBERED_COUNTERS])
        if floor != self.floor:
            self.floor = floor
            self._seen = {c for c in self._seen if c > floor}
