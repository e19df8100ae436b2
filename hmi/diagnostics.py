"""Small bounded statistics for the diagnostics page: latency percentiles and message rate.

Both keep a fixed-size window so they cost the same after an hour as after a second.
"""

from __future__ import annotations

from collections import deque


class LatencyWindow:
    """The last `size` latency samples (seconds), with p50/p99 on demand."""

    def __init__(self, size: int = 512) -> None:
        self._samples: deque[float] = deque(maxlen=size)

    def add(self, seconds: float) -> None:
        self._samples.append(seconds)

    def __len__(self) -> int:
        return len(self._samples)

    def percentile(self, fraction: float) -> float | None:
        """Nearest-rank percentile (0 < fraction <= 1); None while the window is empty."""
        if not self._samples:
            return None
        ordered = sorted(self._samples)
        rank = max(0, min(len(ordered) - 1, int(round(fraction * len(ordered) + 0.5)) - 1))
        return ordered[rank]

    def clear(self) -> None:
        self._samples.clear()


class RateMeter:
    """Messages per second from a growing counter, averaged over the last few readings."""

    def __init__(self, window: int = 4) -> None:
        self._points: deque[tuple[float, int]] = deque(maxlen=window + 1)

    def update(self, now_s: float, count: int) -> float:
        self._points.append((now_s, count))
        (t0, c0), (t1, c1) = self._points[0], self._points[-1]
        if t1 <= t0:
            return 0.0
        return (c1 - c0) / (t1 - t0)
