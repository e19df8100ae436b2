"""Vehicle screen: the configured car from above (paint, roof, decals, wheels, rack, spare,
arches, the seats fitted), My vehicle (options and their range costs), doors, tailgate, seat
belts, tyres, distances."""

from ..i18n import N_
from ..kvloader import load_kv_beside
from .base import HmiScreen


class VehicleScreen(HmiScreen):
    title = N_("Vehicle")
    icon = "vehicle"


load_kv_beside(__file__)
