"""MQTT topic layout: one versioned namespace per vehicle.

    ema/v1/{vehicle}/state/{frame}    vehicle -> HMI, retained, msgpack state frame
    ema/v1/{vehicle}/status           vehicle -> all, retained, online flag (the will sets it false)
    ema/v1/{vehicle}/cmd/{command}    HMI -> vehicle, QoS 1, not retained
    ema/v1/{vehicle}/result           vehicle -> HMI, QoS 1, not retained
    ema/v1/{vehicle}/hmi/{channel}    HMI diagnostics (what the screen shows, screenshots)
    ema/v1/{vehicle}/sim/{command}    designer/test tools -> simulator, QoS 1 (never the HMI)
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from enum import StrEnum

from .errors import DecodeError

ROOT = "ema/v1"
DEFAULT_VEHICLE_ID = "ema-01"
VEHICLE_ID_PATTERN = re.compile(r"^[A-Za-z0-9_-]{1,32}$")
NAME_PATTERN = re.compile(r"^[a-z][a-z0-9_]{0,31}$")
MAX_TOPIC_LENGTH = 128


class TopicKind(StrEnum):
    STATE = "state"
    STATUS = "status"
    COMMAND = "cmd"
    RESULT = "result"
    HMI = "hmi"
    SIM = "sim"


@dataclass(frozen=True, slots=True)
class ParsedTopic:
    vehicle: str
    kind: TopicKind
    name: str | None = None


def check_vehicle_id(vehicle: str) -> str:
    if not VEHICLE_ID_PATTERN.match(vehicle):
        raise ValueError(f"vehicle id {vehicle!r} must be 1-32 of A-Z a-z 0-9 _ -")
    return vehicle


@dataclass(frozen=True, slots=True)
class VehicleTopics:
    """The topics of one vehicle; the single place where topic strings are built."""

    vehicle: str = DEFAULT_VEHICLE_ID

    def __post_init__(self) -> None:
        check_vehicle_id(self.vehicle)

    @property
    def base(self) -> str:
        return f"{ROOT}/{self.vehicle}"

    def state(self, frame: str) -> str:
        return f"{self.base}/state/{frame}"

    @property
    def state_filter(self) -> str:
        return f"{self.base}/state/+"

    @property
    def status(self) -> str:
        return f"{self.base}/status"

    def command(self, name: str) -> str:
        return f"{self.base}/cmd/{name}"

    @property
    def command_filter(self) -> str:
        return f"{self.base}/cmd/+"

    @property
    def result(self) -> str:
        return f"{self.base}/result"

    def sim(self, command: str) -> str:
        return f"{self.base}/sim/{command}"

    @property
    def sim_filter(self) -> str:
        return f"{self.base}/sim/+"

    def hmi(self, channel: str) -> str:
        return f"{self.base}/hmi/{channel}"

    @property
    def everything(self) -> str:
        return f"{self.base}/#"


def parse_topic(topic: str) -> ParsedTopic:
    """Split a topic of our namespace into its parts, or raise DecodeError."""
    if len(topic) > MAX_TOPIC_LENGTH:
        raise DecodeError(f"topic longer than {MAX_TOPIC_LENGTH} characters")
    parts = topic.split("/")
    if len(parts) < 4 or f"{parts[0]}/{parts[1]}" != ROOT:
        raise DecodeError(f"topic {topic!r} is not under {ROOT}/")
    vehicle, kind_text, rest = parts[2], parts[3], parts[4:]
    if not VEHICLE_ID_PATTERN.match(vehicle):
        raise DecodeError(f"topic {topic!r} has an invalid vehicle id")
    try:
        kind = TopicKind(kind_text)
    except ValueError:
        raise DecodeError(f"topic {topic!r} has unknown kind {kind_text!r}") from None
    named = kind in (TopicKind.STATE, TopicKind.COMMAND, TopicKind.HMI, TopicKind.SIM)
    if named != (len(rest) == 1) or (named and not NAME_PATTERN.match(rest[0])):
        raise DecodeError(f"topic {topic!r} does not fit the {kind.value} layout")
    return ParsedTopic(vehicle, kind, rest[0] if named else None)


def topic_matches(topic_filter: str, topic: str) -> bool:
    """MQTT filter matching (+ one level, # the rest), as brokers do it."""
    filter_parts = topic_filter.split("/")
    topic_parts = topic.split("/")
    for index, part in enumerate(filter_parts):
        if part == "#":
            return not topic_parts[0].startswith("$") or index > 0
        if index >= len(topic_parts):
            return False
        if part == "+":
            if index == 0 and topic_parts[0].startswith("$"):
                return False
            continue
        if part != topic_parts[index]:
            return False
    return len(filter_parts) == len(topic_parts)
