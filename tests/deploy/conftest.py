"""A Mosquitto started from the shipped deploy/ files, and small MQTT clients to probe it.

The broker runs the way Raspberry Pi OS runs it: Debian's main mosquitto.conf, which includes
conf.d/, holding deploy/mosquitto/ema.conf. Only paths and port numbers are rewritten (and
`user root` added, since tests run as root and the broker would otherwise drop to `mosquitto`
and lose access to the temporary files), so the tests check the shipped content itself.
"""

from __future__ import annotations

import os
import queue
import re
import shutil
import socket
import subprocess
import threading
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

import paho.mqtt.client as mqtt
import pytest

from tests.support.mosquitto import free_port, wait_for_port

REPO = Path(__file__).resolve().parents[2]
DEPLOY = REPO / "deploy"
SHIPPED_CONF = DEPLOY / "mosquitto" / "ema.conf"
SHIPPED_ACL = DEPLOY / "mosquitto" / "acl"
MAKE_USERS = DEPLOY / "mosquitto" / "make-users.sh"
MAKE_TLS = DEPLOY / "mosquitto" / "make-tls.sh"
ROLES = ("hmi", "sim", "injector")

# /etc/mosquitto/mosquitto.conf of Debian 12 / Raspberry Pi OS bookworm (mosquitto 2.0.11).
DEBIAN_MAIN_CONF = """\
# Place your local configuration in /etc/mosquitto/conf.d/
#
# A full description of the configuration file is at
# /usr/share/doc/mosquitto/examples/mosquitto.conf.example

pid_file /run/mosquitto/mosquitto.pid

persistence true
persistence_location /var/lib/mosquitto/

log_dest file /var/log/mosquitto/mosquitto.log

include_dir /etc/mosquitto/conf.d
"""

LOOPBACK_LISTENER = "listener 1883 127.0.0.1"
NETWORK_LISTENER = "listener 8883 0.0.0.0"
TLS_LINE = re.compile(r"^#(cafile|certfile|keyfile) (/etc/mosquitto/ema/tls/)", re.MULTILINE)


def enable_tls(conf_text: str) -> str:
    """Uncomment the TLS lines of ema.conf, as install.sh --tls does."""
    return TLS_LINE.sub(r"\1 \2", conf_text)


def render_conf(conf_text: str, etc_dir: Path, loopback_port: int, network_port: int) -> str:
    """The shipped ema.conf with only its paths and ports moved."""
    assert conf_text.count(LOOPBACK_LISTENER) == 1, "loopback listener line changed"
    assert conf_text.count(NETWORK_LISTENER) == 1, "network listener line changed"
    text = conf_text.replace("/etc/mosquitto/ema/", f"{etc_dir}/")
    text = text.replace(LOOPBACK_LISTENER, f"listener {loopback_port} 127.0.0.1")
    return text.replace(NETWORK_LISTENER, f"listener {network_port} 0.0.0.0")


def make_users(passwd_file: Path, cred_dir: Path, env: dict[str, str] | None = None,
               args: tuple[str, ...] = ()) -> subprocess.CompletedProcess[str]:
    full_env = {k: v for k, v in os.environ.items() if not k.startswith("EMA_MQTT_PASSWORD")}
    full_env.update(EMA_PASSWD_FILE=str(passwd_file), EMA_CREDENTIALS_DIR=str(cred_dir))
    full_env.update(env or {})
    return subprocess.run(["bash", str(MAKE_USERS), *args], env=full_env, capture_output=True,
                          text=True, timeout=30)


@dataclass
class ShippedBroker:
    workdir: Path
    loopback_port: int
    network_port: int
    passwords: dict[str, str]
    process: subprocess.Popen[bytes] | None = None
    log_path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.log_path = self.workdir / "mosquitto.log"

    def log(self) -> str:
        return self.log_path.read_text(errors="replace") if self.log_path.exists() else ""

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(5)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)


def start_shipped_broker(workdir: Path, conf_text: str | None = None,
                         user_env: dict[str, str] | None = None,
                         prepare: Callable[[Path], None] | None = None) -> ShippedBroker:
    """Install the shipped files under workdir the way install.sh lays them out, and start.

    etc-mosquitto-ema/ under workdir stands for /etc/mosquitto/ema/; prepare(that dir) runs
    before the broker starts.
    """
    if not shutil.which("mosquitto") and not Path("/usr/sbin/mosquitto").exists():
        pytest.skip("mosquitto is not installed")
    etc = workdir / "etc-mosquitto-ema"
    etc.mkdir(parents=True)
    shutil.copy(SHIPPED_ACL, etc / "acl")
    cred_dir = workdir / "credentials"
    result = make_users(etc / "passwd", cred_dir, env=user_env)
    assert result.returncode == 0, result.stderr
    passwords = {role: (cred_dir / role).read_text().strip() for role in ROLES}
    if prepare is not None:
        prepare(etc)

    loopback_port, network_port = free_port(), free_port()
    while network_port == loopback_port:
        network_port = free_port()
    conf_d = workdir / "conf.d"
    conf_d.mkdir()
    text = conf_text if conf_text is not None else SHIPPED_CONF.read_text()
    (conf_d / "ema.conf").write_text(render_conf(text, etc, loopback_port, network_port))
    broker = ShippedBroker(workdir, loopback_port, network_port, passwords)
    main = (DEBIAN_MAIN_CONF
            .replace("/run/mosquitto/mosquitto.pid", str(workdir / "mosquitto.pid"))
            .replace("/var/lib/mosquitto/", f"{workdir}/")
            .replace("/var/log/mosquitto/mosquitto.log", str(broker.log_path))
            .replace("/etc/mosquitto/conf.d", str(conf_d)))
    if os.geteuid() == 0:
        main = "user root\n" + main
    (workdir / "mosquitto.conf").write_text(main)
    executable = shutil.which("mosquitto") or "/usr/sbin/mosquitto"
    broker.process = subprocess.Popen([executable, "-c", str(workdir / "mosquitto.conf")],
                                      stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        wait_for_port(loopback_port)
        wait_for_port(network_port)
    except TimeoutError:
        broker.stop()
        raise AssertionError(f"broker did not start:\n{broker.log()}") from None
    return broker


@pytest.fixture(scope="module")
def broker(tmp_path_factory: pytest.TempPathFactory) -> ShippedBroker:
    # hmi gets a chosen password (with a space) through the environment, the others random ones.
    started = start_shipped_broker(tmp_path_factory.mktemp("shipped-broker"),
                                   user_env={"EMA_MQTT_PASSWORD_HMI": "hmi pass 1"})
    yield started
    started.stop()


@pytest.fixture
def vehicle(request: pytest.FixtureRequest) -> str:
    """A vehicle id of the test's own: tests sharing the broker never see each other."""
    return f"dep-{uuid.uuid4().hex[:10]}"


class Probe:
    """A paho 2.x client that records what it receives and waits for what it sends."""

    def __init__(self, port: int, username: str | None = None, password: str | None = None,
                 protocol: int = mqtt.MQTTv311, tls_ca: Path | None = None) -> None:
        self.client = mqtt.Client(mqtt.CallbackAPIVersion.VERSION2, protocol=protocol)
        self.client.on_socket_open = lambda c, u, s: s.setsockopt(
            socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        if username is not None:
            self.client.username_pw_set(username, password)
        self.tls = tls_ca is not None
        if tls_ca is not None:
            self.client.tls_set(ca_certs=str(tls_ca))
        self.port = port
        self.protocol = protocol
        self.received: queue.Queue[tuple[str, bytes, bool]] = queue.Queue()
        self.seen: list[tuple[str, bytes, bool]] = []
        self.connack: mqtt.ReasonCode | None = None
        self._connected = threading.Event()
        self._subacks: dict[int, list[mqtt.ReasonCode]] = {}
        self._subscribed = threading.Condition()
        self._pubacks: dict[int, mqtt.ReasonCode] = {}
        self._published = threading.Condition()
        self.client.on_connect = self._on_connect
        self.client.on_message = self._on_message
        self.client.on_subscribe = self._on_subscribe
        self.client.on_publish = self._on_publish

    # paho callbacks (network thread)
    def _on_connect(self, client, userdata, flags, reason_code, properties) -> None:
        if self.connack is None:
            self.connack = reason_code
        self._connected.set()

    def _on_message(self, client, userdata, message) -> None:
        self.received.put((message.topic, message.payload, bool(message.retain)))

    def _on_subscribe(self, client, userdata, mid, reason_codes, properties) -> None:
        with self._subscribed:
            self._subacks[mid] = list(reason_codes)
            self._subscribed.notify_all()

    def _on_publish(self, client, userdata, mid, reason_code, properties) -> None:
        with self._published:
            self._pubacks[mid] = reason_code
            self._published.notify_all()

    # test side
    def connect(self, timeout_s: float = 5.0) -> mqtt.ReasonCode:
        # TLS checks the host name against the certificate, which names "localhost".
        self.client.connect("localhost" if self.tls else "127.0.0.1", self.port, keepalive=10)
        self.client.loop_start()
        assert self._connected.wait(timeout_s), "no CONNACK"
        assert self.connack is not None
        return self.connack

    def close(self) -> None:
        self.client.disconnect()
        self.client.loop_stop()

    def subscribe(self, *filters: str, qos: int = 1) -> None:
        result, mid = self.client.subscribe([(f, qos) for f in filters])
        assert result == mqtt.MQTT_ERR_SUCCESS
        with self._subscribed:
            assert self._subscribed.wait_for(lambda: mid in self._subacks, 5), "no SUBACK"

    def publish(self, topic: str, payload: bytes, qos: int = 1,
                retain: bool = False) -> mqtt.ReasonCode | None:
        """Publish and wait for the PUBACK (QoS 1): the broker has routed it by then."""
        info = self.client.publish(topic, payload, qos=qos, retain=retain)
        if qos == 0:
            return None
        with self._published:
            assert self._published.wait_for(lambda: info.mid in self._pubacks, 5), "no PUBACK"
            return self._pubacks[info.mid]

    def _drain(self) -> None:
        while True:
            try:
                self.seen.append(self.received.get_nowait())
            except queue.Empty:
                return

    def wait_for(self, payload: bytes, timeout_s: float = 3.0) -> tuple[str, bytes, bool]:
        deadline = time.monotonic() + timeout_s
        while True:
            self._drain()
            for item in self.seen:
                if item[1] == payload:
                    return item
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise AssertionError(f"{payload!r} never arrived; got {self.seen!r}")
            try:
                self.seen.append(self.received.get(timeout=remaining))
            except queue.Empty:
                pass

    def payloads(self) -> list[bytes]:
        self._drain()
        return [item[1] for item in self.seen]

    def topics(self) -> list[str]:
        self._drain()
        return [item[0] for item in self.seen]


@pytest.fixture
def connect(broker: ShippedBroker):
    """connect(role, listener="loopback", **kw) -> a connected Probe, closed after the test."""
    probes: list[Probe] = []

    def _connect(role: str | None, listener: str = "loopback", password: str | None = None,
                 **kwargs) -> Probe:
        port = broker.loopback_port if listener == "loopback" else broker.network_port
        if role is not None and password is None:
            password = broker.passwords[role]
        probe = Probe(port, role, password, **kwargs)
        probes.append(probe)
        code = probe.connect()
        assert not code.is_failure, f"{role} could not log in on {listener}: {code}"
        return probe

    yield _connect
    for probe in probes:
        probe.close()


def token(label: str) -> bytes:
    return f"{label}-{uuid.uuid4().hex[:8]}".encode()


def assert_nothing_arrives(subscriber: Probe, forbidden: list[bytes], control: bytes) -> None:
    """The control message arrives; none of the forbidden ones before it.

    The forbidden messages were acknowledged by the broker before the control one was sent, so
    had the broker routed them, they would have been queued to the subscriber ahead of it: once
    the control message is in, no wait can make a forbidden one appear.
    """
    subscriber.wait_for(control)
    leaked = [p for p in subscriber.payloads() if p in forbidden]
    assert not leaked, f"denied messages were delivered: {leaked!r}"
