"""Lottery entries (抽選申込): entering, withdrawing while the lottery is open, and reading them.

A lottery entry is decided by the same booking rules as a reservation (``decide_booking``, with
the lottery's window, the group's monthly entries and the room's capacity), under the group's
row lock, and a repeat of the same request gets the first answer.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from center_desk.domain import (
    BookingKind,
    BookingRequest,
    GroupUsage,
    QuotaPolicy,
    ReasonCode,
    decide_booking,
)
from center_desk.domain.windows import application_windows
from center_desk.protocol.reservations import LotteryEntryIn, LotteryEntryOut

from ..errors import ApiError, invalid, refused
from ..models import LotteryEntryRow
from . import groups
from .catalog import calendar_for, domain_room, get_room
from .changes import record_row_change
from .reservations import Caller, applicant_of, check_center, month_of, reference_center, usage_of


def enter_lottery(
    session: Session,
    data: LotteryEntryIn,
    *,
    caller: Caller,
    now: datetime,
    policy: QuotaPolicy = QuotaPolicy(),
) -> tuple[LotteryEntryRow, bool]:
    existing = session.get(LotteryEntryRow, data.id)
    if existing is not None:
        return _replayed_entry(existing, data, caller), False
    if not data.user_id:
        raise invalid("a lottery entry needs a group (user_id)")
    room_row = get_room(session, data.room_id, field="room_id")
    check_center(caller, room_row.center_id)
    room = domain_room(room_row)
    group = groups.get(session, data.user_id, for_update=True, field="user_id")
    # Looked for again under the group's lock: a copy of this request that raced us has
    # committed by now, and its answer is ours.
    existing = session.scalars(
        select(LotteryEntryRow)
        .where(LotteryEntryRow.id == data.id)
        .execution_options(populate_existing=True)
    ).one_or_none()
    if existing is not None:
        return _replayed_entry(existing, data, caller), False
    use_month = month_of(data.use_date)
    entries, _ = usage_of(session, group.user_id, room.center_id, use_month, policy)
    entered = (
        session.scalar(
            select(func.count())
            .select_from(LotteryEntryRow)
            .where(
                LotteryEntryRow.user_id == group.user_id,
                LotteryEntryRow.room_id == room.id,
                LotteryEntryRow.use_date == data.use_date,
                LotteryEntryRow.slot_id == data.slot_id,
                LotteryEntryRow.status != "withdrawn",
            )
        )
        or 0
    ) > 0
    decision = decide_booking(
        BookingRequest(
            BookingKind.LOTTERY,
            caller.channel,
            room,
            data.slot_id,
            data.use_date,
            headcount=data.headcount,
        ),
        now=now,
        calendar=calendar_for(session, room.center_id),
        applicant=applicant_of(group),
        usage=GroupUsage(lottery_entries=entries, entered_this_slot=entered),
        slot_taken=False,
        policy=policy,
    )
    if not decision.allowed:
        assert decision.reason is not None
        raise refused(decision.reason, decision.detail)
    row = LotteryEntryRow(
        id=data.id,
        user_id=group.user_id,
        center_id=room.center_id,
        room_id=room.id,
        use_date=data.use_date,
        use_month=use_month,
        slot_id=data.slot_id,
        channel=caller.channel.value,
        purpose=data.purpose,
        headcount=data.headcount,
        status="pending",
        created_at=now,
        created_by=caller.label,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        # Only another group's entry can hold this id now (our own copies wait on our lock).
        raise ApiError(409, "conflict", "this lottery entry id is already used") from None
    groups.renew(group, now)
    reference_center(session, caller, group, room.center_id, now)
    record_row_change(session, "lottery_entry", row, now)
    return row, True


def _replayed_entry(
    existing: LotteryEntryRow, data: LotteryEntryIn, caller: Caller
) -> LotteryEntryRow:
    """As a repeated booking is answered (``reservations.book``): same center check, same
    group and slot."""
    check_center(caller, existing.center_id)
    same = (existing.room_id, existing.use_date, existing.slot_id, existing.user_id) == (
        data.room_id,
        data.use_date,
        data.slot_id,
        data.user_id,
    )
    if not same:
        raise ApiError(409, "conflict", "this lottery entry id is already used")
    return existing


def withdraw_lottery_entry(
    session: Session, row: LotteryEntryRow, *, now: datetime
) -> LotteryEntryRow:
    if row.status == "withdrawn":
        return row
    windows = application_windows(row.use_date, calendar_for(session, row.center_id))
    if not windows.lottery_open(now):
        raise refused(
            ReasonCode.OUTSIDE_WINDOW, "entries can be withdrawn while the lottery is open"
        )
    row.status = "withdrawn"
    session.flush()
    record_row_change(session, "lottery_entry", row, now)
    return row


def lottery_entry_out(row: LotteryEntryRow, *, results_visible: bool) -> LotteryEntryOut:
    status = row.status
    if status in ("won", "lost") and not results_visible:
        status = "pending"  # results are published on the 20th (DOMAIN.md)
    return LotteryEntryOut(
        id=row.id,
        user_id=row.user_id,
        room_id=row.room_id,
        center_id=row.center_id,
        use_date=row.use_date,
        slot_id=row.slot_id,
        channel=row.channel,
        status=status,
        reservation_id=row.reservation_id if status == "won" else None,
        created_at=row.created_at,
    )


def lottery_entries_of(session: Session, user_id: str, since: date) -> list[LotteryEntryRow]:
    return list(
        session.scalars(
            select(LotteryEntryRow)
            .where(LotteryEntryRow.user_id == user_id, LotteryEntryRow.use_date >= since)
            .order_by(LotteryEntryRow.use_date)
        )
    )
