"""What the HMI calls each catalogue value: the one table of display texts for vocabularies.

The values themselves (terrain programs, gears, ride heights, charging states, axles, command
reason codes) come from the catalogue (`protocols/catalogue.toml`); only their English display
texts live here, keyed by catalogue enum name and value. Each text is a msgid: it is shown
through `hmi.i18n.tr`, so a translation replaces it without this table changing.
tests/hmi/test_labels.py checks that every value of every catalogue enum the HMI shows, and
every reason code, has a text here, so a value added to the catalogue without one fails there.
"""

from __future__ import annotations

from collections.abc import Mapping

from protocols import Catalogue, load_catalogue

from .i18n import N_, tr

# Catalogue enum name -> value -> English text. `Axle` is shown only as its locker's button.
ENUM_LABELS: Mapping[str, Mapping[str, str]] = {
    "TerrainProgram": {
        "AUTO": N_("Auto"), "COMFORT": N_("Comfort"), "ECO": N_("Eco"),
        "GRASS_GRAVEL_SNOW": N_("Grass Gravel Snow"), "MUD_RUTS": N_("Mud & Ruts"),
        "SAND": N_("Sand"), "ROCK_CRAWL": N_("Rock Crawl"), "WADE": N_("Wade"),
    },
    "Gear": {"P": N_("P"), "R": N_("R"), "N": N_("N"), "D": N_("D")},
    "ProgramChangeState": {
        "IDLE": N_("Idle"), "REQUESTED": N_("Requested"), "ENGAGING": N_("Engaging"),
        "ACTIVE": N_("Active"), "REFUSED": N_("Refused"),
    },
    "TractionControlMode": {
        "NORMAL": N_("TC NORMAL"), "REDUCED": N_("TC REDUCED"), "OFF": N_("TC OFF"),
    },
    "RideHeightLevel": {
        "ACCESS": N_("Access"), "NORMAL": N_("Normal"), "OFF_ROAD": N_("Off-road"),
        "EXTENDED": N_("Extended"),
    },
    "ChargingState": {
        "DISCONNECTED": N_("Not plugged in"), "CONNECTED": N_("Plugged in"),
        "CHARGING": N_("Charging"), "COMPLETE": N_("Charge complete"),
        "FAULT": N_("Charging fault"),
    },
    "ChargingType": {"NONE": "", "AC": N_("AC"), "DC": N_("DC")},
    "Axle": {"FRONT": N_("Front locker"), "REAR": N_("Rear locker")},
    "Paint": {
        "GLACIER_WHITE": N_("Glacier White"), "EIGER_GREY": N_("Eiger Grey"),
        "SANTORINI_BLACK": N_("Santorini Black"), "KESWICK_GREEN": N_("Keswick Green"),
        "PANGEA_GREEN": N_("Pangea Green"), "TASMAN_BLUE": N_("Tasman Blue"),
        "SEDONA_ORANGE": N_("Sedona Orange"), "GONDWANA_STONE": N_("Gondwana Stone"),
    },
    "RoofColour": {
        "BODY_COLOUR": N_("Body-colour roof"), "NARVIK_BLACK": N_("Narvik Black roof"),
        "GLACIER_WHITE": N_("Glacier White roof"), "EIGER_GREY": N_("Eiger Grey roof"),
    },
    "DecalPack": {
        "NONE": N_("No decals"), "TRAIL_STRIPE": N_("Trail Stripe decals"),
        "TOPO_LINES": N_("Topo Lines decals"), "HERITAGE_NUMERAL": N_("Heritage Numeral decals"),
    },
    "WheelPackage": {
        "STANDARD_20": N_("Standard 20-inch wheels"), "ROAD_22": N_("Road 22-inch wheels"),
        "ALL_TERRAIN_20": N_("All-terrain 20-inch tyres"),
    },
    "RoofRack": {"NONE": N_("No roof rack"), "RACK": N_("Roof rack"),
                 "RACK_LOADED": N_("Roof rack, loaded")},
    # Under an unavailable tile, why (SPEED_TOO_HIGH names its limit where the vehicle
    # publishes one: hmi/tiles.py).
    "ProgramAvailability": {
        "AVAILABLE": "", "SPEED_TOO_HIGH": N_("Slow down first"),
        "VEHICLE_CHARGING": N_("While charging"), "NOT_READY": N_("Vehicle not ready"),
    },
}

# Why a command did not happen, as the driver reads it: every catalogue reason code, plus the
# HMI's own (the command never reached the vehicle or was never answered: hmi/link.py).
LOCAL_REASONS = ("offline", "no_response", "busy")
REASON_TEXTS: Mapping[str, str] = {
    "speed_too_high": N_("Slow down first"),
    "not_allowed_in_program": N_("Not in this program"),
    "not_available": N_("Not available now"),
    "vehicle_charging": N_("Unplug charger first"),
    "vehicle_moving": N_("Stop the vehicle first"),
    "not_ready": N_("Vehicle not ready"),
    "invalid_argument": N_("Invalid request"),
    "unknown_command": N_("Not supported"),
    "duplicate_request": N_("Already requested"),
    "unauthorised": N_("Not authorised"),
    "replayed": N_("Request expired"),
    "superseded": N_("Replaced by newer request"),
    "internal_error": N_("Vehicle fault"),
    "offline": N_("Not connected"),
    "no_response": N_("No response"),
    "busy": N_("Too many requests, try again"),
}


SIMULATION_SIGNALS = "Vehicle.Ema.Simulation."   # a simulator about itself: the panel's


def shown_enums(catalogue: Catalogue | None = None) -> tuple[str, ...]:
    """The catalogue enums the HMI shows: every signal enum, and those of driver commands.

    Simulator-only enums (scenarios, injected faults, the scenario's notices of the
    Vehicle.Ema.Simulation signals) belong to the designer's panel."""
    catalogue = catalogue or load_catalogue()
    names = [enum for enum in catalogue.enums
             if any(spec.value.enum == enum and not spec.path.startswith(SIMULATION_SIGNALS)
                    for spec in catalogue.signals.values())]
    for command in catalogue.commands.values():
        if command.scope == "vehicle":
            names += [arg.enum for arg in command.args.values() if arg.enum]
    return tuple(dict.fromkeys(names))


def missing_texts(catalogue: Catalogue | None = None) -> list[str]:
    """Every catalogue value the HMI would show without a text of its own (should be none)."""
    catalogue = catalogue or load_catalogue()
    missing = [f"{enum}.{value}" for enum in shown_enums(catalogue)
               for value in catalogue.enum_values(enum)
               if value not in ENUM_LABELS.get(enum, {})]
    missing += [f"reason {reason}" for reason in (*catalogue.result_reasons, *LOCAL_REASONS)
                if not REASON_TEXTS.get(reason)]
    return missing


def enum_values(enum: str, catalogue: Catalogue | None = None) -> tuple[str, ...]:
    """The values of catalogue enum `enum` (signal or command enum), in catalogue order."""
    return (catalogue or load_catalogue()).enum_values(enum)


def enum_text(enum: str, value: object, fallback: str | None = None) -> str:
    """The display text of `value` of catalogue enum `enum`, translated.

    A value the table does not know (a newer vehicle's) is shown as `fallback`, or as itself
    made readable ("HIGH_RIDE" -> "High ride") rather than hidden."""
    if value is None:
        return "" if fallback is None else fallback
    name = str(value)
    msgid = ENUM_LABELS.get(enum, {}).get(name)
    if msgid is None:
        return fallback if fallback is not None else name.replace("_", " ").capitalize()
    return tr(msgid) if msgid else ""


def program_text(program: object) -> str:
    """The name of a terrain program as its tile and the drive screen show it ("" for none)."""
    return enum_text("TerrainProgram", program, fallback=str(program or ""))


def reason_text(reason: str | None, fallback: str = "") -> str:
    """Why a command was refused, for the driver; an unknown code is shown readable."""
    if reason is None:
        return fallback
    msgid = REASON_TEXTS.get(reason)
    if msgid is None:
        return fallback or reason.replace("_", " ")
    return tr(msgid)
