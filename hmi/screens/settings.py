"""Settings screen: units, day/night theme, accent colour, connection and diagnostics."""

from ..i18n import N_
from ..kvloader import load_kv_beside
from .base import HmiScreen


class SettingsScreen(HmiScreen):
    title = N_("Settings")
    icon = "settings"


load_kv_beside(__file__)
