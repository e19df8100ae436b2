"""Common shape of the domain view-models: readouts plus derived, ready-to-show properties."""

from __future__ import annotations

from typing import Any, Iterable

from kivy.event import EventDispatcher

from protocols import Catalogue

from ..signals import SignalTable
from ..units import UnitPreferences
from .readout import Formatter, Readout


class DomainModel(EventDispatcher):
    """A view-model for one domain (drive, energy, ...), updated by the frame applier.

    Subclasses declare readouts in __init__ and compute their other properties in `derive`;
    the applier calls `update` only when one of `signals` changed value or freshness.
    """

    name = "domain"
    uses_commands = False  # True for models that show where a driver's command stands

    def __init__(self, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.catalogue = catalogue
        self.readouts: dict[str, Readout] = {}
        self._extra_signals: set[str] = set()
        self._signals: frozenset[str] | None = None

    def readout(self, name: str, signal: str, formatter: Formatter,
                keep_last: bool = False) -> Readout:
        spec = self.catalogue.signal(signal)
        readout = Readout(f"{self.name}.{name}", signal, formatter, spec.default, keep_last)
        self.readouts[name] = readout
        self._signals = None
        return readout

    def uses(self, *signals: str) -> None:
        """Signals read in `derive` without a readout of their own."""
        for signal in signals:
            self.catalogue.signal(signal)  # fail early on a typo
        self._extra_signals.update(signals)
        self._signals = None

    @property
    def signals(self) -> frozenset[str]:
        """Every signal this model shows or derives from (asked every frame, so cached)."""
        if self._signals is None:
            self._signals = frozenset({r.signal for r in self.readouts.values()}
                                      | self._extra_signals)
        return self._signals

    def update(self, table: SignalTable, units: UnitPreferences, now_s: float) -> None:
        for readout in self.readouts.values():
            readout.show(table.state(readout.signal), units)
        self.derive(table, units, now_s)

    def derive(self, table: SignalTable, units: UnitPreferences, now_s: float) -> None:
        """Compute derived properties; override."""

    def snapshot(self) -> dict[str, Any]:
        return {readout.name: readout.snapshot() for readout in self.readouts.values()}


def clamp(value: float, low: float = -1.0, high: float = 1.0) -> float:
    return max(low, min(high, value))


def all_live(table: SignalTable, signals: Iterable[str]) -> bool:
    return all(table.live(s) is not None for s in signals)
