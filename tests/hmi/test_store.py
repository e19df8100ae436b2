"""The link-to-UI store: coalescing, bounded memory, sequence order, lossless events."""

from __future__ import annotations

import threading

from hmi.store import ConnectionChanged, ResultReceived, SignalStore, VehicleOnlineChanged
from protocols import CommandResult, ResultStatus, StateFrame, VehicleStatus, load_catalogue, now_us

SPEED = "Vehicle.Speed"
EPOCH = 1_000


def frame(seq: int, speed: float, name: str = "drive", epoch: int = EPOCH,
          ts_us: int | None = None) -> StateFrame:
    return StateFrame(name, seq, now_us() if ts_us is None else ts_us, {SPEED: speed}, epoch)


def status(online: bool, seq: int, epoch: int = EPOCH, will: int = 0) -> VehicleStatus:
    return VehicleStatus(online, seq, now_us(), epoch, will)


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
            store.put_frame(StateFrame("drive", seq, now_us(), values, EPOCH), float(seq))

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
    accepted = store.put_frame(StateFrame("battery", 1, now_us(), {
        "Vehicle.Powertrain.TractionBattery.StateOfCharge.Displayed": 50.0}, EPOCH), 0.0)
    assert accepted is True


def test_a_restarted_publisher_is_recognised_by_its_newer_epoch() -> None:
    store = SignalStore()
    store.put_frame(frame(500, 5.0), 0.0)
    assert store.put_frame(frame(1, 1.0, epoch=EPOCH + 1), 3.0) is True
    assert store.put_frame(frame(501, 9.0), 4.0) is False  # the old session, late or replayed
    assert store.drain().samples[SPEED].value == 1.0
    assert "earlier session" in store.counters().last_reject_reason


def test_no_status_resets_the_order() -> None:
    """Today's bug: any new status cleared the gate, so an old frame replayed after a replayed
    (or genuine) status was shown as live."""
    store = SignalStore()
    store.put_status(status(True, 1), 0.0)
    store.put_frame(frame(500, 5.0), 0.0)
    for replayed in (status(False, 2), status(True, 3), status(True, 1, epoch=EPOCH - 1)):
        store.put_status(replayed, 1.0)
        assert store.put_frame(frame(499, 1.0), 2.0) is False
    assert store.drain().samples[SPEED].value == 5.0


def test_status_is_ordered_and_an_earlier_sessions_status_is_refused() -> None:
    store = SignalStore()
    assert store.put_status(status(True, 5), 0.0)
    assert not store.put_status(status(True, 4), 0.0)
    assert not store.put_status(status(True, 9, epoch=EPOCH - 1), 0.0)
    assert not store.put_status(status(False, 9, epoch=EPOCH - 1), 0.0)  # an old session's will
    assert store.put_status(status(True, 1, epoch=EPOCH + 1), 0.0)  # a restart
    assert store.counters().out_of_order == 3


def test_the_current_connections_will_is_admitted_but_no_earlier_one() -> None:
    """The will is numbered at connect, below the online status that follows it and names it."""
    store = SignalStore()
    store.put_status(status(True, 10, will=9), 0.0)     # connection 1: will 9, online 10
    assert store.put_status(status(False, 9, will=9), 1.0)  # its will, after the link died
    assert not store.put_status(status(True, 10, will=9), 1.5)  # replayed online: stays offline
    store.put_status(status(True, 30, will=29), 2.0)    # connection 2: will 29, online 30
    assert not store.put_status(status(False, 9, will=9), 3.0)  # connection 1's will replayed
    assert not store.put_status(status(False, 28, will=28), 3.0)  # no will of this connection
    assert store.put_status(status(False, 29, will=29), 4.0)
    events = [e.online for e in store.drain().events if isinstance(e, VehicleOnlineChanged)]
    assert events == [True, False, True, False]


def test_the_will_still_counts_after_the_vehicle_went_offline_and_back_on_one_connection():
    """A status offline and online again on the same connection (a fault, a clean goodbye and
    a return) must not make the connection's own will look old."""
    store = SignalStore()
    store.put_status(status(True, 10, will=9), 0.0)
    store.put_status(status(False, 20, will=9), 1.0)
    store.put_status(status(True, 30, will=9), 2.0)
    assert store.put_status(status(False, 9, will=9), 3.0)
    events = [e.online for e in store.drain().events if isinstance(e, VehicleOnlineChanged)]
    assert events == [True, False, True, False]


def test_frame_from_our_future_is_refused_and_an_old_one_is_dated_from_its_timestamp() -> None:
    store = SignalStore(clock_tolerance_s=2.0)
    assert not store.put_frame(frame(1, 1.0, ts_us=now_us() + 5_000_000), 0.0)
    assert "ahead of our clock" in store.counters().last_reject_reason
    assert store.put_frame(frame(2, 1.0, ts_us=now_us() - 500_000), 100.0)  # within tolerance
    assert store.drain().samples[SPEED].received_s == 100.0
    assert store.put_frame(frame(3, 1.0, ts_us=now_us() - 60_000_000), 100.0)  # a backlog
    assert 39.9 < store.drain().samples[SPEED].received_s < 40.1


def test_the_same_message_again_is_not_counted_as_a_refusal() -> None:
    """A reconnect brings every retained copy again: nothing new, nothing wrong."""
    store = SignalStore()
    again = frame(7, 1.0)
    store.put_frame(again, 0.0)
    assert store.put_frame(again, 1.0, retained=True) is False
    assert store.counters().out_of_order == 0


def test_online_events_are_edges_only() -> None:
    store = SignalStore()
    for seq in range(1, 100):
        store.put_status(status(True, seq), 0.0)
    store.put_status(status(False, 100), 0.0)
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


def test_a_retained_copy_counts_from_when_it_was_sent_not_when_it_came() -> None:
    """An HMI that starts while the vehicle is away gets the broker's last frames: shown with
    their age, never as live."""
    store = SignalStore(clock_tolerance_s=2.0)
    hour_ago = now_us() - 3_600_000_000
    assert store.put_frame(frame(1, 1.0, ts_us=hour_ago), 5_000.0, retained=True)
    assert 3_599 < 5_000.0 - store.drain().samples[SPEED].received_s < 3_601
    recent = now_us() - 1_000_000  # within the tolerance, but retained: still dated from ts
    assert store.put_frame(frame(2, 1.0, ts_us=recent), 5_000.0, retained=True)
    assert 4_998.9 < store.drain().samples[SPEED].received_s < 4_999.1
    assert not store.put_frame(frame(3, 1.0, ts_us=now_us() + 60_000_000), 0.0, retained=True)
