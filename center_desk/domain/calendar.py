"""Closed days (休館日) of a community center.

Sources (DOMAIN.md "Closed days"): the 1st and 3rd Tuesday of each month, and when that Tuesday
is a national holiday the center opens that day and closes the next day instead [city rule];
29 December to 3 January [city rule]; temporary closures and election days set per center by
the city [filing]. National holidays come from ``jpholiday`` (pure Python, no I/O).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum

TUESDAY = 1


class ClosureKind(StrEnum):
    REGULAR = "regular"  # 定期休館日 (第1・第3火曜日, 祝日なら翌日)
    YEAR_END = "year_end"  # 年末年始 (12/29–1/3)
    TEMPORARY = "temporary"  # 臨時休館日 (選挙など)


@dataclass(frozen=True)
class TemporaryClosure:
    """A day the city closes one center, with the reason staff see (e.g. "選挙投票所")."""

    day: date
    reason: str = ""


@dataclass(frozen=True)
class Closure:
    day: date
    kind: ClosureKind
    reason: str = ""


def _nth_tuesday(year: int, month: int, n: int) -> date:
    first = date(year, month, 1)
    offset = (TUESDAY - first.weekday()) % 7
    return first + timedelta(days=offset + 7 * (n - 1))


def _is_national_holiday(day: date) -> bool:
    # Imported on the first question: every program of ours loads the domain, and the desk's
    # window is painted before anything asks about a holiday (issue 13).
    import jpholiday

    return jpholiday.is_holiday(day)


class CenterCalendar:
    """Which days one center is closed.

    ``temporary_closures`` takes plain dates or :class:`TemporaryClosure` entries. ``holidays``
    is injectable so tests can state a holiday without relying on the installed calendar.
    """

    def __init__(
        self,
        temporary_closures: Iterable[date | TemporaryClosure] = (),
        *,
        holidays: Callable[[date], bool] = _is_national_holiday,
    ) -> None:
        self._temporary: dict[date, TemporaryClosure] = {}
        for entry in temporary_closures:
            closure = entry if isinstance(entry, TemporaryClosure) else TemporaryClosure(entry)
            self._temporary[closure.day] = closure
        self._is_holiday = holidays

    @property
    def temporary_closures(self) -> tuple[TemporaryClosure, ...]:
        return tuple(sorted(self._temporary.values(), key=lambda c: c.day))

    def regular_closed_days(self, year: int, month: int) -> tuple[date, ...]:
        """The month's regular closed days, after moving holiday Tuesdays to the next day."""
        days = []
        for n in (1, 3):
            tuesday = _nth_tuesday(year, month, n)
            # The rule moves the closure to "the next day" (翌日), not to the next non-holiday:
            # in Golden Week that next day may itself be a holiday, and the center still closes.
            days.append(tuesday + timedelta(days=1) if self._is_holiday(tuesday) else tuesday)
        return tuple(days)

    def closure(self, day: date) -> Closure | None:
        """Why the center is closed on ``day``, or None when it is open."""
        if (day.month == 12 and day.day >= 29) or (day.month == 1 and day.day <= 3):
            return Closure(day, ClosureKind.YEAR_END, "年末年始")
        if day in self._temporary:
            return Closure(day, ClosureKind.TEMPORARY, self._temporary[day].reason)
        if day in self._regular_around(day):
            return Closure(day, ClosureKind.REGULAR, "定期休館日")
        return None

    def _regular_around(self, day: date) -> tuple[date, ...]:
        # A 3rd Tuesday that is a holiday moves to a Wednesday that may fall in the next month
        # only in theory (the 3rd Tuesday is at most the 21st), so the day's month suffices.
        return self.regular_closed_days(day.year, day.month)

    def is_closed(self, day: date) -> bool:
        return self.closure(day) is not None

    def next_open_day(self, day: date) -> date:
        """``day`` itself when open, else the first open day after it."""
        current = day
        # No rule closes a center for more than a few days in a row; the bound only guards
        # against a nonsensical temporary-closure list.
        for _ in range(400):
            if not self.is_closed(current):
                return current
            current += timedelta(days=1)
        raise ValueError("no open day within 400 days")

    def closures_between(self, start: date, end: date) -> list[Closure]:
        """Every closure from ``start`` to ``end`` inclusive, in date order."""
        result = []
        current = start
        while current <= end:
            closure = self.closure(current)
            if closure is not None:
                result.append(closure)
            current += timedelta(days=1)
        return result
