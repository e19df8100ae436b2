"""`ema-demo`: the desktop simulation mode in one command.

Starts an embedded MQTT broker (amqtt, loopback only) unless --broker names one, the simulator
as its own process on a looping showcase scenario, and the cabin HMI with the simulation
control panel beside it. Closing the window, Ctrl-C or SIGTERM stops everything it started.

    ema-demo [--broker URL] [--vehicle ID] [--scenario NAME] [--profile desktop|pi7|pi-touch2]
    ema-demo --screenshot PATH [--after SECONDS] [--live-within SECONDS]
                                                     headless: capture after live running, exit
"""

from __future__ import annotations

import argparse
import logging
import os
import signal
import sys
import uuid
from collections.abc import Sequence
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from protocols.auth import CommandSigner, add_auth_arguments, key_from_args
from protocols.bus import add_connection_arguments, settings_from_args
from protocols.bus.lifecycle import stop_on_signals
from protocols.bus.mqtt import MqttTransport

from ..cli import (
    add_live_within_argument,
    check_live_within,
    configure_window,
    live_within,
    prepare_kivy_environment,
    schedule_screenshot,
    startup_language,
    state_dir,
)
from ..profiles import PROFILES
from .panel_layout import PANEL_WIDTH

LOG = logging.getLogger("ema-demo")


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="ema-demo", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_connection_arguments(parser)
    add_auth_arguments(parser)
    parser.set_defaults(broker=None)
    parser.add_argument("--scenario", default="showcase", help="scenario the simulator loops")
    parser.add_argument("--profile", choices=sorted(PROFILES), default="desktop")
    parser.add_argument("--no-panel", action="store_true", help="cabin screens only")
    parser.add_argument("--language", metavar="TAG", default=os.environ.get("EMA_LANGUAGE"),
                        help="language for this run, e.g. de, ja, ar (default: $EMA_LANGUAGE, "
                             "else the saved choice, else the system locale)")
    parser.add_argument("--screenshot", metavar="PATH", type=Path,
                        help="run headless, write a PNG to exactly PATH after --after s, exit")
    parser.add_argument("--after", metavar="SECONDS", type=float, default=4.0)
    add_live_within_argument(parser)
    parser.add_argument("--log-level", default="WARNING",
                        choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    args = parser.parse_args(argv)
    check_live_within(parser, args)
    return args


def main(argv: Sequence[str] | None = None) -> int:
    args = parse_args(argv)
    logging.basicConfig(level=args.log_level,
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    language, default_language = startup_language(args.language, os.environ)
    if args.language and language is None:
        print(f"ema-demo: unknown language {args.language!r}", file=sys.stderr)
        return 2
    args.language, args.default_language = language, default_language
    headless = args.screenshot is not None
    from .broker import EmbeddedBroker
    from .simulator import SimulatorProcess

    with ExitStack() as stack:
        # The simulator is forked before any thread exists (the broker's, paho's, Kivy's):
        # forking a threaded process can deadlock the child. It retries until the broker is up.
        broker = None if args.broker else EmbeddedBroker()
        args.broker = broker.url if broker else args.broker
        simulator = SimulatorProcess(args.broker, args.vehicle, args.scenario).start()
        stack.callback(simulator.stop)
        if broker is not None:
            broker.start()
            stack.callback(broker.stop)
            print(f"ema-demo: embedded broker on {broker.url} (loopback only)", file=sys.stderr,
                  flush=True)
        prepare_kivy_environment(headless)
        configure_window(args.profile, False, headless, 0 if args.no_panel else PANEL_WIDTH)
        logging.getLogger("kivy").setLevel(args.log_level)
        return _run_window(args, settings_from_args(args), stack, headless)


def _run_window(args: argparse.Namespace, settings: Any, stack: ExitStack, headless: bool) -> int:
    from kivy.clock import Clock

    from ..composition import build_mqtt_hmi
    from ..touch import install_touch_filter
    from .app import DemoApp
    from .controller import SimController
    from .panel_model import SimPanelModel

    signer = CommandSigner(key_from_args(args, LOG), args.vehicle)
    hmi = build_mqtt_hmi(settings, args.vehicle, args.profile, "drive",
                         state_dir() / "preferences.json", signer,
                         language=args.language, default_language=args.default_language)
    client_id = f"ema-demo-{uuid.uuid4().hex[:8]}"
    controller = SimController(MqttTransport(settings, client_id=client_id), args.vehicle,
                               signer=signer)
    controller.start()
    stack.callback(controller.close)
    panel = None if args.no_panel else SimPanelModel(controller, args.scenario)
    app = DemoApp(hmi, panel)
    stack.callback(hmi.stop)
    install_touch_filter()
    # Ctrl-C keeps Kivy's own KeyboardInterrupt; SIGTERM stops the app through the relay
    stack.enter_context(stop_on_signals(lambda: Clock.schedule_once(lambda _dt: app.stop()),
                                        signals=(signal.SIGTERM,)))
    outcome = {"code": 0}
    if headless:
        schedule_screenshot(app, args.screenshot.resolve(), args.after, outcome,
                            live_within(hmi, args.live_within))
    try:
        app.run()
    except KeyboardInterrupt:
        LOG.info("interrupted")
    return outcome["code"]


if __name__ == "__main__":
    sys.exit(main())
