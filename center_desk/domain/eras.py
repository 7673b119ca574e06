"""Japanese era dates, as staff expect them on screen and on the forms: 令和8年12月1日(火)."""

from __future__ import annotations

from datetime import date

WEEKDAYS = "月火水木金土日"

# (first day, era name), newest first. Older eras are not needed for bookings, but birthdays
# and old registrations may be shown, so Shōwa is kept.
_ERAS: tuple[tuple[date, str], ...] = (
    (date(2019, 5, 1), "令和"),
    (date(1989, 1, 8), "平成"),
    (date(1926, 12, 25), "昭和"),
)


def era_year(day: date) -> tuple[str, int]:
    """(era name, year within the era) for ``day``."""
    for first, name in _ERAS:
        if day >= first:
            return name, day.year - first.year + 1
    raise ValueError(f"{day} is before the eras this desk knows")


def format_era_date(day: date, *, weekday: bool = True) -> str:
    """令和8年12月1日(火); the first year of an era is written 元年."""
    name, year = era_year(day)
    year_text = "元" if year == 1 else str(year)
    text = f"{name}{year_text}年{day.month}月{day.day}日"
    if weekday:
        text += f"({WEEKDAYS[day.weekday()]})"
    return text


def format_short_date(day: date) -> str:
    """12月1日(火): for grids and lists where the year is obvious."""
    return f"{day.month}月{day.day}日({WEEKDAYS[day.weekday()]})"
