"""The main thread's view of every signal: last value, when it came, and whether it is live.

Staleness is judged per signal from its receive time (time.monotonic) against the catalogue's
`stale_after_s`; a None value from the source means "not available" and is never shown as a
number; INVALID means the source has the signal but marks its value wrong (a sensor out of its
range), shown as invalid where the signal stands while the rest of its frame stays live. A
vehicle that announced itself offline makes every value stale at once: its retained
frames are a memory, not a measurement.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import cast

from protocols import INVALID, Catalogue
from protocols.catalogue import DataType, Value

from .store import Sample


class Availability(StrEnum):
    FRESH = "fresh"                  # a live value
    STALE = "stale"                  # had a value, but it is older than the stale timeout
    NOT_AVAILABLE = "not_available"  # the source says it has no value (None in the frame)
    INVALID = "invalid"              # the source marks its value wrong (live, but no number)
    NEVER = "never"                  # nothing received yet


@dataclass(frozen=True, slots=True)
class SignalState:
    """One signal as the screen should treat it now."""

    availability: Availability
    value: Value | None = None   # the last value received (even if stale)
    age_s: float | None = None   # seconds since it arrived

    @property
    def fresh(self) -> bool:
        return self.availability is Availability.FRESH

    @property
    def live(self) -> Value | None:
        """The value if it may be shown as live, else None."""
        return self.value if self.availability is Availability.FRESH else None


NEVER_RECEIVED = SignalState(Availability.NEVER)


class SignalTable:
    """Latest sample per signal plus its freshness, updated by the frame applier."""

    def __init__(self, catalogue: Catalogue) -> None:
        self.catalogue = catalogue
        self._samples: dict[str, Sample] = {}
        self._fresh: dict[str, bool] = {}
        self._stale_after = {path: spec.stale_after_s for path, spec in catalogue.signals.items()}
        self._types = {path: spec.type for path, spec in catalogue.signals.items()}
        # Signals of the frames sent at their rate: what the vehicle measures. An on-change
        # frame (the configuration) holds facts about the car that a slow heartbeat repeats.
        self._measured = {path for path, spec in catalogue.signals.items()
                          if not catalogue.frames[spec.frame].on_change}
        self._now_s = 0.0
        self._wall_s: float | None = None
        self.vehicle_offline = False
        self.next_flip_s = float("inf")

    def apply(self, samples: Mapping[str, Sample]) -> None:
        self._samples.update(samples)

    def refresh(self, now_s: float, wall_s: float | None = None) -> set[str]:
        """Recompute freshness at `now_s` (monotonic); return the signals whose freshness
        flipped, and note in `next_flip_s` when the next live one goes stale. `wall_s` (Unix
        time) lets ages count from the frame's own timestamp, so a retained value from hours
        ago does not claim to be seconds old."""
        self._now_s = now_s
        self._wall_s = wall_s
        flipped: set[str] = set()
        next_flip_s = float("inf")
        for path, sample in self._samples.items():
            stale_at_s = sample.received_s + self._stale_after[path]
            fresh = not self.vehicle_offline and now_s <= stale_at_s
            if fresh and stale_at_s < next_flip_s:
                next_flip_s = stale_at_s
            if self._fresh.get(path) != fresh:
                self._fresh[path] = fresh
                flipped.add(path)
        self.next_flip_s = next_flip_s
        return flipped

    def state(self, path: str) -> SignalState:
        sample = self._samples.get(path)
        if sample is None:
            return NEVER_RECEIVED
        age = max(0.0, self._now_s - sample.received_s)
        if self._wall_s is not None and sample.ts_us > 0:
            age = max(age, self._wall_s - sample.ts_us / 1e6)
        value = sample.value
        if not self._fresh.get(path, False):
            if value is None or value is INVALID:  # old news of no value: still no value
                return SignalState(Availability.NOT_AVAILABLE, None, age)
            return SignalState(Availability.STALE, value, age)
        if value is None:
            return SignalState(Availability.NOT_AVAILABLE, None, age)
        if value is INVALID:
            return SignalState(Availability.INVALID, None, age)
        return SignalState(Availability.FRESH, value, age)

    def received_at(self, path: str) -> float | None:
        """When the last value of `path` arrived (time.monotonic), or None."""
        sample = self._samples.get(path)
        return sample.received_s if sample else None

    # The typed accessors: the value if live, else None (not available, stale, never received).
    # Each names the type it returns and checks it against the catalogue, so a model that reads
    # a signal as the wrong type fails at once instead of comparing a str with a float.
    def live_float(self, path: str) -> float | None:
        return cast("float | None", self._live(path, DataType.FLOAT))

    def live_int(self, path: str) -> int | None:
        return cast("int | None", self._live(path, DataType.INT))

    def live_bool(self, path: str) -> bool | None:
        return cast("bool | None", self._live(path, DataType.BOOL))

    def live_str(self, path: str) -> str | None:
        """An enum signal's live value: the name of its choice."""
        return cast("str | None", self._live(path, DataType.ENUM))

    def _live(self, path: str, expected: DataType) -> Value | None:
        # The codec admits only values of the declared type, so checking the declaration
        # is enough to make the cast in the typed accessors true.
        declared = self._types.get(path)
        if declared is None:
            raise KeyError(f"unknown signal {path!r}")
        if declared is not expected:
            raise TypeError(f"{path} is declared {declared.value}, read as {expected.value}")
        return self.state(path).live

    def stale_count(self) -> int:
        """Signals that have had a value and are no longer live."""
        return sum(1 for path in self._samples if not self._fresh.get(path, False))

    def any_fresh(self) -> bool:
        """Whether any measurement is live. The configuration does not count: it stays live up
        to 15 s after its last heartbeat, and a vehicle that has gone quiet must not keep the
        "no data" banner away for that long (it is still shown, stale, like any signal)."""
        return any(fresh for path, fresh in self._fresh.items() if path in self._measured)

    def received_paths(self) -> Iterable[str]:
        return self._samples.keys()
