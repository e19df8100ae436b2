"""The six screens, in navigation order. Each is a .py next to its .kv, loaded once on import."""

from .base import HmiScreen
from .charging import ChargingScreen
from .drive import DriveScreen
from .energy import EnergyScreen
from .settings import SettingsScreen
from .terrain import TerrainScreen
from .vehicle import VehicleScreen

SCREENS: dict[str, type[HmiScreen]] = {
    "drive": DriveScreen,
    "terrain": TerrainScreen,
    "energy": EnergyScreen,
    "charging": ChargingScreen,
    "vehicle": VehicleScreen,
    "settings": SettingsScreen,
}
SCREEN_NAMES = tuple(SCREENS)

__all__ = ["SCREENS", "SCREEN_NAMES", "HmiScreen", "ChargingScreen", "DriveScreen",
           "EnergyScreen", "SettingsScreen", "TerrainScreen", "VehicleScreen"]
