"""Driver preferences from the Settings screen: language, units, theme, accent; saved as JSON.

Units follow the language's market (hmi.i18n.languages: a British car starts in miles, a
German one in kilometres) until the driver picks one; each unit the driver picked is kept
through later language changes, and "market units" hands them all back to the market.
The file holds what the driver chose, and only that: the language once picked in Settings
(not one given for a run with `--language`, nor the system locale's default), the units
picked, the theme, and the accent once picked. Until the driver picks an accent it follows the
paint of the car (hmi.theme.PAINT_ACCENTS, from the configuration frame); once picked, the
driver's accent wins and is kept.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path
from typing import Any

from kivy.event import EventDispatcher
from kivy.properties import ListProperty, StringProperty

from ..i18n import BY_TAG, SOURCE_LANGUAGE
from ..theme import ACCENTS, DEFAULT_ACCENT, DEFAULT_THEME, PALETTES
from ..units import ConsumptionUnit, DistanceUnit, TemperatureUnit, UnitPreferences

LOG = logging.getLogger(__name__)
UNIT_KINDS = ("distance", "temperature", "consumption")


class PreferencesModel(EventDispatcher):
    """Choices the driver made; the frame applier, the translator and the theme follow them."""

    language = StringProperty(SOURCE_LANGUAGE)
    distance = StringProperty(DistanceUnit.KM.value)
    temperature = StringProperty(TemperatureUnit.CELSIUS.value)
    consumption = StringProperty(ConsumptionUnit.KWH_PER_100KM.value)
    theme = StringProperty(DEFAULT_THEME)
    accent = StringProperty(DEFAULT_ACCENT)
    chosen_units = ListProperty()   # the unit kinds the driver picked (not the market's)
    unit_source = StringProperty("market")   # "market" until the driver picks a unit

    def __init__(self, path: Path | None = None, default_language: str = SOURCE_LANGUAGE,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.path = path
        self.accent_names = list(ACCENTS)
        self._chosen_language: str | None = None   # picked by the driver: the one saved
        self._chosen_accent: str | None = None     # likewise; None: follow the paint
        self.language = default_language if default_language in BY_TAG else SOURCE_LANGUAGE
        self._follow_market()
        if path is not None:
            self._load(path)

    @property
    def units(self) -> UnitPreferences:
        return UnitPreferences(DistanceUnit(self.distance), TemperatureUnit(self.temperature),
                               ConsumptionUnit(self.consumption))

    @property
    def market_units(self) -> UnitPreferences:
        """The units the current language's market reads."""
        return BY_TAG[self.language].units

    def set_units(self, units: UnitPreferences) -> None:
        """The driver chose all three units (they now stay through language changes)."""
        self.chosen_units = list(UNIT_KINDS)
        self._show_units(units)
        self._save()

    def choose(self, kind: str, value: str) -> None:
        """One method for every settings control: kind is language, distance, temperature,
        consumption, theme, accent, or unit_source ("market": drop the driver's unit picks)."""
        if kind in UNIT_KINDS:
            units = self.units.with_choice(kind, value)
            self.chosen_units = sorted({*self.chosen_units, kind})
            self._show_units(units)
        elif kind == "language" and value in BY_TAG:
            self.language = self._chosen_language = value
            self._follow_market()
        elif kind == "unit_source" and value == "market":
            self.chosen_units = []
            self._follow_market()
        elif kind == "theme" and value in PALETTES:
            self.theme = value
        elif kind == "accent" and value in ACCENTS:
            self.accent = self._chosen_accent = value
        else:
            raise ValueError(f"unknown preference {kind}={value}")
        self._save()

    @property
    def accent_chosen(self) -> bool:
        return self._chosen_accent is not None

    def follow_paint(self, accent: str) -> None:
        """The car's paint family suggests `accent` (a name of ACCENTS, "" for none known):
        taken only while the driver has not picked one, and not saved (it is no choice)."""
        if self._chosen_accent is None and accent in ACCENTS:
            self.accent = accent

    def start_in(self, language: str) -> None:
        """Show `language` for this run (`--language`, $EMA_LANGUAGE) without saving it."""
        if language not in BY_TAG:
            raise ValueError(f"unknown language {language}")
        self.language = language
        self._follow_market()

    def as_dict(self) -> dict[str, Any]:
        """What is saved: {"language" (once the driver picked one), "units": {the units the
        driver picked}, "theme", "accent" (once the driver picked one)}."""
        chosen = {kind: getattr(self, kind) for kind in UNIT_KINDS if kind in self.chosen_units}
        language = {"language": self._chosen_language} if self._chosen_language else {}
        accent = {"accent": self._chosen_accent} if self._chosen_accent else {}
        return {**language, "units": chosen, "theme": self.theme, **accent}

    def on_chosen_units(self, _model: Any, chosen: list[str]) -> None:
        self.unit_source = "driver" if chosen else "market"

    def _show_units(self, units: UnitPreferences) -> None:
        self.distance, self.temperature = units.distance.value, units.temperature.value
        self.consumption = units.consumption.value

    def _follow_market(self) -> None:
        market = self.market_units.as_dict()
        mixed = {kind: getattr(self, kind) if kind in self.chosen_units else market[kind]
                 for kind in UNIT_KINDS}
        self._show_units(UnitPreferences(DistanceUnit(mixed["distance"]),
                                         TemperatureUnit(mixed["temperature"]),
                                         ConsumptionUnit(mixed["consumption"])))

    def _load(self, path: Path) -> None:
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            return
        except (OSError, ValueError) as error:
            LOG.warning("ignoring unreadable preferences %s: %s", path, error)
            return
        if not isinstance(data, dict):
            LOG.warning("ignoring preferences %s: not a JSON object", path)
            return
        units = data.get("units")
        # Files written before languages existed hold every unit at the top level.
        chosen = units if isinstance(units, dict) else {k: data[k] for k in UNIT_KINDS if k in data}
        for kind, value in [("language", data.get("language")), *chosen.items(),
                            ("theme", data.get("theme")), ("accent", data.get("accent"))]:
            if isinstance(value, str):
                try:
                    self.choose(kind, value)
                except ValueError:
                    LOG.warning("ignoring preference %s=%r", kind, value)

    def _save(self) -> None:
        if self.path is None:
            return
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self.as_dict(), indent=1), encoding="utf-8")
        except OSError as error:
            LOG.warning("could not save preferences to %s: %s", self.path, error)
