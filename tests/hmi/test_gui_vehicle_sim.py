"""The owner's car from the real simulator to the Vehicle screen (vehicle_sim in-process on the
real Mosquitto): what the model computed by driving WLTC is what the driver reads, and a refit
on the bus redraws the car. The frames are the simulator's own, sealed and ordered, so this is
the configuration's round trip end to end; the contract-level checks (retained copy, staleness,
forged and replayed frames) are tests/sim_bus/test_configuration_on_bus.py."""

from __future__ import annotations

import pytest

from hmi.units import METRES_PER_MILE
from protocols import ResultStatus
from tests.sim_bus.conftest import PARKED, RunningSim, _scenario
from tests.support.cockpit import CockpitProbe
from vehicle_sim.model import load_configuration, range_breakdown, rating_specs
from vehicle_sim.ratings import SHARED
from vehicle_sim.simulated import ScenarioVehicle

RATING_WAIT_S = 180.0   # every drive of both cars, ~2 s each, when no other test did them first
OPTION_NAMES = {"Wheels": "wheels", "RoofRack": "roof_rack", "WheelArchExtensions": "arches",
                "SpareWheel": "spare_wheel", "JumpSeat": "jump_seat"}


@pytest.fixture
def sim(mosquitto, vehicle_id, tmp_path):
    """The expedition car, parked; its ratings driven before it starts, so its frame carries
    every option's cost from the first heartbeat."""
    for name in ("expedition", "road"):
        assert SHARED.wait_for(rating_specs(load_configuration(name)), RATING_WAIT_S)
    vehicle = ScenarioVehicle(_scenario(tmp_path, PARKED), seed=3, configuration="expedition")
    running = RunningSim(mosquitto.url, vehicle_id, None, vehicle=vehicle).start()
    yield running
    running.stop()


def shown_car(hmi) -> dict:
    return hmi.snapshot()["vehicle"]


def test_the_screen_draws_the_simulated_car_with_its_computed_costs(sim, hmi) -> None:
    hmi.models.preferences.choose("distance", "mi")
    hmi.wait(lambda: shown_car(hmi)["state"] == "fresh" and shown_car(hmi)["costs"], 5.0,
             "the configuration drawn")
    car = shown_car(hmi)
    assert (car["paint"], car["roof"], car["wheels"], car["roof_rack"]) == (
        "PANGEA_GREEN", "NARVIK_BLACK", "ALL_TERRAIN_20", "RACK_LOADED")
    assert (car["arches"], car["spare_wheel"], car["jump_seat"]) == (True, True, "fitted")
    # The simulator's own drives (the service's cache: nothing is driven again here).
    computed = range_breakdown(load_configuration("expedition"), SHARED.consumption_now)
    for option, cost_m in computed.option_cost_m:
        cost = car["costs"][OPTION_NAMES[option]]
        assert cost["unit"] == "mi"   # the driver's distance unit
        assert cost["text"] == f"−{round(cost_m / METRES_PER_MILE)}", option
    assert car["rated_range"]["text"] == f"{round(computed.rated_range_m / METRES_PER_MILE)}"


def test_a_refit_on_the_bus_redraws_the_car(sim, hmi, mosquitto, vehicle_id) -> None:
    hmi.wait(lambda: shown_car(hmi)["roof_rack"] == "RACK_LOADED", 5.0, "the expedition car")
    designer = CockpitProbe(mosquitto.url, vehicle_id).start()
    try:
        command = designer.control("sim_set_configuration", configuration="road")
        designer.result_for(command.rid, ResultStatus.COMPLETED, timeout_s=10.0)
    finally:
        designer.close()
    hmi.wait(lambda: shown_car(hmi)["wheels"] == "ROAD_22", 5.0, "the road car")
    car = shown_car(hmi)
    assert (car["paint"], car["roof_rack"], car["spare_wheel"]) == ("EIGER_GREY", "NONE", False)
    assert car["jump_seat"] == "not_fitted"
    assert set(car["fitted"]) == {"wheels"}


def test_the_cabin_wears_the_simulated_mark_from_the_real_simulator(sim, hmi) -> None:
    """The demo's simulator says it is one on the wire: the cabin marks it (issue 16 item 6)."""
    hmi.wait(lambda: hmi.models.configuration.simulated, 5.0, "the simulated mark")
    assert hmi.root.ids.simulated_mark.text == "Simulated"
