"""One measured program, run as its own process; reports JSON lines on stdout.

    python -m hmi.benchmark.subject ours|peer|bare|raw --broker URL --vehicle ID --workdir DIR
                                    [--pace SCALE]

ours  the real HMI, built exactly as `ema-hmi` builds it (hmi.cli + composition + HmiApp)
peer  the common hobby-dashboard pattern: JSON payloads, one Clock.schedule_once per message
      that sets Label texts straight away (drive + battery signals as labels)
bare  a Kivy window with one label (floor for startup, RSS, idle CPU)
raw   an MQTT subscriber on the project's transport, no Kivy (floor for latency: the broker round)

Latency of a Kivy subject: `ts` of the drive frame applied (µs since the epoch, stamped by the
publisher just before publishing) to the moment the window's flip returned, in the same
iteration of the Kivy loop; for `raw` to the moment the transport handed the message over.
Every 0.25 s a line {"t", "recv", "lat": [ms...], "flip": [ms between flips...], "tick":
[ms...]} is printed, plus {"event": "first_flip"|"live", "t"} once each. For profiling:
`--exit-after S`, `--cprofile PATH`, and EMA_BENCH_SCREEN=terrain|... to measure ours on
another screen.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from protocols.bus import Message

from .pace import Pace

EMIT_S = 0.25


class Reporter:
    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending: list[int] = []
        self.lat: list[float] = []
        self.flip: list[float] = []
        self.tick: list[float] = []
        self.have_values = False
        self._first_flip = False
        self._live = False
        self._last_flip = 0.0
        self.recv: Callable[[], int] = lambda: 0

    def event(self, name: str) -> None:
        print(json.dumps({"event": name, "t": time.time()}), flush=True)

    def on_flip(self) -> None:
        now_us = time.time_ns() // 1000
        mono = time.monotonic()
        if self._last_flip:
            self.flip.append((mono - self._last_flip) * 1e3)
        self._last_flip = mono
        if not self._first_flip:
            self._first_flip = True
            self.event("first_flip")
        if self.have_values and not self._live:
            self._live = True
            self.event("live")
        if self.pending:
            self.lat.extend((now_us - ts) / 1e3 for ts in self.pending)
            self.pending.clear()

    def emit(self, *_: Any) -> None:
        with self.lock:
            line = {"t": time.time(), "recv": self.recv(), "lat": self.lat,
                    "flip": self.flip, "tick": self.tick}
            self.lat, self.flip, self.tick = [], [], []
        print(json.dumps(line), flush=True)


def hook_window(rep: Reporter) -> None:
    """Time every flip right after the buffers were swapped."""
    from kivy.clock import Clock
    from kivy.core.window import Window

    original = Window.flip

    def flip() -> None:
        original()
        rep.on_flip()

    Window.flip = flip
    Clock.schedule_interval(rep.emit, EMIT_S)


def prepare(workdir: Path) -> None:
    from hmi.cli import configure_window, prepare_kivy_environment

    os.environ.setdefault("KIVY_HOME", str(workdir / "kivy"))
    (workdir / "kivy").mkdir(parents=True, exist_ok=True)
    prepare_kivy_environment(screenshot=True)
    configure_window("desktop", False, headless=True)


def run_ours(args: argparse.Namespace, rep: Reporter) -> None:
    from hmi.app import HmiApp
    from hmi.composition import build_mqtt_hmi
    from protocols.bus import parse_broker_url

    hmi = build_mqtt_hmi(parse_broker_url(args.broker), args.vehicle, "desktop",
                         os.environ.get("EMA_BENCH_SCREEN", "drive"),
                         Path(args.workdir) / "preferences.json")
    store, applier = hmi.store, hmi.applier
    drain, tick = store.drain, applier.tick

    def drain_hooked() -> Any:
        drained = drain()
        ts = drained.frame_ts_us.get("drive")
        if ts:
            rep.pending.append(ts)
        if drained.samples:
            rep.have_values = True
        return drained

    def tick_timed(dt: float | None = None) -> None:
        t0 = time.perf_counter()
        tick(dt)
        rep.tick.append((time.perf_counter() - t0) * 1e3)

    store.drain = drain_hooked  # type: ignore[method-assign]
    applier.tick = tick_timed  # type: ignore[method-assign]
    rep.recv = lambda: store.counters().received
    hook_window(rep)
    HmiApp(hmi).run()


def run_peer(args: argparse.Namespace, rep: Reporter) -> None:
    """The hobby-dashboard pattern, as commonly written (about 40 lines of app code)."""
    import json as jsonlib
    from functools import partial

    from kivy.app import App
    from kivy.clock import Clock
    from kivy.uix.gridlayout import GridLayout
    from kivy.uix.label import Label

    from protocols import load_catalogue

    from .frames import client

    catalogue = load_catalogue()
    shown = [s.path for f in ("drive", "battery") for s in catalogue.frames[f].signals]
    count = [0]

    class PeerApp(App):
        def build(self) -> Any:
            grid = GridLayout(cols=4)
            self.labels = {}
            for path in shown:
                grid.add_widget(Label(text=path.rsplit(".", 1)[-1], font_size=12))
                self.labels[path] = Label(text="--", font_size=18)
                grid.add_widget(self.labels[path])
            return grid

        def on_start(self) -> None:
            self.mqtt = client(args.broker, f"bench-peer-{os.getpid()}", Pace(args.pace))
            self.mqtt.add_listener(self.on_message)
            self.mqtt.subscribe(f"ema/v1/{args.vehicle}/state/+")

        def on_message(self, msg: Message) -> None:  # the transport's thread
            count[0] += 1
            Clock.schedule_once(partial(self.apply, msg.topic, msg.payload, msg.retain))

        def apply(self, topic: str, payload: bytes, retained: bool, _dt: float) -> None:
            data = jsonlib.loads(payload)
            for path, value in data["sig"].items():
                label = self.labels.get(path)
                if label is not None:
                    label.text = f"{value:.1f}" if isinstance(value, float) else str(value)
            rep.have_values = True
            if topic.endswith("/drive") and not retained:
                rep.pending.append(data["ts"])

    rep.recv = lambda: count[0]
    hook_window(rep)
    PeerApp().run()


def run_bare(args: argparse.Namespace, rep: Reporter) -> None:
    from kivy.app import App
    from kivy.uix.label import Label

    class BareApp(App):
        def build(self) -> Any:
            return Label(text="EMA")

    rep.have_values = True
    hook_window(rep)
    BareApp().run()


def run_raw(args: argparse.Namespace, rep: Reporter) -> None:
    import msgpack

    from .frames import client

    count = [0]

    def on_message(msg: Message) -> None:
        count[0] += 1
        if msg.topic.endswith("/drive") and not msg.retain:
            now_us = time.time_ns() // 1000
            ts = msgpack.unpackb(msg.payload, strict_map_key=False)["ts"]
            with rep.lock:
                rep.lat.append((now_us - ts) / 1e3)
        if not rep.have_values:
            rep.have_values = True
            rep.event("live")

    rep.recv = lambda: count[0]
    c = client(args.broker, f"bench-raw-{os.getpid()}", Pace(args.pace))
    c.add_listener(on_message)
    c.subscribe(f"ema/v1/{args.vehicle}/state/+")
    rep.event("first_flip")
    while True:
        time.sleep(EMIT_S)
        rep.emit()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="hmi.benchmark.subject")
    parser.add_argument("kind", choices=("ours", "peer", "bare", "raw"))
    parser.add_argument("--broker", required=True)
    parser.add_argument("--vehicle", default="ema-01")
    parser.add_argument("--workdir", required=True)
    parser.add_argument("--pace", type=float, default=1.0,
                        help="this machine's slowness (hmi.benchmark.pace): scales the waits")
    parser.add_argument("--exit-after", type=float, default=0.0,
                        help="stop a Kivy subject after S seconds (for profiling)")
    parser.add_argument("--cprofile", metavar="PATH", help="write a cProfile of the run here")
    args = parser.parse_args(argv)
    rep = Reporter()
    if args.kind != "raw":
        prepare(Path(args.workdir))
        if args.exit_after:
            from kivy.app import App
            from kivy.clock import Clock

            Clock.schedule_once(lambda _dt: App.get_running_app().stop(), args.exit_after)
    run = {"ours": run_ours, "peer": run_peer, "bare": run_bare, "raw": run_raw}[args.kind]
    if args.cprofile:
        import cProfile

        cProfile.runctx("run(args, rep)", globals(), locals(), args.cprofile)
    else:
        run(args, rep)
    return 0


if __name__ == "__main__":
    sys.exit(main())
