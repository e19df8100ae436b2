"""The Terrain screen's torque diagram: bars on the car's own peak torque, small torque
visible, and a motor lit exactly when its figure says it works.

In the demo the bars were scaled to a retyped 4000 N·m, so cruising torque was a dot, and the
front motor went dark while its figure read 36 N·m (the icon had a threshold of its own)."""

from __future__ import annotations

import pytest

from hmi.models.terrain import torque_bar, torque_tone
from tests.hmi.conftest import advance_frames, publish_all
from tests.support.sample_vehicle import typical

FRONT, REAR = "Vehicle.Ema.Drivetrain.Axle.Row1.Torque", "Vehicle.Ema.Drivetrain.Axle.Row2.Torque"
PEAK_FRONT = "Vehicle.Ema.Drivetrain.Axle.Row1.PeakTorque"
PEAK_REAR = "Vehicle.Ema.Drivetrain.Axle.Row2.PeakTorque"


@pytest.mark.parametrize("torque, tone", [(36.0, "drive"), (0.6, "drive"), (0.4, "idle"),
                                          (0.0, "idle"), (-0.4, "idle"), (-12.0, "regen"),
                                          (None, "idle")])
def test_the_motor_is_lit_whenever_its_figure_is_not_zero(torque, tone) -> None:
    assert torque_tone(torque) == tone


def test_cruising_torque_is_a_bar_not_a_dot() -> None:
    assert torque_bar(150.0, 3991.0) > 0.15          # 4 % of the peak: a fifth of the bar
    assert torque_bar(3991.0, 3991.0) == 1.0
    assert torque_bar(-9000.0, 3991.0) == -1.0
    lengths = [torque_bar(t, 3991.0) for t in (0.0, 36.0, 150.0, 800.0, 2000.0, 3991.0)]
    assert lengths == sorted(lengths) and lengths[0] == 0.0


def diagram(hmi):
    screen = hmi.screen("terrain")
    advance_frames(3)
    return screen.ids.torque


def test_the_icon_and_the_figure_follow_one_rule(hmi, vehicle) -> None:
    values = typical()
    values["drive"].update({FRONT: 36.0, REAR: 0.3})
    publish_all(vehicle, values)
    terrain = hmi.models.terrain
    hmi.wait(lambda: terrain.torque_front.text == "36", what="the front figure")
    torque = diagram(hmi)
    assert (terrain.torque_rear.text, torque.front_tone, torque.rear_tone) == (
        "0", "drive", "idle")
    assert torque.front > 0.05, "36 N·m is a visible bar"


def test_the_bars_are_scaled_to_the_peak_the_car_publishes(hmi, vehicle) -> None:
    values = typical()
    values["configuration"].update({PEAK_FRONT: 2000.0, PEAK_REAR: 2000.0})
    values["drive"].update({FRONT: 500.0, REAR: -2000.0})
    publish_all(vehicle, values)
    hmi.wait(lambda: hmi.models.terrain.torque_rear_tone == "regen", what="regen at the rear")
    torque = diagram(hmi)
    assert torque.front == pytest.approx(0.5)          # a quarter of the peak, on the root scale
    assert torque.rear == pytest.approx(-1.0)
