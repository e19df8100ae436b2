"""`ema-hmi`: run the cabin HMI, or render one screen headless to a PNG.

Kivy reads its environment and its own command-line flags at import time, so everything it
must know (no argument parsing, no console/file log, where its home is, which clipboard) is
set here before the first Kivy import, and the window Config before the window exists.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from protocols.auth import CommandSigner, add_auth_arguments, key_from_args
from protocols.bus import add_connection_arguments, settings_from_args
from protocols.freshness import add_clock_tolerance_argument

from .i18n import LANGUAGES, SOURCE_LANGUAGE, resolve, system_language
from .profiles import DEFAULT_PROFILE, PROFILES, minimum_window
from .touch import configure_input, install_touch_filter

LOG = logging.getLogger(__name__)
SCREEN_CHOICES = ("drive", "terrain", "energy", "charging", "vehicle", "settings")
NOT_LIVE_EXIT = 3   # --live-within ran out: the capture shows a vehicle not (yet) live


def state_dir() -> Path:
    """Per-user state folder: $XDG_STATE_HOME/ema-hmi or ~/.local/state/ema-hmi."""
    base = os.environ.get("XDG_STATE_HOME") or str(Path.home() / ".local" / "state")
    return Path(base) / "ema-hmi"


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ema-hmi", description="EMA cabin HMI (Kivy, MQTT).")
    add_connection_arguments(parser)
    add_auth_arguments(parser)
    add_clock_tolerance_argument(parser)
    parser.add_argument("--profile", choices=sorted(PROFILES), default=DEFAULT_PROFILE,
                        help="target display: desktop 800x480 window, pi7 800x480 fullscreen, "
                             "pi-touch2 720x1280 portrait fullscreen")
    parser.add_argument("--fullscreen", action="store_true", help="fullscreen on any profile")
    parser.add_argument("--screen", choices=SCREEN_CHOICES, default="drive",
                        help="screen shown first")
    parser.add_argument("--screenshot", metavar="PATH", type=Path,
                        help="render headless, write a PNG to exactly PATH, exit")
    parser.add_argument("--after", metavar="SECONDS", type=float, default=1.0,
                        help="with --screenshot: seconds of live running before the capture")
    add_live_within_argument(parser)
    parser.add_argument("--language", metavar="TAG", default=os.environ.get("EMA_LANGUAGE"),
                        help="language for this run, e.g. en-GB, de, ja, ar (default: "
                             "$EMA_LANGUAGE, else the saved choice, else the system locale)")
    parser.add_argument("--log-level", default="INFO",
                        choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    args = parser.parse_args(argv)
    if args.after < 0:
        parser.error("--after must not be negative")
    check_live_within(parser, args)
    return args


def add_live_within_argument(parser: argparse.ArgumentParser) -> None:
    """--live-within: a capture of the vehicle as it is, not of the seconds before it was heard
    (a TLS handshake on a loaded machine can take longer than any fixed --after)."""
    parser.add_argument("--live-within", metavar="SECONDS", type=float, default=None,
                        help="with --screenshot: wait until the vehicle is live (connected, "
                             "fresh data), at most SECONDS, and count --after from then; not "
                             f"live in time: the PNG is still written and the exit status is "
                             f"{NOT_LIVE_EXIT}")


def check_live_within(parser: argparse.ArgumentParser, args: argparse.Namespace) -> None:
    if args.live_within is None:
        return
    if args.live_within < 0:
        parser.error("--live-within must not be negative")
    if args.screenshot is None:
        parser.error("--live-within needs --screenshot")


def prepare_kivy_environment(screenshot: bool) -> None:
    """Environment Kivy reads when first imported; explicit settings of the caller win."""
    os.environ["KIVY_NO_ARGS"] = "1"
    os.environ.setdefault("KIVY_NO_CONSOLELOG", "1")
    os.environ.setdefault("KIVY_NO_FILELOG", "1")
    os.environ.setdefault("KIVY_LOG_MODE", "PYTHON")
    os.environ.setdefault("KIVY_CLIPBOARD", "sdl2")
    os.environ.setdefault("SDL_AUDIODRIVER", "dummy")
    os.environ.setdefault("KIVY_CLOCK", "interrupt")  # the link wakes the loop (hmi.pacing)
    if "KIVY_HOME" not in os.environ:
        home = state_dir() / "kivy"
        home.mkdir(parents=True, exist_ok=True)
        os.environ["KIVY_HOME"] = str(home)
    if screenshot and not os.environ.get("DISPLAY") and not os.environ.get("WAYLAND_DISPLAY"):
        os.environ["SDL_VIDEODRIVER"] = "offscreen"


def configure_window(profile_name: str, fullscreen: bool, headless: bool,
                     beside: int = 0) -> None:
    """Kivy Config that must be in place before the Window is created (`beside`: the width
    of a panel next to the cabin, the demo's)."""
    from kivy.config import Config

    profile = PROFILES[profile_name]
    Config.set("graphics", "width", str(profile.width + beside))
    Config.set("graphics", "height", str(profile.height))
    # the smallest the layout allows (hmi.profiles.minimum_window), from the window's start
    minimum = minimum_window(profile, beside) if profile.resizable else (0, 0)
    Config.set("graphics", "minimum_width", str(minimum[0]))
    Config.set("graphics", "minimum_height", str(minimum[1]))
    Config.set("graphics", "resizable", "1" if profile.resizable and not headless else "0")
    full = (fullscreen or profile.fullscreen) and not headless
    Config.set("graphics", "fullscreen", "auto" if full else "0")
    Config.set("graphics", "maxfps", "60")
    Config.set("graphics", "show_cursor", "1" if profile.show_cursor else "0")
    configure_input(profile_name)
    Config.set("kivy", "exit_on_escape", "0")
    Config.set("kivy", "window_icon", "")


def startup_language(asked: str | None, environ: Mapping[str, str]) -> tuple[str | None, str]:
    """(this run's language or None, the default when nothing is saved): `--language` or
    $EMA_LANGUAGE for the run; the system locale, else en-GB, as the default."""
    chosen = resolve(asked) if asked else None
    system = system_language(environ)
    return (chosen.tag if chosen else None), (system.tag if system else SOURCE_LANGUAGE)


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        settings = settings_from_args(args)
        signer = CommandSigner(key_from_args(args, LOG), args.vehicle)
    except (ValueError, OSError) as error:
        print(f"ema-hmi: {error}", file=sys.stderr)
        return 2
    language, default_language = startup_language(args.language, os.environ)
    if args.language and language is None:
        print(f"ema-hmi: unknown language {args.language!r}; one of "
              f"{', '.join(language.tag for language in LANGUAGES)}", file=sys.stderr)
        return 2
    headless = args.screenshot is not None
    prepare_kivy_environment(headless)
    configure_window(args.profile, args.fullscreen, headless)

    from .app import HmiApp
    from .composition import build_mqtt_hmi

    hmi = build_mqtt_hmi(settings, args.vehicle, args.profile, args.screen,
                         state_dir() / "preferences.json", signer, args.clock_tolerance_s,
                         language, default_language)
    app = HmiApp(hmi)
    install_touch_filter()
    outcome = {"code": 0}
    if headless:
        schedule_screenshot(app, args.screenshot.resolve(), args.after, outcome,
                            live_within(hmi, args.live_within))
    app.run()
    return outcome["code"]


def live_within(hmi: Any, bound_s: float | None) -> tuple[Callable[[], bool], float] | None:
    """(is the vehicle live now, at most how long to wait for it), or None for no wait."""
    if bound_s is None:
        return None
    return (lambda: bool(hmi.models.link.vehicle_online)), bound_s


def schedule_screenshot(app: object, target: Path, after_s: float, outcome: dict,
                        wait_live: tuple[Callable[[], bool], float] | None = None) -> None:
    """After `after_s` of live running, write the window to `target` and stop the app.

    With `wait_live` = (live, bound_s), `after_s` counts from the first frame on which `live()`
    holds; when it has not within bound_s of the app's start, the capture is taken as it is
    and outcome["code"] is NOT_LIVE_EXIT. A failed capture sets it to 1 rather than leaving
    the app running.
    """
    from kivy.clock import Clock
    from kivy.core.window import Window

    def capture(_dt: float) -> None:
        try:
            write_screenshot(Window, target)
            LOG.info("wrote %s", target)
        except Exception:  # report and exit non-zero rather than hang
            LOG.exception("screenshot failed")
            outcome["code"] = 1
        app.stop()  # type: ignore[attr-defined]

    if wait_live is None:
        Clock.schedule_once(capture, after_s)
        return
    live, bound_s = wait_live
    deadline: list[float] = []   # set on the first frame: window creation is not waiting

    def watch(_dt: float) -> bool | None:
        if not deadline:
            deadline.append(time.monotonic() + bound_s)
        if live():
            LOG.info("the vehicle is live; capturing in %.1f s", after_s)
            Clock.schedule_once(capture, after_s)
            return False
        if time.monotonic() >= deadline[0]:
            LOG.warning("the vehicle was not live within %.1f s; capturing it as it is", bound_s)
            outcome["code"] = NOT_LIVE_EXIT
            Clock.schedule_once(capture, 0)
            return False
        return None

    Clock.schedule_interval(watch, 0.05)


def write_screenshot(window: object, target: Path) -> None:
    """Window.screenshot appends a counter to the name; write to a temp dir and move it."""
    target.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=target.parent) as scratch:
        written = window.screenshot(name=str(Path(scratch) / "shot.png"))  # type: ignore[attr-defined]
        if not written or not Path(written).exists():
            raise RuntimeError("the window produced no screenshot")
        os.replace(written, target)


if __name__ == "__main__":
    sys.exit(main())
