"""An audit of at least 1,000 commands (10,000 in the soak) sent by the HMI's link at QoS 1 with
request ids, while the broker is killed and restarted in mid-command: every command that left the
HMI ends in an answer (none lost), the simulator applies each at most once (none twice), and none
the HMI reports failed was applied."""

from __future__ import annotations

import collections
import time

import pytest

from hmi.link import VehicleLink
from hmi.store import CommandFailed, ResultReceived, SignalStore
from protocols import ResultStatus, VehicleTopics
from protocols.bus import parse_broker_url
from protocols.bus.mqtt import MqttTransport
from tests.reliability.conftest import figure, soak
from tests.support.wait import wait_until


@pytest.mark.timeout(soak(120, 1200))
def test_no_command_lost_or_applied_twice_across_broker_restarts(private_mosquitto, vehicle_id,
                                                                parked_sim_on) -> None:
    broker = private_mosquitto
    sim = parked_sim_on(broker.url, vehicle_id)
    applied: collections.Counter[str] = collections.Counter()
    execute = sim.node.vehicle.execute

    def audited(command):
        applied[command.rid] += 1
        return execute(command)

    sim.node.vehicle.execute = audited
    store = SignalStore()
    link = VehicleLink(MqttTransport(parse_broker_url(broker.url), client_id=f"audit-{vehicle_id}"),
                       VehicleTopics(vehicle_id), store)
    link.start()
    assert link.transport.wait_connected(5)
    target, restarts = soak(1000, 10_000), soak(3, 20)
    restart_at = {target * (i + 1) // (restarts + 1) for i in range(restarts)}
    final: dict[str, str] = {}
    sent_online: list[str] = []
    failed_offline: list[str] = []
    outages: list[float] = []

    def collect() -> None:
        for event in store.drain().events:
            if (isinstance(event, ResultReceived)
                    and event.result.status is not ResultStatus.ACCEPTED):
                final.setdefault(event.result.rid, event.result.reason or event.result.status.value)
            elif isinstance(event, CommandFailed):
                final.setdefault(event.rid, f"failed:{event.reason}")

    try:
        index = 0
        while len(sent_online) < target:
            if restart_at and len(sent_online) >= min(restart_at):
                restart_at.discard(min(restart_at))
                down = time.monotonic()
                broker.kill()                 # commands in flight die with it
                wait_until(lambda: not link.transport.connected, 5, "the link noticing the outage")
                broker.start()
                outages.append(time.monotonic() - down)
            rid = link.send_command("set_charge_limit", {"percent": 50 + index % 51})
            index += 1
            collect()
            # The link's own verdict, put in the store before send_command returns (reading
            # `connected` beforehand races with a reconnect in between).
            # Refused at once and never sent: offline, or busy (the link follows at most
            # MAX_TRACKED_COMMANDS to their end, and says so rather than drop one).
            refused_at_once = final.get(rid) in ("failed:offline", "failed:busy")
            (failed_offline if refused_at_once else sent_online).append(rid)
            time.sleep(0.001)
        deadline = time.monotonic() + 8
        while time.monotonic() < deadline and any(r not in final for r in sent_online):
            collect()
            time.sleep(0.05)
        collect()
    finally:
        link.close()
    outcomes = collections.Counter(final.get(rid, "LOST") for rid in sent_online)
    lost = [rid for rid in sent_online if rid not in final or final[rid].startswith("failed")]
    twice = [rid for rid, n in applied.items() if n > 1]
    applied_but_failed = [rid for rid in failed_offline + lost if applied[rid]]
    figure(f"command audit: {len(sent_online)} commands sent at QoS 1 across {len(outages)} broker "
           f"kill/restart(s); outcomes {dict(outcomes)}; {len(failed_offline)} refused at once "
           f"while offline (never sent); resent by the link {link.resent}; simulator duplicates "
           f"{sim.node.counters.duplicates}; lost {len(lost)}, applied twice {len(twice)}, "
           f"applied though reported failed {len(applied_but_failed)}")
    assert len(outages) == restarts
    assert lost == [] and twice == [] and applied_but_failed == []
    assert all(applied[rid] == 1 for rid in sent_online if final[rid] == "completed")
