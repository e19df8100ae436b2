"""Terrain Response programs as the HMI presents them: catalogue paths and effects.

The programs and their order come from the catalogue's `TerrainProgram` enum; their names
are in hmi/labels.py. The effects are what each program is designed to do on this dual-motor
EV (torque bias between the two motors instead of centre/axle differentials, lockers per
axle), after the Land Rover handbooks and Rivian's drive-mode pages; the live torque split,
lockers and ride height are shown beside them from the bus. Effect texts are msgids: the
terrain view-model shows them through `ProgramEffects.text`, which translates them.

A torque bias is a front : rear pair, and a bare "40 : 60" under "Rear" read as 40 % to the
rear: every pair is written with both axles named at their own end ("Front 40 : 60 Rear"),
composed in one place (`torque_bias_text`). The pairs are the simulated vehicle's
(vehicle_sim's PROGRAM_EFFECTS); tests/hmi/test_program_wording.py holds them to it. The
lockers are the driver's to engage in every off-road program (nothing engages them by
itself), so no program's text claims they are engaged.
"""

from __future__ import annotations

from dataclasses import dataclass

from protocols import load_catalogue
from protocols.catalogue import vss_leaf

from .i18n import N_, tr
from .i18n import numbers as locale_numbers
from .labels import ENUM_LABELS

PROGRAM_ORDER: tuple[str, ...] = load_catalogue().enum_values("TerrainProgram")


@dataclass(frozen=True, slots=True)
class TorqueBias:
    """The share of drive torque each axle gets by design, in percent (they add up to 100)."""

    front_pct: int
    rear_pct: int


TORQUE_BIAS_TEXT = N_("Front {front} : {rear} Rear")


def torque_bias_text(bias: TorqueBias | str) -> str:
    """A bias as the driver reads it, both axles named ("Front 40 : 60 Rear"); a bias that is
    no fixed pair ("Adaptive") is its own msgid."""
    if isinstance(bias, str):
        return tr(bias)
    return tr(TORQUE_BIAS_TEXT).format(front=locale_numbers.decimal(bias.front_pct),
                                       rear=locale_numbers.decimal(bias.rear_pct))


@dataclass(frozen=True, slots=True)
class ProgramEffects:
    torque_bias: TorqueBias | str
    traction: str
    throttle: str
    regen: str
    ride_height: str

    def text(self, field: str) -> str:
        """The effect `field` (a field name of this class) in the current language."""
        if field == "torque_bias":
            return torque_bias_text(self.torque_bias)
        return tr(getattr(self, field))


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


_effects = ProgramEffects  # every text argument is a msgid, shown through ProgramEffects.text
_bias = TorqueBias
_HEIGHT = ENUM_LABELS["RideHeightLevel"]   # a level's name is the one its button carries

# fmt: off
EFFECTS: dict[str, ProgramEffects] = {
    "AUTO": _effects(N_("Adaptive"), N_("Adaptive"), N_("Adaptive"), N_("Normal"), N_("Adaptive")),
    "COMFORT": _effects(_bias(40, 60), N_("Normal"), N_("Normal"), N_("Normal"),
                        _HEIGHT["NORMAL"]),
    "ECO": _effects(N_("Rear at cruise"), N_("Normal"), N_("Soft"), N_("High"), N_("Low at speed")),
    "GRASS_GRAVEL_SNOW": _effects(_bias(50, 50), N_("Early, low grip"), N_("Soft"),
                                  N_("Low"), _HEIGHT["NORMAL"]),
    "MUD_RUTS": _effects(_bias(50, 50), N_("Reduced"), N_("Moderate"),
                         N_("Low"), _HEIGHT["OFF_ROAD"]),
    "SAND": _effects(_bias(40, 60), N_("Reduced, slip"), N_("Sharp"),
                     N_("Low"), _HEIGHT["OFF_ROAD"]),
    "ROCK_CRAWL": _effects(_bias(50, 50), N_("Reduced"), N_("Gentlest"),
                           N_("Crawl hold"), _HEIGHT["EXTENDED"]),
    "WADE": _effects(_bias(50, 50), N_("Normal"), N_("Gentle"), N_("Normal"),
                     _HEIGHT["EXTENDED"]),
}
# fmt: on

PROGRAMS: dict[str, Program] = {name: Program(name, EFFECTS[name]) for name in PROGRAM_ORDER}
