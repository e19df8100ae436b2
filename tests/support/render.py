"""Render HMI screens to PNG headless, in any language and profile, with a typical vehicle.

    python -m tests.support.render --language de --profile desktop --out docs/screenshots/de

For the README's pictures and for looking at a layout in a language before committing it.
A real Mosquitto and the real HMI wiring, as in the tests; the vehicle is tests.support's
TYPICAL (Mud & Ruts at 23 km/h, part-charged) unless --values names another of its sets.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from pathlib import Path
from typing import Any

os.environ.setdefault("SDL_VIDEODRIVER", "offscreen")
os.environ.setdefault("KIVY_NO_ARGS", "1")
os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")


def simulated_configuration(name: str) -> dict[str, Any]:
    """The configuration frame's values the simulator publishes for shipped car `name`, so a
    picture shows the ranges the README's table gives."""
    from protocols import load_catalogue
    from vehicle_sim.model import load_configuration, rating_specs
    from vehicle_sim.ratings import SHARED
    from vehicle_sim.simulated import ScenarioVehicle

    SHARED.wait_for(rating_specs(load_configuration(name)))
    values = ScenarioVehicle("showcase", configuration=name).signal_values()
    return {s.path: values[s.path] for s in load_catalogue().frames["configuration"].signals}


def main() -> None:
    from hmi.profiles import PROFILES
    from vehicle_sim.model import list_configurations

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--language", default="en-GB")
    parser.add_argument("--profile", default="desktop", choices=sorted(PROFILES))
    parser.add_argument("--screens", nargs="*",
                        default=["drive", "terrain", "energy", "charging", "vehicle", "settings"])
    parser.add_argument("--market-units", action="store_true",
                        help="the market's units (default: metric, as the tests use)")
    parser.add_argument("--theme", default="night")
    parser.add_argument("--accent", help="an accent of hmi.theme.ACCENTS (default: the paint's)")
    parser.add_argument("--values", default="typical",
                        choices=["typical", "widest", "charging_session", "wading", "ride_moving",
                                 "rolling_back", "hill_descent", "too_fast", "engaging"],
                        help="tests.support.sample_vehicle's values to show (widest: the "
                             "longest texts, as the layout tests use)")
    parser.add_argument("--configuration", choices=[*list_configurations(), "none"],
                        help="fit the car as this shipped configuration, with the frame the "
                             "simulator publishes for it (its WLTC drives done first, ~2 s "
                             "each); none: no configuration frame at all")
    parser.add_argument("--size", help="WIDTHxHEIGHT: a resized desktop window (the cabin in "
                        "the app's frame, zoomed and centred as hmi.app shows it)")
    parser.add_argument("--offline", action="store_true",
                        help="then the vehicle goes offline (its will): the banner, and "
                             "every control unavailable")
    parser.add_argument("--tap", nargs="*", default=[],
                        help="test-control taps before the pictures (terrain.ROCK_CRAWL, ...)")
    parser.add_argument("--refuse", metavar="REASON",
                        help="answer the first tap's command as the vehicle: rejected, REASON")
    parser.add_argument("--out", type=Path, required=True)
    args = parser.parse_args()
    profile = PROFILES[args.profile]

    from kivy.config import Config

    width, height = (int(v) for v in args.size.split("x")) if args.size else profile.size
    Config.set("graphics", "width", str(width))
    Config.set("graphics", "height", str(height))
    from kivy.base import EventLoop

    EventLoop.ensure_window()
    window = EventLoop.window

    from hmi.testbench.mosquitto import MosquittoBroker

    args.out.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory() as scratch:
        broker = MosquittoBroker(Path(scratch)).start()
        try:   # a failed wait must not leave the broker running
            _render(args, window, broker.url, profile.name)
        finally:
            broker.stop()


def _render(args: argparse.Namespace, window: Any, url: str, profile_name: str) -> None:
    """Publish the chosen values, start the HMI, act as asked and write each screen's PNG."""
    from tests.hmi.conftest import advance_frames, publish_all, start_hmi, stop_hmi
    from tests.support import sample_vehicle
    from tests.support.injector import VehicleInjector

    vehicle = VehicleInjector(url, "render").start()
    values = getattr(sample_vehicle, args.values)()
    if args.configuration == "none":
        del values["configuration"]
    elif args.configuration:
        values["configuration"] = simulated_configuration(args.configuration)
    publish_all(vehicle, values)
    harness = start_hmi(window, url, "render", profile_name,
                        language=args.language, metric=not args.market_units,
                        framed=bool(args.size))
    harness.hmi.models.preferences.choose("theme", args.theme)
    if args.accent:
        harness.hmi.models.preferences.choose("accent", args.accent)
    window.clearcolor = harness.hmi.theme.background   # as hmi.app.prepare_window does
    harness.wait(lambda: harness.models.energy.range_rated.available, 5.0, "live data")
    if args.offline:
        vehicle.stop_cycle()
        vehicle.status(False)
        harness.wait(lambda: harness.models.link.banner_visible, 5.0, "offline banner")
    for target in args.tap:
        harness.hmi.tap(target)
    if args.refuse:
        from protocols import ResultStatus

        vehicle.result(vehicle.next_command(), ResultStatus.REJECTED, args.refuse)
        terrain = harness.models.terrain
        controls = [*terrain.tiles, *terrain.lockers.values(), *terrain.ride.levels]
        harness.wait(lambda: any(c.state == "refused" for c in controls), 5.0,
                     "the refusal")
    for name in args.screens:
        harness.screen(name)
        advance_frames(6)
        target = args.out / f"{name}.png"
        window.screenshot(name=str(target))
        written = sorted(args.out.glob(f"{name}*.png"), key=lambda p: p.stat().st_mtime)[-1]
        written.replace(target)
        print(target)
    stop_hmi(harness)
    vehicle.close()


if __name__ == "__main__":
    main()
