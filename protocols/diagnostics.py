"""The HMI's diagnostics channel: what the screen shows, on request a screenshot, test controls.

    ema/v1/{vehicle}/hmi/display      HMI -> tools, QoS 0, retained: {v, seq, ts, rid, display}
    ema/v1/{vehicle}/hmi/request      tools -> HMI, QoS 1:           {v, seq, ts, rid, what, target}
    ema/v1/{vehicle}/hmi/screenshot   HMI -> tools, QoS 1:           {v, seq, ts, rid, png, error}

A display report is larger than a state frame (about 10 KB for every figure on every screen), so
its decoder has its own, larger bounds (64 KiB, arrays allowed for the telltale list); it still
bounds every size and raises only DecodeError. A screenshot reply carries the PNG as msgpack bin.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Any

import msgpack

from .codec import MAX_RID_LEN, MAX_SEQ, unpack
from .errors import DecodeError, EncodeError

SCHEMA_VERSION = 1
CHANNEL_DISPLAY = "display"
CHANNEL_REQUEST = "request"
CHANNEL_SCREENSHOT = "screenshot"

MAX_DISPLAY_BYTES = 64 * 1024
MAX_DISPLAY_STR_LEN = 800
MAX_DISPLAY_MAP_LEN = 256
MAX_DISPLAY_ARRAY_LEN = 64
MAX_SCREENSHOT_BYTES = 8 * 1024 * 1024
MAX_TARGET_LEN = 64
MAX_ERROR_LEN = 200
PNG_MAGIC = b"\x89PNG\r\n\x1a\n"

#: what a request may ask; "tap" and "show" are test controls the HMI obeys only when enabled.
REQUESTS = ("display", "screenshot", "tap", "show")

DISPLAY_KEYS = frozenset({"v", "seq", "ts", "rid", "display"})
REQUEST_KEYS = frozenset({"v", "seq", "ts", "rid", "what", "target"})
SCREENSHOT_KEYS = frozenset({"v", "seq", "ts", "rid", "png", "error"})
#: keys every display snapshot has (more may follow in later HMI versions)
DISPLAY_REQUIRED: dict[str, type] = {"screen": str, "banner": dict, "telltales": list,
                                     "terrain_tiles": dict, "readouts": dict}
READOUT_REQUIRED: dict[str, type] = {"text": str, "unit": str, "stale": bool}


def _now_us() -> int:
    return time.time_ns() // 1000


@dataclass(frozen=True, slots=True)
class DisplayReport:
    """What the HMI showed at `ts`; `rid` is the request it answers ("" when sent on change)."""

    seq: int
    ts: int
    rid: str
    display: dict[str, Any] = field(default_factory=dict)

    def readout(self, name: str) -> dict[str, Any] | None:
        readout: dict[str, Any] | None = self.display.get("readouts", {}).get(name)
        return readout

    def telltale_names(self) -> list[str]:
        return [t.get("name", "") for t in self.display.get("telltales", [])]


@dataclass(frozen=True, slots=True)
class HmiRequest:
    rid: str
    what: str
    target: str = ""
    seq: int = 0
    ts: int = 0


@dataclass(frozen=True, slots=True)
class ScreenshotReply:
    rid: str
    png: bytes
    error: str = ""
    seq: int = 0
    ts: int = 0


# --- encoding ----------------------------------------------------------------------------------
def _pack(data: dict[str, Any]) -> bytes:
    packed: bytes = msgpack.packb(data, use_bin_type=True)
    return packed


def _seq(seq: Any) -> int:
    if isinstance(seq, bool) or not isinstance(seq, int) or not 0 <= seq <= MAX_SEQ:
        raise EncodeError(f"seq must be an integer 0..{MAX_SEQ}")
    return seq


def _rid(rid: Any, allow_empty: bool) -> str:
    if not isinstance(rid, str) or len(rid) > MAX_RID_LEN or (not rid and not allow_empty):
        raise EncodeError(f"rid must be a string of {0 if allow_empty else 1}..{MAX_RID_LEN}")
    return rid


def encode_display(display: dict[str, Any], seq: int, rid: str = "",
                   ts_us: int | None = None) -> bytes:
    payload = _pack({"v": SCHEMA_VERSION, "seq": _seq(seq), "ts": ts_us or _now_us(),
                     "rid": _rid(rid, True), "display": display})
    if len(payload) > MAX_DISPLAY_BYTES:
        raise EncodeError(f"display report of {len(payload)} bytes exceeds {MAX_DISPLAY_BYTES}")
    return payload


def encode_request(what: str, rid: str, seq: int, target: str = "",
                   ts_us: int | None = None) -> bytes:
    if what not in REQUESTS:
        raise EncodeError(f"request must be one of {', '.join(REQUESTS)}")
    if not isinstance(target, str) or len(target) > MAX_TARGET_LEN:
        raise EncodeError(f"target must be a string of at most {MAX_TARGET_LEN} characters")
    return _pack({"v": SCHEMA_VERSION, "seq": _seq(seq), "ts": ts_us or _now_us(),
                  "rid": _rid(rid, False), "what": what, "target": target})


def encode_screenshot(png: bytes, rid: str, seq: int, error: str = "",
                      ts_us: int | None = None) -> bytes:
    if len(png) > MAX_SCREENSHOT_BYTES:
        raise EncodeError(f"screenshot of {len(png)} bytes exceeds {MAX_SCREENSHOT_BYTES}")
    return _pack({"v": SCHEMA_VERSION, "seq": _seq(seq), "ts": ts_us or _now_us(),
                  "rid": _rid(rid, False), "png": bytes(png), "error": error[:MAX_ERROR_LEN]})


# --- decoding ----------------------------------------------------------------------------------
def _envelope(data: dict[Any, Any], keys: frozenset[str]) -> dict[str, Any]:
    if set(data) != keys:
        missing, extra = keys - set(data), set(data) - keys
        raise DecodeError(f"keys must be exactly {sorted(keys)} (missing {sorted(missing)}, "
                          f"extra {sorted(map(str, extra))})")
    if data["v"] != SCHEMA_VERSION or isinstance(data["v"], bool) or \
            not isinstance(data["v"], int):
        raise DecodeError(f"'v' must be {SCHEMA_VERSION}")
    for key in ("seq", "ts"):
        value = data[key]
        if isinstance(value, bool) or not isinstance(value, int) or not 0 <= value <= MAX_SEQ:
            raise DecodeError(f"'{key}' must be an integer 0..{MAX_SEQ}")
    rid = data["rid"]
    if not isinstance(rid, str) or len(rid) > MAX_RID_LEN:
        raise DecodeError(f"'rid' must be a string of at most {MAX_RID_LEN} characters")
    return data


def _refuse_ext(code: int, data: bytes) -> None:
    raise DecodeError(f"msgpack extension type {code} is not allowed")


def decode_display(payload: bytes) -> DisplayReport:
    """A display report, or DecodeError; bounded like the codec, with larger limits."""
    if not isinstance(payload, (bytes, bytearray, memoryview)):
        raise DecodeError(f"payload must be bytes, got {type(payload).__name__}")
    if not payload:
        raise DecodeError("empty payload")
    if len(payload) > MAX_DISPLAY_BYTES:
        raise DecodeError(f"payload of {len(payload)} bytes exceeds {MAX_DISPLAY_BYTES}")
    try:
        data = msgpack.unpackb(
            payload, raw=False, strict_map_key=True, use_list=True, ext_hook=_refuse_ext,
            max_str_len=MAX_DISPLAY_STR_LEN, max_bin_len=0, max_array_len=MAX_DISPLAY_ARRAY_LEN,
            max_map_len=MAX_DISPLAY_MAP_LEN, max_ext_len=0)
    except DecodeError:
        raise
    except Exception as error:  # msgpack raises many types; all mean "not a valid payload"
        raise DecodeError(f"not valid msgpack: {type(error).__name__}: {error}") from None
    if not isinstance(data, dict):
        raise DecodeError(f"payload must be a msgpack map, got {type(data).__name__}")
    data = _envelope(data, DISPLAY_KEYS)
    display = data["display"]
    if not isinstance(display, dict):
        raise DecodeError("'display' must be a map")
    for key, kind in DISPLAY_REQUIRED.items():
        if not isinstance(display.get(key), kind):
            raise DecodeError(f"display.{key} must be a {kind.__name__}")
    for name, readout in display["readouts"].items():
        if not isinstance(readout, dict):
            raise DecodeError(f"readout {name!r} must be a map")
        for key, kind in READOUT_REQUIRED.items():
            if not isinstance(readout.get(key), kind):
                raise DecodeError(f"readout {name!r}: {key} must be a {kind.__name__}")
    for telltale in display["telltales"]:
        if not isinstance(telltale, dict) or not isinstance(telltale.get("name"), str):
            raise DecodeError("every telltale must be a map with a string 'name'")
    for program, tile in display["terrain_tiles"].items():
        if not isinstance(tile, dict) or not isinstance(tile.get("state"), str):
            raise DecodeError(f"terrain tile {program!r} must be a map with a string 'state'")
    if not isinstance(display["banner"].get("visible"), bool):
        raise DecodeError("display.banner.visible must be a bool")
    return DisplayReport(data["seq"], data["ts"], data["rid"], display)


def decode_request(payload: bytes) -> HmiRequest:
    data = _envelope(unpack(payload), REQUEST_KEYS)
    if not data["rid"]:
        raise DecodeError("'rid' must not be empty")
    if data["what"] not in REQUESTS:
        raise DecodeError(f"'what' must be one of {', '.join(REQUESTS)}")
    target = data["target"]
    if not isinstance(target, str) or len(target) > MAX_TARGET_LEN:
        raise DecodeError(f"'target' must be a string of at most {MAX_TARGET_LEN} characters")
    return HmiRequest(data["rid"], data["what"], target, data["seq"], data["ts"])


def decode_screenshot(payload: bytes) -> ScreenshotReply:
    if not isinstance(payload, (bytes, bytearray, memoryview)) or not payload:
        raise DecodeError("payload must be non-empty bytes")
    if len(payload) > MAX_SCREENSHOT_BYTES + 1024:
        raise DecodeError(f"payload exceeds {MAX_SCREENSHOT_BYTES + 1024} bytes")
    try:
        data = msgpack.unpackb(payload, raw=False, strict_map_key=True, ext_hook=_refuse_ext,
                               max_str_len=MAX_DISPLAY_STR_LEN, max_bin_len=MAX_SCREENSHOT_BYTES,
                               max_array_len=0, max_map_len=16, max_ext_len=0)
    except DecodeError:
        raise
    except Exception as error:
        raise DecodeError(f"not valid msgpack: {type(error).__name__}: {error}") from None
    if not isinstance(data, dict):
        raise DecodeError("payload must be a msgpack map")
    data = _envelope(data, SCREENSHOT_KEYS)
    png, error_text = data["png"], data["error"]
    if not isinstance(png, bytes) or not isinstance(error_text, str):
        raise DecodeError("'png' must be bin and 'error' a string")
    if png and not png.startswith(PNG_MAGIC):
        raise DecodeError("'png' is not a PNG image")
    if not png and not error_text:
        raise DecodeError("an empty 'png' needs an 'error'")
    return ScreenshotReply(data["rid"], png, error_text, data["seq"], data["ts"])
