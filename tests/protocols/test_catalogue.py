"""The catalogue: the packaged one is complete and valid; bad definitions are refused."""

from __future__ import annotations

import copy
import tomllib

import pytest

from protocols import CatalogueError, DataType, load_catalogue
from protocols.catalogue import build_catalogue, default_catalogue_path

CATALOGUE = load_catalogue()


def raw_catalogue() -> dict:
    with open(default_catalogue_path(), "rb") as handle:
        return tomllib.load(handle)


REQUIRED_SIGNALS = [
    "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed",
    "Vehicle.Powertrain.TractionBattery.StateOfCharge.CurrentEnergy",
    "Vehicle.Powertrain.TractionBattery.NetCapacity",
    "Vehicle.Powertrain.TractionBattery.Temperature.Average",
    "Vehicle.Powertrain.TractionBattery.CurrentPower",
    "Vehicle.Powertrain.TractionBattery.Range",
    "Vehicle.Ema.Range.Rated",
    "Vehicle.Ema.Energy.Consumption.Instant",
    "Vehicle.Ema.Energy.Consumption.Rolling",
    "Vehicle.Speed",
    "Vehicle.Powertrain.Transmission.SelectedGear",
    "Vehicle.Powertrain.ElectricMotor.Row1.Power",
    "Vehicle.Powertrain.ElectricMotor.Row2.Power",
    "Vehicle.Ema.Drivetrain.Axle.Row1.Torque",
    "Vehicle.Ema.Drivetrain.Axle.Row2.Torque",
    "Vehicle.Powertrain.Transmission.TorqueDistribution",
    "Vehicle.Ema.Drivetrain.Axle.Row1.LockerRequested",
    "Vehicle.Powertrain.Transmission.DiffLockRearEngagement",
    "Vehicle.Ema.Chassis.TractionControl.Mode",
    "Vehicle.Ema.TerrainResponse.Program.Requested",
    "Vehicle.Ema.TerrainResponse.Program.Active",
    "Vehicle.Ema.TerrainResponse.Availability.RockCrawl",
    "Vehicle.Ema.Chassis.RideHeight.Target",
    "Vehicle.Ema.Chassis.RideHeight.Actual",
    "Vehicle.Ema.Chassis.Pitch",
    "Vehicle.Ema.Chassis.Roll",
    "Vehicle.Ema.Chassis.WadeDepth",
    "Vehicle.Ema.Charging.State",
    "Vehicle.Ema.Charging.Power",
    "Vehicle.Powertrain.TractionBattery.Charging.ChargeLimit",
    "Vehicle.Powertrain.TractionBattery.Charging.TimeToComplete",
    "Vehicle.Cabin.Door.Row2.PassengerSide.IsOpen",
    "Vehicle.Body.Trunk.Rear.IsOpen",
    "Vehicle.Cabin.Seat.Row1.Middle.IsBelted",
    "Vehicle.Cabin.Seat.Row2.Middle.IsBelted",
    "Vehicle.Chassis.Axle.Row2.Wheel.Right.Tire.Pressure",
    "Vehicle.TraveledDistance",
    "Vehicle.Ema.Trip.Distance",
    "Vehicle.Exterior.AirTemperature",
]


@pytest.mark.parametrize("path", REQUIRED_SIGNALS)
def test_required_signal_is_catalogued(path: str) -> None:
    assert path in CATALOGUE.signals


def test_five_seats_and_jump_seat_have_belts() -> None:
    belts = [p for p in CATALOGUE.signals if p.endswith(".IsBelted")]
    assert len(belts) == 6


@pytest.mark.parametrize("spec", list(CATALOGUE.signals.values()), ids=lambda s: s.path)
def test_every_signal_default_is_valid(spec) -> None:
    assert spec.value.check(spec.default) == spec.default
    assert spec.stale_after_s > 1.0 / spec.rate_hz


def test_frames_partition_the_signals() -> None:
    in_frames = [s.path for f in CATALOGUE.frames.values() for s in f.signals]
    assert sorted(in_frames) == sorted(CATALOGUE.signals)


def test_enum_signals_name_their_choices() -> None:
    program = CATALOGUE.signal("Vehicle.Ema.TerrainResponse.Program.Active")
    assert program.type is DataType.ENUM
    assert set(program.value.choices) == {"AUTO", "COMFORT", "ECO", "GRASS_GRAVEL_SNOW",
                                          "MUD_RUTS", "SAND", "ROCK_CRAWL", "WADE"}


def _first_signal(data: dict, path: str) -> dict:
    return next(s for s in data["signals"] if s["path"] == path)


def _mutate(signal_path: str, **changes):
    def apply(data: dict) -> None:
        entry = _first_signal(data, signal_path)
        for key, value in changes.items():
            if value is None:
                entry.pop(key, None)
            else:
                entry[key] = value
    return apply


def _duplicate_id(data: dict) -> None:
    data["signals"][1]["id"] = data["signals"][0]["id"]


def _duplicate_path(data: dict) -> None:
    data["signals"][1]["path"] = data["signals"][0]["path"]


def _empty_enum(data: dict) -> None:
    data["enums"]["Gear"] = []


def _duplicate_enum_value(data: dict) -> None:
    data["enums"]["Gear"] = ["P", "P"]


def _stale_shorter_than_period(data: dict) -> None:
    data["frames"]["drive"]["stale_after_s"] = 0.05


def _zero_rate(data: dict) -> None:
    data["frames"]["body"]["rate_hz"] = 0


def _bad_version(data: dict) -> None:
    data["schema_version"] = "1"


SPEED = "Vehicle.Speed"
GEAR = "Vehicle.Powertrain.Transmission.SelectedGear"
LIMIT = "Vehicle.Powertrain.TractionBattery.Charging.ChargeLimit"

BAD_DEFINITIONS = [
    ("default above max", _mutate(SPEED, default=80.0), "default"),
    ("default below min", _mutate(LIMIT, default=10), "default"),
    ("min not below max", _mutate(SPEED, min=70.0, max=0.0), "must be below"),
    ("float range for int", _mutate(LIMIT, min=50.5), "int values"),
    ("infinite max", _mutate(SPEED, max=float("inf")), "finite"),
    ("missing max", _mutate(SPEED, max=None), "needs min and max"),
    ("range on a bool", _mutate("Vehicle.Body.Trunk.Rear.IsOpen", min=0, max=1), "no min/max"),
    ("unknown type", _mutate(SPEED, type="double"), "unknown type"),
    ("unknown enum", _mutate(GEAR, enum="Gearbox"), "unknown enum"),
    ("enum default not a choice", _mutate(GEAR, default="S"), "default"),
    ("unknown frame", _mutate(SPEED, frame="chassis"), "unknown frame"),
    ("path not VSS style", _mutate(SPEED, path="vehicle.speed"), "VSS style"),
    ("id out of range", _mutate(SPEED, id=70000), "id must be"),
    ("duplicate id", _duplicate_id, "duplicate id"),
    ("duplicate path", _duplicate_path, "duplicate path"),
    ("empty enum", _empty_enum, "non-empty list"),
    ("duplicate enum value", _duplicate_enum_value, "duplicate values"),
    ("stale timeout shorter than a period", _stale_shorter_than_period, "longer than one period"),
    ("zero rate", _zero_rate, "rate_hz"),
    ("bad schema version", _bad_version, "schema_version"),
]


@pytest.mark.parametrize("case,mutate,message", BAD_DEFINITIONS,
                         ids=[c[0] for c in BAD_DEFINITIONS])
def test_bad_definition_is_refused(case: str, mutate, message: str) -> None:
    data = copy.deepcopy(raw_catalogue())
    mutate(data)
    with pytest.raises(CatalogueError, match=message):
        build_catalogue(data)


def test_good_definition_builds() -> None:
    assert build_catalogue(raw_catalogue()).signals.keys() == CATALOGUE.signals.keys()


# --- on_change frames ----------------------------------------------------------------------------
def test_only_the_configuration_frame_is_sent_on_change() -> None:
    """It holds what rarely changes, so a slow heartbeat keeps it fresh and a change goes out at
    once; every frame that changes by the moment keeps to its rate alone."""
    assert [f.name for f in CATALOGUE.frames.values() if f.on_change] == ["configuration"]
    configuration = CATALOGUE.frames["configuration"]
    assert (configuration.rate_hz, configuration.period_s, configuration.stale_after_s) == (
        0.2, 5.0, 15.0)


def test_on_change_defaults_to_false() -> None:
    data = copy.deepcopy(raw_catalogue())
    assert "on_change" not in data["frames"]["drive"]
    assert build_catalogue(data).frames["drive"].on_change is False


@pytest.mark.parametrize("flag", [True, False])
def test_on_change_is_read_as_given(flag: bool) -> None:
    data = copy.deepcopy(raw_catalogue())
    data["frames"]["body"]["on_change"] = flag
    assert build_catalogue(data).frames["body"].on_change is flag


@pytest.mark.parametrize("flag", ["true", 1, 0, 1.0, None, [], {}], ids=repr)
def test_non_bool_on_change_is_refused_with_a_clear_message(flag) -> None:
    """TOML has real booleans; a string or a number is a mistake, never read as truthy."""
    data = copy.deepcopy(raw_catalogue())
    data["frames"]["configuration"]["on_change"] = flag
    with pytest.raises(CatalogueError, match="frame configuration: on_change must be true or "
                                             "false"):
        build_catalogue(data)
