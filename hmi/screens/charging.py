"""Charging screen: state, power, SoC to limit, time to limit, range per hour, limit control."""

from ..i18n import N_
from ..kvloader import load_kv_beside
from .base import HmiScreen


class ChargingScreen(HmiScreen):
    title = N_("Charging")
    icon = "charging"


load_kv_beside(__file__)
