"""A stopped HMI leaves nothing behind: no thread, no widget tree kept alive by kv bindings."""

from __future__ import annotations

import gc
import threading
import weakref

from tests.hmi.conftest import publish_all, start_hmi, stop_hmi


def test_stopped_hmi_is_garbage(window, mosquitto, vehicle_id, vehicle) -> None:
    publish_all(vehicle)
    harness = start_hmi(window, mosquitto.url, vehicle_id)
    harness.wait(lambda h=harness: h.models.drive.speed.available)
    models, shell = weakref.ref(harness.models.terrain), weakref.ref(harness.root)
    stop_hmi(harness)
    del harness
    gc.collect()
    assert (models(), shell()) == (None, None)


def test_stop_ends_the_network_thread(window, mosquitto, vehicle_id) -> None:
    before = set(threading.enumerate())
    harness = start_hmi(window, mosquitto.url, vehicle_id)
    stop_hmi(harness)
    assert [t for t in threading.enumerate() if t not in before and t.is_alive()] == []


def test_stop_twice_is_harmless(window, mosquitto, vehicle_id) -> None:
    harness = start_hmi(window, mosquitto.url, vehicle_id)
    stop_hmi(harness)
    harness.hmi.stop()
    assert not harness.hmi._started and not harness.hmi.pacer.running
