"""What every request needs: settings, the database, the clock and the quota policy. One per
process, kept on ``app.state``; nothing in it is state another instance would need."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from center_desk.domain import Clock, ManualClock, QuotaPolicy, SystemClock

from .config import BackendSettings
from .db import Database


@dataclass
class BackendContext:
    settings: BackendSettings
    db: Database
    clock: Clock
    policy: QuotaPolicy = field(default_factory=QuotaPolicy)

    def now(self) -> datetime:
        return self.clock.now()


def clock_from_settings(settings: BackendSettings) -> Clock:
    if settings.fixed_time:
        return ManualClock(datetime.fromisoformat(settings.fixed_time))
    return SystemClock()
