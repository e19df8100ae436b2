"""Vehicle configurations as data: the files, their checks, and what each option changes in the
spec (no rating drives here: tests/sim/test_sim_option_range.py drives the cycle)."""

from __future__ import annotations

import dataclasses

import pytest

from protocols import load_catalogue
from vehicle_sim.model import (
    BASE_SPEC,
    DEFAULT_CONFIGURATION,
    DEFAULT_SPEC,
    ConfigurationError,
    DecalPack,
    Gear,
    InitialConditions,
    Paint,
    RoofColour,
    RoofRack,
    Surface,
    Vehicle,
    VehicleConfiguration,
    WheelPackage,
    fitted_options,
    list_configurations,
    load_configuration,
    parse_configuration,
    spec_for,
)
from vehicle_sim.model.configuration import WHEEL_SETS
from vehicle_sim.model.vehicle_file import VEHICLE_DIR

BASE = DEFAULT_CONFIGURATION


def _good() -> dict:
    return {"name": "x", "pack_kWh": 85, "paint": "EIGER_GREY", "roof_colour": "BODY_COLOUR",
            "decal_pack": "NONE", "wheels": "STANDARD_20", "wheelarch_extensions": False,
            "roof_rack": "NONE", "spare_wheel": False, "jump_seat": True}


@pytest.mark.parametrize("enum_cls", [Paint, RoofColour, DecalPack, WheelPackage, RoofRack],
                         ids=lambda e: e.__name__)
def test_model_enums_are_the_catalogues_vocabularies(enum_cls):
    assert tuple(m.name for m in enum_cls) == tuple(load_catalogue().enum_values(enum_cls.__name__))


def test_shipped_configurations_are_the_catalogues_and_load():
    assert list_configurations() == sorted(load_catalogue().enum_values("VehicleConfiguration"))
    for name in list_configurations():
        assert load_configuration(name).name == name
        assert load_configuration(VEHICLE_DIR / f"{name}.toml") == load_configuration(name)


def test_the_default_file_is_the_default_configuration_and_its_spec_is_default_spec():
    assert dataclasses.replace(load_configuration("default"), description="") == BASE
    assert spec_for(load_configuration("default")) == DEFAULT_SPEC
    assert DEFAULT_SPEC.usable_energy_kWh == 85.0
    assert fitted_options(BASE) == ("JumpSeat",)  # the prototype's six seats


def test_the_shipped_cars_are_what_their_names_say():
    road, exp, her = (load_configuration(n) for n in ("road", "expedition", "heritage"))
    assert road.wheels is WheelPackage.ROAD_22 and road.pack_kWh == 90
    assert (exp.wheels, exp.roof_rack) == (WheelPackage.ALL_TERRAIN_20, RoofRack.RACK_LOADED)
    assert exp.spare_wheel and exp.wheelarch_extensions and exp.jump_seat
    assert her.roof_colour is not RoofColour.BODY_COLOUR and her.decal_pack is not DecalPack.NONE


def test_a_bad_file_lists_every_problem_at_once():
    data = {**_good(), "paint": "PINK", "pack_kWh": 75, "spare_wheel": "yes", "sunroof": True}
    del data["wheels"]
    with pytest.raises(ConfigurationError) as caught:
        parse_configuration(data, "bad.toml")
    problems = caught.value.problems
    assert len(problems) == 5, problems
    text = str(caught.value)
    assert "bad.toml" in text
    assert "unknown key 'sunroof'" in text
    assert "missing key 'wheels'" in text
    assert "'PINK' is not a Paint (one of GLACIER_WHITE" in text
    assert "pack_kWh: 75 is not a pack this platform carries (70, 80, 85, 90 kWh)" in text
    assert "spare_wheel: expected true or false, got 'yes'" in text


@pytest.mark.parametrize("key,value", [("pack_kWh", True), ("pack_kWh", "85"),
                                       ("jump_seat", 1), ("name", ""), ("wheels", 20)])
def test_wrong_types_are_refused(key, value):
    with pytest.raises(ConfigurationError, match=key):
        parse_configuration({**_good(), key: value})


def test_an_unknown_configuration_names_the_shipped_ones(tmp_path):
    with pytest.raises(ConfigurationError, match="shipped: default, expedition"):
        load_configuration("limousine")
    broken = tmp_path / "broken.toml"
    broken.write_text("name = ")
    with pytest.raises(ConfigurationError, match="broken.toml"):
        load_configuration(broken)


# --- What each option changes -----------------------------------------------------------------

def _spec(**options):
    return spec_for(dataclasses.replace(BASE, **options))


def test_paint_roof_and_decals_change_nothing_physical():
    dressed = _spec(paint=Paint.SEDONA_ORANGE, roof_colour=RoofColour.NARVIK_BLACK,
                    decal_pack=DecalPack.TRAIL_STRIPE)
    assert dressed == DEFAULT_SPEC


def test_tyres_change_rolling_resistance_and_mass_wheels_the_rolling_radius():
    at, road = _spec(wheels=WheelPackage.ALL_TERRAIN_20), _spec(wheels=WheelPackage.ROAD_22)
    base_crr = DEFAULT_SPEC.crr(Surface.TARMAC)
    assert 1.20 <= at.crr(Surface.TARMAC) / base_crr <= 1.35  # AT tyres: +20-35 % on tarmac
    assert 1.0 < road.crr(Surface.TARMAC) / base_crr < 1.10
    assert at.crr(Surface.SAND) == DEFAULT_SPEC.crr(Surface.SAND)  # soft ground: the ground's
    assert 20.0 <= at.mass_kg - DEFAULT_SPEC.mass_kg <= 45.0  # ~5-10 kg a corner
    assert at.rotating_mass_factor > DEFAULT_SPEC.rotating_mass_factor
    assert at.wheel_radius_m > DEFAULT_SPEC.wheel_radius_m > road.wheel_radius_m
    assert road.cda_m2 == at.cda_m2 == DEFAULT_SPEC.cda_m2
    for wheels in WHEEL_SETS.values():  # rim and tyre are consistent: ~0.945 of the radius
        assert 0.93 <= wheels.rolling_radius_m / (wheels.tyre_diameter_m / 2) <= 0.96
        assert wheels.rim_diameter_m < wheels.tyre_diameter_m


def test_racks_arches_and_spare_add_drag_area_and_mass_not_cd_or_frontal_area():
    rack, loaded = _spec(roof_rack=RoofRack.RACK), _spec(roof_rack=RoofRack.RACK_LOADED)
    arches, spare = _spec(wheelarch_extensions=True), _spec(spare_wheel=True)
    assert 0.05 <= rack.cda_m2 - DEFAULT_SPEC.cda_m2 <= 0.10  # an empty rack: 0.05-0.1 m2
    assert loaded.cda_m2 - rack.cda_m2 >= 0.05
    for spec in (rack, loaded, arches, spare):
        assert spec.cda_m2 > DEFAULT_SPEC.cda_m2 and spec.mass_kg > DEFAULT_SPEC.mass_kg
        assert (spec.drag_coefficient, spec.frontal_area_m2) == (
            DEFAULT_SPEC.drag_coefficient, DEFAULT_SPEC.frontal_area_m2)
    assert loaded.mass_kg > rack.mass_kg
    at_spare = _spec(spare_wheel=True, wheels=WheelPackage.ALL_TERRAIN_20)
    at_only = _spec(wheels=WheelPackage.ALL_TERRAIN_20)
    assert at_spare.mass_kg - at_only.mass_kg > spare.mass_kg - DEFAULT_SPEC.mass_kg  # it matches


def test_the_jump_seat_changes_mass_and_whether_the_seat_exists():
    without = _spec(jump_seat=False)
    assert without == dataclasses.replace(BASE_SPEC) and not without.has_jump_seat
    assert 10.0 <= DEFAULT_SPEC.mass_kg - without.mass_kg <= 20.0
    state = Vehicle(without, InitialConditions(), rated_consumption_J_per_m=600.0).snapshot()
    assert "Row1.Middle" not in state.body.seats_occupied


@pytest.mark.parametrize("kwh", [70.0, 80.0, 90.0])
def test_the_pack_changes_usable_energy_and_mass(kwh):
    spec = _spec(pack_kWh=kwh)
    assert spec.usable_energy_kWh == kwh
    per_kwh = (spec.mass_kg - DEFAULT_SPEC.mass_kg) / (kwh - 85.0)
    assert 5.5 <= per_kwh <= 7.5  # 150-170 Wh/kg at pack level


def test_a_configuration_is_hashable_and_frozen():
    assert hash(VehicleConfiguration()) == hash(BASE)
    with pytest.raises(dataclasses.FrozenInstanceError):
        BASE.pack_kWh = 90.0  # type: ignore[misc]


@pytest.mark.parametrize("name", ["road", "expedition", "heritage"])
def test_energy_is_conserved_on_optioned_cars(name, drive):
    """The pack's energy out equals the physical sinks for every shipped car, as for the
    default one (tests/sim/test_sim_energy.py)."""
    spec = spec_for(load_configuration(name))
    vehicle = Vehicle(spec, InitialConditions(soc=0.7, gear=Gear.D), seed=0,
                      rated_consumption_J_per_m=600.0)
    start = vehicle.battery.energy_J
    drive(vehicle, 30, target_kmh=100)
    drive(vehicle, 20, target_kmh=50)
    drive(vehicle, 10, brake=0.6)
    used = start - vehicle.battery.energy_J
    assert used > 1e6
    assert vehicle.ledger.accounted_pack_out_J() == pytest.approx(used, rel=1e-3)
