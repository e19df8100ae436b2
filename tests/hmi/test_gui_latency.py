"""Publish-to-screen latency: a speed published on the bus is on the numerals within a frame
or two."""

from __future__ import annotations

import time

from tests.hmi.conftest import advance_until, publish_all

SAMPLES = 60
BUDGET_P50_S = 0.1   # respond within 100 ms (reference: touch-to-visual 30-85 ms)
BUDGET_P99_S = 0.25  # software GL on a loaded CI core: allow a few slow frames


def test_speed_reaches_the_screen_within_100_ms(hmi, vehicle, request) -> None:
    publish_all(vehicle)
    speed = hmi.screen("drive").ids.speed
    hmi.wait(lambda: speed.shown_text == "23")
    vehicle.stop_cycle()  # from here on, only the measured frames
    delays = []
    for i in range(SAMPLES):
        kmh = 40 + i
        started = time.monotonic()
        vehicle.state("drive", {"Vehicle.Speed": kmh / 3.6}, retain=False)
        advance_until(lambda kmh=kmh: speed.shown_text == str(kmh), 2.0, f"{kmh} km/h")
        delays.append(time.monotonic() - started)
    delays.sort()
    p50, p99 = delays[len(delays) // 2], delays[int(len(delays) * 0.99)]
    request.node.user_properties.append(("publish_to_screen_ms_p50_p99",
                                         (round(p50 * 1000, 1), round(p99 * 1000, 1))))
    assert p50 < BUDGET_P50_S and p99 < BUDGET_P99_S, (
        f"p50 {p50 * 1000:.1f} ms, p99 {p99 * 1000:.1f} ms")
