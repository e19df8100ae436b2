"""`ema-record`: capture the bus to a file, or print a recording decoded.

    ema-record -o FILE [--vehicle ID | --all-vehicles | --topics FILTER ...] [--duration S]
    ema-record --print FILE [--command-key-file PATH]

Recording stops at --duration, Ctrl-C or SIGTERM, and flushes; a killed recorder still leaves a
readable file (flushed every 0.5 s). The recorder speaks MQTT 5 so it keeps each message's
retain flag and QoS as published (see protocols.bus.mqtt). It records bytes as they came;
--print verifies each message with the vehicle's key (--command-key-file or
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
from protocols.bus.mqtt import MqttTransport
from protocols.codec import Codec
from protocols.topics import ROOT, VehicleTopics

from .describe import describe_header, describe_record
from .recording import CorruptRecording, RecordingError, RecordReader, RecordWriter
from .tool_bus import tool_transport

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
    settings = settings_from_args(args)
    filters = topic_filters(args)
    vehicle = None if args.all_vehicles or args.topics else args.vehicle
    stop = threading.Event()
    transport = tool_transport(settings)
    with stop_on_signals(stop.set), \
            RecordWriter(args.output, vehicle=vehicle, filters=tuple(filters)) as writer:
        transport.add_listener(writer)
        for topic_filter in filters:
            transport.subscribe(topic_filter, qos=2)
        transport.start()
        try:
            _wait_ready(transport, stop, writer, settings.url)
            if not stop.is_set():
                print(f"recording {' '.join(filters)} from {settings.url} to {args.output}",
                      file=sys.stderr, flush=True)
            end = None if args.duration is None else time.monotonic() + args.duration
            while not stop.wait(TICK_S):
                writer.flush_if_due()
                if end is not None and time.monotonic() >= end:
                    break
        finally:
            transport.close()
    print(f"recorded {writer.records_written} messages in {writer.elapsed_s:.1f} s to "
          f"{args.output}" + (f" ({writer.records_skipped} too large to record)"
                              if writer.records_skipped else ""), file=sys.stderr)
    return 0


def _wait_ready(transport: MqttTransport, stop: threading.Event, writer: RecordWriter,
                url: str) -> None:
    """Wait for the broker to acknowledge the subscriptions, warning once if it takes long."""
    warned_at = time.monotonic() + CONNECT_WARNING_S
    while not stop.is_set() and not transport.wait_subscribed(TICK_S):
        writer.flush_if_due()
        if warned_at and time.monotonic() > warned_at:
            print(f"still trying to reach {url} ...", file=sys.stderr, flush=True)
            warned_at = 0.0


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
