"""PROTOCOL.md carries the catalogue's tables as they are now, not as they were."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

from protocols import Codec, Command, CommandResult, ResultStatus
from protocols.auth import compute_mac, development_key
from protocols.auth import mac_input as command_mac_input
from protocols.seal import mac_input

ROOT = Path(__file__).resolve().parents[2]


def test_protocol_tables_match_the_catalogue() -> None:
    check = subprocess.run([sys.executable, "tools/gen_protocol_tables.py", "--check",
                            "PROTOCOL.md"],
                           cwd=ROOT, capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr


def _hexdumps(doc: str) -> list[bytes]:
    """The bytes of every hexdump block of the doc (`0000  86 a1 …   ascii`)."""
    blocks = re.findall(r"```\n((?:[0-9a-f]{4}  .*\n)+)```", doc)
    return [b"".join(bytes.fromhex(line[6:53]) for line in block.splitlines())
            for block in blocks]


def test_worked_examples_are_what_the_codec_writes() -> None:
    """§7's hexdumps and MAC inputs, rebuilt with the codec and the development key: a schema
    change that alters the bytes (a new `v`) shows up here, not in a reader's decoder."""
    codec, key = Codec(), development_key()
    sealer = key.sealer("ema-01")
    ep, ts = 1789999999000000, 1790000000000000
    sand = {"program": "SAND"}
    command = Command("set_terrain_program", "hmi-7", sand, 3, ts + 1000, ctr=ts + 1000,
                      mac=compute_mac(key.secret, "ema-01", "set_terrain_program", "hmi-7",
                                      ts + 1000, sand))
    expected = [
        codec.encode_state("drive", {"Vehicle.Speed": 12.5,
                                     "Vehicle.Powertrain.Transmission.SelectedGear": "D"},
                           seq=42, ts_us=ts, epoch=ep, sealer=sealer),
        mac_input("ema-01", "state/drive", ep, 42, ts, [[1, 12.5], [2, 3]]),
        codec.encode_status(True, seq=2, ts_us=ep + 1500, epoch=ep, sealer=sealer, will_seq=1),
        codec.encode_status(False, seq=1, ts_us=ep, epoch=ep, sealer=sealer, will_seq=1),
        codec.encode_command(command),
        codec.encode_result(CommandResult("hmi-7", "set_terrain_program", ResultStatus.ACCEPTED,
                                          None, "", 43, ts + 2000, epoch=ep), sealer=sealer),
        codec.encode_result(CommandResult("hmi-8", "set_terrain_program", ResultStatus.REJECTED,
                                          "speed_too_high", "Slow down first.", 45, ts + 2000,
                                          epoch=ep), sealer=sealer),
    ]
    doc = (ROOT / "PROTOCOL.md").read_text(encoding="utf-8")
    assert _hexdumps(doc) == expected
    assert mac_input("ema-01", "state/drive", ep, 42, ts, [[1, 12.5], [2, 3]]).hex() in doc
    assert command_mac_input("ema-01", "set_terrain_program", "hmi-7", ts + 1000,
                             sand).hex() in doc
