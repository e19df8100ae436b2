"""Settings screen: language, units, day/night theme, accent colour, diagnostics."""

from typing import Any

from kivy.properties import ObjectProperty, StringProperty
from kivy.uix.modalview import ModalView

from ..i18n import BY_TAG, LANGUAGES, N_
from ..kvloader import load_kv_beside
from ..widgets import ChoiceButton
from .base import HmiScreen


class MenuButton(ChoiceButton):
    """A settings button that opens a picker (kv's on_release) instead of choosing a value;
    it shows the current choice and is never lit itself."""

    def on_release(self) -> None:
        pass


class LanguagePicker(ModalView):
    """Twelve choices in a grid, each named in its own language (a driver who cannot read
    the current one still finds theirs); a tap switches at once and closes the picker."""

    theme = ObjectProperty(None, allownone=True)
    metrics = ObjectProperty(None, allownone=True)
    preferences = ObjectProperty(None, allownone=True)

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.choices: dict[str, ChoiceButton] = {}
        for language in LANGUAGES:
            button = ChoiceButton(theme=self.theme, metrics=self.metrics,
                                  preferences=self.preferences, kind="language",
                                  value=language.tag, text=language.native_name)
            button.bind(on_release=lambda *_: self.dismiss())
            self.choices[language.tag] = button
            self.ids.choices.add_widget(button)


class SettingsScreen(HmiScreen):
    title = N_("Settings")
    icon = "settings"
    language_name = StringProperty("")   # the current language, under its own name
    picker = ObjectProperty(None, allownone=True)

    def on_models(self, _screen: Any, models: Any) -> None:
        models.preferences.fbind("language", self._show_language)
        self._show_language()

    def _show_language(self, *_: Any) -> None:
        self.language_name = BY_TAG[self.models.preferences.language].native_name

    def open_language_picker(self) -> LanguagePicker:
        """Open the picker (a tap on the Language button; tests call it the same way)."""
        if self.picker is None:
            self.picker = LanguagePicker(theme=self.theme, metrics=self.metrics,
                                         preferences=self.models.preferences)
        self.picker.open(animation=False)
        return self.picker


load_kv_beside(__file__)
