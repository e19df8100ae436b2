"""Drive (home) screen: speed, gear, power meter, battery, ranges, program and telltales."""

from ..kvloader import load_kv_beside
from .base import HmiScreen


class DriveScreen(HmiScreen):
    title = "Drive"
    icon = "drive"


load_kv_beside(__file__)
