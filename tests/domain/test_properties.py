"""Properties of the windows over several years of dates and closure sets."""

from datetime import date, datetime, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from center_desk.domain import (
    TOKYO,
    Applicant,
    BookingKind,
    BookingRequest,
    CenterCalendar,
    Channel,
    GroupUsage,
    Room,
    RoomKind,
    application_windows,
    decide_booking,
)

use_dates = st.dates(min_value=date(2025, 1, 1), max_value=date(2032, 12, 31))
closure_sets = st.lists(
    st.dates(min_value=date(2024, 10, 1), max_value=date(2032, 12, 31)), max_size=40
)
ROOM = Room("c/r", "c", "第一集会室", RoomKind.WESTERN, 40, False, {"morning": 700})


@given(use_dates, closure_sets)
@settings(max_examples=400)
def test_first_come_never_opens_on_a_closed_day(use_date: date, closures: list[date]) -> None:
    calendar = CenterCalendar(temporary_closures=closures)
    w = application_windows(use_date, calendar)
    assert not calendar.is_closed(w.first_come_opens_at.date())
    assert w.first_come_opens_at.hour == 9
    assert w.first_come_opens_at.utcoffset() == timedelta(hours=9)


@given(use_dates, closure_sets)
@settings(max_examples=400)
def test_the_three_windows_never_overlap(use_date: date, closures: list[date]) -> None:
    w = application_windows(use_date, CenterCalendar(temporary_closures=closures))
    assert w.lottery_apply_from <= w.lottery_apply_to < w.lottery_result_on
    assert w.lottery_apply_to < w.first_come_opens_at.date()
    assert w.first_come_opens_at.date() <= w.first_come_closes_on
    assert w.first_come_closes_on < w.counter_from <= w.counter_to
    assert w.counter_to == use_date


@given(use_dates)
def test_counter_window_is_always_eight_days(use_date: date) -> None:
    w = application_windows(use_date, CenterCalendar())
    assert (w.counter_to - w.counter_from).days + 1 == 8
    assert w.counter_from == w.first_come_closes_on + timedelta(days=1)


@given(use_dates, st.integers(min_value=0, max_value=100 * 24 * 60))
@settings(max_examples=400)
def test_at_most_one_kind_of_booking_is_open_at_any_moment(use_date: date, minutes: int) -> None:
    calendar = CenterCalendar()
    if calendar.is_closed(use_date):
        return
    now = (
        datetime.combine(use_date, datetime.min.time(), tzinfo=TOKYO)
        - timedelta(days=90)
        + timedelta(minutes=minutes)
    )
    open_kinds = [
        kind
        for kind in BookingKind
        if decide_booking(
            BookingRequest(kind, Channel.COUNTER, ROOM, "morning", use_date),
            now=now,
            calendar=calendar,
            applicant=Applicant(),
            usage=GroupUsage(),
            slot_taken=False,
        ).allowed
    ]
    assert len(open_kinds) <= 1
