"""Strict msgpack encoding and decoding of every message of the protocol.

Encoding checks types and ranges (EncodeError). Decoding puts a hard limit on every size
msgpack can declare, checks every field, and raises only DecodeError: a payload is either
a whole valid message or refused.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from dataclasses import replace
from typing import Any

import msgpack

from .catalogue import Catalogue, CommandSpec, SignalSpec, Value, load_catalogue
from .errors import AuthenticationError, DecodeError, EncodeError
from .messages import (
    INVALID,
    Command,
    CommandResult,
    FrameValue,
    ResultStatus,
    StateFrame,
    VehicleStatus,
)
from .seal import Sealer, frame_body, result_body

MAX_PAYLOAD_BYTES = 4096
MAX_RID_LEN = 64
MAX_TEXT_LEN = 200
MAX_STR_LEN = 4 * MAX_TEXT_LEN  # a result text of MAX_TEXT_LEN characters in UTF-8
MAX_MAP_LEN = 128
MAX_ARRAY_LEN = 0
MAX_SEQ = 2**63 - 1
MAC_LEN = 16  # bytes of a MAC (HMAC-SHA256, truncated); the only bin allowed
MIN_EPOCH = 1
# "Invalid" on the wire: the one msgpack extension the protocol knows, type 1 with no data
# (bytes c7 00 01), allowed only as a value in a state frame's `sig` (PROTOCOL.md §3).
INVALID_EXT_TYPE = 1
INVALID_WIRE = msgpack.ExtType(INVALID_EXT_TYPE, b"")

STATE_KEYS = frozenset({"v", "ep", "seq", "ts", "sig", "mac"})
STATUS_KEYS = frozenset({"v", "ep", "seq", "ts", "online", "will", "mac"})
COMMAND_KEYS = frozenset({"v", "seq", "ts", "rid", "args"})
SIGNED_COMMAND_KEYS = COMMAND_KEYS | {"ctr", "mac"}
RESULT_KEYS = frozenset({"v", "ep", "seq", "ts", "rid", "cmd", "status", "reason", "text", "mac"})


def now_us() -> int:
    return time.time_ns() // 1000


def _refuse_ext(code: int, data: bytes) -> None:
    raise DecodeError(f"msgpack extension type {code} is not allowed")


def _invalid_ext(code: int, data: bytes) -> msgpack.ExtType:
    """The invalid marker and nothing else (its data is empty: max_ext_len is 0)."""
    if code != INVALID_EXT_TYPE or data:
        raise DecodeError(f"msgpack extension type {code} is not allowed "
                          f"(only {INVALID_EXT_TYPE}, empty: the invalid marker)")
    return INVALID_WIRE


def unpack(payload: bytes, max_bin_len: int = 0, allow_invalid: bool = False) -> dict[Any, Any]:
    """Unpack one msgpack map with every declared size bounded; DecodeError on anything else.

    Bin is refused unless `max_bin_len` allows it (commands: the MAC, checked by the caller).
    Ext is refused, except the invalid marker where `allow_invalid` (state frames; the caller
    takes it only as a value in `sig`: every other field's type check refuses it).
    """
    if not isinstance(payload, (bytes, bytearray, memoryview)):
        raise DecodeError(f"payload must be bytes, got {type(payload).__name__}")
    if len(payload) > MAX_PAYLOAD_BYTES:
        raise DecodeError(f"payload of {len(payload)} bytes exceeds {MAX_PAYLOAD_BYTES}")
    try:
        data = msgpack.unpackb(
            payload, raw=False, strict_map_key=False, use_list=False,
            ext_hook=_invalid_ext if allow_invalid else _refuse_ext,
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
                     ts_us: int | None = None, *, epoch: int, sealer: Sealer) -> bytes:
        """Encode and seal some signals of `frame`; None marks a signal the source cannot
        provide now, INVALID one whose value the source knows to be wrong."""
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
                sig[spec.id] = (None if value is None else INVALID_WIRE if value is INVALID
                                else spec.value.to_wire(value))
            except ValueError as error:
                raise EncodeError(f"{path}: {error}") from None
        header = _checked_header(epoch, seq, ts_us)
        mac = sealer.mac(f"state/{frame}", *header, frame_body(sig))
        return self._pack({"v": self.schema_version, "ep": header[0], "seq": header[1],
                           "ts": header[2], "sig": sig, "mac": mac})

    def decode_state(self, frame: str, payload: bytes, sealer: Sealer) -> StateFrame:
        """A frame whose MAC verifies and whose every value is valid; else DecodeError
        (AuthenticationError for a missing or wrong MAC, checked before any value)."""
        specs = self._frame_ids.get(frame)
        if specs is None:
            raise DecodeError(f"unknown frame {frame!r}")
        data = self._envelope(payload, STATE_KEYS, sealed=True, allow_invalid=True)
        sig = data["sig"]
        if not isinstance(sig, dict) or not all(
                isinstance(sid, int) and not isinstance(sid, bool) for sid in sig):
            raise DecodeError("'sig' must be a map of signal id (int) to value")
        self._verify(sealer, f"state/{frame}", data, lambda: frame_body(sig))
        values: dict[str, FrameValue] = {}
        for sid, wire in sig.items():
            spec = specs.get(sid) if isinstance(sid, int) and not isinstance(sid, bool) else None
            if spec is None:
                raise DecodeError(f"signal id {sid!r} is not in frame {frame!r}")
            if wire is None or isinstance(wire, msgpack.ExtType):  # the hook let only one in
                values[spec.path] = None if wire is None else INVALID
                continue
            try:
                values[spec.path] = spec.value.from_wire(wire)
            except ValueError as error:
                raise DecodeError(f"{spec.path}: {error}") from None
        return StateFrame(frame, data["seq"], data["ts"], values, data["ep"])

    # --- vehicle status -----------------------------------------------------------------------
    def encode_status(self, online: bool, seq: int, ts_us: int | None = None, *, epoch: int,
                      sealer: Sealer, will_seq: int = 0) -> bytes:
        """`will_seq`: the seq of the will registered for the connection this status is sent
        on (0 if none), so that a receiver can tell that connection's will from older ones."""
        if not isinstance(online, bool):
            raise EncodeError("online must be a bool")
        header = _checked_header(epoch, seq, ts_us)
        will_seq = _checked_seq(will_seq)
        mac = sealer.mac("status", *header, [online, will_seq])
        return self._pack({"v": self.schema_version, "ep": header[0], "seq": header[1],
                           "ts": header[2], "online": online, "will": will_seq, "mac": mac})

    def decode_status(self, payload: bytes, sealer: Sealer) -> VehicleStatus:
        data = self._envelope(payload, STATUS_KEYS, sealed=True)
        online, will_seq = data["online"], data["will"]
        if not isinstance(online, bool):
            raise DecodeError("'online' must be a bool")
        if isinstance(will_seq, bool) or not isinstance(will_seq, int) or not (
                0 <= will_seq <= MAX_SEQ):
            raise DecodeError("'will' must be an int in 0..2**63-1")
        self._verify(sealer, "status", data, lambda: [online, will_seq])
        return VehicleStatus(online, data["seq"], data["ts"], data["ep"], will_seq)

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
        """A command, signed (with `ctr` and `mac`) or not, with its arguments checked. A
        vehicle decides trust first: `decode_command_unchecked`, verify, then `check_command`."""
        return self.check_command(self.decode_command_unchecked(name, payload))

    def decode_command_unchecked(self, name: str, payload: bytes) -> Command:
        """The envelope of a command with its arguments as they came (a map of str), so that
        its MAC can be verified before anything is said about its name or arguments."""
        data = self._envelope(payload, COMMAND_KEYS, SIGNED_COMMAND_KEYS, max_bin_len=MAC_LEN)
        rid = _checked_rid(data["rid"])
        args = data["args"]
        if not isinstance(args, dict) or not all(isinstance(k, str) for k in args):
            raise DecodeError("'args' must be a map of argument name to value")
        ctr, mac = data.get("ctr", 0), data.get("mac")
        if "mac" in data:
            if isinstance(ctr, bool) or not isinstance(ctr, int) or not 0 <= ctr <= MAX_SEQ:
                raise DecodeError("'ctr' must be an int in 0..2**63-1")
            if not isinstance(mac, bytes) or len(mac) != MAC_LEN:
                raise DecodeError(f"'mac' must be bin of exactly {MAC_LEN} bytes")
        return Command(name, rid, args, data["seq"], data["ts"], ctr, mac)

    def check_command(self, command: Command) -> Command:
        """The command with its arguments checked against the catalogue; DecodeError if the
        command is unknown or an argument is wrong."""
        spec = self._command_spec(command.name, DecodeError)
        try:
            args = _checked_args(spec, command.args)
        except ValueError as error:
            raise DecodeError(f"{command.name}: {error}") from None
        return replace(command, args=args)

    def command_rid(self, payload: bytes) -> str | None:
        """Best-effort request id of a refused command, so the refusal can still be answered."""
        try:
            data = unpack(payload, max_bin_len=MAC_LEN)
            return _checked_rid(data.get("rid"))
        except DecodeError:
            return None

    # --- results ------------------------------------------------------------------------------
    def encode_result(self, result: CommandResult, *, sealer: Sealer) -> bytes:
        """Encode and seal a result; its `epoch` must be the vehicle's session."""
        if result.command not in self.catalogue.commands and result.reason not in (
                "unknown_command", "unauthorised"):  # a refusal echoes whatever name it got
            raise EncodeError(f"unknown command {result.command!r}")
        if result.reason is not None and result.reason not in self.catalogue.result_reasons:
            raise EncodeError(f"unknown reason {result.reason!r}")
        if (result.reason is None) == (result.status is ResultStatus.REJECTED):
            raise EncodeError("a rejected result needs a reason; other results carry none")
        if len(result.text) > MAX_TEXT_LEN or len(result.command) > MAX_STR_LEN:
            raise EncodeError(f"text longer than {MAX_TEXT_LEN} characters")
        header = _checked_header(result.epoch, result.seq, result.ts_us or None)
        rid, status = _checked_rid(result.rid, EncodeError), ResultStatus(result.status).value
        body = result_body(rid, result.command, status, result.reason, result.text)
        return self._pack({"v": self.schema_version, "ep": header[0], "seq": header[1],
                           "ts": header[2], "rid": rid, "cmd": result.command, "status": status,
                           "reason": result.reason, "text": result.text,
                           "mac": sealer.mac("result", *header, body)})

    def decode_result(self, payload: bytes, sealer: Sealer) -> CommandResult:
        data = self._envelope(payload, RESULT_KEYS, sealed=True)
        rid = _checked_rid(data["rid"])
        command, status, reason, text = data["cmd"], data["status"], data["reason"], data["text"]
        if not isinstance(command, str):
            raise DecodeError("'cmd' must be a string")
        if not isinstance(text, str) or len(text) > MAX_TEXT_LEN:
            raise DecodeError(f"'text' must be a string of at most {MAX_TEXT_LEN} characters")
        if reason is not None and not isinstance(reason, str):
            raise DecodeError("'reason' must be a string or nil")
        self._verify(sealer, "result", data,
                     lambda: result_body(rid, command, status, reason, text))
        try:
            status = ResultStatus(status)
        except (ValueError, TypeError):
            raise DecodeError(f"unknown status {status!r}") from None
        if reason is not None and reason not in self.catalogue.result_reasons:
            raise DecodeError(f"unknown reason {reason!r}")
        if (reason is None) == (status is ResultStatus.REJECTED):
            raise DecodeError("a rejected result needs a reason; other results carry none")
        return CommandResult(rid, command, status, reason, text, data["seq"], data["ts"],
                             data["ep"])

    # --- shared -------------------------------------------------------------------------------
    def _envelope(self, payload: bytes, keys: frozenset[str],
                  alternative: frozenset[str] | None = None,
                  max_bin_len: int = 0, sealed: bool = False,
                  allow_invalid: bool = False) -> dict[str, Any]:
        """The checked envelope. A sealed message without its MAC (and otherwise right) is an
        AuthenticationError, so it is counted as a forgery, not as a broken payload."""
        data = unpack(payload, MAC_LEN if sealed else max_bin_len, allow_invalid)
        if allow_invalid and isinstance(data.get("mac"), msgpack.ExtType):
            raise DecodeError("'mac' must be bin, not the invalid marker")
        version = data.get("v")
        if type(version) is not int or version != self.schema_version:
            raise DecodeError(f"schema version {version!r} is not supported "
                              f"(this receiver speaks {self.schema_version})")
        if data.keys() != keys and (alternative is None or data.keys() != alternative):
            if sealed and data.keys() == keys - {"mac"}:
                raise AuthenticationError("no MAC: the message is not signed")
            missing = sorted(k for k in keys if k not in data)
            extra = sorted(repr(k) for k in data if k not in keys)
            raise DecodeError(f"envelope keys wrong (missing {missing}, unexpected {extra})")
        seq, ts = data["seq"], data["ts"]
        if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq <= MAX_SEQ:
            raise DecodeError("'seq' must be an int in 0..2**63-1")
        if isinstance(ts, bool) or not isinstance(ts, int) or not 0 <= ts <= MAX_SEQ:
            raise DecodeError("'ts' must be microseconds since the Unix epoch as an int")
        if sealed:
            epoch = data["ep"]
            if isinstance(epoch, bool) or not isinstance(epoch, int) or not (
                    MIN_EPOCH <= epoch <= MAX_SEQ):
                raise DecodeError("'ep' must be an int in 1..2**63-1")
        return data

    @staticmethod
    def _verify(sealer: Sealer, channel: str, data: Mapping[str, Any],
                body: Callable[[], Any]) -> None:
        try:
            authentic = sealer.verify(data["mac"], channel, data["ep"], data["seq"], data["ts"],
                                      body())
        except Exception as error:  # fields no MAC can be computed over: refused all the same
            raise DecodeError(f"no MAC can cover this message: {type(error).__name__}") from None
        if not authentic:
            raise AuthenticationError(f"MAC does not verify for vehicle {sealer.vehicle!r}")

    def _command_spec(self, name: str, error: type[Exception]) -> CommandSpec:
        spec = self.catalogue.commands.get(name)
        if spec is None:
            raise error(f"unknown command {name!r}")
        return spec

    @staticmethod
    def _pack(data: dict[str, Any]) -> bytes:
        packed: bytes = msgpack.packb(data, use_bin_type=True)
        return packed


def _checked_seq(seq: Any) -> int:
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq <= MAX_SEQ:
        raise EncodeError("seq must be an int in 0..2**63-1")
    return seq


def _checked_header(epoch: Any, seq: Any, ts_us: int | None) -> tuple[int, int, int]:
    """(epoch, seq, ts) of a sealed message, checked; ts defaults to now."""
    if isinstance(epoch, bool) or not isinstance(epoch, int) or not MIN_EPOCH <= epoch <= MAX_SEQ:
        raise EncodeError("epoch must be an int in 1..2**63-1")
    ts = now_us() if ts_us is None else ts_us
    if isinstance(ts, bool) or not isinstance(ts, int) or not 0 <= ts <= MAX_SEQ:
        raise EncodeError("ts must be microseconds since the Unix epoch as an int")
    return epoch, _checked_seq(seq), ts


def _checked_rid(rid: Any, error: type[Exception] = DecodeError) -> str:
    if not isinstance(rid, str) or not 0 < len(rid) <= MAX_RID_LEN:
        raise error(f"'rid' must be a string of 1..{MAX_RID_LEN} characters")
    return rid


def _checked_args(spec: CommandSpec, args: Mapping[Any, Any]) -> dict[str, Value]:
    if set(args) != set(spec.args):
        raise ValueError(
            f"arguments must be exactly {sorted(spec.args)}, got {sorted(map(str, args))}")
    return {name: spec.args[name].check(args[name]) for name in spec.args}
