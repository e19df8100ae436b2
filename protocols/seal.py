"""Authenticity of what the vehicle publishes: an HMAC over each state frame, status and result.

In the spirit of AUTOSAR SecOC: the receiver trusts a message only if its MAC verifies with the
vehicle's key, and it judges freshness only from fields the MAC covers (epoch, seq, ts). So a
sender without the key can neither forge a value nor move the receiver's order forward with a
huge `seq`, and a recording played back is recognised by its old epoch, seq and ts.

The MAC is HMAC-SHA256 with the vehicle's key (the same key as commands, `protocols.auth`),
truncated to 16 bytes, over the canonical msgpack of the array

    ["ema-veh-v2", vehicle, channel, ep, seq, ts, body]

where `channel` is the topic below the vehicle's base (`state/drive`, `status`, `result`) and
`body` is, for a state frame, the array of `[signal id, wire value]` pairs sorted by id; for a
status, `[online, will]`; for a result, `[rid, cmd, status, reason, text]`. Canonical means
what every msgpack library writes by default: the smallest encoding of each integer, string
and array header, floats as float64, strings as str (never bin). The domain string differs
from the commands' ("ema-cmd-v1"), so a MAC of one kind never verifies as the other.

This module knows only bytes: it imports nothing of the codec, so the codec can use it.
"""

from __future__ import annotations

import hashlib
import hmac
from collections.abc import Mapping
from typing import Any

import msgpack

DOMAIN = "ema-veh-v2"
MAC_LEN = 16


def frame_body(sig: Mapping[int, Any]) -> list[list[Any]]:
    """A state frame's signals as the MAC sees them: [id, wire value] pairs sorted by id."""
    return [[sid, sig[sid]] for sid in sorted(sig)]


def result_body(rid: str, command: str, status: str, reason: str | None,
                text: str) -> list[Any]:
    return [rid, command, status, reason, text]


def mac_input(vehicle: str, channel: str, epoch: int, seq: int, ts_us: int, body: Any) -> bytes:
    """The canonical bytes the MAC covers (see the module docstring)."""
    packed: bytes = msgpack.packb([DOMAIN, vehicle, channel, epoch, seq, ts_us, body],
                                  use_bin_type=True)
    return packed


class Sealer:
    """Computes and checks vehicle-message MACs for one vehicle with one key.

    Both ends hold the same secret: the vehicle seals, the HMI and the tools verify, and a test
    bench that is given the key can seal too (it then speaks as the vehicle). It is on the path
    of every frame, so it keys the HMAC once and packs the fixed head of the MAC input once per
    channel: the bytes are exactly `mac_input`'s (a msgpack array is its header and its elements
    one after another).
    """

    __slots__ = ("_keyed", "_heads", "_packer", "vehicle", "development")

    def __init__(self, secret: bytes, vehicle: str, development: bool = False) -> None:
        self._keyed = hmac.new(secret, digestmod=hashlib.sha256)
        self._heads: dict[str, bytes] = {}
        self._packer = msgpack.Packer(use_bin_type=True)
        self.vehicle = vehicle
        self.development = development

    def __repr__(self) -> str:
        return f"Sealer(vehicle={self.vehicle!r}, development={self.development})"

    def _head(self, channel: str) -> bytes:
        head = self._heads.get(channel)
        if head is None:
            head = mac_input(self.vehicle, channel, 0, 0, 0, None)[:-4]  # less ep, seq, ts, body
            if len(self._heads) < 64:  # channels are few; a fuzzer's are not kept
                self._heads[channel] = head
        return head

    def mac(self, channel: str, epoch: int, seq: int, ts_us: int, body: Any) -> bytes:
        pack = self._packer.pack
        data = self._head(channel) + pack(epoch) + pack(seq) + pack(ts_us) + pack(body)
        keyed = self._keyed.copy()
        keyed.update(data)
        return keyed.digest()[:MAC_LEN]

    def verify(self, mac: Any, channel: str, epoch: int, seq: int, ts_us: int,
               body: Any) -> bool:
        """True if `mac` is this vehicle's MAC over the fields; constant-time compare."""
        if not isinstance(mac, bytes) or len(mac) != MAC_LEN:
            return False
        return hmac.compare_digest(mac, self.mac(channel, epoch, seq, ts_us, body))
