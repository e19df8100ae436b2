"""`ema-sim`: the simulated vehicle on the MQTT bus.

    ema-sim [--broker URL] [--vehicle ID] [--scenario NAME|FILE] [--config NAME|FILE]
            [--speed X] [--loop] [--seed N] [--vehicles N] [--duration S]
    ema-sim spec [--json] [--config NAME|FILE]
                                the car's spec, its WLTC rated range and what each option costs
    ema-sim scenarios           the scenarios shipped
    ema-sim configs [--table]   the vehicle configurations shipped (--table: the README's table
                                of their computed ranges, in Markdown)
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import threading

from protocols import Codec, VehicleTopics
from protocols.auth import CommandKey, CommandVerifier, add_auth_arguments, key_from_args
from protocols.bus import add_connection_arguments, settings_from_args
from protocols.bus.lifecycle import stop_on_signals
from protocols.bus.mqtt import MqttTransport
from protocols.freshness import ENV_EPOCH_FILE, epoch_from_environment

from .model import (
    ConfigurationError,
    VehicleConfiguration,
    list_configurations,
    list_scenarios,
    load_configuration,
    rating_specs,
)
from .model.rating import configuration_summary
from .node import VehicleNode
from .ratings import SHARED
from .runner import SimulationLoop
from .simulated import ScenarioVehicle

LOG = logging.getLogger("ema-sim")


def fleet_ids(base: str, count: int) -> list[str]:
    """One id per simulated vehicle: the base id alone, or base-001, base-002, ..."""
    if count == 1:
        return [base]
    return [f"{base[:27]}-{index:03d}" for index in range(1, count + 1)]


def build_node(vehicle_id: str, args: argparse.Namespace, codec: Codec, seed: int,
               key: CommandKey) -> VehicleNode:
    topics = VehicleTopics(vehicle_id)
    transport = MqttTransport(settings_from_args(args), client_id=f"ema-sim-{vehicle_id}")
    vehicle = ScenarioVehicle(args.scenario, seed=seed, loop=args.loop or None,
                              configuration=args.config)
    return VehicleNode(vehicle, transport, topics, codec,
                       verifier=CommandVerifier(key, vehicle_id),
                       epoch=epoch_from_environment(args.epoch_file))


def run(args: argparse.Namespace, key: CommandKey) -> int:
    codec = Codec()
    nodes = [build_node(vid, args, codec, args.seed + i, key)
             for i, vid in enumerate(fleet_ids(args.vehicle, args.vehicles))]
    loop = SimulationLoop(nodes, speed=args.speed)
    if args.rate_shipped:
        # Behind this car's own figures, every shipped car's (13 drives, ~25 s of one core):
        # a refit from the demo's control panel is then at once, its option costs known.
        # Opt-in, so a Pi or a test bench starting ema-sim pays only for its own car.
        SHARED.request(spec for name in list_configurations()
                       for spec in rating_specs(load_configuration(name)))
    for node in nodes:
        node.transport.start()
    LOG.info("simulating %d vehicle(s) on %s, scenario %s at %gx",
             len(nodes), settings_from_args(args).url, args.scenario, args.speed)
    watcher = threading.Thread(target=_stop_when_finished, args=(loop, nodes), daemon=True)
    if not args.loop:
        watcher.start()
    try:
        with stop_on_signals(loop.stop):
            loop.run(args.duration)
    finally:
        SHARED.close()   # a drive under way must not hold the exit up (vehicle_sim/ratings.py)
        for node in nodes:
            if node.transport.connected:
                node.announce_offline()
            node.transport.close()
    return 0


def _stop_when_finished(loop: SimulationLoop, nodes: list[VehicleNode]) -> None:
    while not loop.stop_event.wait(0.5):
        if all(getattr(node.vehicle, "finished", False) for node in nodes):
            LOG.info("scenario finished")
            loop.stop()


def run_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="ema-sim", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    add_connection_arguments(parser)
    add_auth_arguments(parser)
    parser.add_argument("--scenario", default="showcase",
                        help=f"scenario name ({', '.join(list_scenarios())}) or a .toml file")
    parser.add_argument("--config", default="default", type=_configuration,
                        help=f"vehicle configuration ({', '.join(list_configurations())}) "
                             "or a .toml file")
    parser.add_argument("--rate-shipped", action="store_true",
                        help="rate every shipped configuration in the background at start, so "
                             "that sim_set_configuration refits at once (the demo does)")
    parser.add_argument("--speed", type=float, default=1.0, help="simulated seconds per second")
    parser.add_argument("--loop", action="store_true", help="start the scenario again at its end")
    parser.add_argument("--seed", type=int, default=1, help="seed for deterministic noise")
    parser.add_argument("--vehicles", type=int, default=1, help="fleet mode: N vehicles")
    parser.add_argument("--duration", type=float, default=None, help="stop after S wall seconds")
    parser.add_argument("--epoch-file", default=None, metavar="PATH",
                        help=f"file keeping the last session epoch (or ${ENV_EPOCH_FILE}), so the "
                             "epoch rises across restarts even if the clock steps back")
    parser.add_argument("--log-level", default="INFO")
    return parser


def main(argv: list[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    if argv[:1] == ["spec"]:
        parser = argparse.ArgumentParser(prog="ema-sim spec")
        parser.add_argument("--json", action="store_true", help="print JSON")
        parser.add_argument("--config", default="default", type=_configuration,
                            help="vehicle configuration: a shipped name or a .toml file")
        spec_args = parser.parse_args(argv[1:])
        summary = configuration_summary(spec_args.config)
        print(json.dumps(summary, indent=2) if spec_args.json else _spec_text(summary))
        return 0
    if argv[:1] == ["scenarios"]:
        print("\n".join(list_scenarios()))
        return 0
    if argv[:1] == ["configs"]:
        parser = argparse.ArgumentParser(prog="ema-sim configs")
        parser.add_argument("--table", action="store_true",
                            help="the README's Markdown table of computed ranges")
        table = parser.parse_args(argv[1:]).table
        print(configurations_table() if table else "\n".join(list_configurations()))
        return 0
    args = run_parser().parse_args(argv)
    if args.vehicles < 1 or args.speed <= 0:
        run_parser().error("--vehicles and --speed must be positive")
    logging.basicConfig(level=args.log_level.upper(),
                        format="%(asctime)s %(levelname)s %(name)s: %(message)s")
    try:
        key = key_from_args(args, LOG)
        settings_from_args(args)  # an unreadable password file or a bad URL: say so, exit 2
    except (OSError, ValueError) as error:
        print(f"ema-sim: {error}", file=sys.stderr)
        return 2
    return run(args, key)


def _configuration(name_or_path: str) -> VehicleConfiguration:
    """argparse type: a configuration, or the file's problems as the usage error."""
    try:
        return load_configuration(name_or_path)
    except ConfigurationError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def _spec_text(summary: dict) -> str:
    lines = [f"{key}: {value}" for key, value in summary.items()
             if not isinstance(value, (dict, list))]
    lines += [f"{key}: {value}" for key, value in summary["configuration"].items()]
    rng = summary["range"]
    lines.append(f"rated range: {rng['rated_range_miles']:.1f} mi "
                 f"({rng['rated_range_km']:.0f} km)")
    for option, cost in rng["options"].items():
        if cost["is_fitted"]:
            lines.append(f"  {option} ({cost['choice']}): costs {cost['cost_miles']:.1f} mi "
                         f"({cost['cost_m'] / 1000:.1f} km)")
    lines.append(f"  interaction of the options: {rng['interaction_miles']:.1f} mi")
    lines.append(f"unoptioned, same pack: {rng['unoptioned_range_miles']:.1f} mi")
    return "\n".join(lines)


def configurations_table() -> str:
    """Every shipped configuration with its computed range and what each option costs, as the
    README shows it (tests/sim/test_sim_readme.py keeps the README equal to this)."""
    rows = ["| Configuration | Paint / roof / decals | Pack | Wheels | Roof rack | Arches | Spare "
            "| Jump seat | Rated range (WLTC) | Option costs |",
            "|---|---|---|---|---|---|---|---|---|---|"]
    for name in list_configurations():
        summary = configuration_summary(load_configuration(name))
        config, rng = summary["configuration"], summary["range"]
        costs = [f"{o} {_signed(-c['cost_miles'])} mi" for o, c in rng["options"].items()
                 if c["is_fitted"]]
        if len(costs) > 1:
            together = rng["rated_range_miles"] - rng["unoptioned_range_miles"]
            costs.append(f"all together {_signed(together)} mi")
        rows.append(
            f"| `{name}` | {config['paint']} / {config['roof_colour']} / {config['decal_pack']} "
            f"| {config['pack_kWh']:g} kWh | {config['wheels']} | "
            f"{config['roof_rack']} | {_yes(config['wheelarch_extensions'])} | "
            f"{_yes(config['spare_wheel'])} | {_yes(config['jump_seat'])} | "
            f"**{rng['rated_range_miles']:.1f} mi** / {rng['rated_range_km']:.0f} km | "
            f"{', '.join(costs) or '—'} |")
    return "\n".join(rows)


def _signed(miles: float) -> str:
    """A range change as the README prints it: +1.2 or −1.2 (a real minus sign)."""
    return f"{miles:+.1f}".replace("-", "−")


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


if __name__ == "__main__":
    sys.exit(main())
