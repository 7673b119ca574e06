from datetime import date

import pytest

from center_desk.domain import CenterCalendar, ClosureKind, TemporaryClosure


@pytest.mark.parametrize(
    ("day", "closed", "kind"),
    [
        # 2026-12: Tuesdays 1, 8, 15, 22, 29
        (date(2026, 12, 1), True, ClosureKind.REGULAR),  # 1st Tuesday
        (date(2026, 12, 8), False, None),  # 2nd Tuesday
        (date(2026, 12, 15), True, ClosureKind.REGULAR),  # 3rd Tuesday
        (date(2026, 12, 22), False, None),  # 4th Tuesday
        (date(2026, 12, 28), False, None),
        (date(2026, 12, 29), True, ClosureKind.YEAR_END),
        (date(2026, 12, 31), True, ClosureKind.YEAR_END),
        (date(2027, 1, 1), True, ClosureKind.YEAR_END),
        (date(2027, 1, 3), True, ClosureKind.YEAR_END),
        (date(2027, 1, 4), False, None),
        (date(2027, 1, 5), True, ClosureKind.REGULAR),
        # 2026-11-03 is the 1st Tuesday and 文化の日: open, and closed on the 4th instead.
        (date(2026, 11, 3), False, None),
        (date(2026, 11, 4), True, ClosureKind.REGULAR),
        (date(2026, 11, 17), True, ClosureKind.REGULAR),
        # 2029-03-20, 3rd Tuesday, 春分の日: the 21st closes instead.
        (date(2029, 3, 20), False, None),
        (date(2029, 3, 21), True, ClosureKind.REGULAR),
        # 2026-05-05 (こどもの日) moves the closure to 5/6, itself a substitute holiday:
        # the rule says "the next day", so it closes then.
        (date(2026, 5, 5), False, None),
        (date(2026, 5, 6), True, ClosureKind.REGULAR),
    ],
)
def test_regular_and_year_end_closures(day: date, closed: bool, kind: ClosureKind | None) -> None:
    calendar = CenterCalendar()
    assert calendar.is_closed(day) is closed
    closure = calendar.closure(day)
    assert (closure.kind if closure else None) == kind


def test_temporary_closures_with_and_without_reason() -> None:
    election = TemporaryClosure(date(2027, 4, 25), "統一地方選挙 投票所")
    calendar = CenterCalendar(temporary_closures=[election, date(2027, 6, 10)])
    closure = calendar.closure(date(2027, 4, 25))
    assert closure is not None
    assert closure.kind is ClosureKind.TEMPORARY
    assert closure.reason == "統一地方選挙 投票所"
    assert calendar.is_closed(date(2027, 6, 10))
    assert not CenterCalendar().is_closed(date(2027, 4, 25))
    assert [c.day for c in calendar.temporary_closures] == [date(2027, 4, 25), date(2027, 6, 10)]


def test_injected_holiday_calendar_moves_the_closure() -> None:
    # A made-up holiday on the 3rd Tuesday of February 2027 (the 16th).
    calendar = CenterCalendar(holidays=lambda d: d == date(2027, 2, 16))
    assert not calendar.is_closed(date(2027, 2, 16))
    assert calendar.is_closed(date(2027, 2, 17))


def test_next_open_day_skips_year_end_and_tuesday() -> None:
    calendar = CenterCalendar(temporary_closures=[date(2027, 1, 4)])
    # 12/29–1/3 year end, 1/4 temporary, 1/5 1st Tuesday.
    assert calendar.next_open_day(date(2026, 12, 29)) == date(2027, 1, 6)
    assert calendar.next_open_day(date(2026, 12, 28)) == date(2026, 12, 28)


def test_closures_between_lists_reasons_in_order() -> None:
    closures = CenterCalendar().closures_between(date(2026, 12, 1), date(2026, 12, 31))
    assert [c.day.day for c in closures] == [1, 15, 29, 30, 31]
    assert closures[0].reason == "定期休館日"
    assert closures[-1].reason == "年末年始"
