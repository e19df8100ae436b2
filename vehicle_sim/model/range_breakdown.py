"""What each fitted option costs in rated range: the WLTC cycle driven with and without it.

An option's cost is the rated range of this car with that one option set back to its base
choice, minus the rated range of this car (other options kept): what the owner gains by taking
just that option off. Options interact a little (a heavier car feels the rack's drag no more,
but a larger wheel turns every figure), so the costs need not add up to the gap between this
car and the unoptioned one of the same pack; the difference is reported as the interaction
remainder rather than hidden in one option.

The consumption comes in as a function (the rating's cached drive, or a lookup that answers
None while a background drive is still running), so this module stays pure and fast.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from .configuration import (
    OPTION_FIELDS,
    VehicleConfiguration,
    fitted_options,
    spec_for,
    unoptioned,
    without,
)
from .spec import VehicleSpec

Consumption = Callable[[VehicleSpec], "float | None"]
"""WLTC consumption (J/m) of a spec, or None where it is not known yet."""


@dataclass(frozen=True, slots=True)
class RangeBreakdown:
    """Rated range of a car and of its unoptioned twin, and each option's cost (m)."""

    rated_range_m: float
    unoptioned_range_m: float
    option_cost_m: tuple[tuple[str, float], ...]
    """(option, cost) for every option in OPTION_FIELDS' order; 0 for one not fitted."""

    @property
    def interaction_m(self) -> float:
        """The part of (unoptioned - rated) that no single option accounts for."""
        return self.unoptioned_range_m - self.rated_range_m - sum(c for _, c in self.option_cost_m)


def rating_specs(config: VehicleConfiguration) -> tuple[VehicleSpec, ...]:
    """Every spec whose rating the breakdown needs, this car's first; no repeats."""
    configs = [config, *(without(config, o) for o in fitted_options(config)), unoptioned(config)]
    return tuple(dict.fromkeys(spec_for(c) for c in configs))


def _range_m(spec: VehicleSpec, consumption: Consumption) -> float | None:
    used = consumption(spec)
    return None if used is None else spec.usable_energy_J / used


def option_costs_m(
    config: VehicleConfiguration, consumption: Consumption
) -> dict[str, float | None]:
    """Each option's cost (m); 0 when not fitted; None while a needed rating is unknown."""
    fitted = fitted_options(config)
    own = _range_m(spec_for(config), consumption)
    costs: dict[str, float | None] = {}
    for option in OPTION_FIELDS:
        if option not in fitted:
            costs[option] = 0.0
            continue
        base = _range_m(spec_for(without(config, option)), consumption)
        costs[option] = None if own is None or base is None else base - own
    return costs


def range_breakdown(
    config: VehicleConfiguration, consumption: Callable[[VehicleSpec], float]
) -> RangeBreakdown:
    """The whole breakdown, with a consumption that always answers (drives as needed)."""
    costs = option_costs_m(config, consumption)
    rated = _range_m(spec_for(config), consumption)
    bare = _range_m(spec_for(unoptioned(config)), consumption)
    assert rated is not None and bare is not None
    return RangeBreakdown(rated, bare, tuple((o, c or 0.0) for o, c in costs.items()))
