"""Scenario events: what a segment makes happen (requests, charger, doors...), and their parsing.

An event carries its parameters as given in the file; apply() hands them to the Vehicle's
commands, whose Decision the runner logs.  The value checks here are shared with the
segment and scenario parsing in scenario.py.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from .chassis import Seat
from .commands import coerce_enum
from .rules import Decision, refuse
from .terrain import TerrainProgram
from .trace import ScenarioError
from .vehicle import Vehicle


def expect_bool(value: Any, where: str) -> bool:
    """The value if it is a TOML boolean; else a ScenarioError saying where."""
    if not isinstance(value, bool):
        raise ScenarioError(f"{where}: expected true/false, got {value!r}")
    return value


def expect_float(value: Any, where: str) -> float:
    """The value as a float if it is a TOML number (not a boolean); else a ScenarioError."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ScenarioError(f"{where}: expected a number, got {value!r}")
    return float(value)


EVENT_FIELDS: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    # type: (required fields, optional fields)
    "program": (("program",), ()),
    "locker": (("axle", "engage"), ()),
    "ride_height": (("level",), ()),
    "charger_connect": (("charger",), ("max_power_kw",)),
    "charger_disconnect": ((), ()),
    "charge_limit": (("pct",), ()),
    "door": (("door", "open"), ()),
    "tailgate": (("open",), ()),
    "occupant": (("seat", "present"), ()),
    "belt": (("seat", "fastened"), ()),
    "ready": (("on",), ()),
    "reset_trip": ((), ()),
}


@dataclass(frozen=True)
class ScenarioEvent:
    """Something that happens at_s seconds into a segment.

    expect: "accepted" or "refused" when the scenario deliberately shows a
    refusal; checked by the tests, shown in the runner's event log.
    """

    type: str
    params: tuple[tuple[str, Any], ...] = ()
    at_s: float = 0.0
    expect: str = "accepted"

    def param(self, name: str, default: Any = None) -> Any:
        """Value of a parameter."""
        for key, value in self.params:
            if key == name:
                return value
        return default

    def apply(self, vehicle: Vehicle) -> Decision:
        """Carry the event out on a vehicle."""
        p = self.param
        handlers: dict[str, Callable[[], Decision]] = {
            "program": lambda: vehicle.request_terrain_program(p("program")),
            "locker": lambda: vehicle.request_locker(p("axle"), p("engage")),
            "ride_height": lambda: vehicle.request_ride_height(p("level")),
            "charger_connect": lambda: vehicle.connect_charger(
                p("charger"), None if p("max_power_kw") is None else p("max_power_kw") * 1e3
            ),
            "charger_disconnect": vehicle.disconnect_charger,
            "charge_limit": lambda: vehicle.set_charge_limit_pct(p("pct")),
            "door": lambda: vehicle.set_door(p("door"), p("open")),
            "tailgate": lambda: vehicle.set_tailgate(p("open")),
            "occupant": lambda: vehicle.set_occupant(p("seat"), p("present")),
            "belt": lambda: vehicle.set_belt(p("seat"), p("fastened")),
            "ready": lambda: vehicle.set_ready(p("on")),
            "reset_trip": vehicle.reset_trip,
        }
        handler = handlers.get(self.type)
        if handler is None:
            return refuse("unknown_event", f"Unknown event type {self.type!r}.")
        return handler()


def parse_event(raw: Any, where: str) -> ScenarioEvent:
    """One [[segments.events]] table, checked against EVENT_FIELDS."""
    if not isinstance(raw, dict):
        raise ScenarioError(f"{where}: an event must be a table")
    data = dict(raw)
    kind = data.pop("type", None)
    if kind not in EVENT_FIELDS:
        raise ScenarioError(
            f"{where}: unknown event type {kind!r} (known: {', '.join(EVENT_FIELDS)})"
        )
    at_s = expect_float(data.pop("at_s", 0.0), f"{where}.at_s")
    expect = data.pop("expect", "accepted")
    if expect not in ("accepted", "refused"):
        raise ScenarioError(f"{where}: expect must be 'accepted' or 'refused'")
    required, optional = EVENT_FIELDS[kind]
    for name in required:
        if name not in data:
            raise ScenarioError(f"{where}: event {kind!r} needs {name!r}")
    unknown = set(data) - set(required) - set(optional)
    if unknown:
        raise ScenarioError(f"{where}: unknown field(s) {sorted(unknown)} for event {kind!r}")
    enum_checks = {
        "program": TerrainProgram,
        "seat": Seat,
    }
    for name, enum_cls in enum_checks.items():
        if name in data and coerce_enum(enum_cls, data[name]) is None:
            raise ScenarioError(f"{where}: unknown {name} {data[name]!r}")
    return ScenarioEvent(kind, tuple(sorted(data.items())), at_s, expect)
