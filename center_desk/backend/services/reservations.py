"""Booking one slot: first-come and last-minute bookings, at the counter or by a citizen, and
the counts the lottery shares with them (a group's entries and bookings in a month).

Every booking path asks :func:`center_desk.domain.decide_booking` with the server's clock and
the database's counts. Two things make the answers hold under concurrency:

* the group's row is locked (``FOR UPDATE``) before its quotas are counted, so ten entries
  fired at once by one group are decided one after another;
* a partial unique index allows one live reservation per room, day and slot, so two groups
  racing for one slot cannot both win, whatever the timing.

What happens to a booking afterwards is in :mod:`.reservation_actions`; finding and showing
reservations in :mod:`.reservation_lookups`; who asks in :mod:`.callers`. Their names are
re-exported here because the routes, ``services/sync.py`` and the tests call them all as
``reservations.<name>``.
"""

from __future__ import annotations

import uuid
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
    ExemptionReason,
    FeeError,
    GroupUsage,
    QuotaPolicy,
    ReasonCode,
    ReservationStatus,
    calculate_fee,
    center_quota_kinds,
    decide_booking,
    resolve_exemption,
)
from center_desk.protocol.common import FieldError
from center_desk.protocol.reservations import ReservationIn

from ..errors import ApiError, invalid, refused
from ..models import GroupRow, LotteryEntryRow, ReservationRow
from . import foreign_lookups, groups
from .callers import Caller, DeskRef, check_center
from .catalog import calendar_for, domain_room, get_room
from .changes import record_row_change, reference_group
from .ids import next_approval_number
from .reservation_actions import cancel, check_in, facts, mark_no_show, record_fee, record_usage
from .reservation_lookups import (
    by_approval_number,
    fee_paid,
    get,
    list_for_center,
    list_for_group,
    to_out,
)

__all__ = [
    "Caller",
    "DeskRef",
    "applicant_of",
    "book",
    "by_approval_number",
    "cancel",
    "check_center",
    "check_in",
    "facts",
    "fee_paid",
    "get",
    "list_for_center",
    "list_for_group",
    "mark_no_show",
    "month_of",
    "record_fee",
    "record_usage",
    "reference_center",
    "to_out",
    "usage_of",
]


def month_of(day: date) -> str:
    return f"{day.year:04d}-{day.month:02d}"


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
