#!/usr/bin/env python3
"""Print PROTOCOL.md's tables (frames, signals, enums, commands, results) from the catalogue.

    python tools/gen_protocol_tables.py                     print every table
    python tools/gen_protocol_tables.py --section signals   print one table
    python tools/gen_protocol_tables.py --check PROTOCOL.md   exit 1 if the doc's tables are stale
    python tools/gen_protocol_tables.py --update PROTOCOL.md  rewrite the doc's tables in place

In the doc each table sits between `<!-- BEGIN GENERATED: NAME -->` and
`<!-- END GENERATED: NAME -->`. Uses only the standard library and `protocols`.
"""

from __future__ import annotations

import argparse
import re
import sys
import tomllib
from collections.abc import Callable
from pathlib import Path
from typing import Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from protocols.catalogue import (  # noqa: E402
    Catalogue,
    DataType,
    ValueSpec,
    default_catalogue_path,
    load_catalogue,
)

BLOCK = re.compile(r"(<!-- BEGIN GENERATED: (\w+) -->\n)(.*?)(<!-- END GENERATED: \2 -->)", re.S)


def cell(text: object) -> str:
    return str(text).replace("|", "\\|").replace("\n", " ")


def row(*cells: object) -> str:
    return "| " + " | ".join(str(c) for c in cells) + " |"


def header(*names: str) -> list[str]:
    return [row(*names), row(*["---"] * len(names))]


def value_range(value: ValueSpec, enum_name: str | None = None) -> str:
    if value.type is DataType.ENUM:
        return f"enum `{enum_name}`" if enum_name else "enum"
    if value.type is DataType.BOOL:
        return "false / true"
    return f"{value.min!r} … {value.max!r}"


def default_text(value: ValueSpec, default: Any) -> str:
    if value.type is DataType.BOOL:
        return "true" if default else "false"
    if value.type is DataType.ENUM:
        return f"{default} ({value.choices.index(default)})"
    return repr(default)


def raw_catalogue() -> dict[str, Any]:
    """The catalogue file as parsed TOML: it keeps the enum names the built catalogue drops."""
    with open(default_catalogue_path(), "rb") as handle:
        return tomllib.load(handle)


def frames_table(catalogue: Catalogue) -> str:
    lines = header("frame", "topic level", "rate (Hz)", "period (s)", "stale after (s)",
                   "signals", "ids", "carries")
    for frame in catalogue.frames.values():
        ids = sorted(s.id for s in frame.signals)
        contiguous = ids == list(range(ids[0], ids[-1] + 1))
        id_text = f"{ids[0]}–{ids[-1]}" if contiguous else ", ".join(map(str, ids))
        lines.append(row(f"`{frame.name}`", f"`state/{frame.name}`", repr(frame.rate_hz),
                         repr(frame.period_s), repr(frame.stale_after_s), len(ids), id_text,
                         cell(frame.description)))
    return "\n".join(lines)


def signals_table(catalogue: Catalogue) -> str:
    enum_names = {entry["path"]: entry["enum"]
                  for entry in raw_catalogue().get("signals", []) if "enum" in entry}
    lines = header("id", "path", "frame", "type", "unit", "range / values", "default",
                   "stale (s)", "description")
    for spec in sorted(catalogue.signals.values(), key=lambda s: s.id):
        lines.append(row(spec.id, f"`{spec.path}`", spec.frame, spec.type.value,
                         cell(spec.unit or ""), value_range(spec.value, enum_names.get(spec.path)),
                         default_text(spec.value, spec.default), repr(spec.stale_after_s),
                         cell(spec.description)))
    return "\n".join(lines)


def enums_table(catalogue: Catalogue) -> str:
    width = max(len(values) for values in catalogue.enums.values())
    lines = header("enum (wire index →)", *map(str, range(width)))
    for name, values in catalogue.enums.items():
        lines.append(row(f"`{name}`", *[f"`{v}`" for v in values], *[""] * (width - len(values))))
    return "\n".join(lines)


def commands_table(catalogue: Catalogue) -> str:
    enum_names = {(command, arg): spec["enum"]
                  for command, body in raw_catalogue().get("commands", {}).items()
                  for arg, spec in body.get("args", {}).items() if "enum" in spec}
    lines = header("command (topic)", "argument", "type", "unit",
                   "range / values (names on the wire)", "description")
    for command in catalogue.commands.values():
        topic = f"`{'cmd' if command.scope == 'vehicle' else 'sim'}/{command.name}`"
        if not command.args:
            lines.append(row(topic, "(none)", "", "", "", cell(command.description)))
        for index, (arg_name, value) in enumerate(command.args.items()):
            if value.type is DataType.ENUM:
                allowed = (f"`{enum_names[(command.name, arg_name)]}`: "
                           + ", ".join(f'"{choice}"' for choice in value.choices))
            else:
                allowed = value_range(value)
            first = index == 0
            lines.append(row(topic if first else "", f"`{arg_name}`",
                             value.type.value, cell(value.unit or ""), allowed,
                             cell(command.description) if first else ""))
    return "\n".join(lines)


def results_table(catalogue: Catalogue) -> str:
    return "\n".join([
        *header("field", "allowed strings"),
        row("`status`", ", ".join(f"`{status}`" for status in catalogue.result_statuses)),
        row("`reason`", ", ".join(f"`{reason}`" for reason in catalogue.result_reasons)),
    ])


SECTIONS: dict[str, Callable[[Catalogue], str]] = {
    "frames": frames_table,
    "signals": signals_table,
    "enums": enums_table,
    "commands": commands_table,
    "results": results_table,
}


def render(catalogue: Catalogue, name: str) -> str:
    return SECTIONS[name](catalogue) + "\n"


def refresh(text: str, catalogue: Catalogue) -> str:
    def replace(match: re.Match[str]) -> str:
        name = match.group(2)
        if name not in SECTIONS:
            raise SystemExit(f"unknown generated section {name!r}")
        return match.group(1) + render(catalogue, name) + match.group(4)
    return BLOCK.sub(replace, text)


def check_or_update(path: Path, catalogue: Catalogue, update: bool) -> int:
    text = path.read_text(encoding="utf-8")
    missing = sorted(set(SECTIONS) - {m.group(2) for m in BLOCK.finditer(text)})
    if missing:
        print(f"{path}: no generated block for {', '.join(missing)}", file=sys.stderr)
        return 1
    fresh = refresh(text, catalogue)
    if fresh == text:
        return 0
    if update:
        path.write_text(fresh, encoding="utf-8")
        return 0
    print(f"{path}: generated tables differ from the catalogue; run --update", file=sys.stderr)
    return 1


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--section", choices=sorted(SECTIONS), help="print only this table")
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--check", metavar="DOC", help="exit 1 if DOC's generated tables are stale")
    group.add_argument("--update", metavar="DOC", help="rewrite DOC's generated tables in place")
    args = parser.parse_args(argv)
    catalogue = load_catalogue()
    if args.check or args.update:
        return check_or_update(Path(args.check or args.update), catalogue, bool(args.update))
    if args.section:
        print(render(catalogue, args.section), end="")
        return 0
    for name in SECTIONS:
        print(f"<!-- BEGIN GENERATED: {name} -->\n{render(catalogue, name)}"
              f"<!-- END GENERATED: {name} -->\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
