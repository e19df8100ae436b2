"""The messages that travel on the bus, as plain immutable values."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum

from .catalogue import Value


class ResultStatus(StrEnum):
    ACCEPTED = "accepted"
    REJECTED = "rejected"
    COMPLETED = "completed"


@dataclass(frozen=True, slots=True)
class StateFrame:
    """Latest values of some signals of one frame; None means the source has no value now."""

    frame: str
    seq: int
    ts_us: int
    values: Mapping[str, Value | None] = field(default_factory=dict)
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
