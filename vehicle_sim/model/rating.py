"""Rated figures computed by driving the model: WLTC consumption and rated range.

The rated range is not a constant: the WLTC class 3b trace is driven through the
full model (speed follower, road load, drive-unit losses, regen, auxiliaries at
23 degC with modest climate) and the net pack energy per metre is measured.
Rated range = usable energy / that consumption.  The result is cached per spec
(specs are frozen and hashable) because it takes ~18 000 model steps.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from functools import lru_cache
from typing import Any

from .configuration import (
    BASE_CHOICES,
    DEFAULT_SPEC,
    OPTION_FIELDS,
    VehicleConfiguration,
    fitted_options,
    spec_for,
)
from .driver import DriverInput, Gear
from .environment import Environment, Surface
from .range_breakdown import range_breakdown
from .spec import VehicleSpec
from .terrain import TerrainProgram
from .trace import SCENARIO_DIR, SpeedTrace, load_speed_trace
from .units import JOULES_PER_KWH, JOULES_PER_WH, METRES_PER_MILE
from .vehicle import InitialConditions, Vehicle

WLTC_TRACE_FILE = "wltc_class3b.csv"
RATING_AMBIENT_C = 23.0
RATING_START_SOC = 0.5
"""Mid-pack start: regen neither SoC- nor temperature-limited, as over most of a depletion."""
RATING_DT_S = 0.1


@lru_cache(maxsize=1)
def wltc_trace() -> SpeedTrace:
    """The WLTC class 3b speed trace bundled with the scenarios."""
    return load_speed_trace(SCENARIO_DIR / WLTC_TRACE_FILE)


def rating_drive(spec: VehicleSpec, dt_s: float = RATING_DT_S) -> tuple[float, float, float]:
    """Drive one WLTC cycle; returns (net pack energy used J, distance m, worst speed error m/s)."""
    trace = wltc_trace()
    vehicle = Vehicle(
        spec,
        InitialConditions(
            soc=RATING_START_SOC,
            ambient_c=RATING_AMBIENT_C,
            program=TerrainProgram.COMFORT,
            gear=Gear.D,
        ),
        seed=0,
        rated_consumption_J_per_m=1.0,  # placeholder: this drive is how the real figure is found
    )
    env = Environment(surface=Surface.TARMAC, ambient_c=RATING_AMBIENT_C)
    energy_start = vehicle.battery.energy_J
    steps = round(trace.duration_s / dt_s)
    worst = 0.0
    for i in range(steps):
        t = i * dt_s
        vehicle.step(
            dt_s,
            DriverInput(
                gear=Gear.D, target_speed_mps=trace.speed_at(t), target_accel_mps2=trace.accel_at(t)
            ),
            env,
        )
        error = abs(vehicle.speed_mps - trace.speed_at(t + dt_s))
        worst = max(worst, error)
    return energy_start - vehicle.battery.energy_J, vehicle.odometer.total_m, worst


@lru_cache(maxsize=64)  # every shipped configuration's breakdown fits (13 specs) with room
def wltc_consumption_J_per_m(spec: VehicleSpec = DEFAULT_SPEC) -> float:
    """Net pack energy per metre over the WLTC class 3b cycle (regen included)."""
    energy, distance, _ = rating_drive(spec)
    return energy / distance


def wltc_rated_range_m(spec: VehicleSpec = DEFAULT_SPEC) -> float:
    """Rated range of a full pack: usable energy / WLTC consumption."""
    return spec.usable_energy_J / wltc_consumption_J_per_m(spec)


def _jsonable(value: Any) -> Any:
    if is_dataclass(value) and not isinstance(value, type):
        return {f.name: _jsonable(getattr(value, f.name)) for f in fields(value)}
    if isinstance(value, tuple):
        if value and all(
            isinstance(v, tuple) and len(v) == 2 and hasattr(v[0], "name") for v in value
        ):
            return {k.name: _jsonable(v) for k, v in value}
        return [_jsonable(v) for v in value]
    if hasattr(value, "name") and hasattr(value, "value"):
        return value.name
    return value


def spec_summary(spec: VehicleSpec = DEFAULT_SPEC) -> dict[str, Any]:
    """JSON-able summary for `ema-sim spec --json`: spec fields and the computed rated figures."""
    consumption = wltc_consumption_J_per_m(spec)
    rated_m = spec.usable_energy_J / consumption
    return {
        "spec": _jsonable(spec),
        "usable_energy_kWh": spec.usable_energy_J / JOULES_PER_KWH,
        "cda_m2": spec.cda_m2,
        "peak_power_kW": spec.peak_power_W / 1e3,
        "dc_peak_power_kW": spec.dc_peak_power_W / 1e3,
        "ac_charge_power_kW": spec.ac_charge_power_W / 1e3,
        "wltc_consumption_J_per_m": consumption,
        "wltc_consumption_Wh_per_km": consumption * 1000.0 / JOULES_PER_WH,
        "wltc_consumption_Wh_per_mile": consumption * METRES_PER_MILE / JOULES_PER_WH,
        "wltc_distance_m": wltc_trace().distance_m(),
        "rated_range_m": rated_m,
        "rated_range_km": rated_m / 1000.0,
        "rated_range_miles": rated_m / METRES_PER_MILE,
    }


def _miles(metres: float) -> float:
    return metres / METRES_PER_MILE


def configuration_summary(config: VehicleConfiguration) -> dict[str, Any]:
    """`ema-sim spec --json --config X`: the spec summary, the options, and the rated range
    broken down by option (drives every rating it needs: ~2 s each, cached per spec)."""
    breakdown = range_breakdown(config, wltc_consumption_J_per_m)
    fitted = fitted_options(config)
    options = {
        option: {
            "choice": _jsonable(getattr(config, name)),
            "base": _jsonable(BASE_CHOICES[name]),
            "is_fitted": option in fitted,
            "cost_m": cost,
            "cost_miles": _miles(cost),
        }
        for (option, cost), name in zip(breakdown.option_cost_m, OPTION_FIELDS.values(),
                                        strict=True)
    }
    return {
        **spec_summary(spec_for(config)),
        "configuration": _jsonable(config),
        "range": {
            "rated_range_m": breakdown.rated_range_m,
            "rated_range_km": breakdown.rated_range_m / 1000.0,
            "rated_range_miles": _miles(breakdown.rated_range_m),
            "options": options,
            "unoptioned_range_m": breakdown.unoptioned_range_m,
            "unoptioned_range_miles": _miles(breakdown.unoptioned_range_m),
            "interaction_m": breakdown.interaction_m,
            "interaction_miles": _miles(breakdown.interaction_m),
        },
    }
