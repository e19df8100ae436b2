"""Recorded vehicle messages as a new vehicle session: fresh epoch, seq and ts, and a new MAC.

A schema v2 receiver (the HMI) verifies a MAC over the vehicle id, the epoch, the seq, the
timestamp and the content of every state frame, status and result (protocols.seal), orders each
topic by (epoch, seq) and refuses a timestamp far from its clock (protocols.freshness). Recorded
bytes played back as they are are therefore refused, as a replay should be. To show a recorded
session again, the player speaks as a new session of the vehicle, as any tool holding the
vehicle's key may: one epoch for the whole replay (taken once, when the Restamper is made, so it
is above the sessions recorded and above a vehicle running now), one seq rising over every
message it re-seals, the clock at the moment of sending as `ts`, and a MAC with the key for the
vehicle the message is published under (after --vehicle-rename).

Only ep, seq, ts and mac change: the content goes out exactly as recorded, an out-of-range value
of a broken sensor included (the receiver refuses it for its value again). And only what verifies
as recorded, with the same key under the recorded vehicle id, is re-sealed: the player vouches
for nothing it could not verify, so a recorded forgery stays a forgery. Everything else goes out
as recorded and is counted by reason: commands and HMI diagnostics (not the vehicle's to speak),
empty payloads (they clear a retained copy), payloads that are not v2 vehicle messages (garbage,
older schema versions) and those whose MAC does not verify (recorded with another key, or forged).
"""

from __future__ import annotations

import itertools
from collections import Counter
from collections.abc import Callable
from typing import Any

import msgpack

from protocols.auth import CommandKey
from protocols.codec import MAC_LEN, RESULT_KEYS, STATE_KEYS, STATUS_KEYS, Codec, now_us, unpack
from protocols.errors import DecodeError
from protocols.freshness import session_epoch
from protocols.seal import Sealer, frame_body, result_body
from protocols.topics import TopicKind, parse_topic

from .recording import Record

NOT_VEHICLE = "not a vehicle message (command, HMI diagnostics or another namespace)"
EMPTY = "empty payload (clears a retained copy)"
NOT_V2 = "not a v2 vehicle message"
NOT_AUTHENTIC = "MAC does not verify with the given key"

_KEYS = {TopicKind.STATE: STATE_KEYS, TopicKind.STATUS: STATUS_KEYS,
         TopicKind.RESULT: RESULT_KEYS}


class Restamper:
    """Re-seals recorded vehicle messages as one new session; a Player's `restamp` hook.

    Called as `restamper(record, topic)` just before the player publishes `record` on `topic`
    (its topic after any rename), it returns the payload to publish. Not thread-safe: one player.
    """

    def __init__(self, key: CommandKey, codec: Codec | None = None, epoch: int | None = None,
                 clock_us: Callable[[], int] = now_us) -> None:
        self.key = key
        self.schema_version = (codec or Codec()).schema_version
        self.epoch = epoch or session_epoch()
        self.clock_us = clock_us
        self._seq = itertools.count(1)
        self._sealers: dict[str, Sealer] = {}
        self.restamped = 0
        self.as_recorded: Counter[str] = Counter()  # reason -> messages sent as recorded

    def __call__(self, record: Record, topic: str) -> bytes:
        payload, reason = self.restamp(record.topic, topic, record.payload)
        if reason is None:
            self.restamped += 1
        else:
            self.as_recorded[reason] += 1
        return payload

    def restamp(self, recorded_topic: str, topic: str, payload: bytes) -> tuple[bytes, str | None]:
        """(payload to send, None) when re-sealed; (the recorded payload, why) otherwise."""
        try:
            source, target = parse_topic(recorded_topic), parse_topic(topic)
        except DecodeError:
            return payload, NOT_VEHICLE
        keys = _KEYS.get(source.kind)
        if keys is None or target.kind is not source.kind or (
                source.kind is TopicKind.STATE and not source.name):
            return payload, NOT_VEHICLE
        if not payload:
            return payload, EMPTY
        channel = f"state/{source.name}" if source.kind is TopicKind.STATE else source.kind.value
        try:
            data = unpack(payload, MAC_LEN, allow_invalid=source.kind is TopicKind.STATE)
            if data.keys() != keys or type(data["v"]) is not int or \
                    data["v"] != self.schema_version:
                return payload, NOT_V2
            body = _body(source.kind, data)
        except (DecodeError, TypeError, ValueError):
            return payload, NOT_V2
        if not self._sealer(source.vehicle).verify(data["mac"], channel, data["ep"], data["seq"],
                                                   data["ts"], body):
            return payload, NOT_AUTHENTIC
        data["ep"], data["seq"], data["ts"] = self.epoch, next(self._seq), self.clock_us()
        if source.kind is TopicKind.STATUS:
            data["will"] = 0  # the recorded connection's will is not this session's
            body = _body(source.kind, data)
        data["mac"] = self._sealer(target.vehicle).mac(channel, data["ep"], data["seq"],
                                                       data["ts"], body)
        return msgpack.packb(data, use_bin_type=True), None

    def _sealer(self, vehicle: str) -> Sealer:
        sealer = self._sealers.get(vehicle)
        if sealer is None:
            sealer = self._sealers[vehicle] = self.key.sealer(vehicle)
        return sealer

    def summary(self) -> str:
        line = (f"re-sealed {self.restamped} vehicle messages as session epoch {self.epoch}"
                f"{' (development key)' if self.key.development else ''}")
        if self.as_recorded:
            reasons = "; ".join(f"{count} {reason}" for reason, count in
                                self.as_recorded.most_common())
            line += f"; sent as recorded: {reasons}"
        return line


def _body(kind: TopicKind, data: dict[str, Any]) -> Any:
    """What the MAC covers besides the header, as protocols.seal defines it."""
    if kind is TopicKind.STATE:
        if not isinstance(data["sig"], dict):
            raise ValueError("sig is not a map")
        return frame_body(data["sig"])
    if kind is TopicKind.STATUS:
        return [data["online"], data["will"]]
    return result_body(data["rid"], data["cmd"], data["status"], data["reason"], data["text"])
