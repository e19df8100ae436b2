"""Common shape of the domain view-models: readouts, derived texts and other ready-to-show
properties. Each readout and derived text names the screen that shows it, so the display
report can say where every figure is (PROTOCOL.md §10)."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from kivy.event import EventDispatcher

from protocols import Catalogue
from protocols.catalogue import DataType

from ..signals import SignalTable
from ..units import UnitPreferences
from .readout import DerivedText, Formatter, Readout


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
        self.texts: dict[str, DerivedText] = {}
        self._extra_signals: set[str] = set()
        self._signals: frozenset[str] | None = None

    def readout(self, name: str, signal: str, formatter: Formatter, *, screen: str,
                keep_last: bool = False) -> Readout:
        """A figure fed by `signal`, shown on `screen` (a screen name or STATUS_BAR)."""
        spec = self.catalogue.signal(signal)
        readout = Readout(f"{self.name}.{name}", signal, formatter, spec.default, keep_last,
                          screen, enum=spec.type is DataType.ENUM)
        self.readouts[name] = readout
        self._signals = None
        return readout

    def derived(self, name: str, signals: Iterable[str], *, screen: str,
                keep_last: bool = False) -> DerivedText:
        """A text computed in `derive` from `signals` (the first is the one it reports)."""
        text = DerivedText(f"{self.name}.{name}", signals, screen, keep_last)
        self.uses(*text.signals)
        self.texts[name] = text
        return text

    @property
    def figures(self) -> list[Readout | DerivedText]:
        """Everything this model puts on screen as a figure or text, in report order."""
        return [*self.readouts.values(), *self.texts.values()]

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
        return {figure.name: figure.snapshot() for figure in self.figures}


def clamp(value: float, low: float = -1.0, high: float = 1.0) -> float:
    return max(low, min(high, value))
