"""View-model building blocks: a figure ready to show, and a telltale.

A `Readout` turns one signal's state into text, unit, availability and age, so .kv files only
bind (`text: root.models.drive.speed.text`). Stale or unavailable values never keep their
number as if live: they show "--", or for slow-moving figures the last value with its age
and `available` false (the widget dims it).
"""

from __future__ import annotations

from typing import Any, Callable

from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from ..formatting import NOT_AVAILABLE, Shown, age
from ..signals import Availability, SignalState
from ..units import UnitPreferences

Formatter = Callable[[Any, UnitPreferences], Shown]


class Readout(EventDispatcher):
    """One figure on screen, fed by one signal."""

    text = StringProperty(NOT_AVAILABLE)
    unit = StringProperty("")
    available = BooleanProperty(False)
    state = StringProperty(Availability.NEVER.value)
    age_text = StringProperty("")
    value = ObjectProperty(None, allownone=True)  # live SI value for canvas widgets, else None

    def __init__(self, name: str, signal: str, formatter: Formatter, default: Any,
                 keep_last: bool = False, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.name = name
        self.signal = signal
        self.formatter = formatter
        self.default = default
        self.keep_last = keep_last

    def show(self, signal: SignalState, units: UnitPreferences) -> None:
        """Present `signal` in `units`."""
        self.state = signal.availability.value
        if signal.fresh:
            shown = self.formatter(signal.value, units)
            self.text, self.unit = shown.text, shown.unit
            self.available, self.age_text, self.value = True, "", signal.value
            return
        self.available, self.value = False, None
        self.unit = self.formatter(self.default, units).unit
        if signal.availability is Availability.STALE and self.keep_last:
            self.text = self.formatter(signal.value, units).text
            self.age_text = age(signal.age_s or 0.0)
        else:
            self.text, self.age_text = NOT_AVAILABLE, ""

    def snapshot(self) -> dict[str, Any]:
        return {"signal": self.signal, "text": self.text, "unit": self.unit,
                "stale": not self.available, "state": self.state, "age": self.age_text}


class Telltale(EventDispatcher):
    """A warning or status lamp; `colour` is a role (red, amber, green, blue), not RGB."""

    visible = BooleanProperty(False)
    label = StringProperty("")
    colour = StringProperty("amber")

    def __init__(self, name: str, label: str, colour: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.name = name
        self.label = label
        self.colour = colour

    def snapshot(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, "colour": self.colour}
