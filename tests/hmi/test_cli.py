"""`ema-hmi`: flags reach us (not Kivy), and --screenshot writes exactly PATH and exits 0."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from hmi.cli import parse_args, state_dir

ROOT = Path(__file__).resolve().parents[2]


def test_flags_parse() -> None:
    args = parse_args(["--broker", "mqtt://h:1884", "--vehicle", "v9", "--profile", "pi-touch2",
                       "--fullscreen", "--screen", "terrain", "--screenshot", "x.png",
                       "--after", "0.5"])
    assert (args.broker, args.vehicle, args.profile, args.fullscreen, args.screen,
            args.screenshot, args.after) == ("mqtt://h:1884", "v9", "pi-touch2", True,
                                             "terrain", Path("x.png"), 0.5)


def test_unknown_profile_is_refused() -> None:
    with pytest.raises(SystemExit):
        parse_args(["--profile", "tv"])


def test_state_dir_follows_xdg(monkeypatch, tmp_path) -> None:
    monkeypatch.setenv("XDG_STATE_HOME", str(tmp_path))
    assert state_dir() == tmp_path / "ema-hmi"


def cli_env(tmp_path: Path) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if not k.startswith("KIVY_")}
    env.pop("DISPLAY", None)
    env.update(HOME=str(tmp_path / "home"), XDG_STATE_HOME=str(tmp_path / "state"),
               PYTHONPATH=str(ROOT))
    env.pop("SDL_VIDEODRIVER", None)  # the CLI must pick offscreen by itself
    return env


def run_cli(tmp_path: Path, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "hmi.cli", *args], cwd=tmp_path,
                          env=cli_env(tmp_path), capture_output=True, text=True, timeout=60)


@pytest.fixture(scope="module")
def screenshot_run(tmp_path_factory, mosquitto):
    tmp_path = tmp_path_factory.mktemp("cli")
    target = tmp_path / "out" / "terrain.png"
    result = run_cli(tmp_path, "--broker", mosquitto.url, "--vehicle", "cli-shot",
                     "--profile", "pi-touch2", "--screen", "terrain",
                     "--screenshot", str(target), "--after", "0.3")
    return tmp_path, target, result


def test_screenshot_exits_zero(screenshot_run) -> None:
    _, _, result = screenshot_run
    assert result.returncode == 0, result.stderr[-2000:]


def test_screenshot_is_written_to_exactly_the_path(screenshot_run) -> None:
    tmp_path, target, _ = screenshot_run
    written = sorted(p.name for p in target.parent.iterdir())
    assert written == ["terrain.png"]
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_screenshot_has_the_profile_size(screenshot_run) -> None:
    _, target, _ = screenshot_run
    header = target.read_bytes()[16:24]
    assert (int.from_bytes(header[:4], "big"), int.from_bytes(header[4:], "big")) == (720, 1280)


def test_kivy_writes_nothing_to_home(screenshot_run) -> None:
    tmp_path, _, _ = screenshot_run
    assert not (tmp_path / "home" / ".kivy").exists()
    assert (tmp_path / "state" / "ema-hmi" / "kivy").is_dir()


def test_clock_tolerance_comes_from_the_flag_or_the_environment(monkeypatch) -> None:
    from hmi.cli import parse_args

    assert parse_args([]).clock_tolerance_s == 2.0
    assert parse_args(["--clock-tolerance-s", "0.5"]).clock_tolerance_s == 0.5
    monkeypatch.setenv("EMA_CLOCK_TOLERANCE_S", "7")
    assert parse_args([]).clock_tolerance_s == 7.0


def test_live_within_needs_a_screenshot_and_a_bound() -> None:
    assert parse_args(["--screenshot", "x.png", "--live-within", "5"]).live_within == 5.0
    assert parse_args([]).live_within is None
    for wrong in (["--live-within", "5"], ["--screenshot", "x.png", "--live-within", "-1"]):
        with pytest.raises(SystemExit):
            parse_args(wrong)


def test_a_vehicle_never_live_is_captured_as_it_is_with_exit_3(tmp_path, mosquitto,
                                                               vehicle_id) -> None:
    target = tmp_path / "offline.png"
    result = run_cli(tmp_path, "--broker", mosquitto.url, "--vehicle", vehicle_id,
                     "--screenshot", str(target), "--live-within", "0.5", "--after", "0")
    assert result.returncode == 3, result.stderr[-2000:]
    assert "not live within 0.5 s" in result.stderr
    assert target.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"


def test_the_capture_waits_for_the_vehicle_to_be_live(tmp_path, mosquitto, vehicle_id) -> None:
    """The vehicle appears only once the HMI is connected and running: the capture comes
    --after the first live frame, not --after the start (the log says which)."""
    from tests.support.injector import VehicleInjector
    from tests.support.sample_vehicle import typical

    vehicle = VehicleInjector(mosquitto.url, vehicle_id).start()
    hmi = subprocess.Popen([sys.executable, "-m", "hmi.cli", "--broker", mosquitto.url,
                            "--vehicle", vehicle_id, "--screenshot", str(tmp_path / "live.png"),
                            "--live-within", "30", "--after", "0.2"],
                           cwd=tmp_path, env=cli_env(tmp_path), stderr=subprocess.PIPE, text=True)
    lines: list[str] = []
    try:
        for line in hmi.stderr:
            lines.append(line)
            if "connected to" in line:
                vehicle.status(True)
                vehicle.start_cycle(typical())
                break
        lines.extend(hmi.stderr)
        assert hmi.wait(60) == 0, "".join(lines)[-2000:]
    finally:
        hmi.kill()
        vehicle.clear_retained()
        vehicle.close()
    assert any("the vehicle is live; capturing in 0.2 s" in line for line in lines)
    assert (tmp_path / "live.png").read_bytes()[:8] == b"\x89PNG\r\n\x1a\n"
