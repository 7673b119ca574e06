"""Booking windows for a use date (DOMAIN.md "Booking windows", all from the filing).

For a use date D in month M:

* 抽選予約 (lottery): apply from the 10th to the 19th of month M−2; results on the 20th of M−2.
* 先着予約 (first-come): from 09:00 on the 1st of month M−1, or the next opening day when the
  1st is a closed day, until 8 days before D.
* 直前予約 (last-minute, counter only): from 7 days before D to D itself.

Days are whole days in Japan time; the online system runs 24 hours, so only the first-come
opening moves for closed days (as the filing says).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from enum import StrEnum

from .calendar import CenterCalendar
from .clock import TOKYO, tokyo_date

LOTTERY_APPLY_FIRST_DAY = 10
LOTTERY_APPLY_LAST_DAY = 19
LOTTERY_RESULT_DAY = 20
FIRST_COME_OPENS = time(9, 0)
FIRST_COME_CLOSES_DAYS_BEFORE = 8
COUNTER_DAYS_BEFORE = 7


def add_months(year: int, month: int, delta: int) -> tuple[int, int]:
    """(year, month) moved by ``delta`` months."""
    index = year * 12 + (month - 1) + delta
    return index // 12, index % 12 + 1


def month_start(day: date, delta: int = 0) -> date:
    year, month = add_months(day.year, day.month, delta)
    return date(year, month, 1)


class Phase(StrEnum):
    """Which window a moment falls in, for one use date."""

    NOT_YET_OPEN = "not_yet_open"  # before the lottery opens
    LOTTERY = "lottery"  # lottery applications accepted
    LOTTERY_CLOSED = "lottery_closed"  # after the lottery, before first-come opens
    FIRST_COME = "first_come"
    COUNTER = "counter"  # last 7 days: counter only
    PAST = "past"


@dataclass(frozen=True)
class ApplicationWindows:
    """The windows for one use date. The field names are relied on by other parts."""

    lottery_apply_from: date
    lottery_apply_to: date
    lottery_result_on: date
    first_come_opens_at: datetime
    first_come_closes_on: date
    counter_from: date
    counter_to: date

    @property
    def use_date(self) -> date:
        return self.counter_to

    def phase_at(self, now: datetime) -> Phase:
        """Which window ``now`` (timezone-aware) falls in."""
        today = tokyo_date(now)
        if today > self.counter_to:
            return Phase.PAST
        if today >= self.counter_from:
            return Phase.COUNTER
        if now >= self.first_come_opens_at and today <= self.first_come_closes_on:
            return Phase.FIRST_COME
        if today > self.lottery_apply_to:
            return Phase.LOTTERY_CLOSED
        if today >= self.lottery_apply_from:
            return Phase.LOTTERY
        return Phase.NOT_YET_OPEN

    def lottery_open(self, now: datetime) -> bool:
        return self.phase_at(now) is Phase.LOTTERY

    def lottery_results_visible(self, now: datetime) -> bool:
        return tokyo_date(now) >= self.lottery_result_on


def application_windows(use_date: date, calendar: CenterCalendar) -> ApplicationWindows:
    """The lottery, first-come and counter windows for ``use_date`` at the center whose closed
    days ``calendar`` knows."""
    lottery_month = month_start(use_date, -2)
    first_come_day = calendar.next_open_day(month_start(use_date, -1))
    return ApplicationWindows(
        lottery_apply_from=lottery_month.replace(day=LOTTERY_APPLY_FIRST_DAY),
        lottery_apply_to=lottery_month.replace(day=LOTTERY_APPLY_LAST_DAY),
        lottery_result_on=lottery_month.replace(day=LOTTERY_RESULT_DAY),
        first_come_opens_at=datetime.combine(first_come_day, FIRST_COME_OPENS, tzinfo=TOKYO),
        first_come_closes_on=use_date - timedelta(days=FIRST_COME_CLOSES_DAYS_BEFORE),
        counter_from=use_date - timedelta(days=COUNTER_DAYS_BEFORE),
        counter_to=use_date,
    )
