"""Commands carry a MAC over (vehicle, name, rid, counter, args); the simulator refuses forged,
tampered, misdirected and replayed commands with a reason and changes nothing (UNECE R155)."""

from __future__ import annotations

import os
import time
import uuid

import msgpack

from protocols import Codec, Command, ResultStatus, now_us
from protocols.auth import (
    DEVELOPMENT_KEY,
    ENV_KEY_FILE,
    CommandKey,
    CommandSigner,
    CommandVerifier,
    compute_mac,
    read_key_file,
)
from tests.reliability.conftest import SimProcess, advance_until, figure, scenario_file
from tests.support.cockpit import CockpitProbe
from tests.support.wait import wait_until

LIMIT = "Vehicle.Powertrain.TractionBattery.Charging.ChargeLimit"
CODEC = Codec()
DEV = CommandKey(DEVELOPMENT_KEY, True)


def signed(vehicle: str, name: str, args: dict, key: CommandKey = DEV, rid: str | None = None,
           ctr: int | None = None) -> tuple[Command, bytes]:
    command = CommandSigner(key, vehicle).sign(Command(name, rid or uuid.uuid4().hex[:12], args))
    if ctr is not None:
        command = Command(command.name, command.rid, command.args, 0, 0, ctr,
                          compute_mac(key.secret, vehicle, name, command.rid, ctr, command.args))
    return command, CODEC.encode_command(command)


def raw_signed(vehicle: str, name: str, rid: str, args: dict,
               key: bytes = DEVELOPMENT_KEY) -> bytes:
    """Signed by the right key, but with arguments the codec refuses."""
    ctr = now_us()
    return msgpack.packb({"v": 3, "seq": 1, "ts": ctr, "rid": rid, "args": args, "ctr": ctr,
                          "mac": compute_mac(key, vehicle, name, rid, ctr, args)})


def wait_limit(probe: CockpitProbe, value: int) -> None:
    probe.wait_for(lambda c: c.values.get(LIMIT) == value, timeout_s=5)


def steady(probe: CockpitProbe) -> None:
    """Two more charging frames, so any effect of what was sent would show."""
    seen = probe.frames_seen.get("charging", 0)
    probe.wait_for(lambda c: c.frames_seen.get("charging", 0) >= seen + 2, timeout_s=5)


def test_forged_tampered_and_misdirected_commands_are_refused(mosquitto, vehicle_id,
                                                              parked_sim_on) -> None:
    sim = parked_sim_on(mosquitto.url, vehicle_id)
    probe = CockpitProbe(mosquitto.url, vehicle_id).start()
    try:
        probe.wait_for(lambda c: c.values.get(LIMIT) is not None)
        before = probe.values[LIMIT]
        name, args = "set_charge_limit", {"percent": 55}
        genuine, _ = signed(vehicle_id, name, args)
        forged = {
            "unsigned": CODEC.encode_command(Command(name, "u-1", args)),
            "wrong key": signed(vehicle_id, name, args, CommandKey(os.urandom(32)))[1],
            "tampered args": CODEC.encode_command(
                Command(name, "t-1", {"percent": 95}, 0, 0, genuine.ctr, signed(
                    vehicle_id, name, args, rid="t-1", ctr=genuine.ctr)[0].mac)),
            "counter moved": CODEC.encode_command(
                Command(name, "c-1", args, 0, 0, genuine.ctr + 10**9, signed(
                    vehicle_id, name, args, rid="c-1", ctr=genuine.ctr)[0].mac)),
            "signed for another vehicle": signed("ema-99", name, args, rid="o-1")[1],
        }
        rids = {}
        for case, payload in forged.items():
            rids[case] = CODEC.decode_command(name, payload).rid
            probe.send_raw(name, payload)
        for case, rid in rids.items():
            result = probe.result_for(rid)
            assert (result.status, result.reason) == (ResultStatus.REJECTED, "unauthorised"), case
        # A forged simulator control is refused the same way.
        pause = CODEC.encode_command(Command("sim_pause", "p-1", {"paused": True}))
        probe.transport.publish(probe.topics.sim("sim_pause"), pause, qos=1)
        assert probe.result_for("p-1").reason == "unauthorised"
        steady(probe)
        assert probe.values[LIMIT] == before and sim.node.paused is False
        assert sim.node.counters.unauthorised == len(forged) + 1
        # The genuine command still works: the refusals were the MAC's doing.
        probe.send(name, percent=60)
        wait_limit(probe, 60)
        figure(f"auth: {len(forged) + 1} forged/tampered/misdirected commands refused "
               f"'unauthorised', state unchanged")
    finally:
        probe.close()


def test_replayed_commands_change_nothing(mosquitto, vehicle_id, parked_sim_on) -> None:
    sim = parked_sim_on(mosquitto.url, vehicle_id)
    assert sim.node.verifier is not None
    sim.node.verifier.window_us = 100_000  # make "later" 0.1 s instead of 2 s
    probe = CockpitProbe(mosquitto.url, vehicle_id).start()
    try:
        name = "set_charge_limit"
        first, first_bytes = signed(vehicle_id, name, {"percent": 85})
        probe.send_raw(name, first_bytes)
        probe.result_for(first.rid, ResultStatus.COMPLETED)
        second = probe.send(name, percent=70)
        probe.result_for(second.rid, ResultStatus.COMPLETED)
        wait_limit(probe, 70)
        # 1. The captured bytes of an executed command, sent again: answered again, not applied.
        probe.send_raw(name, first_bytes)
        assert probe.result_for(first.rid).status is ResultStatus.ACCEPTED
        # 2. A command captured and withheld, played after newer ones: refused by its counter.
        withheld, withheld_bytes = signed(vehicle_id, name, {"percent": 95})
        # the newer command must be signed more than the window after the withheld one
        window_us = sim.node.verifier.window_us
        wait_until(lambda: now_us() > withheld.ctr + window_us, 1, "the window passed")
        probe.result_for(probe.send(name, percent=65).rid, ResultStatus.COMPLETED)
        probe.send_raw(name, withheld_bytes)
        result = probe.result_for(withheld.rid)
        assert (result.status, result.reason) == (ResultStatus.REJECTED, "replayed")
        # 3. A recording from before the vehicle started (counter far in the past).
        old, old_bytes = signed(vehicle_id, name, {"percent": 50}, ctr=now_us() - 600_000_000)
        probe.send_raw(name, old_bytes)
        assert probe.result_for(old.rid).reason == "replayed"
        steady(probe)
        assert probe.values[LIMIT] == 65
        assert (sim.node.counters.duplicates, sim.node.counters.replayed) == (1, 2)
        figure("auth: replay of executed command answered again and not applied; withheld and "
               "pre-start commands refused 'replayed'")
    finally:
        probe.close()


def test_invalid_commands_are_refused_with_a_reason(mosquitto, vehicle_id, parked_sim_on) -> None:
    parked_sim_on(mosquitto.url, vehicle_id)
    probe = CockpitProbe(mosquitto.url, vehicle_id).start()
    try:
        probe.wait_for(lambda c: c.values.get(LIMIT) is not None)
        before = dict(probe.values)
        cases = {
            "unknown program":
                ("set_terrain_program", "i-1", {"program": "TURBO"}, "invalid_argument"),
            "charge limit out of range":
                ("set_charge_limit", "i-2", {"percent": 20}, "invalid_argument"),
            "charge limit wrong type":
                ("set_charge_limit", "i-3", {"percent": "90"}, "invalid_argument"),
            "unknown command": ("self_destruct", "i-4", {}, "unknown_command"),
        }
        for name, rid, args, _ in cases.values():
            probe.send_raw(name, raw_signed(vehicle_id, name, rid, args))
        for case, (_, rid, _, reason) in cases.items():
            result = probe.result_for(rid)
            assert (result.status, result.reason) == (ResultStatus.REJECTED, reason), case
            assert result.text, case
        steady(probe)
        for path in (LIMIT, "Vehicle.Ema.TerrainResponse.Program.Active"):
            assert probe.values[path] == before[path]
    finally:
        probe.close()


def test_hmi_signs_with_the_provisioned_key(mosquitto, vehicle_id, parked_sim_on, hmi_on,
                                            tmp_path, monkeypatch) -> None:
    key_file = tmp_path / "command.key"
    key_file.write_text(os.urandom(32).hex())
    monkeypatch.setenv(ENV_KEY_FILE, str(key_file))
    sim = parked_sim_on(mosquitto.url, vehicle_id)
    provisioned = read_key_file(str(key_file))
    sim.node.verifier = CommandVerifier(provisioned, vehicle_id)
    sim.node.sealer = provisioned.sealer(vehicle_id)  # its frames and results too
    harness = hmi_on(mosquitto.url, vehicle_id)
    assert harness.models.link.key_text == "Provisioned"
    tracker = harness.hmi.commands
    # a command for a vehicle not yet live is not sent at all ("Not connected", issue 16)
    advance_until(lambda: tracker.reachable is None or tracker.reachable(), 5, "the vehicle live")
    tracked = tracker.send("set_charge_limit", {"percent": 90}, time.monotonic())
    advance_until(lambda: tracker.latest("set_charge_limit").phase.value == "completed", 5,
                  "completed with the provisioned key")
    # The vehicle provisioned with another key refuses the same HMI.
    sim.node.verifier = CommandVerifier(CommandKey(os.urandom(32)), vehicle_id)
    tracked = tracker.send("set_charge_limit", {"percent": 70}, time.monotonic())
    refused = advance_until(lambda: tracker.latest("set_charge_limit").reason, 5, "refusal")
    assert refused == "unauthorised" and tracked.rid == tracker.latest("set_charge_limit").rid
    assert sim.node.counters.unauthorised == 1


def test_sim_cli_takes_the_key_from_a_file_and_never_logs_it(mosquitto, vehicle_id,
                                                             tmp_path) -> None:
    secret = os.urandom(32).hex()
    key_file = tmp_path / "command.key"
    key_file.write_text(secret)
    scenario = scenario_file(tmp_path)
    dev = SimProcess(mosquitto.url, vehicle_id + "d", scenario, tmp_path / "dev.log").start()
    sim = SimProcess(mosquitto.url, vehicle_id, scenario, tmp_path / "sim.log",
                     "--command-key-file", str(key_file), "--log-level", "DEBUG").start()
    probe = CockpitProbe(mosquitto.url, vehicle_id)
    probe.sealer = CommandKey(bytes.fromhex(secret)).sealer(vehicle_id)  # it signs its frames
    probe.start()
    try:
        probe.wait_for(lambda c: c.online is True, timeout_s=10)
        probe.signer = CommandSigner(CommandKey(bytes.fromhex(secret)), vehicle_id)
        probe.result_for(probe.send("set_charge_limit", percent=75).rid, ResultStatus.COMPLETED)
        probe.signer = CommandSigner(DEV, vehicle_id)
        forged = probe.send("set_charge_limit", percent=60)
        assert probe.result_for(forged.rid).reason == "unauthorised"
    finally:
        probe.close()
        sim.stop()
        dev.stop()
    log = sim.log()
    assert secret not in log and secret[:16] not in log and "INSECURE" not in log
    assert "INSECURE development command key" in dev.log()
