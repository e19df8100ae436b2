"""Terrain Response programs as the HMI presents them: catalogue paths and effects.

The programs and their order come from the catalogue's `TerrainProgram` enum; their names
are in hmi/labels.py. The effects are what each program is designed to do on this dual-motor
EV (torque bias between the two motors instead of centre/axle differentials, lockers per
axle), after the Land Rover handbooks and Rivian's drive-mode pages; the live torque split,
lockers and ride height are shown beside them from the bus. Effect texts are msgids: the
terrain view-model shows them through `hmi.i18n.tr`.
"""

from __future__ import annotations

from dataclasses import dataclass

from protocols import load_catalogue
from protocols.catalogue import vss_leaf

from .i18n import N_

PROGRAM_ORDER: tuple[str, ...] = load_catalogue().enum_values("TerrainProgram")


@dataclass(frozen=True, slots=True)
class ProgramEffects:
    torque_bias: str
    traction: str
    throttle: str
    regen: str
    ride_height: str


@dataclass(frozen=True, slots=True)
class Program:
    name: str          # catalogue enum value
    effects: ProgramEffects

    @property
    def path_suffix(self) -> str:
        """VSS-style leaf used by Availability.* and Range.Projected.*"""
        return vss_leaf(self.name)

    @property
    def availability_signal(self) -> str:
        return f"Vehicle.Ema.TerrainResponse.Availability.{self.path_suffix}"

    @property
    def speed_limit_signal(self) -> str:
        """Below what speed the vehicle lets this program be selected (nil: no limit)."""
        return f"Vehicle.Ema.TerrainResponse.SpeedLimit.{self.path_suffix}"

    @property
    def projected_range_signal(self) -> str | None:
        if self.name == "AUTO":
            return None  # Auto has no fixed behaviour to project
        return f"Vehicle.Ema.Range.Projected.{self.path_suffix}"


_effects = ProgramEffects  # every argument is a msgid, shown through hmi.i18n.tr

# fmt: off
EFFECTS: dict[str, ProgramEffects] = {
    "AUTO": _effects(N_("Adaptive"), N_("Adaptive"), N_("Adaptive"), N_("Normal"), N_("Adaptive")),
    "COMFORT": _effects(N_("Rear 40 : 60"), N_("Normal"), N_("Normal"), N_("Normal"), N_("Normal")),
    "ECO": _effects(N_("Rear at cruise"), N_("Normal"), N_("Soft"), N_("High"), N_("Low at speed")),
    "GRASS_GRAVEL_SNOW": _effects(N_("Even 50 : 50"), N_("Early, low grip"), N_("Soft"),
                                  N_("Low"), N_("Normal")),
    "MUD_RUTS": _effects(N_("Even, lockers part"), N_("Reduced"), N_("Moderate"),
                         N_("Low"), N_("Off-road")),
    "SAND": _effects(N_("Rear 40 : 60"), N_("Reduced, slip"), N_("Sharp"),
                     N_("Low"), N_("Off-road")),
    "ROCK_CRAWL": _effects(N_("Lockers 50 : 50"), N_("Reduced"), N_("Gentlest"),
                           N_("Crawl hold"), N_("Extended")),
    "WADE": _effects(N_("Even 50 : 50"), N_("Normal"), N_("Gentle"), N_("Normal"), N_("Extended")),
}
# fmt: on

PROGRAMS: dict[str, Program] = {name: Program(name, EFFECTS[name]) for name in PROGRAM_ORDER}
