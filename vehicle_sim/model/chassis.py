"""Chassis and body: attitude, wading, doors/seats/belts, tyres, odometer.

Attitude and wade depth follow the scenario terrain directly (the model has no
suspension dynamics beyond ride height), which is what an inclinometer or wade
display needs.  Sign conventions: pitch positive = nose up; roll positive =
vehicle leaning to the right (right side lower).
"""

from __future__ import annotations

import enum
import random

from .ride_height import RideHeightLevel
from .rules import Decision, accept, refuse
from .spec import VehicleSpec
from .units import ATMOSPHERIC_PRESSURE_PA, GRAVITY_MPS2, kelvin

PITCH_RAD_PER_G = 0.025
"""Body pitch per g of longitudinal acceleration (rear squats under drive)."""
ROLL_GAIN = 0.08
"""Extra body roll on a side slope as the downhill springs compress."""
BOW_WAVE_M_PER_MPS = 0.03
"""Water rises ahead of the body as speed builds."""


class Door(enum.Enum):
    """Side doors, named VSS-style (Row / side)."""

    ROW1_DRIVER_SIDE = "Row1.DriverSide"
    ROW1_PASSENGER_SIDE = "Row1.PassengerSide"
    ROW2_DRIVER_SIDE = "Row2.DriverSide"
    ROW2_PASSENGER_SIDE = "Row2.PassengerSide"


class Seat(enum.Enum):
    """Seats; ROW1_MIDDLE is the optional jump seat between the front seats."""

    ROW1_DRIVER_SIDE = "Row1.DriverSide"
    ROW1_MIDDLE = "Row1.Middle"
    ROW1_PASSENGER_SIDE = "Row1.PassengerSide"
    ROW2_DRIVER_SIDE = "Row2.DriverSide"
    ROW2_MIDDLE = "Row2.Middle"
    ROW2_PASSENGER_SIDE = "Row2.PassengerSide"


class Wheel(enum.Enum):
    """Wheels, VSS Axle.RowN.Wheel.Left/Right."""

    ROW1_LEFT = "Row1.Left"
    ROW1_RIGHT = "Row1.Right"
    ROW2_LEFT = "Row2.Left"
    ROW2_RIGHT = "Row2.Right"


def body_pitch_rad(grade_rad: float, accel_mps2: float) -> float:
    """Pitch: the slope plus squat/dive from acceleration."""
    return grade_rad + PITCH_RAD_PER_G * accel_mps2 / GRAVITY_MPS2


def body_roll_rad(side_slope_rad: float) -> float:
    """Roll on a side slope, a little more than the slope itself."""
    return side_slope_rad * (1.0 + ROLL_GAIN)


def wade_depth_m(water_depth_m: float, speed_mps: float) -> float:
    """Water depth at the body's wade sensors, including the bow wave."""
    if water_depth_m <= 0.0:
        return 0.0
    return water_depth_m + BOW_WAVE_M_PER_MPS * abs(speed_mps)


def wade_limit_m(spec: VehicleSpec, ride_height_m: float) -> float:
    """Maximum wade depth at the current ride height (the spec's figure at EXTENDED)."""
    return spec.wade_limit_m - (RideHeightLevel.EXTENDED.clearance_m - ride_height_m)


class Body:
    """Doors, tailgate, seat occupancy and belts."""

    __slots__ = ("belted", "doors_open", "occupied", "seats", "tailgate_open")

    def __init__(self, has_jump_seat: bool = True) -> None:
        self.seats: tuple[Seat, ...] = tuple(
            s for s in Seat if has_jump_seat or s is not Seat.ROW1_MIDDLE
        )
        self.doors_open: dict[Door, bool] = {d: False for d in Door}
        self.tailgate_open = False
        self.occupied: dict[Seat, bool] = {s: False for s in self.seats}
        self.belted: dict[Seat, bool] = {s: False for s in self.seats}

    def set_door(self, door: Door, is_open: bool) -> Decision:
        """Open or close a side door."""
        self.doors_open[door] = is_open
        return accept()

    def set_tailgate(self, is_open: bool) -> Decision:
        """Open or close the side-opening tailgate."""
        self.tailgate_open = is_open
        return accept()

    def set_occupant(self, seat: Seat, present: bool) -> Decision:
        """Somebody sits down or gets out (the belt comes off with them)."""
        if seat not in self.occupied:
            return refuse("no_such_seat", "This vehicle has no jump seat.")
        self.occupied[seat] = present
        if not present:
            self.belted[seat] = False
        return accept()

    def set_belt(self, seat: Seat, fastened: bool) -> Decision:
        """Fasten or release a seat belt."""
        if seat not in self.belted:
            return refuse("no_such_seat", "This vehicle has no jump seat.")
        self.belted[seat] = fastened
        return accept()

    @property
    def any_door_open(self) -> bool:
        """True if any side door or the tailgate is open."""
        return self.tailgate_open or any(self.doors_open.values())


class Tyres:
    """Tyre pressures: cold pressure plus a per-tyre offset, scaled by tyre temperature.

    Gas law on the absolute pressure; tyres warm toward ambient plus a rise with
    speed, with a slow time constant.
    """

    __slots__ = ("offsets_Pa", "temperature_c")

    def __init__(
        self, ambient_c: float, rng: random.Random | None = None, jitter_Pa: float = 4000.0
    ) -> None:
        rng = rng or random.Random(0)
        self.offsets_Pa: dict[Wheel, float] = {w: rng.uniform(-jitter_Pa, jitter_Pa) for w in Wheel}
        self.temperature_c = ambient_c

    def step(self, dt_s: float, spec: VehicleSpec, ambient_c: float, speed_mps: float) -> None:
        """Warm or cool the tyres toward their running temperature."""
        target = ambient_c + spec.tyre_heating_K_per_mps * abs(speed_mps)
        self.temperature_c += (target - self.temperature_c) * min(
            1.0, dt_s / spec.tyre_thermal_time_constant_s
        )

    def pressures_Pa(self, spec: VehicleSpec) -> dict[Wheel, float]:
        """Gauge pressure of each tyre."""
        scale = kelvin(self.temperature_c) / kelvin(spec.tyre_reference_temperature_c)
        out = {}
        for wheel, offset in self.offsets_Pa.items():
            absolute_cold = spec.tyre_cold_pressure_Pa + offset + ATMOSPHERIC_PRESSURE_PA
            out[wheel] = absolute_cold * scale - ATMOSPHERIC_PRESSURE_PA
        return out


class Odometer:
    """Total and trip distance, m (distance travelled regardless of direction)."""

    __slots__ = ("total_m", "trip_energy_J", "trip_m")

    def __init__(self, total_m: float = 0.0) -> None:
        self.total_m = total_m
        self.trip_m = 0.0
        self.trip_energy_J = 0.0

    def add(self, distance_m: float, energy_J: float) -> None:
        """Count distance (and the net pack energy used for the trip average)."""
        self.total_m += distance_m
        self.trip_m += distance_m
        self.trip_energy_J += energy_J

    def reset_trip(self) -> None:
        """Start a new trip."""
        self.trip_m = 0.0
        self.trip_energy_J = 0.0
