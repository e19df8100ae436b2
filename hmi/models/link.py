"""Link view-model: connection, vehicle online state, the offline banner and diagnostics.

The link's state is said once: while the banner is up (connecting, offline, no data) it alone
says so, in red, and the status bar says nothing beside it; otherwise the status bar says
"Online" in green, or, while the vehicle's messages are being refused (malformed or not
authentic, within the last REFUSING_WINDOW_S), that the link is degraded, in amber, with the
refusal's reason in full on the diagnostics page."""

from __future__ import annotations

from typing import Any

from kivy.event import EventDispatcher
from kivy.properties import BooleanProperty, StringProperty

from ..i18n import tr
from ..store import LinkCounters

REFUSING_WINDOW_S = 5.0   # a refusal keeps the status degraded this long
REASON_SHOWN_CHARS = 240  # the diagnostics page shows a reason up to this long, wrapped


class LinkModel(EventDispatcher):
    """What the status bar, the banner and the diagnostics page show about the link."""

    name = "link"
    broker_connected = BooleanProperty(False)
    vehicle_online = BooleanProperty(False)
    banner_visible = BooleanProperty(True)
    banner_text = StringProperty("Connecting to vehicle…")
    banner_key = "connecting"   # why the banner shows, in the report's words (PROTOCOL.md §10)
    status_text = StringProperty("Connecting")
    status_tone = StringProperty("red")    # the banner's red; green when live, amber degraded
    status_bar_text = StringProperty("")   # the status bar's: empty while the banner says it
    refusing = BooleanProperty(False)      # vehicle messages refused within the window
    broker_text = StringProperty("")
    vehicle_text = StringProperty("")
    rate_text = StringProperty("--")
    latency_text = StringProperty("--")
    stale_text = StringProperty("0")
    rejected_text = StringProperty("0")
    forged_text = StringProperty("0")
    key_text = StringProperty("")
    last_reject_text = StringProperty("")
    received_text = StringProperty("0")

    def __init__(self, broker_url: str, vehicle: str, development_key: bool = False,
                 **kwargs: Any) -> None:
        super().__init__(**kwargs)
        self.broker_text = broker_url
        self.vehicle_text = vehicle
        self._development_key = development_key
        self._ever_connected = False
        self._vehicle_status: bool | None = None  # None: no status message yet
        self._refused_seen = 0                     # malformed + not authentic, counted so far
        self._refusing_until_s = float("-inf")

    def set_broker_connected(self, connected: bool) -> None:
        self.broker_connected = connected
        self._ever_connected = self._ever_connected or connected

    def set_vehicle_status(self, online: bool) -> None:
        self._vehicle_status = online

    @property
    def vehicle_reported_offline(self) -> bool:
        return self._vehicle_status is False

    def update_banner(self, any_fresh: bool) -> None:
        """Offline = broker lost, vehicle's will/status offline, or nothing live at all."""
        # The public key authenticates nothing: say so where the figures are read.
        self.key_text = (tr("Development · insecure") if self._development_key
                         else tr("Provisioned"))
        if not self.broker_connected:
            text = (tr("Connection lost · reconnecting…") if self._ever_connected
                    else tr("Connecting to vehicle…"))
            status = tr("Reconnecting") if self._ever_connected else tr("Connecting")
            key = "reconnecting" if self._ever_connected else "connecting"
        elif self._vehicle_status is False:
            text, status = tr("Vehicle offline · data not live"), tr("Vehicle offline")
            key = "vehicle_offline"
        elif not any_fresh:
            text, status, key = tr("No data from vehicle"), tr("No data"), "no_data"
        elif self.refusing:
            text, status, key = "", tr("Online · data refused"), ""
        else:
            text, status, key = "", tr("Online"), ""
        self.vehicle_online = not text
        self.banner_visible = bool(text)
        self.banner_key = key
        if text:
            self.banner_text = text
        self.status_text = status
        self.status_bar_text = "" if text else status
        self.status_tone = "red" if text else "amber" if self.refusing else "green"

    def note_refusals(self, counters: LinkCounters, now_s: float) -> None:
        """Keep the status degraded for REFUSING_WINDOW_S after any vehicle message was refused
        as malformed or not authentic. Out-of-order refusals do not count: a reconnect's
        retained copies and a restarted vehicle's old session produce them in normal use."""
        refused = counters.rejected + counters.unauthenticated
        if refused > self._refused_seen:
            self._refusing_until_s = now_s + REFUSING_WINDOW_S
        self._refused_seen = refused
        self.refusing = now_s < self._refusing_until_s

    @property
    def refusing_until_s(self) -> float:
        """When the degraded status ends unless more is refused (the applier's next due)."""
        return self._refusing_until_s if self.refusing else float("inf")

    def update_diagnostics(self, counters: LinkCounters, rate: float, p50: float | None,
                           p99: float | None, stale: int) -> None:
        self.received_text = f"{counters.received}"
        self.rejected_text = f"{counters.refused}"
        self.forged_text = f"{counters.unauthenticated}"
        self.last_reject_text = counters.last_reject_reason[:REASON_SHOWN_CHARS]
        self.rate_text = tr("{rate} msg/s").format(rate=f"{rate:.0f}")
        self.latency_text = ("--" if p50 is None or p99 is None else
                             f"{p50 * 1000:.0f} / {p99 * 1000:.0f} ms")
        self.stale_text = f"{stale}"

    def snapshot(self) -> dict[str, Any]:
        return {"broker_connected": self.broker_connected, "vehicle_online": self.vehicle_online,
                "status": self.status_text, "refusing": self.refusing}
