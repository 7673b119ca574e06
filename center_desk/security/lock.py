"""When the desk locks (DESIGN.md §5): after idle time (default 5 minutes, set by the city), on
the OS's screen lock, suspend or user switch, and on demand. A pure state machine with an
injected clock; the window feeds it activity and asks it every few seconds."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from center_desk.domain import Clock


class LockReason(StrEnum):
    IDLE = "idle"
    ON_DEMAND = "on_demand"
    OS_LOCK = "os_lock"  # screen saver, suspend, user switch
    END_OF_DAY = "end_of_day"


@dataclass
class LockPolicy:
    clock: Clock
    idle_after: timedelta = timedelta(minutes=5)
    locked: bool = False
    reason: LockReason | None = None
    _last_activity: datetime | None = None

    def __post_init__(self) -> None:
        self._last_activity = self.clock.now()

    def activity(self) -> None:
        if not self.locked:
            self._last_activity = self.clock.now()

    def should_lock(self) -> LockReason | None:
        """Lock now? (Asked periodically.)"""
        if self.locked or self._last_activity is None:
            return None
        if self.clock.now() - self._last_activity >= self.idle_after:
            return LockReason.IDLE
        return None

    def lock(self, reason: LockReason) -> None:
        self.locked = True
        self.reason = reason

    def unlock(self) -> None:
        self.locked = False
        self.reason = None
        self._last_activity = self.clock.now()
