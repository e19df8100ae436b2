"""Driver preferences from the Settings screen: units, theme, accent; saved as a small JSON file."""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from kivy.event import EventDispatcher
from kivy.properties import StringProperty

from ..theme import ACCENTS, DEFAULT_ACCENT, DEFAULT_THEME, PALETTES
from ..units import ConsumptionUnit, DistanceUnit, TemperatureUnit, UnitPreferences

LOG = logging.getLogger(__name__)


class PreferencesModel(EventDispatcher):
    """Choices the driver made; the frame applier and the theme follow them."""

    distance = StringProperty(DistanceUnit.KM.value)
    temperature = StringProperty(TemperatureUnit.CELSIUS.value)
    consumption = StringProperty(ConsumptionUnit.KWH_PER_100KM.value)
    theme = StringProperty(DEFAULT_THEME)
    accent = StringProperty(DEFAULT_ACCENT)

    def __init__(self, path: Path | None = None, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.path = path
        self.accent_names = list(ACCENTS)
        if path is not None:
            self._load(path)

    @property
    def units(self) -> UnitPreferences:
        return UnitPreferences(DistanceUnit(self.distance), TemperatureUnit(self.temperature),
                               ConsumptionUnit(self.consumption))

    def set_units(self, units: UnitPreferences) -> None:
        self.distance, self.temperature = units.distance.value, units.temperature.value
        self.consumption = units.consumption.value
        self._save()

    def choose(self, kind: str, value: str) -> None:
        """One method for every settings control: kind is distance, temperature,
        consumption, theme or accent."""
        if kind in ("distance", "temperature", "consumption"):
            self.set_units(self.units.with_choice(kind, value))
            return
        if kind == "theme" and value in PALETTES:
            self.theme = value
        elif kind == "accent" and value in ACCENTS:
            self.accent = value
        else:
            raise ValueError(f"unknown preference {kind}={value}")
        self._save()

    def as_dict(self) -> dict[str, str]:
        return {**self.units.as_dict(), "theme": self.theme, "accent": self.accent}

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as error:
            LOG.warning("ignoring unreadable preferences %s: %s", path, error)
            return
        for kind in ("distance", "temperature", "consumption", "theme", "accent"):
            if isinstance(data.get(kind), str):
                try:
                    self.choose(kind, data[kind])
                except ValueError:
                    LOG.warning("ignoring preference %s=%r", kind, data[kind])

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.as_dict(), indent=1), encoding="utf-8")
        except OSError as error:
            LOG.warning("could not save preferences to %s: %s", self.path, error)
