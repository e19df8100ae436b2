"""The shipped broker configuration, users and ACL, on a real Mosquitto.

Denials are checked by delivery, not by acknowledgements: Mosquitto acknowledges a denied
publish (MQTT 3.1.1) and grants a subscription it will never feed. Each negative check has a
positive control through the same subscriber.
"""

from __future__ import annotations

import socket
import time

import paho.mqtt.client as mqtt
import pytest

from tests.deploy.conftest import (
    ROLES,
    Probe,
    ShippedBroker,
    assert_nothing_arrives,
    token,
)

pytestmark = pytest.mark.broker

LISTENERS = ("loopback", "network")


def refused(code: mqtt.ReasonCode) -> bool:
    """A CONNACK refusing the login (paho 2 reports 3.1.1 codes as MQTT 5 reason codes)."""
    return code.is_failure and code.getName() in ("Not authorized", "Bad user name or password")


@pytest.mark.parametrize("listener", LISTENERS)
def test_anonymous_clients_are_refused(broker: ShippedBroker, listener: str) -> None:
    port = broker.loopback_port if listener == "loopback" else broker.network_port
    probe = Probe(port)
    try:
        code = probe.connect()
        assert refused(code), code
    finally:
        probe.close()


@pytest.mark.parametrize("listener", LISTENERS)
@pytest.mark.parametrize("role", ROLES)
def test_each_role_logs_in(connect, role: str, listener: str) -> None:
    connect(role, listener)


@pytest.mark.parametrize("listener", LISTENERS)
@pytest.mark.parametrize(("username", "password"), [
    ("hmi", "wrong"),
    ("injector", ""),
    ("sim", None),          # user name without password
    ("admin", "admin"),     # no such user
])
def test_bad_credentials_are_refused(broker: ShippedBroker, listener: str, username: str,
                                     password: str | None) -> None:
    port = broker.loopback_port if listener == "loopback" else broker.network_port
    probe = Probe(port, username, password)
    try:
        code = probe.connect()
        assert refused(code), code
    finally:
        probe.close()


def test_password_with_a_space_from_the_environment_works(broker: ShippedBroker) -> None:
    assert broker.passwords["hmi"] == "hmi pass 1"
    assert all(len(broker.passwords[role]) >= 20 for role in ("sim", "injector"))


def test_hmi_cannot_publish_what_the_vehicle_publishes(connect, vehicle: str) -> None:
    base = f"ema/v1/{vehicle}"
    watcher = connect("injector")
    watcher.subscribe(f"{base}/#")
    hmi = connect("hmi")
    sim = connect("sim")
    forbidden = []
    for topic in (f"{base}/state/drive", f"{base}/status", f"{base}/result"):
        forbidden.append(token("hmi-forged"))
        hmi.publish(topic, forbidden[-1], retain=topic.endswith("drive"))
    control = token("sim-state")
    sim.publish(f"{base}/state/drive", control)
    assert_nothing_arrives(watcher, forbidden, control)

    # Nothing forged was retained either: a late subscriber finds no retained state.
    late = connect("injector")
    late.subscribe(f"{base}/state/+")
    retained_control = token("sim-retained")
    sim.publish(f"{base}/state/battery", retained_control, retain=True)
    late.wait_for(retained_control)
    assert not set(forbidden) & set(late.payloads())


def test_hmi_denied_publish_is_reported_to_mqtt5_clients(connect, vehicle: str) -> None:
    hmi = connect("hmi", protocol=mqtt.MQTTv5)
    code = hmi.publish(f"ema/v1/{vehicle}/state/drive", b"x")
    assert code is not None and code.getName() == "Not authorized", code


def test_hmi_sends_commands_and_diagnostics(connect, vehicle: str) -> None:
    base = f"ema/v1/{vehicle}"
    sim = connect("sim")
    sim.subscribe(f"{base}/cmd/+")
    injector = connect("injector")
    injector.subscribe(f"{base}/hmi/#")
    hmi = connect("hmi")
    hmi.subscribe(f"{base}/hmi/#")

    command = token("cmd")
    hmi.publish(f"{base}/cmd/set_terrain", command)
    assert sim.wait_for(command)[0] == f"{base}/cmd/set_terrain"

    screen = token("screen")
    hmi.publish(f"{base}/hmi/screen", screen)
    injector.wait_for(screen)

    request = token("request")
    injector.publish(f"{base}/hmi/screenshot", request)
    hmi.wait_for(request)


def test_hmi_reads_the_vehicle_including_retained_state(connect, vehicle: str) -> None:
    base = f"ema/v1/{vehicle}"
    sim = connect("sim")
    state, status = token("state"), token("online")
    sim.publish(f"{base}/state/drive", state, retain=True)
    sim.publish(f"{base}/status", status, retain=True)
    hmi = connect("hmi")
    hmi.subscribe(f"{base}/state/+", f"{base}/status", f"{base}/result")
    assert hmi.wait_for(state)[2] is True          # retained, delivered on subscribe
    assert hmi.wait_for(status)[2] is True
    result = token("result")
    sim.publish(f"{base}/result", result)
    hmi.wait_for(result)


def test_subscribing_to_everything_leaks_nothing_beyond_the_role(connect, vehicle: str) -> None:
    """Mosquitto 2.0's acl_file accepts any subscription filter but filters every message:
    '#' brings the hmi what it may read anyway (state) and nothing else (commands, $SYS)."""
    base = f"ema/v1/{vehicle}"
    hmi = connect("hmi")
    hmi.subscribe("#", "$SYS/#", "ema/v1/+/cmd/+")
    sim = connect("sim")
    sim.subscribe("#")
    injector = connect("injector")
    command = token("cmd-for-sim")
    injector.publish(f"{base}/cmd/set_terrain", command)
    state = token("state-for-hmi")
    injector.publish(f"{base}/state/drive", state)

    assert_nothing_arrives(hmi, [command], state)
    assert not [t for t in hmi.topics() if t.startswith("$SYS")], hmi.topics()
    assert_nothing_arrives(sim, [state], command)


def test_sim_cannot_publish_commands_or_diagnostics(connect, vehicle: str) -> None:
    base = f"ema/v1/{vehicle}"
    watcher = connect("injector")
    watcher.subscribe(f"{base}/#")
    sim = connect("sim")
    hmi = connect("hmi")
    forbidden = [token("sim-cmd"), token("sim-hmi")]
    sim.publish(f"{base}/cmd/set_terrain", forbidden[0])
    sim.publish(f"{base}/hmi/screen", forbidden[1])
    control = token("hmi-cmd")
    hmi.publish(f"{base}/cmd/set_terrain", control)
    assert_nothing_arrives(watcher, forbidden, control)


def test_injector_publishes_raw_state_and_commands(connect, vehicle: str) -> None:
    base = f"ema/v1/{vehicle}"
    hmi = connect("hmi")
    hmi.subscribe(f"{base}/state/+", f"{base}/status")
    sim = connect("sim")
    sim.subscribe(f"{base}/cmd/+")
    injector = connect("injector")

    raw = b"\xc1 not msgpack " + token("raw")   # anything goes: the injector tests the decoders
    injector.publish(f"{base}/state/drive", raw, retain=True)
    assert hmi.wait_for(raw)[0] == f"{base}/state/drive"
    offline = token("offline")
    injector.publish(f"{base}/status", offline)
    hmi.wait_for(offline)
    command = token("injected-cmd")
    injector.publish(f"{base}/cmd/set_terrain", command)
    sim.wait_for(command)


def test_injector_stays_inside_the_namespace(connect) -> None:
    injector = connect("injector", protocol=mqtt.MQTTv5)
    code = injector.publish("other/namespace", b"x")
    assert code is not None and code.getName() == "Not authorized", code


def test_sim_will_marks_the_vehicle_offline(broker: ShippedBroker, connect, vehicle: str) -> None:
    status = f"ema/v1/{vehicle}/status"
    hmi = connect("hmi")
    hmi.subscribe(status)
    sim = Probe(broker.loopback_port, "sim", broker.passwords["sim"])
    will = token("offline")
    sim.client.will_set(status, will, qos=1, retain=True)
    assert not sim.connect().is_failure
    sim.publish(status, b"online", retain=True)
    hmi.wait_for(b"online")
    # Vanish without DISCONNECT, as a crashed simulator would.
    sim.client.socket().shutdown(socket.SHUT_RDWR)
    sim.client.loop_stop()
    hmi.wait_for(will)
    sim.client.disconnect()


def test_broker_log_records_refusals(broker: ShippedBroker) -> None:
    # The log the docs point to (/var/log/mosquitto/mosquitto.log on the Pi) names refusals.
    probe = Probe(broker.network_port, "admin", "guess")
    try:
        assert probe.connect().is_failure
    finally:
        probe.close()
    deadline = time.monotonic() + 2
    while "not authorised" not in broker.log() and time.monotonic() < deadline:
        time.sleep(0.05)
    assert "not authorised" in broker.log()
