"""The ema-inject CLI against the real HMI (a headless subprocess) on a real Mosquitto: a script
passes with exit 0, a wrong script fails with a clear report, exit 1 and valid JUnit XML; the
HMI answers screenshot requests with a PNG. One HMI serves the whole module. Every shipped
script passes in several languages: test_scripts_languages.py."""

from __future__ import annotations

import struct
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from hmi.testbench import inject_cli
from hmi.testbench.inject import load_script
from protocols.diagnostics import PNG_MAGIC

pytestmark = [pytest.mark.broker, pytest.mark.gui]

REPO = Path(__file__).resolve().parents[2]
SCRIPTS = sorted((REPO / "scripts" / "inject").glob("*.toml"))
DATA = Path(__file__).resolve().parent / "data"


def test_examples_are_shipped() -> None:
    names = {path.stem for path in SCRIPTS}
    assert {"low_battery", "terrain_refused_speed", "signal_dropout", "vehicle_offline",
            "malformed_flood", "ride_height"} <= names


def test_ten_line_script_passes(ema_hmi, ema_injector) -> None:
    outcome = ema_injector.run(DATA / "ten_lines.toml")
    assert outcome.passed, ema_injector.last_report


def test_cli_runs_a_script_and_exits_0(ema_hmi, tmp_path: Path, capsys) -> None:
    junit = tmp_path / "ok.xml"
    code = inject_cli.main([str(DATA / "ten_lines.toml"), "--broker", ema_hmi.broker_url,
                            "--vehicle", ema_hmi.vehicle, "--junit", str(junit)])
    out = capsys.readouterr().out
    assert code == 0, out
    assert out.count("[PASS]") == 4 and "PASSED" in out
    suite = ET.parse(junit).getroot().find("testsuite")
    assert suite is not None and suite.get("tests") == "4" and suite.get("failures") == "0"


def test_cli_seals_with_the_key_it_is_given(ema_hmi, tmp_path: Path, capsys) -> None:
    """Sealed with a key the HMI does not hold, the script's frames are refused: the speed it
    publishes never shows (exit 1)."""
    key_file = tmp_path / "other.key"
    key_file.write_text("c3" * 32)
    script = tmp_path / "speed.toml"
    script.write_text('name = "other key"\n[[steps]]\nvehicle = "online"\n[[steps]]\n'
                      'publish = { signals = { "Vehicle.Speed" = 5.5 } }\n[[steps]]\n'
                      'expect = { display = "drive.speed", value = 5.5, within_s = 1 }\n')
    code = inject_cli.main([str(script), "--broker", ema_hmi.broker_url, "--vehicle",
                            ema_hmi.vehicle, "--command-key-file", str(key_file)])
    out = capsys.readouterr().out
    assert code == 1, out
    assert "[FAIL]" in out and "expected drive.speed value 5.5" in out
    # the same script with the HMI's key passes
    assert inject_cli.main([str(script), "--broker", ema_hmi.broker_url, "--vehicle",
                            ema_hmi.vehicle]) == 0, capsys.readouterr().out


def test_failing_script_fails_clearly_with_junit(ema_hmi, tmp_path: Path, capsys) -> None:
    junit = tmp_path / "fail.xml"
    code = inject_cli.main([str(DATA / "should_fail.toml"), "--broker", ema_hmi.broker_url,
                            "--vehicle", ema_hmi.vehicle, "--junit", str(junit)])
    out = capsys.readouterr().out
    assert code == 1
    fail_lines = [line for line in out.splitlines() if line.startswith("[FAIL]")]
    assert len(fail_lines) == 1 and "drive.speed" in fail_lines[0]
    # the text is in the HMI's language and units (en-GB: '27' mph); the value is the same in all
    assert "expected drive.speed value 99.0; last seen text " in out
    assert "value 12.0 stale False state 'fresh'" in out
    assert "[SKIP]" in out and "FAILED" in out
    root = ET.parse(junit).getroot()
    suite = root.find("testsuite")
    assert suite is not None
    assert (suite.get("tests"), suite.get("failures"), suite.get("skipped")) == ("4", "1", "1")
    failure = suite.find("testcase/failure")
    assert failure is not None and "value 12.0" in failure.get("message", "")


def test_bad_script_exits_2_before_sending(capsys) -> None:
    code = inject_cli.main([str(DATA / "bad_script.toml"), "--broker", "mqtt://127.0.0.1:1"])
    err = capsys.readouterr().err
    assert code == 2
    assert "step 1" in err and "unknown signal 'Vehicle.Sped'" in err


def test_missing_hmi_fails_with_a_setup_message(ema_broker, capsys) -> None:
    code = inject_cli.main([str(DATA / "ten_lines.toml"), "--broker", ema_broker.url,
                            "--vehicle", "nobody-home", "--hmi-timeout", "0.5"])
    out = capsys.readouterr().out
    assert code == 1
    assert "no HMI answered on ema/v1/nobody-home/hmi/display" in out


def test_check_only_validates(capsys) -> None:
    assert inject_cli.main([*map(str, SCRIPTS), "--check"]) == 0
    assert capsys.readouterr().out.count("ok ") == len(SCRIPTS)


def test_screenshot_request_returns_a_png(ema_hmi) -> None:
    png = ema_hmi.screenshot()
    assert png.startswith(PNG_MAGIC)
    width, height = struct.unpack(">II", png[16:24])   # IHDR
    assert (width, height) == (800, 480)
    assert len(png) > 2000


def test_show_request_changes_screen(ema_hmi) -> None:
    ema_hmi.show("charging")
    ema_hmi.wait_display(lambda d: d["screen"] == "charging", what="charging screen")
    ema_hmi.show("drive")
    ema_hmi.wait_display(lambda d: d["screen"] == "drive", what="drive screen")


def test_every_example_loads() -> None:
    for path in SCRIPTS:
        assert load_script(path).steps
