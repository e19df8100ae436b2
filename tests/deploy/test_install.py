"""deploy/pi/install.sh against a scratch root (EMA_ROOT), with the commands that would change
this machine (apt-get, systemctl, useradd, usermod, raspi-config, python3 -m venv) replaced by
stubs that log their arguments. Checks what lands where, with which modes, and that a second
run changes nothing."""

from __future__ import annotations

import os
import pwd
import stat
import subprocess
from pathlib import Path

import pytest

from tests.deploy.conftest import DEPLOY, SHIPPED_CONF, enable_tls

INSTALL = DEPLOY / "pi" / "install.sh"
CMDLINE = ("console=serial0,115200 console=tty1 root=PARTUUID=4e639091-02 rootfstype=ext4 "
           "fsck.repair=yes rootwait consoleblank=600 quiet splash\n")

STUB = """#!/bin/bash
echo "{name} $*" >> "$EMA_STUB_LOG"
{body}
"""
STUBS = {
    "apt-get": "",
    "useradd": "",
    "usermod": "",
    "raspi-config": "",
    "systemctl": '[ "$1" = get-default ] && echo "${EMA_STUB_TARGET:-multi-user.target}"\nexit 0',
    "python3": """if [ "$1 $2" = "-m venv" ]; then
  mkdir -p "$3/bin"
  cat > "$3/bin/python" <<'EOF'
#!/bin/bash
echo "venv-python $*" >> "$EMA_STUB_LOG"
bin=$(dirname "$0")
for tool in ema-sim ema-hmi; do printf '#!/bin/sh\\n' > "$bin/$tool"; chmod +x "$bin/$tool"; done
EOF
  chmod +x "$3/bin/python"
fi""",
}

pytestmark = pytest.mark.skipif(os.geteuid() != 0, reason="install.sh insists on root")


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p.relative_to(root)): p.read_bytes() for p in sorted(root.rglob("*"))
            if p.is_file()}


class Installer:
    def __init__(self, tmp_path: Path) -> None:
        self.root = tmp_path / "root"
        (self.root / "boot/firmware").mkdir(parents=True)
        (self.root / "boot/firmware/cmdline.txt").write_text(CMDLINE)
        (self.root / "boot/firmware/config.txt").write_text("[all]\ndtoverlay=vc4-kms-v3d\n")
        self.stubs = tmp_path / "stubs"
        self.stubs.mkdir()
        for name, body in STUBS.items():
            path = self.stubs / name
            path.write_text(STUB.format(name=name, body=body))
            path.chmod(0o755)
        self.log = tmp_path / "stub.log"

    def run(self, *args: str, target: str = "multi-user.target") -> subprocess.CompletedProcess:
        self.log.write_text("")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("EMA_", "SUDO_"))}
        env.update(EMA_ROOT=str(self.root), EMA_STUB_LOG=str(self.log),
                   EMA_STUB_TARGET=target, PATH=f"{self.stubs}:{os.environ['PATH']}")
        result = subprocess.run(["bash", str(INSTALL), *args], env=env, capture_output=True,
                                text=True, timeout=120, stdin=subprocess.DEVNULL)
        assert result.returncode == 0, result.stdout + result.stderr
        return result

    def calls(self) -> list[str]:
        return self.log.read_text().splitlines()


@pytest.fixture
def installer(tmp_path: Path) -> Installer:
    return Installer(tmp_path)


def test_console_install_then_rerun_changes_nothing(installer: Installer) -> None:
    root = installer.root
    first = installer.run(target="graphical.target")
    calls = installer.calls()

    # Files and modes.
    conf = root / "etc/mosquitto/conf.d/ema.conf"
    assert conf.read_text() == SHIPPED_CONF.read_text() and mode(conf) == 0o644
    assert (root / "etc/mosquitto/ema/acl").read_bytes() == (DEPLOY / "mosquitto/acl").read_bytes()
    assert mode(root / "etc/mosquitto/ema") == 0o750
    assert mode(root / "etc/mosquitto/ema/acl") == 0o640
    assert mode(root / "etc/mosquitto/ema/passwd") == 0o640
    users = [line.split(":")[0] for line in (root / "etc/mosquitto/ema/passwd").read_text().split()]
    assert users == ["hmi", "sim", "injector"]
    creds = root / "etc/ema/credentials"
    assert mode(creds) == 0o700
    secrets = {}
    for role in ("hmi", "sim", "injector"):
        assert mode(creds / role) == 0o600
        secrets[role] = (creds / role).read_text().strip()
        assert secrets[role] not in first.stdout + first.stderr
    key = creds / "command-key"
    assert mode(key) == 0o600
    assert len(bytes.fromhex(key.read_text())) == 32
    assert key.read_text() not in first.stdout + first.stderr
    for name in ("ema-sim.service", "ema-hmi.service"):
        installed = root / "etc/systemd/system" / name
        assert installed.read_bytes() == (DEPLOY / "systemd" / name).read_bytes()
    assert (root / "etc/systemd/system/mosquitto.service.d/ema.conf").read_bytes() == \
        (DEPLOY / "systemd/mosquitto.service.d/ema.conf").read_bytes()
    assert mode(root / "opt/ema/bin/ema-hmi-desktop") == 0o755

    # Screen blanking: one line, consoleblank=0 once, the old value gone, the rest kept.
    cmdline = (root / "boot/firmware/cmdline.txt").read_text()
    assert cmdline.count("\n") == 1 and cmdline.endswith("consoleblank=0\n")
    assert cmdline.split().count("consoleblank=0") == 1 and "consoleblank=600" not in cmdline
    assert cmdline.split()[:-1] == [w for w in CMDLINE.split() if w != "consoleblank=600"]
    assert (root / "boot/firmware/cmdline.txt.ema-orig").read_text() == CMDLINE

    # System commands.
    assert any(c.startswith("useradd --system") and c.endswith(" ema") for c in calls)
    assert any(c.startswith("python3 -m venv") for c in calls)
    assert any("pip install" in c and c.endswith("[hmi]") for c in calls)
    for expected in ("systemctl daemon-reload",
                     "systemctl enable mosquitto.service ema-sim.service",
                     "systemctl enable ema-hmi.service",
                     "systemctl set-default multi-user.target",
                     "systemctl restart mosquitto.service",
                     "systemctl restart ema-sim.service",
                     "systemctl restart ema-hmi.service"):
        assert expected in calls, (expected, calls)
    assert not any(c.startswith("raspi-config") for c in calls)

    # Second run: same files, same passwords, no backups, no second consoleblank. (The
    # password file is rewritten: same passwords, new salts.)
    before = snapshot(root)
    installer.run()
    after = snapshot(root)
    passwd = "etc/mosquitto/ema/passwd"
    assert [line.split(":")[0] for line in after.pop(passwd).decode().split()] == \
        [line.split(":")[0] for line in before.pop(passwd).decode().split()]
    assert after == before
    assert "systemctl set-default multi-user.target" not in installer.calls()


def test_desktop_install_with_tls_keeps_tls_on_rerun(installer: Installer) -> None:
    root = installer.root
    installer.run("--no-start")
    user = pwd.getpwnam("nobody")
    result = installer.run("--mode", "desktop", "--desktop-user", "nobody", "--tls",
                           "--no-start")
    calls = installer.calls()
    home = root / user.pw_dir.lstrip("/")

    autostart = home / ".config/autostart/ema-hmi.desktop"
    assert autostart.read_bytes() == (DEPLOY / "systemd/ema-hmi-desktop.desktop").read_bytes()
    password = home / ".config/ema/mqtt-password"
    assert mode(password) == 0o600 and password.stat().st_uid == user.pw_uid
    assert password.read_text() == (root / "etc/ema/credentials/hmi").read_text()
    assert mode(home / ".config/ema") == 0o700
    assert "systemctl disable ema-hmi.service" in calls
    assert "raspi-config nonint do_blanking 1" in calls
    assert not any(c.startswith("systemctl restart") for c in calls)

    conf = root / "etc/mosquitto/conf.d/ema.conf"
    assert conf.read_text() == enable_tls(SHIPPED_CONF.read_text())
    assert (root / "etc/mosquitto/conf.d/ema.conf.bak").read_text() == SHIPPED_CONF.read_text()
    tls = root / "etc/mosquitto/ema/tls"
    assert {p.name for p in tls.iterdir()} == {"ca.crt", "server.crt", "server.key"}
    assert mode(tls / "server.key") == 0o640
    assert mode(root / "etc/ema/ca/ca.key") == 0o600
    assert "PRIVATE KEY" not in result.stdout

    # Without --tls again: TLS stays on, the certificate is renewed, the CA kept.
    ca = (root / "etc/ema/ca/ca.crt").read_bytes()
    installer.run("--mode", "desktop", "--desktop-user", "nobody", "--no-start")
    assert conf.read_text() == enable_tls(SHIPPED_CONF.read_text())
    assert (root / "etc/ema/ca/ca.crt").read_bytes() == ca


@pytest.mark.parametrize("args", [
    ("--mode", "kiosk"),
    ("--mode", "desktop", "--desktop-user", "root"),
    ("--mode", "desktop", "--desktop-user", "no-such-user-here"),
    ("--frobnicate",),
])
def test_bad_arguments_stop_before_doing_anything(installer: Installer, args) -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith(("EMA_", "SUDO_"))}
    env.update(EMA_ROOT=str(installer.root), EMA_STUB_LOG=str(installer.log),
               PATH=f"{installer.stubs}:{os.environ['PATH']}")
    result = subprocess.run(["bash", str(INSTALL), *args], env=env, capture_output=True,
                            text=True, timeout=30, stdin=subprocess.DEVNULL)
    assert result.returncode != 0
    assert not installer.log.exists() or not installer.log.read_text()
    assert not (installer.root / "etc").exists()
