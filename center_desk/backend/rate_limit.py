"""Sign-in attempts per client address and per account, over a sliding minute (issue 9).

An argon2 check costs ~0.35 s of CPU: without a limit, one client can keep a process busy, and
guess at one account from many addresses until the lockout (which answers as a wrong password
does, and so never tells a real user why) keeps locking it. Beyond the limit the answer is 429
with ``Retry-After``, before any password is checked.

Counted in the process's memory, with the injected clock: several ``serve`` processes each
allow the limit, which bounds the CPU per process, and the account lockout in the database
still bounds guessing across them (docs/backend-load.md).
"""

from __future__ import annotations

import math
import threading
from collections import deque
from datetime import datetime, timedelta

from .errors import ApiError

WINDOW = timedelta(minutes=1)
#: Keys kept before expired ones are swept out, so a flood of made-up ids cannot fill memory.
_SWEEP_AT = 10_000


class SignInLimiter:
    def __init__(self, *, per_client: int, per_account: int) -> None:
        self.per_client = per_client
        self.per_account = per_account
        self._attempts: dict[str, deque[datetime]] = {}
        self._lock = threading.Lock()

    def admit(self, *, client: str, account: str, now: datetime) -> None:
        """Count one attempt, or raise 429 when the client or the account is over its limit
        (a refused attempt is not counted: waiting it out works)."""
        keys = [
            (f"client:{client}", self.per_client),
            (f"account:{account.strip().casefold()[:64]}", self.per_account),
        ]
        with self._lock:
            if len(self._attempts) > _SWEEP_AT:
                self._sweep(now)
            for key, limit in keys:
                recent = self._recent(key, now)
                if len(recent) >= limit:
                    wait = recent[0] + WINDOW - now
                    raise too_many(max(1, math.ceil(wait.total_seconds())))
            for key, _ in keys:
                self._attempts.setdefault(key, deque()).append(now)

    def _recent(self, key: str, now: datetime) -> deque[datetime]:
        attempts = self._attempts.get(key, deque())
        while attempts and attempts[0] <= now - WINDOW:
            attempts.popleft()
        return attempts

    def _sweep(self, now: datetime) -> None:
        for key in [k for k, v in self._attempts.items() if not v or v[-1] <= now - WINDOW]:
            del self._attempts[key]


def too_many(retry_after: int) -> ApiError:
    return ApiError(
        429,
        "too_many_attempts",
        "too many sign-in attempts; wait and try again",
        headers={"Retry-After": str(retry_after)},
    )
