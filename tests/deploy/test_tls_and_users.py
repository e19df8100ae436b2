"""make-users.sh and make-tls.sh, and the TLS lines of ema.conf switched on."""

from __future__ import annotations

import os
import shutil
import stat
import subprocess
from pathlib import Path

import pytest

from tests.deploy.conftest import (
    MAKE_TLS,
    ROLES,
    SHIPPED_CONF,
    Probe,
    enable_tls,
    make_users,
    start_shipped_broker,
)


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_make_users_creates_root_only_credentials_and_keeps_them(tmp_path: Path) -> None:
    passwd, creds = tmp_path / "mosq" / "passwd", tmp_path / "credentials"
    first = make_users(passwd, creds)
    assert first.returncode == 0, first.stderr
    secrets = {role: (creds / role).read_text() for role in ROLES}
    assert mode(creds) == 0o700
    for role, secret in secrets.items():
        assert mode(creds / role) == 0o600
        assert secret.endswith("\n") and secret.count("\n") == 1 and len(secret.strip()) >= 20
        assert secret.strip() not in first.stdout + first.stderr, "a password was printed"
    users = [line.split(":", 1)[0] for line in passwd.read_text().splitlines()]
    assert users == list(ROLES)
    assert all(secret.strip() not in passwd.read_text() for secret in secrets.values())
    if os.geteuid() == 0 and shutil.which("getent"):
        group_exists = subprocess.run(["getent", "group", "mosquitto"],
                                      capture_output=True).returncode == 0
        assert mode(passwd) == (0o640 if group_exists else 0o600)

    # Run again: nothing changes. Rotate one role: only that one changes.
    again = make_users(passwd, creds)
    assert again.returncode == 0, again.stderr
    assert {role: (creds / role).read_text() for role in ROLES} == secrets
    rotated = make_users(passwd, creds, args=("--rotate", "injector"))
    assert rotated.returncode == 0, rotated.stderr
    assert (creds / "injector").read_text() != secrets["injector"]
    assert (creds / "hmi").read_text() == secrets["hmi"]

    # A chosen password from the environment wins and lands in the credential file.
    chosen = make_users(passwd, creds, env={"EMA_MQTT_PASSWORD_SIM": "chosen sim pw"})
    assert chosen.returncode == 0, chosen.stderr
    assert (creds / "sim").read_text() == "chosen sim pw\n"
    assert "chosen sim pw" not in chosen.stdout + chosen.stderr
    assert not list((tmp_path / "mosq").glob(".passwd.*")), "temporary file left behind"


@pytest.mark.parametrize(("env", "args"), [
    ({}, ("--rotate", "admin")),
    ({"EMA_MQTT_PASSWORD_HMI": " padded "}, ()),
    ({}, ("--bogus",)),
])
def test_make_users_rejects_bad_input(tmp_path: Path, env: dict[str, str],
                                      args: tuple[str, ...]) -> None:
    result = make_users(tmp_path / "passwd", tmp_path / "creds", env=env, args=args)
    assert result.returncode != 0
    assert not (tmp_path / "passwd").exists()


@pytest.mark.broker
def test_tls_lines_of_ema_conf_work_with_make_tls(tmp_path: Path) -> None:
    if not shutil.which("openssl"):
        pytest.skip("openssl is not installed")
    made_dir = tmp_path / "tls"
    env = dict(os.environ, EMA_TLS_DIR=str(made_dir), EMA_CA_DIR=str(tmp_path / "ca"),
               EMA_TLS_NAMES="localhost", EMA_TLS_IPS="127.0.0.1")
    made = subprocess.run(["bash", str(MAKE_TLS)], env=env, capture_output=True, text=True,
                          timeout=60)
    assert made.returncode == 0, made.stderr
    assert mode(tmp_path / "ca" / "ca.key") == 0o600
    assert {p.name for p in made_dir.iterdir()} == {"ca.crt", "server.crt", "server.key"}
    ca = made_dir / "ca.crt"

    conf = enable_tls(SHIPPED_CONF.read_text())
    assert conf.count("\ncafile ") == conf.count("\ncertfile ") == conf.count("\nkeyfile ") == 1
    broker = start_shipped_broker(tmp_path / "broker", conf_text=conf,
                                  prepare=lambda etc: shutil.copytree(made_dir, etc / "tls"))
    try:
        secure = Probe(broker.network_port, "injector", broker.passwords["injector"], tls_ca=ca)
        try:
            assert not secure.connect().is_failure
            secure.subscribe("ema/v1/tls-check/#")
            secure.publish("ema/v1/tls-check/status", b"over tls")
            secure.wait_for(b"over tls")
        finally:
            secure.close()
        anonymous = Probe(broker.network_port, tls_ca=ca)
        assert anonymous.connect().is_failure
        anonymous.close()
        # Plain MQTT on the TLS port gets no CONNACK; the loopback listener stays plain.
        plain = Probe(broker.network_port, "injector", broker.passwords["injector"])
        with pytest.raises((AssertionError, OSError)):
            plain.connect(timeout_s=1.0)
        plain.close()
        local = Probe(broker.loopback_port, "injector", broker.passwords["injector"])
        assert not local.connect().is_failure
        local.close()
    finally:
        broker.stop()
