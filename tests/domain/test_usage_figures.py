"""Usage figures (issue 12, item 6) as pure code: what counts as offered, used, demand, fees."""

from __future__ import annotations

from datetime import date

import pytest

from center_desk.domain import CenterCalendar, TemporaryClosure
from center_desk.domain.usage import (
    BookingFact,
    LotteryEntryFact,
    MonthError,
    center_usage,
    facts_window,
    fiscal_year_start,
    parse_month,
    period_usage,
)
from center_desk.resources import load_catalog

CATALOG = load_catalog()
CENTER = CATALOG.center("ogawa-nishimachi")
ROOM = CENTER.rooms[0]
OTHER = CENTER.rooms[1]


def no_holidays(_: date) -> bool:
    return False


def test_month_is_strict_yyyy_mm() -> None:
    assert parse_month("2027-02") == date(2027, 2, 1)
    assert parse_month(" 2027-12 ") == date(2027, 12, 1)
    for bad in ("2027-2", "2027/02", "2027-13", "2027-00", "27-02", "2027-02-01", "", "二月"):
        with pytest.raises(MonthError, match="YYYY-MM"):
            parse_month(bad)
    for far in ("0001-01", "1999-12", "2200-01", "9999-12"):
        with pytest.raises(MonthError, match="year"):
            parse_month(far)


def test_year_to_date_is_the_fiscal_year_and_the_window_covers_last_year() -> None:
    assert fiscal_year_start(date(2027, 2, 1)) == date(2026, 4, 1)
    assert fiscal_year_start(date(2027, 4, 1)) == date(2027, 4, 1)
    assert facts_window(date(2027, 2, 1)) == (date(2026, 2, 1), date(2027, 2, 28))
    assert facts_window(date(2027, 6, 1)) == (date(2026, 6, 1), date(2027, 6, 30))


def test_closed_days_offer_nothing_and_every_offered_slot_is_a_cell() -> None:
    # February 2027: the 1st and 3rd Tuesdays are the 2nd and 16th; the city closes the 15th.
    calendar = CenterCalendar([TemporaryClosure(date(2027, 2, 15), "選挙")], holidays=no_holidays)
    period = period_usage(CENTER, CATALOG.slots, calendar, date(2027, 2, 1), date(2027, 2, 28), [])
    open_days = 28 - 3
    assert len(period.cells) == len(CENTER.rooms) * len(CATALOG.slots)
    for cell in period.cells:
        room = CENTER.room(cell.room_id)
        assert cell.offered == (open_days if room.offers(cell.slot_id) else 0)
        assert cell.used == 0
    assert period.occupancy == 0.0 and period.lottery_demand == 0.0


def test_live_bookings_fill_cells_cancellations_and_no_shows_are_counted_apart() -> None:
    calendar = CenterCalendar(holidays=no_holidays)
    day = date(2027, 2, 3)
    facts = [
        BookingFact(ROOM.id, day, "morning", "lottery", "used", 700, 0, "city_subsidy", None),
        BookingFact(ROOM.id, day, "afternoon", "first_come", "no_show", 900, 900, None, 900),
        BookingFact(ROOM.id, day, "evening", "last_minute", "booked", 900, 0, "school_pta"),
        BookingFact(ROOM.id, day, "evening", "first_come", "cancelled", 900, 900, None, 900),
        BookingFact(OTHER.id, day, "morning", "first_come", "booked", 700, 700),
        # Outside the period, and at another center: ignored.
        BookingFact(ROOM.id, date(2027, 3, 1), "morning", "lottery", "booked", 700, 0),
        BookingFact(CATALOG.center("nakajima").rooms[0].id, day, "morning", "lottery", "booked"),
    ]
    period = period_usage(
        CENTER, CATALOG.slots, calendar, date(2027, 2, 1), date(2027, 2, 28), facts
    )
    assert period.used == 4
    assert period.cell(ROOM.id, "evening").used == 1  # the cancelled one freed nothing twice
    assert period.cell(OTHER.id, "morning").used == 1
    assert period.by_kind == {"lottery": 1, "first_come": 2, "last_minute": 1}
    assert (period.cancellations, period.no_shows) == (1, 1)
    assert period.fees_nominal == 700 + 900 + 900 + 700
    assert period.fees_charged == 900 + 700
    # A receipt stays received even when the booking was later cancelled (no refunds).
    assert period.fees_received == 900 + 900
    assert period.exemptions == {"city_subsidy": 1, "school_pta": 1}
    assert period.exempted == 2


def test_lottery_demand_is_entries_per_slot_applied_for_without_withdrawals() -> None:
    calendar = CenterCalendar(holidays=no_holidays)
    day = date(2027, 2, 4)
    entries = [
        LotteryEntryFact(ROOM.id, day, "afternoon", "won"),
        LotteryEntryFact(ROOM.id, day, "afternoon", "lost"),
        LotteryEntryFact(ROOM.id, day, "afternoon", "lost"),
        LotteryEntryFact(ROOM.id, day, "evening", "pending"),
        LotteryEntryFact(ROOM.id, day, "evening", "withdrawn"),
    ]
    period = period_usage(
        CENTER, CATALOG.slots, calendar, date(2027, 2, 1), date(2027, 2, 28), [], entries
    )
    assert (period.lottery_entries, period.lottery_slots) == (4, 2)
    assert period.lottery_demand == 2.0
    assert period.lottery_entries_by_slot == {"morning": 0, "afternoon": 3, "evening": 1}


def test_center_usage_puts_the_month_beside_last_year_and_the_fiscal_year() -> None:
    calendar = CenterCalendar(holidays=no_holidays)
    facts = [
        BookingFact(ROOM.id, date(2027, 2, 3), "morning", "lottery", "used"),
        BookingFact(ROOM.id, date(2026, 2, 5), "morning", "lottery", "used"),
        BookingFact(ROOM.id, date(2026, 2, 6), "morning", "first_come", "used"),
        BookingFact(ROOM.id, date(2026, 11, 5), "morning", "first_come", "used"),
        BookingFact(ROOM.id, date(2026, 3, 31), "morning", "first_come", "used"),  # last FY
    ]
    usage = center_usage(CENTER, CATALOG.slots, calendar, date(2027, 2, 17), facts)
    assert usage.month == date(2027, 2, 1) and usage.month_text == "2027-02"
    assert usage.this_month.used == 1
    assert usage.previous_year.used == 2
    assert usage.year_to_date.used == 2
    assert usage.year_to_date.start == date(2026, 4, 1)
    assert [name for _, name in usage.rooms] == [room.name for room in CENTER.rooms]
