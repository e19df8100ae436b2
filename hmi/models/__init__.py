"""View-models, one per domain: Kivy EventDispatchers whose properties the .kv files bind to."""

from __future__ import annotations

from kivy.event import EventDispatcher

from .base import DomainModel
from .body import BodyModel
from .charging import ChargingModel
from .configuration import ConfigurationModel
from .drive import DriveModel
from .energy import EnergyModel
from .link import LinkModel
from .preferences import PreferencesModel
from .readout import DerivedText, Readout, Telltale
from .terrain import TerrainModel


class ViewModels(EventDispatcher):
    """Every view-model of the app, handed to each screen by the composition root.

    An EventDispatcher (not a dataclass) on purpose: kv keeps what it meets in a binding
    chain like `root.models.drive.speed.text`, weakly for EventDispatchers and strongly for
    anything else, and a strong reference there would keep every screen alive for ever.
    """

    def __init__(self, drive: DriveModel, energy: EnergyModel, terrain: TerrainModel,
                 charging: ChargingModel, body: BodyModel, link: LinkModel,
                 preferences: PreferencesModel,
                 configuration: ConfigurationModel | None = None) -> None:
        super().__init__()
        self.drive = drive
        self.energy = energy
        self.terrain = terrain
        self.charging = charging
        self.body = body
        self.link = link
        self.preferences = preferences
        self.configuration = configuration or ConfigurationModel(body.catalogue)

    @property
    def domains(self) -> tuple[DomainModel, ...]:
        return (self.drive, self.energy, self.terrain, self.charging, self.body,
                self.configuration)


__all__ = ["BodyModel", "ChargingModel", "ConfigurationModel", "DerivedText", "DomainModel",
           "DriveModel", "EnergyModel", "LinkModel", "PreferencesModel", "Readout", "Telltale",
           "TerrainModel", "ViewModels"]
