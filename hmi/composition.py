"""Composition root: the one place that builds the link, the view-models and the screens.

Everything is passed in from here (no `App.get_running_app()` lookups), so a test builds
exactly the same object graph as the product, with a transport of its choice.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from protocols import Codec, VehicleTopics, load_catalogue
from protocols.auth import CommandSigner
from protocols.bus import BrokerSettings, Transport
from protocols.freshness import DEFAULT_CLOCK_TOLERANCE_S

from .applier import FrameApplier
from .commands import CommandTracker
from .i18n import SOURCE_LANGUAGE, tr
from .link import VehicleLink
from .metrics import Metrics
from .models import (
    BodyModel,
    ChargingModel,
    ConfigurationModel,
    DriveModel,
    EnergyModel,
    LinkModel,
    PreferencesModel,
    TerrainModel,
    ViewModels,
)
from .pacing import ApplyPacer
from .profiles import DEFAULT_PROFILE, PROFILES, Profile
from .report import DisplayReporter
from .signals import SignalTable
from .store import SignalStore
from .theme import Theme

LOG = logging.getLogger(__name__)


@dataclass
class Hmi:
    """The running HMI: link, models, frame applier and (once built) the root widget."""

    link: VehicleLink
    store: SignalStore
    table: SignalTable
    commands: CommandTracker
    models: ViewModels
    applier: FrameApplier
    theme: Theme
    metrics: Metrics
    profile: Profile
    initial_screen: str = "drive"
    root: Any = None
    reporter: DisplayReporter | None = None
    pacer: ApplyPacer | None = None
    _started: bool = field(default=False, repr=False)

    def build_root(self) -> Any:
        """Create the widget tree (needs the Kivy window, so call it from App.build or a test)."""
        from .shell import Shell

        if self.root is None:
            self.root = Shell(models=self.models, theme=self.theme, metrics=self.metrics,
                              current=self.initial_screen)
        return self.root

    def start(self) -> None:
        """Connect, and from now on apply bus data as it arrives (hmi.pacing)."""
        if not self._started:
            self._started = True
            if self.pacer is None:
                self.pacer = pace_applier(self)
            self.pacer.start()
            self.link.start()
            if self.reporter is not None:
                self.reporter.start()

    def stop(self) -> None:
        """Idempotent: Kivy calls on_stop twice."""
        if self._started:
            self._started = False
            if self.pacer is not None:
                self.pacer.stop()
            if self.reporter is not None:
                self.reporter.stop()
            self.link.close()

    def show(self, screen: str) -> None:
        self.build_root().show(screen)

    # --- test controls (hmi/request "tap" / "show", see hmi/report.py) --------------------------
    def show_named(self, screen: str) -> bool:
        if self.root is None or screen not in self.root.screens:
            return False
        self.show(screen)
        return True

    def tap(self, target: str) -> bool:
        """Press what the driver could press: `terrain.PROGRAM`, `locker.FRONT|REAR` or
        `ride.LEVEL` (a ride-height level of the catalogue)."""
        kind, _, name = target.partition(".")
        terrain = self.models.terrain
        if kind == "terrain" and name in terrain.tile:
            terrain.request_program(name)
            return True
        if kind == "locker" and name in terrain.lockers:
            terrain.toggle_locker(name)
            return True
        if kind == "ride" and name in terrain.ride.level:
            terrain.request_ride_height(name)
            return True
        return False

    def display_revision(self) -> tuple[Any, ...]:
        """Changes whenever the display may have: an applied tick (data, staleness, ages,
        commands, units), another screen, theme or accent."""
        preferences = self.models.preferences
        return (self.pacer.ticks if self.pacer is not None else 0,
                self.root.current if self.root is not None else self.initial_screen,
                preferences.theme, preferences.accent, preferences.language)

    def display_snapshot(self) -> dict[str, Any]:
        """What the screen shows now, as plain data (hmi/report.py publishes it: PROTOCOL.md §10).

        {"screen", "profile", "language", "theme", "accent", "units": {...}, "link": {...},
         "banner": {"visible", "text", "key"}, "telltales": [{"name", "label", "colour"}],
         "terrain_tiles": {PROGRAM: {"state", "detail", "key"}},
         "lockers": {AXLE: {"state", "detail", "key", "engaged"}},
         "ride_height": {"requested", "state", "key", "target", "detail",
                         "levels": {LEVEL: {"state", "detail", "key"}}},
         "charge_limit": {"setpoint", "status", "value", "state", "key"},
         "readouts": {"drive.speed": {"signal", "text", "unit", "value", "key", "stale",
                                      "state", "age", "screen"}, ...},
         "vehicle": {"state", "drawn", "live", "age", "message", "paint", "roof", "decals",
                     "wheels", "roof_rack", "arches", "spare_wheel", "jump_seat", "fitted",
                     "costs": {OPTION: {"text", "unit", "value"}}, "pack", "rated_range"}}

        Texts are as shown (the driver's language and units); `value`, `key`, `state` and
        `name` are the same in every language, for tests.
        """
        models = self.models
        readouts: dict[str, Any] = {}
        for model in models.domains:
            readouts.update(model.snapshot())
        return {
            "screen": self.root.current if self.root is not None else self.initial_screen,
            "profile": self.profile.name,
            "language": models.preferences.language,
            "theme": models.preferences.theme,
            "accent": models.preferences.accent,
            "units": models.preferences.units.as_dict(),
            "link": models.link.snapshot(),
            "banner": {"visible": models.link.banner_visible,
                       "text": models.link.banner_text if models.link.banner_visible else "",
                       "key": models.link.banner_key if models.link.banner_visible else None},
            "telltales": models.drive.visible_telltales(),
            "terrain_tiles": models.terrain.tile_snapshot(),
            "lockers": {axle: control.snapshot()
                        for axle, control in models.terrain.lockers.items()},
            "ride_height": models.terrain.ride.snapshot(),
            "charge_limit": models.charging.limit_snapshot(),
            "readouts": readouts,
            "vehicle": models.configuration.report(),
        }


def follow_language(preferences: PreferencesModel) -> None:
    """The translator shows the preferred language, now and after every change."""
    tr.switch(preferences.language)
    preferences.fbind("language", lambda _model, tag: tr.switch(tag))


def pace_applier(hmi: Hmi) -> ApplyPacer:
    """Run the applier when the link delivers, the driver sends a command or changes units,
    and when it is next due (a value going stale, ages, time-outs)."""
    applier = hmi.applier
    pacer = ApplyPacer(applier.tick, lambda: applier.next_due_s)
    hmi.store.set_waker(pacer.wake, urgent=pacer.wake_now)
    hmi.commands.on_sent = pacer.wake_now  # the driver tapped: show "requested" next frame
    hmi.models.preferences.fbind("distance", pacer.wake)
    hmi.models.preferences.fbind("temperature", pacer.wake)
    hmi.models.preferences.fbind("consumption", pacer.wake)
    hmi.models.preferences.fbind("language", pacer.wake_now)   # texts change in this frame
    return pacer


def build_hmi(transport: Transport, vehicle: str, profile: str = DEFAULT_PROFILE,
              screen: str = "drive", broker_url: str = "",
              preferences_path: Path | None = None, signer: CommandSigner | None = None,
              clock_tolerance_s: float = DEFAULT_CLOCK_TOLERANCE_S,
              language: str | None = None, default_language: str = SOURCE_LANGUAGE) -> Hmi:
    """Wire an HMI around `transport` (MqttTransport in the product, any Transport in tests).

    The language is `language` for this run if given (`--language`), else the driver's saved
    choice, else `default_language` (the system locale's, from hmi.cli).

    `signer` holds the vehicle's command key; without one the link takes the key from
    $EMA_COMMAND_KEY_FILE, else the (insecure) development key. The same key verifies what the
    vehicle publishes.
    """
    catalogue = load_catalogue()
    store = SignalStore(clock_tolerance_s)
    link = VehicleLink(transport, VehicleTopics(vehicle), store, Codec(catalogue), broker_url,
                       signer=signer)
    commands = CommandTracker(link.send_command)
    preferences = PreferencesModel(preferences_path, default_language)
    if language is not None:
        preferences.start_in(language)
    follow_language(preferences)
    models = ViewModels(
        drive=DriveModel(catalogue),
        energy=EnergyModel(catalogue),
        terrain=TerrainModel(catalogue, commands, time.monotonic),
        charging=ChargingModel(catalogue, commands, time.monotonic),
        body=BodyModel(catalogue),
        link=LinkModel(broker_url, vehicle, link.sealer.development),
        preferences=preferences,
        configuration=ConfigurationModel(catalogue),
    )
    commands.reachable = lambda: models.link.vehicle_online   # else "Not connected" at once
    table = SignalTable(catalogue)
    applier = FrameApplier(store, table, models, commands)
    theme = Theme(preferences.theme, preferences.accent)
    preferences.bind(theme=lambda *_: theme.apply(preferences.theme, preferences.accent),
                     accent=lambda *_: theme.apply(preferences.theme, preferences.accent))
    models.configuration.fbind("accent_family",
                               lambda _model, family: preferences.follow_paint(family))
    chosen = PROFILES[profile]
    hmi = Hmi(link, store, table, commands, models, applier, theme, Metrics(chosen), chosen,
              screen)
    hmi.reporter = DisplayReporter(transport, link.topics, hmi.display_snapshot,
                                   actions={"tap": hmi.tap, "show": hmi.show_named},
                                   revision=hmi.display_revision)
    return hmi


def build_mqtt_hmi(settings: BrokerSettings, vehicle: str, profile: str = DEFAULT_PROFILE,
                   screen: str = "drive", preferences_path: Path | None = None,
                   signer: CommandSigner | None = None,
                   clock_tolerance_s: float = DEFAULT_CLOCK_TOLERANCE_S,
                   language: str | None = None,
                   default_language: str = SOURCE_LANGUAGE) -> Hmi:
    """The product wiring: paho-mqtt transport that reconnects within 1 s of the broker's return."""
    import uuid

    from protocols.bus.mqtt import MqttTransport

    transport = MqttTransport(settings, client_id=f"ema-hmi-{vehicle}-{uuid.uuid4().hex[:8]}")
    return build_hmi(transport, vehicle, profile, screen, settings.url, preferences_path, signer,
                     clock_tolerance_s, language, default_language)
