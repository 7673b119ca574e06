"""A booked reservation's life at the backend: cancellation at the group's request (取消),
check-in (入館受付), the usage report (利用報告書), the fee receipt (使用料受領) and the no-show
(不参加). Each asks its guard in :mod:`center_desk.domain.reservation` first, as the desk does
before it writes to its cache, so both ends refuse the same things with the same codes."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy.orm import Session

from center_desk.domain import (
    Decision,
    ReasonCode,
    ReservationFacts,
    ReservationStatus,
    SlotDef,
    decide_cancel,
    decide_check_in,
    decide_fee_receipt,
    decide_no_show,
    decide_usage_report,
)
from center_desk.protocol.reservations import FeeReceiptIn, UsageReportIn

from ..errors import invalid, refused
from ..models import FeeReceiptRow, ReservationRow, SlotRow, UsageReportRow
from .callers import Caller
from .catalog import calendar_for
from .changes import record_row_change
from .reservation_lookups import fee_paid


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
    _changed(session, row, now)
    return row


def check_in(
    session: Session, row: ReservationRow, *, at: datetime, now: datetime
) -> ReservationRow:
    if _proceed(decide_check_in(facts(session, row), at)):
        row.checked_in_at = at
        _changed(session, row, now)
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
    _changed(session, row, now)
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
        _changed(session, row, now)
    return row


def mark_no_show(session: Session, row: ReservationRow, *, now: datetime) -> ReservationRow:
    if not _proceed(decide_no_show(facts(session, row), now)):
        return row
    row.status = ReservationStatus.NO_SHOW.value
    _changed(session, row, now)
    return row


def _changed(session: Session, row: ReservationRow, now: datetime) -> None:
    """A reservation changed: stamped, written, and logged for the desks' pulls."""
    row.updated_at = now
    session.flush()
    record_row_change(session, "reservation", row, now)
