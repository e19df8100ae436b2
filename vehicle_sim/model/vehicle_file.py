"""Vehicle configuration files: one TOML file per car, checked on load.

A configuration file (vehicle_sim/vehicles/*.toml, or any path) states every option of one
car; nothing falls back to a default, so a file says the whole car. The check collects every
problem before it raises, so a wrong file is fixed in one go:

    name = "expedition"            # the file's stem for the shipped ones
    description = "..."            # optional
    pack_kWh = 85                  # usable: 70, 80, 85 or 90
    paint = "PANGEA_GREEN"         # Paint
    roof_colour = "NARVIK_BLACK"   # RoofColour
    decal_pack = "TOPO_LINES"      # DecalPack
    wheels = "ALL_TERRAIN_20"      # WheelPackage
    wheelarch_extensions = true
    roof_rack = "RACK_LOADED"      # RoofRack
    spare_wheel = true
    jump_seat = true

Like scenario.py and trace.py, this module reads files; the rest of the model does not.
"""

from __future__ import annotations

import enum
import tomllib
from dataclasses import fields
from pathlib import Path
from typing import Any

from .configuration import (
    PACK_SIZES_KWH,
    DecalPack,
    Paint,
    RoofColour,
    RoofRack,
    VehicleConfiguration,
    WheelPackage,
)

VEHICLE_DIR = Path(__file__).resolve().parent.parent / "vehicles"
"""The shipped configurations, beside the scenarios."""

ENUM_FIELDS: dict[str, type[enum.Enum]] = {
    "paint": Paint,
    "roof_colour": RoofColour,
    "decal_pack": DecalPack,
    "wheels": WheelPackage,
    "roof_rack": RoofRack,
}
BOOL_FIELDS = ("wheelarch_extensions", "spare_wheel", "jump_seat")
REQUIRED = ("name", "pack_kWh", *ENUM_FIELDS, *BOOL_FIELDS)
OPTIONAL = ("description",)


class ConfigurationError(ValueError):
    """A configuration file that is not a valid car; `problems` lists every fault found."""

    def __init__(self, source: str, problems: list[str]) -> None:
        self.source, self.problems = source, problems
        super().__init__(f"{source}: {len(problems)} problem(s):\n"
                         + "\n".join(f"  - {p}" for p in problems))


def _check_enum(key: str, raw: Any, problems: list[str]) -> enum.Enum | None:
    enum_cls = ENUM_FIELDS[key]
    names = [m.name for m in enum_cls]
    if isinstance(raw, str) and raw in names:
        return enum_cls[raw]
    problems.append(f"{key}: {raw!r} is not a {enum_cls.__name__} (one of {', '.join(names)})")
    return None


def _check_value(key: str, raw: Any, problems: list[str]) -> Any:
    """The checked value of one key, or None after adding a problem."""
    if key in ENUM_FIELDS:
        return _check_enum(key, raw, problems)
    if key in BOOL_FIELDS:
        if isinstance(raw, bool):
            return raw
        problems.append(f"{key}: expected true or false, got {raw!r}")
    elif key == "pack_kWh":
        number = not isinstance(raw, bool) and isinstance(raw, (int, float))
        if number and float(raw) in PACK_SIZES_KWH:
            return float(raw)
        sizes = ", ".join(f"{s:g}" for s in PACK_SIZES_KWH)
        problems.append(f"pack_kWh: {raw!r} is not a pack this platform carries ({sizes} kWh)")
    elif isinstance(raw, str) and raw:
        return raw
    else:
        problems.append(f"{key}: expected a non-empty string, got {raw!r}")
    return None


def parse_configuration(data: dict[str, Any], source: str = "<memory>") -> VehicleConfiguration:
    """Build a VehicleConfiguration from parsed TOML; ConfigurationError lists every problem."""
    problems = [f"unknown key {key!r} (known: {', '.join(REQUIRED + OPTIONAL)})"
                for key in data if key not in REQUIRED + OPTIONAL]
    problems += [f"missing key {key!r}" for key in REQUIRED if key not in data]
    values = {key: _check_value(key, data[key], problems)
              for key in REQUIRED + OPTIONAL if key in data}
    if problems:
        raise ConfigurationError(source, problems)
    assert {f.name for f in fields(VehicleConfiguration)} == set(REQUIRED + OPTIONAL)
    return VehicleConfiguration(**values)


def list_configurations() -> list[str]:
    """Names of the shipped configurations."""
    return sorted(p.stem for p in VEHICLE_DIR.glob("*.toml"))


def configuration_path(name_or_path: str | Path) -> Path:
    """A shipped configuration by name ('road'), or any file by path."""
    path = Path(name_or_path)
    return VEHICLE_DIR / f"{name_or_path}.toml" if not path.suffix else path


def load_configuration(name_or_path: str | Path) -> VehicleConfiguration:
    """Load a shipped configuration by name or any configuration file by path."""
    path = configuration_path(name_or_path)
    if not path.is_file():
        raise ConfigurationError(str(name_or_path), [
            f"no such configuration (shipped: {', '.join(list_configurations())})"])
    try:
        with open(path, "rb") as fh:
            data = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigurationError(str(path), [str(exc)]) from exc
    return parse_configuration(data, str(path))
