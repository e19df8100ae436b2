"""Link loss shows the banner at once; the HMI reconnects by itself and shows retained state."""

from __future__ import annotations

from tests.hmi.conftest import publish_all, start_hmi, stop_hmi
from tests.support.injector import VehicleInjector

SOC = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"


def test_broker_loss_shows_banner_then_recovers_with_retained_state(
        window, private_mosquitto, vehicle_id) -> None:
    vehicle = VehicleInjector(private_mosquitto.url, vehicle_id).start()
    publish_all(vehicle)
    harness = start_hmi(window, private_mosquitto.url, vehicle_id)
    try:
        speed = harness.screen("drive").ids.speed
        harness.wait(lambda: speed.shown_text == "23", what="speed before the loss")
        private_mosquitto.kill()
        harness.wait(lambda: harness.root.ids.banner_text.text.startswith("Connection lost"),
                     timeout_s=3.0, what="connection-lost banner")
        vehicle.close()
        private_mosquitto.start()  # same port, empty broker
        vehicle = VehicleInjector(private_mosquitto.url, vehicle_id).start()
        vehicle.status(True)  # publisher restarted: its sequence starts again
        vehicle.state("battery", {SOC: 55.0}, seq=1)  # retained
        harness.wait(lambda: harness.models.link.broker_connected, timeout_s=5.0,
                     what="reconnected")
        soc = harness.models.energy.soc
        harness.wait(lambda: soc.text == "55" and soc.available, timeout_s=3.0,
                     what="state after the reconnect")
    finally:
        stop_hmi(harness)
        vehicle.close()
