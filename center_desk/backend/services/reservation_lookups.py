"""Finding reservations and showing them: by id or approval number, a center's days, a group's
bookings, whether the fee is paid, and the wire form (:class:`ReservationOut`) they travel in."""

from __future__ import annotations

import uuid
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from center_desk.domain import ReservationStatus
from center_desk.protocol.reservations import ReservationOut

from ..errors import not_found
from ..models import FeeReceiptRow, GroupRow, ReservationRow
from .callers import Caller, check_center


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
