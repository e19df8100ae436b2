"""Energy screen: consumption over recent distance, averages, ranges, range per program."""

from ..i18n import N_
from ..kvloader import load_kv_beside
from .base import HmiScreen


class EnergyScreen(HmiScreen):
    title = N_("Energy")
    icon = "energy"


load_kv_beside(__file__)
