"""Where the broker is and how to log in: one parser for every tool's --broker and friends.

Secrets never need to be on the command line: the password comes from a file or from the
environment (EMA_MQTT_PASSWORD), and nothing here logs it.
"""

from __future__ import annotations

import argparse
import os
from dataclasses import dataclass
from urllib.parse import urlsplit

from ..topics import DEFAULT_VEHICLE_ID, check_vehicle_id

DEFAULT_BROKER_URL = "mqtt://localhost:1883"
ENV_BROKER = "EMA_BROKER"
ENV_VEHICLE = "EMA_VEHICLE"
ENV_USERNAME = "EMA_MQTT_USERNAME"
ENV_PASSWORD = "EMA_MQTT_PASSWORD"
ENV_PASSWORD_FILE = "EMA_MQTT_PASSWORD_FILE"


@dataclass(frozen=True)
class BrokerSettings:
    """Everything a client needs to reach the broker."""

    host: str = "localhost"
    port: int = 1883
    tls: bool = False
    username: str | None = None
    password: str | None = None
    ca_file: str | None = None
    cert_file: str | None = None
    key_file: str | None = None
    keepalive_s: int = 5

    @property
    def url(self) -> str:
        """The broker address without credentials, safe to log."""
        return f"{'mqtts' if self.tls else 'mqtt'}://{self.host}:{self.port}"

    def __repr__(self) -> str:
        return f"BrokerSettings({self.url}, user={self.username!r})"


def parse_broker_url(url: str) -> BrokerSettings:
    """Parse mqtt://[user@]host[:port] or mqtts://...; the default port follows the scheme."""
    parts = urlsplit(url)
    if parts.scheme not in ("mqtt", "mqtts"):
        raise ValueError(f"broker URL {url!r} must start with mqtt:// or mqtts://")
    if not parts.hostname:
        raise ValueError(f"broker URL {url!r} has no host")
    tls = parts.scheme == "mqtts"
    try:
        port = parts.port or (8883 if tls else 1883)
    except ValueError:
        raise ValueError(f"broker URL {url!r} has an invalid port") from None
    return BrokerSettings(host=parts.hostname, port=port, tls=tls,
                          username=parts.username, password=parts.password)


def add_connection_arguments(parser: argparse.ArgumentParser) -> None:
    """The flags every EMA tool shares, so they find each other without any."""
    group = parser.add_argument_group("connection")
    group.add_argument("--broker", default=os.environ.get(ENV_BROKER, DEFAULT_BROKER_URL),
                       help=f"mqtt://HOST:PORT or mqtts://HOST:PORT (default {DEFAULT_BROKER_URL}, "
                            f"or ${ENV_BROKER})")
    group.add_argument("--vehicle", default=os.environ.get(ENV_VEHICLE, DEFAULT_VEHICLE_ID),
                       help=f"vehicle id (default {DEFAULT_VEHICLE_ID}, or ${ENV_VEHICLE})")
    group.add_argument("--username", default=None,
                       help=f"broker user (or ${ENV_USERNAME})")
    group.add_argument("--password-file", default=None,
                       help=f"file holding the broker password (or ${ENV_PASSWORD_FILE} / "
                            f"${ENV_PASSWORD})")
    group.add_argument("--ca-file", default=None, help="CA certificate for mqtts://")
    group.add_argument("--cert-file", default=None, help="client certificate for mqtts://")
    group.add_argument("--key-file", default=None, help="client key for mqtts://")


def settings_from_args(args: argparse.Namespace) -> BrokerSettings:
    """Combine the URL, the flags and the environment; flags win over the environment."""
    base = parse_broker_url(args.broker)
    check_vehicle_id(args.vehicle)
    password = base.password
    password_file = args.password_file or os.environ.get(ENV_PASSWORD_FILE)
    if password_file:
        with open(password_file, encoding="utf-8") as handle:
            password = handle.read().strip()
    elif password is None:
        password = os.environ.get(ENV_PASSWORD)
    return BrokerSettings(
        host=base.host, port=base.port, tls=base.tls or bool(args.ca_file),
        username=args.username or base.username or os.environ.get(ENV_USERNAME),
        password=password, ca_file=args.ca_file, cert_file=args.cert_file,
        key_file=args.key_file,
    )
