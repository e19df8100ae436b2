"""The link-to-UI store: coalescing, bounded memory, sequence order, lossless events."""

from __future__ import annotations

import threading

from protocols import CommandResult, ResultStatus, StateFrame, VehicleStatus, load_catalogue

from hmi.store import ConnectionChanged, ResultReceived, SignalStore, VehicleOnlineChanged

SPEED = "Vehicle.Speed"


def frame(seq: int, speed: float, name: str = "drive") -> StateFrame:
    return StateFrame(name, seq, 1_000 + seq, {SPEED: speed})


def test_latest_value_per_signal_wins() -> None:
    store = SignalStore()
    for seq in range(1, 6):
        store.put_frame(frame(seq, float(seq)), received_s=seq)
    assert store.drain().samples[SPEED].value == 5.0


def test_drain_returns_only_what_changed_since_last_drain() -> None:
    store = SignalStore()
    store.put_frame(frame(1, 1.0), 0.0)
    store.drain()
    assert store.drain().samples == {}


def test_memory_stays_bounded_under_a_flood() -> None:
    catalogue = load_catalogue()
    store = SignalStore()
    values = {path: spec.default for path, spec in catalogue.signals.items()
              if spec.frame == "drive"}

    def flood(offset: int) -> None:
        for seq in range(offset, offset + 20_000):
            store.put_frame(StateFrame("drive", seq, seq, values), float(seq))

    workers = [threading.Thread(target=flood, args=(i * 20_000,)) for i in range(3)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    assert store.pending_samples <= len(catalogue.signals)
    assert store.drain().events == []


def test_frame_not_newer_than_last_is_dropped_whole() -> None:
    store = SignalStore()
    store.put_frame(frame(10, 10.0), 0.0)
    assert store.put_frame(frame(9, 9.0), 0.0) is False
    assert store.drain().samples[SPEED].value == 10.0
    assert store.counters().out_of_order == 1


def test_sequence_is_per_frame_topic() -> None:
    store = SignalStore()
    store.put_frame(frame(10, 10.0), 0.0)
    accepted = store.put_frame(StateFrame("battery", 1, 1, {
        "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed": 50.0}), 0.0)
    assert accepted is True


def test_publisher_restart_announced_by_status_resets_order() -> None:
    store = SignalStore()
    store.put_frame(frame(500, 5.0), 0.0)
    store.put_status(VehicleStatus(False, 7, 100), 1.0)
    store.put_status(VehicleStatus(True, 1, 200), 2.0)
    assert store.put_frame(frame(1, 1.0), 3.0) is True


def test_same_retained_status_again_does_not_reset_order() -> None:
    store = SignalStore()
    store.put_status(VehicleStatus(True, 1, 200), 0.0)
    store.put_frame(frame(500, 5.0), 0.0)
    store.put_status(VehicleStatus(True, 1, 200), 1.0)
    assert store.put_frame(frame(3, 1.0), 2.0) is False


def test_online_events_are_edges_only() -> None:
    store = SignalStore()
    for seq in range(1, 100):
        store.put_status(VehicleStatus(True, seq, seq), 0.0)
    store.put_status(VehicleStatus(False, 100, 100), 0.0)
    events = store.drain().events
    assert [e.online for e in events if isinstance(e, VehicleOnlineChanged)] == [True, False]


def test_events_keep_their_order() -> None:
    store = SignalStore()
    result = CommandResult("r1", "set_terrain_program", ResultStatus.ACCEPTED)
    store.put_event(ConnectionChanged(True))
    store.put_event(ResultReceived(result))
    store.put_event(ConnectionChanged(False))
    assert store.drain().events == [ConnectionChanged(True), ResultReceived(result),
                                    ConnectionChanged(False)]


def test_reject_counts_and_keeps_last_reason() -> None:
    store = SignalStore()
    store.reject("first")
    store.reject("second")
    counters = store.counters()
    assert (counters.rejected, counters.last_reject_reason) == (2, "second")


def test_retained_frames_stay_out_of_latency_statistics() -> None:
    store = SignalStore()
    store.put_frame(frame(1, 1.0), 0.0, retained=True)
    assert store.drain().frame_ts_us == {}


def test_after_a_reconnect_a_restarted_publishers_lower_seq_is_admitted() -> None:
    """The broker's retained copies after we reconnect may come from a publisher that restarted."""
    from hmi.store import SignalStore
    from protocols import StateFrame

    store = SignalStore()
    soc = "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed"
    assert store.put_frame(StateFrame("battery", 900, 1, {soc: 60.0}), 0.0)
    assert not store.put_frame(StateFrame("battery", 1, 2, {soc: 55.0}), 1.0, retained=True)
    store.restart_order()
    assert store.put_frame(StateFrame("battery", 1, 2, {soc: 55.0}), 1.0, retained=True)
    assert store.drain().samples[soc].value == 55.0
