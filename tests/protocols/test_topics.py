"""Topic layout and MQTT filter matching."""

from __future__ import annotations

import pytest

from protocols import DecodeError, TopicKind, VehicleTopics, parse_topic, topic_matches

# (filter, topic, matches): the cases of paho's own matcher tests.
MATCHES = [
    ("foo/bar", "foo/bar", True),
    ("foo/+", "foo/bar", True),
    ("foo/+/baz", "foo/bar/baz", True),
    ("foo/+/#", "foo/bar/baz", True),
    ("A/B/+/#", "A/B/B/C", True),
    ("#", "foo/bar/baz", True),
    ("#", "/foo/bar", True),
    ("/#", "/foo/bar", True),
    ("$SYS/bar", "$SYS/bar", True),
    ("foo/#", "foo", True),
    ("foo/+", "foo/", True),
    ("test/6/#", "test/3", False),
    ("foo/bar", "foo", False),
    ("foo/+", "foo/bar/baz", False),
    ("foo/+/baz", "foo/bar/bar", False),
    ("foo/+/#", "fo2/bar/baz", False),
    ("/#", "foo/bar", False),
    ("#", "$SYS/bar", False),
    ("$BOB/bar", "$SYS/bar", False),
    ("+/bar", "$SYS/bar", False),
]


@pytest.mark.parametrize("topic_filter,topic,expected", MATCHES)
def test_topic_matches(topic_filter: str, topic: str, expected: bool) -> None:
    assert topic_matches(topic_filter, topic) is expected


def test_vehicle_topics_parse_back() -> None:
    topics = VehicleTopics("ema-01")
    assert parse_topic(topics.state("drive")).kind is TopicKind.STATE
    assert parse_topic(topics.state("drive")).name == "drive"
    assert parse_topic(topics.command("set_charge_limit")).kind is TopicKind.COMMAND
    assert parse_topic(topics.result).kind is TopicKind.RESULT
    assert parse_topic(topics.status).kind is TopicKind.STATUS
    assert topic_matches(topics.state_filter, topics.state("body"))


@pytest.mark.parametrize("topic", [
    "ema/v2/ema-01/state/drive",
    "ema/v1/bad id/state/drive",
    "ema/v1/ema-01/telemetry/drive",
    "ema/v1/ema-01/state",
    "ema/v1/ema-01/state/drive/extra",
    "ema/v1/ema-01/status/extra",
    "ema/v1/ema-01/state/DRIVE",
    "ema/v1/" + "x" * 200,
])
def test_parse_topic_refuses(topic: str) -> None:
    with pytest.raises(DecodeError):
        parse_topic(topic)


def test_vehicle_id_is_checked() -> None:
    with pytest.raises(ValueError):
        VehicleTopics("no/slashes")
