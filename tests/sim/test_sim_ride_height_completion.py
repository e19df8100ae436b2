"""A ride-height request completes when the body is at the NEW level, not in the same tick as
it is accepted: the actuator takes its new target on its next step, and its "settled" until
then is about the old level. Completed at once, the HMI saw "completed" before any frame aimed
for the new level and lit the old level again (tests/hmi/test_gui_ride_height_sim.py failed
about 1 run in 20)."""

from __future__ import annotations

from protocols import Command
from vehicle_sim.simulated import ScenarioVehicle


def test_a_raise_completes_only_once_the_new_level_is_reached() -> None:
    car = ScenarioVehicle("charge-stop", seed=1)
    car.runner.vehicle.set_ready(True)
    command = Command("set_ride_height", "rid-raise", {"level": "OFF_ROAD"})
    decision = car.execute(command)
    assert decision.accepted, decision
    assert not car.is_complete(command)   # accepted, not yet moved: not done
    steps = 0
    while not car.is_complete(command):
        car.advance(0.1)
        steps += 1
        assert steps < 200, "Off-road never reached"
    terrain = car.runner.vehicle.snapshot().terrain
    assert (terrain.ride_height_target, terrain.ride_height_settled) == ("OFF_ROAD", True)
    assert steps > 10   # 60 mm at 15 mm/s: about 4 s of simulated time
