"""A desk's push, on the backend (DESIGN.md §4): its mutations applied in order, each with a
result of its own.

Each mutation is applied in its own transaction together with the device's
``last_mutation_id``. An id already taken is acknowledged again with no effect; a gap stops the
batch; a mutation the rules refuse is recorded as rejected with its reason code and the queue
moves on. The device row is locked for each step, so two pushes from one desk (a retry racing
the original) cannot apply the same id twice.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import datetime, timedelta

from pydantic import ValidationError
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from center_desk.domain import Channel, DomainError, QuotaPolicy
from center_desk.domain.offline_time import decision_time, desk_skew, refuse_past_day
from center_desk.protocol.sync import (
    DESK_APPROVAL_PATTERN,
    MUTATION_BODY,
    AuditEventIn,
    CancelReservation,
    CheckIn,
    LastMinuteBooking,
    MarkNoShow,
    MutationEnvelope,
    MutationResult,
    PushResponse,
    RecordFeeReceipt,
    RecordUsageReport,
)

from ..errors import ApiError
from ..models import DeviceMutationRow, DeviceRow
from . import attribution, audit, reservations
from .reservations import Caller, DeskRef


def _apply(
    session: Session,
    device: DeviceRow,
    envelope: MutationEnvelope,
    *,
    now: datetime,
    policy: QuotaPolicy,
    verified: bool,
    alert_per_hour: int,
    skew: timedelta = timedelta(0),
) -> None:
    body = MUTATION_BODY.validate_python(envelope.body)
    # Judged at the moment the desk recorded it, on our clock (the desk's own corrected by
    # the skew this push revealed), never at a moment the desk's clock merely claims.
    when = decision_time(envelope.created_at, now, skew=skew)
    label = _label(device, envelope.staff_id, verified)
    desk = DeskRef(device.id, envelope.staff_id or None, verified, alert_per_hour)
    caller = Caller(Channel.COUNTER, label, device.center_id, desk)
    if isinstance(body, LastMinuteBooking):
        if body.reservation.kind != "last_minute":
            raise ApiError(422, "invalid_input", "a desk mutation books last-minute only")
        match = re.match(DESK_APPROVAL_PATTERN, body.approval_number)
        if match is None or int(match.group(1)) != device.number:
            raise ApiError(422, "invalid_input", "approval number of another desk")
        refuse_past_day(body.reservation.use_date, now)
        reservations.book(
            session,
            body.reservation,
            caller=caller,
            now=when,
            policy=policy,
            approval_number=body.approval_number,
        )
    elif isinstance(body, CancelReservation):
        row = reservations.get(session, body.reservation_id, caller)
        reservations.cancel(session, row, body.reason, caller=caller, now=when)
    elif isinstance(body, CheckIn):
        row = reservations.get(session, body.reservation_id, caller)
        reservations.check_in(session, row, at=decision_time(body.at, now, skew=skew), now=now)
    elif isinstance(body, MarkNoShow):
        row = reservations.get(session, body.reservation_id, caller)
        reservations.mark_no_show(session, row, now=when)
    elif isinstance(body, RecordUsageReport):
        row = reservations.get(session, body.reservation_id, caller)
        reservations.record_usage(session, row, body.report, by=label, now=when)
    elif isinstance(body, RecordFeeReceipt):
        row = reservations.get(session, body.reservation_id, caller)
        reservations.record_fee(session, row, body.receipt, by=label, now=when)
    elif isinstance(body, AuditEventIn):
        # Dated like any other mutation: the desk's time corrected by this push's measured
        # skew when that lands within the offline window, else our receipt time; never the
        # moment the desk's clock merely claims (the audit table keeps one time, ours).
        audit.record(
            session,
            event=body.event,
            at=decision_time(body.at, now, skew=skew),
            received_at=now,
            staff_id=body.staff_id or envelope.staff_id,
            device_id=device.id,
            center_id=device.center_id,
            subject=body.subject,
            event_id=body.event_id,
            staff_verified=(verified and not body.staff_id)
            or attribution.may_work_at(session, body.staff_id, device.center_id),
        )
    else:  # pragma: no cover - the union is exhaustive
        raise ApiError(422, "invalid_input", "unknown mutation kind")


def _label(device: DeviceRow, staff_id: str | None, verified: bool) -> str:
    """``created_by`` of what a desk's mutation makes: the device, and the staff member it
    names, marked when that claim did not check out (services/attribution.py)."""
    if not staff_id:
        return f"device:{device.number}"
    return f"device:{device.number}/{'staff' if verified else 'unverified-staff'}:{staff_id}"


def _validation_summary(error: ValidationError) -> str:
    # Field paths and error kinds only: the values may be personal data.
    parts = [".".join(str(p) for p in e["loc"]) + f":{e['type']}" for e in error.errors()]
    return "; ".join(parts)[:200]


def push(
    sessions: sessionmaker[Session],
    device_id: str,
    envelopes: list[MutationEnvelope],
    *,
    clock: Callable[[], datetime],
    policy: QuotaPolicy,
    alert_per_hour: int,
    sent_at: datetime | None = None,
) -> PushResponse:
    skew = desk_skew(sent_at, clock())
    results: list[MutationResult] = []
    stopped = False
    last = 0
    for envelope in sorted(envelopes, key=lambda e: e.id):
        with sessions() as session, session.begin():
            device = session.scalars(
                select(DeviceRow).where(DeviceRow.id == device_id).with_for_update()
            ).one()
            if device.revoked_at is not None:
                raise ApiError(403, "device_revoked", "this device has been revoked")
            last = device.last_mutation_id
            if envelope.id <= last:
                earlier = session.get(DeviceMutationRow, (device.id, envelope.id))
                results.append(
                    MutationResult(
                        id=envelope.id,
                        status="duplicate",
                        reason_code=earlier.reason_code if earlier else None,
                        message=earlier.status if earlier else "",
                    )
                )
                continue
            if envelope.id != last + 1:
                stopped = True
                break
            now = clock()
            status, code, message = "applied", None, ""
            verified = attribution.may_work_at(session, envelope.staff_id, device.center_id)
            try:
                with session.begin_nested():
                    _apply(
                        session,
                        device,
                        envelope,
                        now=now,
                        policy=policy,
                        verified=verified,
                        alert_per_hour=alert_per_hour,
                        skew=skew,
                    )
            except ValidationError as error:
                status, code, message = "rejected", "invalid_input", _validation_summary(error)
            except ApiError as error:
                status, code, message = "rejected", error.code, error.message[:200]
            except DomainError as error:
                status, code, message = "rejected", error.code.value, error.detail[:200]
            session.add(
                DeviceMutationRow(
                    device_id=device.id,
                    mutation_id=envelope.id,
                    status=status,
                    reason_code=code,
                    message=message,
                    applied_at=now,
                    staff_id=envelope.staff_id,
                    staff_verified=verified,
                )
            )
            device.last_mutation_id = envelope.id
            device.last_seen_at = now
            last = envelope.id
            results.append(
                MutationResult(id=envelope.id, status=status, reason_code=code, message=message)
            )
    return PushResponse(
        results=results, last_applied_id=last, stopped_at_gap=stopped, server_time=clock()
    )
