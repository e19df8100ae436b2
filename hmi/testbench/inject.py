"""`ema-inject`: scripted tests against a running HMI, over any broker.

A script (TOML, see scripts/inject/ and README "ema-inject") plays the vehicle and checks what
the HMI shows through its display report (PROTOCOL.md §10, `hmi/display`). Like cantools'
`tester.py` (send / expect over a bus), with timing, faults and a report:

    name = "Low battery warning"
    [[steps]]
    publish = { signals = { "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed" = 9.0 } }
    [[steps]]
    expect = { telltale = "low_battery", within_s = 2 }

`load_script` (inject_script.py) validates a script (ScriptError, exit 2); `ScriptRunner` runs it
on an `InjectSession` (inject_session.py: one MQTT client on the vehicle's topics) and returns a
`ScriptOutcome` of `StepResult`s.
"""

from __future__ import annotations

import itertools
import logging
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

from protocols import INVALID
from protocols.errors import EncodeError
from protocols.topics import topic_matches

from .inject_script import (
    DEFAULT_WITHIN_S,
    EXPECT_KINDS,
    INVALID_KINDS,
    Script,
    ScriptError,
    Step,
    load_script,
    parse_script,
    raw_payload,
    short,
    value_matches,
)
from .inject_session import InjectSession, invalid_payload

LOG = logging.getLogger(__name__)

POLL_S = 0.02

__all__ = ["DEFAULT_WITHIN_S", "INVALID_KINDS", "InjectSession", "Progress", "Script",
           "ScriptError", "ScriptOutcome", "ScriptRunner", "Step", "StepResult",
           "check_display_expectation", "invalid_payload", "load_script", "parse_script"]


# --- results and reporting ----------------------------------------------------------------------
PASS, FAIL, SKIP = "PASS", "FAIL", "SKIP"


@dataclass
class StepResult:
    index: int
    where: str
    label: str
    status: str
    elapsed_s: float
    started_s: float = 0.0
    message: str = ""


@dataclass
class ScriptOutcome:
    script: Script
    results: list[StepResult] = field(default_factory=list)
    duration_s: float = 0.0
    setup_error: str = ""

    @property
    def passed(self) -> bool:
        return not self.setup_error and all(r.status != FAIL for r in self.results)

    @property
    def failures(self) -> list[StepResult]:
        return [r for r in self.results if r.status == FAIL]


class StepFailed(Exception):
    pass


class Progress:
    """A progress line on long scripts: at most once a second, once the script ran 2 s."""

    def __init__(self, stream: TextIO | None, always: bool = False) -> None:
        self.stream = stream
        self.always = always
        self.started = time.monotonic()
        self._last = 0.0

    def update(self, done: int, total: int, detail: str, force: bool = False) -> None:
        if self.stream is None:
            return
        now = time.monotonic()
        elapsed = now - self.started
        if not force and (now - self._last < 1.0 or (elapsed < 2.0 and not self.always)):
            return
        self._last = now
        self.stream.write(f"  ... {elapsed:6.1f} s  step {min(done + 1, total)}/{total} "
                          f"({100 * done // max(total, 1)} %)  {detail}\n")
        self.stream.flush()


class ScriptRunner:
    """Runs one script's steps in order on a session; stops at the first failure by default."""

    def __init__(self, session: InjectSession, out: TextIO | None = None,
                 progress: Progress | None = None, keep_going: bool = False,
                 hmi_timeout_s: float = 10.0, base_dir: Path | None = None) -> None:
        self.session = session
        self.out = out
        self.progress = progress or Progress(None)
        self.keep_going = keep_going
        self.hmi_timeout_s = hmi_timeout_s
        self.base_dir = base_dir or Path.cwd()
        self._start = 0.0
        self._previous_step_start = 0.0
        self._done = 0
        self._total = 0

    def say(self, line: str) -> None:
        if self.out is not None:
            self.out.write(line + "\n")
            self.out.flush()

    def run(self, script: Script) -> ScriptOutcome:
        outcome = ScriptOutcome(script)
        self._start = self._previous_step_start = time.monotonic()
        self._total = len(script.steps)
        self.say(f"== {script.name}  ({script.source}, vehicle {self.session.topics.vehicle}, "
                 f"{len(script.steps)} steps)")
        if script.require_hmi:
            rid = self.session.request("display")
            if not self.session.wait_reply(rid, self.hmi_timeout_s):
                outcome.setup_error = (f"no HMI answered on {self.session.topics.hmi('display')}"
                                       f" within {self.hmi_timeout_s:g} s")
                self.say(f"[FAIL] setup: {outcome.setup_error}")
                outcome.duration_s = time.monotonic() - self._start
                return outcome
        if script.cycle:
            self.session.start_cycle()
        failed = False
        try:
            for index, step in enumerate(script.steps, 1):
                self._done = index - 1
                if failed and not self.keep_going:
                    result = StepResult(index, step.where, step.label, SKIP, 0.0)
                else:
                    result = self._run_step(index, step)
                    failed = failed or result.status == FAIL
                outcome.results.append(result)
                self._print(result)
        finally:
            self.session.stop_cycle()
        outcome.duration_s = time.monotonic() - self._start
        failures = len(outcome.failures)
        skipped = sum(r.status == SKIP for r in outcome.results)
        self.say(f"== {script.name}: {'PASSED' if outcome.passed else 'FAILED'}  "
                 f"{len(outcome.results) - failures - skipped} passed, {failures} failed, "
                 f"{skipped} skipped in {outcome.duration_s:.2f} s")
        return outcome

    def _print(self, result: StepResult) -> None:
        self.say(f"[{result.status}] {result.index:3d}  {result.elapsed_s * 1000:8.0f} ms  "
                 f"{result.label}")
        if result.message:
            self.say(f"             {result.message}")

    def _run_step(self, index: int, step: Step) -> StepResult:
        if step.at_s is not None:
            self._sleep_until(self._start + step.at_s)
        started = time.monotonic()
        self.progress.update(self._done, self._total, step.label)
        try:
            self._execute(step)
            status, message = PASS, ""
        except StepFailed as failure:
            status, message = FAIL, str(failure)
        except (EncodeError, ValueError, KeyError) as error:
            status, message = FAIL, f"could not run: {error}"
        finally:
            self._previous_step_start = started
        return StepResult(index, step.where, step.label, status, time.monotonic() - started,
                          started - self._start, message)

    def _sleep_until(self, due: float, detail: str = "") -> None:
        while True:
            remaining = due - time.monotonic()
            if remaining <= 0:
                return
            self.progress.update(self._done, self._total, detail or "waiting")
            time.sleep(min(remaining, 0.1))

    def _execute(self, step: Step) -> None:
        session, spec = self.session, step.spec
        action = step.action
        if action == "publish":
            values = dict(spec["signals"])
            values.update({path: None for path in spec["unavailable"]})
            values.update({path: INVALID for path in spec.get("invalid", [])})
            session.publish_signals(values)
        elif action == "raw":
            session.raw(spec["topic"], raw_payload(spec), bool(spec.get("retain", False)))
        elif action == "invalid":
            session.invalid(spec["kind"], spec["frame"])
        elif action == "vehicle":
            session.status(spec == "online")
        elif action == "sim":
            session.sim(spec["command"], spec["args"])
        elif action == "wait":
            self._sleep_until(time.monotonic() + spec, f"wait {spec} s")
        elif action == "silence":
            with session._lock:
                session.silenced.add(spec)
        elif action == "ramp":
            self._ramp(spec)
        elif action == "flood":
            self._flood(spec)
        elif action == "repeat":
            self._repeat(spec)
        elif action in ("tap", "show"):
            session.request(action, spec)
        elif action == "screenshot":
            shot = session.screenshot()
            if shot is None or not shot.png:
                raise StepFailed("no screenshot: " + (shot.error if shot else "no reply in 5 s"))
            target = Path(spec) if Path(spec).is_absolute() else self.base_dir / spec
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(shot.png)
        elif action == "expect":
            self._expect(spec)

    def _ramp(self, spec: Mapping[str, Any]) -> None:
        signal = self.session.codec.catalogue.signals[spec["signal"]]
        start = time.monotonic()
        count = max(1, int(round(spec["over_s"] * spec["rate_hz"])))
        for i in range(count + 1):
            self._sleep_until(start + i / spec["rate_hz"],
                              f"ramp {short(signal.path)} {100 * i // count} %")
            value = spec["from"] + (spec["to"] - spec["from"]) * i / count
            self.session.publish_signals({signal.path: value if signal.value.type.value == "float"
                                          else int(round(value))})

    def _flood(self, spec: Mapping[str, Any]) -> None:
        kinds = INVALID_KINDS if spec["kind"] == "mixed" else (spec["kind"],)
        cycle = itertools.cycle(kinds)
        start = time.monotonic()
        for i in range(spec["count"]):
            self._sleep_until(start + i / spec["rate_hz"],
                              f"flood {i}/{spec['count']}")
            self.session.invalid(next(cycle), spec["frame"])

    def _repeat(self, spec: Mapping[str, Any]) -> None:
        start = time.monotonic()
        for iteration in range(spec["times"]):
            self._sleep_until(start + iteration * spec["every_s"],
                              f"repeat {iteration + 1}/{spec['times']}")
            for inner in spec["steps"]:
                try:
                    self._execute(inner)
                except StepFailed as failure:
                    raise StepFailed(f"iteration {iteration + 1}, {inner.where} "
                                     f"({inner.label}): {failure}") from None

    # --- expectations ---------------------------------------------------------------------------
    def _expect(self, spec: Mapping[str, Any]) -> None:
        kind = next(k for k in EXPECT_KINDS if k in spec)
        deadline = time.monotonic() + spec["within_s"]
        if kind in ("command", "topic"):
            check: Callable[[], tuple[bool, str]] = (
                (lambda: self._check_command(spec)) if kind == "command"
                else (lambda: self._check_topic(spec)))
            self._poll(check, deadline, spec["within_s"])
            return
        # a display expectation looks only at reports sent after this step asked for one, so
        # the HMI has seen everything the script published before
        rid = self.session.request("display")

        def check_display() -> tuple[bool, str]:
            if rid not in self.session.replies:
                return False, "no display report since the step began (is the HMI running?)"
            report = self.session.display
            assert report is not None
            return check_display_expectation(kind, spec, report.display)

        self._poll(check_display, deadline, spec["within_s"])

    def _poll(self, check: Callable[[], tuple[bool, str]], deadline: float,
              within_s: float) -> None:
        while True:
            ok, seen = check()
            if ok:
                return
            if time.monotonic() >= deadline:
                raise StepFailed(f"not within {within_s:g} s: {seen}")
            with self.session._lock:
                self.session._lock.wait(POLL_S)

    def _check_command(self, spec: Mapping[str, Any]) -> tuple[bool, str]:
        wanted_args = spec.get("args", {})
        seen: list[str] = []
        with self.session._lock:
            commands = list(enumerate(self.session.commands))
        for index, (_at, command) in commands:
            if index in self.session.consumed:
                continue
            seen.append(f"{command.name} {command.args}")
            if command.name == spec["command"] and all(command.args.get(k) == v
                                                       for k, v in wanted_args.items()):
                self.session.consumed.add(index)
                reply = spec.get("reply")
                if reply:
                    self.session.reply(command, reply["status"], reply.get("reason"),
                                       str(reply.get("text", "")))
                return True, ""
        expected = f"expected command {spec['command']} {dict(wanted_args)}"
        with self.session._lock:
            refused = [why for _at, why in self.session.unauthentic]
        note = (f"; {len(refused)} command(s) refused as not authentic with this key, last: "
                f"{refused[-1]}" if refused else "")
        return False, f"{expected}; seen: {', '.join(seen[-5:]) or 'no command'}{note}"

    def _check_topic(self, spec: Mapping[str, Any]) -> tuple[bool, str]:
        topic_filter = self.session.full_topic(spec["topic"])
        count = int(spec.get("count", 1))
        with self.session._lock:
            matching = [s for s in self.session.log if s.at_s >= self._previous_step_start
                        and topic_matches(topic_filter, s.message.topic)]
        if len(matching) >= count:
            return True, ""
        return False, (f"expected {count} message(s) on {topic_filter}, "
                       f"seen {len(matching)} since the step before")


def check_display_expectation(kind: str, spec: Mapping[str, Any],
                              display: Mapping[str, Any]) -> tuple[bool, str]:
    """(satisfied, what the screen showed) for one display-side expectation."""
    if kind == "alive":
        return True, ""
    if kind == "display":
        readout = display.get("readouts", {}).get(spec["display"])
        if readout is None:
            known = ", ".join(sorted(display.get("readouts", {}))[:8])
            return False, f"the HMI has no readout {spec['display']!r} (e.g. {known}, ...)"
        problems = []
        for key in ("text", "unit", "stale", "state", "key"):
            if key in spec and readout.get(key) != spec[key]:
                problems.append(f"{key} {spec[key]!r}")
        if "value" in spec and not value_matches(readout.get("value"), spec["value"],
                                                 spec.get("tolerance")):
            within = f" ± {spec['tolerance']:g}" if "tolerance" in spec else ""
            problems.append(f"value {spec['value']!r}{within}")
        if "contains" in spec and str(spec["contains"]) not in readout.get("text", ""):
            problems.append(f"text containing {spec['contains']!r}")
        seen = (f"text {readout.get('text')!r} unit {readout.get('unit')!r} "
                f"value {readout.get('value')!r}"
                f"{' key ' + repr(readout['key']) if readout.get('key') is not None else ''} "
                f"stale {readout.get('stale')} state {readout.get('state')!r}")
        return not problems, f"expected {spec['display']} {', '.join(problems)}; last seen {seen}"
    if kind == "banner":
        banner = display.get("banner", {})
        ok = banner.get("visible") is spec["banner"] and \
            str(spec.get("contains", "")) in banner.get("text", "") and \
            ("key" not in spec or banner.get("key") == spec["key"])
        return ok, (f"expected banner {'shown' if spec['banner'] else 'hidden'}"
                    f"{' containing ' + repr(spec['contains']) if 'contains' in spec else ''}"
                    f"{' key ' + repr(spec['key']) if 'key' in spec else ''}; "
                    f"last seen visible={banner.get('visible')} text={banner.get('text')!r} "
                    f"key={banner.get('key')!r}")
    if kind == "telltale":
        names = [t.get("name") for t in display.get("telltales", [])]
        visible = spec.get("visible", True)
        ok = (spec["telltale"] in names) == visible
        return ok, (f"expected telltale {spec['telltale']!r} {'shown' if visible else 'hidden'}"
                    f"; last seen telltales {names}")
    if kind == "tile":
        tile = display.get("terrain_tiles", {}).get(spec["tile"])
        if tile is None:
            return False, f"the HMI has no terrain tile {spec['tile']!r}"
        checked = ("state", "detail", "key")
        ok = all(tile.get(k) == spec[k] for k in checked if k in spec)
        return ok, (f"expected tile {spec['tile']} "
                    f"{ {k: spec[k] for k in checked if k in spec} }; "
                    f"last seen state={tile.get('state')!r} detail={tile.get('detail')!r} "
                    f"key={tile.get('key')!r}")
    if kind == "ride_height":
        level = display.get("ride_height", {}).get("levels", {}).get(spec["ride_height"])
        if level is None:
            return False, f"the HMI has no ride-height control {spec['ride_height']!r}"
        checked = ("state", "detail", "key")
        ok = all(level.get(k) == spec[k] for k in checked if k in spec)
        return ok, (f"expected ride height {spec['ride_height']} "
                    f"{ {k: spec[k] for k in checked if k in spec} }; "
                    f"last seen state={level.get('state')!r} detail={level.get('detail')!r} "
                    f"key={level.get('key')!r}")
    if kind == "screen":
        return display.get("screen") == spec["screen"], \
            f"expected screen {spec['screen']!r}; last seen {display.get('screen')!r}"
    raise ValueError(kind)
