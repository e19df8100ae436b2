"""Terrain Response screen: program tiles, effects, torque and lockers, attitude, wade, height.

The program tiles are not written out in terrain.kv: there is one per program of the
catalogue's `TerrainProgram` enum, in its order (the view-model's `tiles`, named from
hmi/labels.py), built here into the kv's `tiles` grid. A program added to the catalogue gets
its tile without a kv edit.
"""

from typing import Any

from ..i18n import N_
from ..kvloader import load_kv_beside
from ..widgets import TerrainTileButton
from .base import HmiScreen


class TerrainScreen(HmiScreen):
    title = N_("Terrain")
    icon = "terrain"

    def on_kv_post(self, base_widget: Any) -> None:
        super().on_kv_post(base_widget)
        self._build_tiles()

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


load_kv_beside(__file__)
