"""Broker URLs and the shared connection flags."""

from __future__ import annotations

import argparse

import pytest

from protocols import DEFAULT_VEHICLE_ID
from protocols.bus import add_connection_arguments, parse_broker_url, settings_from_args


@pytest.mark.parametrize("url,host,port,tls", [
    ("mqtt://localhost:1883", "localhost", 1883, False),
    ("mqtt://broker", "broker", 1883, False),
    ("mqtts://broker", "broker", 8883, True),
    ("mqtts://10.0.0.2:9000", "10.0.0.2", 9000, True),
])
def test_parse_broker_url(url: str, host: str, port: int, tls: bool) -> None:
    settings = parse_broker_url(url)
    assert (settings.host, settings.port, settings.tls) == (host, port, tls)


@pytest.mark.parametrize("url", ["http://x", "mqtt://", "mqtt://host:notaport", "localhost:1883"])
def test_parse_broker_url_refuses(url: str) -> None:
    with pytest.raises(ValueError):
        parse_broker_url(url)


def parse(argv: list[str]) -> argparse.Namespace:
    parser = argparse.ArgumentParser()
    add_connection_arguments(parser)
    return parser.parse_args(argv)


def test_defaults_let_tools_find_each_other(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("EMA_BROKER", raising=False)
    monkeypatch.delenv("EMA_VEHICLE", raising=False)
    args = parse([])
    assert args.broker == "mqtt://localhost:1883"
    assert args.vehicle == DEFAULT_VEHICLE_ID


def test_password_comes_from_file_not_command_line(tmp_path, monkeypatch) -> None:
    secret = tmp_path / "pw"
    secret.write_text("s3cret\n")
    monkeypatch.setenv("EMA_MQTT_USERNAME", "hmi")
    settings = settings_from_args(parse(["--password-file", str(secret)]))
    assert (settings.username, settings.password) == ("hmi", "s3cret")
    assert "s3cret" not in repr(settings)
