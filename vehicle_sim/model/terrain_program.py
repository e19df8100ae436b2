"""The Terrain Response programs, their change states, and the program the HMI may suggest.

The enums are what every other part names (commands, the catalogue's enum values, the
rules), so they sit apart from the programs' effects and the controller in terrain.py.
"""

from __future__ import annotations

import enum

from .environment import Surface


class TerrainProgram(enum.Enum):
    """Terrain Response programs (Land Rover naming)."""

    AUTO = "AUTO"
    COMFORT = "COMFORT"
    ECO = "ECO"
    GRASS_GRAVEL_SNOW = "GRASS_GRAVEL_SNOW"
    MUD_RUTS = "MUD_RUTS"
    SAND = "SAND"
    ROCK_CRAWL = "ROCK_CRAWL"
    WADE = "WADE"


class TractionControlMode(enum.Enum):
    """NORMAL holds wheel slip tight; REDUCED lets wheels spin to keep momentum on loose ground."""

    NORMAL = "NORMAL"
    REDUCED = "REDUCED"


class ProgramState(enum.Enum):
    """Progress of a program change."""

    REQUESTED = "REQUESTED"
    ENGAGING = "ENGAGING"
    ACTIVE = "ACTIVE"


def suggested_program(
    surface: Surface,
    water_depth_m: float,
    effective: TerrainProgram,
    wheel_slip: float,
    ambient_c: float,
) -> TerrainProgram | None:
    """A program the HMI may suggest (never switched to automatically).

    Wade when driving into water (Auto never selects it), Grass/Gravel/Snow when
    wheels slip in the cold (Rivian suggests Snow in that situation).
    """
    if water_depth_m >= 0.2 and effective is not TerrainProgram.WADE:
        return TerrainProgram.WADE
    if (
        wheel_slip > 0.05
        and ambient_c < 3.0
        and effective in (TerrainProgram.COMFORT, TerrainProgram.ECO)
    ):
        return TerrainProgram.GRASS_GRAVEL_SNOW
    if surface is Surface.SAND and effective in (TerrainProgram.COMFORT, TerrainProgram.ECO):
        return TerrainProgram.SAND
    return None
