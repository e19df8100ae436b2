"""Terrain Response: programs, what each one changes, the request rules, Auto.

A program is a bundle of settings (torque bias, traction control, throttle map,
regen, ride height, lockers, speed limit).  For an EV with a motor per axle the
"diffs tighter/locked" of older cars becomes a front/rear torque bias plus the
per-axle locker permission.

Requests go through PROGRAM_RULES; a refused request leaves the current program
in place and reports a reason code and a sentence.  Changes take time:
REQUESTED -> ENGAGING (fixed engage time and ride height travel) -> ACTIVE; the
old program's settings stay in force until the new one is ACTIVE.  Auto picks a
program from the surface and never picks ECO or WADE.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType

from .energy import RegenLevel
from .environment import Surface
from .ride_height import RideHeightLevel
from .rules import Decision, Rule, accept, evaluate, first_violation
from .terrain_program import ProgramState, TerrainProgram, TractionControlMode, suggested_program
from .units import MPS_TO_KMH, kmh

__all__ = [
    "AUTO_SURFACE_PROGRAM",
    "PROGRAM_EFFECTS",
    "PROGRAM_RULES",
    "ProgramEffects",
    "ProgramRequestContext",
    "ProgramState",
    "TerrainController",
    "TerrainProgram",
    "TractionControlMode",
    "auto_select",
    "check_program_request",
    "program_unavailable_reason",
    "suggested_program",
]


@dataclass(frozen=True, slots=True)
class ProgramEffects:
    """What a program sets.

    torque_distribution: VSS convention, -100 = all front, 0 = 50/50, +100 = all rear.
    slip_allowance: wheel slip ratio traction control tolerates before cutting torque.
    throttle_progression: exponent of the accelerator map; > 1 = gentler
        initial response, < 1 = sharper.
    max_speed_mps: the program can only be selected below this speed and the drive
        is governed to it while active (None = no limit).
    min_ride_height: lowest height the driver may choose while the program is on.
    power_fraction: share of motor peak power available.
    consumption_factor: energy use relative to COMFORT for range projection.
    """

    torque_distribution: float
    traction_control: TractionControlMode
    slip_allowance: float
    throttle_progression: float
    regen_level: RegenLevel
    ride_height: RideHeightLevel
    min_ride_height: RideHeightLevel
    lockers_allowed: bool
    max_speed_mps: float | None
    power_fraction: float
    consumption_factor: float
    auto_selectable: bool

    @property
    def rear_fraction(self) -> float:
        """Share of drive torque sent to the rear axle (0..1)."""
        return (self.torque_distribution + 100.0) / 200.0


def _effects(
    torque_distribution: float,
    traction_control: TractionControlMode,
    slip_allowance: float,
    throttle_progression: float,
    regen_level: RegenLevel,
    ride_height: RideHeightLevel,
    min_ride_height: RideHeightLevel,
    lockers_allowed: bool,
    max_speed_kmh: float | None,
    power_fraction: float,
    consumption_factor: float,
    auto_selectable: bool,
) -> ProgramEffects:
    """Build a table row; speed limits in km/h because that is how they are specified."""
    return ProgramEffects(
        torque_distribution=torque_distribution,
        traction_control=traction_control,
        slip_allowance=slip_allowance,
        throttle_progression=throttle_progression,
        regen_level=regen_level,
        ride_height=ride_height,
        min_ride_height=min_ride_height,
        lockers_allowed=lockers_allowed,
        max_speed_mps=None if max_speed_kmh is None else kmh(max_speed_kmh),
        power_fraction=power_fraction,
        consumption_factor=consumption_factor,
        auto_selectable=auto_selectable,
    )


_NORMAL_TC = TractionControlMode.NORMAL
_REDUCED_TC = TractionControlMode.REDUCED

# fmt: off
PROGRAM_EFFECTS: Mapping[TerrainProgram, ProgramEffects] = MappingProxyType({
    # AUTO's own row applies only until Auto has picked; then the picked row applies.
    TerrainProgram.AUTO: _effects(
        torque_distribution=20, traction_control=_NORMAL_TC, slip_allowance=0.10,
        throttle_progression=1.3, regen_level=RegenLevel.MEDIUM,
        ride_height=RideHeightLevel.NORMAL, min_ride_height=RideHeightLevel.ACCESS,
        lockers_allowed=False, max_speed_kmh=None, power_fraction=1.0,
        consumption_factor=1.00, auto_selectable=False),
    TerrainProgram.COMFORT: _effects(
        torque_distribution=20, traction_control=_NORMAL_TC, slip_allowance=0.10,
        throttle_progression=1.3, regen_level=RegenLevel.MEDIUM,
        ride_height=RideHeightLevel.NORMAL, min_ride_height=RideHeightLevel.ACCESS,
        lockers_allowed=False, max_speed_kmh=None, power_fraction=1.0,
        consumption_factor=1.00, auto_selectable=True),
    # Eco: rear drive only (the front unit idles unless the rear runs out of grip or torque),
    # soft throttle, capped power, strong regen.
    TerrainProgram.ECO: _effects(
        torque_distribution=100, traction_control=_NORMAL_TC, slip_allowance=0.08,
        throttle_progression=1.8, regen_level=RegenLevel.HIGH,
        ride_height=RideHeightLevel.NORMAL, min_ride_height=RideHeightLevel.ACCESS,
        lockers_allowed=False, max_speed_kmh=None, power_fraction=0.7,
        consumption_factor=0.92, auto_selectable=False),
    # Grass/Gravel/Snow: even split, soft throttle, tight slip control, gentle regen.
    TerrainProgram.GRASS_GRAVEL_SNOW: _effects(
        torque_distribution=0, traction_control=_NORMAL_TC,
        slip_allowance=0.08, throttle_progression=1.8, regen_level=RegenLevel.LOW,
        ride_height=RideHeightLevel.NORMAL, min_ride_height=RideHeightLevel.ACCESS,
        lockers_allowed=True, max_speed_kmh=None, power_fraction=1.0,
        consumption_factor=1.08, auto_selectable=True),
    # Mud/Ruts: even split, more slip tolerated, raised body.
    TerrainProgram.MUD_RUTS: _effects(
        torque_distribution=0, traction_control=_REDUCED_TC, slip_allowance=0.22,
        throttle_progression=1.5, regen_level=RegenLevel.LOW,
        ride_height=RideHeightLevel.OFF_ROAD, min_ride_height=RideHeightLevel.NORMAL,
        lockers_allowed=True, max_speed_kmh=None, power_fraction=1.0,
        consumption_factor=1.25, auto_selectable=True),
    # Sand: sharp throttle and lots of slip to keep momentum, raised body.
    TerrainProgram.SAND: _effects(
        torque_distribution=20, traction_control=_REDUCED_TC, slip_allowance=0.30,
        throttle_progression=0.8, regen_level=RegenLevel.LOW,
        ride_height=RideHeightLevel.OFF_ROAD, min_ride_height=RideHeightLevel.NORMAL,
        lockers_allowed=True, max_speed_kmh=None, power_fraction=1.0,
        consumption_factor=1.35, auto_selectable=True),
    # Rock Crawl: low speed only, gentlest throttle, highest body, one-pedal crawl regen.
    TerrainProgram.ROCK_CRAWL: _effects(
        torque_distribution=0, traction_control=_REDUCED_TC, slip_allowance=0.12,
        throttle_progression=2.5, regen_level=RegenLevel.HIGH,
        ride_height=RideHeightLevel.EXTENDED, min_ride_height=RideHeightLevel.OFF_ROAD,
        lockers_allowed=True, max_speed_kmh=30.0, power_fraction=1.0,
        consumption_factor=1.15, auto_selectable=True),
    # Wade: highest body, gentle throttle for a steady bow wave; never chosen by Auto.
    TerrainProgram.WADE: _effects(
        torque_distribution=0, traction_control=_NORMAL_TC, slip_allowance=0.10,
        throttle_progression=2.0, regen_level=RegenLevel.MEDIUM,
        ride_height=RideHeightLevel.EXTENDED, min_ride_height=RideHeightLevel.OFF_ROAD,
        lockers_allowed=True, max_speed_kmh=15.0, power_fraction=1.0,
        consumption_factor=1.30, auto_selectable=False),
})
# fmt: on


# --- Rules -----------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class ProgramRequestContext:
    """What the program rules look at."""

    program: TerrainProgram
    speed_mps: float
    ready: bool
    charger_connected: bool


def _over_program_speed(c: ProgramRequestContext) -> bool:
    limit = PROGRAM_EFFECTS[c.program].max_speed_mps
    return limit is not None and c.speed_mps > limit


PROGRAM_RULES: tuple[Rule[ProgramRequestContext], ...] = (
    Rule(
        "not_ready", "Switch the vehicle on to change the terrain program.", lambda c: not c.ready
    ),
    Rule(
        "vehicle_charging",
        "Terrain programs can't be changed while a charging cable is connected.",
        lambda c: c.charger_connected,
    ),
    Rule(
        "speed_too_high",
        "{program} can only be selected below {limit_kmh:.0f} km/h.",
        _over_program_speed,
    ),
)
"""Checked in order; the first violated rule gives the refusal reason."""


def _message_fields(program: TerrainProgram) -> dict[str, object]:
    effects = PROGRAM_EFFECTS[program]
    limit = effects.max_speed_mps
    limit_kmh = (limit * MPS_TO_KMH) if limit is not None else 0.0
    return {"program": program.value, "limit_kmh": limit_kmh}


def check_program_request(ctx: ProgramRequestContext) -> Decision:
    """Run a program request through the rules without changing anything."""
    return evaluate(
        PROGRAM_RULES,
        ctx,
        _message_fields(ctx.program),
        accepted_message=f"{ctx.program.value} requested.",
    )


def program_unavailable_reason(ctx: ProgramRequestContext) -> str | None:
    """Reason code why a program could not be selected now, or None if it could."""
    return first_violation(PROGRAM_RULES, ctx)


# --- Auto ------------------------------------------------------------------

AUTO_SURFACE_PROGRAM: Mapping[Surface, TerrainProgram] = MappingProxyType(
    {
        Surface.TARMAC: TerrainProgram.COMFORT,
        Surface.GRAVEL: TerrainProgram.GRASS_GRAVEL_SNOW,
        Surface.GRASS: TerrainProgram.GRASS_GRAVEL_SNOW,
        Surface.SNOW: TerrainProgram.GRASS_GRAVEL_SNOW,
        Surface.MUD: TerrainProgram.MUD_RUTS,
        Surface.SAND: TerrainProgram.SAND,
        Surface.ROCK: TerrainProgram.ROCK_CRAWL,
        # Water: Auto never picks Wade (the driver must choose it knowingly);
        # Mud/Ruts gives a raised body and relaxed traction control meanwhile.
        Surface.WATER: TerrainProgram.MUD_RUTS,
    }
)


def auto_select(surface: Surface, speed_mps: float) -> TerrainProgram:
    """Program Auto would choose on a surface at a speed.

    Auto obeys the same speed limits as the driver: on rock above Rock Crawl's
    limit it falls back to Grass/Gravel/Snow.  Never ECO, WADE or AUTO.
    """
    program = AUTO_SURFACE_PROGRAM[surface]
    limit = PROGRAM_EFFECTS[program].max_speed_mps
    if limit is not None and speed_mps > limit:
        return TerrainProgram.GRASS_GRAVEL_SNOW
    return program


# --- Controller ------------------------------------------------------------


class TerrainController:
    """State machine for the selected program.

    requested: what the driver last asked for (and was accepted).
    active: the program in force (its settings apply).
    auto_selected: what Auto picked (None unless Auto is in force).
    """

    __slots__ = (
        "_auto_candidate",
        "_auto_timer",
        "_engage_timer",
        "active",
        "auto_confirm_s",
        "auto_selected",
        "engage_s",
        "last_decision",
        "requested",
        "state",
    )

    def __init__(
        self,
        program: TerrainProgram = TerrainProgram.COMFORT,
        engage_s: float = 1.5,
        auto_confirm_s: float = 2.0,
    ) -> None:
        self.requested = program
        self.active = program
        self.state = ProgramState.ACTIVE
        self.auto_selected: TerrainProgram | None = None
        self.engage_s = engage_s
        self.auto_confirm_s = auto_confirm_s
        self._engage_timer = 0.0
        self._auto_candidate: TerrainProgram | None = None
        self._auto_timer = 0.0
        self.last_decision: Decision | None = None

    @property
    def effective(self) -> TerrainProgram:
        """The program whose settings apply (Auto resolved to its pick)."""
        if self.active is TerrainProgram.AUTO and self.auto_selected is not None:
            return self.auto_selected
        return self.active

    @property
    def effects(self) -> ProgramEffects:
        """Settings in force now."""
        return PROGRAM_EFFECTS[self.effective]

    def target_ride_height(self) -> RideHeightLevel:
        """Height the program wants: the new program's while engaging."""
        if self.state is not ProgramState.ACTIVE:
            return PROGRAM_EFFECTS[self.requested].ride_height
        return self.effects.ride_height

    def minimum_ride_height(self) -> RideHeightLevel:
        """Lowest height the driver may pick under the program being engaged or in force."""
        if self.state is not ProgramState.ACTIVE:
            return PROGRAM_EFFECTS[self.requested].min_ride_height
        return self.effects.min_ride_height

    def reset(self, program: TerrainProgram) -> None:
        """Put a program in force at once (power-up defaults; no engagement)."""
        self.requested = program
        self.active = program
        self.state = ProgramState.ACTIVE
        self.auto_selected = None
        self._engage_timer = 0.0
        self._auto_candidate = None
        self._auto_timer = 0.0

    def request(self, ctx: ProgramRequestContext) -> Decision:
        """Driver asks for a program; refused requests change nothing."""
        decision = check_program_request(ctx)
        if decision.accepted:
            if ctx.program is self.requested:
                code = (
                    "already_active" if self.state is ProgramState.ACTIVE else "already_requested"
                )
                decision = accept(
                    f"{ctx.program.value} is already selected.", code
                )
            else:
                self.requested = ctx.program
                self.state = ProgramState.REQUESTED
                self._engage_timer = 0.0
        self.last_decision = decision
        return decision

    def step(
        self, dt_s: float, surface: Surface, speed_mps: float, ride_height_settled: bool
    ) -> None:
        """Advance engagement and Auto's choice by one step."""
        if self.state is ProgramState.REQUESTED:
            self.state = ProgramState.ENGAGING
        elif self.state is ProgramState.ENGAGING:
            self._engage_timer += dt_s
            if self._engage_timer >= self.engage_s and ride_height_settled:
                self.active = self.requested
                self.state = ProgramState.ACTIVE
                if self.active is TerrainProgram.AUTO:
                    self.auto_selected = auto_select(surface, speed_mps)
                    self._auto_candidate = None
                else:
                    self.auto_selected = None
        if self.active is TerrainProgram.AUTO and self.state is ProgramState.ACTIVE:
            self._step_auto(dt_s, surface, speed_mps)

    def _step_auto(self, dt_s: float, surface: Surface, speed_mps: float) -> None:
        candidate = auto_select(surface, speed_mps)
        if self.auto_selected is None:
            self.auto_selected = candidate
            return
        if candidate is self.auto_selected:
            self._auto_candidate = None
            self._auto_timer = 0.0
            return
        if candidate is not self._auto_candidate:
            self._auto_candidate = candidate
            self._auto_timer = 0.0
        self._auto_timer += dt_s
        if self._auto_timer >= self.auto_confirm_s:
            self.auto_selected = candidate
            self._auto_candidate = None
            self._auto_timer = 0.0
