"""The benchmark's table: rows from the steps' results, printed, and written as JSON.

The rows come in sections, each a function of the results it needs. A section whose results
were not measured becomes one "not measured" row with the reason, and the others still print:
no step can take the table down with it.
"""

from __future__ import annotations

import math
import os
import platform
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .plan import FRAME_BUDGET_MS
from .steps import Context, NotMeasured

Row = dict[str, Any]


def row(group: str, name: str, unit: str, value: float, baseline: float, baseline_name: str,
        peer: float | None = None, target: str = "", met: bool | None = None,
        ratio: float | None = None) -> Row:
    if ratio is None:
        ratio = value / baseline if baseline else float("nan")
    return {"group": group, "name": name, "unit": unit, "value": value, "baseline": baseline,
            "baseline_name": baseline_name, "ratio": ratio, "peer": peer, "target": target,
            "met": met}


def not_measured_row(group: str, name: str, why: str) -> Row:
    why = (why.strip().splitlines() or ["unknown"])[0]
    return {"group": group, "name": name, "unit": "", "value": None, "baseline": None,
            "baseline_name": "", "ratio": None, "peer": None, "target": "", "met": None,
            "not_measured": why}


def optional(ctx: Context, name: str) -> Any:
    """A result used for a side column (the peer): None when it was not measured."""
    return ctx.results.get(name)


def latency(ctx: Context) -> list[Row]:
    ours, raw, peer = ctx.need("ours"), ctx.need("raw"), optional(ctx, "peer")
    rows = []
    for scale in ("1", "10", "100"):
        o, r = ours["rates"][scale], raw["rates"][scale]
        p = peer["rates"][scale] if peer else None
        label = "nominal" if scale == "1" else f"{scale}x"
        rate = f"{o['rate']:.0f} msg/s"
        for stat in ("p50", "p99", "max"):
            target, met = "", None
            if scale == "1" and stat == "p50":
                target, met = "< 5 ms", o["lat_p50"] < 5
            if scale == "1" and stat == "p99":
                target, met = "<= raw p99 + 16.7 ms", o["lat_p99"] <= r["lat_p99"] + FRAME_BUDGET_MS
            if scale == "100" and stat == "p99":
                target, met = "< 50 ms", o["lat_p99"] < 50
            rows.append(row("latency", f"publish-to-screen {stat}, {label} ({rate})", "ms",
                            o[f"lat_{stat}"], r[f"lat_{stat}"], "raw paho round",
                            p[f"lat_{stat}"] if p else None, target, met))
    return rows


def _flat(step: dict[str, Any]) -> bool:
    return bool(step["backlog_flat"] and step["memory_flat"])


def _best(program: dict[str, Any] | None) -> dict[str, Any] | None:
    if not program:
        return None
    return max([s for s in program["ramp"] if _flat(s)], key=lambda s: s["rate"], default=None)


def _rate(step: dict[str, Any] | None) -> float:
    return float(step["rate"]) if step else 0.0


def backlog(ctx: Context) -> list[Row]:
    ours, peer = ctx.need("ours"), optional(ctx, "peer")
    return [row("throughput", "backlog and memory flat at 100x", "bool",
                float(_flat(ours["rates"]["100"])), 1.0, "expected",
                float(_flat(peer["rates"]["100"])) if peer else None, "flat",
                _flat(ours["rates"]["100"]))]


def ingest(ctx: Context) -> list[Row]:
    ours, decode, peer = ctx.need("ours"), ctx.need("decode"), optional(ctx, "peer")
    tested = max(s["rate"] for s in ours["ramp"])
    return [row("throughput", f"max sustained ingest (tested up to {tested:.0f} msg/s)",
                "msg/s", _rate(_best(ours)), decode["unpackb"], "bare msgpack.unpackb loop",
                _rate(_best(peer)) if peer else None)]


def ingest_vs_raw(ctx: Context) -> list[Row]:
    ours, raw = ctx.need("ours"), ctx.need("raw")
    return [row("throughput", "max sustained ingest vs a raw paho subscriber", "msg/s",
                _rate(_best(ours)), _rate(_best(raw)) or float("nan"), "raw paho round")]


def decoder(ctx: Context) -> list[Row]:
    decode = ctx.need("decode")
    verify_cost = decode["decode_unverified"] / decode["decode_state"]
    v1_cost = decode["decode_v1"] / decode["decode_state"]
    return [
        row("throughput", "strict decoder (Codec.decode_state), frames/s", "msg/s",
            decode["decode_state"], decode["unpackb"], "bare msgpack.unpackb loop"),
        row("throughput", f"decode + MAC verify, frames/s (cost x{verify_cost:.2f} of the "
            "decode alone)", "msg/s", decode["decode_state"], decode["decode_unverified"],
            "same decoder, MAC check skipped"),
        row("throughput", f"decode + MAC verify, frames/s (cost x{v1_cost:.2f} of v1)",
            "msg/s", decode["decode_state"], decode["decode_v1"],
            "v1 decoder, same frames without ep/mac", None, "cost <= 2x v1 decode",
            v1_cost <= 2.0)]


def frame_times(ctx: Context) -> list[Row]:
    best, peer = _best(ctx.need("ours")), _best(optional(ctx, "peer"))
    if not best:
        return []
    return [row("throughput", f"frame interval p99 at {_rate(best):.0f} msg/s", "ms",
                best["flip_p99"], FRAME_BUDGET_MS, "one frame at 60 fps",
                peer["flip_p99"] if peer else None),
            row("throughput", f"applier tick p99 at {_rate(best):.0f} msg/s", "ms",
                best["tick_p99"], FRAME_BUDGET_MS, "one frame at 60 fps")]


def idle_cpu(ctx: Context) -> list[Row]:
    ours, bare, peer = ctx.need("ours"), ctx.need("bare"), optional(ctx, "peer")
    return [row("resources", "idle CPU (no bus traffic)", "% core", ours["idle_cpu_pct"],
                bare["idle_cpu_pct"], "bare window", peer["idle_cpu_pct"] if peer else None,
                "<= 1.2x bare", ours["idle_cpu_pct"] <= 1.2 * max(bare["idle_cpu_pct"], 0.1))]


def loaded_cpu(ctx: Context) -> list[Row]:
    ours, peer = ctx.need("ours"), ctx.need("peer")
    rows = []
    for scale in ("1", "10", "100"):
        o, p = ours["rates"][scale], peer["rates"][scale]
        target, met = ("< 50 %", o["cpu_pct"] < 50) if scale == "100" else ("", None)
        rows.append(row("resources", f"loaded CPU at {scale}x ({o['rate']:.0f} msg/s)", "% core",
                        o["cpu_pct"], p["cpu_pct"], "peer (JSON, per message)", p["cpu_pct"],
                        target, met))
    return rows


def memory(ctx: Context) -> list[Row]:
    ours, bare, peer = ctx.need("ours"), ctx.need("bare_rss"), optional(ctx, "peer")
    return [row("resources", f"RSS after {ours['rss_at_s']:.0f} s", "MB", ours["rss_mb"],
                bare["rss_mb"], "bare window", peer["rss_mb"] if peer else None, "<= 1.2x bare",
                ours["rss_mb"] <= 1.2 * bare["rss_mb"])]


def startup(ctx: Context) -> list[Row]:
    ours, bare, peer = ctx.need("ours"), ctx.need("bare"), optional(ctx, "peer")
    return [row("resources", "startup to live values", "s", ours["startup_s"],
                bare["startup_s"], "bare window (first frame)",
                peer["startup_s"] if peer else None, "< 1 s", ours["startup_s"] < 1.0)]


def wire(ctx: Context) -> list[Row]:
    sim = ctx.need("simulator")
    one = sim["one"]
    wire_bps = one["wire_bytes"] / one["window_s"]
    json_bps = sim["json_wire_bytes"] / one["window_s"]
    return [
        row("wire", "bus bytes/s at nominal rates (MQTT frames)", "B/s", wire_bps, json_bps,
            "same data as compact JSON", None, "<= 50 % of JSON", wire_bps <= 0.5 * json_bps),
        row("wire", "payload bytes/s at nominal rates", "B/s",
            one["payload_bytes"] / one["window_s"], sim["json_payload_bytes"] / one["window_s"],
            "same data as compact JSON"),
        row("wire", "messages/s at nominal rates", "msg/s", one["messages"] / one["window_s"],
            sim["nominal_rate"], "catalogue rates")]


def simulator(ctx: Context) -> list[Row]:
    one = ctx.need("simulator")["one"]
    return [row("simulator", "CPU per simulated vehicle (one vehicle)", "% core",
                one["cpu_pct"], 100.0, "one core", None, "<= 2 %", one["cpu_pct"] <= 2.0)]


def fleet(ctx: Context) -> list[Row]:
    runs, one = ctx.need("fleet"), ctx.need("simulator")["one"]
    rows = []
    good = [f for f in runs if f["real_time"]]
    if good:
        top = good[-1]
        per = top["cpu_pct"] / top["vehicles"]
        rows.append(row("simulator", f"CPU per vehicle in fleet mode ({top['vehicles']} vehicles)",
                        "% core", per, 100.0, "one core", None, "<= 2 %", per <= 2.0))
    most = good[-1]["vehicles"] if good else 0
    rows.append(row("simulator", f"most vehicles in real time on one core (tested up to "
                    f"{runs[-1]['vehicles']})", "vehicles", float(most),
                    float(100.0 / max(one["cpu_pct"], 1e-3)), "1 core / CPU of one vehicle"))
    rows.extend(not_measured_row("simulator", f"fleet mode, {f['vehicles']} vehicles",
                                 f["not_measured"]) for f in runs if "not_measured" in f)
    return rows


Section = tuple[str, str, Callable[[Context], list[Row]]]
SECTIONS: tuple[Section, ...] = (
    ("latency", "publish-to-screen latency", latency),
    ("throughput", "backlog and memory flat at 100x", backlog),
    ("throughput", "max sustained ingest", ingest),
    ("throughput", "max sustained ingest vs a raw paho subscriber", ingest_vs_raw),
    ("throughput", "decode cost", decoder),
    ("throughput", "frame interval and applier tick", frame_times),
    ("resources", "idle CPU (no bus traffic)", idle_cpu),
    ("resources", "loaded CPU", loaded_cpu),
    ("resources", "RSS", memory),
    ("resources", "startup to live values", startup),
    ("wire", "bus and payload bytes at nominal rates", wire),
    ("simulator", "CPU per simulated vehicle", simulator),
    ("simulator", "fleet mode on one core", fleet),
)


def build_rows(ctx: Context, sections: tuple[Section, ...] = SECTIONS) -> list[Row]:
    """Every section's rows; a section whose inputs were not measured (or that fails on
    them) is one not-measured row with the reason."""
    rows: list[Row] = []
    for group, title, build in sections:
        try:
            rows.extend(build(ctx))
        except NotMeasured as missing:
            rows.append(not_measured_row(group, title, str(missing)))
        except Exception as error:  # noqa: BLE001 - a figure that cannot be computed is reported
            rows.append(not_measured_row(group, title, f"{type(error).__name__}: {error}"))
    return rows


def machine() -> dict[str, Any]:
    info = {"platform": platform.platform(), "machine": platform.machine(),
            "python": platform.python_version(), "cpus": os.cpu_count()}
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                info["cpu"] = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    return info


def fmt_num(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, float) and not math.isfinite(value):
        return "n/a"
    if abs(value) >= 1000:
        return f"{value:,.0f}"
    return f"{value:.3g}" if abs(value) < 10 else f"{value:.1f}"


def _cells(r: Row) -> tuple[str, ...]:
    if "not_measured" in r:
        return (r["name"], "", "not measured", r["not_measured"], "", "", "", "")
    return (r["name"], r["unit"], fmt_num(r["value"]),
            f"{fmt_num(r['baseline'])} ({r['baseline_name']})", fmt_num(r["ratio"]),
            fmt_num(r["peer"]), r["target"], "" if r["met"] is None else
            ("met" if r["met"] else "MISSED"))


def print_table(rows: list[Row], info: dict[str, Any], mode: str) -> None:
    print(f"\nema-bench ({mode}) on {info.get('cpu', '?')}, {info['cpus']} CPUs, "
          f"Python {info['python']}, {info['platform']}")
    head = ("figure", "unit", "ours", "baseline", "ratio", "peer", "target", "met")
    body = [_cells(r) for r in rows]
    # a not-measured row's reason runs past the columns after "ours": it sets no width
    measured = [b for r, b in zip(rows, body, strict=True) if "not_measured" not in r]
    widths = [max(len(h), *(len(b[i]) for b in (body if i < 3 else measured)), 0)
              for i, h in enumerate(head)]
    group = None
    for r, line in zip(rows, body, strict=True):
        if r["group"] != group:
            group = r["group"]
            print(f"\n[{group}]")
            print("  ".join(h.ljust(w) for h, w in zip(head, widths, strict=True)).rstrip())
        print("  ".join(c.ljust(w) for c, w in zip(line, widths, strict=True)).rstrip())


def finite(obj: Any) -> Any:
    """JSON without NaN: a missing figure becomes null."""
    if isinstance(obj, float) and not math.isfinite(obj):
        return None
    if isinstance(obj, dict):
        return {k: finite(v) for k, v in obj.items()}
    if isinstance(obj, list):
        return [finite(v) for v in obj]
    return obj
