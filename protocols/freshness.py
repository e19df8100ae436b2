"""Freshness: publisher sessions (epochs) and the receiver's order over (epoch, seq).

A publisher numbers its messages with `seq` within a session, and each session has an epoch
that rises across restarts. A receiver orders every topic by (epoch, seq), status included, and
never applies anything at or below what it applied: not after a status, not after its own
reconnect, not from an earlier session. Since both fields are covered by the vehicle's MAC
(`protocols.seal`), only the key holder can move the order forward.

Epoch rule: the publisher's wall clock in microseconds when the session starts, raised to one
above the last epoch stored in an epoch file when one is given (`--epoch-file`,
$EMA_EPOCH_FILE). With the file the epoch rises across restarts even if the clock was stepped
back. Without it a clock stepped back by more than the time the publisher was down gives the
new session a lower epoch, which receivers that saw the old one refuse as "earlier session"
until they restart: vehicles without a trustworthy clock must keep an epoch file.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from dataclasses import dataclass, field

ENV_EPOCH_FILE = "EMA_EPOCH_FILE"
ENV_CLOCK_TOLERANCE = "EMA_CLOCK_TOLERANCE_S"
DUPLICATE = ""  # the message last applied on its topic, again (a retained copy after a reconnect)
DEFAULT_CLOCK_TOLERANCE_S = 2.0


def add_clock_tolerance_argument(parser: argparse.ArgumentParser) -> None:
    """`--clock-tolerance-s` for a receiver: how far a live frame's `ts` may be from our clock
    (both clocks set by NTP are within milliseconds; the default leaves room for a bench)."""
    default = float(os.environ.get(ENV_CLOCK_TOLERANCE, DEFAULT_CLOCK_TOLERANCE_S))
    parser.add_argument("--clock-tolerance-s", type=float, default=default, metavar="S",
                        help=f"refuse live frames whose timestamp is more than S seconds from "
                             f"this clock (or ${ENV_CLOCK_TOLERANCE}; default "
                             f"{DEFAULT_CLOCK_TOLERANCE_S:g})")


def _now_us() -> int:
    return time.time_ns() // 1000


def session_epoch(path: str | None = None, clock_us: int | None = None) -> int:
    """A new session's epoch: the clock, or one above the stored epoch if that is higher.

    With `path` the new epoch is written back (atomically: a crash leaves the old or the new
    value, never half a file) before it is used, so no two sessions share an epoch."""
    epoch = max(1, _now_us() if clock_us is None else clock_us)
    if not path:
        return epoch
    try:
        with open(path, encoding="ascii") as handle:
            epoch = max(epoch, int(handle.read().strip() or 0) + 1)
    except FileNotFoundError:
        pass
    except ValueError as error:
        raise ValueError(f"epoch file {path} does not hold an integer: {error}") from None
    directory = os.path.dirname(os.path.abspath(path))
    os.makedirs(directory, exist_ok=True)
    handle_fd, temporary = tempfile.mkstemp(dir=directory, prefix=".epoch-")
    with os.fdopen(handle_fd, "w", encoding="ascii") as handle:
        handle.write(f"{epoch}\n")
        handle.flush()
        os.fsync(handle.fileno())
    os.replace(temporary, path)
    return epoch


def epoch_from_environment(path: str | None = None) -> int:
    return session_epoch(path or os.environ.get(ENV_EPOCH_FILE))


@dataclass(slots=True)
class OrderGate:
    """The receiver's order over (epoch, seq) for frames and the status; never reset.

    `epoch` is the newest session seen. A frame is admitted only if it is newer than the last
    one admitted on its topic and not from an older session. A status is admitted if newer than
    the last status. An older one is admitted only if it is the will that the latest online
    status named (`will_seq`): the will is composed at connect, so it is numbered below the
    online status sent on that connection, and the online status says which seq its will has.
    An earlier connection's or session's will is refused.
    `admit_*` return None when admitted, DUPLICATE for the message last applied on that topic
    (applied again it would change nothing, and a reconnect brings every retained copy again),
    else the reason for the refusal.
    """

    clock_tolerance_us: int = int(DEFAULT_CLOCK_TOLERANCE_S * 1e6)
    epoch: int = 0
    _frames: dict[str, tuple[int, int]] = field(default_factory=dict)
    _status: tuple[int, int] = (0, 0)
    _will: tuple[int, int] | None = None  # (epoch, seq) of the current connection's will

    def admit_frame(self, topic: str, epoch: int, seq: int, ts_us: int,
                    now_us: int) -> str | None:
        """A frame from further in the future than the clock tolerance is refused: the clocks
        disagree, and no age can be given to it. One from the past beyond the tolerance (a
        retained copy, a backlog, a recording) is admitted, and the receiver dates its values
        from `ts`, not from their arrival, so it is never shown as live (SignalStore.put_frame).
        """
        if epoch < self.epoch:
            return f"{topic}: from an earlier session (epoch {epoch} < {self.epoch})"
        last = self._frames.get(topic)
        if last == (epoch, seq):
            return DUPLICATE
        if last is not None and (epoch, seq) < last:
            return f"{topic}: out of order (seq {seq} not above {last[1]})"
        offset_us = ts_us - now_us
        if offset_us > self.clock_tolerance_us:
            return (f"{topic}: timestamp {offset_us / 1e6:.1f} s ahead of our clock "
                    f"(tolerance {self.clock_tolerance_us / 1e6:g} s)")
        self._frames[topic] = (epoch, seq)
        self.epoch = epoch
        return None

    def admit_status(self, online: bool, epoch: int, seq: int, will_seq: int = 0) -> str | None:
        if epoch < self.epoch:
            return f"status: from an earlier session (epoch {epoch} < {self.epoch})"
        if (epoch, seq) == self._status:
            return DUPLICATE
        if (epoch, seq) > self._status:
            if online:
                self._will = (epoch, will_seq) if will_seq else None
            self._status = (epoch, seq)
            self.epoch = epoch
            return None
        if not online and (epoch, seq) == self._will:
            return None  # the current connection's will
        return f"status: out of order (seq {seq} not above {self._status[1]})"

    def last_frame(self, topic: str) -> tuple[int, int] | None:
        return self._frames.get(topic)
