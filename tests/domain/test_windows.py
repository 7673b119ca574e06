from datetime import date, datetime, timedelta

import pytest

from center_desk.domain import TOKYO, CenterCalendar, Phase, application_windows


def at(y: int, m: int, d: int, hh: int = 12, mm: int = 0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=TOKYO)


def test_windows_for_a_february_date() -> None:
    w = application_windows(date(2027, 2, 15), CenterCalendar())
    assert w.lottery_apply_from == date(2026, 12, 10)
    assert w.lottery_apply_to == date(2026, 12, 19)
    assert w.lottery_result_on == date(2026, 12, 20)
    # 1 January is closed (year end); 4 January 2027 is a Monday and open.
    assert w.first_come_opens_at == datetime(2027, 1, 4, 9, 0, tzinfo=TOKYO)
    assert w.first_come_closes_on == date(2027, 2, 7)
    assert w.counter_from == date(2027, 2, 8)
    assert w.counter_to == date(2027, 2, 15)


def test_first_come_opening_skips_a_closed_first_tuesday() -> None:
    # 1 December 2026 is the 1st Tuesday: first-come for January opens on the 2nd.
    w = application_windows(date(2027, 1, 20), CenterCalendar())
    assert w.first_come_opens_at == datetime(2026, 12, 2, 9, 0, tzinfo=TOKYO)


def test_first_come_opening_skips_a_temporary_closure() -> None:
    calendar = CenterCalendar(temporary_closures=[date(2026, 11, 1)])
    w = application_windows(date(2026, 12, 10), calendar)
    assert w.first_come_opens_at == datetime(2026, 11, 2, 9, 0, tzinfo=TOKYO)


def test_field_names_are_exactly_the_agreed_ones() -> None:
    from dataclasses import fields

    w = application_windows(date(2027, 2, 15), CenterCalendar())
    assert [f.name for f in fields(w)] == [
        "lottery_apply_from",
        "lottery_apply_to",
        "lottery_result_on",
        "first_come_opens_at",
        "first_come_closes_on",
        "counter_from",
        "counter_to",
    ]
    assert w.first_come_opens_at.tzinfo is not None


@pytest.mark.parametrize(
    ("now", "phase"),
    [
        (at(2026, 12, 9, 23, 59), Phase.NOT_YET_OPEN),
        (at(2026, 12, 10, 0, 0), Phase.LOTTERY),
        (at(2026, 12, 19, 23, 59), Phase.LOTTERY),
        (at(2026, 12, 20, 0, 0), Phase.LOTTERY_CLOSED),
        (at(2027, 1, 4, 8, 59), Phase.LOTTERY_CLOSED),
        (at(2027, 1, 4, 9, 0), Phase.FIRST_COME),
        (at(2027, 2, 7, 23, 59), Phase.FIRST_COME),
        (at(2027, 2, 8, 0, 0), Phase.COUNTER),
        (at(2027, 2, 15, 21, 59), Phase.COUNTER),
        (at(2027, 2, 16, 0, 0), Phase.PAST),
    ],
)
def test_phase_boundaries(now: datetime, phase: Phase) -> None:
    w = application_windows(date(2027, 2, 15), CenterCalendar())
    assert w.phase_at(now) is phase


def test_phase_uses_japan_time_for_a_utc_moment() -> None:
    w = application_windows(date(2027, 2, 15), CenterCalendar())
    # 2027-01-04 00:00 UTC is 09:00 in Tokyo: first-come has just opened.
    utc_moment = datetime(2027, 1, 4, 0, 0, tzinfo=TOKYO) + timedelta(hours=9)
    assert w.phase_at(utc_moment.astimezone(TOKYO)) is Phase.FIRST_COME
    from datetime import UTC

    assert w.phase_at(datetime(2027, 1, 4, 0, 0, tzinfo=UTC)) is Phase.FIRST_COME
    assert w.phase_at(datetime(2027, 1, 3, 23, 59, tzinfo=UTC)) is Phase.LOTTERY_CLOSED


def test_lottery_results_visible_from_the_20th() -> None:
    w = application_windows(date(2027, 2, 15), CenterCalendar())
    assert not w.lottery_results_visible(at(2026, 12, 19, 23, 59))
    assert w.lottery_results_visible(at(2026, 12, 20, 0, 0))
