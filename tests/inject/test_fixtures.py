"""The README's examples of user tests, written with the plugin's fixtures, work as shown."""

from __future__ import annotations

from pathlib import Path

import msgpack
import pytest

from hmi.testbench import inject_cli
from hmi.testbench.pytest_plugin import Injector
from tests.support.wait import wait_until

pytestmark = [pytest.mark.broker, pytest.mark.gui]

REPO = Path(__file__).resolve().parents[2]

SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"


def routed_back(injector: Injector, frame: str) -> bool:
    """The broker has routed a frame of this injector's session: it came back to it."""
    for seen in list(injector.session.log):
        if seen.message.topic.endswith(f"/state/{frame}"):
            envelope = msgpack.unpackb(seen.message.payload, strict_map_key=False)
            if envelope.get("ep") == injector.session.epoch:
                return True
    return False


def test_speed(ema_hmi, ema_injector):
    ema_injector.status(True)
    ema_injector.publish({"Vehicle.Speed": 12.0})
    ema_hmi.wait_display(lambda d: d["readouts"]["drive.speed"]["value"] == 12.0)


def test_speed_in_kmh_in_german(ema_broker, ema_hmi_factory):
    hmi = ema_hmi_factory(language="de")
    injector = Injector(ema_broker.url, hmi.vehicle, key=hmi.key)
    try:
        injector.status(True)
        injector.publish({"Vehicle.Speed": 12.0})
        shown = hmi.wait_display(lambda d: d["readouts"]["drive.speed"]["text"] == "43")
        assert (shown["language"], shown["readouts"]["drive.speed"]["unit"]) == ("de", "km/h")
    finally:
        injector.close()


def test_low_battery_script(ema_injector):
    outcome = ema_injector.run(REPO / "scripts/inject/low_battery.toml")
    assert outcome.passed, ema_injector.last_report


def test_screenshot(ema_hmi):
    assert ema_hmi.screenshot().startswith(b"\x89PNG")


def test_inline_script_with_command_expectation(ema_hmi, ema_injector):
    outcome = ema_injector.run_text('''
        name = "locker tap"
        [[steps]]
        vehicle = "online"
        [[steps]]
        [steps.publish.signals]
        "Vehicle.Ema.Drivetrain.Axle.Row2.LockerRequested" = false
        "Vehicle.Powertrain.Transmission.DiffLockRearEngagement" = 0.0
        [[steps]]
        tap = "locker.REAR"
        [[steps]]
        expect = { command = "set_axle_locker", args = { axle = "REAR", engaged = true } }
        [[steps]]
        expect = { topic = "cmd/set_axle_locker", within_s = 0.1 }
    ''')
    assert outcome.passed, ema_injector.last_report


def test_progress_is_shown_on_long_scripts(ema_hmi, tmp_path: Path, capsys) -> None:
    script = tmp_path / "long.toml"
    script.write_text('name = "long"\n[[steps]]\nwait = 2.5\n'
                      '[[steps]]\nexpect = { alive = true }\n')
    code = inject_cli.main([str(script), "--broker", ema_hmi.broker_url, "--vehicle",
                            ema_hmi.vehicle])
    assert code == 0
    assert "step 1/2" in capsys.readouterr().err


def test_hmi_and_injector_share_a_provisioned_key(ema_broker, ema_hmi_factory,
                                                  tmp_path: Path) -> None:
    """An HMI given a key file takes the frames its injector seals with that key, and refuses
    frames sealed with another (the development key), however new their session."""
    key_file = tmp_path / "vehicle.key"
    key_file.write_text("5a" * 32)
    hmi = ema_hmi_factory(key_file=str(key_file))
    assert not hmi.key.development
    injector = Injector(ema_broker.url, hmi.vehicle, key=hmi.key)
    stranger = None
    try:
        injector.status(True)
        injector.publish({"Vehicle.Speed": 12.0})
        hmi.wait_display(lambda d: d["readouts"]["drive.speed"]["value"] == 12.0)
        stranger = Injector(ema_broker.url, hmi.vehicle)  # newer epoch, development key
        assert stranger.session.epoch > injector.session.epoch
        stranger.publish({"Vehicle.Speed": 20.0})
        # Barrier: the broker has routed the stranger's frame (it came back to the stranger),
        # so it is queued to the HMI ahead of a later frame from the injector; once that one
        # shows, the HMI has taken (and refused) the stranger's.
        wait_until(lambda: routed_back(stranger, "drive"), 5, "the stranger's frame routed")
        injector.publish({SOC: 55.0})
        hmi.wait_display(lambda d: d["readouts"]["energy.soc"]["state"] == "fresh")
        assert hmi.readout("drive.speed")["value"] == 12.0
    finally:
        injector.close()
        if stranger is not None:
            stranger.close()
