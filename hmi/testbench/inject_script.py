"""The `ema-inject` script format: TOML steps, validated in full before anything is sent.

A bad script raises ScriptError naming the step and the key (the CLI exits 2). The format is
described in README.md, section "ema-inject: scripted tests".
"""

from __future__ import annotations

import math
import re
import tomllib
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from protocols.codec import Codec
from protocols.errors import EncodeError, ProtocolError
from protocols.messages import Command
from protocols.topics import check_vehicle_id

DEFAULT_WITHIN_S = 2.0
# `value = 15.0` passes on a reported value within this fraction of it (the catalogue's numbers
# travel as they are, so this only absorbs the float arithmetic of a ramp); `tolerance` widens it.
VALUE_RELATIVE_TOLERANCE = 1e-6
KEY_PATTERN = r"[A-Za-z][A-Za-z0-9_]{0,63}"
INVALID_KINDS = ("truncated", "not_msgpack", "out_of_range", "wrong_type", "unknown_signal",
                 "oversize")
ACTIONS = ("publish", "raw", "invalid", "vehicle", "sim", "wait", "ramp", "repeat", "flood",
           "silence", "tap", "show", "screenshot", "expect")
EXPECT_KINDS = ("display", "banner", "telltale", "tile", "ride_height", "screen", "command",
                "topic", "alive")
DISPLAY_CHECKS = ("text", "unit", "stale", "state", "value", "key", "contains")
EXPECT_OPTIONS = {
    "display": {*DISPLAY_CHECKS, "tolerance"},
    "banner": {"contains", "key"},
    "telltale": {"visible"},
    "tile": {"state", "detail", "key"},
    "ride_height": {"state", "detail", "key"},   # one level's control (LEVEL: its state)
    "screen": set(),
    "command": {"args", "reply"},
    "topic": {"count"},
    "alive": set(),
}


class ScriptError(ProtocolError):
    """The script cannot run as written; the message names the step and the key."""


# --- the script model ---------------------------------------------------------------------------
@dataclass(frozen=True)
class Step:
    action: str
    spec: Any
    where: str                  # "step 3" or "step 3.2" (inside a repeat)
    name: str = ""
    at_s: float | None = None

    @property
    def label(self) -> str:
        return self.name or describe(self.action, self.spec)


@dataclass(frozen=True)
class Script:
    name: str
    steps: tuple[Step, ...]
    vehicle: str | None = None
    require_hmi: bool = True
    cycle: bool = True
    source: str = ""


def describe(action: str, spec: Any) -> str:
    if action == "publish":
        signals = dict(spec.get("signals", {}))
        signals.update({s: None for s in spec.get("unavailable", [])})
        signals.update({s: "invalid" for s in spec.get("invalid", [])})
        return "publish " + ", ".join(f"{short(k)}={'n/a' if v is None else v}"
                                      for k, v in signals.items())
    if action == "expect":
        kind = next(k for k in EXPECT_KINDS if k in spec)
        extras = " ".join(f"{k}={v!r}" for k, v in spec.items() if k not in (kind, "within_s"))
        return f"expect {kind} {spec[kind]!r} {extras}".rstrip()
    if action == "ramp":
        return (f"ramp {short(spec['signal'])} {spec['from']} -> {spec['to']} "
                f"over {spec['over_s']} s")
    if action == "repeat":
        return f"repeat {spec['times']} x {len(spec['steps'])} steps"
    if action == "flood":
        return f"flood {spec['count']} x {spec.get('kind', 'mixed')} at {spec['rate_hz']} Hz"
    if action == "wait":
        return f"wait {spec} s"
    if action == "raw":
        return f"raw {spec['topic']} ({len(raw_payload(spec))} bytes)"
    if action == "sim":
        return f"sim {spec['command']} {spec.get('args', {})}"
    return f"{action} {spec}"


def short(path: str) -> str:
    return path.removeprefix("Vehicle.")


def load_script(path: str | Path, codec: Codec | None = None) -> Script:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise ScriptError(f"{path}: {error.strerror or error}") from None
    return parse_script(text, str(path), codec)


def parse_script(text: str, source: str = "<script>", codec: Codec | None = None) -> Script:
    try:
        data = tomllib.loads(text)
    except tomllib.TOMLDecodeError as error:
        raise ScriptError(f"{source}: not valid TOML: {error}") from None
    checker = _Checker(codec or Codec(), source)
    unknown = set(data) - {"name", "vehicle", "require_hmi", "cycle", "steps", "description"}
    if unknown:
        raise ScriptError(f"{source}: unknown top-level key(s) {sorted(unknown)}")
    steps = data.get("steps")
    if not isinstance(steps, list) or not steps:
        raise ScriptError(f"{source}: a script needs at least one [[steps]]")
    vehicle = data.get("vehicle")
    if vehicle is not None:
        try:
            check_vehicle_id(vehicle)
        except (ValueError, TypeError) as error:
            raise ScriptError(f"{source}: {error}") from None
    return Script(name=str(data.get("name") or Path(source).stem),
                  steps=tuple(checker.steps(steps, "step ")), vehicle=vehicle,
                  require_hmi=bool(data.get("require_hmi", True)),
                  cycle=bool(data.get("cycle", True)), source=source)


class _Checker:
    """Validates every step before anything is sent: a bad script never half-runs."""

    def __init__(self, codec: Codec, source: str) -> None:
        self.codec = codec
        self.catalogue = codec.catalogue
        self.source = source

    def fail(self, where: str, message: str) -> ScriptError:
        return ScriptError(f"{self.source}: {where}: {message}")

    def steps(self, raw: list[Any], prefix: str) -> list[Step]:
        return [self.step(item, f"{prefix}{index}") for index, item in enumerate(raw, 1)]

    def step(self, raw: Any, where: str) -> Step:
        if not isinstance(raw, dict):
            raise self.fail(where, "a step must be a table")
        actions = [key for key in raw if key in ACTIONS]
        unknown = set(raw) - set(ACTIONS) - {"name", "at"}
        if unknown:
            raise self.fail(where, f"unknown key(s) {sorted(unknown)}; "
                                   f"actions: {', '.join(ACTIONS)}")
        if len(actions) != 1:
            raise self.fail(where, f"exactly one action per step, found {actions or 'none'}")
        action = actions[0]
        at = raw.get("at")
        if at is not None and (not _number(at) or at < 0):
            raise self.fail(where, "'at' must be seconds from the start (>= 0)")
        spec = getattr(self, f"check_{action}")(raw[action], where)
        return Step(action, spec, where, str(raw.get("name", "")), at)

    # one check per action: returns the normalised spec
    def check_publish(self, spec: Any, where: str) -> dict[str, Any]:
        if not isinstance(spec, dict) or set(spec) - {"signals", "unavailable", "invalid",
                                                      "frame"}:
            raise self.fail(where, "publish = { signals = {PATH = value}, unavailable = [PATH], "
                                   "invalid = [PATH] }")
        signals = dict(spec.get("signals", {}))
        missing = list(spec.get("unavailable", []))
        invalid = list(spec.get("invalid", []))   # sent marked invalid (PROTOCOL.md §3)
        if not signals and not missing and not invalid:
            raise self.fail(where, "publish needs signals, unavailable or invalid")
        for path, value in list(signals.items()) + [(p, None) for p in missing + invalid]:
            signal = self.catalogue.signals.get(path)
            if signal is None:
                raise self.fail(where, f"unknown signal {path!r}")
            if "frame" in spec and signal.frame != spec["frame"]:
                raise self.fail(where, f"{path} is in frame {signal.frame!r}, "
                                       f"not {spec['frame']!r}")
            if value is not None:
                try:
                    signal.value.to_wire(value)
                except (ValueError, TypeError) as error:
                    raise self.fail(where, f"{path}: {error}") from None
        return {"signals": signals, "unavailable": missing, "invalid": invalid}

    def check_raw(self, spec: Any, where: str) -> dict[str, Any]:
        if not isinstance(spec, dict) or "topic" not in spec or \
                len({"hex", "text"} & set(spec)) != 1 or set(spec) - {"topic", "hex", "text",
                                                                      "retain"}:
            raise self.fail(where, 'raw = { topic = "state/drive", hex = "c1" } (or text = "...")')
        try:
            raw_payload(spec)
        except ValueError:
            raise self.fail(where, f"hex {spec['hex']!r} is not hexadecimal") from None
        return dict(spec)

    def check_invalid(self, spec: Any, where: str) -> dict[str, Any]:
        if isinstance(spec, str):
            spec = {"kind": spec}
        if not isinstance(spec, dict) or spec.get("kind") not in INVALID_KINDS:
            raise self.fail(where, f"invalid = one of {', '.join(INVALID_KINDS)}")
        frame = spec.get("frame", "drive")
        if frame not in self.catalogue.frames:
            raise self.fail(where, f"unknown frame {frame!r}")
        return {"kind": spec["kind"], "frame": frame}

    def check_vehicle(self, spec: Any, where: str) -> str:
        if spec not in ("online", "offline"):
            raise self.fail(where, 'vehicle = "online" or "offline"')
        return str(spec)

    def check_sim(self, spec: Any, where: str) -> dict[str, Any]:
        if not isinstance(spec, dict) or "command" not in spec:
            raise self.fail(where, 'sim = { command = "sim_fault", args = {...} }')
        command = self.catalogue.commands.get(spec["command"])
        if command is None or command.scope != "sim":
            raise self.fail(where, f"unknown simulator command {spec['command']!r}")
        try:
            self.codec.encode_command(Command(spec["command"], "check", spec.get("args", {}), 1))
        except EncodeError as error:
            raise self.fail(where, str(error)) from None
        return {"command": spec["command"], "args": dict(spec.get("args", {}))}

    def check_wait(self, spec: Any, where: str) -> float:
        if not _number(spec) or spec < 0:
            raise self.fail(where, "wait = seconds (>= 0)")
        return float(spec)

    def check_ramp(self, spec: Any, where: str) -> dict[str, Any]:
        keys = {"signal", "from", "to", "over_s"}
        if not isinstance(spec, dict) or keys - set(spec) or set(spec) - keys - {"rate_hz"}:
            raise self.fail(where, "ramp = { signal, from, to, over_s, rate_hz = 10 }")
        signal = self.catalogue.signals.get(spec["signal"])
        if signal is None or signal.value.type.value not in ("float", "int"):
            raise self.fail(where, f"ramp needs a numeric signal, not {spec['signal']!r}")
        rate = spec.get("rate_hz", signal.rate_hz)
        if not all(_number(spec[k]) for k in ("from", "to", "over_s")) or spec["over_s"] <= 0 \
                or not _number(rate) or not 0 < rate <= 1000:
            raise self.fail(where, "ramp: from, to numbers; over_s > 0; 0 < rate_hz <= 1000")
        for end in ("from", "to"):
            try:
                signal.value.to_wire(float(spec[end]) if signal.value.type.value == "float"
                                     else int(spec[end]))
            except (ValueError, TypeError) as error:
                raise self.fail(where, f"ramp {end}: {error}") from None
        return {**spec, "rate_hz": float(rate)}

    def check_repeat(self, spec: Any, where: str) -> dict[str, Any]:
        if not isinstance(spec, dict) or not isinstance(spec.get("times"), int) or \
                spec["times"] < 1 or not isinstance(spec.get("steps"), list) or not spec["steps"]:
            raise self.fail(where, "repeat = { times = N, every_s = 0.5, steps = [ {...}, ... ] }")
        every = spec.get("every_s", 0.0)
        if not _number(every) or every < 0:
            raise self.fail(where, "repeat.every_s must be seconds >= 0")
        return {"times": spec["times"], "every_s": float(every),
                "steps": self.steps(spec["steps"], f"{where}.")}

    def check_flood(self, spec: Any, where: str) -> dict[str, Any]:
        if not isinstance(spec, dict) or not isinstance(spec.get("count"), int) or \
                not 0 < spec["count"] <= 100_000 or not _number(spec.get("rate_hz")) or \
                not 0 < spec["rate_hz"] <= 10_000:
            raise self.fail(where, "flood = { count = 1..100000, rate_hz = 1..10000, kind = ... }")
        kind = spec.get("kind", "mixed")
        if kind not in INVALID_KINDS + ("mixed",):
            raise self.fail(where, f"flood kind: mixed or one of {', '.join(INVALID_KINDS)}")
        frame = spec.get("frame", "drive")
        if frame not in self.catalogue.frames:
            raise self.fail(where, f"unknown frame {frame!r}")
        return {"count": spec["count"], "rate_hz": float(spec["rate_hz"]), "kind": kind,
                "frame": frame}

    def check_silence(self, spec: Any, where: str) -> str:
        if spec not in self.catalogue.frames:
            raise self.fail(where, f"silence = a frame name ({', '.join(self.catalogue.frames)})")
        return str(spec)

    def check_tap(self, spec: Any, where: str) -> str:
        if not isinstance(spec, str) or not re.fullmatch(r"(terrain|locker|ride)\.[A-Z_]+", spec):
            raise self.fail(where, 'tap = "terrain.PROGRAM", "locker.FRONT|REAR" or '
                                   '"ride.LEVEL"')
        return spec

    def check_show(self, spec: Any, where: str) -> str:
        if not isinstance(spec, str) or not re.fullmatch(r"[a-z]{1,32}", spec):
            raise self.fail(where, 'show = "drive|terrain|energy|charging|vehicle|settings"')
        return spec

    def check_screenshot(self, spec: Any, where: str) -> str:
        if not isinstance(spec, str) or not spec.endswith(".png"):
            raise self.fail(where, 'screenshot = "path/to/file.png"')
        return spec

    def check_expect(self, spec: Any, where: str) -> dict[str, Any]:
        if not isinstance(spec, dict):
            raise self.fail(where, "expect = { display = ..., text = ..., within_s = 2 }")
        kinds = [k for k in EXPECT_KINDS if k in spec]
        if len(kinds) != 1:
            raise self.fail(where, f"expect exactly one of {', '.join(EXPECT_KINDS)}")
        kind = kinds[0]
        unknown = set(spec) - {kind, "within_s"} - EXPECT_OPTIONS[kind]
        if unknown:
            raise self.fail(where, f"expect {kind}: unknown option(s) {sorted(unknown)}; "
                                   f"allowed {sorted(EXPECT_OPTIONS[kind] | {'within_s'})}")
        within = spec.get("within_s", DEFAULT_WITHIN_S)
        if not _number(within) or within < 0:
            raise self.fail(where, "within_s must be seconds >= 0")
        if "value" in spec:
            self.check_value(spec, where)
        elif "tolerance" in spec:
            raise self.fail(where, "tolerance goes with a numeric value (value = 15.0, "
                                   "tolerance = 0.1)")
        if kind == "display" and not set(DISPLAY_CHECKS) & set(spec):
            raise self.fail(where, f"expect display needs {', '.join(DISPLAY_CHECKS[:-1])} or "
                                   f"{DISPLAY_CHECKS[-1]}")
        if "key" in spec and (not isinstance(spec["key"], str)
                              or not re.fullmatch(KEY_PATTERN, spec["key"])):
            raise self.fail(where, f"key = a language-independent name such as \"ROCK_CRAWL\" "
                                   f"or \"speed_too_high\", not {spec['key']!r}")
        for text in ("text", "unit", "state", "detail", "contains"):
            if text in spec and not isinstance(spec[text], str):
                raise self.fail(where, f"{text} = a string, not {spec[text]!r}")
        if kind == "command":
            if spec["command"] not in self.catalogue.commands:
                raise self.fail(where, f"unknown command {spec['command']!r}")
            reply = spec.get("reply")
            if reply is not None and (not isinstance(reply, dict) or reply.get("status") not in
                                      self.catalogue.result_statuses):
                raise self.fail(where, "reply = { status = accepted|rejected|completed, "
                                       "reason = ..., text = ... }")
        if kind in ("banner", "alive") and not isinstance(spec[kind], bool):
            raise self.fail(where, f"{kind} = true or false")
        for flag in ("stale", "visible"):
            if flag in spec and not isinstance(spec[flag], bool):
                raise self.fail(where, f"{flag} = true or false")
        return {**spec, "within_s": float(within)}


    def check_value(self, spec: Mapping[str, Any], where: str) -> None:
        value = spec["value"]
        if not (isinstance(value, (bool, str)) or _number(value)) or value == "":
            raise self.fail(where, "value = the value as the catalogue has it: an SI number "
                                   "(15.0 for Vehicle.Speed in m/s), true/false or an enum value "
                                   f"(\"ROCK_CRAWL\"), not {value!r}")
        if "tolerance" in spec:
            tolerance = spec["tolerance"]
            if isinstance(value, (bool, str)):
                raise self.fail(where, f"tolerance goes with a numeric value, not {value!r}")
            if not _number(tolerance) or tolerance < 0:
                raise self.fail(where, f"tolerance = a number >= 0 in the value's SI unit, "
                                       f"not {tolerance!r}")


def value_matches(seen: Any, expected: Any, tolerance: float | None = None) -> bool:
    """A reported `value` against an expected one: numbers within `tolerance` (absolute, SI)
    or VALUE_RELATIVE_TOLERANCE of it, whichever is wider; a bool or an enum value exactly."""
    if isinstance(expected, bool) or isinstance(seen, bool):
        return seen is expected
    if isinstance(expected, str) or isinstance(seen, str):
        return seen == expected
    if not _number(seen) or not _number(expected):
        return False
    allowed = max(tolerance or 0.0, VALUE_RELATIVE_TOLERANCE * abs(expected))
    return bool(abs(seen - expected) <= allowed)


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool) and math.isfinite(value)


def raw_payload(spec: Mapping[str, Any]) -> bytes:
    if "hex" in spec:
        return bytes.fromhex(str(spec["hex"]).replace(" ", ""))
    return str(spec["text"]).encode("utf-8")


