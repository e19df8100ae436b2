"""The signal catalogue: every signal and command, as data, validated when loaded.

Modelled on cantools' signals and vss-tools' cross-field checks: a `SignalSpec` knows its
type, unit, range, frame, rate and stale timeout, and checks a value against itself.
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cache
from importlib import resources
from pathlib import Path
from typing import Any

from .errors import CatalogueError

PATH_PATTERN = re.compile(r"^Vehicle(\.[A-Z][A-Za-z0-9]*)+$")
MAX_SIGNAL_ID = 0xFFFF
COMMAND_SCOPES = ("vehicle", "sim")


class DataType(StrEnum):
    BOOL = "bool"
    INT = "int"
    FLOAT = "float"
    ENUM = "enum"


Value = bool | int | float | str


@dataclass(frozen=True, slots=True)
class ValueSpec:
    """Type and range of one value: the part of a signal (or command argument) a codec checks."""

    type: DataType
    unit: str | None = None
    min: float | int | None = None
    max: float | int | None = None
    choices: tuple[str, ...] = ()
    enum: str | None = None   # the name of the enum `choices` come from

    def check(self, value: Any) -> Value:
        """Return `value` in its canonical Python form, or raise ValueError saying why.

        Enum values are accepted by name (str, or an Enum member whose name matches).
        """
        if self.type is DataType.BOOL:
            if not isinstance(value, bool):
                raise ValueError(f"expected bool, got {type(value).__name__}")
            return value
        if self.type is DataType.ENUM:
            name = getattr(value, "name", value)
            if not isinstance(name, str):
                raise ValueError(
                    f"expected one of {list(self.choices)}, got {type(value).__name__}")
            if name not in self.choices:
                raise ValueError(f"{name!r} is not one of {list(self.choices)}")
            return name
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            raise ValueError(f"expected {self.type.value}, got {type(value).__name__}")
        number: int | float
        if self.type is DataType.INT:
            if not isinstance(value, int):
                raise ValueError(f"expected int, got {type(value).__name__}")
            number = value
        else:
            if not math.isfinite(value):
                raise ValueError(f"{value!r} is not a finite number")
            number = float(value)
        if self.min is not None and number < self.min:
            raise ValueError(f"{number!r} is below the minimum {self.min!r}")
        if self.max is not None and number > self.max:
            raise ValueError(f"{number!r} is above the maximum {self.max!r}")
        return number

    def to_wire(self, value: Any) -> bool | int | float:
        """Check `value` and give its wire form (enum names become their index)."""
        checked = self.check(value)
        if isinstance(checked, str):  # ENUM is the only type whose checked form is a str
            return self.choices.index(checked)
        return checked

    def from_wire(self, wire: Any) -> Value:
        """Check a decoded wire value and give its Python form (enum index becomes the name)."""
        if self.type is DataType.ENUM:
            if isinstance(wire, bool) or not isinstance(wire, int):
                raise ValueError(f"expected enum index, got {type(wire).__name__}")
            if not 0 <= wire < len(self.choices):
                raise ValueError(f"enum index {wire} outside 0..{len(self.choices) - 1}")
            return self.choices[wire]
        return self.check(wire)


@dataclass(frozen=True, slots=True)
class SignalSpec:
    """One signal: what it is, how it travels, and when its last value stops being true."""

    id: int
    path: str
    frame: str
    value: ValueSpec
    default: Value
    rate_hz: float
    stale_after_s: float
    description: str = ""

    @property
    def type(self) -> DataType:
        return self.value.type

    @property
    def unit(self) -> str | None:
        return self.value.unit


@dataclass(frozen=True, slots=True)
class FrameSpec:
    """A group of signals published together as one message at one rate.

    An `on_change` frame is also published the moment one of its values changes: it holds
    what rarely changes (the car's configuration), so a slow heartbeat keeps it fresh and a
    change still reaches the cabin at once."""

    name: str
    rate_hz: float
    stale_after_s: float
    description: str
    signals: tuple[SignalSpec, ...] = ()
    on_change: bool = False

    @property
    def period_s(self) -> float:
        return 1.0 / self.rate_hz


@dataclass(frozen=True, slots=True)
class CommandSpec:
    """A command with its typed arguments.

    Scope "vehicle": what a driver may ask of the car (sent by the HMI on cmd/). Scope "sim":
    what a designer or test engineer asks of the simulator (sent on sim/, never by the HMI).
    """

    name: str
    description: str
    args: Mapping[str, ValueSpec] = field(default_factory=dict)
    scope: str = "vehicle"


@dataclass(frozen=True)
class Catalogue:
    """All signals, frames and commands of one schema version, indexed for the codec."""

    schema_version: int
    enums: Mapping[str, tuple[str, ...]]
    frames: Mapping[str, FrameSpec]
    signals: Mapping[str, SignalSpec]
    commands: Mapping[str, CommandSpec]
    result_statuses: tuple[str, ...]
    result_reasons: tuple[str, ...]
    by_id: Mapping[int, SignalSpec] = field(repr=False, default_factory=dict)
    command_enums: Mapping[str, tuple[str, ...]] = field(default_factory=dict)

    def signal(self, path: str) -> SignalSpec:
        try:
            return self.signals[path]
        except KeyError:
            raise KeyError(f"unknown signal {path!r}") from None

    def frame_of(self, path: str) -> FrameSpec:
        return self.frames[self.signal(path).frame]

    def enum_values(self, name: str) -> tuple[str, ...]:
        """The values of enum `name`, signal enum or command-only enum alike.

        The one list of a vocabulary (terrain programs, gears, axles...): the simulator and
        the HMI take their values from here instead of typing them again."""
        values = self.enums.get(name) or self.command_enums.get(name)
        if values is None:
            raise KeyError(f"unknown enum {name!r}")
        return values


def vss_leaf(enum_value: str) -> str:
    """The VSS-style path leaf naming one enum value: GRASS_GRAVEL_SNOW -> GrassGravelSnow.

    Signals kept per value (`...Availability.<leaf>`, `...Range.Projected.<leaf>`) are named
    this way, so both ends derive the path from the enum instead of keeping a table of names."""
    return "".join(part.capitalize() for part in enum_value.split("_"))


def default_catalogue_path() -> Path:
    return Path(str(resources.files(__package__).joinpath("catalogue.toml")))


@cache
def load_catalogue(path: str | Path | None = None) -> Catalogue:
    """Load and validate a catalogue file (the packaged one by default)."""
    source = Path(path) if path is not None else default_catalogue_path()
    with open(source, "rb") as handle:
        data = tomllib.load(handle)
    return build_catalogue(data)


def build_catalogue(data: Mapping[str, Any]) -> Catalogue:
    """Build a catalogue from parsed data, raising one CatalogueError listing every problem."""
    problems: list[str] = []
    enums = _build_enums(data.get("enums", {}), problems)
    frames = _build_frames(data.get("frames", {}), problems)
    signals = _build_signals(data.get("signals", []), enums, frames, problems)
    command_only = _build_enums(data.get("command_enums", {}), problems)
    commands = _build_commands(data.get("commands", {}), {**enums, **command_only}, problems)
    results = data.get("results", {})
    version = data.get("schema_version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        problems.append(f"schema_version must be a positive int, got {version!r}")
        version = 0
    for name in frames:
        if not any(s.frame == name for s in signals.values()):
            problems.append(f"frame {name!r} has no signals")
    if problems:
        raise CatalogueError("invalid catalogue:\n  " + "\n  ".join(problems))
    frames = {
        name: FrameSpec(f.name, f.rate_hz, f.stale_after_s, f.description,
                        tuple(s for s in signals.values() if s.frame == name), f.on_change)
        for name, f in frames.items()
    }
    return Catalogue(
        schema_version=version,
        enums=enums,
        frames=frames,
        signals=signals,
        commands=commands,
        result_statuses=tuple(results.get("statuses", ())),
        result_reasons=tuple(results.get("reasons", ())),
        by_id={s.id: s for s in signals.values()},
        command_enums=command_only,
    )


def _build_enums(raw: Mapping[str, Any], problems: list[str]) -> dict[str, tuple[str, ...]]:
    enums: dict[str, tuple[str, ...]] = {}
    for name, values in raw.items():
        if not isinstance(values, list) or not values:
            problems.append(f"enum {name}: needs a non-empty list of values")
            continue
        if not all(isinstance(v, str) and v for v in values):
            problems.append(f"enum {name}: values must be non-empty strings")
            continue
        if len(set(values)) != len(values):
            problems.append(f"enum {name}: duplicate values")
            continue
        enums[name] = tuple(values)
    return enums


def _build_frames(raw: Mapping[str, Any], problems: list[str]) -> dict[str, FrameSpec]:
    frames: dict[str, FrameSpec] = {}
    for name, spec in raw.items():
        rate = spec.get("rate_hz")
        stale = spec.get("stale_after_s")
        if not _positive_number(rate):
            problems.append(f"frame {name}: rate_hz must be a positive number")
            continue
        if not _positive_number(stale) or stale <= 1.0 / rate:
            problems.append(f"frame {name}: stale_after_s must be longer than one period")
            continue
        on_change = spec.get("on_change", False)
        if not isinstance(on_change, bool):
            problems.append(f"frame {name}: on_change must be true or false")
            continue
        frames[name] = FrameSpec(name, float(rate), float(stale), spec.get("description", ""),
                                 on_change=on_change)
    return frames


def _build_signals(raw: list[Any], enums: Mapping[str, tuple[str, ...]],
                   frames: Mapping[str, FrameSpec], problems: list[str]) -> dict[str, SignalSpec]:
    signals: dict[str, SignalSpec] = {}
    ids: set[int] = set()
    for entry in raw:
        path = entry.get("path", "?")
        where = f"signal {path}"
        sid = entry.get("id")
        if not isinstance(sid, int) or isinstance(sid, bool) or not 1 <= sid <= MAX_SIGNAL_ID:
            problems.append(f"{where}: id must be an int in 1..{MAX_SIGNAL_ID}")
            continue
        if sid in ids:
            problems.append(f"{where}: duplicate id {sid}")
            continue
        if not isinstance(path, str) or not PATH_PATTERN.match(path):
            problems.append(f"{where}: path must be VSS style (Vehicle.Branch.Leaf)")
            continue
        if path in signals:
            problems.append(f"{where}: duplicate path")
            continue
        frame = frames.get(entry.get("frame"))
        if frame is None:
            problems.append(f"{where}: unknown frame {entry.get('frame')!r}")
            continue
        value = _build_value_spec(entry, enums, where, problems)
        if value is None:
            continue
        default = _build_default(entry, value, where, problems)
        if default is None:
            continue
        ids.add(sid)
        signals[path] = SignalSpec(sid, path, frame.name, value, default, frame.rate_hz,
                                   float(entry.get("stale_after_s", frame.stale_after_s)),
                                   entry.get("description", ""))
    return signals


def _build_value_spec(entry: Mapping[str, Any], enums: Mapping[str, tuple[str, ...]],
                      where: str, problems: list[str]) -> ValueSpec | None:
    try:
        dtype = DataType(str(entry.get("type")))
    except ValueError:
        problems.append(f"{where}: unknown type {entry.get('type')!r}")
        return None
    lo, hi = entry.get("min"), entry.get("max")
    if dtype in (DataType.BOOL, DataType.ENUM):
        if lo is not None or hi is not None:
            problems.append(f"{where}: {dtype.value} takes no min/max")
            return None
        if dtype is DataType.ENUM:
            choices = enums.get(str(entry.get("enum")))
            if choices is None:
                problems.append(f"{where}: unknown enum {entry.get('enum')!r}")
                return None
            return ValueSpec(dtype, entry.get("unit"), choices=choices, enum=entry.get("enum"))
        return ValueSpec(dtype, entry.get("unit"))
    if lo is None or hi is None:
        problems.append(f"{where}: {dtype.value} needs min and max")
        return None
    numeric = (int,) if dtype is DataType.INT else (int, float)
    if any(isinstance(b, bool) or not isinstance(b, numeric) for b in (lo, hi)):
        problems.append(f"{where}: min/max must be {dtype.value} values")
        return None
    if dtype is DataType.FLOAT and not (math.isfinite(lo) and math.isfinite(hi)):
        problems.append(f"{where}: min/max must be finite")
        return None
    if lo >= hi:
        problems.append(f"{where}: min {lo} must be below max {hi}")
        return None
    return ValueSpec(dtype, entry.get("unit"), lo, hi)


def _build_default(entry: Mapping[str, Any], value: ValueSpec, where: str,
                   problems: list[str]) -> Value | None:
    if "default" in entry:
        try:
            return value.check(entry["default"])
        except ValueError as error:
            problems.append(f"{where}: default {error}")
            return None
    if value.type is DataType.BOOL:
        return False
    if value.type is DataType.ENUM:
        return value.choices[0]
    zero = 0 if value.type is DataType.INT else 0.0
    return min(max(zero, value.min), value.max)  # type: ignore[type-var]


def _build_commands(raw: Mapping[str, Any], enums: Mapping[str, tuple[str, ...]],
                    problems: list[str]) -> dict[str, CommandSpec]:
    commands: dict[str, CommandSpec] = {}
    for name, spec in raw.items():
        args: dict[str, ValueSpec] = {}
        for arg_name, arg in spec.get("args", {}).items():
            value = _build_value_spec(arg, enums, f"command {name}.{arg_name}", problems)
            if value is not None:
                args[arg_name] = value
        scope = spec.get("scope", "vehicle")
        if scope not in COMMAND_SCOPES:
            problems.append(f"command {name}: scope must be one of {COMMAND_SCOPES}")
            continue
        commands[name] = CommandSpec(name, spec.get("description", ""), args, scope)
    return commands


def _positive_number(value: Any) -> bool:
    return (isinstance(value, (int, float)) and not isinstance(value, bool)
            and math.isfinite(value) and value > 0)
