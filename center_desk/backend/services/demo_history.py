"""Demo history for 利用状況: the same stretch of days one year earlier, so the usage view and
the monthly report have a previous year to compare with. Bookings of every kind and fate
(used, no-show, cancelled), the lottery entries behind the lottery bookings (winners and
losers), and fee receipts for groups that pay.

All of it lies more than nine months back: outside every desk's sync window and every
group's quota month, so nothing else in the demo changes.
"""

from __future__ import annotations

import random
import uuid
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from ..models import FeeReceiptRow, GroupRow, LotteryEntryRow, ReservationRow, RoomRow, SlotRow
from .catalog import calendar_for
from .ids import next_approval_number
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
    ``today + 92``; returns how many."""
    rooms = list(session.scalars(select(RoomRow).where(RoomRow.center_id == center_id)))
    slots = list(session.scalars(select(SlotRow).order_by(SlotRow.position)))
    calendar = calendar_for(session, center_id)
    groups = {g.user_id: g for g in session.scalars(select(GroupRow))}
    made = 0
    start, end = _same_day_last_year(today - timedelta(days=30)), _same_day_last_year(today)
    end += timedelta(days=92)
    day = start
    while day <= end:
        if calendar.is_closed(day):
            day += timedelta(days=1)
            continue
        # A little quieter than this year: the city hoped the online system would raise use.
        density = 0.36 if day.weekday() >= 5 else 0.24
        for room in rooms:
            for slot in slots:
                if slot.id not in room.fees or rng.random() > density:
                    continue
                made += _booking(session, rng, room, day, slot.id, user_ids, groups, now)
        day += timedelta(days=1)
    return made


def _booking(
    session: Session,
    rng: random.Random,
    room: RoomRow,
    day: date,
    slot_id: str,
    user_ids: list[str],
    groups: dict[str, GroupRow],
    now: datetime,
) -> int:
    user_id = rng.choice(user_ids)
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
        created_at=now - timedelta(days=420),
        updated_at=now - timedelta(days=400),
        cancelled_at=now - timedelta(days=400) if status == "cancelled" else None,
    )
    session.add(row)
    session.flush()
    if kind == "lottery":
        losers = rng.sample([u for u in user_ids if u != user_id], rng.randint(0, 3))
        for entrant, status_ in [(user_id, "won"), *((u, "lost") for u in losers)]:
            session.add(
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
                    created_at=now - timedelta(days=430),
                    created_by="demo",
                )
            )
    if status == "used" and row.fee_exemption is None:
        session.add(
            FeeReceiptRow(
                reservation_id=row.id,
                amount=row.fee_nominal,
                receipt_number=f"D{row.approval_number}",
                received_at=now - timedelta(days=400),
                received_by="demo",
            )
        )
    return 1


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
) -> ReservationRow:
    """A made-up group booking as the demo seeds it (not yet added to the session): the room's
    fee, waived for a group registered as exempt."""
    nominal = int(room.fees[slot_id])
    exempt = group.fee_exemption is not None
    return ReservationRow(
        id=uuid.uuid4(),
        approval_number=next_approval_number(session),
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
