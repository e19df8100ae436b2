"""On the Kivy main thread, when data arrives or `next_due_s` comes (hmi.pacing): apply what
changed on the bus to the view-models.

Drains the store (latest value per signal, all events), re-judges staleness, and updates only
the models whose signals changed value or freshness; a unit switch or a command answer
updates the models that show them. Kivy properties dispatch only on real change, so an idle
bus costs two ticks a second (diagnostics, ages) and no redraw unless a figure changed.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable

from .commands import CommandTracker
from .diagnostics import LatencyWindow, RateMeter
from .models import ViewModels
from .signals import SignalTable
from .store import (
    CommandFailed,
    ConnectionChanged,
    ResultReceived,
    SignalStore,
    VehicleOnlineChanged,
)
from .units import UnitPreferences

LOG = logging.getLogger(__name__)

SLOW_REFRESH_S = 1.0       # ages of stale values, timed-out commands, held refusals
DIAGNOSTICS_REFRESH_S = 0.5


class FrameApplier:
    """Moves data from the link's store into the view-models; call `tick` when the store has
    data and again at `next_due_s` (hmi.pacing.ApplyPacer does both)."""

    def __init__(self, store: SignalStore, table: SignalTable, models: ViewModels,
                 commands: CommandTracker, clock: Callable[[], float] = time.monotonic,
                 wall_clock: Callable[[], float] = time.time) -> None:
        self.store = store
        self.table = table
        self.models = models
        self.commands = commands
        self.clock = clock
        self.wall_clock = wall_clock
        self.latency = LatencyWindow()
        self.rate = RateMeter()
        self._units: UnitPreferences | None = None
        self._language = ""
        self._command_revision = -1
        self._next_slow_s = 0.0
        self._next_diagnostics_s = 0.0
        self.next_due_s = 0.0  # when tick must run again even if nothing arrives (monotonic)

    def tick(self, dt: float | None = None) -> None:
        now_s = self.clock()
        drained = self.store.drain()
        if drained.frame_ts_us:
            wall_us = self.wall_clock() * 1e6
            for ts_us in drained.frame_ts_us.values():
                self.latency.add(max(0.0, (wall_us - ts_us) / 1e6))
        self.table.apply(drained.samples)
        changed = set(drained.samples)
        for event in drained.events:
            self._handle_event(event, now_s)
        self.table.vehicle_offline = self.models.link.vehicle_reported_offline
        self.commands.expire(now_s)
        changed |= self.table.refresh(now_s, self.wall_clock())
        units, language = self.models.preferences.units, self.models.preferences.language
        everything = (units != self._units or language != self._language
                      or now_s >= self._next_slow_s)
        commands_changed = self.commands.revision != self._command_revision
        if everything:
            self._units, self._language = units, language
            self._next_slow_s = now_s + SLOW_REFRESH_S
        self._command_revision = self.commands.revision
        for model in self.models.domains:
            if (everything or (model.uses_commands and commands_changed)
                    or not model.signals.isdisjoint(changed)):
                model.update(self.table, units, now_s)
        link = self.models.link
        link.note_refusals(self.store.counters(), now_s)
        link.update_banner(self.table.any_fresh())
        if now_s >= self._next_diagnostics_s:
            self._next_diagnostics_s = now_s + DIAGNOSTICS_REFRESH_S
            counters = self.store.counters()
            link.update_diagnostics(counters, self.rate.update(now_s, counters.received),
                                    self.latency.percentile(0.5), self.latency.percentile(0.99),
                                    self.table.stale_count())
        self.next_due_s = min(self.table.next_flip_s, self._next_slow_s,
                              self._next_diagnostics_s, self.commands.next_expiry_s,
                              link.refusing_until_s)

    def _handle_event(self, event: object, now_s: float) -> None:
        link = self.models.link
        if isinstance(event, ConnectionChanged):
            LOG.info("broker %s", "connected" if event.connected else "lost")
            link.set_broker_connected(event.connected)
        elif isinstance(event, VehicleOnlineChanged):
            LOG.info("vehicle %s", "online" if event.online else "offline")
            link.set_vehicle_status(event.online)
        elif isinstance(event, ResultReceived):
            self.commands.on_result(event.result, now_s)
        elif isinstance(event, CommandFailed):
            self.commands.on_failed(event.rid, event.reason, now_s)
