"""Recorded messages as text a person can read: decoded through the catalogue, never trusted.

Every payload goes through the strict Codec, as the HMI would see it: state frames become
`path = value unit` lines, status, commands and results their fields. What the vehicle
publishes is verified first with the vehicle's key (protocols.seal), commands with the same key
(protocols.auth), as the HMI and the vehicle verify them. What the codec refuses, a MAC that does
not verify included, is shown as hex with the reason (DecodeError, or AuthenticationError for a
missing or wrong MAC), because that is exactly what one looks for in a recording of a
misbehaving vehicle.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator

from protocols import INVALID, FrameValue
from protocols.auth import CommandKey, CommandVerifier, development_key
from protocols.catalogue import Value
from protocols.codec import Codec
from protocols.errors import AuthenticationError, DecodeError
from protocols.topics import TopicKind, parse_topic

from .recording import Record, RecordingHeader

HEX_PREVIEW_BYTES = 256
INDENT = "    "


def describe_header(header: RecordingHeader, name: str) -> str:
    started = dt.datetime.fromtimestamp(header.start_us / 1e6, dt.UTC)
    filters = ", ".join(header.filters) or "-"
    return (f"# {name}: EMA recording v{header.version}, started "
            f"{started.isoformat(timespec='milliseconds')}, vehicle {header.vehicle or '-'}, "
            f"filters {filters}" + _describe_mqtt(header.mqtt))


def _describe_mqtt(mqtt: str | None) -> str:
    if mqtt is None:
        return ""
    if mqtt == "3.1.1":
        return ", over MQTT 3.1.1 (retain flags only on what the broker sent on subscribe)"
    return f", over MQTT {mqtt}"


def describe_record(record: Record, codec: Codec, key: CommandKey | None = None) -> Iterator[str]:
    """The lines for one record: a heading line, then indented details. `key` verifies what the
    record carries (default: the development key)."""
    flags = f"q{record.qos}{' R' if record.retain else ''}"
    yield f"{record.t_offset_s:10.6f} {record.topic} [{flags}] {len(record.payload)} B"
    if not record.payload:
        yield f"{INDENT}(empty payload: clears the retained copy)"
        return
    try:
        lines = list(_decoded(record, codec, key or development_key()))
    except DecodeError as error:
        kind = "AuthenticationError" if isinstance(error, AuthenticationError) else "DecodeError"
        yield f"{INDENT}undecodable: {kind}: {error.reason}"
        yield f"{INDENT}hex: {hex_preview(record.payload)}"
        return
    yield from lines


def _decoded(record: Record, codec: Codec, key: CommandKey) -> Iterator[str]:
    topic = parse_topic(record.topic)
    sealer = key.sealer(topic.vehicle)
    if topic.kind is TopicKind.STATE and topic.name:
        frame = codec.decode_state(topic.name, record.payload, sealer)
        yield f"{INDENT}state {frame.frame} ep={frame.epoch} seq={frame.seq} ts={frame.ts_us}"
        for path, value in frame.values.items():
            unit = codec.catalogue.signals[path].unit
            shown_unit = f" {unit}" if unit and value not in (None, INVALID) else ""
            yield f"{INDENT}{INDENT}{path} = {format_value(value)}{shown_unit}"
    elif topic.kind is TopicKind.STATUS:
        status = codec.decode_status(record.payload, sealer)
        yield (f"{INDENT}status online={format_value(status.online)} "
               f"ep={status.epoch} seq={status.seq} ts={status.ts_us}")
    elif topic.kind in (TopicKind.COMMAND, TopicKind.SIM) and topic.name:
        command = codec.decode_command_unchecked(topic.name, record.payload)
        if not CommandVerifier(key, topic.vehicle).authentic(command):
            raise AuthenticationError("the command is unsigned" if command.mac is None
                                      else f"command MAC does not verify for vehicle "
                                           f"{topic.vehicle!r}")
        command = codec.check_command(command)
        args = ", ".join(f"{name}={format_value(value)}" for name, value in command.args.items())
        yield (f"{INDENT}command {command.name} rid={command.rid} args({args}) "
               f"seq={command.seq} ts={command.ts_us}")
    elif topic.kind is TopicKind.RESULT:
        result = codec.decode_result(record.payload, sealer)
        reason = f" reason={result.reason}" if result.reason else ""
        yield (f"{INDENT}result {result.command} rid={result.rid} {result.status.value}{reason} "
               f"text={result.text!r} ep={result.epoch} seq={result.seq} ts={result.ts_us}")
    else:
        raise DecodeError(f"no decoder for {topic.kind.value} messages")


def format_value(value: Value | FrameValue) -> str:
    if value is None:
        return "n/a"
    if value is INVALID:
        return "invalid"
    if isinstance(value, bool):
        return "true" if value else "false"
    return repr(value) if isinstance(value, float) else str(value)


def hex_preview(payload: bytes) -> str:
    shown = payload[:HEX_PREVIEW_BYTES].hex(" ")
    more = len(payload) - HEX_PREVIEW_BYTES
    return f"{shown} ... ({more} more bytes)" if more > 0 else shown
