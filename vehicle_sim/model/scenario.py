"""Scenarios: data files describing a drive, parsed into frozen dataclasses.

A scenario is a TOML file in vehicle_sim/scenarios/ (or any path): initial
conditions plus a list of segments.  Each segment sets a target speed (or follows
a speed trace such as the WLTC cycle), the ground (surface, grade, side slope,
water depth, grip, ambient) and fires events (program/locker/ride-height
requests, charger connect/disconnect, doors, belts...).  A segment ends after a
duration, a distance or a condition ("stopped", "charge_complete", ...),
whichever comes first.  Environment fields carry over from segment to segment
until changed.

The runner (scenario_runner.ScenarioRunner) drives them; speed traces are read by
trace.py.  This module and trace.py are the only ones in the model package that read files.
"""

from __future__ import annotations

import math
import tomllib
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from .chassis import Seat
from .commands import coerce_enum
from .driver import Gear
from .environment import Environment, Surface
from .scenario_events import ScenarioEvent, expect_bool, expect_float, parse_event
from .terrain import TerrainProgram
from .trace import SCENARIO_DIR, ScenarioError, SpeedTrace, load_speed_trace
from .units import KMH_TO_MPS, grade_pct_to_rad
from .vehicle import InitialConditions

__all__ = [
    "SCENARIO_DIR",
    "Scenario",
    "ScenarioError",
    "ScenarioEvent",
    "Segment",
    "SpeedTrace",
    "list_scenarios",
    "load_scenario",
    "load_speed_trace",
    "parse_scenario",
]


DEFAULT_ACCEL_MPS2 = 1.2
DEFAULT_DECEL_MPS2 = 1.5
UNTIL_TIMEOUT_S = 7200.0
"""A segment that ends on a condition gives up after this long."""


# --- Segments and scenarios ------------------------------------------------

UNTIL_CONDITIONS = ("stopped", "charge_complete", "program_active", "ride_height_settled")

SEGMENT_KEYS = {
    "name",
    "duration_s",
    "distance_m",
    "until",
    "speed_kmh",
    "accel_mps2",
    "decel_mps2",
    "gear",
    "trace",
    "events",
    "surface",
    "grade_pct",
    "grade_deg",
    "side_slope_deg",
    "side_slope_pct",
    "water_depth_m",
    "ambient_c",
    "front_grip",
    "rear_grip",
}


@dataclass(frozen=True)
class Segment:
    """One leg of a scenario."""

    name: str
    environment: Environment
    speed_mps: float = 0.0
    duration_s: float | None = None
    distance_m: float | None = None
    until: str | None = None
    accel_mps2: float = DEFAULT_ACCEL_MPS2
    decel_mps2: float = DEFAULT_DECEL_MPS2
    gear: Gear = Gear.D
    trace: SpeedTrace | None = None
    events: tuple[ScenarioEvent, ...] = ()

    @property
    def time_limit_s(self) -> float:
        """When the segment ends at the latest."""
        if self.duration_s is not None:
            return self.duration_s
        if self.until is not None and self.distance_m is None:
            return UNTIL_TIMEOUT_S
        return math.inf


@dataclass(frozen=True)
class Scenario:
    """A named drive: initial conditions and segments."""

    name: str
    description: str
    initial: InitialConditions
    segments: tuple[Segment, ...]
    loop: bool = False
    source: str = ""
    tags: tuple[str, ...] = field(default_factory=tuple)


def _parse_environment(data: dict[str, Any], base: Environment, where: str) -> Environment:
    env = base
    if "surface" in data:
        surface = coerce_enum(Surface, data["surface"])
        if surface is None:
            raise ScenarioError(f"{where}: unknown surface {data['surface']!r}")
        env = replace(env, surface=surface)
    if "grade_pct" in data and "grade_deg" in data:
        raise ScenarioError(f"{where}: give grade_pct or grade_deg, not both")
    if "grade_pct" in data:
        env = replace(
            env, grade_rad=grade_pct_to_rad(expect_float(data["grade_pct"], f"{where}.grade_pct"))
        )
    if "grade_deg" in data:
        grade_deg = expect_float(data["grade_deg"], f"{where}.grade_deg")
        env = replace(env, grade_rad=math.radians(grade_deg))
    if "side_slope_deg" in data:
        env = replace(
            env,
            side_slope_rad=math.radians(
                expect_float(data["side_slope_deg"], f"{where}.side_slope_deg")
            ),
        )
    if "side_slope_pct" in data:
        env = replace(
            env,
            side_slope_rad=grade_pct_to_rad(
                expect_float(data["side_slope_pct"], f"{where}.side_slope_pct")
            ),
        )
    numbers: dict[str, Any] = {
        key: expect_float(data[key], f"{where}.{key}")
        for key in ("water_depth_m", "ambient_c", "front_grip", "rear_grip")
        if key in data
    }
    if numbers:
        env = replace(env, **numbers)
    if env.water_depth_m < 0.0:
        raise ScenarioError(f"{where}: water_depth_m must not be negative")
    return env


def _parse_initial(data: dict[str, Any], where: str) -> InitialConditions:
    known = {
        "soc_pct",
        "ambient_c",
        "pack_temperature_c",
        "program",
        "gear",
        "ready",
        "charge_limit_pct",
        "occupants",
        "belts",
        "odometer_m",
    }
    unknown = set(data) - known
    if unknown:
        raise ScenarioError(f"{where}: unknown field(s) {sorted(unknown)}")
    kwargs: dict[str, Any] = {}
    if "soc_pct" in data:
        kwargs["soc"] = expect_float(data["soc_pct"], f"{where}.soc_pct") / 100.0
    for key in ("ambient_c", "pack_temperature_c", "charge_limit_pct", "odometer_m"):
        if key in data:
            kwargs[key] = expect_float(data[key], f"{where}.{key}")
    if "program" in data:
        program = coerce_enum(TerrainProgram, data["program"])
        if program is None:
            raise ScenarioError(f"{where}: unknown program {data['program']!r}")
        kwargs["program"] = program
    if "gear" in data:
        gear = coerce_enum(Gear, data["gear"])
        if gear is None:
            raise ScenarioError(f"{where}: unknown gear {data['gear']!r}")
        kwargs["gear"] = gear
    if "ready" in data:
        kwargs["ready"] = expect_bool(data["ready"], f"{where}.ready")
    for key in ("occupants", "belts"):
        if key in data:
            seats = []
            for raw in data[key]:
                seat = coerce_enum(Seat, raw)
                if seat is None:
                    raise ScenarioError(f"{where}.{key}: unknown seat {raw!r}")
                seats.append(seat)
            kwargs[key] = tuple(seats)
    return InitialConditions(**kwargs)


def _parse_segment(data: Any, base_env: Environment, base_dir: Path, where: str) -> Segment:
    if not isinstance(data, dict):
        raise ScenarioError(f"{where}: a segment must be a table")
    unknown = set(data) - SEGMENT_KEYS
    if unknown:
        raise ScenarioError(f"{where}: unknown field(s) {sorted(unknown)}")
    env = _parse_environment(data, base_env, where)
    trace = None
    if "trace" in data:
        trace_path = (base_dir / str(data["trace"])).resolve()
        if not trace_path.is_file():
            raise ScenarioError(f"{where}: trace file {data['trace']!r} not found")
        trace = load_speed_trace(trace_path)
    duration = None
    if "duration_s" in data:
        duration = expect_float(data["duration_s"], f"{where}.duration_s")
    if duration is None and trace is not None:
        duration = trace.duration_s
    distance = None
    if "distance_m" in data:
        distance = expect_float(data["distance_m"], f"{where}.distance_m")
    until = data.get("until")
    if until is not None and until not in UNTIL_CONDITIONS:
        raise ScenarioError(f"{where}: until must be one of {UNTIL_CONDITIONS}")
    if duration is None and distance is None and until is None:
        raise ScenarioError(f"{where}: a segment needs duration_s, distance_m or until")
    for value, name in ((duration, "duration_s"), (distance, "distance_m")):
        if value is not None and value <= 0.0:
            raise ScenarioError(f"{where}: {name} must be positive")
    gear = Gear.D
    if "gear" in data:
        parsed = coerce_enum(Gear, data["gear"])
        if parsed is None:
            raise ScenarioError(f"{where}: unknown gear {data['gear']!r}")
        gear = parsed
    speed_kmh = expect_float(data.get("speed_kmh", 0.0), f"{where}.speed_kmh")
    if speed_kmh < 0.0:
        raise ScenarioError(f"{where}: speed_kmh must not be negative (use gear R to reverse)")
    raw_events = data.get("events", [])
    if not isinstance(raw_events, list):
        raise ScenarioError(f"{where}: events must be a list")
    events = tuple(parse_event(e, f"{where}.events[{i}]") for i, e in enumerate(raw_events))
    return Segment(
        name=str(data.get("name", where)),
        environment=env,
        speed_mps=speed_kmh * KMH_TO_MPS,
        duration_s=duration,
        distance_m=distance,
        until=until,
        accel_mps2=expect_float(data.get("accel_mps2", DEFAULT_ACCEL_MPS2), f"{where}.accel_mps2"),
        decel_mps2=expect_float(data.get("decel_mps2", DEFAULT_DECEL_MPS2), f"{where}.decel_mps2"),
        gear=gear,
        trace=trace,
        events=tuple(sorted(events, key=lambda e: e.at_s)),
    )


def parse_scenario(data: dict[str, Any], base_dir: Path, source: str = "<memory>") -> Scenario:
    """Build a Scenario from parsed TOML data; trace paths are relative to base_dir."""
    known = {"name", "description", "loop", "tags", "initial", "segments"}
    unknown = set(data) - known
    if unknown:
        raise ScenarioError(f"{source}: unknown top-level field(s) {sorted(unknown)}")
    if "name" not in data:
        raise ScenarioError(f"{source}: missing 'name'")
    initial = _parse_initial(data.get("initial", {}), f"{source}: initial")
    segments_raw = data.get("segments")
    if not isinstance(segments_raw, list) or not segments_raw:
        raise ScenarioError(f"{source}: needs at least one [[segments]] entry")
    env = Environment(ambient_c=initial.ambient_c)
    segments = []
    for i, raw in enumerate(segments_raw):
        segment = _parse_segment(raw, env, base_dir, f"{source}: segments[{i}]")
        env = segment.environment
        segments.append(segment)
    return Scenario(
        name=str(data["name"]),
        description=str(data.get("description", "")),
        initial=initial,
        segments=tuple(segments),
        loop=expect_bool(data.get("loop", False), f"{source}: loop"),
        source=source,
        tags=tuple(str(t) for t in data.get("tags", [])),
    )


def list_scenarios() -> list[str]:
    """Names of the bundled scenarios."""
    return sorted(p.stem for p in SCENARIO_DIR.glob("*.toml"))


def load_scenario(name_or_path: str | Path) -> Scenario:
    """Load a bundled scenario by name ('trail') or any scenario file by path."""
    path = Path(name_or_path)
    if not path.suffix:
        path = SCENARIO_DIR / f"{name_or_path}.toml"
    if not path.is_file():
        raise ScenarioError(
            f"no scenario {str(name_or_path)!r} (bundled: {', '.join(list_scenarios())})"
        )
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ScenarioError(f"{path}: {exc}") from exc
    return parse_scenario(data, path.parent, str(path))
