"""Use-months as people type them, and the years the service deals in.

A use-month is written ``YYYY-MM`` in ASCII digits, nothing else: ``2027-3``, ``２０２７-０３``
or `` 2027-03`` are refused rather than guessed at, because a month that does not match the
stored ``use_month`` of the entries silently draws nothing (issue 9). Both the admin API and
the ``center-desk-backend lottery run`` command read months through :func:`parse_month`.
"""

from __future__ import annotations

import re
from datetime import date

#: Bookings, closures and reports concern the years around now; a date outside these is a
#: typo or an attack, and arithmetic on it (a month later, a week before) could leave what
#: ``datetime.date`` can hold.
FIRST_YEAR = 2000
LAST_YEAR = 2199

_MONTH = re.compile(r"(\d{4})-(\d{2})", re.ASCII)


class MonthError(ValueError):
    """Not a canonical ``YYYY-MM`` within the service's years."""


def parse_month(text: str) -> date:
    """The first day of the month ``text`` names (``"2027-03"`` -> 2027-03-01)."""
    match = _MONTH.fullmatch(text)
    if match is None:
        raise MonthError("a month is written YYYY-MM, e.g. 2027-03")
    year, month = int(match[1]), int(match[2])
    if not 1 <= month <= 12:
        raise MonthError("the month must be 01 to 12")
    if not FIRST_YEAR <= year <= LAST_YEAR:
        raise MonthError(f"the year must be {FIRST_YEAR} to {LAST_YEAR}")
    return date(year, month, 1)


def format_month(first_day: date) -> str:
    return f"{first_day.year:04d}-{first_day.month:02d}"


def within_service_years(day: date) -> bool:
    return FIRST_YEAR <= day.year <= LAST_YEAR
