"""Bookings and what happens to them: first-come and last-minute booking, lottery entries,
cancellation, check-in, the usage report (利用報告書), the fee receipt, no-shows.

Every booking path asks :func:`center_desk.domain.decide_booking` with the server's clock and
the database's counts. Two things make the answers hold under concurrency:

* the group's row is locked (``FOR UPDATE``) before its quotas are counted, so ten entries
  fired at once by one group are decided one after another;
* a partial unique index allows one live reservation per room, day and slot, so two groups
  racing for one slot cannot both win, whatever the timing.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from center_desk.domain import (
    Applicant,
    ApplicantKind,
    BookingKind,
    BookingRequest,
    Channel,
    Decision,
    ExemptionReason,
    FeeError,
    GroupUsage,
    QuotaPolicy,
    ReasonCode,
    ReservationFacts,
    ReservationStatus,
    SlotDef,
    calculate_fee,
    center_quota_kinds,
    decide_booking,
    decide_cancel,
    decide_check_in,
    decide_fee_receipt,
    decide_no_show,
    decide_usage_report,
    resolve_exemption,
)
from center_desk.protocol.common import FieldError
from center_desk.protocol.reservations import (
    FeeReceiptIn,
    ReservationIn,
    ReservationOut,
    UsageReportIn,
)

from ..errors import ApiError, invalid, not_found, refused
from ..models import (
    FeeReceiptRow,
    GroupRow,
    LotteryEntryRow,
    ReservationRow,
    SlotRow,
    UsageReportRow,
)
from . import foreign_lookups, groups
from .catalog import calendar_for, domain_room, get_room
from .changes import record_row_change, reference_group
from .ids import next_approval_number


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


@dataclass(frozen=True)
class Caller:
    """Who asks: the channel decides the windows; ``label`` is recorded as ``created_by``."""

    channel: Channel
    label: str
    #: A desk may only act for its own center.
    center_id: str | None = None
    #: The desk that asks, for auditing what its center comes to see (issue 15).
    desk: DeskRef | None = None


@dataclass(frozen=True)
class DeskRef:
    """A desk booking for a group: who to audit when that hands it another center's group."""

    device_id: str
    staff_id: str | None
    staff_verified: bool
    alert_per_hour: int


def reference_center(
    session: Session, caller: Caller, group: GroupRow, center_id: str, now: datetime
) -> None:
    """Let the booking center's desks keep the group; when it is registered at another center
    and new to this one, that hands its personal data over: audited and counted as a look-up
    with reason ``booking``, but the booking itself is never refused for the look-up limit."""
    new = reference_group(session, center_id=center_id, user_id=group.user_id, now=now)
    desk = caller.desk
    if new and desk is not None and group.registered_center_id != center_id:
        foreign_lookups.note_booking(
            session,
            user_id=group.user_id,
            staff_id=desk.staff_id,
            staff_verified=desk.staff_verified,
            device_id=desk.device_id,
            center_id=center_id,
            alert_per_hour=desk.alert_per_hour,
            now=now,
        )


def check_center(caller: Caller, center_id: str) -> None:
    if caller.center_id is not None and caller.center_id != center_id:
        raise ApiError(403, "forbidden", "this desk serves another center")


def usage_of(
    session: Session, user_id: str, center_id: str, use_month: str, policy: QuotaPolicy
) -> tuple[int, int]:
    """(lottery entries this month across all centers, bookings counting against this
    center's quota this month)."""
    entries = session.scalar(
        select(func.count())
        .select_from(LotteryEntryRow)
        .where(
            LotteryEntryRow.user_id == user_id,
            LotteryEntryRow.use_month == use_month,
            LotteryEntryRow.status != "withdrawn",
        )
    )
    kinds = [kind.value for kind in center_quota_kinds(policy)]
    bookings = session.scalar(
        select(func.count())
        .select_from(ReservationRow)
        .where(
            ReservationRow.user_id == user_id,
            ReservationRow.center_id == center_id,
            ReservationRow.use_month == use_month,
            ReservationRow.status != ReservationStatus.CANCELLED.value,
            ReservationRow.kind.in_(kinds),
        )
    )
    return int(entries or 0), int(bookings or 0)


def _slot_taken(session: Session, room_id: str, use_date: date, slot_id: str) -> bool:
    return (
        session.scalar(
            select(func.count())
            .select_from(ReservationRow)
            .where(
                ReservationRow.room_id == room_id,
                ReservationRow.use_date == use_date,
                ReservationRow.slot_id == slot_id,
                ReservationRow.status != ReservationStatus.CANCELLED.value,
            )
        )
        or 0
    ) > 0


def applicant_of(group: GroupRow | None) -> Applicant:
    if group is None:
        return Applicant(ApplicantKind.INDIVIDUAL)
    return groups.applicant(group)


def _exemption(data: ReservationIn, group: GroupRow | None) -> tuple[ExemptionReason | None, str]:
    try:
        return resolve_exemption(
            data.fee_exemption,
            data.fee_exemption_note,
            registered=group.fee_exemption if group else None,
            registered_note=group.fee_exemption_note if group else "",
        )
    except ValueError:
        # The value is not echoed: the field may hold anything, of any length.
        problem = FieldError(
            field="fee_exemption", code="unknown_exemption", message="not a known exemption"
        )
        raise invalid("unknown fee exemption", [problem]) from None


def book(
    session: Session,
    data: ReservationIn,
    *,
    caller: Caller,
    now: datetime,
    policy: QuotaPolicy = QuotaPolicy(),
    approval_number: str | None = None,
) -> tuple[ReservationRow, bool]:
    """Book one slot; returns the reservation and whether it is new. A repeat of the same
    request (same id) returns the first answer instead of booking twice, also when it raced
    the first: it is looked for again once the group's lock is held (the first has committed
    or failed by then), before answering with a refusal, and after losing an insert to it."""
    existing = session.get(ReservationRow, data.id)
    if existing is not None:
        return _replayed(existing, data, caller), False

    room_row = get_room(session, data.room_id, field="room_id")
    check_center(caller, room_row.center_id)
    room = domain_room(room_row)
    kind = BookingKind(data.kind)
    group: GroupRow | None = None
    if data.user_id:
        group = groups.get(session, data.user_id, for_update=True, field="user_id")
        existing = _stored_reservation(session, data.id)
        if existing is not None:
            return _replayed(existing, data, caller), False
    elif caller.channel is not Channel.COUNTER or not (data.individual_name or "").strip():
        raise invalid("a booking needs a group (user_id) or, at the counter, the individual's name")

    use_month = month_of(data.use_date)
    entries, bookings = (0, 0)
    if group is not None:
        entries, bookings = usage_of(session, group.user_id, room.center_id, use_month, policy)
    decision = decide_booking(
        BookingRequest(
            kind, caller.channel, room, data.slot_id, data.use_date, headcount=data.headcount
        ),
        now=now,
        calendar=calendar_for(session, room.center_id),
        applicant=applicant_of(group),
        usage=GroupUsage(lottery_entries=entries, center_bookings=bookings),
        slot_taken=_slot_taken(session, room.id, data.use_date, data.slot_id),
        policy=policy,
    )
    if not decision.allowed:
        # An individual's booking has no group row to lock: a retry racing its original may
        # find the slot taken by that very original, committed since the first look above.
        # Its answer is the first answer, not a refusal (a booking is never refused to its
        # own retry).
        existing = _stored_reservation(session, data.id)
        if existing is not None:
            return _replayed(existing, data, caller), False
        assert decision.reason is not None
        raise refused(decision.reason, decision.detail)

    exemption, note = _exemption(data, group)
    try:
        fee = calculate_fee(room, [data.slot_id], exemption, note)
    except FeeError as exc:
        raise invalid(str(exc)) from None
    row = ReservationRow(
        id=data.id,
        approval_number=approval_number or next_approval_number(session),
        center_id=room.center_id,
        room_id=room.id,
        use_date=data.use_date,
        use_month=use_month,
        slot_id=data.slot_id,
        kind=kind.value,
        channel=caller.channel.value,
        status=ReservationStatus.BOOKED.value,
        user_id=group.user_id if group else None,
        individual_name=None if group else (data.individual_name or "").strip(),
        purpose=data.purpose,
        headcount=data.headcount,
        fee_nominal=fee.nominal,
        fee_charged=fee.charged,
        fee_exemption=fee.exemption.value if fee.exemption else None,
        fee_exemption_note=fee.exemption_note,
        created_at=now,
        created_by=caller.label,
        updated_at=now,
    )
    try:
        with session.begin_nested():
            session.add(row)
            session.flush()
    except IntegrityError:
        # The unique index caught a booking committed since we looked: this request's own
        # first copy (a retry racing its original: answer as the first was answered),
        # someone else's booking of the slot, or a reused approval number.
        existing = _stored_reservation(session, data.id)
        if existing is not None:
            return _replayed(existing, data, caller), False
        if _slot_taken(session, room.id, data.use_date, data.slot_id):
            raise refused(ReasonCode.SLOT_TAKEN, "slot already booked") from None
        raise ApiError(409, "conflict", "approval number already used") from None
    if group is not None:
        groups.renew(group, now)
        reference_center(session, caller, group, room.center_id, now)
    _log(session, row, now)
    return row, True


def _stored_reservation(session: Session, reservation_id: uuid.UUID) -> ReservationRow | None:
    """The committed row with this id, read afresh (not from the session's identity map)."""
    return session.scalars(
        select(ReservationRow)
        .where(ReservationRow.id == reservation_id)
        .execution_options(populate_existing=True)
    ).one_or_none()


def _replayed(existing: ReservationRow, data: ReservationIn, caller: Caller) -> ReservationRow:
    """The first answer to a repeated request, after the checks the first one passed: the
    desk serves that center, the booking is the same (which, for a citizen, whose user id
    is its own, is also the ownership check). Another request reusing the id is a 409."""
    check_center(caller, existing.center_id)
    same = (
        existing.room_id,
        existing.use_date,
        existing.slot_id,
        existing.user_id,
        existing.kind,
    ) == (data.room_id, data.use_date, data.slot_id, data.user_id, data.kind)
    if not same:
        raise ApiError(409, "conflict", "this reservation id is already used")
    return existing


def _log(session: Session, row: ReservationRow, now: datetime) -> None:
    record_row_change(session, "reservation", row, now)


def get(
    session: Session, reservation_id: uuid.UUID, caller: Caller | None = None
) -> ReservationRow:
    row = session.scalars(
        select(ReservationRow).where(ReservationRow.id == reservation_id).with_for_update()
    ).one_or_none()
    if row is None:
        raise not_found("reservation")
    if caller is not None:
        check_center(caller, row.center_id)
    return row


def by_approval_number(session: Session, number: str) -> ReservationRow:
    row = session.scalars(
        select(ReservationRow).where(ReservationRow.approval_number == number.strip().upper())
    ).one_or_none()
    if row is None:
        raise not_found("reservation")
    return row


def facts(session: Session, row: ReservationRow) -> ReservationFacts:
    """What the reservation guards (domain/reservation.py) need to know of a row."""
    slot = session.get(SlotRow, row.slot_id)
    return ReservationFacts(
        status=ReservationStatus(row.status),
        use_date=row.use_date,
        slot=SlotDef(slot.id, slot.label, slot.start, slot.end) if slot else None,
        checked_in=row.checked_in_at is not None,
        fee_charged=row.fee_charged,
        fee_paid=fee_paid(session, row),
    )


def _proceed(decision: Decision) -> bool:
    """Whether to apply the action: raises the refusal; False when it was already taken."""
    if not decision.allowed:
        assert decision.reason is not None
        raise refused(decision.reason, decision.detail)
    return not decision.already_done


def cancel(
    session: Session, row: ReservationRow, reason: str, *, caller: Caller, now: datetime
) -> ReservationRow:
    """Cancel at the group's request (rules: :func:`center_desk.domain.decide_cancel`)."""
    decision = decide_cancel(
        facts(session, row), now, caller.channel, calendar_for(session, row.center_id)
    )
    if not _proceed(decision):
        return row
    row.status = ReservationStatus.CANCELLED.value
    row.cancelled_at = now
    row.cancelled_reason = reason
    row.updated_at = now
    session.flush()
    _log(session, row, now)
    return row


def check_in(
    session: Session, row: ReservationRow, *, at: datetime, now: datetime
) -> ReservationRow:
    if _proceed(decide_check_in(facts(session, row), at)):
        row.checked_in_at = at
        row.updated_at = now
        session.flush()
        _log(session, row, now)
    return row


def record_usage(
    session: Session, row: ReservationRow, report: UsageReportIn, *, by: str, now: datetime
) -> ReservationRow:
    _proceed(decide_usage_report(facts(session, row), now))
    existing = session.get(UsageReportRow, row.id)
    if existing is None:
        session.add(
            UsageReportRow(
                reservation_id=row.id,
                actual_headcount=report.actual_headcount,
                remarks=report.remarks,
                recorded_at=now,
                recorded_by=by,
            )
        )
    else:
        existing.actual_headcount = report.actual_headcount
        existing.remarks = report.remarks
        existing.recorded_at = now
    row.status = ReservationStatus.USED.value
    row.updated_at = now
    session.flush()
    _log(session, row, now)
    return row


def record_fee(
    session: Session, row: ReservationRow, receipt: FeeReceiptIn, *, by: str, now: datetime
) -> ReservationRow:
    decision = decide_fee_receipt(facts(session, row), receipt.amount)
    if decision.reason is ReasonCode.INVALID_INPUT:
        raise invalid(f"the fee is {row.fee_charged} yen, not {receipt.amount}")
    if _proceed(decision):
        session.add(
            FeeReceiptRow(
                reservation_id=row.id,
                amount=receipt.amount,
                receipt_number=receipt.receipt_number,
                received_at=now,
                received_by=by,
            )
        )
        row.updated_at = now
        session.flush()
        _log(session, row, now)
    return row


def mark_no_show(session: Session, row: ReservationRow, *, now: datetime) -> ReservationRow:
    if not _proceed(decide_no_show(facts(session, row), now)):
        return row
    row.status = ReservationStatus.NO_SHOW.value
    row.updated_at = now
    session.flush()
    _log(session, row, now)
    return row


def fee_paid(session: Session, row: ReservationRow) -> bool:
    if row.fee_charged == 0:
        return True
    return (
        session.scalars(
            select(FeeReceiptRow).where(FeeReceiptRow.reservation_id == row.id)
        ).one_or_none()
        is not None
    )


def to_out(session: Session, row: ReservationRow, *, paid: bool | None = None) -> ReservationOut:
    """The wire form. ``paid``: whether a fee receipt exists, when the caller has loaded the
    receipts of many rows at once (a sync page); looked up here otherwise."""
    group_name = None
    if row.user_id:
        group = session.get(GroupRow, row.user_id)
        group_name = group.name if group else None
    return ReservationOut(
        id=row.id,
        approval_number=row.approval_number,
        center_id=row.center_id,
        room_id=row.room_id,
        use_date=row.use_date,
        slot_id=row.slot_id,
        kind=row.kind,
        channel=row.channel,
        status=row.status,
        user_id=row.user_id,
        group_name=group_name,
        purpose=row.purpose,
        headcount=row.headcount,
        fee_nominal=row.fee_nominal,
        fee_charged=row.fee_charged,
        fee_exemption=row.fee_exemption,
        fee_exemption_note=row.fee_exemption_note,
        fee_paid=(row.fee_charged == 0 or paid) if paid is not None else fee_paid(session, row),
        checked_in_at=row.checked_in_at,
        created_at=row.created_at,
        cancelled_reason=row.cancelled_reason,
    )


def list_for_center(
    session: Session, center_id: str, start: date, end: date, *, include_cancelled: bool = False
) -> list[ReservationRow]:
    query = select(ReservationRow).where(
        ReservationRow.center_id == center_id,
        ReservationRow.use_date >= start,
        ReservationRow.use_date <= end,
    )
    if not include_cancelled:
        query = query.where(ReservationRow.status != ReservationStatus.CANCELLED.value)
    return list(session.scalars(query.order_by(ReservationRow.use_date, ReservationRow.slot_id)))


def list_for_group(session: Session, user_id: str, since: date) -> list[ReservationRow]:
    return list(
        session.scalars(
            select(ReservationRow)
            .where(ReservationRow.user_id == user_id, ReservationRow.use_date >= since)
            .order_by(ReservationRow.use_date)
        )
    )


# --- lottery entries --------------------------------------------------------------------
