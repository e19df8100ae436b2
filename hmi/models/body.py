"""Body view-model: doors and side-opening tailgate, seats and belts, tyres, distances.

Door summary and seat texts are DerivedTexts: live only while every door or seat signal they
are computed from is, so "All closed" or the jump seat's "Not fitted" never stand in for a body
or configuration frame (the jump seat's fitting travels in the configuration) that has not
arrived, went stale or comes from a vehicle that is offline."""

from __future__ import annotations

from functools import partial
from typing import Any

from kivy.properties import BooleanProperty, ListProperty

from protocols import Catalogue

from .. import formatting as fmt
from ..i18n import N_, tr
from ..signals import SignalTable
from ..units import UnitPreferences
from .base import DomainModel
from .readout import STATUS_BAR

DOORS = (  # (name, label, signal)
    ("front_left", N_("Front left"), "Vehicle.Cabin.Door.Row1.DriverSide.IsOpen"),
    ("front_right", N_("Front right"), "Vehicle.Cabin.Door.Row1.PassengerSide.IsOpen"),
    ("rear_left", N_("Rear left"), "Vehicle.Cabin.Door.Row2.DriverSide.IsOpen"),
    ("rear_right", N_("Rear right"), "Vehicle.Cabin.Door.Row2.PassengerSide.IsOpen"),
    ("tailgate", N_("Tailgate"), "Vehicle.Body.Trunk.Rear.IsOpen"),
)
JUMP_SEAT = "row1_middle"   # the only seat that may not be fitted
SEATS = (  # (name, label, row, position) in the order the diagram draws them
    ("row1_driver", N_("Driver"), "Row1", "DriverSide"),
    ("row1_middle", N_("Jump seat"), "Row1", "Middle"),
    ("row1_passenger", N_("Passenger"), "Row1", "PassengerSide"),
    ("row2_driver", N_("Rear left"), "Row2", "DriverSide"),
    ("row2_middle", N_("Rear middle"), "Row2", "Middle"),
    ("row2_passenger", N_("Rear right"), "Row2", "PassengerSide"),
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


# What a door or seat says (msgids, shown through hmi.i18n.tr); the diagram's colour role
# beside each seat text.
DOOR_TEXT = {True: N_("Open"), False: N_("Closed")}
DOOR_SUMMARY = {"none": N_("All closed"), "one": N_("{door} open"), "many": N_("{count} open")}
SEAT_TEXT = {"not_fitted": N_("Not fitted"), "belted": N_("Belted"),
             "unbelted": N_("Unbelted"), "empty": N_("Empty")}
SEAT_ROLE = {"not_fitted": "dim", "belted": "green", "unbelted": "red", "empty": "dim"}
SCREEN = "vehicle"


def _open_closed(value: Any, units: UnitPreferences) -> fmt.Shown:
    return fmt.Shown(tr(DOOR_TEXT[bool(value)]), "")


def door_summary(open_doors: list[str]) -> str:
    """The line above the door list, from the labels of the doors that are open."""
    key = "none" if not open_doors else "one" if len(open_doors) == 1 else "many"
    return tr(DOOR_SUMMARY[key]).format(door=open_doors[0] if open_doors else "",
                                        count=len(open_doors))


def seat_status(fitted: bool | None, occupied: bool | None, belted: bool | None) -> str | None:
    """A key of SEAT_TEXT, or None when the live signals cannot tell. `fitted` is None for a
    seat that is always fitted; a seat whose fitting is not known is not "not fitted"."""
    if fitted is False:
        return "not_fitted"
    if occupied is None or belted is None:
        return None
    if belted:
        return "belted"
    return "unbelted" if occupied else "empty"


class SeatText:
    """One seat's shown text (a DerivedText) and the signals it comes from."""

    def __init__(self, model: DomainModel, name: str, label: str, row: str, position: str,
                 fitted_signal: str | None) -> None:
        self.name, self.label = name, label
        self.belted_signal = f"Vehicle.Cabin.Seat.{row}.{position}.IsBelted"
        self.occupied_signal = f"Vehicle.Cabin.Seat.{row}.{position}.IsOccupied"
        self.fitted_signal = fitted_signal
        inputs = (self.belted_signal, self.occupied_signal,
                  *((fitted_signal,) if fitted_signal else ()))
        self.shown = model.derived(f"seat_{name}", inputs, screen=SCREEN)

    def derive(self, table: SignalTable) -> bool:
        """Show the seat; True if it should be drawn (fitted or not known to be missing)."""
        fitted = table.live_bool(self.fitted_signal) if self.fitted_signal else None
        fitted_state = [table.state(self.fitted_signal)] if self.fitted_signal else []
        status = seat_status(fitted, table.live_bool(self.occupied_signal),
                             table.live_bool(self.belted_signal))
        if status == "not_fitted":
            used = fitted_state   # nothing else matters for a seat that is not there
        else:
            used = [*fitted_state, table.state(self.occupied_signal),
                    table.state(self.belted_signal)]
        self.shown.show(tr(SEAT_TEXT.get(status or "", "")), used,
                        SEAT_ROLE.get(status or "", "dim"), key=status)
        return status != "not_fitted"   # only a live "not fitted" takes the seat off the diagram


class BodyModel(DomainModel):
    """The vehicle screen, and the outside temperature in the status bar."""

    name = "body"
    doors_open = ListProperty([False] * len(DOORS))   # order of DOORS, for the diagram
    doors_known = BooleanProperty(False)
    tyres_low = ListProperty([False] * len(TYRES))
    door_tones = ListProperty(["text"] * len(DOORS))   # amber when open
    tyre_tones = ListProperty(["text"] * len(TYRES))   # amber when low
    seat_roles = ListProperty(["dim"] * len(SEATS))    # colour role per seat, diagram order
    seat_fitted = ListProperty([True] * len(SEATS))
    door_labels = ListProperty([label for _, label, _ in DOORS])   # in the current language
    seat_labels = ListProperty([label for _, label, _, _ in SEATS])

    def __init__(self, catalogue: Catalogue, **kwargs: Any) -> None:
        super().__init__(catalogue, **kwargs)
        figure = partial(self.readout, screen=SCREEN)
        self.doors = [figure(f"door_{name}", signal, _open_closed) for name, _, signal in DOORS]
        self.tyres = [figure(f"tyre_{name}", signal, fmt.pressure, keep_last=True)
                      for name, signal in TYRES]
        self.odometer = figure("odometer", ODOMETER, fmt.odometer, keep_last=True)
        self.trip = figure("trip", TRIP, fmt.trip, keep_last=True)
        self.outside = figure("outside", AMBIENT, fmt.temperature, keep_last=True)
        self.ride_actual = figure("ride_actual", RIDE_ACTUAL, fmt.short_length)
        self.ambient = self.readout("ambient", AMBIENT, fmt.temperature, keep_last=True,
                                    screen=STATUS_BAR)   # the same figure above every screen
        self.door_summary = self.derived("doors", [signal for _, _, signal in DOORS],
                                         screen=SCREEN)
        self.seats = [SeatText(self, name, label, row, position,
                               JUMP_SEAT_FITTED if name == JUMP_SEAT else None)
                      for name, label, row, position in SEATS]
        self.seat = {s.name: s for s in self.seats}
        for seat in self.seats:   # kv binds seat_row1_driver.text (it cannot watch [i].text)
            setattr(self, f"seat_{seat.name}", seat.shown)

    def derive(self, table: SignalTable, units: UnitPreferences, now_s: float) -> None:
        self.door_labels = [tr(label) for _, label, _ in DOORS]
        self.seat_labels = [tr(s.label) for s in self.seats]
        opened = [table.live_bool(signal) for _, _, signal in DOORS]
        self.doors_known = all(o is not None for o in opened)
        self.doors_open = [bool(o) for o in opened]
        names = [tr(label) for (_, label, _), o in zip(DOORS, opened, strict=True) if o]
        self.door_summary.show(door_summary(names), [table.state(s) for _, _, s in DOORS])
        self.seat_fitted = [seat.derive(table) for seat in self.seats]
        self.seat_roles = [seat.shown.colour for seat in self.seats]
        self.door_tones = ["amber" if o else "text" for o in opened]
        pressures = [table.live_float(signal) for _, signal in TYRES]
        self.tyres_low = [p is not None and p < TYRE_LOW_PA for p in pressures]
        self.tyre_tones = ["amber" if low else "text" for low in self.tyres_low]
