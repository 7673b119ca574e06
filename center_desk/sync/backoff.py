"""Retry timing for the sync loop: exponential back-off with full jitter, kept in an object
(not module globals) so each engine, and each test, has its own (STYLE.md §6)."""

from __future__ import annotations

import random
from dataclasses import dataclass, field


@dataclass
class Backoff:
    #: Seconds between syncs when all is well (the loop runs even with nothing to push).
    interval: float = 30.0
    first_retry: float = 2.0
    max_delay: float = 300.0
    rng: random.Random = field(default_factory=random.Random)
    failures: int = 0
    #: The server's last Retry-After (seconds): no retry before it.
    not_before: float = 0.0

    def success(self) -> None:
        self.failures = 0
        self.not_before = 0.0

    def failure(self, retry_after: float | None = None) -> None:
        """``retry_after``: the server said when to come back (503 "busy" at a rush)."""
        self.failures += 1
        self.not_before = max(0.0, retry_after) if retry_after is not None else 0.0

    def next_delay(self) -> float:
        """Seconds to wait before the next attempt."""
        if self.failures == 0:
            return self.interval
        ceiling = min(self.max_delay, self.first_retry * 2 ** (self.failures - 1))
        # Full jitter: 19 desks that lost the line together do not all retry together.
        delay = self.rng.uniform(ceiling / 2, ceiling)
        if self.not_before:
            # A shedding server named its time: never sooner, and spread over a little more
            # than it, so the desks it turned away do not all come back in the same second.
            delay = max(delay, self.rng.uniform(self.not_before, self.not_before * 1.5))
        return delay
