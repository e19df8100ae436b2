"""The vehicle publishes its drive units' peak axle torque (the configuration frame), the
scale the cabin draws the live torque against; the live torque stays within it."""

from __future__ import annotations

from vehicle_sim.model import Environment, Surface
from vehicle_sim.simulated import ScenarioVehicle

PEAKS = ("Vehicle.Ema.Drivetrain.Axle.Row1.PeakTorque",
         "Vehicle.Ema.Drivetrain.Axle.Row2.PeakTorque")


def test_the_peak_is_the_spec_and_a_full_throttle_launch_stays_within_it(
        make_vehicle, drive, spec) -> None:
    values = ScenarioVehicle("trail").signal_values()
    front, rear = (values[p] for p in PEAKS)
    motor_f, motor_r = spec.front_motor, spec.rear_motor
    assert front == motor_f.peak_torque_Nm * motor_f.gear_ratio * spec.gear_efficiency
    assert rear == motor_r.peak_torque_Nm * motor_r.gear_ratio * spec.gear_efficiency
    vehicle = make_vehicle()
    highest = [0.0, 0.0]
    for _ in range(30):
        drive(vehicle, 0.1, Environment(surface=Surface.TARMAC), accelerator=1.0)
        state = vehicle.snapshot().drive
        highest = [max(highest[0], abs(state.front_axle_torque_Nm)),
                   max(highest[1], abs(state.rear_axle_torque_Nm))]
    assert highest[0] <= front * 1.001 and highest[1] <= rear * 1.001, (highest, front, rear)
    assert highest[0] > 0.5 * front, "the launch used the front motor"
