"""Charging: AC and DC power curves, the charge port state machine, time to limit.

AC charging is flat at the on-board charger's 11 kW.  DC charging follows the
spec's SoC curve (peak above 150 kW, near-peak to ~55 %, steep fall above 80 %),
derated for a cold or hot pack and capped by the charger's own maximum.  Time to
limit integrates that same curve with the same battery loss model the simulation
uses, so the figure shown matches what the simulation then does.
"""

from __future__ import annotations

import enum
import itertools
import math
from dataclasses import dataclass

from .battery import cell_power_W, internal_resistance_ohm, open_circuit_voltage_V
from .rules import Rule
from .spec import VehicleSpec


class ChargerType(enum.Enum):
    """Kind of charger connected."""

    AC = "AC"
    DC = "DC"


class ChargingState(enum.Enum):
    """Charge port state."""

    DISCONNECTED = "DISCONNECTED"
    CONNECTED = "CONNECTED"
    CHARGING = "CHARGING"
    COMPLETE = "COMPLETE"


def interpolate_curve(curve: tuple[tuple[float, float], ...], x: float) -> float:
    """Piecewise-linear lookup, held constant beyond the ends."""
    if x <= curve[0][0]:
        return curve[0][1]
    for (x0, y0), (x1, y1) in itertools.pairwise(curve):
        if x <= x1:
            return y0 + (y1 - y0) * (x - x0) / (x1 - x0)
    return curve[-1][1]


def dc_temperature_factor(pack_temperature_c: float) -> float:
    """Share of the DC curve the pack accepts at its temperature (cold/hot packs charge slower)."""
    if pack_temperature_c < 15.0:
        return max(0.25, 0.25 + 0.75 * (pack_temperature_c / 15.0))
    if pack_temperature_c > 50.0:
        return 0.5
    return 1.0


def inlet_power_W(
    spec: VehicleSpec,
    kind: ChargerType,
    soc: float,
    pack_temperature_c: float,
    charger_max_W: float,
) -> float:
    """Power the vehicle draws at the charge inlet."""
    if kind is ChargerType.AC:
        vehicle_limit = spec.ac_charge_power_W
    else:
        vehicle_limit = interpolate_curve(spec.dc_charge_curve, soc) * dc_temperature_factor(
            pack_temperature_c
        )
    return min(charger_max_W, vehicle_limit)


def charge_efficiency(spec: VehicleSpec, kind: ChargerType) -> float:
    """Inlet -> pack terminals (on-board charger for AC, cabling/contactors for DC)."""
    return spec.ac_charge_efficiency if kind is ChargerType.AC else spec.dc_charge_efficiency


def terminal_power_for_energy_W(
    spec: VehicleSpec, soc: float, temperature_c: float, energy_J: float, dt_s: float
) -> float:
    """Terminal power that stores exactly energy_J in dt_s (inverts P - R*(P/V)^2)."""
    k = internal_resistance_ohm(spec, temperature_c) / open_circuit_voltage_V(spec, soc) ** 2
    rate = energy_J / dt_s
    disc = 1.0 - 4.0 * k * rate
    if disc <= 0.0:
        return 1.0 / (2.0 * k)
    return (1.0 - math.sqrt(disc)) / (2.0 * k)


def time_to_limit_s(
    spec: VehicleSpec,
    kind: ChargerType,
    soc: float,
    limit_soc: float,
    pack_temperature_c: float,
    charger_max_W: float,
    aux_W: float,
    soc_step: float = 0.005,
) -> float:
    """Seconds to charge from soc to limit_soc, integrating dE / (dE/dt) over SoC.

    Uses the midpoint of each SoC slice; the pack temperature is held at its
    present value.  Returns inf if the charger cannot outrun the auxiliaries.
    """
    if soc >= limit_soc:
        return 0.0
    eff = charge_efficiency(spec, kind)
    total = 0.0
    s = soc
    while s < limit_soc - 1e-12:
        ds = min(soc_step, limit_soc - s)
        mid = s + 0.5 * ds
        terminal = inlet_power_W(spec, kind, mid, pack_temperature_c, charger_max_W) * eff - aux_W
        rate = cell_power_W(spec, mid, pack_temperature_c, terminal)
        if rate <= 0.0:
            return math.inf
        total += ds * spec.usable_energy_J / rate
        s += ds
    return total


class ChargePort:
    """Charge port state machine: DISCONNECTED -> CONNECTED -> CHARGING -> COMPLETE.

    CONNECTED lasts for the charger handshake.  COMPLETE resumes charging if the
    limit is raised or the SoC sags 1 % below it while plugged in.
    """

    __slots__ = ("_timer", "charger_max_W", "handshake_s", "kind", "limit_pct", "state")

    def __init__(self, limit_pct: float = 90.0, handshake_s: float = 3.0) -> None:
        self.state = ChargingState.DISCONNECTED
        self.kind: ChargerType | None = None
        self.charger_max_W = 0.0
        self.limit_pct = limit_pct
        self.handshake_s = handshake_s
        self._timer = 0.0

    @property
    def connected(self) -> bool:
        """True while a cable is plugged in."""
        return self.state is not ChargingState.DISCONNECTED

    @property
    def limit_soc(self) -> float:
        """Charge limit as a fraction."""
        return self.limit_pct / 100.0

    def connect(self, kind: ChargerType, charger_max_W: float) -> None:
        """Plug in (rules already checked by the caller)."""
        self.state = ChargingState.CONNECTED
        self.kind = kind
        self.charger_max_W = charger_max_W
        self._timer = 0.0

    def disconnect(self) -> None:
        """Unplug."""
        self.state = ChargingState.DISCONNECTED
        self.kind = None
        self.charger_max_W = 0.0
        self._timer = 0.0

    def step(self, dt_s: float, soc: float) -> None:
        """Advance handshake and completion."""
        if self.state is ChargingState.CONNECTED:
            self._timer += dt_s
            if self._timer >= self.handshake_s:
                self.state = (
                    ChargingState.CHARGING if soc < self.limit_soc else ChargingState.COMPLETE
                )
        elif self.state is ChargingState.COMPLETE:
            if soc < self.limit_soc - 0.01:
                self.state = ChargingState.CHARGING
        elif self.state is ChargingState.CHARGING and soc >= self.limit_soc - 1e-9:
            self.state = ChargingState.COMPLETE

    def set_limit_pct(self, limit_pct: float, soc: float) -> None:
        """Change the limit (rules already checked); resume or complete accordingly."""
        self.limit_pct = limit_pct
        if self.state is ChargingState.COMPLETE and soc < self.limit_soc - 1e-9:
            self.state = ChargingState.CHARGING
        elif self.state is ChargingState.CHARGING and soc >= self.limit_soc - 1e-9:
            self.state = ChargingState.COMPLETE


@dataclass(frozen=True, slots=True)
class ChargeLimitContext:
    """What the charge-limit rule looks at."""

    limit_pct: float
    min_pct: float
    max_pct: float


CHARGE_LIMIT_RULES: tuple[Rule[ChargeLimitContext], ...] = (
    Rule(
        "limit_out_of_range",
        "The charge limit must be between {min_pct:.0f} % and {max_pct:.0f} %.",
        lambda c: not (c.min_pct <= c.limit_pct <= c.max_pct) or c.limit_pct != c.limit_pct,
    ),
)


@dataclass(frozen=True, slots=True)
class ChargerConnectContext:
    """What the connect rules look at."""

    speed_mps: float
    already_connected: bool


CHARGER_CONNECT_RULES: tuple[Rule[ChargerConnectContext], ...] = (
    Rule("already_connected", "A charger is already connected.", lambda c: c.already_connected),
    Rule(
        "vehicle_moving",
        "Stop the vehicle before connecting a charger.",
        lambda c: c.speed_mps > 0.1,
    ),
)
