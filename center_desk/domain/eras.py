"""Japanese era dates, as staff expect them on screen and on the forms: 令和8年12月1日(火),
and as they type them: 2/15, 令和9年2月15日, R9.2.15."""

from __future__ import annotations

import re
from datetime import date

from .text import normalize_digits, normalize_text

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


def format_era_month(year: int, month: int) -> str:
    """令和9年4月 (a quota month, say); the first year of an era is written 元年."""
    name, era_number = era_year(date(year, month, 1))
    return f"{name}{'元' if era_number == 1 else era_number}年{month}月"


_NUMBERS = re.compile(r"\d+")
#: How an era is typed at the start of a date (lower-cased): its initial or its name.
_TYPED_ERAS = {"r": "令和", "令和": "令和", "h": "平成", "平成": "平成"}
_ERA_FIRST_YEAR = {name: first.year for first, name in _ERAS}


def parse_use_date(text: str, today: date) -> date | None:
    """A use date as staff type it: 2/15, 2月15日, ２／１５, 2027/2/15, 20270215, R9.2.15,
    令和9年2月15日 (a two-digit year is a 令和 year). Without a year, the next 2/15 from
    ``today`` on. None when it is not a date."""
    clean = normalize_digits(normalize_text(text)).lower()
    if not clean:
        return None
    numbers = [int(n) for n in _NUMBERS.findall(clean)]
    if len(numbers) == 1 and len(str(numbers[0])) == 8:
        value = str(numbers[0])
        numbers = [int(value[:4]), int(value[4:6]), int(value[6:])]
    try:
        if len(numbers) == 2:
            month, day = numbers
            candidate = date(today.year, month, day)
            return candidate if candidate >= today else date(today.year + 1, month, day)
        if len(numbers) == 3:
            year, month, day = numbers
            era = next((name for key, name in _TYPED_ERAS.items() if clean.startswith(key)), None)
            if era is not None or year < 100:
                year = _ERA_FIRST_YEAR[era or "令和"] + year - 1
            return date(year, month, day)
    except ValueError:
        return None
    return None
