"""One date style for the desk (issue 12): dates are typed one way, ``2027/02/10``, and read
as era dates with their weekday, 令和9年2月10日(水) (``domain.format_era_date``)."""

from __future__ import annotations

from datetime import date

from PySide6.QtCore import QDate

#: QDateEdit's display format for every date field.
DATE_INPUT_FORMAT = "yyyy/MM/dd"


def typed_date(day: date) -> str:
    """A date as it is typed (the text a date field shows)."""
    return f"{day.year}/{day.month:02d}/{day.day:02d}"


def qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)
