"""ScenarioVehicle and its configuration: the frame it publishes, option costs that arrive from
the rating thread, refits by sim_set_configuration, and a car without the jump seat.

A `GatedRatings` service holds its background drives until the test opens the gate, so what
the car says before and after a drive is known is checked deterministically (conditions and
events, never sleeps)."""

from __future__ import annotations

import threading

import pytest

from protocols import Command
from vehicle_sim.model import load_configuration, rating_specs, spec_for
from vehicle_sim.ratings import RatingService
from vehicle_sim.simulated import ScenarioVehicle

COST = "Vehicle.Ema.Configuration.RangeCost."
JUMP_SEAT = "Vehicle.Ema.Cabin.JumpSeat.IsFitted"
MIDDLE = "Vehicle.Cabin.Seat.Row1.Middle."
WAIT_S = 60.0  # bound on a condition: a few WLTC drives on a loaded machine


class GatedRatings(RatingService):
    """Background drives wait until `gate` is set; the caller's own drive does not."""

    def __init__(self) -> None:
        super().__init__()
        self.gate = threading.Event()

    def _work(self) -> None:
        self.gate.wait()
        super()._work()


@pytest.fixture
def gated():
    """A fresh gated service (nothing known yet); what it did not start is dropped after."""
    ratings = GatedRatings()
    yield ratings
    ratings.drop_queued()
    ratings.gate.set()


def _command(name: str, **args) -> Command:
    return Command(name, f"rid-{name}", args)


def test_option_costs_are_not_available_until_driven_then_known(gated):
    ratings = gated
    car = ScenarioVehicle("showcase", seed=1, configuration="heritage", ratings=ratings)
    values = car.signal_values()
    assert values["Vehicle.Ema.Body.Tailgate.SpareWheel.IsFitted"] is True
    assert values["Vehicle.Ema.Configuration.RatedRange"] > 400e3  # its own drive: at start
    assert values[COST + "SpareWheel"] is None  # fitted, its drive not done: not available
    assert values[COST + "RoofRack"] == 0.0  # not fitted: costs nothing, known at once
    generation = car.change_generation
    ratings.gate.set()
    assert car.wait_for_ratings(WAIT_S)
    assert car.change_generation > generation  # the node sends the frame again at once
    assert 2e3 < car.signal_values()[COST + "SpareWheel"] < 15e3


def test_the_configuration_frame_is_the_configuration():
    car = ScenarioVehicle("showcase", seed=1, configuration="expedition")
    values = car.signal_values()
    config = load_configuration("expedition")
    assert values["Vehicle.Powertrain.TractionBattery.NetCapacity"] == 85 * 3.6e6
    assert values["Vehicle.CurbWeight"] == spec_for(config).mass_kg
    assert values["Vehicle.Body.BodyColor"] == "PANGEA_GREEN"
    assert values["Vehicle.Ema.Body.Roof.Color"] == "NARVIK_BLACK"
    assert values["Vehicle.Ema.Body.DecalPack"] == "TOPO_LINES"
    assert values["Vehicle.Ema.Chassis.WheelPackage"] == "ALL_TERRAIN_20"
    assert values["Vehicle.Chassis.Axle.Row2.TireDiameter"] == pytest.approx(0.853)
    assert values["Vehicle.Ema.Body.RoofRack"] == "RACK_LOADED"
    assert values[JUMP_SEAT] is True and values["Vehicle.Ema.Body.WheelArchExtensions.IsFitted"]


def test_a_car_without_the_jump_seat_says_so_and_refuses_to_seat_anyone_there():
    car = ScenarioVehicle("showcase", seed=1, configuration="road")
    car.advance(6.0)  # the showcase belts someone in Row1.Middle at 4 s
    values = car.signal_values()
    assert values[JUMP_SEAT] is False
    assert values[MIDDLE + "IsOccupied"] is None and values[MIDDLE + "IsBelted"] is None
    assert values["Vehicle.Cabin.Seat.Row1.DriverSide.IsOccupied"] is True
    refused = [r for r in car.runner.event_log if not r.decision.accepted]
    assert [r.event.type for r in refused] == ["belt"]
    assert "no jump seat" in refused[0].decision.message
    decision = car.runner.vehicle.set_occupant("Row1.Middle", True)
    assert not decision.accepted and decision.code == "no_such_seat"


def test_refit_restarts_the_scenario_with_the_new_car_at_once_when_rated():
    ratings = RatingService(child_process=False)  # drives here: the session's cache serves
    car = ScenarioVehicle("showcase", seed=1, ratings=ratings)
    assert ratings.wait_for(rating_specs(load_configuration("road")), WAIT_S)
    car.advance(30.0)
    command = _command("sim_set_configuration", configuration="road")
    decision = car.execute(command)
    assert decision.accepted and "starts again" in decision.text
    assert car.is_complete(command)
    assert car.runner.time_s == 0.0 and car.configuration.name == "road"
    assert car.signal_values()["Vehicle.Ema.Chassis.WheelPackage"] == "ROAD_22"
    assert car.signal_values()[COST + "Wheels"] > 0.0


def test_refit_waits_for_the_new_cars_drive_while_the_old_car_keeps_driving(gated):
    ratings = gated
    car = ScenarioVehicle("showcase", seed=1, ratings=ratings)
    command = _command("sim_set_configuration", configuration="heritage")
    generation = car.change_generation
    decision = car.execute(command)
    assert decision.accepted and "once its WLTC drive is done" in decision.text
    car.advance(1.0)
    assert not car.is_complete(command) and car.configuration.name == "default"
    assert car.runner.time_s == pytest.approx(1.0)
    ratings.gate.set()
    assert ratings.wait_for([spec_for(load_configuration("heritage"))], WAIT_S)
    car.advance(0.1)
    assert car.is_complete(command) and car.configuration.name == "heritage"
    assert car.change_generation > generation
    assert car.signal_values()["Vehicle.Ema.Body.DecalPack"] == "HERITAGE_NUMERAL"


def test_an_unknown_configuration_is_refused():
    car = ScenarioVehicle("showcase", seed=1)
    decision = car.execute(_command("sim_set_configuration", configuration="limousine"))
    assert not decision.accepted and decision.reason == "invalid_argument"
