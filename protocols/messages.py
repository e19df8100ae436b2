"""The messages that travel on the bus, as plain immutable values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import Enum, StrEnum
from typing import Literal

from .catalogue import Value


class Invalid(Enum):
    """A signal the source has, but whose value it marks as wrong (a sensor out of its range, a
    failed plausibility check): KUKSA's INVALID_VALUE, a DBC signal's SNA. Not the same as
    None ("not available": the source has no value now); on the wire a msgpack ext (§3)."""

    INVALID = "invalid"

    def __repr__(self) -> str:
        return "INVALID"


INVALID: Literal[Invalid.INVALID] = Invalid.INVALID
FrameValue = Value | Invalid | None   # what one signal of a state frame carries


class ResultStatus(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    COMPLETED = "completed"


@dataclass(frozen=True, slots=True)
class StateFrame:
    """Latest values of some signals of one frame; None means the source has no value now,
    INVALID that it has one it knows to be wrong."""

    frame: str
    seq: int
    ts_us: int
    values: Mapping[str, FrameValue] = field(default_factory=dict)
    epoch: int = 0              # the publisher's session (protocols.freshness); orders before seq


@dataclass(frozen=True, slots=True)
class Command:
    """A request from the HMI to the vehicle; `rid` ties it to its results."""

    name: str
    rid: str
    args: Mapping[str, Value] = field(default_factory=dict)
    seq: int = 0
    ts_us: int = 0
    ctr: int = 0                # authentication counter, rising per sender (protocols.auth)
    mac: bytes | None = None    # HMAC over vehicle, name, rid, ctr, args; None = unsigned


@dataclass(frozen=True, slots=True)
class CommandResult:
    """The vehicle's answer to a command: accepted, rejected (with a reason code) or completed."""

    rid: str
    command: str
    status: ResultStatus
    reason: str | None = None
    text: str = ""
    seq: int = 0
    ts_us: int = 0
    epoch: int = 0


@dataclass(frozen=True, slots=True)
class VehicleStatus:
    """Whether the vehicle's publisher is online (retained; the MQTT will says offline)."""

    online: bool
    seq: int = 0
    ts_us: int = 0
    epoch: int = 0
    will_seq: int = 0  # the seq of the will of the connection it was sent on (0: none)
