"""Reusable widgets; importing this package registers them for the .kv files."""

from .base import CanvasWidget
from .controls import Chip, NavButton, Panel, ReadoutLabel, TapButton, TextLabel
from .gauges import Inclinometer, LevelBar, LineGraph, PowerMeter, TorqueDiagram, VehicleDiagram
from .icons import Icon
from .interactive import ChoiceButton, GearSelector, LockerButton, TelltaleChip, TerrainTileButton

__all__ = ["CanvasWidget", "Chip", "ChoiceButton", "GearSelector", "Icon", "Inclinometer",
           "LevelBar", "LineGraph", "LockerButton", "NavButton", "Panel", "PowerMeter",
           "ReadoutLabel", "TapButton", "TelltaleChip", "TerrainTileButton", "TextLabel",
           "TorqueDiagram", "VehicleDiagram"]
