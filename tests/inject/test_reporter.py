"""DisplayReporter without Kivy: on change at most every 100 ms, ages ignored, requests at once,
test controls only when enabled. Runs on the in-process broker."""

from __future__ import annotations

from typing import Any

from hmi.report import DisplayReporter
from protocols import VehicleTopics
from protocols.bus import InProcessBroker, InProcessTransport, Message
from protocols.diagnostics import decode_display, encode_request


class Clock:
    def __init__(self) -> None:
        self.now = 100.0

    def __call__(self) -> float:
        return self.now


def make(allow_control: bool = False) -> tuple[Any, ...]:
    broker = InProcessBroker()
    topics = VehicleTopics("rep-1")
    hmi_side, tool = InProcessTransport(broker), InProcessTransport(broker)
    seen: list[Message] = []
    tool.add_listener(seen.append)
    tool.subscribe(topics.hmi("display"))
    state = {"screen": "drive", "banner": {"visible": False, "text": ""}, "telltales": [],
             "terrain_tiles": {}, "readouts": {"energy.soc": {"text": "50", "unit": "%",
                                                              "stale": False, "age": ""}}}
    taps: list[str] = []
    clock = Clock()
    reporter = DisplayReporter(hmi_side, topics, lambda: state,
                               actions={"tap": lambda t: taps.append(t) or True},
                               clock=clock, allow_control=allow_control)
    hmi_side.start()
    tool.start()
    return reporter, tool, topics, state, seen, clock, taps


def test_first_tick_publishes_then_only_changes() -> None:
    reporter, _tool, _topics, state, seen, clock, _ = make()
    reporter.tick()
    assert len(seen) == 1
    state["readouts"]["energy.soc"]["text"] = "49"
    clock.now += 0.05
    reporter.tick()
    assert len(seen) == 1, "rate limited to one report per 100 ms"
    clock.now += 0.06
    reporter.tick()
    assert len(seen) == 2
    assert decode_display(seen[-1].payload).display["readouts"]["energy.soc"]["text"] == "49"
    clock.now += 0.5
    reporter.tick()
    assert len(seen) == 2, "nothing changed: nothing sent"
    state["readouts"]["energy.soc"]["age"] = "3 s ago"
    clock.now += 0.5
    reporter.tick()
    assert len(seen) == 2, "an age alone is not a change"


def test_request_is_answered_at_once_with_its_rid() -> None:
    reporter, tool, topics, _state, seen, clock, _ = make()
    reporter.tick()
    tool.publish(topics.hmi("request"), encode_request("display", "ask-1", 1), qos=1)
    clock.now += 0.001
    reporter.tick()
    assert decode_display(seen[-1].payload).rid == "ask-1"


def test_test_controls_need_enabling() -> None:
    reporter, tool, topics, *_rest, taps = make(allow_control=False)
    tool.publish(topics.hmi("request"), encode_request("tap", "t1", 1, "terrain.SAND"), qos=1)
    reporter.tick()
    assert taps == []
    reporter, tool, topics, *_rest, taps = make(allow_control=True)
    tool.publish(topics.hmi("request"), encode_request("tap", "t1", 1, "terrain.SAND"), qos=1)
    reporter.tick()
    assert taps == ["terrain.SAND"]


def test_garbage_requests_are_ignored() -> None:
    reporter, tool, topics, _state, seen, _clock, _ = make()
    tool.publish(topics.hmi("request"), b"\xc1garbage", qos=1)
    reporter.tick()
    assert len(seen) == 1
