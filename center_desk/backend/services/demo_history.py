"""Demo history for 利用状況: the same stretch of days one year earlier, so the usage view and
the monthly report have a previous year to compare with, and this fiscal year's months before
the demo's own bookings, so the year-to-date column (年度累計) counts a whole year so far.
Bookings of every kind and fate (used, no-show, cancelled), the lottery entries behind the
lottery bookings (winners and losers), and fee receipts for groups that pay.

All of it lies more than 30 days back: outside every desk's sync window (sync_days_back) and
every open quota month, so nothing else in the demo changes.
"""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_desk.domain.usage import fiscal_year_start

from ..models import FeeReceiptRow, GroupRow, LotteryEntryRow, ReservationRow, RoomRow, SlotRow
from .catalog import calendar_for
from .ids import approval_number_of, next_approval_number, reserve_values
from .reservations import month_of


def _same_day_last_year(day: date) -> date:
    try:
        return day.replace(year=day.year - 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year - 1, day=28)


def seed_history(
    session: Session,
    *,
    center_id: str,
    user_ids: list[str],
    today: date,
    now: datetime,
    rng: random.Random,
) -> int:
    """Bookings at ``center_id`` from a year before ``today - 30`` to a year before
    ``today + 92``; then, from 1 April of this fiscal year to ``today - 31``, and the same
    stretch a year earlier. Returns how many."""
    rooms = list(session.scalars(select(RoomRow).where(RoomRow.center_id == center_id)))
    slots = list(session.scalars(select(SlotRow).order_by(SlotRow.position)))
    calendar = calendar_for(session, center_id)
    groups = {g.user_id: g for g in session.scalars(select(GroupRow))}

    def stretch(rng: random.Random, first: date, last: date, busier: bool) -> int:
        made: list[_Made] = []
        day = first
        while day <= last:
            if calendar.is_closed(day):
                day += timedelta(days=1)
                continue
            # Last year a little quieter: the city hoped the online system would raise use.
            density = 0.36 if day.weekday() >= 5 else 0.24
            if busier:
                density = 0.42 if day.weekday() >= 5 else 0.28
            for room in rooms:
                for slot in slots:
                    if slot.id not in room.fees or rng.random() > density:
                        continue
                    made.append(
                        _booking(session, rng, room, day, slot.id, user_ids, groups, now, today)
                    )
            day += timedelta(days=1)
        _write(session, made, now, today)
        return len(made)

    start = _same_day_last_year(today - timedelta(days=30))
    end = _same_day_last_year(today) + timedelta(days=92)
    made = stretch(rng, start, end, busier=False)
    # The fiscal year so far, on a sequence of its own: the rows above stay what they were.
    # Last year's stretch runs 92 days past a year ago, so in spring it reaches into this
    # fiscal year: this year's part starts after it.
    earlier = random.Random(f"{center_id}:fiscal-year-so-far")
    first = fiscal_year_start(today)
    made += stretch(earlier, _same_day_last_year(first), start - timedelta(days=1), busier=False)
    made += stretch(
        earlier, max(first, end + timedelta(days=1)), today - timedelta(days=31), busier=True
    )
    return made


@dataclass
class _Made:
    """One booking of the history, its lottery entries, and whether a fee was paid."""

    row: ReservationRow
    entries: list[LotteryEntryRow]
    paid: bool


def _write(session: Session, made: list[_Made], now: datetime, today: date) -> None:
    """Number and write a stretch's bookings at once: one counter update for all their
    approval numbers and batched inserts, not a lock, an update and a flush per booking
    (the fiscal year's history is thousands of them, and the demo starts after it)."""
    if not made:
        return
    first = reserve_values(session, "approval", 1, len(made))
    for offset, booking in enumerate(made):
        booking.row.approval_number = approval_number_of(first + offset)
    session.add_all([booking.row for booking in made])
    session.flush()
    for booking in made:
        session.add_all(booking.entries)
        if booking.paid:
            row = booking.row
            session.add(
                FeeReceiptRow(
                    reservation_id=row.id,
                    amount=row.fee_nominal,
                    receipt_number=f"D{row.approval_number}",
                    received_at=now - timedelta(days=(today - row.use_date).days),
                    received_by="demo",
                )
            )
    session.flush()


def _booking(
    session: Session,
    rng: random.Random,
    room: RoomRow,
    day: date,
    slot_id: str,
    user_ids: list[str],
    groups: dict[str, GroupRow],
    now: datetime,
    today: date,
) -> _Made:
    user_id = rng.choice(user_ids)
    # Booked about six weeks ahead, settled the day after: relative to the day itself, so a
    # booking of this fiscal year is not dated before last year's.
    ago = (today - day).days
    group = groups[user_id]
    roll = rng.random()
    kind = "lottery" if roll < 0.35 else ("first_come" if roll < 0.85 else "last_minute")
    fate = rng.random()
    status = "used" if fate < 0.82 else ("no_show" if fate < 0.88 else "cancelled")
    row = demo_booking(
        session,
        rng,
        room,
        group,
        day,
        slot_id,
        kind=kind,
        channel="counter" if kind == "last_minute" else "online",
        status=status,
        created_at=now - timedelta(days=ago + 42),
        updated_at=now - timedelta(days=ago - 1),
        cancelled_at=now - timedelta(days=ago + 3) if status == "cancelled" else None,
        approval_number="",  # numbered with its stretch (_write)
    )
    entries: list[LotteryEntryRow] = []
    if kind == "lottery":
        losers = rng.sample([u for u in user_ids if u != user_id], rng.randint(0, 3))
        for entrant, status_ in [(user_id, "won"), *((u, "lost") for u in losers)]:
            entries.append(
                LotteryEntryRow(
                    id=uuid.uuid4(),
                    user_id=entrant,
                    center_id=room.center_id,
                    room_id=room.id,
                    use_date=day,
                    use_month=month_of(day),
                    slot_id=slot_id,
                    channel="online",
                    purpose=groups[entrant].activity,
                    headcount=10,
                    status=status_,
                    reservation_id=row.id if status_ == "won" else None,
                    created_at=now - timedelta(days=ago + 52),
                    created_by="demo",
                )
            )
    return _Made(row, entries, paid=status == "used" and row.fee_exemption is None)


def demo_booking(
    session: Session,
    rng: random.Random,
    room: RoomRow,
    group: GroupRow,
    day: date,
    slot_id: str,
    *,
    kind: str,
    channel: str,
    status: str,
    created_at: datetime,
    updated_at: datetime,
    cancelled_at: datetime | None = None,
    approval_number: str | None = None,
) -> ReservationRow:
    """A made-up group booking as the demo seeds it (not yet added to the session): the room's
    fee, waived for a group registered as exempt. Numbered from the backend's counter unless
    ``approval_number`` is given."""
    nominal = int(room.fees[slot_id])
    exempt = group.fee_exemption is not None
    return ReservationRow(
        id=uuid.uuid4(),
        approval_number=(
            next_approval_number(session) if approval_number is None else approval_number
        ),
        center_id=room.center_id,
        room_id=room.id,
        use_date=day,
        use_month=month_of(day),
        slot_id=slot_id,
        kind=kind,
        channel=channel,
        status=status,
        user_id=group.user_id,
        individual_name=None,
        purpose=group.activity,
        headcount=min(room.capacity, rng.randint(5, 25)),
        fee_nominal=nominal,
        fee_charged=0 if exempt else nominal,
        fee_exemption=group.fee_exemption,
        fee_exemption_note="",
        checked_in_at=None,
        cancelled_at=cancelled_at,
        cancelled_reason="都合により" if cancelled_at is not None else "",
        created_at=created_at,
        created_by="demo",
        updated_at=updated_at,
    )
