"""`ema-replay`: publish a recording again with its recorded timing.

    ema-replay FILE [--speed X] [--loop] [--from T] [--to T] [--vehicle-rename NEW]
               [--duration S] [--command-key-file PATH] [--verbatim] [--broker URL ...]

Retain flags and QoS are published as recorded (over MQTT 5, or 3.1.1 where the broker has no 5:
publishing keeps the flags either way). --from/--to are seconds from the start of the
recording (both inclusive). --vehicle-rename rewrites the vehicle level of ema/v1/{vehicle}/...
topics, so a recording can play next to the live vehicle. A truncated recording plays up to the
cut. The summary gives the timing error: how late each message left against its schedule.

The replay speaks as a new session of the vehicle: every recorded state frame, status and result
whose MAC verifies with the vehicle's key (--command-key-file or $EMA_COMMAND_KEY_FILE, else the
development key) goes out with the replay's own epoch, a rising seq, the clock as its timestamp
and a new MAC (for the renamed vehicle, if renamed); its content is as recorded. An HMI then shows
the replay, and refuses the frames of the vehicle session that ran before it. What cannot be
re-sealed (commands, HMI diagnostics, what does not verify) is sent as recorded and counted.
--verbatim sends every recorded byte as it is: a v2 receiver must refuse those as replays.
"""

from __future__ import annotations

import argparse
import logging
import math
import sys
import threading
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

from protocols.auth import add_auth_arguments, key_from_args
from protocols.bus import add_connection_arguments, settings_from_args
from protocols.bus.lifecycle import stop_on_signals
from protocols.topics import check_vehicle_id

from .player import PlaybackSummary, Player
from .recording import CorruptRecording, Record, RecordingError, RecordReader
from .restamp import Restamper
from .tool_bus import BrokerUnreachable, connect_tool_transport

LOG = logging.getLogger(__name__)
CONNECT_TIMEOUT_S = 10.0
DRAIN_TIMEOUT_S = 10.0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ema-replay", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("file", help="a recording made by ema-record")
    parser.add_argument("--speed", type=float, default=1.0,
                        help="play this many times faster than recorded (default 1)")
    parser.add_argument("--loop", action="store_true", help="play again from --from at the end")
    parser.add_argument("--from", dest="start_s", type=float, default=0.0, metavar="T",
                        help="start at T seconds into the recording")
    parser.add_argument("--to", dest="end_s", type=float, default=None, metavar="T",
                        help="stop after T seconds into the recording")
    parser.add_argument("--vehicle-rename", metavar="NEW", default=None,
                        help="publish under vehicle id NEW instead of the recorded one")
    parser.add_argument("--duration", type=float, default=None,
                        help="stop S seconds after starting, reaching the broker included "
                             "(useful with --loop)")
    parser.add_argument("--verbatim", action="store_true",
                        help="send the recorded bytes as they are, old epoch, seq, ts and MAC "
                             "(to test that a receiver refuses a replay)")
    parser.add_argument("--log-level", default="WARNING")
    add_connection_arguments(parser)
    add_auth_arguments(parser)
    return parser


class RecordingSource:
    """Opens the file afresh for every pass and remembers how the last pass ended."""

    def __init__(self, path: str) -> None:
        self.path = path
        self.truncated_at: int | None = None
        self.corruption: CorruptRecording | None = None
        with RecordReader(path):  # fail now, before connecting, if it is no recording
            pass

    def __call__(self) -> Iterator[Record]:
        with RecordReader(self.path) as reader:
            try:
                yield from reader
            except CorruptRecording as error:
                self.corruption = error
            self.truncated_at = reader.truncated_at


def format_summary(summary: PlaybackSummary, source: RecordingSource,
                   restamper: Restamper | None = None) -> str:
    lines = [f"replayed {summary.messages} messages in {summary.duration_s:.3f} s "
             f"({summary.passes} pass{'es' if summary.passes != 1 else ''})"
             + (", stopped" if summary.stopped else "")]
    lines.append(restamper.summary() if restamper is not None
                 else "sent every message as recorded (--verbatim)")
    if summary.lateness_s:
        lines.append(f"timing error (send - schedule): p50 {summary.lateness_p50_s * 1e3:.3f} ms, "
                     f"p99 {summary.lateness_p99_s * 1e3:.3f} ms, "
                     f"max {summary.lateness_max_s * 1e3:.3f} ms")
    if source.truncated_at is not None:
        lines.append(f"recording truncated at byte {source.truncated_at}: played up to the cut")
    if source.corruption is not None:
        lines.append(f"recording damaged: {source.corruption}; played up to it")
    return "\n".join(lines)


def replay(args: argparse.Namespace) -> int:
    settings = settings_from_args(args)
    if args.vehicle_rename is not None:
        check_vehicle_id(args.vehicle_rename)
    source = RecordingSource(args.file)
    restamper = None if args.verbatim else Restamper(key_from_args(args, LOG))
    began = time.monotonic()
    end = None if args.duration is None else began + args.duration
    connect_by = began + CONNECT_TIMEOUT_S if end is None else min(end, began + CONNECT_TIMEOUT_S)
    stop = threading.Event()
    with stop_on_signals(stop.set):
        try:
            transport = connect_tool_transport(settings, connect_by, stop.is_set)
        except BrokerUnreachable as error:
            print(f"ema-replay: {error}", file=sys.stderr)
            return 2
    if transport is None:
        return 0
    try:
        player = Player(transport, speed=args.speed, start_s=args.start_s, end_s=args.end_s,
                        loop=args.loop, vehicle_rename=args.vehicle_rename,
                        max_duration_s=None if end is None else max(0.0, end - time.monotonic()),
                        restamp=restamper)
        with stop_on_signals(player.stop):
            summary = player.play(source)
        if not transport.drain(DRAIN_TIMEOUT_S):
            print("ema-replay: the broker did not acknowledge every QoS 1/2 message",
                  file=sys.stderr)
    finally:
        transport.close()
    print(format_summary(summary, source, restamper))
    return 1 if source.corruption is not None else 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not (args.speed > 0 and math.isfinite(args.speed)):
        parser.error("--speed must be a positive number")
    if args.start_s < 0 or (args.end_s is not None and args.end_s < args.start_s):
        parser.error("--from and --to need 0 <= from <= to")
    logging.basicConfig(level=args.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    if not Path(args.file).is_file():
        parser.error(f"no such file: {args.file}")
    try:
        return replay(args)
    except (OSError, ValueError, RecordingError) as error:
        print(f"ema-replay: {error}", file=sys.stderr)
        return 2


if __name__ == "__main__":
    sys.exit(main())
