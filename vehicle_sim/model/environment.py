"""The world around the vehicle: surface, slopes, water and air temperature.

The scenario runner produces an Environment for every step; the model only reads
it.  Surface grip properties live here (not in the vehicle spec) because they
describe the ground, whereas rolling resistance per surface also depends on the
tyre and therefore belongs to VehicleSpec.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType


class Surface(enum.Enum):
    """Ground the tyres are on."""

    TARMAC = "TARMAC"
    GRAVEL = "GRAVEL"
    GRASS = "GRASS"
    SNOW = "SNOW"
    MUD = "MUD"
    SAND = "SAND"
    ROCK = "ROCK"
    WATER = "WATER"


@dataclass(frozen=True, slots=True)
class SurfaceGrip:
    """Grip characteristics of a surface.

    peak_friction: tyre/ground friction coefficient at the optimal slip.
    optimal_slip: slip ratio at which the surface gives its peak traction; loose
        surfaces (sand, mud) need more wheel slip, which is why off-road programs
        relax traction control.
    open_diff_factor: share of an axle's traction an open differential can use on
        this surface; uneven ground unloads one wheel and an open diff then sends
        torque to the wheel with least grip.  A locked axle uses all of it.
    """

    peak_friction: float
    optimal_slip: float
    open_diff_factor: float


SURFACE_GRIP: Mapping[Surface, SurfaceGrip] = MappingProxyType(
    {
        Surface.TARMAC: SurfaceGrip(0.90, 0.08, 1.00),
        Surface.GRAVEL: SurfaceGrip(0.60, 0.12, 0.95),
        Surface.GRASS: SurfaceGrip(0.45, 0.12, 0.90),
        Surface.SNOW: SurfaceGrip(0.30, 0.12, 0.90),
        Surface.MUD: SurfaceGrip(0.35, 0.25, 0.75),
        Surface.SAND: SurfaceGrip(0.50, 0.30, 0.85),
        Surface.ROCK: SurfaceGrip(0.70, 0.10, 0.55),
        Surface.WATER: SurfaceGrip(0.40, 0.15, 0.80),
    }
)

OFF_ROAD_SURFACES = frozenset(
    {
        Surface.GRAVEL,
        Surface.GRASS,
        Surface.SNOW,
        Surface.MUD,
        Surface.SAND,
        Surface.ROCK,
        Surface.WATER,
    }
)


@dataclass(frozen=True, slots=True)
class Environment:
    """Conditions under the vehicle for one step.

    grade_rad: road angle along the direction the vehicle faces; positive = nose up
        (climbing when driving forward).
    side_slope_rad: road angle across the vehicle; positive = right side lower.
    water_depth_m: water depth at the vehicle (0 = dry).
    ambient_c: outside air temperature.
    front_grip / rear_grip: extra multipliers on the surface friction under each
        axle, so a scenario can put one axle on ice or a slick rock.
    """

    surface: Surface = Surface.TARMAC
    grade_rad: float = 0.0
    side_slope_rad: float = 0.0
    water_depth_m: float = 0.0
    ambient_c: float = 23.0
    front_grip: float = 1.0
    rear_grip: float = 1.0
