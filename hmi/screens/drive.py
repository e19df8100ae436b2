"""Drive (home) screen: speed, gear, power meter, battery, ranges, program and telltales."""

from ..i18n import N_
from ..kvloader import load_kv_beside
from .base import HmiScreen


class DriveScreen(HmiScreen):
    title = N_("Drive")
    icon = "drive"


load_kv_beside(__file__)
