"""Vehicle screen: doors, tailgate, seat belts (five seats and the jump seat), tyres, distances."""

from ..i18n import N_
from ..kvloader import load_kv_beside
from .base import HmiScreen


class VehicleScreen(HmiScreen):
    title = N_("Vehicle")
    icon = "vehicle"


load_kv_beside(__file__)
