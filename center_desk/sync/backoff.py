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

    def success(self) -> None:
        self.failures = 0

    def failure(self) -> None:
        self.failures += 1

    def next_delay(self) -> float:
        """Seconds to wait before the next attempt."""
        if self.failures == 0:
            return self.interval
        ceiling = min(self.max_delay, self.first_retry * 2 ** (self.failures - 1))
        # Full jitter: 19 desks that lost the line together do not all retry together.
        return self.rng.uniform(ceiling / 2, ceiling)
