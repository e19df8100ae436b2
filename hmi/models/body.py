"""Body view-model: doors and side-opening tailgate, seats and belts, tyres, distances."""

from __future__ import annotations

from typing import Any

from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, ListProperty, StringProperty

from protocols import Catalogue

from .. import formatting as fmt
from ..signals import SignalTable
from ..units import UnitPreferences
from .base import DomainModel

DOORS = (  # (name, label, signal)
    ("front_left", "Front left", "Vehicle.Cabin.Door.Row1.DriverSide.IsOpen"),
    ("front_right", "Front right", "Vehicle.Cabin.Door.Row1.PassengerSide.IsOpen"),
    ("rear_left", "Rear left", "Vehicle.Cabin.Door.Row2.DriverSide.IsOpen"),
    ("rear_right", "Rear right", "Vehicle.Cabin.Door.Row2.PassengerSide.IsOpen"),
    ("tailgate", "Tailgate", "Vehicle.Body.Trunk.Rear.IsOpen"),
)
SEATS = (  # (name, label, row, position) in the order the diagram draws them
    ("row1_driver", "Driver", "Row1", "DriverSide"),
    ("row1_middle", "Jump seat", "Row1", "Middle"),
    ("row1_passenger", "Passenger", "Row1", "PassengerSide"),
    ("row2_driver", "Rear left", "Row2", "DriverSide"),
    ("row2_middle", "Rear middle", "Row2", "Middle"),
    ("row2_passenger", "Rear right", "Row2", "PassengerSide"),
)
TYRES = (
    ("front_left", "Vehicle.Chassis.Axle.Row1.Wheel.Left.Tire.Pressure"),
    ("front_right", "Vehicle.Chassis.Axle.Row1.Wheel.Right.Tire.Pressure"),
    ("rear_left", "Vehicle.Chassis.Axle.Row2.Wheel.Left.Tire.Pressure"),
    ("rear_right", "Vehicle.Chassis.Axle.Row2.Wheel.Right.Tire.Pressure"),
)
JUMP_SEAT_FITTED = "Vehicle.Ema.Cabin.JumpSeat.IsFitted"
ODOMETER = "Vehicle.TraveledDistance"
TRIP = "Vehicle.Ema.Trip.Distance"
AMBIENT = "Vehicle.Exterior.AirTemperature"
RIDE_ACTUAL = "Vehicle.Ema.Chassis.RideHeight.Actual"
TYRE_LOW_PA = 180_000.0


def _open_closed(value: Any, units: UnitPreferences) -> fmt.Shown:
    return fmt.Shown("Open" if value else "Closed", "")


class SeatStatus(EventDispatcher):
    """One seat: fitted, occupied, belted; `colour` is a role."""

    text = StringProperty("--")
    colour = StringProperty("dim")
    fitted = BooleanProperty(True)

    def __init__(self, name: str, label: str, row: str, position: str, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.name, self.label = name, label
        self.belted_signal = f"Vehicle.Cabin.Seat.{row}.{position}.IsBelted"
        self.occupied_signal = f"Vehicle.Cabin.Seat.{row}.{position}.IsOccupied"

    def derive(self, table: SignalTable, fitted: bool) -> None:
        self.fitted = fitted
        occupied, belted = table.live(self.occupied_signal), table.live(self.belted_signal)
        if not fitted:
            self.text, self.colour = "Not fitted", "dim"
        elif occupied is None or belted is None:
            self.text, self.colour = "--", "dim"
        elif belted:
            self.text, self.colour = "Belted", "green"
        elif occupied:
            self.text, self.colour = "Unbelted", "red"
        else:
            self.text, self.colour = "Empty", "dim"

    def snapshot(self) -> dict[str, Any]:
        return {"text": self.text, "unit": "", "stale": self.text == "--",
                "colour": self.colour}


class BodyModel(DomainModel):
    """The vehicle screen."""

    name = "body"
    doors_open = ListProperty([False] * len(DOORS))   # order of DOORS, for the diagram
    doors_known = BooleanProperty(False)
    open_summary = StringProperty("--")
    tyres_low = ListProperty([False] * len(TYRES))
    door_tones = ListProperty(["text"] * len(DOORS))   # amber when open
    tyre_tones = ListProperty(["text"] * len(TYRES))   # amber when low
    seat_roles = ListProperty(["dim"] * len(SEATS))    # colour role per seat, diagram order
    seat_fitted = ListProperty([True] * len(SEATS))
    seat_texts = ListProperty(["--"] * len(SEATS))

    def __init__(self, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(catalogue, **kwargs)
        self.doors = [self.readout(f"door_{name}", signal, _open_closed)
                      for name, _, signal in DOORS]
        self.door_labels = [label for _, label, _ in DOORS]
        self.tyres = [self.readout(f"tyre_{name}", signal, fmt.pressure, keep_last=True)
                      for name, signal in TYRES]
        self.odometer = self.readout("odometer", ODOMETER, fmt.odometer, keep_last=True)
        self.trip = self.readout("trip", TRIP, fmt.trip, keep_last=True)
        self.ambient = self.readout("ambient", AMBIENT, fmt.temperature, keep_last=True)
        self.ride_actual = self.readout("ride_actual", RIDE_ACTUAL, fmt.short_length)
        self.seats = [SeatStatus(*seat) for seat in SEATS]
        self.seat = {s.name: s for s in self.seats}
        self.seat_labels = [s.label for s in self.seats]
        self.uses(JUMP_SEAT_FITTED, *(s.belted_signal for s in self.seats),
                  *(s.occupied_signal for s in self.seats))

    def derive(self, table: SignalTable, units: UnitPreferences, now_s: float) -> None:
        opened = [table.live(signal) for _, _, signal in DOORS]
        self.doors_known = all(o is not None for o in opened)
        self.doors_open = [bool(o) for o in opened]
        names = [label for (_, label, _), o in zip(DOORS, opened) if o]
        if not self.doors_known:
            self.open_summary = "--"
        else:
            self.open_summary = ("All closed" if not names else
                                 f"{names[0]} open" if len(names) == 1 else f"{len(names)} open")
        jump_fitted = table.live(JUMP_SEAT_FITTED)
        for seat in self.seats:
            fitted = seat.name != "row1_middle" or jump_fitted is True
            seat.derive(table, fitted)
        self.seat_roles = [seat.colour for seat in self.seats]
        self.seat_texts = [seat.text for seat in self.seats]
        self.seat_fitted = [seat.fitted for seat in self.seats]
        self.door_tones = ["amber" if o else "text" for o in opened]
        pressures = [table.live(signal) for _, signal in TYRES]
        self.tyres_low = [p is not None and p < TYRE_LOW_PA for p in pressures]
        self.tyre_tones = ["amber" if low else "text" for low in self.tyres_low]

    def snapshot(self) -> dict[str, Any]:
        shown = super().snapshot()
        shown.update({f"body.seat_{s.name}": {"signal": s.belted_signal, **s.snapshot()}
                      for s in self.seats})
        return shown
