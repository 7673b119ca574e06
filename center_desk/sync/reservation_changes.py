"""What the counter does to a reservation the desk's cache holds, offline: check-in (入館受付),
the usage report (利用報告), the fee receipt (使用料受領), cancellation at the group's request
(取消) and the no-show (不参加).

Each is one :class:`ReservationChange`: the mutation the backend will receive, the fields it
sets in the cache, the words staff read about it, and its guard in domain/reservation.py (the
one the backend applies). :func:`apply_change` writes the cache, the outbox and the audit event
in one SQLCipher transaction once the guard allows it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Any, TypeVar

from pydantic import ValidationError

from center_desk.domain import (
    Channel,
    Decision,
    DomainError,
    ReasonCode,
    ReservationFacts,
    ReservationStatus,
    decide_cancel,
    decide_check_in,
    decide_fee_receipt,
    decide_no_show,
    decide_usage_report,
)
from center_desk.protocol.reservations import FeeReceiptIn, UsageReportIn
from center_desk.protocol.sync import (
    CancelReservation,
    CheckIn,
    MarkNoShow,
    RecordFeeReceipt,
    RecordUsageReport,
)
from center_desk.store import Connection, audit, outbox, transaction
from center_desk.store import catalog as cached_catalog
from center_desk.store import reservations as cached
from center_desk.store.reservations import CachedReservation

from .cache_errors import NotFound

T = TypeVar("T")

#: The mutations that change a reservation the cache holds.
ChangeBody = CancelReservation | CheckIn | MarkNoShow | RecordUsageReport | RecordFeeReceipt


@dataclass(frozen=True)
class ReservationChange:
    """One action on a reservation, as the desk records it and the backend will judge it."""

    body: ChangeBody
    #: The cache's columns as the action leaves them.
    fields: dict[str, Any]
    #: Staff read this (要対応, end of day), followed by the approval number.
    summary: str
    guard: Callable[[ReservationFacts], Decision]


def check_in(reservation_id: str, now: datetime) -> ReservationChange:
    return ReservationChange(
        _wire(lambda: CheckIn(reservation_id=uuid.UUID(reservation_id), at=now)),
        {"checked_in_at": now.isoformat()},
        "入館受付",
        lambda r: decide_check_in(r, now),
    )


def usage_report(
    reservation_id: str, actual_headcount: int, remarks: str, now: datetime
) -> ReservationChange:
    if not 0 <= actual_headcount <= 1000:
        raise DomainError("actual_headcount out of range", code=ReasonCode.INVALID_INPUT)
    return ReservationChange(
        _wire(
            lambda: RecordUsageReport(
                reservation_id=uuid.UUID(reservation_id),
                report=UsageReportIn(actual_headcount=actual_headcount, remarks=remarks),
            )
        ),
        {
            "status": ReservationStatus.USED.value,
            "actual_headcount": actual_headcount,
            "remarks": remarks,
        },
        "利用報告",
        lambda r: decide_usage_report(r, now),
    )


def fee_receipt(reservation_id: str, amount: int, receipt_number: str) -> ReservationChange:
    return ReservationChange(
        _wire(
            lambda: RecordFeeReceipt(
                reservation_id=uuid.UUID(reservation_id),
                receipt=FeeReceiptIn(amount=amount, receipt_number=receipt_number),
            )
        ),
        {"fee_paid": 1},
        "使用料受領",
        lambda r: decide_fee_receipt(r, amount),
    )


def cancellation(reservation_id: str, reason: str, now: datetime) -> ReservationChange:
    if not reason.strip():
        raise DomainError("a reason is needed", code=ReasonCode.INVALID_INPUT)
    return ReservationChange(
        _wire(lambda: CancelReservation(reservation_id=uuid.UUID(reservation_id), reason=reason)),
        {"status": ReservationStatus.CANCELLED.value, "cancelled_reason": reason},
        "取消",
        # The counter's own channel: refused once the slot has begun, as the backend will.
        lambda r: decide_cancel(r, now, Channel.COUNTER),
    )


def no_show(reservation_id: str, now: datetime) -> ReservationChange:
    return ReservationChange(
        _wire(lambda: MarkNoShow(reservation_id=uuid.UUID(reservation_id))),
        {"status": ReservationStatus.NO_SHOW.value},
        "不参加",
        lambda r: decide_no_show(r, now),
    )


def apply_change(
    db: Connection,
    reservation_id: str,
    change: ReservationChange,
    *,
    now: datetime,
    staff_id: Callable[[], str | None],
) -> CachedReservation:
    """Apply one action after its guard allows it; an action already taken is answered with
    the reservation as it is, and sends nothing."""
    with transaction(db):
        current = cached.get(db, reservation_id)
        if current is None:
            raise NotFound("reservation not in this desk's cache")
        slot = next((s for s in cached_catalog.slots(db) if s.id == current.slot_id), None)
        decision = change.guard(cached.facts(current, slot))
        decision.raise_if_refused()
        if decision.already_done:
            return current
        before = cached.update(db, reservation_id, **change.fields, sync_state="pending")
        outbox.enqueue(
            db,
            body=change.body,
            created_at=now.isoformat(),
            staff_id=staff_id(),
            summary=f"{change.summary} {current.approval_number}",
            undo=before,
        )
        audit.record(
            db,
            event=change.body.kind,
            at=now,
            staff_id=staff_id(),
            subject=current.approval_number,
        )
    updated = cached.get(db, reservation_id)
    assert updated is not None
    return updated


def _wire(build: Callable[[], T]) -> T:
    """A mutation as the protocol's model: what the backend would refuse as malformed (a
    reason too long, an id that is not one) is refused here, before anything is written."""
    try:
        return build()
    except (ValidationError, ValueError) as exc:
        raise DomainError(
            f"not a valid mutation: {type(exc).__name__}", code=ReasonCode.INVALID_INPUT
        ) from None
