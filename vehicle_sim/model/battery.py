"""Traction battery: stored energy, SoC, internal losses and pack temperature.

Sign convention (as VSS TractionBattery.CurrentPower): terminal power is
POSITIVE INTO the battery (charging, regen) and NEGATIVE OUT of it (driving).

Energy is counted relative to the usable window: 0 J = 0 % displayed SoC,
usable_energy_J = 100 %.  A hidden reserve below 0 % lets auxiliaries run after
the displayed SoC reaches zero; propulsion stops there.
"""

from __future__ import annotations

from .spec import VehicleSpec
from .units import clamp


def open_circuit_voltage_V(spec: VehicleSpec, soc: float) -> float:
    """Pack voltage at rest, linear in SoC (good enough for losses)."""
    return spec.pack_voltage_empty_V + (spec.pack_voltage_full_V - spec.pack_voltage_empty_V) * soc


def internal_resistance_ohm(spec: VehicleSpec, temperature_c: float) -> float:
    """Internal resistance; rises as the cells get cold (2 %/K below 25 degC)."""
    cold = 25.0 - temperature_c
    return spec.pack_resistance_ohm * (1.0 + 0.02 * cold if cold > 0.0 else 1.0)


def cell_power_W(
    spec: VehicleSpec, soc: float, temperature_c: float, terminal_power_W: float
) -> float:
    """Rate of change of stored energy for a terminal power: terminal power minus I^2R heat."""
    current = terminal_power_W / open_circuit_voltage_V(spec, soc)
    return terminal_power_W - current * current * internal_resistance_ohm(spec, temperature_c)


class TractionBattery:
    """Lumped pack model: open-circuit voltage, I^2R losses, one thermal mass."""

    __slots__ = (
        "energy_J",
        "last_current_A",
        "last_loss_W",
        "last_terminal_power_W",
        "spec",
        "temperature_c",
    )

    def __init__(self, spec: VehicleSpec, soc: float = 0.8, temperature_c: float = 23.0) -> None:
        self.spec = spec
        self.energy_J = clamp(soc, 0.0, 1.0) * spec.usable_energy_J
        self.temperature_c = temperature_c
        self.last_terminal_power_W = 0.0
        self.last_loss_W = 0.0
        self.last_current_A = 0.0

    # --- State -------------------------------------------------------------
    @property
    def soc(self) -> float:
        """State of charge as a fraction 0..1 of the usable energy (displayed SoC)."""
        s = self.energy_J / self.spec.usable_energy_J
        return 0.0 if s < 0.0 else (min(s, 1.0))

    @property
    def usable_capacity_J(self) -> float:
        """Usable energy of a full pack."""
        return self.spec.usable_energy_J

    @property
    def displayed_energy_J(self) -> float:
        """Remaining usable energy (never negative; the reserve is not shown)."""
        return max(0.0, self.energy_J)

    @property
    def open_circuit_voltage_V(self) -> float:
        """Pack voltage at rest at the current SoC."""
        return open_circuit_voltage_V(self.spec, self.soc)

    @property
    def resistance_ohm(self) -> float:
        """Internal resistance at the current pack temperature."""
        return internal_resistance_ohm(self.spec, self.temperature_c)

    def loss_W(self, terminal_power_W: float) -> float:
        """I^2R heat for a terminal power, with I from the open-circuit voltage."""
        current = terminal_power_W / self.open_circuit_voltage_V
        return current * current * self.resistance_ohm

    def thermal_management_power_W(self) -> float:
        """Electrical power the chiller draws to cool a hot pack (0 when cool enough)."""
        spec = self.spec
        excess = self.temperature_c - spec.pack_active_cooling_threshold_c
        if excess <= 0.0:
            return 0.0
        # Proportional: full effort 5 K above the threshold.
        heat_removed = spec.pack_active_cooling_max_W * min(1.0, excess / 5.0)
        return heat_removed / spec.pack_cooling_cop

    # --- Dynamics ----------------------------------------------------------
    def step(
        self, terminal_power_W: float, dt_s: float, ambient_c: float, chiller_power_W: float = 0.0
    ) -> float:
        """Apply a terminal power for dt and update temperature; returns the I^2R loss in J.

        Stored energy changes by (terminal power - loss) * dt: when discharging the
        cells deliver the terminal power plus the heat; when charging they keep
        what is left after the heat.
        """
        spec = self.spec
        current = terminal_power_W / self.open_circuit_voltage_V
        loss = current * current * self.resistance_ohm
        self.energy_J += (terminal_power_W - loss) * dt_s
        self.last_terminal_power_W = terminal_power_W
        self.last_loss_W = loss
        self.last_current_A = current
        heat_out = spec.pack_passive_cooling_W_per_K * (self.temperature_c - ambient_c)
        heat_out += chiller_power_W * spec.pack_cooling_cop
        self.temperature_c += (loss - heat_out) * dt_s / spec.pack_heat_capacity_J_per_K
        return loss * dt_s
