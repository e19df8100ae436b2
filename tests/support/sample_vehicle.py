"""Plausible values for every signal of the catalogue, per frame, for tests and screenshots.

`TYPICAL`: the car climbing a muddy track in Mud/Ruts at 23 km/h on a part-charged pack.
`WIDEST`: the values with the widest text, to prove the layouts never clip or overlap.
"""

from __future__ import annotations

import copy
from typing import Any

TYPICAL: dict[str, dict[str, Any]] = {
    "drive": {
        "Vehicle.Speed": 6.4,
        "Vehicle.Powertrain.Transmission.SelectedGear": "D",
        "Vehicle.Powertrain.TractionBattery.CurrentPower": -48_000.0,
        "Vehicle.Powertrain.ElectricMotor.Row1.Power": 21_000.0,
        "Vehicle.Powertrain.ElectricMotor.Row2.Power": 25_000.0,
        "Vehicle.Ema.Drivetrain.Axle.Row1.Torque": 1450.0,
        "Vehicle.Ema.Drivetrain.Axle.Row2.Torque": 1780.0,
        "Vehicle.Powertrain.Transmission.TorqueDistribution": 10.0,
        "Vehicle.Ema.Drivetrain.Axle.Row1.LockerRequested": False,
        "Vehicle.Ema.Drivetrain.Axle.Row2.LockerRequested": True,
        "Vehicle.Powertrain.Transmission.DiffLockFrontEngagement": 0.0,
        "Vehicle.Powertrain.Transmission.DiffLockRearEngagement": 100.0,
        "Vehicle.Ema.Chassis.TractionControl.Mode": "REDUCED",
        "Vehicle.Ema.Chassis.TractionControl.IsIntervening": False,
        "Vehicle.Ema.Chassis.HillDescentControl.IsActive": False,
        "Vehicle.Ema.Powertrain.IsReady": True,
        "Vehicle.Ema.Energy.Consumption.Instant": 1150.0,
    },
    "battery": {
        "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed": 62.0,
        "Vehicle.Powertrain.TractionBattery.StateOfCharge.CurrentEnergy": 178_000_000.0,
        "Vehicle.Powertrain.TractionBattery.Temperature.Average": 27.0,
        "Vehicle.Powertrain.TractionBattery.Range": 231_000.0,
        "Vehicle.Ema.Range.Rated": 312_000.0,
    },
    "energy": {
        "Vehicle.Ema.Energy.Consumption.Rolling": 830.0,
        "Vehicle.Ema.Energy.Consumption.TripAverage": 760.0,
        "Vehicle.Ema.Range.Projected.Comfort": 262_000.0,
        "Vehicle.Ema.Range.Projected.Eco": 298_000.0,
        "Vehicle.Ema.Range.Projected.GrassGravelSnow": 236_000.0,
        "Vehicle.Ema.Range.Projected.MudRuts": 198_000.0,
        "Vehicle.Ema.Range.Projected.Sand": 171_000.0,
        "Vehicle.Ema.Range.Projected.RockCrawl": 150_000.0,
        "Vehicle.Ema.Range.Projected.Wade": 185_000.0,
    },
    "terrain": {
        "Vehicle.Ema.TerrainResponse.Program.Requested": "MUD_RUTS",
        "Vehicle.Ema.TerrainResponse.Program.Active": "MUD_RUTS",
        "Vehicle.Ema.TerrainResponse.Program.ChangeState": "ACTIVE",
        "Vehicle.Ema.TerrainResponse.Program.AutoSelected": "COMFORT",
        "Vehicle.Ema.TerrainResponse.Availability.Auto": "AVAILABLE",
        "Vehicle.Ema.TerrainResponse.Availability.Comfort": "AVAILABLE",
        "Vehicle.Ema.TerrainResponse.Availability.Eco": "AVAILABLE",
        "Vehicle.Ema.TerrainResponse.Availability.GrassGravelSnow": "AVAILABLE",
        "Vehicle.Ema.TerrainResponse.Availability.MudRuts": "AVAILABLE",
        "Vehicle.Ema.TerrainResponse.Availability.Sand": "AVAILABLE",
        "Vehicle.Ema.TerrainResponse.Availability.RockCrawl": "AVAILABLE",
        "Vehicle.Ema.TerrainResponse.Availability.Wade": "SPEED_TOO_HIGH",
        **{f"Vehicle.Ema.TerrainResponse.SpeedLimit.{leaf}": None
           for leaf in ("Auto", "Comfort", "Eco", "GrassGravelSnow", "MudRuts", "Sand")},
        "Vehicle.Ema.TerrainResponse.SpeedLimit.RockCrawl": 30 / 3.6,
        "Vehicle.Ema.TerrainResponse.SpeedLimit.Wade": 15 / 3.6,
        "Vehicle.Ema.Drivetrain.LockerSpeedLimit": 40 / 3.6,
        "Vehicle.Ema.Chassis.RideHeight.SpeedLimit.Raised": 45 / 3.6,
        "Vehicle.Ema.Chassis.RideHeight.SpeedLimit.Access": 8 / 3.6,
        "Vehicle.Ema.Chassis.RideHeight.Level": "OFF_ROAD",
        "Vehicle.Ema.Chassis.RideHeight.Target": 0.29,
        "Vehicle.Ema.Chassis.RideHeight.Actual": 0.27,
        "Vehicle.Ema.Chassis.Pitch": 0.14,
        "Vehicle.Ema.Chassis.Roll": -0.05,
        "Vehicle.Ema.Chassis.WadeDepth": 0.0,
        "Vehicle.Ema.Chassis.WadeDepthLimit": 0.85,
    },
    "charging": {
        "Vehicle.Ema.Charging.State": "DISCONNECTED",
        "Vehicle.Ema.Charging.Type": "NONE",
        "Vehicle.Ema.Charging.Power": 0.0,
        "Vehicle.Powertrain.TractionBattery.Charging.ChargeLimit": 80,
        "Vehicle.Powertrain.TractionBattery.Charging.TimeToComplete": None,
        "Vehicle.Ema.Charging.RangeRate": 0.0,
    },
    "body": {
        "Vehicle.Cabin.Door.Row1.DriverSide.IsOpen": False,
        "Vehicle.Cabin.Door.Row1.PassengerSide.IsOpen": False,
        "Vehicle.Cabin.Door.Row2.DriverSide.IsOpen": False,
        "Vehicle.Cabin.Door.Row2.PassengerSide.IsOpen": False,
        "Vehicle.Body.Trunk.Rear.IsOpen": False,
        "Vehicle.Cabin.Seat.Row1.DriverSide.IsBelted": True,
        "Vehicle.Cabin.Seat.Row1.Middle.IsBelted": False,
        "Vehicle.Cabin.Seat.Row1.PassengerSide.IsBelted": True,
        "Vehicle.Cabin.Seat.Row2.DriverSide.IsBelted": False,
        "Vehicle.Cabin.Seat.Row2.Middle.IsBelted": False,
        "Vehicle.Cabin.Seat.Row2.PassengerSide.IsBelted": True,
        "Vehicle.Cabin.Seat.Row1.DriverSide.IsOccupied": True,
        "Vehicle.Cabin.Seat.Row1.Middle.IsOccupied": False,
        "Vehicle.Cabin.Seat.Row1.PassengerSide.IsOccupied": True,
        "Vehicle.Cabin.Seat.Row2.DriverSide.IsOccupied": True,
        "Vehicle.Cabin.Seat.Row2.Middle.IsOccupied": False,
        "Vehicle.Cabin.Seat.Row2.PassengerSide.IsOccupied": True,
        "Vehicle.Chassis.Axle.Row1.Wheel.Left.Tire.Pressure": 210_000.0,
        "Vehicle.Chassis.Axle.Row1.Wheel.Right.Tire.Pressure": 212_000.0,
        "Vehicle.Chassis.Axle.Row2.Wheel.Left.Tire.Pressure": 205_000.0,
        "Vehicle.Chassis.Axle.Row2.Wheel.Right.Tire.Pressure": 168_000.0,
        "Vehicle.TraveledDistance": 12_845_300.0,
        "Vehicle.Ema.Trip.Distance": 84_250.0,
        "Vehicle.Exterior.AirTemperature": 14.0,
    },
    "configuration": {  # the expedition car: all-terrain tyres, loaded rack, spare, arches
        "Vehicle.Powertrain.TractionBattery.NetCapacity": 306_000_000.0,
        "Vehicle.CurbWeight": 2545.0,
        "Vehicle.Body.BodyColor": "KESWICK_GREEN",
        "Vehicle.Ema.Body.Roof.Color": "NARVIK_BLACK",
        "Vehicle.Ema.Body.DecalPack": "NONE",
        "Vehicle.Ema.Chassis.WheelPackage": "ALL_TERRAIN_20",
        "Vehicle.Chassis.Axle.Row1.WheelDiameter": 0.508,
        "Vehicle.Chassis.Axle.Row1.TireDiameter": 0.838,
        "Vehicle.Chassis.Axle.Row2.WheelDiameter": 0.508,
        "Vehicle.Chassis.Axle.Row2.TireDiameter": 0.838,
        "Vehicle.Ema.Body.WheelArchExtensions.IsFitted": True,
        "Vehicle.Ema.Body.RoofRack": "RACK_LOADED",
        "Vehicle.Ema.Body.Tailgate.SpareWheel.IsFitted": True,
        "Vehicle.Ema.Cabin.JumpSeat.IsFitted": True,
        "Vehicle.Ema.Configuration.RatedRange": 402_000.0,
        "Vehicle.Ema.Configuration.RangeCost.Wheels": 31_000.0,
        "Vehicle.Ema.Configuration.RangeCost.RoofRack": 42_000.0,
        "Vehicle.Ema.Configuration.RangeCost.WheelArchExtensions": 6_500.0,
        "Vehicle.Ema.Configuration.RangeCost.SpareWheel": 4_800.0,
        "Vehicle.Ema.Configuration.RangeCost.JumpSeat": 700.0,
        "Vehicle.Ema.Drivetrain.Axle.Row1.PeakTorque": 2927.0,
        "Vehicle.Ema.Drivetrain.Axle.Row2.PeakTorque": 3991.0,
    },
}


def typical() -> dict[str, dict[str, Any]]:
    return copy.deepcopy(TYPICAL)


# The shipped configurations (catalogue enum VehicleConfiguration) as sample `configuration`
# frames for the HMI's tests and pictures: TYPICAL's is the expedition car. The figures are
# plausible samples, not the simulator's computed ones (vehicle_sim computes those).
_ROAD = {
    "Vehicle.Powertrain.TractionBattery.NetCapacity": 306_000_000.0,
    "Vehicle.CurbWeight": 2385.0,
    "Vehicle.Body.BodyColor": "EIGER_GREY",
    "Vehicle.Ema.Body.Roof.Color": "BODY_COLOUR",
    "Vehicle.Ema.Body.DecalPack": "NONE",
    "Vehicle.Ema.Chassis.WheelPackage": "ROAD_22",
    "Vehicle.Chassis.Axle.Row1.WheelDiameter": 0.559,
    "Vehicle.Chassis.Axle.Row1.TireDiameter": 0.80,
    "Vehicle.Chassis.Axle.Row2.WheelDiameter": 0.559,
    "Vehicle.Chassis.Axle.Row2.TireDiameter": 0.80,
    "Vehicle.Ema.Body.WheelArchExtensions.IsFitted": False,
    "Vehicle.Ema.Body.RoofRack": "NONE",
    "Vehicle.Ema.Body.Tailgate.SpareWheel.IsFitted": False,
    "Vehicle.Ema.Cabin.JumpSeat.IsFitted": False,
    "Vehicle.Ema.Configuration.RatedRange": 489_000.0,
    "Vehicle.Ema.Configuration.RangeCost.Wheels": 9_500.0,
    "Vehicle.Ema.Configuration.RangeCost.RoofRack": 0.0,
    "Vehicle.Ema.Configuration.RangeCost.WheelArchExtensions": 0.0,
    "Vehicle.Ema.Configuration.RangeCost.SpareWheel": 0.0,
    "Vehicle.Ema.Configuration.RangeCost.JumpSeat": 0.0,
    "Vehicle.Ema.Drivetrain.Axle.Row1.PeakTorque": 2927.0,
    "Vehicle.Ema.Drivetrain.Axle.Row2.PeakTorque": 3991.0,
}
CONFIGURATIONS: dict[str, dict[str, Any]] = {
    "road": _ROAD,
    "expedition": TYPICAL["configuration"],
    "heritage": {**_ROAD,
                 "Vehicle.Powertrain.TractionBattery.NetCapacity": 288_000_000.0,
                 "Vehicle.CurbWeight": 2430.0,
                 "Vehicle.Body.BodyColor": "SEDONA_ORANGE",
                 "Vehicle.Ema.Body.Roof.Color": "GLACIER_WHITE",
                 "Vehicle.Ema.Body.DecalPack": "HERITAGE_NUMERAL",
                 "Vehicle.Ema.Chassis.WheelPackage": "STANDARD_20",
                 "Vehicle.Chassis.Axle.Row1.WheelDiameter": 0.508,
                 "Vehicle.Chassis.Axle.Row1.TireDiameter": 0.80,
                 "Vehicle.Chassis.Axle.Row2.WheelDiameter": 0.508,
                 "Vehicle.Chassis.Axle.Row2.TireDiameter": 0.80,
                 "Vehicle.Ema.Body.RoofRack": "RACK",
                 "Vehicle.Ema.Cabin.JumpSeat.IsFitted": True,
                 "Vehicle.Ema.Configuration.RatedRange": 455_000.0,
                 "Vehicle.Ema.Configuration.RangeCost.Wheels": 0.0,
                 "Vehicle.Ema.Configuration.RangeCost.RoofRack": 17_500.0,
                 "Vehicle.Ema.Configuration.RangeCost.JumpSeat": 700.0},
}


def configured(name: str, values: dict[str, dict[str, Any]] | None = None
               ) -> dict[str, dict[str, Any]]:
    """`values` (typical by default) with the car fitted as shipped configuration `name`."""
    values = values or typical()
    values["configuration"] = copy.deepcopy(CONFIGURATIONS[name])
    return values


def widest() -> dict[str, dict[str, Any]]:
    """Long texts everywhere: three-digit speeds, six-digit ranges, every lamp lit."""
    values = typical()
    values["drive"].update({
        "Vehicle.Speed": 55.5,  # 200 km/h
        "Vehicle.Powertrain.TractionBattery.CurrentPower": -449_000.0,
        "Vehicle.Ema.Drivetrain.Axle.Row1.Torque": -7999.0,
        "Vehicle.Ema.Drivetrain.Axle.Row2.Torque": -7999.0,
        "Vehicle.Powertrain.Transmission.DiffLockFrontEngagement": 40.0,
        "Vehicle.Ema.Drivetrain.Axle.Row1.LockerRequested": True,
        "Vehicle.Ema.Chassis.TractionControl.Mode": "REDUCED",
    })
    values["battery"].update({
        "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed": 4.0,
        "Vehicle.Powertrain.TractionBattery.Range": 999_000.0,
        "Vehicle.Ema.Range.Rated": 999_000.0,
        "Vehicle.Powertrain.TractionBattery.Temperature.Average": -39.0,
    })
    values["energy"].update({f"Vehicle.Ema.Range.Projected.{p}": 999_000.0 for p in (
        "Comfort", "Eco", "GrassGravelSnow", "MudRuts", "Sand", "RockCrawl", "Wade")})
    values["energy"]["Vehicle.Ema.Energy.Consumption.Rolling"] = -19_999.0
    values["energy"]["Vehicle.Ema.Energy.Consumption.TripAverage"] = 19_999.0
    values["terrain"].update({
        "Vehicle.Ema.TerrainResponse.Program.Active": "AUTO",
        "Vehicle.Ema.TerrainResponse.Program.Requested": "GRASS_GRAVEL_SNOW",
        "Vehicle.Ema.TerrainResponse.Program.ChangeState": "ENGAGING",
        "Vehicle.Ema.TerrainResponse.Program.AutoSelected": "GRASS_GRAVEL_SNOW",
        "Vehicle.Ema.Chassis.Pitch": -0.99, "Vehicle.Ema.Chassis.Roll": -0.99,
        "Vehicle.Ema.Chassis.WadeDepth": 1.45, "Vehicle.Ema.Chassis.WadeDepthLimit": 1.45,
        "Vehicle.Ema.Chassis.RideHeight.Level": "EXTENDED",
    })
    values["charging"].update({
        "Vehicle.Ema.Charging.State": "COMPLETE",
        "Vehicle.Ema.Charging.Type": "DC",
        "Vehicle.Ema.Charging.Power": 349_000.0,
        "Vehicle.Powertrain.TractionBattery.Charging.ChargeLimit": 100,
        "Vehicle.Powertrain.TractionBattery.Charging.TimeToComplete": 172_000.0,
        "Vehicle.Ema.Charging.RangeRate": 999.0,
    })
    values["body"].update({
        "Vehicle.TraveledDistance": 9_999_999_000.0,
        "Vehicle.Ema.Trip.Distance": 99_999_000.0,
        "Vehicle.Cabin.Door.Row1.DriverSide.IsOpen": True,
        "Vehicle.Body.Trunk.Rear.IsOpen": True,
        "Vehicle.Exterior.AirTemperature": -49.0,
    })
    values["configuration"].update({   # every row of My vehicle, the longest names
        "Vehicle.Body.BodyColor": "GONDWANA_STONE",
        "Vehicle.Ema.Body.Roof.Color": "GLACIER_WHITE",
        "Vehicle.Ema.Body.DecalPack": "HERITAGE_NUMERAL",
        "Vehicle.CurbWeight": 4_999.0,
        "Vehicle.Ema.Configuration.RatedRange": 999_000.0,
        **{f"Vehicle.Ema.Configuration.RangeCost.{o}": 199_000.0 for o in (
            "Wheels", "RoofRack", "WheelArchExtensions", "SpareWheel", "JumpSeat")},
    })
    return values


def charging_session() -> dict[str, dict[str, Any]]:
    """Parked on a DC charger, for the charging screenshot."""
    values = typical()
    values["drive"].update({"Vehicle.Speed": 0.0,
                            "Vehicle.Powertrain.Transmission.SelectedGear": "P",
                            "Vehicle.Powertrain.TractionBattery.CurrentPower": 142_000.0,
                            "Vehicle.Ema.Energy.Consumption.Instant": None})
    values["charging"].update({
        "Vehicle.Ema.Charging.State": "CHARGING", "Vehicle.Ema.Charging.Type": "DC",
        "Vehicle.Ema.Charging.Power": 142_000.0,
        "Vehicle.Powertrain.TractionBattery.Charging.TimeToComplete": 1_260.0,
        "Vehicle.Ema.Charging.RangeRate": 180.0,
    })
    values["terrain"].update({path: "VEHICLE_CHARGING" for path in values["terrain"]
                              if path.startswith("Vehicle.Ema.TerrainResponse.Availability.")})
    return values


def rolling_back() -> dict[str, dict[str, Any]]:
    """On a +15 % trail slope in D, rolling back at 5 km/h (Vehicle.Speed is signed), for the
    Drive screenshot of the warning."""
    values = typical()
    values["drive"].update({"Vehicle.Speed": -1.4,
                            "Vehicle.Powertrain.Transmission.SelectedGear": "D",
                            "Vehicle.Powertrain.TractionBattery.CurrentPower": -600.0,
                            "Vehicle.Ema.Energy.Consumption.Instant": None})
    values["terrain"]["Vehicle.Ema.Chassis.Pitch"] = 0.149
    return values


def hill_descent() -> dict[str, dict[str, Any]]:
    """Down a -20 % trail slope in Mud & Ruts with the pedals released: hill descent control
    holds its 8 km/h, for the Drive screenshot of the HDC lamp."""
    values = typical()
    values["drive"].update({"Vehicle.Speed": 2.2,
                            "Vehicle.Powertrain.Transmission.SelectedGear": "D",
                            "Vehicle.Powertrain.TractionBattery.CurrentPower": 2_500.0,
                            "Vehicle.Ema.Chassis.HillDescentControl.IsActive": True})
    values["terrain"]["Vehicle.Ema.Chassis.Pitch"] = -0.197
    return values


def wading() -> dict[str, dict[str, Any]]:
    """Crossing a river in Wade at walking pace, for the terrain screenshot."""
    values = typical()
    values["drive"].update({"Vehicle.Speed": 1.6,
                            "Vehicle.Powertrain.TractionBattery.CurrentPower": -21_000.0,
                            "Vehicle.Ema.Drivetrain.Axle.Row1.Torque": 900.0,
                            "Vehicle.Ema.Drivetrain.Axle.Row2.Torque": 950.0,
                            "Vehicle.Powertrain.Transmission.TorqueDistribution": 2.0,
                            "Vehicle.Ema.Drivetrain.Axle.Row2.LockerRequested": False,
                            "Vehicle.Powertrain.Transmission.DiffLockRearEngagement": 0.0,
                            "Vehicle.Ema.Chassis.TractionControl.Mode": "NORMAL"})
    values["terrain"].update({
        "Vehicle.Ema.TerrainResponse.Program.Requested": "WADE",
        "Vehicle.Ema.TerrainResponse.Program.Active": "WADE",
        "Vehicle.Ema.TerrainResponse.Availability.Wade": "AVAILABLE",
        "Vehicle.Ema.TerrainResponse.Availability.Eco": "NOT_READY",
        "Vehicle.Ema.Chassis.RideHeight.Level": "EXTENDED",
        "Vehicle.Ema.Chassis.RideHeight.Target": 0.32,
        "Vehicle.Ema.Chassis.RideHeight.Actual": 0.32,
        "Vehicle.Ema.Chassis.Pitch": -0.06,
        "Vehicle.Ema.Chassis.Roll": 0.03,
        "Vehicle.Ema.Chassis.WadeDepth": 0.58,
        "Vehicle.Ema.Chassis.WadeDepthLimit": 0.85,
    })
    return values


def ride_moving() -> dict[str, dict[str, Any]]:
    """Rising from Normal to Off-road in Comfort, halfway (250 mm of 280), at walking pace:
    for the ride-height screenshot."""
    values = typical()
    values["drive"]["Vehicle.Speed"] = 1.5
    values["terrain"].update({
        "Vehicle.Ema.TerrainResponse.Program.Requested": "COMFORT",
        "Vehicle.Ema.TerrainResponse.Program.Active": "COMFORT",
        "Vehicle.Ema.Chassis.RideHeight.Level": "OFF_ROAD",
        "Vehicle.Ema.Chassis.RideHeight.Target": 0.28,
        "Vehicle.Ema.Chassis.RideHeight.Actual": 0.25,
    })
    return values


def too_fast() -> dict[str, dict[str, Any]]:
    """On a gravel road at 54 km/h in Grass Gravel Snow: Rock Crawl (below 30 km/h) and Wade
    (below 15 km/h) cannot be selected, and their tiles say so."""
    values = typical()
    values["drive"]["Vehicle.Speed"] = 15.0
    values["terrain"].update({
        "Vehicle.Ema.TerrainResponse.Program.Requested": "GRASS_GRAVEL_SNOW",
        "Vehicle.Ema.TerrainResponse.Program.Active": "GRASS_GRAVEL_SNOW",
        "Vehicle.Ema.TerrainResponse.Availability.RockCrawl": "SPEED_TOO_HIGH",
        "Vehicle.Ema.TerrainResponse.Availability.Wade": "SPEED_TOO_HIGH",
        "Vehicle.Ema.Chassis.RideHeight.Level": "NORMAL",
        "Vehicle.Ema.Chassis.RideHeight.Target": 0.22,
        "Vehicle.Ema.Chassis.RideHeight.Actual": 0.22,
    })
    return values


def engaging() -> dict[str, dict[str, Any]]:
    """Parked, Rock Crawl being engaged from Comfort: the body rises to Extended meanwhile."""
    values = typical()
    values["drive"]["Vehicle.Speed"] = 0.0
    values["terrain"].update({
        "Vehicle.Ema.TerrainResponse.Program.Requested": "ROCK_CRAWL",
        "Vehicle.Ema.TerrainResponse.Program.Active": "COMFORT",
        "Vehicle.Ema.TerrainResponse.Program.ChangeState": "ENGAGING",
        "Vehicle.Ema.TerrainResponse.Availability.Wade": "AVAILABLE",
        "Vehicle.Ema.Chassis.RideHeight.Level": "EXTENDED",
        "Vehicle.Ema.Chassis.RideHeight.Target": 0.31,
        "Vehicle.Ema.Chassis.RideHeight.Actual": 0.26,
    })
    return values
