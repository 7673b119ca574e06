"""What every request needs: settings, the database, the clock and the quota policy. One per
process, kept on ``app.state``; nothing in it is state another instance would need (the
sign-in limiter's counts are deliberately this process's own)."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from center_desk.domain import Clock, ManualClock, QuotaPolicy, SystemClock

from .config import BackendSettings
from .db import Database
from .rate_limit import SignInLimiter


@dataclass
class BackendContext:
    settings: BackendSettings
    db: Database
    clock: Clock
    policy: QuotaPolicy = field(default_factory=QuotaPolicy)
    #: Per process by design (rate_limit.py): it bounds this process's argon2 work.
    sign_ins: SignInLimiter = field(init=False)

    def __post_init__(self) -> None:
        self.sign_ins = SignInLimiter(
            per_client=self.settings.sign_ins_per_client_per_minute,
            per_account=self.settings.sign_ins_per_account_per_minute,
        )

    def now(self) -> datetime:
        return self.clock.now()


def clock_from_settings(settings: BackendSettings) -> Clock:
    if settings.fixed_time:
        return ManualClock(datetime.fromisoformat(settings.fixed_time))
    return SystemClock()
