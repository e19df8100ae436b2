"""Command tracking: pending, accepted, completed, refused, timed out."""

from __future__ import annotations

from hmi.commands import CommandPhase, CommandTracker
from protocols import CommandResult, ResultStatus


def tracker() -> tuple[CommandTracker, list]:
    sent: list = []

    def sender(name, args):
        sent.append((name, dict(args)))
        return f"rid{len(sent)}"

    return CommandTracker(sender, timeout_s=3.0), sent


def test_send_goes_through_the_sender_and_is_pending() -> None:
    commands, sent = tracker()
    tracked = commands.send("set_charge_limit", {"percent": 85}, 0.0)
    assert (sent, tracked.phase) == ([("set_charge_limit", {"percent": 85})],
                                     CommandPhase.PENDING)


def test_result_matches_by_rid() -> None:
    commands, _ = tracker()
    commands.send("set_charge_limit", {"percent": 85}, 0.0)
    commands.on_result(CommandResult("rid1", "set_charge_limit", ResultStatus.COMPLETED), 1.0)
    assert commands.latest("set_charge_limit").phase is CommandPhase.COMPLETED


def test_unknown_rid_changes_nothing() -> None:
    commands, _ = tracker()
    commands.send("set_charge_limit", {"percent": 85}, 0.0)
    assert commands.on_result(CommandResult("other", "set_charge_limit",
                                            ResultStatus.COMPLETED), 1.0) is None
    assert commands.latest("set_charge_limit").phase is CommandPhase.PENDING


def test_rejection_keeps_its_reason() -> None:
    commands, _ = tracker()
    commands.send("set_terrain_program", {"program": "SAND"}, 0.0)
    commands.on_result(CommandResult("rid1", "set_terrain_program", ResultStatus.REJECTED,
                                     "speed_too_high"), 1.0)
    assert commands.latest("set_terrain_program").reason_text == "Slow down first"


def test_silence_times_out_as_no_response() -> None:
    commands, _ = tracker()
    commands.send("set_terrain_program", {"program": "SAND"}, 0.0)
    commands.expire(3.5)
    latest = commands.latest("set_terrain_program")
    assert (latest.phase, latest.reason) == (CommandPhase.REFUSED, "no_response")


def test_newer_request_in_a_slot_replaces_the_older() -> None:
    commands, _ = tracker()
    commands.send("set_terrain_program", {"program": "SAND"}, 0.0)
    commands.send("set_terrain_program", {"program": "ECO"}, 0.1)
    assert commands.latest("set_terrain_program").args == {"program": "ECO"}


def test_slots_keep_axles_apart() -> None:
    commands, _ = tracker()
    commands.send("set_axle_locker", {"axle": "FRONT", "engaged": True}, 0.0, "lock:FRONT")
    commands.send("set_axle_locker", {"axle": "REAR", "engaged": True}, 0.0, "lock:REAR")
    assert commands.latest("lock:FRONT").args["axle"] == "FRONT"


def test_a_command_for_a_vehicle_that_cannot_hear_is_refused_at_once_and_never_sent() -> None:
    from hmi.commands import CommandPhase, CommandTracker

    sent: list[str] = []
    tracker = CommandTracker(lambda name, args: sent.append(name) or "rid-1")
    tracker.reachable = lambda: False
    tracked = tracker.send("set_terrain_program", {"program": "SAND"}, 1.0)
    assert (tracked.phase, tracked.reason, sent) == (CommandPhase.REFUSED, "offline", [])
    assert tracker.latest("set_terrain_program") == tracked
    assert tracker.expire(10.0) == []   # never "no response": it was never sent
    tracker.reachable = lambda: True
    assert tracker.send("set_terrain_program", {"program": "SAND"}, 2.0).phase is \
        CommandPhase.PENDING and sent == ["set_terrain_program"]
