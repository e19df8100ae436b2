"""Reusable widgets; importing this package registers them for the .kv files.

It also routes every Label through hmi.i18n.script's core label (fonts per script, Arabic
shaped), before any of these widgets can create one."""


from ..i18n import script
from .base import CanvasWidget
from .car import VehicleDiagram
from .controls import Chip, NavButton, Panel, TapButton, TextLabel
from .gauges import Inclinometer, LevelBar, LineGraph, PowerMeter, TorqueDiagram
from .icons import Icon
from .interactive import (
    ChoiceButton,
    GearSelector,
    LockerButton,
    RideHeightButton,
    TelltaleChip,
    TerrainTileButton,
)
from .readout import ReadoutLabel

__all__ = ["CanvasWidget", "Chip", "ChoiceButton", "GearSelector", "Icon", "Inclinometer",
           "LevelBar", "LineGraph", "LockerButton", "NavButton", "Panel", "PowerMeter",
           "ReadoutLabel", "RideHeightButton", "TapButton", "TelltaleChip", "TerrainTileButton",
           "TextLabel", "TorqueDiagram", "VehicleDiagram"]

script.install()
