"""pytest fixtures to test the HMI from outside, in a few lines. In your conftest.py:

    pytest_plugins = ["hmi.testbench.pytest_plugin"]

then:

    def test_speed_is_shown(ema_hmi, ema_injector):
        ema_injector.publish({"Vehicle.Speed": 12.0})
        ema_hmi.wait_display(lambda d: d["readouts"]["drive.speed"]["text"] == "43")

Fixtures:
- `ema_broker` (session): a Mosquitto on a free port (`mosquitto` must be installed), or the
  broker in $EMA_TEST_BROKER. `.url`.
- `ema_hmi` (module): the real HMI (`python -m hmi.cli`) as a headless subprocess on its own
  vehicle id, test controls enabled. `.display()`, `.wait_display(pred)`, `.screenshot()`,
  `.tap(target)`, `.show(screen)`, `.vehicle`, `.broker_url`. It shows British English with
  metric units the driver chose (km/h, °C, kWh/100 km), whatever the host's locale;
  `ema_hmi_factory(language="de", units=None)` starts one in another language with its
  market's units.
- `ema_hmi_factory` (module): start more HMIs, e.g. one on a fresh vehicle id.
- `ema_injector` (function): an `Injector` on the `ema_hmi`'s vehicle: `.publish({...})`,
  `.status(online)`, `.run(script_or_path)` -> ScriptOutcome, `.run_text(toml)`.

The vehicle's key: `pytest --ema-command-key-file PATH` (with the plugin registered as above),
else $EMA_COMMAND_KEY_FILE, else the public development key; `ema_hmi_factory(key_file=PATH)`
for one HMI. The HMI gets it as `--command-key-file` and its injector seals everything it
publishes with it, as a vehicle session of its own (a new epoch per injector).
"""

from __future__ import annotations

import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from hmi.units import METRIC, UnitPreferences
from protocols.auth import ENV_KEY_FILE, CommandKey, load_command_key
from protocols.bus import parse_broker_url
from protocols.bus.mqtt import MqttTransport

from .inject import (
    InjectSession,
    Progress,
    Script,
    ScriptOutcome,
    ScriptRunner,
    load_script,
    parse_script,
)
from .mosquitto import MosquittoBroker

BROKER_ENV = "EMA_TEST_BROKER"
HMI_START_TIMEOUT_S = 30.0
KEY_OPTION = "--ema-command-key-file"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(KEY_OPTION, dest="ema_command_key_file", default=None, metavar="PATH",
                     help=f"the vehicle key the EMA fixtures use (else ${ENV_KEY_FILE}, else "
                          "the development key)")


def command_key_file(config: pytest.Config | None = None) -> str | None:
    """The key file the fixtures use: the pytest option, else $EMA_COMMAND_KEY_FILE, else None
    (the development key). The option exists only when the plugin is registered."""
    path = config.getoption("ema_command_key_file", default=None) if config else None
    return path or os.environ.get(ENV_KEY_FILE) or None


class LocalMosquitto(MosquittoBroker):
    """A Mosquitto child process on 127.0.0.1 with its own config."""

    def start(self) -> LocalMosquitto:
        if not Path(self.executable).exists():
            pytest.skip("mosquitto is not installed (apt-get install mosquitto)")
        super().start()
        return self


class ExternalBroker:
    def __init__(self, url: str) -> None:
        self.url = url


class HmiUnderTest:
    """The HMI as a subprocess plus a client that reads its display reports."""

    def __init__(self, broker_url: str, vehicle: str, workdir: Path,
                 profile: str = "desktop", screen: str = "drive",
                 key_file: str | None = None, language: str | None = "en-GB",
                 units: UnitPreferences | None = METRIC) -> None:
        """`language` is passed as `--language` (None: the host's locale decides); `units`
        are saved as the driver's choice before the start (None: the language's market)."""
        self.broker_url = broker_url
        self.vehicle = vehicle
        self.workdir = workdir
        self.profile = profile
        self.screen = screen
        self.language = language
        self.units = units
        self.key_file = key_file or os.environ.get(ENV_KEY_FILE) or None
        self.key: CommandKey = load_command_key(self.key_file)  # the HMI's; injectors use it
        self.log_path = workdir / f"hmi-{vehicle}.log"
        self.process: subprocess.Popen[bytes] | None = None
        self.session = InjectSession(
            MqttTransport(parse_broker_url(broker_url),
                          client_id=f"ema-hmi-probe-{uuid.uuid4().hex[:8]}"), vehicle,
            key=self.key)

    def start(self, timeout_s: float = HMI_START_TIMEOUT_S) -> HmiUnderTest:
        self.session.start()
        env = dict(os.environ)
        env.update({"SDL_VIDEODRIVER": env.get("SDL_VIDEODRIVER", "offscreen"),
                    "SDL_AUDIODRIVER": "dummy", "KIVY_NO_ARGS": "1",
                    "KIVY_HOME": str(self.workdir / "kivy"),
                    "XDG_STATE_HOME": str(self.workdir / "state"),
                    "EMA_HMI_REMOTE_CONTROL": "1", "KCFG_GRAPHICS_MAXFPS": "30"})
        root = str(Path(__file__).resolve().parents[2])
        env["PYTHONPATH"] = root + os.pathsep + env.get("PYTHONPATH", "")
        key_args = ["--command-key-file", str(Path(self.key_file).resolve())] \
            if self.key_file else []
        language_args = ["--language", self.language] if self.language else []
        if self.units is not None:   # the preferences file the HMI reads (hmi.cli.state_dir)
            preferences = self.workdir / "state" / "ema-hmi" / "preferences.json"
            preferences.parent.mkdir(parents=True, exist_ok=True)
            preferences.write_text(json.dumps({"units": self.units.as_dict()}), encoding="utf-8")
        with open(self.log_path, "wb") as log:
            self.process = subprocess.Popen(
                [sys.executable, "-m", "hmi.cli", "--broker", self.broker_url, "--vehicle",
                 self.vehicle, "--profile", self.profile, "--screen", self.screen,
                 "--log-level", "INFO", *language_args, *key_args], env=env, stdout=log,
                stderr=subprocess.STDOUT, cwd=str(self.workdir))
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"the HMI exited with {self.process.returncode}:\n"
                                   f"{self.log_tail()}")
            rid = self.session.request("display")
            if self.session.wait_reply(rid, 0.5):
                return self
        raise TimeoutError(f"the HMI sent no display report in {timeout_s} s:\n"
                           f"{self.log_tail()}")

    def log_tail(self, lines: int = 30) -> str:
        try:
            return "\n".join(self.log_path.read_text(errors="replace").splitlines()[-lines:])
        except OSError:
            return ""

    @property
    def alive(self) -> bool:
        return self.process is not None and self.process.poll() is None

    def display(self, fresh: bool = True, timeout_s: float = 5.0) -> dict[str, Any]:
        """The latest display report (asks the HMI for a new one unless fresh=False)."""
        if fresh:
            rid = self.session.request("display")
            if not self.session.wait_reply(rid, timeout_s):
                raise TimeoutError(f"the HMI did not answer in {timeout_s} s")
        assert self.session.display is not None
        return self.session.display.display

    def wait_display(self, predicate: Callable[[dict[str, Any]], Any], timeout_s: float = 5.0,
                     what: str = "display condition") -> dict[str, Any]:
        deadline = time.monotonic() + timeout_s
        last: dict[str, Any] = {}
        while time.monotonic() < deadline:
            last = self.display(timeout_s=max(0.1, deadline - time.monotonic()))
            try:
                if predicate(last):
                    return last
            except (KeyError, IndexError, TypeError):
                pass
            time.sleep(0.05)
        raise AssertionError(f"timed out after {timeout_s} s waiting for {what}; "
                             f"last display: screen={last.get('screen')!r} "
                             f"banner={last.get('banner')}")

    def readout(self, name: str) -> dict[str, Any]:
        return self.display()["readouts"][name]

    def screenshot(self, timeout_s: float = 10.0) -> bytes:
        shot = self.session.screenshot(timeout_s)
        if shot is None:
            raise TimeoutError("no screenshot reply")
        if not shot.png:
            raise RuntimeError(f"the HMI could not take a screenshot: {shot.error}")
        return shot.png

    def tap(self, target: str) -> None:
        self.session.request("tap", target)

    def show(self, screen: str) -> None:
        self.session.request("show", screen)

    def stop(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(5)
        self.session.close()


class Injector:
    """Plays the vehicle for a test: publish signals, status, or run whole scripts.

    Everything it publishes is sealed with `key` (default: $EMA_COMMAND_KEY_FILE, else the
    development key), as one vehicle session: a new epoch, newer than any before it."""

    def __init__(self, broker_url: str, vehicle: str, key: CommandKey | None = None) -> None:
        self.broker_url = broker_url
        self.vehicle = vehicle
        self.session = InjectSession(
            MqttTransport(parse_broker_url(broker_url),
                          client_id=f"ema-injector-{uuid.uuid4().hex[:8]}"), vehicle,
            key=key).start()
        self.last_report = ""

    def publish(self, signals: dict[str, Any]) -> None:
        """Publish signals (catalogue paths, SI values, enum names; None = not available) and
        keep republishing them at their frames' rates, like a live vehicle."""
        self.session.publish_signals(signals)
        self.session.start_cycle()

    def status(self, online: bool) -> None:
        self.session.status(online)

    def run(self, script: Script | str | Path, keep_going: bool = False) -> ScriptOutcome:
        if not isinstance(script, Script):
            script = load_script(script)
        out = io.StringIO()
        runner = ScriptRunner(self.session, out, Progress(None), keep_going)
        outcome = runner.run(script)
        self.last_report = out.getvalue()
        return outcome

    def run_text(self, text: str, keep_going: bool = False) -> ScriptOutcome:
        return self.run(parse_script(text, "<inline>"), keep_going)

    def close(self) -> None:
        self.session.close()


# --- fixtures -----------------------------------------------------------------------------------
@pytest.fixture(scope="session")
def ema_broker(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    external = os.environ.get(BROKER_ENV)
    if external:
        yield ExternalBroker(external)
        return
    broker = LocalMosquitto(tmp_path_factory.mktemp("ema-broker")).start()
    yield broker
    broker.stop()


@pytest.fixture(scope="module")
def ema_hmi_factory(ema_broker: Any, tmp_path_factory: pytest.TempPathFactory,
                    request: pytest.FixtureRequest) -> Iterator[Callable[..., HmiUnderTest]]:
    started: list[HmiUnderTest] = []

    def start(vehicle: str | None = None, **kwargs: Any) -> HmiUnderTest:
        vehicle = vehicle or f"hmi-{uuid.uuid4().hex[:10]}"
        kwargs.setdefault("key_file", command_key_file(request.config))
        hmi = HmiUnderTest(ema_broker.url, vehicle, tmp_path_factory.mktemp("ema-hmi"), **kwargs)
        started.append(hmi)
        return hmi.start()

    yield start
    stoppers = [threading.Thread(target=h.stop) for h in started]
    for thread in stoppers:
        thread.start()
    for thread in stoppers:
        thread.join(15)


@pytest.fixture(scope="module")
def ema_hmi(ema_hmi_factory: Callable[..., HmiUnderTest]) -> HmiUnderTest:
    return ema_hmi_factory()


@pytest.fixture
def ema_injector(ema_broker: Any, ema_hmi: HmiUnderTest) -> Iterator[Injector]:
    injector = Injector(ema_broker.url, ema_hmi.vehicle, key=ema_hmi.key)
    yield injector
    injector.close()


__all__ = ["HmiUnderTest", "Injector", "LocalMosquitto", "command_key_file", "ema_broker",
           "ema_hmi", "ema_hmi_factory", "ema_injector"]
