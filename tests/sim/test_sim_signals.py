"""The adapter from snapshots to catalogue signals, frame by frame."""

from __future__ import annotations

import dataclasses
import hashlib
import json

import pytest

from protocols import load_catalogue
from vehicle_sim.model import (
    DEFAULT_CONFIGURATION,
    ScenarioRunner,
    configuration_frame,
    load_scenario,
)
from vehicle_sim.model.vehicle_state import FRAME_NAMES
from vehicle_sim.signals import FRAME_SOURCES, SOURCES, signal_values

RATED_J_PER_M = 616.337631940638
MOVED = ("Vehicle.Powertrain.TractionBattery.NetCapacity", "Vehicle.Ema.Cabin.JumpSeat.IsFitted")
"""Signals that moved into the configuration frame; the goldens were recorded before."""

AVAILABILITY = "Vehicle.Ema.TerrainResponse.Availability."
SPEED_LIMIT = "Vehicle.Ema.TerrainResponse.SpeedLimit."
"""Availability.* was a bool when the goldens were recorded (now AVAILABLE or why not), and
SpeedLimit.* did not exist: the digest reads them as they were."""
# the car's own limits, constants of its spec beside the physics the digests hold
SPEED_LIMITS = (SPEED_LIMIT, "Vehicle.Ema.Drivetrain.LockerSpeedLimit",
                "Vehicle.Ema.Chassis.RideHeight.SpeedLimit.",
                # newer than the goldens; test_sim_motion checks it where HDC acts
                "Vehicle.Ema.Chassis.HillDescentControl.IsActive")

SIGNAL_GOLDEN = {
    # Recorded from the flat VehicleState before it was grouped by frame.
    ("showcase", 1, 300.0): "267c431d5567b024a5358acb240fa79d371e15406fe3812053c9fc24d550751d",
    ("charge-stop", 2, 600.0): "3443fc92d8f66950d20bc114bc80b6fd7124686f72c28cdbe8f1f81e6ca04a61",
    # Re-recorded for hill descent control (issue 16): the rock descent and the wade-in are
    # off-road descents, where HDC now brakes instead of the lift-off regen (test_sim_golden).
    ("trail", 5, 400.0): "3cf6203acb217d9be3573dec9abafa5a1ac8ee55c8dc5c73a7ad3ba29c4cde0b",
}


def test_each_signal_is_read_from_the_frame_the_catalogue_publishes_it_in():
    catalogue = load_catalogue()
    assert tuple(FRAME_SOURCES) == FRAME_NAMES
    assert set(FRAME_NAMES) == set(catalogue.frames)
    for frame, table in FRAME_SOURCES.items():
        for path in table:
            assert catalogue.signals[path].frame == frame, path
    assert len(SOURCES) == sum(len(table) for table in FRAME_SOURCES.values())


@pytest.mark.parametrize("key", list(SIGNAL_GOLDEN), ids=lambda k: k[0])
def test_signal_values_are_unchanged(key):
    name, seed, seconds = key
    runner = ScenarioRunner(load_scenario(name), seed=seed, rated_consumption_J_per_m=RATED_J_PER_M)
    runner.run(seconds)
    state = dataclasses.replace(runner.vehicle.snapshot(), configuration=configuration_frame(
        DEFAULT_CONFIGURATION, None, {}))
    values = signal_values(state)
    catalogue = load_catalogue()
    values = {path: value for path, value in values.items()
              if catalogue.signals[path].frame != "configuration" or path in MOVED}
    values = {path: (value == "AVAILABLE" if path.startswith(AVAILABILITY) else value)
              for path, value in values.items() if not path.startswith(SPEED_LIMITS)}
    assert values["Vehicle.Speed"] == state.drive.speed_mps   # signed: negative = backwards
    assert values["Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"] == pytest.approx(
        state.battery.soc_pct
    )
    digest = hashlib.sha256(json.dumps(values, sort_keys=True).encode()).hexdigest()
    assert digest == SIGNAL_GOLDEN[key]


def test_whole_snapshot_sources_agree_with_the_frame_tables():
    runner = ScenarioRunner(load_scenario("trail"), seed=1, rated_consumption_J_per_m=RATED_J_PER_M)
    runner.run(60.0)
    state = runner.vehicle.snapshot()
    for frame, table in FRAME_SOURCES.items():
        for path, source in table.items():
            part = getattr(state, frame)
            assert SOURCES[path](state) == (None if part is None else source(part))


def test_a_bare_model_vehicle_has_no_configuration_to_publish():
    """A Vehicle knows its spec, not how the car was ordered: its configuration frame is not
    available rather than guessed (ScenarioVehicle, which built the car, fills it in)."""
    runner = ScenarioRunner(load_scenario("trail"), seed=1, rated_consumption_J_per_m=RATED_J_PER_M)
    values = signal_values(runner.vehicle.snapshot())
    assert all(values[path] is None for path in FRAME_SOURCES["configuration"])
