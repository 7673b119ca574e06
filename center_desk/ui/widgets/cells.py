"""The state of one room-slot-day cell, as the availability grids and the proxy view's day show
it: free, booked, lottery, waiting to sync, closed, ended, not open. No Qt: pure rules over the
cache's bookings and the center's calendar."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta
from enum import StrEnum

from center_desk.domain import (
    TOKYO,
    CenterCalendar,
    Closure,
    Phase,
    Room,
    SlotDef,
    application_windows,
)
from center_desk.domain.windows import COUNTER_DAYS_BEFORE, add_months
from center_desk.store.reservations import CachedReservation


class CellState(StrEnum):
    FREE = "free"
    BOOKED = "booked"
    LOTTERY = "lottery"  # held by a lottery win (抽選)
    PENDING = "pending"  # booked at this desk, not yet confirmed by the backend
    CLOSED = "closed"  # 休館日
    ENDED = "ended"  # today's slot is over
    NOT_OPEN = "not_open"  # not bookable this way now (window, or the room is not let)


@dataclass(frozen=True)
class Cell:
    room_id: str
    day: date
    slot_id: str
    state: CellState
    booking: CachedReservation | None = None
    closure: Closure | None = None
    phase: Phase | None = None


Bookings = dict[tuple[str, date, str], CachedReservation]


def _booked_state(booking: CachedReservation) -> CellState:
    if booking.sync_state == "pending":
        return CellState.PENDING
    return CellState.LOTTERY if booking.kind == "lottery" else CellState.BOOKED


def _settled_cell(
    room: Room, slot: SlotDef, day: date, bookings: Bookings, calendar: CenterCalendar
) -> Cell | None:
    """What both views show regardless of the time: a booking, a closure, a slot the room
    does not offer. None when the cell's state depends on the window."""
    key = (room.id, day, slot.id)
    booking = bookings.get(key)
    if booking is not None:
        return Cell(*key, _booked_state(booking), booking=booking)
    closure = calendar.closure(day)
    if closure is not None:
        return Cell(*key, CellState.CLOSED, closure=closure)
    if not room.offers(slot.id):
        return Cell(*key, CellState.NOT_OPEN)
    return None


def counter_cell(
    room: Room,
    slot: SlotDef,
    day: date,
    bookings: Bookings,
    calendar: CenterCalendar,
    now: datetime,
) -> Cell:
    """A cell of the counter window (today and the next 7 days)."""
    key = (room.id, day, slot.id)
    settled = _settled_cell(room, slot, day, bookings, calendar)
    if settled is not None:
        return settled
    if now >= datetime.combine(day, slot.end, tzinfo=TOKYO):
        return Cell(*key, CellState.ENDED)
    return Cell(*key, CellState.FREE)


def first_come_cell(
    room: Room,
    slot: SlotDef,
    day: date,
    bookings: Bookings,
    calendar: CenterCalendar,
    now: datetime,
) -> Cell:
    """A cell of the month view: free only while the first-come window is open for the day."""
    key = (room.id, day, slot.id)
    settled = _settled_cell(room, slot, day, bookings, calendar)
    if settled is not None:
        return settled
    phase = application_windows(day, calendar).phase_at(now)
    if phase is not Phase.FIRST_COME:
        return Cell(*key, CellState.NOT_OPEN, phase=phase)
    return Cell(*key, CellState.FREE, phase=phase)


def proxy_cell(
    room: Room,
    slot: SlotDef,
    day: date,
    bookings: Bookings,
    calendar: CenterCalendar,
    now: datetime,
) -> Cell:
    """A cell of 抽選・先着's day panel: free while the lottery or first-come window is open
    for the day (a lottery entry does not hold the slot until the draw)."""
    key = (room.id, day, slot.id)
    settled = _settled_cell(room, slot, day, bookings, calendar)
    if settled is not None:
        return settled
    phase = application_windows(day, calendar).phase_at(now)
    if phase not in (Phase.LOTTERY, Phase.FIRST_COME):
        return Cell(*key, CellState.NOT_OPEN, phase=phase)
    return Cell(*key, CellState.FREE, phase=phase)


def counter_days(today: date) -> list[date]:
    return [today + timedelta(days=n) for n in range(COUNTER_DAYS_BEFORE + 1)]


def month_days(year: int, month: int) -> list[date]:
    first = date(year, month, 1)
    following = date(*add_months(year, month, 1), 1)
    return [first + timedelta(days=n) for n in range((following - first).days)]
