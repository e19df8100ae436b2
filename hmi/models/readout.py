"""View-model building blocks: a figure ready to show, a text derived from several signals,
and a telltale.

A `Readout` turns one signal's state into text, unit, availability and age, so .kv files only
bind (`text: root.models.drive.speed.text`). A `DerivedText` does the same for a text computed
from several signals (a door summary, a seat's belt state, a program's effects): it is live only
while every signal it was computed from is. Neither ever shows an old value as live: a fast
figure shows "--"; a slow one (keep_last) may keep its last value, dimmed, with its age.

Both report the same keys (READOUT_KEYS) in the same vocabulary (READOUT_STATES): the display
report (hmi/report.py, PROTOCOL.md §10) is built from them. Beside the shown `text` (in the
driver's language and units) each reports what a test can assert in any language: the `value`
behind the text as the HMI holds it (SI, as in the catalogue) and, for an enum or a derived
text chosen from a vocabulary, its `key`.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, ObjectProperty, StringProperty

from ..formatting import NOT_AVAILABLE, Shown, age
from ..i18n import N_, tr
from ..signals import Availability, SignalState
from ..units import UnitPreferences

Formatter = Callable[[Any, UnitPreferences], Shown]

# The report's word for each availability (PROTOCOL.md §10 lists exactly these).
REPORT_STATE: dict[Availability, str] = {
    Availability.FRESH: "fresh",
    Availability.STALE: "stale",
    Availability.NOT_AVAILABLE: "unavailable",
    Availability.INVALID: "invalid",
    Availability.NEVER: "never",
}
# What a signal the source marks invalid shows where its figure stands (in amber, no unit).
INVALID_TEXT = N_("Invalid")
READOUT_STATES = tuple(REPORT_STATE.values())
READOUT_KEYS = ("signal", "text", "unit", "value", "key", "stale", "state", "age", "screen")
STATUS_BAR = "status_bar"   # `screen` of a figure in the status bar, shown above every screen
# Which availability a text computed from several signals takes when not all are fresh: a
# signal marked invalid (a fault) says so first, then a value that went old, then a source
# without a value, then nothing received.
_PRECEDENCE = (Availability.INVALID, Availability.STALE, Availability.NOT_AVAILABLE,
               Availability.NEVER)


def kept_value(signal: SignalState, keep_last: bool = True) -> Any:
    """The one rule for what a figure shows of a signal, number, bar or gauge alike: the live
    value; a stale one only for a slow figure (`keep_last`: then dimmed, with its age); else
    None (not available, invalid, never received)."""
    if signal.fresh or (keep_last and signal.availability is Availability.STALE):
        return signal.value
    return None


def combined(states: Iterable[SignalState]) -> Availability:
    """Fresh only if every one of `states` is fresh (an empty list is never received)."""
    seen = {state.availability for state in states}
    if seen == {Availability.FRESH}:
        return Availability.FRESH
    return next((a for a in _PRECEDENCE if a in seen), Availability.NEVER)


class Readout(EventDispatcher):
    """One figure on screen, fed by one signal, shown on `screen`."""

    text = StringProperty(NOT_AVAILABLE)
    unit = StringProperty("")
    available = BooleanProperty(False)
    state = StringProperty(REPORT_STATE[Availability.NEVER])
    age_text = StringProperty("")
    value = ObjectProperty(None, allownone=True)  # live SI value for canvas widgets, else None
    invalid = BooleanProperty(False)  # the source marks the signal wrong: shown as a fault

    def __init__(self, name: str, signal: str, formatter: Formatter, default: Any,
                 keep_last: bool = False, screen: str = "", enum: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.name = name
        self.signal = signal
        self.formatter = formatter
        self.default = default   # only to know the unit of a figure with no value
        self.keep_last = keep_last
        self.screen = screen
        self.enum = enum         # an enum signal: its value is also the report's `key`
        # The value behind `text` (live, or kept dimmed by keep_last); None while it shows "--".
        self.shown_value: Any = None

    @property
    def signals(self) -> tuple[str, ...]:
        return (self.signal,)

    def show(self, signal: SignalState, units: UnitPreferences) -> None:
        """Present `signal` in `units`."""
        self.state = REPORT_STATE[signal.availability]
        self.invalid = signal.availability is Availability.INVALID
        if signal.fresh:
            shown = self.formatter(signal.value, units)
            self.text, self.unit = shown.text, shown.unit
            self.available, self.age_text, self.value = True, "", signal.value
            self.shown_value = signal.value
            return
        self.available, self.value = False, None
        self.unit = self.formatter(self.default, units).unit
        self.shown_value = kept_value(signal, self.keep_last)
        if self.shown_value is not None:
            self.text = self.formatter(self.shown_value, units).text
            self.age_text = age(signal.age_s or 0.0)
        else:
            self.text = tr(INVALID_TEXT) if self.invalid else NOT_AVAILABLE
            self.age_text = ""

    def snapshot(self) -> dict[str, Any]:
        return {"signal": self.signal, "text": self.text, "unit": self.unit,
                "value": self.shown_value, "key": self.shown_value if self.enum else None,
                "stale": not self.available, "state": self.state, "age": self.age_text,
                "screen": self.screen}


class DerivedText(EventDispatcher):
    """A text computed from several signals, shown on `screen`; reported like a Readout under
    its main `signal`. It shows NOT_AVAILABLE unless every signal it was computed from is
    fresh, so a derivation can never turn a missing value into a default ("Not fitted",
    "All closed") that looks live. It has no single value (the report's `value` is None); its
    `key` is the vocabulary word the text was chosen by, where there is one (a seat's
    "belted"), else None."""

    text = StringProperty(NOT_AVAILABLE)
    unit = StringProperty("")
    available = BooleanProperty(False)
    state = StringProperty(REPORT_STATE[Availability.NEVER])
    age_text = StringProperty("")   # only a kept text (keep_last) has an age
    colour = StringProperty("dim")  # a role name (theme.role), dim unless live
    invalid = BooleanProperty(False)

    def __init__(self, name: str, signals: Iterable[str], screen: str, keep_last: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.name = name
        self.signals = tuple(signals)
        self.signal = self.signals[0]
        self.screen = screen
        self.keep_last = keep_last  # a text of slow figures, kept dimmed as a Readout keeps one
        self.key: str | None = None

    def show(self, text: str, used: Iterable[SignalState], colour: str = "text",
             unit: str = "", key: str | None = None) -> None:
        """Show `text` if every signal in `used` (those the text was computed from) is fresh;
        `key` names it in a language-independent word for the report (None: no such word).
        With keep_last, a text computed from kept values (kept_value) stays, dimmed, with the
        age of the oldest, while none of `used` lacks a value."""
        used = list(used)
        availability = combined(used)
        self.state = REPORT_STATE[availability]
        self.available = availability is Availability.FRESH
        self.invalid = availability is Availability.INVALID
        self.unit = unit
        kept = self.keep_last and availability is Availability.STALE and all(
            kept_value(state) is not None for state in used)
        if self.available or kept:
            self.text, self.colour, self.key = text, colour if self.available else "dim", key
            self.age_text = "" if self.available else age(max(s.age_s or 0.0 for s in used))
        else:
            self.text = tr(INVALID_TEXT) if self.invalid else NOT_AVAILABLE
            self.colour = "amber" if self.invalid else "dim"
            self.key, self.age_text = None, ""

    def snapshot(self) -> dict[str, Any]:
        return {"signal": self.signal, "text": self.text, "unit": self.unit,
                "value": None, "key": self.key,
                "stale": not self.available, "state": self.state, "age": self.age_text,
                "screen": self.screen}


class Telltale(EventDispatcher):
    """A warning or status lamp; `colour` is a role (red, amber, green, blue), not RGB."""

    visible = BooleanProperty(False)
    label = StringProperty("")
    colour = StringProperty("amber")

    def __init__(self, name: str, msgid: str, colour: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.name = name
        self.msgid = msgid   # English text; `label` is it in the current language
        self.colour = colour
        self.relabel()

    def relabel(self) -> None:
        """Show the label in the current language (the model calls this on every derive)."""
        self.label = tr(self.msgid)

    def snapshot(self) -> dict[str, Any]:
        return {"name": self.name, "label": self.label, "colour": self.colour}
