"""The charge-limit control sends a command and shows its result."""

from __future__ import annotations

import queue

from protocols import ResultStatus
from tests.hmi.conftest import advance_until, publish_all, tap
from tests.support.sample_vehicle import charging_session

LIMIT = "Vehicle.Powertrain.TractionBattery.Charging.ChargeLimit"


def next_command(vehicle):
    got = []

    def arrived():
        try:
            got.append(vehicle.commands.get_nowait())
        except queue.Empty:
            return False
        return True

    advance_until(arrived, 3.0, "a command on the bus")
    return got[0]


def test_plus_requests_five_percent_more(hmi, vehicle) -> None:
    publish_all(vehicle, charging_session())
    screen = hmi.screen("charging")
    hmi.wait(lambda: screen.ids.limit_value.text == "80 %", what="limit shown")
    tap(screen.ids.limit_up)
    command = next_command(vehicle)
    assert (command.name, command.args) == ("set_charge_limit", {"percent": 85})


def test_limit_shows_pending_then_the_result(hmi, vehicle) -> None:
    publish_all(vehicle, charging_session())
    screen = hmi.screen("charging")
    hmi.wait(lambda: screen.ids.limit_value.text == "80 %", what="limit shown")
    tap(screen.ids.limit_up)
    assert (screen.ids.limit_value.text, hmi.models.charging.limit_status_text) == (
        "85 %", "Setting 85 %…")
    assert hmi.snapshot()["charge_limit"] == {"setpoint": "85 %", "status": "Setting 85 %…",
                                              "value": 85, "state": "pending", "key": None}
    command = next_command(vehicle)
    vehicle.state("charging", {LIMIT: 85})
    vehicle.result(command, ResultStatus.COMPLETED)
    hmi.wait(lambda: hmi.models.charging.limit_status_text == "Limit set to 85 %",
             what="completed")
    limit = hmi.snapshot()["charge_limit"]
    assert (limit["value"], limit["state"], limit["key"]) == (85, "completed", None)


def test_refused_limit_falls_back_with_the_reason(hmi, vehicle) -> None:
    publish_all(vehicle, charging_session())
    screen = hmi.screen("charging")
    hmi.wait(lambda: screen.ids.limit_value.text == "80 %", what="limit shown")
    tap(screen.ids.limit_down)
    vehicle.result(next_command(vehicle), ResultStatus.REJECTED, "not_available")
    hmi.wait(lambda: hmi.models.charging.limit_refused, what="refused")
    assert (screen.ids.limit_value.text, hmi.models.charging.limit_status_text) == (
        "80 %", "Refused: Not available now")
    limit = hmi.snapshot()["charge_limit"]
    assert (limit["value"], limit["state"], limit["key"]) == (80, "refused", "not_available")
