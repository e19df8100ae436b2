"""The programs over TLS with a CA generated on the spot (deploy/mosquitto/make-tls.sh), against
the shipped broker config with per-role users: credentials, CA and command key come from files
and the environment, never the command line, and no secret appears in any log."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from protocols import ResultStatus
from protocols.auth import CommandKey, CommandSigner
from protocols.bus import BrokerSettings
from protocols.bus.mqtt import MqttTransport
from tests.deploy.conftest import MAKE_TLS, SHIPPED_CONF, enable_tls, start_shipped_broker
from tests.reliability.conftest import ROOT, SimProcess, figure, scenario_file
from tests.support.cockpit import CockpitProbe


def test_sim_and_hmi_over_tls_keep_their_secrets(tmp_path: Path, vehicle_id: str) -> None:
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    tls = tmp_path / "tls"
    made = subprocess.run(["bash", str(MAKE_TLS)], capture_output=True, text=True, timeout=60,
                          env=dict(os.environ, EMA_TLS_DIR=str(tls),
                                   EMA_CA_DIR=str(tmp_path / "ca"),
                                   EMA_TLS_NAMES="localhost", EMA_TLS_IPS="127.0.0.1"))
    assert made.returncode == 0, made.stderr
    broker = start_shipped_broker(tmp_path / "broker",
                                  conf_text=enable_tls(SHIPPED_CONF.read_text()),
                                  prepare=lambda etc: shutil.copytree(tls, etc / "tls"))
    secrets_dir = tmp_path / "secrets"
    secrets_dir.mkdir(mode=0o700)
    for role, password in broker.passwords.items():
        (secrets_dir / role).write_text(password + "\n")
    command_key = os.urandom(32).hex()
    (secrets_dir / "command.key").write_text(command_key)
    url = f"mqtts://localhost:{broker.network_port}"
    ca = str(tls / "ca.crt")
    common = {"EMA_COMMAND_KEY_FILE": str(secrets_dir / "command.key")}
    sim = SimProcess(url, vehicle_id, scenario_file(tmp_path), tmp_path / "sim.log",
                     "--ca-file", ca, "--username", "sim", "--log-level", "DEBUG",
                     env={**common, "EMA_MQTT_PASSWORD_FILE": str(secrets_dir / "sim")}).start()
    probe = CockpitProbe(url, vehicle_id)
    probe.transport = MqttTransport(BrokerSettings("localhost", broker.network_port, True,
                                                   "injector", broker.passwords["injector"], ca))
    probe.transport.add_listener(probe._on_message)
    probe.transport.subscribe(probe.topics.everything, qos=1)
    probe.signer = CommandSigner(CommandKey(bytes.fromhex(command_key)), vehicle_id)
    probe.sealer = probe.signer.key.sealer(vehicle_id)  # the vehicle signs with the same key
    shot = tmp_path / "shot.png"
    hmi_log = tmp_path / "hmi.log"
    try:
        probe.start()
        probe.wait_for(lambda c: c.online is True and c.frames_seen.get("drive", 0) > 0, 10)
        result = probe.result_for(probe.send("set_charge_limit", percent=70).rid,
                                  ResultStatus.COMPLETED)
        with hmi_log.open("wb") as log:
            hmi = subprocess.run(
                [sys.executable, "-m", "hmi.cli", "--broker", url, "--vehicle", vehicle_id,
                 "--ca-file", ca, "--screenshot", str(shot), "--live-within", "30",
                 "--after", "0.3", "--log-level", "DEBUG"],
                cwd=ROOT, stdout=log, stderr=log, timeout=60,
                env={**os.environ, **common, "EMA_MQTT_USERNAME": "hmi",
                     "EMA_MQTT_PASSWORD": broker.passwords["hmi"],
                     "SDL_VIDEODRIVER": "offscreen"})
        assert hmi.returncode == 0, hmi_log.read_text()[-2000:]
    finally:
        probe.close()
        sim.stop()
        broker.stop()
    logs = {"sim": sim.log(), "hmi": hmi_log.read_text(errors="replace"),
            "broker": broker.log()}
    assert f"connected to {url}" in logs["sim"] and f"connected to {url}" in logs["hmi"]
    assert "the vehicle is live" in logs["hmi"]   # captured live, not after a fixed guess
    assert shot.exists() and result.status is ResultStatus.COMPLETED
    for name, text in logs.items():
        for secret in [*broker.passwords.values(), command_key, command_key[:16]]:
            assert secret not in text, f"a secret in the {name} log"
    for argv in (sim.command,):
        assert not any(secret in " ".join(argv) for secret in broker.passwords.values())
    figure(f"TLS: simulator and HMI connected to {url} with a CA made by make-tls.sh, users "
           f"sim/hmi from file/env, a signed command completed; no secret in {len(logs)} logs")
