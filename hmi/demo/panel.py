"""The simulation control panel beside the cabin screens (desktop demo only)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kivy.lang import Builder
from kivy.properties import NumericProperty, ObjectProperty, StringProperty
from kivy.uix.boxlayout import BoxLayout
from kivy.uix.togglebutton import ToggleButton

from ..i18n import script
from .panel_model import CONFIGURATION_LABELS, FAULT_LABELS, SCENARIO_LABELS, SPEEDS

script.install()   # the panel's labels render Arabic and CJK like the cabin's


class PanelButton(ToggleButton):
    panel = ObjectProperty(None, allownone=True)


class ScenarioButton(PanelButton):
    scenario = StringProperty("")
    label = StringProperty("")


class ConfigurationButton(PanelButton):
    configuration = StringProperty("")
    label = StringProperty("")


class SpeedButton(PanelButton):
    factor = NumericProperty(1.0)


class FaultButton(PanelButton):
    fault = StringProperty("")
    label = StringProperty("")


Builder.load_file(str(Path(__file__).with_name("panel.kv")))



class SimControlPanel(BoxLayout):
    """Lays out the panel; all state and actions live in `model` (a SimPanelModel)."""

    model = ObjectProperty(None, rebind=True)
    theme = ObjectProperty(None, rebind=True)
    speeds = SPEEDS
    fault_labels = FAULT_LABELS

    def __init__(self, **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.build_choices()

    def build_choices(self) -> None:
        for scenario in self.model.scenarios:
            self.ids.scenarios.add_widget(ScenarioButton(
                panel=self, scenario=scenario, label=SCENARIO_LABELS.get(scenario, scenario)))
        for configuration in self.model.configurations:
            self.ids.configurations.add_widget(ConfigurationButton(
                panel=self, configuration=configuration,
                label=CONFIGURATION_LABELS.get(configuration, configuration)))
        for factor in self.speeds:
            self.ids.speeds.add_widget(SpeedButton(panel=self, factor=factor))
        for fault, label in self.fault_labels.items():
            self.ids.faults.add_widget(FaultButton(panel=self, fault=fault, label=label))
