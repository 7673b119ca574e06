"""A last-minute booking at the counter (直前予約), made offline on the desk's cache.

It is decided first by the same domain rules the backend applies (the backend still has the
last word), then the booking, its outbox mutation and its audit event are written in one
SQLCipher transaction, under an approval number this desk hands out itself.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime

from center_desk.domain import (
    Applicant,
    ApplicantKind,
    BookingKind,
    BookingRequest,
    Channel,
    DomainError,
    ExemptionReason,
    FeeError,
    GroupUsage,
    QuotaPolicy,
    ReasonCode,
    ReservationStatus,
    SlotTaken,
    calculate_fee,
    center_quota_kinds,
    decide_booking,
    exemption_request,
    resolve_exemption,
)
from center_desk.protocol.reservations import ReservationIn
from center_desk.protocol.sync import LastMinuteBooking, desk_approval_number
from center_desk.store import Connection, IntegrityError, audit, meta, outbox, transaction
from center_desk.store import catalog as cached_catalog
from center_desk.store import groups as cached_groups
from center_desk.store import reservations as cached
from center_desk.store.reservations import CachedReservation

from .cache_errors import NotFound


@dataclass(frozen=True)
class WalkIn:
    """A last-minute booking request from the counter (直前予約)."""

    room_id: str
    use_date: date
    slot_id: str
    headcount: int
    purpose: str = ""
    user_id: str | None = None
    #: For an individual (個人利用) in a room open to individuals.
    individual_name: str | None = None
    fee_exemption: ExemptionReason | None = None
    fee_exemption_note: str = ""
    #: Charge the fee even though the group is registered as exempt (staff decided so at the
    #: counter); otherwise a group's registered exemption applies when none is given.
    charge_fee: bool = False


def book_walk_in(
    db: Connection,
    request: WalkIn,
    *,
    now: datetime,
    rule_now: datetime,
    policy: QuotaPolicy,
    staff_id: Callable[[], str | None],
) -> CachedReservation:
    """Book at ``now`` (the desk's clock, recorded) as the rules allow it at ``rule_now`` (the
    time they are judged at). Raises :class:`DomainError` with the reason code when refused."""
    center_id = _require(meta.get(db, meta.CENTER_ID), "this desk is not enrolled")
    center = cached_catalog.center(db, center_id)
    if center is None:
        raise DomainError("the catalog has not been synced yet", code=ReasonCode.INVALID_INPUT)
    room = next((r for r in center.rooms if r.id == request.room_id), None)
    if room is None:
        raise DomainError("room not at this center", code=ReasonCode.UNKNOWN_SLOT)

    group = cached_groups.get(db, request.user_id) if request.user_id else None
    if request.user_id and group is None:
        raise NotFound("group not in this desk's cache")
    if group is None and not (request.individual_name or "").strip():
        raise DomainError("a group or an individual's name is needed")
    applicant = (
        Applicant.registered_group(group.form, active=group.active, valid_until=group.valid_until)
        if group
        else Applicant(ApplicantKind.INDIVIDUAL)
    )
    kinds = tuple(kind.value for kind in center_quota_kinds(policy))
    bookings = (
        cached.center_bookings(
            db, group.user_id, center_id, request.use_date.year, request.use_date.month, kinds
        )
        if group
        else 0
    )
    decision = decide_booking(
        BookingRequest(
            BookingKind.LAST_MINUTE,
            Channel.COUNTER,
            room,
            request.slot_id,
            request.use_date,
            headcount=request.headcount,
        ),
        now=rule_now,
        calendar=cached_catalog.calendar(db, center_id),
        applicant=applicant,
        usage=GroupUsage(center_bookings=bookings),
        slot_taken=cached.slot_taken(db, room.id, request.use_date, request.slot_id),
        policy=policy,
    )
    decision.raise_if_refused()

    requested = exemption_request(request.fee_exemption, charge_fee=request.charge_fee)
    exemption, note = resolve_exemption(
        requested,
        request.fee_exemption_note,
        registered=group.form.fee_exemption if group else None,
        registered_note=group.form.fee_exemption_note if group else "",
    )
    try:
        fee = calculate_fee(room, [request.slot_id], exemption, note)
    except FeeError as exc:
        raise DomainError(str(exc), code=ReasonCode.INVALID_INPUT) from None

    with transaction(db):
        # Again inside the write transaction: another desk process on this cache may
        # have booked the slot since the decision above (the unique index is the last word).
        if cached.slot_taken(db, room.id, request.use_date, request.slot_id):
            raise SlotTaken("booked meanwhile at this desk")
        counter = meta.get_int(db, meta.APPROVAL_COUNTER) + 1
        meta.put(db, meta.APPROVAL_COUNTER, str(counter))
        number = desk_approval_number(meta.get_int(db, meta.DEVICE_NUMBER), counter)
        reservation = CachedReservation(
            id=str(uuid.uuid4()),
            approval_number=number,
            center_id=center_id,
            room_id=room.id,
            use_date=request.use_date,
            slot_id=request.slot_id,
            user_id=group.user_id if group else None,
            group_name=group.name if group else None,
            individual_name=None if group else (request.individual_name or "").strip(),
            kind=BookingKind.LAST_MINUTE.value,
            channel=Channel.COUNTER.value,
            status=ReservationStatus.BOOKED.value,
            purpose=request.purpose,
            headcount=request.headcount,
            fee_nominal=fee.nominal,
            fee_charged=fee.charged,
            fee_exemption=fee.exemption.value if fee.exemption else None,
            fee_exemption_note=fee.exemption_note,
            fee_paid=fee.charged == 0,
            checked_in_at=None,
            actual_headcount=None,
            remarks="",
            cancelled_reason="",
            created_at=now.isoformat(),
            sync_state="pending",
        )
        try:
            cached.insert_local(db, reservation)
        except IntegrityError:
            raise SlotTaken("booked meanwhile at this desk") from None
        wire = ReservationIn(
            id=uuid.UUID(reservation.id),
            room_id=room.id,
            use_date=request.use_date,
            slot_id=request.slot_id,
            kind=BookingKind.LAST_MINUTE.value,
            user_id=reservation.user_id,
            purpose=request.purpose,
            headcount=request.headcount,
            fee_exemption=requested,
            fee_exemption_note=request.fee_exemption_note,
            individual_name=reservation.individual_name,
        )
        outbox.enqueue(
            db,
            body=LastMinuteBooking(reservation=wire, approval_number=number),
            created_at=now.isoformat(),
            staff_id=staff_id(),
            # Staff read this (要対応, end of day, an unreadable cache): the slot's own
            # label (午後), not its id (afternoon).
            summary=f"直前予約 {number} {request.use_date.isoformat()} {room.name} "
            f"{_slot_label(db, request.slot_id)}",
        )
        audit.record(db, event="walk_in_booked", at=now, staff_id=staff_id(), subject=number)
    return reservation


def _require(value: str | None, message: str) -> str:
    if value is None:
        raise DomainError(message, code=ReasonCode.INVALID_INPUT)
    return value


def _slot_label(db: Connection, slot_id: str) -> str:
    """午前 / 午後 / 夜間 as the catalog names the slot; its id if the catalog lacks it."""
    return next((s.label for s in cached_catalog.slots(db) if s.id == slot_id), slot_id)
