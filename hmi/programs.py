"""Terrain Response programs as the HMI presents them: names, catalogue paths and effects.

The effects are what each program is designed to do on this dual-motor EV (torque bias
between the two motors instead of centre/axle differentials, lockers per axle), after the
Land Rover handbooks and Rivian's drive-mode pages; the live torque split, lockers and ride
height are shown beside them from the bus.
"""

from __future__ import annotations

from dataclasses import dataclass

PROGRAM_ORDER = ("AUTO", "COMFORT", "ECO", "GRASS_GRAVEL_SNOW", "MUD_RUTS", "SAND",
                 "ROCK_CRAWL", "WADE")


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
    label: str         # tile text
    path_suffix: str   # VSS-style leaf used by Availability.* and Range.Projected.*
    effects: ProgramEffects

    @property
    def availability_signal(self) -> str:
        return f"Vehicle.Ema.TerrainResponse.Availability.{self.path_suffix}"

    @property
    def projected_range_signal(self) -> str | None:
        if self.name == "AUTO":
            return None  # Auto has no fixed behaviour to project
        return f"Vehicle.Ema.Range.Projected.{self.path_suffix}"


PROGRAMS: dict[str, Program] = {p.name: p for p in (
    Program("AUTO", "Auto", "Auto",
            ProgramEffects("Adaptive", "Adaptive", "Adaptive", "Normal", "Adaptive")),
    Program("COMFORT", "Comfort", "Comfort",
            ProgramEffects("Rear 40 : 60", "Normal", "Normal", "Normal", "Normal")),
    Program("ECO", "Eco", "Eco",
            ProgramEffects("Rear at cruise", "Normal", "Soft", "High", "Low at speed")),
    Program("GRASS_GRAVEL_SNOW", "Grass Gravel Snow", "GrassGravelSnow",
            ProgramEffects("Even 50 : 50", "Early, low grip", "Soft", "Low", "Normal")),
    Program("MUD_RUTS", "Mud & Ruts", "MudRuts",
            ProgramEffects("Even, lockers part", "Reduced", "Moderate", "Low", "Off-road")),
    Program("SAND", "Sand", "Sand",
            ProgramEffects("Rear 40 : 60", "Reduced, slip", "Sharp", "Low", "Off-road")),
    Program("ROCK_CRAWL", "Rock Crawl", "RockCrawl",
            ProgramEffects("Lockers 50 : 50", "Reduced", "Gentlest", "Crawl hold", "Extended")),
    Program("WADE", "Wade", "Wade",
            ProgramEffects("Even 50 : 50", "Normal", "Gentle", "Normal", "Extended")),
)}


def program_label(name: str | None) -> str:
    program = PROGRAMS.get(name or "")
    return program.label if program else (name or "")
