"""Time, passed in (STYLE.md §5). Nothing below the UI calls ``datetime.now()`` itself."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from typing import Protocol
from zoneinfo import ZoneInfo

#: Every booking rule is stated in Japan time.
TOKYO = ZoneInfo("Asia/Tokyo")


class Clock(Protocol):
    def now(self) -> datetime:
        """The current moment, timezone-aware."""
        ...


class SystemClock:
    """The real clock, in Japan time."""

    def now(self) -> datetime:
        return datetime.now(TOKYO)


class ManualClock:
    """A clock that moves only when told: for tests, simulations and the demo seeder."""

    def __init__(self, start: datetime) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware datetime")
        self._now = start

    def now(self) -> datetime:
        return self._now

    def advance(self, delta: timedelta) -> None:
        self._now += delta

    def set(self, moment: datetime) -> None:
        if moment.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware datetime")
        self._now = moment


def tokyo_date(moment: datetime) -> date:
    """The calendar day in Japan for a moment (a UTC timestamp late at night is already
    tomorrow in Tokyo)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetimes are ambiguous here; pass a timezone-aware one")
    return moment.astimezone(TOKYO).date()
