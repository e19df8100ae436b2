"""A private Mosquitto for one bench run: generated config, free port, loopback only."""

from __future__ import annotations

import tempfile
from pathlib import Path

from ..testbench.mosquitto import MosquittoBroker


class BenchBroker(MosquittoBroker):
    """A broker with room for 100x bursts: deep queues, no in-flight cap."""

    def __init__(self, workdir: Path | None = None) -> None:
        super().__init__(Path(workdir or tempfile.mkdtemp(prefix="ema-bench-broker-")),
                         extra_config="max_inflight_messages 0\n", max_queued_messages=100000)

    def __enter__(self) -> BenchBroker:
        self.start()
        return self
