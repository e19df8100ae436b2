"""Strict msgpack encoding and decoding of every message of the protocol.

Encoding checks types and ranges (EncodeError). Decoding puts a hard limit on every size
msgpack can declare, checks every field, and raises only DecodeError: a payload is either
a whole valid message or refused.
"""

from __future__ import annotations

import time
from typing import Any, Mapping

import msgpack

from .catalogue import Catalogue, CommandSpec, SignalSpec, Value, load_catalogue
from .errors import DecodeError, EncodeError
from .messages import Command, CommandResult, ResultStatus, StateFrame, VehicleStatus

MAX_PAYLOAD_BYTES = 4096
MAX_RID_LEN = 64
MAX_TEXT_LEN = 200
MAX_STR_LEN = 4 * MAX_TEXT_LEN  # a result text of MAX_TEXT_LEN characters in UTF-8
MAX_MAP_LEN = 128
MAX_ARRAY_LEN = 0
MAX_SEQ = 2**63 - 1
MAC_LEN = 16  # bytes of the command MAC (HMAC-SHA256, truncated); the only bin allowed

STATE_KEYS = frozenset({"v", "seq", "ts", "sig"})
STATUS_KEYS = frozenset({"v", "seq", "ts", "online"})
COMMAND_KEYS = frozenset({"v", "seq", "ts", "rid", "args"})
SIGNED_COMMAND_KEYS = COMMAND_KEYS | {"ctr", "mac"}
RESULT_KEYS = frozenset({"v", "seq", "ts", "rid", "cmd", "status", "reason", "text"})


def now_us() -> int:
    return time.time_ns() // 1000


def _refuse_ext(code: int, data: bytes) -> None:
    raise DecodeError(f"msgpack extension type {code} is not allowed")


def unpack(payload: bytes, max_bin_len: int = 0) -> dict[Any, Any]:
    """Unpack one msgpack map with every declared size bounded; DecodeError on anything else.

    Bin is refused unless `max_bin_len` allows it (commands: the MAC, checked by the caller).
    """
    if not isinstance(payload, (bytes, bytearray, memoryview)):
        raise DecodeError(f"payload must be bytes, got {type(payload).__name__}")
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise DecodeError(f"payload of {len(payload)} bytes exceeds {MAX_PAYLOAD_BYTES}")
    try:
        data = msgpack.unpackb(
            payload, raw=False, strict_map_key=False, use_list=False, ext_hook=_refuse_ext,
            max_str_len=MAX_STR_LEN, max_bin_len=max_bin_len,
            max_array_len=MAX_ARRAY_LEN, max_map_len=MAX_MAP_LEN, max_ext_len=0,
        )
    except DecodeError:
        raise
    except Exception as error:  # msgpack raises many types; all mean "not a valid payload"
        raise DecodeError(f"not valid msgpack: {type(error).__name__}: {error}") from None
    if not isinstance(data, dict):
        raise DecodeError(f"payload must be a msgpack map, got {type(data).__name__}")
    return data


class Codec:
    """Encodes and decodes the protocol's messages against one catalogue."""

    def __init__(self, catalogue: Catalogue | None = None) -> None:
        self.catalogue = catalogue or load_catalogue()
        self.schema_version = self.catalogue.schema_version
        self._frame_ids: dict[str, dict[int, SignalSpec]] = {
            name: {s.id: s for s in frame.signals} for name, frame in self.catalogue.frames.items()
        }

    # --- state frames -------------------------------------------------------------------------
    def encode_state(self, frame: str, values: Mapping[str, Any], seq: int,
                     ts_us: int | None = None) -> bytes:
        """Encode some signals of `frame`; None marks a signal the source cannot provide now."""
        if frame not in self._frame_ids:
            raise EncodeError(f"unknown frame {frame!r}")
        sig: dict[int, Any] = {}
        for path, value in values.items():
            spec = self.catalogue.signals.get(path)
            if spec is None:
                raise EncodeError(f"unknown signal {path!r}")
            if spec.frame != frame:
                raise EncodeError(f"signal {path} belongs to frame {spec.frame!r}, not {frame!r}")
            try:
                sig[spec.id] = None if value is None else spec.value.to_wire(value)
            except ValueError as error:
                raise EncodeError(f"{path}: {error}") from None
        return self._pack({"v": self.schema_version, "seq": _checked_seq(seq),
                           "ts": now_us() if ts_us is None else ts_us, "sig": sig})

    def decode_state(self, frame: str, payload: bytes) -> StateFrame:
        specs = self._frame_ids.get(frame)
        if specs is None:
            raise DecodeError(f"unknown frame {frame!r}")
        data = self._envelope(payload, STATE_KEYS)
        sig = data["sig"]
        if not isinstance(sig, dict):
            raise DecodeError("'sig' must be a map of signal id to value")
        values: dict[str, Value | None] = {}
        for sid, wire in sig.items():
            spec = specs.get(sid) if isinstance(sid, int) and not isinstance(sid, bool) else None
            if spec is None:
                raise DecodeError(f"signal id {sid!r} is not in frame {frame!r}")
            if wire is None:
                values[spec.path] = None
                continue
            try:
                values[spec.path] = spec.value.from_wire(wire)
            except ValueError as error:
                raise DecodeError(f"{spec.path}: {error}") from None
        return StateFrame(frame, data["seq"], data["ts"], values)

    # --- vehicle status -----------------------------------------------------------------------
    def encode_status(self, online: bool, seq: int, ts_us: int | None = None) -> bytes:
        if not isinstance(online, bool):
            raise EncodeError("online must be a bool")
        return self._pack({"v": self.schema_version, "seq": _checked_seq(seq),
                           "ts": now_us() if ts_us is None else ts_us, "online": online})

    def decode_status(self, payload: bytes) -> VehicleStatus:
        data = self._envelope(payload, STATUS_KEYS)
        if not isinstance(data["online"], bool):
            raise DecodeError("'online' must be a bool")
        return VehicleStatus(data["online"], data["seq"], data["ts"])

    # --- commands -----------------------------------------------------------------------------
    def encode_command(self, command: Command) -> bytes:
        spec = self._command_spec(command.name, EncodeError)
        if not isinstance(command.rid, str) or not 0 < len(command.rid) <= MAX_RID_LEN:
            raise EncodeError(f"rid must be a string of 1..{MAX_RID_LEN} characters")
        try:
            args = _checked_args(spec, command.args)
        except ValueError as error:
            raise EncodeError(f"{command.name}: {error}") from None
        message = {"v": self.schema_version, "seq": _checked_seq(command.seq),
                   "ts": command.ts_us or now_us(), "rid": command.rid, "args": args}
        if command.mac is not None:
            if not isinstance(command.mac, bytes) or len(command.mac) != MAC_LEN:
                raise EncodeError(f"mac must be {MAC_LEN} bytes")
            message["ctr"] = _checked_seq(command.ctr)
            message["mac"] = command.mac
        return self._pack(message)

    def decode_command(self, name: str, payload: bytes) -> Command:
        """A command, signed (with `ctr` and `mac`) or not; whether to trust it is the
        receiver's decision (protocols.auth.CommandVerifier)."""
        spec = self._command_spec(name, DecodeError)
        data = self._envelope(payload, COMMAND_KEYS, SIGNED_COMMAND_KEYS, max_bin_len=MAC_LEN)
        rid = _checked_rid(data["rid"])
        if not isinstance(data["args"], dict):
            raise DecodeError("'args' must be a map")
        ctr, mac = data.get("ctr", 0), data.get("mac")
        if "mac" in data:
            if isinstance(ctr, bool) or not isinstance(ctr, int) or not 0 <= ctr <= MAX_SEQ:
                raise DecodeError("'ctr' must be an int in 0..2**63-1")
            if not isinstance(mac, bytes) or len(mac) != MAC_LEN:
                raise DecodeError(f"'mac' must be bin of exactly {MAC_LEN} bytes")
        try:
            args = _checked_args(spec, data["args"])
        except ValueError as error:
            raise DecodeError(f"{name}: {error}") from None
        return Command(name, rid, args, data["seq"], data["ts"], ctr, mac)

    def command_rid(self, payload: bytes) -> str | None:
        """Best-effort request id of a refused command, so the refusal can still be answered."""
        try:
            data = unpack(payload, max_bin_len=MAC_LEN)
            return _checked_rid(data.get("rid"))
        except DecodeError:
            return None

    # --- results ------------------------------------------------------------------------------
    def encode_result(self, result: CommandResult) -> bytes:
        if result.command not in self.catalogue.commands and result.reason != "unknown_command":
            raise EncodeError(f"unknown command {result.command!r}")
        if result.reason is not None and result.reason not in self.catalogue.result_reasons:
            raise EncodeError(f"unknown reason {result.reason!r}")
        if (result.reason is None) == (result.status is ResultStatus.REJECTED):
            raise EncodeError("a rejected result needs a reason; other results carry none")
        if len(result.text) > MAX_TEXT_LEN or len(result.command) > MAX_STR_LEN:
            raise EncodeError(f"text longer than {MAX_TEXT_LEN} characters")
        return self._pack({"v": self.schema_version, "seq": _checked_seq(result.seq),
                           "ts": result.ts_us or now_us(), "rid": _checked_rid(result.rid, EncodeError),
                           "cmd": result.command, "status": ResultStatus(result.status).value,
                           "reason": result.reason, "text": result.text})

    def decode_result(self, payload: bytes) -> CommandResult:
        data = self._envelope(payload, RESULT_KEYS)
        rid = _checked_rid(data["rid"])
        command, status, reason, text = data["cmd"], data["status"], data["reason"], data["text"]
        if not isinstance(command, str):
            raise DecodeError("'cmd' must be a string")
        try:
            status = ResultStatus(status)
        except (ValueError, TypeError):
            raise DecodeError(f"unknown status {status!r}") from None
        if reason is not None and reason not in self.catalogue.result_reasons:
            raise DecodeError(f"unknown reason {reason!r}")
        if (reason is None) == (status is ResultStatus.REJECTED):
            raise DecodeError("a rejected result needs a reason; other results carry none")
        if not isinstance(text, str) or len(text) > MAX_TEXT_LEN:
            raise DecodeError(f"'text' must be a string of at most {MAX_TEXT_LEN} characters")
        return CommandResult(rid, command, status, reason, text, data["seq"], data["ts"])

    # --- shared -------------------------------------------------------------------------------
    def _envelope(self, payload: bytes, keys: frozenset[str],
                  alternative: frozenset[str] | None = None,
                  max_bin_len: int = 0) -> dict[str, Any]:
        data = unpack(payload, max_bin_len)
        if data.keys() != keys and (alternative is None or data.keys() != alternative):
            missing = sorted(k for k in keys if k not in data)
            extra = sorted(repr(k) for k in data if k not in keys)
            raise DecodeError(f"envelope keys wrong (missing {missing}, unexpected {extra})")
        if type(data["v"]) is not int or data["v"] != self.schema_version:
            raise DecodeError(f"schema version {data['v']!r} is not {self.schema_version}")
        seq, ts = data["seq"], data["ts"]
        if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq <= MAX_SEQ:
            raise DecodeError("'seq' must be an int in 0..2**63-1")
        if isinstance(ts, bool) or not isinstance(ts, int) or not 0 <= ts <= MAX_SEQ:
            raise DecodeError("'ts' must be microseconds since the Unix epoch as an int")
        return data

    def _command_spec(self, name: str, error: type[Exception]) -> CommandSpec:
        spec = self.catalogue.commands.get(name)
        if spec is None:
            raise error(f"unknown command {name!r}")
        return spec

    @staticmethod
    def _pack(data: dict[str, Any]) -> bytes:
        return msgpack.packb(data, use_bin_type=True)


def _checked_seq(seq: Any) -> int:
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq <= MAX_SEQ:
        raise EncodeError("seq must be an int in 0..2**63-1")
    return seq


def _checked_rid(rid: Any, error: type[Exception] = DecodeError) -> str:
    if not isinstance(rid, str) or not 0 < len(rid) <= MAX_RID_LEN:
        raise error(f"'rid' must be a string of 1..{MAX_RID_LEN} characters")
    return rid


def _checked_args(spec: CommandSpec, args: Mapping[Any, Any]) -> dict[str, Value]:
    if set(args) != set(spec.args):
        raise ValueError(f"arguments must be exactly {sorted(spec.args)}, got {sorted(map(str, args))}")
    return {name: spec.args[name].check(args[name]) for name in spec.args}
