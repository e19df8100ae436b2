"""`ema-bench`: measure latency, throughput, CPU, memory, startup, wire and simulator cost.

    ema-bench [--quick] [--json PATH]

Starts its own Mosquitto, records real simulator frames, then runs each measured program
(ours, the bare window, the JSON peer, a raw MQTT subscriber) as a headless subprocess fed by
a generator that replays those frames at 1x, 10x and 100x their nominal rates and beyond.
Prints a table (figure, baseline, ratio, peer, target) and writes the same as JSON.
Every wait is bounded by a multiple of this machine's measured pace; a step it cannot measure
is reported as "not measured" with the reason, and the rest of the table still prints.
`--quick` is a ~45 s smoke run with short windows: its figures are noisy.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from .broker import BenchBroker
from .plan import FULL, GROUPS, QUICK
from .steps import STEPS, BenchStep, Context, run_steps
from .table import Row, build_rows, finite, machine, print_table


def build_parser() -> argparse.ArgumentParser:
    """The command line; README's Performance section documents exactly these options."""
    parser = argparse.ArgumentParser(prog="ema-bench", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="~45 s smoke run, short windows")
    parser.add_argument("--json", metavar="PATH", type=Path, help="also write the figures here")
    return parser


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    return build_parser().parse_args(argv)


def run_bench(quick: bool, steps: Sequence[BenchStep] = STEPS,
              workdir: Path | None = None) -> Context:
    """Run `steps` against a private broker; never raises for a step that fails (only when
    the broker itself cannot start: OSError, RuntimeError)."""
    workdir = workdir or Path(tempfile.mkdtemp(prefix="ema-bench-"))
    broker = BenchBroker(workdir / "broker")
    try:
        broker.start()
        ctx = Context(QUICK if quick else FULL, broker, workdir, quick)
        run_steps(steps, ctx)
    finally:
        broker.stop()
    return ctx


def report(ctx: Context, mode: str, elapsed: float) -> dict[str, Any]:
    """The JSON document: the table's rows by group, the steps not measured, the details."""
    rows: list[Row] = build_rows(ctx)
    groups = {g: [r for r in rows if r["group"] == g] for g in GROUPS}
    details = {name: ({k: v for k, v in value.items() if k != "frames"}
                      if isinstance(value, dict) else value)
               for name, value in ctx.results.items()}
    return finite({"mode": mode, "machine": machine(), "elapsed_s": elapsed, "groups": groups,
                   "not_measured": ctx.not_measured, "details": details})


def main(argv: list[str] | None = None, steps: Sequence[BenchStep] = STEPS) -> int:
    """Exit status 0 whenever the table printed, even with steps not measured (they are in
    the table and under "not_measured" in the JSON); 1 without a broker to measure on; 2 for
    a bad command line."""
    args = parse_args(argv)
    mode = "quick" if args.quick else "full"
    started = time.monotonic()
    try:
        ctx = run_bench(args.quick, steps)
    except (OSError, RuntimeError) as error:  # no Mosquitto: nothing at all can be measured
        print(f"ema-bench: cannot start its Mosquitto: {error}", file=sys.stderr)
        return 1
    elapsed = time.monotonic() - started
    doc = report(ctx, mode, elapsed)
    print_table([r for rows in doc["groups"].values() for r in rows], doc["machine"], mode)
    pace = ctx.results.get("calibration", {})
    nominal = ctx.results.get("simulator", {}).get("nominal_rate")
    print(f"\n{mode} run took {elapsed:.0f} s; this machine's pace x{pace.get('scale', 1):.2f} "
          "(scales every wait); rates are replayed simulator frames "
          f"(nominal {nominal or float('nan'):g} msg/s) from one generator process.")
    for name, why in ctx.not_measured.items():
        print(f"not measured: {name}: {why}")
    if args.json:
        args.json.parent.mkdir(parents=True, exist_ok=True)
        args.json.write_text(json.dumps(doc, indent=2))
    return 0


if __name__ == "__main__":
    sys.exit(main())
