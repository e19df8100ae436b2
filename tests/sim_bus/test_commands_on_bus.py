"""Commands end to end through a real Mosquitto: request, result, state change on the bus."""

from __future__ import annotations

import msgpack
import pytest

from protocols import ResultStatus

ACTIVE = "Vehicle.Ema.TerrainResponse.Program.Active"
SPEED = "Vehicle.Speed"
LIMIT = "Vehicle.Powertrain.TractionBattery.Charging.ChargeLimit"


def test_program_request_is_accepted_then_completed_and_shown(stepped_sim, cockpit) -> None:
    cockpit.wait_for(lambda c: c.values.get(ACTIVE) == "COMFORT")
    command = cockpit.send("set_terrain_program", program="SAND")
    stepped_sim.answer(cockpit, command.rid, ResultStatus.ACCEPTED)
    assert cockpit.result_for(command.rid).status is ResultStatus.ACCEPTED
    stepped_sim.answer(cockpit, command.rid, ResultStatus.COMPLETED, max_s=10)
    cockpit.result_for(command.rid, ResultStatus.COMPLETED, timeout_s=10)
    stepped_sim.step_until(cockpit, lambda c: c.values.get(ACTIVE) == "SAND")


def test_rock_crawl_refused_at_speed_keeps_program(cruising_sim, cockpit) -> None:
    cockpit.wait_for(lambda c: (c.values.get(SPEED) or 0) > 20, timeout_s=15)
    command = cockpit.send("set_terrain_program", program="ROCK_CRAWL")
    result = cockpit.result_for(command.rid)
    assert (result.status, result.reason) == (ResultStatus.REJECTED, "speed_too_high")
    assert result.text
    cockpit.wait_for(lambda c: c.frames_seen.get("terrain", 0) > 3)
    assert cockpit.values[ACTIVE] == "COMFORT"


def test_charge_limit_changes_state(parked_sim, cockpit) -> None:
    command = cockpit.send("set_charge_limit", percent=90)
    cockpit.result_for(command.rid, ResultStatus.COMPLETED)
    cockpit.wait_for(lambda c: c.values.get(LIMIT) == 90)


def test_malformed_command_is_answered_and_changes_nothing(parked_sim, cockpit) -> None:
    cockpit.send_raw("set_charge_limit", cockpit.signed_payload("set_charge_limit", "bad-1",
                                                                {"percent": 500}))
    result = cockpit.result_for("bad-1")
    assert (result.status, result.reason) == (ResultStatus.REJECTED, "invalid_argument")
    cockpit.send_raw("set_charge_limit", b"\xc1 not msgpack")
    follow_up = cockpit.send("set_charge_limit", percent=70)
    cockpit.result_for(follow_up.rid, ResultStatus.COMPLETED)
    assert parked_sim.node.counters.malformed == 2


@pytest.mark.parametrize("mac", [None, b"\0" * 16], ids=["unsigned", "forged"])
def test_unauthentic_command_gets_one_answer_whatever_its_arguments(parked_sim, cockpit,
                                                                   mac) -> None:
    """The MAC is checked before anything else: a sender without the key cannot learn which
    arguments, or which commands, the vehicle would take."""
    cases = {"f-valid": ("set_charge_limit", {"percent": 70}),
             "f-invalid": ("set_charge_limit", {"percent": 500}),
             "f-missing": ("set_charge_limit", {}),
             "f-unknown": ("self_destruct", {})}
    for rid, (name, args) in cases.items():
        if mac is None:
            payload = msgpack.packb({"v": 3, "seq": 1, "ts": 1, "rid": rid, "args": args})
        else:
            payload = cockpit.signed_payload(name, rid, args, mac=mac)
        cockpit.send_raw(name, payload)
    for rid in cases:
        result = cockpit.result_for(rid)
        assert (result.status, result.reason) == (ResultStatus.REJECTED, "unauthorised"), rid
    assert parked_sim.node.counters.unauthorised == len(cases)


def test_unknown_command_is_rejected(parked_sim, cockpit) -> None:
    cockpit.send_raw("self_destruct", cockpit.signed_payload("self_destruct", "x-1", {}))
    assert cockpit.result_for("x-1").reason == "unknown_command"


def test_reused_request_id_on_another_command_is_rejected_and_changes_nothing(
        stepped_sim, cockpit) -> None:
    first = cockpit.send("set_charge_limit", rid="same-rid", percent=85)
    stepped_sim.answer(cockpit, first.rid, ResultStatus.COMPLETED)
    cockpit.result_for(first.rid, ResultStatus.COMPLETED)
    cockpit.send("set_charge_limit", rid="same-rid", percent=55)
    stepped_sim.answer(cockpit, "same-rid", ResultStatus.REJECTED)
    assert cockpit.result_for("same-rid", ResultStatus.REJECTED).reason == "duplicate_request"
    stepped_sim.step_until(cockpit, lambda c: c.frames_seen.get("charging", 0) > 2, max_s=5)
    assert cockpit.values[LIMIT] == 85
    assert stepped_sim.node.counters.duplicates == 1
