"""Long runs do not creep. The real HMI (`python -m hmi.cli`, headless, in its own process) shows
the real simulator at nominal rates on Mosquitto, and every 10 minutes a publisher floods its
state topics for 60 s with malformed payloads (random bytes, 100x the nominal message rate):
after 30 minutes (`make soak`) its RSS is within 5 MB of its RSS after warm-up. The RSS curve
goes to the figures.

What crept (measured in 8-minute runs with a flood every 2 minutes; Python's own heap stayed
flat under tracemalloc): native memory in Mesa's llvmpipe. Every icon texture was kept as the
Fbo it was drawn in, and every Fbo carries its own render context and GL program, about 1.3 MB
of native heap each (about 0.65 MB of RSS), so each icon name and size shown for the first time
(a terrain program the simulator switches to, say) added a step for the rest of the run
(`hmi.widgets.icons.icon_texture` keeps only the pixels now). What remains is glibc keeping the
heap it grew during the first flood: about 1-2 MB, and not growing with later floods.

`make test` runs a short version (a parked vehicle, one 8 s flood), and
`test_a_new_icon_keeps_no_gl_program` measures what a new icon costs in native heap.
"""

from __future__ import annotations

import ctypes
import os
import random
import threading
import time
from pathlib import Path

import pytest

from hmi.testbench.pytest_plugin import ema_broker, ema_hmi_factory  # noqa: F401
from protocols import load_catalogue
from tests.reliability.conftest import ROOT, SOAK, SimProcess, figure, scenario_file, soak
from tests.support.injector import VehicleInjector

CATALOGUE = load_catalogue()
NOMINAL_RATE = sum(frame.rate_hz for frame in CATALOGUE.frames.values())
FLOOD_FACTOR = 100

RUN_S = soak(30.0, 1800.0)
WARM_S = soak(10.0, 120.0)          # RSS "after warm-up" is the sample taken here
FLOOD_STARTS_S = soak((14.0,), (240.0, 840.0, 1440.0))   # every 10 minutes from minute 4
FLOOD_S = soak(8.0, 60.0)
SAMPLE_S = soak(1.0, 10.0)
BOUND_MB = 5.0


def rss_mb(pid: int) -> float:
    with open(f"/proc/{pid}/statm") as handle:
        return int(handle.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


class GarbageFlood:
    """Random bytes on the vehicle's state topics (and a few unknown frames), from its own thread
    at FLOOD_FACTOR times the catalogue's message rate, for `seconds` once started."""

    def __init__(self, injector: VehicleInjector, seconds: float, seed: int) -> None:
        self.injector = injector
        self.seconds = seconds
        self.rng = random.Random(seed)
        self.sent = 0
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, daemon=True, name="garbage-flood")
        self._thread.start()

    def join(self) -> None:
        if self._thread is not None:
            self._thread.join(self.seconds + 10)

    def _run(self) -> None:
        topics = self.injector.topics
        names = list(CATALOGUE.frames)
        rate = FLOOD_FACTOR * NOMINAL_RATE
        start = time.monotonic()
        sent = 0
        while (elapsed := time.monotonic() - start) < self.seconds:
            while sent < int(elapsed * rate):
                name = (self.rng.choice(names) if self.rng.random() < 0.95
                        else f"junk{self.rng.randrange(1000)}")
                self.injector.raw(topics.state(name), self.rng.randbytes(self.rng.randint(1, 200)))
                sent += 1
            time.sleep(0.005)  # pacing of the publisher, not a wait for a condition
        self.sent += sent


@pytest.mark.timeout(soak(120, 2400))
def test_rss_after_warm_up_holds_through_floods(ema_broker, ema_hmi_factory,  # noqa: F811
                                               tmp_path: Path) -> None:
    vehicle = f"soak-{int(time.time() * 1000) % 10**8}"
    scenario = (ROOT / "vehicle_sim" / "scenarios" / "showcase.toml" if SOAK
                else scenario_file(tmp_path))
    sim = SimProcess(ema_broker.url, vehicle, scenario, tmp_path / "sim.log").start()
    injector = VehicleInjector(ema_broker.url, vehicle).start()
    floods: list[GarbageFlood] = []
    try:
        hmi = ema_hmi_factory(vehicle)
        hmi.wait_display(lambda d: not d["banner"]["visible"], 15, "live values from the simulator")
        pid = hmi.process.pid
        start = time.monotonic()
        curve: list[tuple[float, float]] = []
        pending = list(FLOOD_STARTS_S)
        next_sample = 0.0
        while (now := time.monotonic() - start) < RUN_S:
            assert hmi.alive and sim.alive, hmi.log_tail()
            if pending and now >= pending[0]:
                pending.pop(0)
                floods.append(GarbageFlood(injector, FLOOD_S, seed=len(floods)))
                floods[-1].start()
            if now >= next_sample:
                curve.append((round(now, 1), round(rss_mb(pid), 2)))
                next_sample += SAMPLE_S
            time.sleep(max(0.0, min(next_sample, pending[0] if pending else RUN_S) - now))
        for flood in floods:
            flood.join()
        curve.append((round(time.monotonic() - start, 1), round(rss_mb(pid), 2)))
        shown = hmi.wait_display(lambda d: not d["banner"]["visible"], 10,
                                 "live values after the floods")
        assert hmi.alive, hmi.log_tail()
    finally:
        injector.close()
        sim.stop()
    warm = next(rss for t, rss in curve if t >= WARM_S)
    final = curve[-1][1]
    sent = sum(flood.sent for flood in floods)
    every = max(1, int(round(soak(2.0, 30.0) / SAMPLE_S)))
    figure(f"soak {RUN_S / 60:.1f} min, {len(floods)} floods of {FLOOD_S:.0f} s at "
           f"{FLOOD_FACTOR}x ({sent} malformed payloads): RSS after {WARM_S:.0f} s warm-up "
           f"{warm:.1f} MB, final {final:.1f} MB ({final - warm:+.1f} MB), max "
           f"{max(r for _t, r in curve):.1f} MB; screen {shown['screen']!r} live at the end")
    figure("soak RSS curve (s, MB): " + ", ".join(f"({t:.0f}, {r:.1f})" for t, r in curve[::every]))
    assert sent >= FLOOD_FACTOR * NOMINAL_RATE * FLOOD_S * len(FLOOD_STARTS_S) * 0.8
    assert final - warm <= BOUND_MB


class _MallInfo2(ctypes.Structure):
    _fields_ = [(name, ctypes.c_size_t) for name in (
        "arena", "ordblks", "smblks", "hblks", "hblkhd", "usmblks", "fsmblks", "uordblks",
        "fordblks", "keepcost")]


def native_heap_mb() -> float:
    """Bytes in use in glibc's malloc (arenas and mmapped chunks), in MB."""
    try:
        mallinfo2 = ctypes.CDLL("libc.so.6").mallinfo2
    except (OSError, AttributeError):
        pytest.skip("needs glibc 2.33+ (mallinfo2)")
    mallinfo2.restype = _MallInfo2
    info = mallinfo2()
    return (info.uordblks + info.hblkhd) / 2**20


def test_a_new_icon_keeps_no_gl_program(window) -> None:  # noqa: F811
    """The mechanism of the creep, bounded: an icon shown at a new size or name costs its pixels,
    not a render context and GL program (about 1.3 MB each in llvmpipe when the Fbo was kept)."""
    import gc

    from kivy.base import EventLoop
    from kivy.graphics import ClearBuffers, ClearColor, Color, Fbo

    from hmi.programs import PROGRAMS
    from hmi.widgets.icons import draw_icon, icon_texture

    names = list(PROGRAMS)[:4]
    icon_texture(names[0], 39)  # the first Fbo of a process also builds what later ones share
    EventLoop.idle()
    sizes = (41, 43, 47, 53)  # sizes no screen uses, so every one is new
    before = native_heap_mb()
    textures = [icon_texture(name, size) for size in sizes for name in names]
    gc.collect()
    EventLoop.idle()
    per_icon_kb = (native_heap_mb() - before) * 1024 / len(textures)
    figure(f"a new icon costs {per_icon_kb:.0f} KiB of native heap "
           f"({len(textures)} icons of {sizes} px)")
    assert all(texture.size == (size, size) for texture, size
               in zip(textures, [s for s in sizes for _name in names], strict=True))
    assert per_icon_kb < 400
    drawn = Fbo(size=(sizes[0], sizes[0]))  # the kept pixels are the icon as drawn
    with drawn:
        ClearColor(0, 0, 0, 0)
        ClearBuffers()
        Color(1, 1, 1, 1)
        draw_icon(names[0], 0, 0, sizes[0], max(1.2, sizes[0] / 18))
    drawn.draw()
    assert textures[0].pixels == drawn.texture.pixels
