"""The systemd units, the desktop entry, the Kivy snippet, the shell scripts and the docs."""

from __future__ import annotations

import configparser
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from tests.deploy.conftest import DEPLOY, REPO, SHIPPED_ACL, SHIPPED_CONF

SYSTEMD = DEPLOY / "systemd"
UNITS = ("ema-sim.service", "ema-hmi.service")
DROP_IN = SYSTEMD / "mosquitto.service.d" / "ema.conf"
SCRIPTS = sorted(DEPLOY.rglob("*.sh"))


def read_unit(path: Path) -> dict[str, dict[str, list[str]]]:
    """systemd's format: sections of keys, a key may repeat (values accumulate)."""
    sections: dict[str, dict[str, list[str]]] = {}
    current = None
    for raw in path.read_text().splitlines():
        line = raw.strip()
        if not line or line[0] in "#;":
            continue
        if line.startswith("[") and line.endswith("]"):
            current = sections.setdefault(line[1:-1], {})
            continue
        assert current is not None and "=" in line, f"{path.name}: stray line {raw!r}"
        key, value = line.split("=", 1)
        current.setdefault(key.strip(), []).append(value.strip())
    return sections


def words(unit: dict[str, dict[str, list[str]]], section: str, key: str) -> list[str]:
    return " ".join(unit.get(section, {}).get(key, [])).split()


def test_scripts_are_there_and_executable() -> None:
    names = {p.relative_to(DEPLOY).as_posix() for p in SCRIPTS}
    assert {"pi/install.sh", "mosquitto/make-users.sh", "mosquitto/make-tls.sh",
            "pi/ema-hmi-desktop.sh"} <= names
    for script in SCRIPTS:
        assert script.stat().st_mode & 0o111, f"{script} is not executable"
        assert script.read_text().startswith("#!/usr/bin/env bash\n")


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_parse_with_bash_n(script: Path) -> None:
    result = subprocess.run(["bash", "-n", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.parametrize("script", SCRIPTS, ids=lambda p: p.name)
def test_scripts_are_shellcheck_clean(script: Path) -> None:
    if not shutil.which("shellcheck"):
        pytest.skip("shellcheck is not installed (apt-get install shellcheck)")
    result = subprocess.run(["shellcheck", str(script)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_units_verify_with_systemd_analyze(tmp_path: Path) -> None:
    """systemd-analyze verify against a scratch root: the host's unit tree plus ours, with
    stand-ins for the programs the units start (the venv does not exist here)."""
    analyze = shutil.which("systemd-analyze")
    system_units = Path("/usr/lib/systemd/system")
    if not analyze or not (system_units / "sysinit.target").exists():
        pytest.skip("systemd-analyze or the systemd unit tree is not available")
    root = tmp_path / "root"
    shutil.copytree(system_units, root / "usr/lib/systemd/system", symlinks=True)
    etc = root / "etc/systemd/system"
    etc.mkdir(parents=True)
    for name in UNITS:
        shutil.copy(SYSTEMD / name, etc / name)
    to_verify = list(UNITS)
    if (system_units / "mosquitto.service").exists():
        (etc / "mosquitto.service.d").mkdir()
        shutil.copy(DROP_IN, etc / "mosquitto.service.d" / "ema.conf")
        to_verify.append("mosquitto.service")
    for unit_file in [*(etc / n for n in UNITS), system_units / "mosquitto.service"]:
        if not unit_file.exists():
            continue
        for line in unit_file.read_text().splitlines():
            match = re.match(r"Exec\w+=[-@:+!]*(/\S+)", line)
            if match:
                stub = root / match.group(1).lstrip("/")
                stub.parent.mkdir(parents=True, exist_ok=True)
                stub.write_text("#!/bin/sh\n")
                stub.chmod(0o755)
    result = subprocess.run([analyze, "verify", "--man=no", f"--root={root}", *to_verify],
                            capture_output=True, text=True, timeout=60)
    output = (result.stdout + result.stderr).strip()
    assert result.returncode == 0 and not output, output


def test_sim_unit() -> None:
    unit = read_unit(SYSTEMD / "ema-sim.service")
    service = unit["Service"]
    assert "mosquitto.service" in words(unit, "Unit", "After")
    assert "mosquitto.service" in words(unit, "Unit", "Wants")
    assert not words(unit, "Unit", "Requires") and not words(unit, "Unit", "BindsTo")
    assert service["User"] == ["ema"]
    assert service["Restart"] == ["on-failure"]
    exec_start = service["ExecStart"][0].split()
    assert exec_start[0] == "/opt/ema/.venv/bin/ema-sim"
    assert exec_start[1:] == ["--broker", "mqtt://127.0.0.1:1883", "--scenario", "showcase",
                              "--loop"]
    assert "EMA_MQTT_USERNAME=sim" in service["Environment"]
    assert service["LoadCredential"] == ["mqtt-password:/etc/ema/credentials/sim",
                                         "command-key:/etc/ema/credentials/command-key"]
    assert "EMA_COMMAND_KEY_FILE=%d/command-key" in service["Environment"]
    assert "EMA_MQTT_PASSWORD_FILE=%d/mqtt-password" in service["Environment"]
    assert unit["Install"]["WantedBy"] == ["multi-user.target"]


def test_hmi_unit() -> None:
    unit = read_unit(SYSTEMD / "ema-hmi.service")
    service = unit["Service"]
    after, wants = words(unit, "Unit", "After"), words(unit, "Unit", "Wants")
    assert {"mosquitto.service", "ema-sim.service"} <= set(after) & set(wants)
    for hard in ("Requires", "BindsTo", "Requisite", "PartOf"):
        assert "ema-sim.service" not in words(unit, "Unit", hard), "the HMI must start alone"
    assert "getty@tty1.service" in words(unit, "Unit", "Conflicts")
    assert "getty@tty1.service" in after
    assert service["User"] == ["ema"]
    assert set(words(unit, "Service", "SupplementaryGroups")) >= {"video", "input", "render"}
    assert service["TTYPath"] == ["/dev/tty1"]
    assert service["Restart"] == ["always"]
    env = dict(item.split("=", 1) for item in service["Environment"])
    assert env["SDL_VIDEODRIVER"] == "kmsdrm"
    assert env["KIVY_HOME"] == "/var/lib/ema-hmi/kivy"
    assert env["EMA_HMI_PROFILE"] == "pi7"
    assert env["EMA_MQTT_USERNAME"] == "hmi"
    assert env["EMA_MQTT_PASSWORD_FILE"] == "%d/mqtt-password"
    assert "ema-hmi/kivy" in words(unit, "Service", "StateDirectory")
    exec_start = service["ExecStart"][0].split()
    assert exec_start[0] == "/opt/ema/.venv/bin/ema-hmi"
    assert exec_start[1:] == ["--broker", "mqtt://127.0.0.1:1883",
                              "--profile", "${EMA_HMI_PROFILE}", "--fullscreen"]
    assert service["LoadCredential"] == ["mqtt-password:/etc/ema/credentials/hmi",
                                         "command-key:/etc/ema/credentials/command-key"]
    assert "EMA_COMMAND_KEY_FILE=%d/command-key" in service["Environment"]


@pytest.mark.parametrize("name", [*UNITS, "mosquitto.service.d/ema.conf"])
def test_no_secret_in_units(name: str) -> None:
    text = (SYSTEMD / name).read_text()
    assert not re.search(r"EMA_MQTT_PASSWORD=|--password(?!-file)", text)


def test_units_match_the_broker_config() -> None:
    """The services use the loopback listener, with users the ACL knows."""
    conf = SHIPPED_CONF.read_text()
    acl_users = re.findall(r"^user (\S+)$", SHIPPED_ACL.read_text(), re.MULTILINE)
    assert acl_users == ["hmi", "sim", "injector"]
    assert re.search(r"^listener 1883 127\.0\.0\.1$", conf, re.MULTILINE)
    listeners = re.findall(r"^listener .*$", conf, re.MULTILINE)
    assert listeners == ["listener 1883 127.0.0.1", "listener 8883 0.0.0.0"]
    # Every listener refuses anonymous clients and has the password file and the ACL.
    blocks = re.split(r"^listener .*$", conf, flags=re.MULTILINE)[1:]
    for block in blocks:
        assert re.search(r"^allow_anonymous false$", block, re.MULTILINE)
        assert re.search(r"^password_file /etc/mosquitto/ema/passwd$", block, re.MULTILINE)
        assert re.search(r"^acl_file /etc/mosquitto/ema/acl$", block, re.MULTILINE)
    assert not re.search(r"^allow_anonymous true", conf, re.MULTILINE)
    assert re.search(r"^per_listener_settings true$", conf, re.MULTILINE)
    for name in UNITS:
        unit = read_unit(SYSTEMD / name)
        assert "--broker mqtt://127.0.0.1:1883" in unit["Service"]["ExecStart"][0]
        user = dict(i.split("=", 1) for i in unit["Service"]["Environment"])["EMA_MQTT_USERNAME"]
        assert user in acl_users


def test_mosquitto_drop_in() -> None:
    unit = read_unit(DROP_IN)
    assert unit["Service"]["Restart"] == ["always"]
    assert set(unit) == {"Unit", "Service"}


def test_desktop_entry() -> None:
    path = SYSTEMD / "ema-hmi-desktop.desktop"
    parser = configparser.RawConfigParser(interpolation=None)
    parser.optionxform = str  # keys are case-sensitive
    parser.read(path)
    entry = parser["Desktop Entry"]
    assert entry["Type"] == "Application"
    assert entry["Exec"] == "/opt/ema/bin/ema-hmi-desktop"
    assert entry["Terminal"] == "false"
    validate = shutil.which("desktop-file-validate")
    if validate:
        result = subprocess.run([validate, str(path)], capture_output=True, text=True)
        assert result.returncode == 0 and not result.stdout.strip(), result.stdout


def test_kivy_snippet_parses_like_kivy_config() -> None:
    parser = configparser.RawConfigParser(interpolation=None)
    parser.read(DEPLOY / "kivy" / "config.ini")
    assert parser["graphics"]["show_cursor"] == "0"
    assert parser["graphics"]["rotation"] in ("0", "90", "180", "270")
    assert parser["input"]["mouse"] == "mouse,disable_on_activity"
    assert parser["input"]["%(name)s"] == "probesysfs,provider=hidinput"


def test_docs_name_only_files_that_exist() -> None:
    doc = (REPO / "docs" / "raspberry-pi.md").read_text()
    for path in sorted(set(re.findall(r"(?<![\w/])deploy/[\w./-]+[\w]", doc))):
        assert (REPO / path).exists(), f"docs/raspberry-pi.md names missing {path}"
    for needle in ("journalctl -u ema-hmi -f", "consoleblank=0",
                   "raspi-config nonint do_blanking 1",
                   "/dev/dri", "disable_on_activity", "video=DSI-1:720x1280@60,rotate=",
                   "lcd_rotate=2", "make-users.sh --rotate"):
        assert needle in doc, needle


def test_simulator_keeps_its_epoch_in_its_state_directory() -> None:
    """Without a real-time clock the epoch could fall behind the last session's; the file keeps
    it rising (protocols.freshness), in the one directory the unit may write."""
    unit = read_unit(SYSTEMD / "ema-sim.service")
    environment = dict(item.split("=", 1) for item in words(unit, "Service", "Environment"))
    state = "/var/lib/" + words(unit, "Service", "StateDirectory")[0]
    assert environment["EMA_EPOCH_FILE"].startswith(state + "/")
