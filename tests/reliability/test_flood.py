"""A publisher in another process floods the HMI at 100x the nominal rate (CI: 6 s; soak: 60 s),
and the HMI's main thread is blocked for 500 ms in the middle of it: memory stays flat, the frame
rate holds, the block leaves no backlog, and the latest values are shown afterwards."""

from __future__ import annotations

import statistics
import subprocess
import sys
import time

import pytest

from protocols import load_catalogue
from tests.reliability.conftest import ROOT, advance_until, figure, soak
from tests.support.sample_vehicle import typical

CATALOGUE = load_catalogue()
NOMINAL_RATE = sum(frame.rate_hz for frame in CATALOGUE.frames.values())
FACTOR = 100


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        return int(handle.read().split()[1]) * 4096 / 2**20


@pytest.mark.timeout(soak(120, 1200))
def test_flood_at_100x_with_a_blocked_main_thread(mosquitto, vehicle_id, hmi_on) -> None:
    from kivy.base import EventLoop

    harness = hmi_on(mosquitto.url, vehicle_id)
    store, table = harness.hmi.store, harness.hmi.table
    tick_s: list[float] = []
    real_tick = harness.hmi.pacer.tick

    def timed_tick() -> None:
        began = time.perf_counter()
        real_tick()
        tick_s.append(time.perf_counter() - began)

    harness.hmi.pacer.tick = timed_tick  # the product's pacing, timed
    duration = soak(10.0, 60.0)
    flood = subprocess.Popen([sys.executable, "-m", "tests.reliability.flood", mosquitto.url,
                              vehicle_id, str(FACTOR), str(duration)], cwd=ROOT,
                             stdout=subprocess.PIPE, text=True)
    try:
        advance_until(lambda: table.live_float("Vehicle.Speed") is not None, 5, "the flood")
        start = time.monotonic()
        second, frames_this_second = 0, 0
        fps: list[int] = []
        rss: list[float] = []
        blocked = False
        after_block: dict[str, float] = {}
        while flood.poll() is None:
            now = time.monotonic() - start
            if not blocked and now >= duration / 2:
                time.sleep(0.5)                          # the main thread stalls for 500 ms
                blocked = True
                after_block["samples"] = store.pending_samples
                after_block["events"] = store.pending_events
                tick = time.monotonic()
                EventLoop.idle()
                after_block["tick_s"] = time.monotonic() - tick
                second = int(time.monotonic() - start)   # that second does not count for fps
                frames_this_second = 0
                continue
            EventLoop.idle()
            frames_this_second += 1
            if int(now) != second:
                if second >= 1 and not (blocked and second == int(duration / 2)):
                    fps.append(frames_this_second)
                    rss.append(rss_mb())
                second, frames_this_second = int(now), 0
        sent = int(flood.stdout.read().strip() or 0)
    finally:
        flood.kill()
    final = typical()
    expected = {path: value for frame in final.values() for path, value in frame.items()}

    def latest_shown() -> bool:
        # the flood has stopped, so the fast frames may be stale by now: compare the values
        return all(table.state(p).value == v for p, v in expected.items())

    try:
        advance_until(latest_shown, 3, "the flood's last values")
    except AssertionError:
        wrong = {p: (table.state(p), v) for p, v in expected.items()
                 if table.state(p).value != v}
        raise AssertionError(f"not the last values: {wrong}") from None
    counters = store.counters()
    ordered = sorted(tick_s)
    p50, p99 = ordered[len(ordered) // 2], ordered[int(len(ordered) * 0.99)]
    # Kivy caches a texture per distinct text (a bounded cache) and Mesa allocates as it goes:
    # RSS rises over the first ~10 s, then stays flat (60 s soak: the second half grows < 8 MB).
    # The CI run is mostly that warm-up, so it only bounds the growth.
    half = rss[len(rss) // 2:]
    growth = max(half) - half[0]
    figure(f"flood {FACTOR}x ({FACTOR * NOMINAL_RATE:.0f} msg/s) for {duration:.0f} s: "
           f"{sent} sent, {counters.received} received, {counters.rejected} rejected; fps min "
           f"{min(fps)} median {statistics.median(fps)}; RSS {min(rss):.1f}-{max(rss):.1f} MB "
           f"(growth {growth:.1f} MB, series {[round(r) for r in rss]}); after a 500 ms block: "
           f"{after_block['samples']} samples and {after_block['events']} events pending, "
           f"next frame {after_block['tick_s'] * 1000:.0f} ms; applier tick p50 "
           f"{p50 * 1000:.2f} ms p99 {p99 * 1000:.2f} ms over {len(tick_s)} frames")
    assert sent >= FACTOR * NOMINAL_RATE * duration * 0.9
    assert counters.received >= sent * 0.95 and counters.rejected == 0
    # The frame rate is the main thread's to hold: the per-frame apply must fit a 60 fps frame
    # however fast the bus is (fps itself also depends on what else runs on the machine).
    # The tick's cost is a figure, not a pass mark: it depends on the machine's load, and
    # ema-bench measures it against a baseline of the same run.
    assert statistics.median(fps) >= 15
    assert growth < soak(64.0, 8.0)
    assert after_block["samples"] <= len(CATALOGUE.signals) and after_block["events"] <= 4
    assert after_block["tick_s"] < 0.1
