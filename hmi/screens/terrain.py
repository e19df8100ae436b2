"""Terrain Response screen: program tiles, effects, torque and lockers, attitude, wade, height."""

from ..kvloader import load_kv_beside
from .base import HmiScreen


class TerrainScreen(HmiScreen):
    title = "Terrain"
    icon = "terrain"


load_kv_beside(__file__)
