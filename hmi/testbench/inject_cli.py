"""`ema-inject SCRIPT...`: run scripted tests against a running HMI; report, JUnit XML, exit code.

    ema-inject scripts/inject/low_battery.toml --broker mqtt://HOST:1883 [--vehicle ID]
               [--command-key-file PATH] [--junit report.xml] [--keep-going]
               [--progress auto|always|never]

It speaks as the vehicle: every frame, status and result it publishes is sealed with the
vehicle's key (--command-key-file or $EMA_COMMAND_KEY_FILE, else the public development key), as
one new vehicle session per script (its own epoch, seq rising from 1, current timestamps). An
HMI that takes it then refuses the frames of the vehicle session that ran before it.

Exit 0 when every script passed, 1 when a step failed (or no HMI answered), 2 for a script that
cannot run as written or a broker that cannot be reached.
"""

from __future__ import annotations

import argparse
import logging
import os
import sys
import uuid
import xml.etree.ElementTree as ET
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

from protocols.auth import CommandKey, add_auth_arguments, key_from_args
from protocols.bus.connection import ENV_VEHICLE, add_connection_arguments, settings_from_args
from protocols.bus.mqtt import MqttTransport
from protocols.topics import DEFAULT_VEHICLE_ID

from .inject import (
    FAIL,
    SKIP,
    InjectSession,
    Progress,
    Script,
    ScriptError,
    ScriptOutcome,
    ScriptRunner,
    load_script,
)

LOG = logging.getLogger(__name__)
EXIT_OK, EXIT_FAILED, EXIT_BAD_SCRIPT = 0, 1, 2


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="ema-inject", description="Drive the HMI from a script and check what it shows.")
    parser.add_argument("scripts", nargs="+", type=Path, metavar="SCRIPT",
                        help="TOML script(s), run in order")
    add_connection_arguments(parser)
    add_auth_arguments(parser)
    parser.set_defaults(vehicle=None)  # None: the script's `vehicle`, then $EMA_VEHICLE
    parser.add_argument("--junit", type=Path, metavar="PATH", help="write JUnit XML here")
    parser.add_argument("--keep-going", action="store_true",
                        help="run the remaining steps after a failure")
    parser.add_argument("--progress", choices=("auto", "always", "never"), default="auto",
                        help="progress lines on stderr (auto: on scripts that run over 2 s)")
    parser.add_argument("--hmi-timeout", type=float, default=10.0, metavar="S",
                        help="seconds to wait for the HMI's first display report")
    parser.add_argument("--check", action="store_true",
                        help="only validate the scripts, send nothing")
    parser.add_argument("--log-level", default="WARNING",
                        choices=("DEBUG", "INFO", "WARNING", "ERROR"))
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None, out: TextIO | None = None) -> int:
    args = parse_args(argv)
    out = out or sys.stdout
    logging.basicConfig(level=args.log_level, format="%(levelname)s %(name)s: %(message)s")
    try:
        scripts = [load_script(path) for path in args.scripts]
    except ScriptError as error:
        print(f"ema-inject: bad script: {error}", file=sys.stderr)
        return EXIT_BAD_SCRIPT
    if args.check:
        for script in scripts:
            print(f"ok  {script.source}: {script.name} ({len(script.steps)} steps)", file=out)
        return EXIT_OK
    try:
        key = key_from_args(args, LOG)
    except (OSError, ValueError) as error:
        print(f"ema-inject: command key: {error}", file=sys.stderr)
        return EXIT_BAD_SCRIPT
    outcomes: list[ScriptOutcome] = []
    for script in scripts:
        vehicle = args.vehicle or script.vehicle or os.environ.get(ENV_VEHICLE) or \
            DEFAULT_VEHICLE_ID
        try:
            outcome = run_script(script, args, vehicle, out, key)
        except (ConnectionError, ValueError, OSError) as error:
            print(f"ema-inject: {error}", file=sys.stderr)
            return EXIT_BAD_SCRIPT
        outcomes.append(outcome)
    if args.junit:
        write_junit(outcomes, args.junit)
    return EXIT_OK if all(o.passed for o in outcomes) else EXIT_FAILED


def run_script(script: Script, args: argparse.Namespace, vehicle: str,
               out: TextIO, key: CommandKey | None = None) -> ScriptOutcome:
    args.vehicle = vehicle
    settings = settings_from_args(args)
    args.vehicle = None
    transport = MqttTransport(settings, client_id=f"ema-inject-{uuid.uuid4().hex[:8]}")
    session = InjectSession(transport, vehicle, key=key)
    stream = None if args.progress == "never" else sys.stderr
    progress = Progress(stream, always=args.progress == "always")
    try:
        session.start()
    except ConnectionError:
        transport.close()
        raise ConnectionError(f"cannot reach the broker at {settings.url}") from None
    try:
        runner = ScriptRunner(session, out, progress, args.keep_going, args.hmi_timeout,
                              Path.cwd())
        return runner.run(script)
    finally:
        session.close()


def write_junit(outcomes: Sequence[ScriptOutcome], path: Path) -> None:
    """One <testsuite> per script, one <testcase> per step (failure / skipped as JUnit has them)."""
    suites = ET.Element("testsuites", name="ema-inject")
    for outcome in outcomes:
        failures = len(outcome.failures) + (1 if outcome.setup_error else 0)
        suite = ET.SubElement(
            suites, "testsuite", name=outcome.script.name,
            tests=str(len(outcome.results) + (1 if outcome.setup_error else 0)),
            failures=str(failures), errors="0",
            skipped=str(sum(r.status == SKIP for r in outcome.results)),
            time=f"{outcome.duration_s:.3f}", file=outcome.script.source)
        if outcome.setup_error:
            case = ET.SubElement(suite, "testcase", classname=outcome.script.name,
                                 name="00 setup: HMI answers", time="0")
            ET.SubElement(case, "failure", message=outcome.setup_error).text = \
                outcome.setup_error
        for result in outcome.results:
            case = ET.SubElement(suite, "testcase", classname=outcome.script.name,
                                 name=f"{result.index:02d} {result.label}",
                                 time=f"{result.elapsed_s:.3f}")
            if result.status == FAIL:
                ET.SubElement(case, "failure", message=result.message).text = (
                    f"{result.where}: {result.label}\n{result.message}")
            elif result.status == SKIP:
                ET.SubElement(case, "skipped", message="after an earlier failure")
    path.parent.mkdir(parents=True, exist_ok=True)
    ET.ElementTree(suites).write(path, encoding="utf-8", xml_declaration=True)


if __name__ == "__main__":
    sys.exit(main())
