"""Terrain Response screen: program tiles, effects, torque and lockers, attitude, wade, height.

The program tiles are not written out in terrain.kv: there is one per program of the
catalogue's `TerrainProgram` enum, in its order (the view-model's `tiles`, named from
hmi/labels.py), built here into the kv's `tiles` grid. A program added to the catalogue gets
its tile without a kv edit. The ride-height buttons are built the same way, one per level of
the catalogue's `RideHeightLevel` (the view-model's `ride_levels`), into `ride_buttons`.
"""

from typing import Any

from ..i18n import N_
from ..kvloader import load_kv_beside
from ..widgets import RideHeightButton, TerrainTileButton
from .base import HmiScreen


class TerrainScreen(HmiScreen):
    title = N_("Terrain")
    icon = "terrain"

    def on_kv_post(self, base_widget: Any) -> None:
        super().on_kv_post(base_widget)
        self._build_tiles()
        self._build_ride_buttons()

    def _build_tiles(self) -> None:
        """One tile button per program tile of the terrain view-model."""
        grid = self.ids.tiles
        grid.clear_widgets()
        if self.models is None:
            return
        terrain = self.models.terrain
        for tile in terrain.tiles:
            button = TerrainTileButton(theme=self.theme, metrics=self.metrics, tile=tile)
            self.fbind("theme", button.setter("theme"))
            self.fbind("metrics", button.setter("metrics"))
            button.bind(on_release=lambda _button, program=tile.program:
                        terrain.request_program(program))
            grid.add_widget(button)

    def _build_ride_buttons(self) -> None:
        """One button per ride-height level of the catalogue, lowest first."""
        row = self.ids.ride_buttons
        row.clear_widgets()
        if self.models is None:
            return
        terrain = self.models.terrain
        for control in terrain.ride_levels:
            button = RideHeightButton(theme=self.theme, metrics=self.metrics, control=control)
            self.fbind("theme", button.setter("theme"))
            self.fbind("metrics", button.setter("metrics"))
            button.bind(on_release=lambda _button, level=control.level:
                        terrain.request_ride_height(level))
            row.add_widget(button)


load_kv_beside(__file__)
