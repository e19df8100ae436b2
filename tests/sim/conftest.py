"""Shared fixtures for the vehicle model tests: vehicles and a small driving helper."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest

from vehicle_sim.model import (
    DEFAULT_SPEC,
    DriverInput,
    Environment,
    Gear,
    InitialConditions,
    Vehicle,
    VehicleSpec,
    wltc_consumption_J_per_m,
)

DT_S = 0.1


@pytest.fixture(scope="session")
def spec() -> VehicleSpec:
    """The prototype's spec."""
    return DEFAULT_SPEC


@pytest.fixture(scope="session")
def rated_consumption(spec: VehicleSpec) -> float:
    """WLTC consumption of the default spec (computed once per session)."""
    return wltc_consumption_J_per_m(spec)


@pytest.fixture
def make_vehicle(spec: VehicleSpec, rated_consumption: float) -> Callable[..., Vehicle]:
    """Factory: make_vehicle(soc=0.5, gear=Gear.D, ...) with the default spec, seed 0."""

    def factory(seed: int = 0, vehicle_spec: VehicleSpec | None = None, **initial: Any) -> Vehicle:
        initial.setdefault("gear", Gear.D)
        rated = rated_consumption
        if vehicle_spec is not None:
            rated = wltc_consumption_J_per_m(vehicle_spec)
        return Vehicle(
            vehicle_spec or spec,
            InitialConditions(**initial),
            seed=seed,
            rated_consumption_J_per_m=rated,
        )

    return factory


@pytest.fixture
def drive() -> Callable[..., None]:
    """drive(vehicle, seconds, env=None, target_kmh=None, accelerator=0, brake=0, gear=D)."""

    def run(
        vehicle: Vehicle,
        seconds: float,
        env: Environment | None = None,
        target_kmh: float | None = None,
        accelerator: float = 0.0,
        brake: float = 0.0,
        gear: Gear = Gear.D,
    ) -> None:
        environment = env or Environment()
        target = None if target_kmh is None else target_kmh / 3.6
        driver = DriverInput(
            accelerator=accelerator, brake=brake, gear=gear, target_speed_mps=target
        )
        for _ in range(round(seconds / DT_S)):
            vehicle.step(DT_S, driver, environment)

    return run
