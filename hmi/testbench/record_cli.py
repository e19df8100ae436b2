"""`ema-record`: capture the bus to a file, or print a recording decoded.

    ema-record -o FILE [--vehicle ID | --all-vehicles | --topics FILTER ...] [--duration S]
    ema-record --print FILE [--command-key-file PATH]

Recording stops at --duration, Ctrl-C or SIGTERM, and flushes; a killed recorder still leaves a
readable file (flushed every 0.5 s); --duration counts from the start, reaching the broker
included, and a recorder that reached no broker by then exits 2 having recorded nothing. The
recorder speaks MQTT 5 so it keeps each message's retain flag and QoS as published (see
protocols.bus.mqtt); a broker that speaks only 3.1.1 (the demo's embedded amqtt) is recorded over
3.1.1, where live messages lose their retain flag, and the recorder says so. It records bytes as
they came; --print verifies each message with the vehicle's key (--command-key-file or
$EMA_COMMAND_KEY_FILE, else the development key) and shows what does not verify as refused.
"""

from __future__ import annotations

import argparse
import logging
import sys
import threading
import time
from collections.abc import Sequence

from protocols.auth import CommandKey, add_auth_arguments, key_from_args
from protocols.bus import add_connection_arguments, settings_from_args
from protocols.bus.lifecycle import stop_on_signals
from protocols.bus.mqtt import MQTT_3_1_1, MqttTransport
from protocols.codec import Codec
from protocols.topics import ROOT, VehicleTopics

from .describe import describe_header, describe_record
from .recording import CorruptRecording, RecordingError, RecordReader, RecordWriter
from .tool_bus import PROTOCOL_NAMES, BrokerUnreachable, connect_tool_transport

LOG = logging.getLogger(__name__)
TICK_S = 0.1
CONNECT_WARNING_S = 5.0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ema-record", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    mode = parser.add_mutually_exclusive_group(required=True)
    mode.add_argument("-o", "--output", metavar="FILE", help="record to FILE (overwritten)")
    mode.add_argument("--print", dest="print_file", metavar="FILE",
                      help="print the recording FILE as text, decoded through the catalogue")
    scope = parser.add_mutually_exclusive_group()
    scope.add_argument("--all-vehicles", action="store_true",
                       help=f"record every vehicle ({ROOT}/+/#)")
    scope.add_argument("--topics", nargs="+", metavar="FILTER",
                       help="MQTT topic filters to record instead of the vehicle's")
    parser.add_argument("--duration", type=float, default=None,
                        help="stop after S seconds (default: until Ctrl-C or SIGTERM)")
    parser.add_argument("--log-level", default="WARNING")
    add_connection_arguments(parser)
    add_auth_arguments(parser)
    return parser


def topic_filters(args: argparse.Namespace) -> list[str]:
    if args.topics:
        return list(args.topics)
    if args.all_vehicles:
        return [f"{ROOT}/+/#"]
    return [VehicleTopics(args.vehicle).everything]


def record(args: argparse.Namespace) -> int:
    """Connect, then record until --duration (counted from the start, the connect included),
    Ctrl-C or SIGTERM. 2 if no broker answered by then or one refused us: recording nothing
    must not look like success."""
    settings = settings_from_args(args)
    filters = topic_filters(args)
    vehicle = None if args.all_vehicles or args.topics else args.vehicle
    end = None if args.duration is None else time.monotonic() + args.duration
    stop = threading.Event()
    with stop_on_signals(stop.set):
        try:
            transport = connect_tool_transport(
                settings, end, stop.is_set, slow_after_s=CONNECT_WARNING_S,
                on_slow=lambda: print(f"still trying to reach {settings.url} ...",
                                      file=sys.stderr, flush=True))
        except BrokerUnreachable as error:
            print(f"ema-record: {error}"
                  + (f" (within --duration {args.duration:g} s)" if end is not None else "")
                  + "; recorded nothing", file=sys.stderr)
            return 2
        if transport is None:  # stopped while connecting
            print("ema-record: stopped before the broker answered; recorded nothing",
                  file=sys.stderr)
            return 0
        protocol = PROTOCOL_NAMES[transport.protocol]
        try:
            with RecordWriter(args.output, vehicle=vehicle, filters=tuple(filters),
                              mqtt=protocol) as writer:
                # only what matches its filters: amqtt 0.12 was seen sending the retained
                # messages of other topics on subscribe (tests/tools/test_record_brokers.py)
                transport.add_listener(writer, *filters)
                for topic_filter in filters:
                    transport.subscribe(topic_filter, qos=2)
                _record_until(transport, stop, writer, end)
                if not transport.wait_subscribed(0):
                    print(f"ema-record: {settings.url} did not acknowledge the subscriptions "
                          "in time", file=sys.stderr)
        finally:
            transport.close()
    print(f"recorded {writer.records_written} messages in {writer.elapsed_s:.1f} s to "
          f"{args.output}" + (f" ({writer.records_skipped} too large to record)"
                              if writer.records_skipped else ""), file=sys.stderr)
    return 0


def _record_until(transport: MqttTransport, stop: threading.Event, writer: RecordWriter,
                  end: float | None) -> None:
    """Say once that recording runs (when the subscriptions are acknowledged, so nothing sent
    from then on is missed), and flush every tick until `end` or a stop."""
    announced = False
    while not stop.is_set() and (end is None or time.monotonic() < end):
        tick = TICK_S if end is None else max(0.0, min(TICK_S, end - time.monotonic()))
        if not announced and transport.wait_subscribed(tick):
            announced = True
            _announce(transport, writer)
        elif announced:
            stop.wait(tick)
        writer.flush_if_due()


def _announce(transport: MqttTransport, writer: RecordWriter) -> None:
    settings = transport.settings
    if transport.protocol == MQTT_3_1_1:
        print(f"{settings.url} does not speak MQTT 5: recording over MQTT 3.1.1, where the "
              "broker clears the retain flag of every live message (only those sent on "
              "subscribe keep it), so a replay of this file leaves no retained state behind",
              file=sys.stderr, flush=True)
    print(f"recording {' '.join(writer.filters)} from {settings.url} to {writer.target}",
          file=sys.stderr, flush=True)


def print_recording(path: str, key: CommandKey | None = None) -> int:
    codec = Codec()
    try:
        reader = RecordReader(path)
    except (OSError, RecordingError) as error:
        print(f"ema-record: {error}", file=sys.stderr)
        return 2
    status = 0
    with reader:
        print(describe_header(reader.header, path))
        last_offset_s = 0.0
        try:
            for item in reader:
                for line in describe_record(item, codec, key):
                    print(line)
                last_offset_s = item.t_offset_s
        except CorruptRecording as error:
            print(f"# {error}; the records above are all that could be read")
            status = 1
        print(f"# {reader.records_read} messages over {last_offset_s:.3f} s")
        if reader.truncated_at is not None:
            print(f"# truncated at byte {reader.truncated_at}: the last record is incomplete")
    return status


def main(argv: Sequence[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    logging.basicConfig(level=args.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if args.print_file:
        try:
            key = key_from_args(args, LOG)
        except (OSError, ValueError) as error:
            print(f"ema-record: command key: {error}", file=sys.stderr)
            return 2
        try:
            return print_recording(args.print_file, key)
        except BrokenPipeError:  # `ema-record --print FILE | head`
            sys.stderr.close()
            return 0
    try:
        return record(args)
    except (OSError, ValueError) as error:
        print(f"ema-record: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
