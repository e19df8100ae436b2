"""The owner's vehicle as built: the options, and the physics each of them changes.

A VehicleConfiguration is what the customer ordered (pack, paint, wheels, racks, seats); a
VehicleSpec is what the physics needs. `spec_for` is the one pure function from the first to
the second, so every figure below is applied in one place and the default configuration's spec
is DEFAULT_SPEC (defined here: one truth). The base car, the unoptioned 85 kWh one on
standard wheels, is VehicleSpec's defaults (spec.BASE_SPEC).

The figures are estimates for a compact, upright, boxy electric off-roader; each one carries
its source or reasoning. Paint, roof colour and decals change nothing physical: a paint
layer weighs grams and a decal's edge is far inside the boundary layer.

The enums are the model's own; their member names are the catalogue's vocabularies
(protocols/catalogue.toml [enums] Paint, RoofColour, DecalPack, WheelPackage, RoofRack), which
tests/sim/test_sim_configuration.py checks.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, replace
from typing import Any

from .environment import Surface
from .spec import BASE_SPEC, VehicleSpec
from .units import JOULES_PER_KWH


class Paint(enum.Enum):
    """Body paint, named as the maker's palette."""

    GLACIER_WHITE = "GLACIER_WHITE"
    EIGER_GREY = "EIGER_GREY"
    SANTORINI_BLACK = "SANTORINI_BLACK"
    KESWICK_GREEN = "KESWICK_GREEN"
    PANGEA_GREEN = "PANGEA_GREEN"
    TASMAN_BLUE = "TASMAN_BLUE"
    SEDONA_ORANGE = "SEDONA_ORANGE"
    GONDWANA_STONE = "GONDWANA_STONE"


class RoofColour(enum.Enum):
    """The roof: the body's colour or a contrast colour."""

    BODY_COLOUR = "BODY_COLOUR"
    NARVIK_BLACK = "NARVIK_BLACK"
    GLACIER_WHITE = "GLACIER_WHITE"
    EIGER_GREY = "EIGER_GREY"


class DecalPack(enum.Enum):
    """Decals on the body sides and bonnet."""

    NONE = "NONE"
    TRAIL_STRIPE = "TRAIL_STRIPE"
    TOPO_LINES = "TOPO_LINES"
    HERITAGE_NUMERAL = "HERITAGE_NUMERAL"


class WheelPackage(enum.Enum):
    """Wheels and tyres, fitted as a set (the spare matches them)."""

    STANDARD_20 = "STANDARD_20"
    ROAD_22 = "ROAD_22"
    ALL_TERRAIN_20 = "ALL_TERRAIN_20"


class RoofRack(enum.Enum):
    """Roof rack: none, an empty platform rack, or the rack with a load on it."""

    NONE = "NONE"
    RACK = "RACK"
    RACK_LOADED = "RACK_LOADED"


PACK_SIZES_KWH = (70.0, 80.0, 85.0, 90.0)
"""Usable pack energies the platform carries: 70, 80 or 90 kWh, and 85 kWh by default."""

BASE_PACK_KWH = 85.0


@dataclass(frozen=True, slots=True)
class VehicleConfiguration:
    """One car as built. The defaults are the default configuration (vehicles/default.toml).

    The default has the jump seat fitted: the prototype has always had it (the showcase
    scenario seats someone in Row1.Middle and the cabin shows six seats), so the default car
    stays the car every earlier figure and golden was recorded on. It is still an option with
    a range cost like the others: its base choice is "not fitted".
    """

    name: str = "default"
    description: str = ""
    pack_kWh: float = BASE_PACK_KWH
    paint: Paint = Paint.GLACIER_WHITE
    roof_colour: RoofColour = RoofColour.BODY_COLOUR
    decal_pack: DecalPack = DecalPack.NONE
    wheels: WheelPackage = WheelPackage.STANDARD_20
    wheelarch_extensions: bool = False
    roof_rack: RoofRack = RoofRack.NONE
    spare_wheel: bool = False
    jump_seat: bool = True


DEFAULT_CONFIGURATION = VehicleConfiguration()

OPTION_FIELDS: dict[str, str] = {
    "Wheels": "wheels",
    "RoofRack": "roof_rack",
    "WheelArchExtensions": "wheelarch_extensions",
    "SpareWheel": "spare_wheel",
    "JumpSeat": "jump_seat",
}
"""Option that costs range (the catalogue's RangeCost.<leaf>) -> its configuration field."""

BASE_CHOICES: dict[str, Any] = {
    "wheels": WheelPackage.STANDARD_20,
    "roof_rack": RoofRack.NONE,
    "wheelarch_extensions": False,
    "spare_wheel": False,
    "jump_seat": False,
}
"""The unoptioned car: what each option is set back to when its cost is measured."""


def fitted_options(config: VehicleConfiguration) -> tuple[str, ...]:
    """The options (OPTION_FIELDS keys) this car has away from their base choice."""
    return tuple(option for option, name in OPTION_FIELDS.items()
                 if getattr(config, name) != BASE_CHOICES[name])


def without(config: VehicleConfiguration, *options: str) -> VehicleConfiguration:
    """The same car (same pack) with the given options set back to their base choice."""
    return replace(config, **{OPTION_FIELDS[o]: BASE_CHOICES[OPTION_FIELDS[o]] for o in options})


def unoptioned(config: VehicleConfiguration) -> VehicleConfiguration:
    """The same pack with every option at its base choice."""
    return without(config, *OPTION_FIELDS)


# --- Wheels and tyres ------------------------------------------------------------------------

@dataclass(frozen=True, slots=True)
class WheelSet:
    """One wheel package's geometry, mass and rolling resistance.

    rolling_radius_m: the dynamic rolling radius (distance per revolution / 2 pi), about 0.945
        of the unloaded radius for a loaded passenger tyre at road pressure.
    corner_mass_kg: rim + tyre, one corner.
    crr_factor: rolling resistance against the standard tyre on hard ground.
    """

    rim_diameter_m: float
    tyre_diameter_m: float
    rolling_radius_m: float
    corner_mass_kg: float
    crr_factor: float


INCH_M = 0.0254

WHEEL_SETS: dict[WheelPackage, WheelSet] = {
    # 255/60 R20 touring all-season on a cast 20" alloy: 0.508 + 2 x 0.153 = 0.814 m; rolling
    # radius 0.385 m (the prototype's). Alloy ~13 kg + tyre ~14 kg.
    WheelPackage.STANDARD_20: WheelSet(20 * INCH_M, 0.814, 0.385, 27.0, 1.0),
    # 275/45 R22 road tyre on a 22" alloy: 0.559 + 2 x 0.124 = 0.806 m, rolling radius 0.381 m.
    # Larger rim and wider tyre: alloy ~15.5 kg + tyre ~15 kg (+3.5 kg a corner). Crr +5 %:
    # the wider, grippier tread's hysteresis outweighs the stiffer low sidewall (EU tyre-label
    # classes of 22" SUV fitments sit about one class, 5-10 %, below the 20" touring tyre).
    WheelPackage.ROAD_22: WheelSet(22 * INCH_M, 0.806, 0.381, 30.5, 1.05),
    # 265/65 R20 all-terrain, light-truck construction: 0.508 + 2 x 0.172 = 0.853 m, rolling
    # radius 0.403 m. Tyre ~21 kg + stronger alloy ~14 kg (+8 kg a corner). Crr +30 % on hard
    # ground: deep open tread blocks and stiffer carcasses measure 20-35 % above touring tyres
    # (e.g. Consumer Reports / tyre-label class E-F against B-C).
    WheelPackage.ALL_TERRAIN_20: WheelSet(20 * INCH_M, 0.853, 0.403, 35.0, 1.30),
}

HARD_SURFACES = frozenset({Surface.TARMAC, Surface.GRAVEL, Surface.ROCK})
"""Where the tyre's own hysteresis sets the rolling resistance, so the tyre's factor applies.
On soft ground (grass, snow, mud, sand, water) the ground's deformation dominates and the
per-surface figure stands for every tyre."""

ROTATING_SHARE = 0.65
"""Equivalent translational mass of a wheel's rotation per kg of wheel: I/r^2 with most of
the mass (tyre, rim barrel) near the rim, radius of gyration ~0.8 r (0.8^2 = 0.64)."""


# --- Body options -----------------------------------------------------------------------------

ROOF_RACK_DRAG_AREA_M2: dict[RoofRack, float] = {
    RoofRack.NONE: 0.0,
    # An empty platform rack with bars and side rails: +0.05-0.1 m2 of Cd*A (wind-tunnel
    # figures for crossbars and platforms; Chen & Meier 2016, Energy Policy 96, find racks
    # cost 1-2 % of consumption at urban speeds, more on the motorway). 0.07 m2.
    RoofRack.RACK: 0.07,
    # The rack with a load (bags, a box or jerry cans, ~0.4 m2 of blunt frontal area at a Cd
    # of ~0.5 above the roof's flow): a loaded rack or roof box adds 0.15-0.3 m2. 0.20 m2.
    RoofRack.RACK_LOADED: 0.20,
}

ROOF_RACK_MASS_KG: dict[RoofRack, float] = {
    RoofRack.NONE: 0.0,
    RoofRack.RACK: 40.0,  # aluminium expedition platform with its feet: 30-45 kg
    RoofRack.RACK_LOADED: 100.0,  # the rack + 60 kg of load (dynamic roof limits: 75-100 kg)
}

WHEELARCH_DRAG_AREA_M2 = 0.02
"""Extensions widen each side by ~35 mm over the wheels: ~0.03 m2 of frontal area, blunt
(Cd ~0.6) but partly in the wheels' own wake: ~0.02 m2 of drag area."""
WHEELARCH_MASS_KG = 8.0
"""Four ABS mouldings (~1.5 kg each) and their fixings."""

SPARE_WHEEL_DRAG_AREA_M2 = 0.015
"""A wheel on the tailgate sits in the boxy body's separated wake, where it disturbs the base
pressure only a little: 0.01-0.02 m2."""
SPARE_CARRIER_MASS_KG = 8.0
"""The tailgate carrier and its hinge reinforcement, on top of the wheel (the fitted set's)."""

JUMP_SEAT_MASS_KG = 14.0
"""A folding front-middle seat with its integral belt and frame: 12-18 kg."""

# --- Pack ------------------------------------------------------------------------------------

PACK_KG_PER_KWH = 6.5
"""Pack mass per kWh of usable energy, changing the pack at the same platform: modern packs
reach 150-170 Wh/kg at pack level (cells ~250-280 Wh/kg, ~60-65 % cell-to-pack mass), i.e.
5.9-6.7 kg/kWh; the housing is shared by every size, so the marginal figure is at the lean
end of a whole-pack average."""

# --- The configured spec ---------------------------------------------------------------------
# The base car (85 kWh, standard wheels, no options) is VehicleSpec's defaults (BASE_SPEC); the
# options are applied on top of it.


def option_mass_kg(config: VehicleConfiguration) -> float:
    """Mass the configuration adds to the base car (negative for a smaller pack)."""
    wheels = WHEEL_SETS[config.wheels]
    standard = WHEEL_SETS[WheelPackage.STANDARD_20]
    mass = (config.pack_kWh - BASE_PACK_KWH) * PACK_KG_PER_KWH
    mass += 4 * (wheels.corner_mass_kg - standard.corner_mass_kg)
    mass += ROOF_RACK_MASS_KG[config.roof_rack]
    mass += WHEELARCH_MASS_KG if config.wheelarch_extensions else 0.0
    mass += wheels.corner_mass_kg + SPARE_CARRIER_MASS_KG if config.spare_wheel else 0.0
    mass += JUMP_SEAT_MASS_KG if config.jump_seat else 0.0
    return mass


def drag_area_increment_m2(config: VehicleConfiguration) -> float:
    """Drag area (Cd*A) the add-ons put on top of the body's own."""
    area = ROOF_RACK_DRAG_AREA_M2[config.roof_rack]
    area += WHEELARCH_DRAG_AREA_M2 if config.wheelarch_extensions else 0.0
    area += SPARE_WHEEL_DRAG_AREA_M2 if config.spare_wheel else 0.0
    return area


def rolling_resistance(wheels: WheelPackage) -> tuple[tuple[Surface, float], ...]:
    """Crr per surface on this wheel package (the tyre's factor on hard ground only)."""
    factor = WHEEL_SETS[wheels].crr_factor
    return tuple((s, crr * factor if s in HARD_SURFACES else crr)
                 for s, crr in BASE_SPEC.rolling_resistance)


def spec_for(config: VehicleConfiguration) -> VehicleSpec:
    """The physics of this car: the base spec with what each option really changes."""
    wheels = WHEEL_SETS[config.wheels]
    mass = BASE_SPEC.mass_kg + option_mass_kg(config)
    standard = WHEEL_SETS[WheelPackage.STANDARD_20]
    extra_wheel_kg = 4 * (wheels.corner_mass_kg - standard.corner_mass_kg)
    pack_ratio = config.pack_kWh / BASE_PACK_KWH
    return replace(
        BASE_SPEC,
        mass_kg=mass,
        rotating_mass_factor=(BASE_SPEC.rotating_mass_factor
                              + ROTATING_SHARE * extra_wheel_kg / mass),
        drag_area_increment_m2=drag_area_increment_m2(config),
        wheel_radius_m=wheels.rolling_radius_m,
        rolling_resistance=rolling_resistance(config.wheels),
        usable_energy_J=config.pack_kWh * JOULES_PER_KWH,
        # More cells in parallel: lower resistance; more cell mass: more heat capacity.
        pack_resistance_ohm=BASE_SPEC.pack_resistance_ohm / pack_ratio,
        pack_heat_capacity_J_per_K=BASE_SPEC.pack_heat_capacity_J_per_K * pack_ratio,
        has_jump_seat=config.jump_seat,
    )


DEFAULT_SPEC = spec_for(DEFAULT_CONFIGURATION)
"""The prototype's vehicle: the default configuration's spec (the one truth of both)."""
